/** What the HTTP application and its modules are built from. */
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { FieldSealer } from './field-sealer.ts';
import type { Jobs } from './jobs.ts';
import type { Keys } from './keys.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  keys: Keys;
  /** Seals and opens restricted fields under the data keys. */
  sealer: FieldSealer;
  jobs: Jobs;
}
