/**
 * Newsletter retention (decision 0018): a subscriber on no list, or whose address is suppressed, is
 * deleted some days later, as if they had erased their data themselves (subscriptions and delivery
 * rows go with the row). Suppressions stay: the keyed hash is all that honouring a bounce or a
 * complaint needs, and it holds no address.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';

/** Deletes up to `limit` subscribers on no list since before `before`, or suppressed since before it. Returns how many. */
export async function eraseLapsedSubscribers(db: Kysely<Tables>, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from newsletter_subscribers where id in (
      select id from newsletter_subscribers where unsubscribed_at < ${before}
      union
      select s.id from newsletter_suppressions x join newsletter_subscribers s on s.email_hash = x.email_hash where x.suppressed_at < ${before}
      limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
