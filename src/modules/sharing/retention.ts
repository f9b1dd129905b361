/** What the retention job asks of sharing (decision 0018): a disclosed report keeps its details, since a partner holds them. */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { SharingTables } from './tables.ts';

/** Those of `reportIds` included in any disclosure (awaiting approval, sent or acknowledged). */
export async function reportsHeldBySharing(db: Kysely<Tables>, reportIds: readonly string[]): Promise<Set<string>> {
  if (reportIds.length === 0) return new Set();
  const rows = await db.withTables<SharingTables>().selectFrom('disclosure_reports').select('report_id').distinct().where('report_id', 'in', [...reportIds]).execute();
  return new Set(rows.map((r) => r.report_id));
}
