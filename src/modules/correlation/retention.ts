/**
 * What the retention job asks of correlation (decision 0018): which reports must keep their details
 * because they are part of the intelligence picture, and forgetting the correlation rows of reports
 * reduced to statistics, so nothing left can link them again.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { deleteEncodingsOf, own } from './store.ts';

type Db = Kysely<Tables>;

/** Those of `reportIds` in a network or holding a confirmed link: a coordinator decided they belong to a pattern. */
export async function reportsHeldByCorrelation(db: Db, reportIds: readonly string[]): Promise<Set<string>> {
  if (reportIds.length === 0) return new Set();
  const ids = [...reportIds];
  // One after the other: inside the caller's transaction there is one connection.
  const inNetworks = await own(db).selectFrom('network_reports').select('report_id').where('report_id', 'in', ids).execute();
  const linked = await own(db)
    .selectFrom('report_links')
    .select(['report_a', 'report_b'])
    .where('status', '=', 'confirmed')
    .where((eb) => eb.or([eb('report_a', 'in', ids), eb('report_b', 'in', ids)]))
    .execute();
  const wanted = new Set(ids);
  const held = new Set(inNetworks.map((r) => r.report_id));
  for (const link of linked) for (const id of [link.report_a, link.report_b]) if (wanted.has(id)) held.add(id);
  return held;
}

/**
 * Drops every link (proposed or dismissed: their reasons carry blind indexes), fuzzy encoding and
 * place-and-time row of these reports. Their LSH bands are left, as after any encoding is dropped:
 * a band whose encoding is gone points at nothing.
 */
export async function forgetReports(db: Db, reportIds: readonly string[]): Promise<void> {
  if (reportIds.length === 0) return;
  const ids = [...reportIds];
  await own(db).deleteFrom('report_links').where((eb) => eb.or([eb('report_a', 'in', ids), eb('report_b', 'in', ids)])).execute();
  await deleteEncodingsOf(db, ids);
  await own(db).deleteFrom('correlation_places').where('report_id', 'in', ids).execute();
}
