/** Helpers for the events module's tests (module and browser). */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { CHANGE_NOTICE_JOB } from './change-notices.ts';

/**
 * As if the event's change notice window had passed: its due time and the start of the job queued for
 * it move to now, so the job the change queued sends it as it would after the window. Tests change
 * times in the database instead of waiting (as the matrix test does with an expired session).
 */
export async function changeNoticeDueNow(db: Kysely<Tables>, eventId: string): Promise<void> {
  await sql`update events set notice_due = now() where id = ${eventId} and notice_due is not null`.execute(db);
  await sql`update pgboss.job set start_after = now() where name = ${CHANGE_NOTICE_JOB} and state = 'created' and data->>'eventId' = ${eventId}`.execute(db);
}

/** Jobs queued to send change notices for this event, by state. */
export async function changeNoticeJobs(db: Kysely<Tables>, eventId: string): Promise<string[]> {
  const { rows } = await sql<{ state: string }>`select state::text as state from pgboss.job where name = ${CHANGE_NOTICE_JOB} and data->>'eventId' = ${eventId} order by created_on`.execute(db);
  return rows.map((row) => row.state);
}
