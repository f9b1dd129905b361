/** What other parts of CAST may use from the newsletter module. Signatures here stay stable. */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { Language } from '../../core/i18n.ts';
import type { Outcome } from '../../core/outcome.ts';
import type { SealedColumn } from '../../core/field-sealer.ts';
import type { NewsletterDeps } from './deps.ts';
import { requestSubscription } from './subscription.ts';

export type { NewsletterDeps } from './deps.ts';

/**
 * Starts a double opt-in subscription to the general list: e-mails the person a confirmation link,
 * enqueued in `db` (pass your transaction, so the mail goes only if your change commits). Nothing is
 * stored as subscribed until they follow the link. Invalid input comes back as field errors
 * (`email`, `name`) with i18n keys. `deps` is what AppDeps already holds: { db, jobs, keys, sealer, config }.
 */
export function startGeneralSubscription(deps: NewsletterDeps, db: Kysely<Tables>, person: { email: string; name?: string | null; language: Language }): Promise<Outcome<{ email: string }>> {
  return requestSubscription(deps, db, { email: person.email, name: person.name ?? undefined, lists: ['general'], language: person.language });
}

export { newsletterRoutes } from './routes.tsx';
export { defineNewsletterJobs, scheduleNewsletterJobs, type SenderDeps } from './sender.ts';
export { eraseLapsedSubscribers } from './retention.ts';

/** Every column holding sealed values, so `cast keys rotate` can re-encrypt them all. */
export const sealedColumns: readonly SealedColumn[] = [{ table: 'newsletter_subscribers', key: 'id', columns: ['email_sealed', 'name_sealed'] }];
