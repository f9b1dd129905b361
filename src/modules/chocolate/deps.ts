/** What the chocolate module's use cases are given. */
import type { Kysely } from 'kysely';
import type { Config } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import type { Jobs } from '../../core/jobs.ts';
import type { Keys } from '../../core/keys.ts';

export interface ChocolateDeps {
  db: Kysely<Tables>;
  jobs: Jobs;
  config: Pick<Config, 'publicUrl' | 'chocolateHoldAfter'>;
  sealer: FieldSealer;
  keys: Pick<Keys, 'blindIndex' | 'throttle'>;
}
