/**
 * `cast correlation relink`: links every report again from its identifiers' blind indexes — after
 * the warning list or the cap changed, after a restore or an import. Existing links keep their
 * status (confirmed stays confirmed); identifiers now over the cap are marked common. Safe to run
 * while the instance runs, and again if interrupted.
 */
import { loadInstanceKey } from '../core/keys.ts';
import { optional, parse } from './args.ts';
import { withDatabase } from './context.ts';
import { UsageError } from './errors.ts';

export async function run(args: string[]): Promise<number> {
  const parsed = parse('correlation relink', args, { cap: { type: 'string' } });
  const capText = optional(parsed, 'cap');
  const cap = capText === undefined ? undefined : Number(capText);
  if (cap !== undefined && (!Number.isInteger(cap) || cap < 2 || cap > 100_000)) throw new UsageError('--cap must be a whole number from 2 to 100000', 'correlation relink');
  // Loaded here: the modules bring the whole application with them.
  const [{ openKeyring }, { linkerOptions, relinkAll }] = await Promise.all([import('../core/data-keys.ts'), import('../modules/correlation/index.ts')]);
  const started = Date.now();
  const totals = await withDatabase(async (database, config) => {
    const keyring = await openKeyring(database.db, loadInstanceKey(config));
    try {
      // The blind-index key as the server has it (pinned after `cast keys rewrap`).
      const options = linkerOptions({ keys: keyring.keys }, cap === undefined ? {} : { commonCap: cap });
      let last = 0;
      return await relinkAll(database.db, options, (done) => {
        if (Date.now() - last > 5000) {
          last = Date.now();
          console.log(`${done.identifiers} shared identifiers, ${done.links} links so far`);
        }
      });
    } finally {
      await keyring.close();
    }
  });
  console.log(`relinked: ${totals.identifiers} shared identifiers, ${totals.links} exact links, ${totals.common} common identifiers, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
