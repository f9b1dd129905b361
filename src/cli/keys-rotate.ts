/**
 * `cast keys rotate`: re-encrypts every sealed field under a fresh data key while the instance keeps
 * running (see keys-rotation.ts). On PGlite no server can be running (the data directory is locked),
 * so there is nobody to wait for.
 */
import { KEY_REFRESH_MS } from '../core/data-keys.ts';
import { loadInstanceKey } from '../core/keys.ts';
import { optional, parse } from './args.ts';
import { withDatabase } from './context.ts';
import { UsageError } from './errors.ts';

/** Two checks by every running process, plus slack for a slow request that sealed just before. */
export const DEFAULT_WAIT_SECONDS = Math.ceil((2 * KEY_REFRESH_MS + 2_000) / 1000);

export async function run(args: string[]): Promise<number> {
  const parsed = parse('keys rotate', args, { wait: { type: 'string' } });
  const waitText = optional(parsed, 'wait');
  const waitSeconds = waitText === undefined ? DEFAULT_WAIT_SECONDS : Number(waitText);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 3600) throw new UsageError('--wait must be a whole number of seconds from 0 to 3600', 'keys rotate');
  // Loaded here: the modules that list sealed columns bring the whole application with them.
  const [{ rotateDataKeys }, { SEALED_COLUMNS }] = await Promise.all([import('./keys-rotation.ts'), import('./keys-sealed-columns.ts')]);
  const result = await withDatabase((database, config) =>
    rotateDataKeys(database.db, loadInstanceKey(config), {
      columns: SEALED_COLUMNS,
      waitMs: database.engine === 'pglite' ? 0 : waitSeconds * 1000,
      log: (line) => console.log(line),
    }),
  );
  console.log(`rotation done: every sealed value is under data key ${result.keyId}`);
  return 0;
}
