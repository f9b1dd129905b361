/**
 * What the map module may read of reports: aggregates and the fields maps draw, never a restricted
 * field. The map module owns no report rows; these functions are its only way in.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { own } from './store.ts';
import type { ReportStatus } from './tables.ts';

type Db = Kysely<Tables>;

/**
 * Reports the public map counts: reviewed at least once (triaged, graded, shared, closed). Received
 * reports wait for a coordinator: nobody has looked at them, so a flood of invented reports could pad
 * a cell up to the threshold and so reveal whether a real one is there. Rejected reports were judged
 * not credible; a duplicate is counted through the report it was merged into.
 */
export const PUBLIC_MAP_STATUSES: readonly ReportStatus[] = ['triaged', 'graded', 'shared', 'closed'];

export interface PublicMapCount {
  /** The stored H3 cell (resolution 7). */
  cell: string;
  exploitationTypes: string[];
  year: number;
  count: number;
}

/**
 * Counts of publishable reports per stored cell, exploitation types (as reported) and year received,
 * for reports received on or before `receivedUpTo` (YYYY-MM-DD). Reports without a cell are left out.
 */
export async function countReportsForPublicMap(db: Db, receivedUpTo: string): Promise<PublicMapCount[]> {
  const rows = await own(db)
    .selectFrom('reports')
    .select([
      'h3_cell',
      'exploitation_types',
      sql<number>`extract(year from received_on)::int`.as('year'),
      sql<string>`count(*)`.as('count'),
    ])
    .where('h3_cell', 'is not', null)
    .where('status', 'in', PUBLIC_MAP_STATUSES)
    .where('received_on', '<=', receivedUpTo)
    .groupBy(['h3_cell', 'exploitation_types', sql`extract(year from received_on)::int`])
    .execute();
  return rows.map((row) => ({ cell: row.h3_cell!, exploitationTypes: row.exploitation_types, year: Number(row.year), count: Number(row.count) }));
}
