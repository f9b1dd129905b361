/**
 * Events retention (decision 0018): sign-ups (name and address, sealed) are only needed to tell people
 * about changes and to let organisers see who is coming. Some days after an event has ended they are
 * deleted; the event keeps its count of people signed up.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';

/** Deletes up to `limit` sign-ups to events that ended before `before`. Returns how many. */
export async function forgetPastRegistrations(db: Kysely<Tables>, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from event_registrations where id in (
      select r.id from events e join event_registrations r on r.event_id = e.id where e.ends_at < ${before} limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
