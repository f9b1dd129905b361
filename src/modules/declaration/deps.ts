/** What the declaration module's use cases are built from. */
import type { Kysely } from 'kysely';
import type { Config } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import type { Language } from '../../core/i18n.ts';
import type { Jobs } from '../../core/jobs.ts';
import type { Keys } from '../../core/keys.ts';

export interface DeclarationsDeps {
  db: Kysely<Tables>;
  jobs: Jobs;
  config: Config;
  keys: Keys;
  sealer: FieldSealer;
  /**
   * Starts the newsletter's double opt-in to its general list for a confirmed signer who ticked
   * "keep me informed", after the confirmation committed. The choice is also kept on the signature.
   */
  optIn?: ((db: Kysely<Tables>, person: { email: string; language: Language }) => Promise<void>) | undefined;
}
