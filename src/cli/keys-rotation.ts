/**
 * Data-key rotation, used by `cast keys rotate`: a new key becomes current, running processes are
 * given time to notice it (they check every KEY_REFRESH_MS), then every registered sealed column is
 * re-encrypted in small batches until nothing is left under an older key, and the older keys are
 * marked retired. Each batch commits on its own and only replaces a value nobody changed meanwhile,
 * so the instance keeps running, and a rotation killed midway is finished by running it again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { appendAudit } from '../core/audit.ts';
import { createCurrentKey, openKeyring, type Keyring } from '../core/data-keys.ts';
import type { Tables } from '../core/db/tables.ts';
import type { SealedColumn } from '../core/field-sealer.ts';

export interface RotationOptions {
  columns: readonly SealedColumn[];
  /** How long to let running processes switch to the new key before re-encrypting. */
  waitMs: number;
  batchSize?: number;
  /** Passes over the columns before giving up on values that keep appearing under old keys. */
  maxPasses?: number;
  log?: (line: string) => void;
}

export interface RotationResult {
  keyId: number;
  /** An earlier, interrupted rotation was finished instead of starting another. */
  resumed: boolean;
  reencrypted: number;
  retired: number[];
}

const BATCH_SIZE = 500;
const MAX_PASSES = 10;

export async function rotateDataKeys(db: Kysely<Tables>, instanceKey: Buffer, options: RotationOptions): Promise<RotationResult> {
  const log = options.log ?? (() => {});
  // No periodic check: this process re-reads the keys itself when it needs to.
  const keyring = await openKeyring(db, instanceKey, { refreshMs: 2 ** 30 });
  try {
    const { rows: previous } = await sql<{ id: number }>`select id from data_keys where state = 'previous'`.execute(db);
    const resumed = previous.length > 0;
    if (resumed) {
      log(`finishing an earlier rotation to data key ${keyring.currentKeyId}`);
    } else {
      const id = await createCurrentKey(db, instanceKey);
      await keyring.reload();
      log(`data key ${id} is now current`);
    }
    const keyId = keyring.currentKeyId;
    if (options.waitMs > 0) {
      log(`waiting ${Math.ceil(options.waitMs / 1000)} s for running processes to start sealing with it`);
      await sleep(options.waitMs);
    }

    let reencrypted = 0;
    for (let pass = 1; ; pass += 1) {
      await keyring.reload();
      if (keyring.currentKeyId !== keyId) throw new Error(`another rotation made data key ${keyring.currentKeyId} current meanwhile; run the command again to finish`);
      for (const column of options.columns) reencrypted += await reencryptTable(db, keyring, column, keyId, options.batchSize ?? BATCH_SIZE);
      const left = await countStale(db, options.columns, keyId);
      if (left === 0) break;
      // Written by a process that had not switched yet, or changed under us: another pass picks them up.
      if (pass >= (options.maxPasses ?? MAX_PASSES)) {
        throw new Error(`${left} values are still sealed under older keys after ${pass} passes; is a process running that does not check for new keys? Run the command again to finish`);
      }
      await sleep(200);
    }
    log(`re-encrypted ${reencrypted} values`);

    const retired = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: number }>`
        update data_keys set state = 'retired', retired_at = now() where state = 'previous' and id <> ${keyId} returning id`.execute(trx);
      const ids = rows.map((row) => row.id).sort((a, b) => a - b);
      await appendAudit(trx, { actorId: null, action: 'keys.rotated', subject: `data-key:${keyId}`, detail: { keyId, resumed, reencrypted, retired: ids } });
      return ids;
    });
    if (retired.length > 0) log(`retired data keys ${retired.join(', ')} (kept: they still open old backups)`);
    return { keyId, resumed, reencrypted, retired };
  } finally {
    await keyring.close();
  }
}

/** Values not sealed under the current key: null and current-key values are left alone. */
function staleCondition(columns: readonly string[], keyId: number) {
  const prefix = `k${keyId}.%`;
  return sql.join(
    columns.map((column) => sql`(${sql.ref(column)} is not null and ${sql.ref(column)} not like ${prefix})`),
    sql` or `,
  );
}

async function countStale(db: Kysely<Tables>, columns: readonly SealedColumn[], keyId: number): Promise<number> {
  let total = 0;
  for (const column of columns) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(column.table)} where ${staleCondition(column.columns, keyId)}`.execute(db);
    total += rows[0]!.n;
  }
  return total;
}

/**
 * One pass over a table in key order. Values are opened and sealed outside any transaction (no
 * locks held while decrypting); each batch's updates then commit together, each only if the value
 * is still the one that was read.
 */
async function reencryptTable(db: Kysely<Tables>, keyring: Keyring, target: SealedColumn, keyId: number, batchSize: number): Promise<number> {
  const prefix = `k${keyId}.`;
  const table = sql.table(target.table);
  const key = sql.ref(target.key);
  const selected = sql.join([sql`${key} as "key"`, ...target.columns.map((column) => sql.ref(column))]);
  let after: unknown;
  let done = 0;
  for (;;) {
    const { rows } = await sql<Record<string, string | null> & { key: unknown }>`
      select ${selected} from ${table}
      where (${staleCondition(target.columns, keyId)}) ${after === undefined ? sql`` : sql`and ${key} > ${after}`}
      order by ${key} limit ${batchSize}`.execute(db);
    if (rows.length === 0) return done;
    const updates: { key: unknown; column: string; from: string; to: string }[] = [];
    for (const row of rows) {
      for (const column of target.columns) {
        const value = row[column];
        if (typeof value === 'string' && !value.startsWith(prefix)) updates.push({ key: row.key, column, from: value, to: keyring.seal(await keyring.unseal(value)) });
      }
    }
    await db.transaction().execute(async (trx) => {
      for (const update of updates) {
        const column = sql.ref(update.column);
        const result = await sql`update ${table} set ${column} = ${update.to} where ${key} = ${update.key} and ${column} = ${update.from}`.execute(trx);
        done += Number(result.numAffectedRows ?? 0);
      }
    });
    after = rows.at(-1)!.key;
  }
}
