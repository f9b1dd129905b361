/**
 * `cast correlation relink`: links every report again from its identifiers' blind indexes — after
 * the warning list or the cap changed, after a restore or an import. Existing links keep their
 * status (confirmed stays confirmed); identifiers now over the cap are marked common. With
 * `--encodings` it also rebuilds every fuzzy encoding (addresses, place descriptions, names) from the
 * sealed fields, opened with the data keys, and proposes the links they find — after a change of
 * the blind-index key or of the encoding. Safe to run while the instance runs, and again if
 * interrupted: the rebuild resumes where it stopped (`--restart` starts it again).
 */
import { loadInstanceKey } from '../core/keys.ts';
import { optional, parse } from './args.ts';
import { withDatabase } from './context.ts';
import { UsageError } from './errors.ts';

export async function run(args: string[]): Promise<number> {
  const parsed = parse('correlation relink', args, { cap: { type: 'string' }, encodings: { type: 'boolean' }, restart: { type: 'boolean' }, batch: { type: 'string' } });
  const capText = optional(parsed, 'cap');
  const cap = capText === undefined ? undefined : Number(capText);
  if (cap !== undefined && (!Number.isInteger(cap) || cap < 2 || cap > 100_000)) throw new UsageError('--cap must be a whole number from 2 to 100000', 'correlation relink');
  const encodings = parsed.values.encodings === true;
  const restart = parsed.values.restart === true;
  const batchText = optional(parsed, 'batch');
  const batch = batchText === undefined ? undefined : Number(batchText);
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1 || batch > 10_000)) throw new UsageError('--batch must be a whole number from 1 to 10000', 'correlation relink');
  if (!encodings && (restart || batch !== undefined)) throw new UsageError('--restart and --batch go with --encodings', 'correlation relink');
  // Loaded here: the modules bring the whole application with them.
  const [{ openKeyring }, { createLinker, linkerOptions, rebuildEncodings, relinkAll }] = await Promise.all([import('../core/data-keys.ts'), import('../modules/correlation/index.ts')]);
  const started = Date.now();
  await withDatabase(async (database, config) => {
    const keyring = await openKeyring(database.db, loadInstanceKey(config));
    try {
      // The blind-index key as the server has it (pinned after `cast keys rewrap`).
      const options = linkerOptions({ keys: keyring.keys }, cap === undefined ? {} : { commonCap: cap });
      let last = 0;
      const totals = await relinkAll(database.db, options, (done) => {
        if (Date.now() - last > 5000) {
          last = Date.now();
          console.log(`${done.identifiers} shared identifiers, ${done.links} links so far`);
        }
      });
      console.log(`relinked: ${totals.identifiers} shared identifiers, ${totals.links} exact links, ${totals.common} common identifiers, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (!encodings) return;
      const rebuilt = await rebuildEncodings(database.db, keyring, createLinker(options), {
        restart,
        ...(batch === undefined ? {} : { batch }),
        progress: (done) => {
          if (Date.now() - last > 5000) {
            last = Date.now();
            console.log(`${done.phase}: ${done.reports} reports, ${done.encodings} encodings, ${done.links} fuzzy links, ${done.bandsDeleted} old bands removed so far`);
          }
        },
      });
      console.log(
        `encodings rebuilt${rebuilt.resumed ? ' (resumed)' : ''}: ${rebuilt.reports} reports, ${rebuilt.encodings} encodings, ${rebuilt.links} fuzzy links proposed or found again, ${rebuilt.bandsDeleted} old bands removed, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await keyring.close();
    }
  });
  return 0;
}
