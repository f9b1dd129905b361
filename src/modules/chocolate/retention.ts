/**
 * Chocolate action e-mail retention (decision 0024): a confirmed request's personal data serves only
 * to send its messages and, some weeks later, to ask whether the company replied. Once every message
 * is sent or rejected, and every sent one's reply question has gone, the request is erased some days
 * later: name, address, subject, message, the address's keyed hash, the used token's hash and the
 * letter's signature and bands. The request keeps its campaign, companies, language and dates; its
 * messages keep company, status, dates and reply, so the public totals and the replies tally stay
 * exactly as they were (a late answer to a reply question still counts: it needs only the message).
 *
 * Unconfirmed requests are not this rule's: the hourly sweep deletes them when their link expires.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';

/**
 * Erases up to `limit` confirmed requests whose messages all went out or were rejected before
 * `before` (and were asked about); returns how many. Locked and skipped when another run holds them,
 * so two runs erase each request once; an erased request never matches again.
 */
export async function eraseSettledActionRequests(db: Kysely<Tables>, before: Date, now: Date, limit: number): Promise<number> {
  const result = await sql<{ erased: number }>`
    with due as (
      select r.id from chocolate_action_requests r
      where r.erased_at is null and r.confirmed_at is not null and r.confirmed_at < ${before}
        and r.review is distinct from 'held' and (r.reviewed_at is null or r.reviewed_at < ${before})
        and not exists (
          select 1 from chocolate_action_messages m
          where m.request_id = r.id
            and (m.status in ('queued', 'held') or m.sent_at >= ${before} or (m.status = 'sent' and m.reply_asked_at is null)))
      order by r.confirmed_at
      limit ${limit}
      for update of r skip locked
    ), erased as (
      update chocolate_action_requests r
      set email_hash = null, name_sealed = null, email_sealed = null, subject_sealed = null, message_sealed = null,
        token_hash = null, signature = null, erased_at = ${now}
      from due where r.id = due.id
      returning r.id
    ), messages as (
      update chocolate_action_messages m set email_hash = null from erased where m.request_id = erased.id
    ), bands as (
      delete from chocolate_message_bands b using erased where b.request_id = erased.id
    )
    select count(*)::int as erased from erased`.execute(db);
  return Number(result.rows[0]?.erased ?? 0);
}
