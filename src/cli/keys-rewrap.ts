/**
 * `cast keys rewrap`: wraps the data keys under a new instance key, for when the instance key must
 * change (suspected exposure, staff change). The data keys themselves, and so every sealed value,
 * stay as they are. Keys that were derived from the old instance key and that stored data depends
 * on (blind indexes, `v1.` values) are pinned: stored wrapped under the new key, so matching and old
 * values keep working. Afterwards every process must be restarted with the new key.
 */
import { sql } from 'kysely';
import { appendAudit } from '../core/audit.ts';
import { isInstanceKey } from '../core/config.ts';
import { currentPinnedOrDerived, lockKeys, openKeyring, unwrapKey, wrapKey, type PinnedPurpose } from '../core/data-keys.ts';
import { loadInstanceKey, readKeyFile } from '../core/keys.ts';
import { optional, parse } from './args.ts';
import { withDatabase } from './context.ts';
import { CommandFailure, UsageError } from './errors.ts';
import { readFirstLine } from './stdin.ts';

const PINNED: PinnedPurpose[] = ['blind-index', 'legacy-sealing'];

export async function run(args: string[]): Promise<number> {
  const parsed = parse('keys rewrap', args, { 'new-key-file': { type: 'string' }, 'new-key-stdin': { type: 'boolean' } });
  const file = optional(parsed, 'new-key-file');
  const fromStdin = parsed.values['new-key-stdin'] === true;
  if ((file === undefined) === !fromStdin) throw new UsageError('give either --new-key-file FILE or --new-key-stdin', 'keys rewrap');
  const newKey = file !== undefined ? readKeyFile(file) : await keyFromStdin();

  const count = await withDatabase(async (database, config) => {
    const oldKey = loadInstanceKey(config);
    if (oldKey.equals(newKey)) throw new UsageError('the new instance key is the one in use', 'keys rewrap');
    // Proves the configured key opens every data key before anything is changed.
    await (await openKeyring(database.db, oldKey, { refreshMs: 2 ** 30 })).close();
    return database.db.transaction().execute(async (trx) => {
      await lockKeys(trx);
      const { rows } = await sql<{ id: number; wrapped: string }>`select id, wrapped from data_keys order by id`.execute(trx);
      for (const row of rows) {
        const key = unwrapKey(oldKey, row.wrapped, `data key ${row.id}`);
        await sql`update data_keys set wrapped = ${wrapKey(newKey, key)} where id = ${row.id}`.execute(trx);
      }
      for (const purpose of PINNED) {
        const wrapped = wrapKey(newKey, await currentPinnedOrDerived(trx, oldKey, purpose));
        await sql`insert into pinned_keys (purpose, wrapped) values (${purpose}, ${wrapped})
                  on conflict (purpose) do update set wrapped = excluded.wrapped`.execute(trx);
      }
      await appendAudit(trx, { actorId: null, action: 'keys.rewrapped', subject: 'instance-key', detail: { dataKeys: rows.map((row) => row.id) } });
      return rows.length;
    });
  });
  console.log(`${count} data keys are now wrapped under the new instance key.`);
  console.log('Now put the new key where CAST_KEY_FILE (or CAST_KEY) points and restart every process; see docs/cli.md.');
  return 0;
}

async function keyFromStdin(): Promise<Buffer> {
  const text = (await readFirstLine()).trim();
  if (!isInstanceKey(text)) throw new CommandFailure('standard input does not hold an instance key (base64 of at least 32 random bytes)');
  return Buffer.from(text, 'base64');
}
