/** What the privacy notice states, read from the configuration and the operators' settings, so the page says what the instance does. */
import type { Kysely } from 'kysely';
import type { RetentionPeriods } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import { signatureErasureDays } from '../declaration/index.ts';

export interface PrivacyFacts extends RetentionPeriods {
  /** Days after a declaration closes before its signers' data is erased. */
  declarationDays: number;
}

export async function privacyFacts(db: Kysely<Tables>, periods: RetentionPeriods): Promise<PrivacyFacts> {
  return { ...periods, declarationDays: await signatureErasureDays(db) };
}
