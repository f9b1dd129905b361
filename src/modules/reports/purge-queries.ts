/**
 * Reducing old reports to statistics (retention, decision 0018), for the retention module, which
 * decides which reports are due and which must be kept (networks, disclosures, confirmed links).
 *
 * What a purge keeps is what statistics, maps and routes read: country, holder, coarse cell, the day
 * received, the observation dates at month, place type, types, indicators, people counts, route
 * facts, grade and status. Everything restricted goes: the sealed account, place, vehicles, contact
 * and names, every identifier (sealed value and blind index), the reporter's additions, coordinators'
 * notes, the sanitised summary and handling conditions, who reported it and who it was assigned to.
 * The map cells and route flows (triggers on reports) see no change, so public totals stay as they were.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { own } from './store.ts';

type Db = Kysely<Tables>;

/** Where a walk through the reports due for purging stands: the last report seen. */
export interface PurgeCursor {
  receivedOn: string;
  id: string;
}

/**
 * The next reports received before `before` (YYYY-MM-DD) and not yet purged, after `after`, locked
 * FOR UPDATE in this transaction. Rows another runner has locked are skipped (it purges them), and a
 * disclosure or network taking a report waits for this transaction (its foreign key check locks the
 * report row), so what the caller checks after this call holds until it commits.
 */
export async function lockReportsDueForPurge(db: Db, before: string, after: PurgeCursor | null, limit: number): Promise<{ ids: string[]; last: PurgeCursor | null }> {
  const from = after ? sql`and (received_on, id) > (${after.receivedOn}::date, ${after.id}::uuid)` : sql``;
  const rows = await sql<{ id: string; received_on: string }>`
    select id, to_char(received_on, 'YYYY-MM-DD') as received_on from reports
     where purged_on is null and received_on < ${before}::date ${from}
     order by received_on, id
     limit ${limit}
     for update skip locked`.execute(db);
  const last = rows.rows.at(-1);
  return { ids: rows.rows.map((r) => r.id), last: last ? { receivedOn: last.received_on, id: last.id } : null };
}

/** Reduces these (locked) reports to statistics and marks them purged on `day`. Returns how many. */
export async function purgeReports(db: Db, ids: readonly string[], day: string): Promise<number> {
  if (ids.length === 0) return 0;
  // Identifiers of additions go with the additions (cascade); the rest here.
  await own(db).deleteFrom('report_identifiers').where('report_id', 'in', ids).execute();
  await own(db).deleteFrom('report_additions').where('report_id', 'in', ids).execute();
  await own(db).updateTable('report_events').set({ note_sealed: null }).where('report_id', 'in', ids).where('note_sealed', 'is not', null).execute();
  const result = await own(db)
    .updateTable('reports')
    .set({
      location_sealed: null,
      narrative_sealed: null,
      vehicles_sealed: null,
      contact_sealed: null,
      names_sealed: null,
      contact_consent: false,
      summary: null,
      handling_conditions: null,
      reporter_id: null,
      assigned_to: null,
      observed_time: null,
      observed_from: sql<string>`date_trunc('month', observed_from)::date`,
      observed_to: sql<string>`date_trunc('month', observed_to)::date`,
      unread_additions: false,
      purged_on: day,
    })
    .where('id', 'in', ids)
    .where('purged_on', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
