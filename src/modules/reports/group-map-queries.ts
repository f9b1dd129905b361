/**
 * What the group, national and members' maps may read of reports (the map module's way in; see
 * `map-queries.ts` for the public map's). Aggregates come from `report_map_cells`, the per-holder
 * counts kept by triggers (migrations/0010), whenever the filters allow; otherwise from the reports
 * through their indexes. Sealed points are returned sealed: the caller opens only what it draws, and
 * audits it.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { own } from './store.ts';
import type { ReportsTable, ReportStatus } from './tables.ts';

type Db = Kysely<Tables>;

/** Whose reports: one group's, one country's national inbox, or everything of a country. */
export type MapScope = { groupId: string } | { country: string; inboxOnly?: boolean };

/** The same narrowing as the map module's report filters (kept structural so neither imports the other's types). */
export interface MapReportFilters {
  from?: string;
  to?: string;
  statuses?: readonly ReportStatus[];
  grades?: readonly { source?: number; assessment?: string; handling?: string }[];
  types?: readonly string[];
  indicators?: readonly string[];
  placeTypes?: readonly string[];
}

export interface CellTypeCount {
  cell: string;
  /** A taxonomy exploitation type, or '*' for all reports of the cell. */
  type: string;
  count: number;
}

const NATIONAL_KEY = '00000000-0000-0000-0000-000000000000';

interface MapCellsTable {
  country: string;
  group_key: string;
  h3_cell: string;
  status: string;
  exploitation_type: string;
  reports: number;
}

const cellsDb = (db: Db) => db.withTables<{ report_map_cells: MapCellsTable }>();

type ReportsEb = ExpressionBuilder<{ reports: ReportsTable }, 'reports'>;

function scopeWhere(eb: ReportsEb, scope: MapScope): Expression<SqlBool> {
  if ('groupId' in scope) return eb('reports.group_id', '=', scope.groupId);
  return scope.inboxOnly ? eb.and([eb('reports.country', '=', scope.country), eb('reports.group_id', 'is', null)]) : eb('reports.country', '=', scope.country);
}

function filterWhere(eb: ReportsEb, filters: MapReportFilters): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (filters.from) parts.push(eb('reports.received_on', '>=', filters.from));
  if (filters.to) parts.push(eb('reports.received_on', '<=', filters.to));
  if (filters.statuses?.length) parts.push(eb('reports.status', 'in', [...filters.statuses]));
  if (filters.grades?.length) {
    parts.push(
      eb.or(
        filters.grades.map((g) => {
          const all: Expression<SqlBool>[] = [eb('reports.grade_source', 'is not', null)];
          if (g.source !== undefined) all.push(eb('reports.grade_source', '=', g.source));
          if (g.assessment !== undefined) all.push(eb('reports.grade_assessment', '=', g.assessment));
          if (g.handling !== undefined) all.push(eb('reports.grade_handling', '=', g.handling));
          return eb.and(all);
        }),
      ),
    );
  }
  if (filters.types?.length) parts.push(sql<SqlBool>`reports.exploitation_types && ${sql.val([...filters.types])}::text[]`);
  if (filters.indicators?.length) parts.push(sql<SqlBool>`reports.indicators && ${sql.val([...filters.indicators])}::text[]`);
  if (filters.placeTypes?.length) parts.push(eb('reports.place_type', 'in', [...filters.placeTypes]));
  return eb.and(parts);
}

/** True when `report_map_cells` can answer: only statuses, and at most one exploitation type. */
function countsAnswer(filters: MapReportFilters): boolean {
  return !filters.from && !filters.to && !filters.grades?.length && !filters.indicators?.length && !filters.placeTypes?.length && (filters.types?.length ?? 0) <= 1;
}

/**
 * Report counts per stored cell (resolution 7) and exploitation type ('*' = all) for the scope and
 * filters, reports without a cell left out. Under a one-type filter, '*' counts that type's reports.
 */
export async function countReportsByCell(db: Db, scope: MapScope, filters: MapReportFilters): Promise<CellTypeCount[]> {
  if (countsAnswer(filters)) {
    let query = cellsDb(db)
      .selectFrom('report_map_cells')
      .select(['h3_cell', 'exploitation_type', sql<string>`sum(reports)`.as('count')])
      .where('reports', '>', 0);
    if ('groupId' in scope) query = query.where('group_key', '=', scope.groupId);
    else {
      query = query.where('country', '=', scope.country);
      if (scope.inboxOnly) query = query.where('group_key', '=', NATIONAL_KEY);
    }
    if (filters.statuses?.length) query = query.where('status', 'in', [...filters.statuses]);
    const type = filters.types?.[0];
    if (type) query = query.where('exploitation_type', '=', type);
    const rows = await query.groupBy(['h3_cell', 'exploitation_type']).execute();
    const out = rows.map((r) => ({ cell: r.h3_cell, type: r.exploitation_type, count: Number(r.count) }));
    return type ? out.flatMap((r) => [r, { ...r, type: '*' }]) : out;
  }
  const rows = await own(db)
    .selectFrom('reports')
    .select(['h3_cell', 'exploitation_types', sql<string>`count(*)`.as('count')])
    .where('h3_cell', 'is not', null)
    .where((eb) => eb.and([scopeWhere(eb, scope), filterWhere(eb, filters)]))
    .groupBy(['h3_cell', 'exploitation_types'])
    .execute();
  const totals = new Map<string, number>();
  const add = (cell: string, type: string, count: number) => totals.set(`${cell} ${type}`, (totals.get(`${cell} ${type}`) ?? 0) + count);
  for (const row of rows) {
    const count = Number(row.count);
    add(row.h3_cell!, '*', count);
    for (const t of new Set(row.exploitation_types)) if (!filters.types?.length || filters.types.includes(t)) add(row.h3_cell!, t, count);
  }
  return [...totals].map(([key, count]) => {
    const [cell, type] = key.split(' ') as [string, string];
    return { cell, type, count };
  });
}

export interface SealedMapPoint {
  id: string;
  reference: string;
  exploitationTypes: string[];
  cell: string;
  locationSealed: string;
}

/** Reports of the scope and filters in these stored cells that have a sealed place, at most `limit`. */
export async function reportsInCells(db: Db, scope: MapScope, filters: MapReportFilters, cells: readonly string[], limit: number): Promise<SealedMapPoint[]> {
  if (cells.length === 0) return [];
  const rows = await own(db)
    .selectFrom('reports')
    .select(['id', 'reference', 'exploitation_types', 'h3_cell', 'location_sealed'])
    .where('h3_cell', 'in', [...cells])
    .where('location_sealed', 'is not', null)
    .where((eb) => eb.and([scopeWhere(eb, scope), filterWhere(eb, filters)]))
    .orderBy('received_on', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, reference: r.reference, exploitationTypes: r.exploitation_types, cell: r.h3_cell!, locationSealed: r.location_sealed! }));
}

/** A member's own reports held by this group, with their sealed place (newest first, at most `limit`). */
export async function ownReportsInGroup(db: Db, reporterId: string, groupId: string, limit: number): Promise<SealedMapPoint[]> {
  const rows = await own(db)
    .selectFrom('reports')
    .select(['id', 'reference', 'exploitation_types', 'h3_cell', 'location_sealed'])
    .where('reporter_id', '=', reporterId)
    .where('group_id', '=', groupId)
    .where('location_sealed', 'is not', null)
    .where('h3_cell', 'is not', null)
    .orderBy('received_on', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, reference: r.reference, exploitationTypes: r.exploitation_types, cell: r.h3_cell!, locationSealed: r.location_sealed! }));
}

/**
 * Counts per stored cell and period for hotspots: period 0 is the `days` days ending on `lastDay`,
 * period n the `days` days before period n − 1, back to period `periods − 1`.
 */
export async function countReportsByCellAndPeriod(
  db: Db,
  scope: MapScope,
  filters: MapReportFilters,
  lastDay: string,
  days: number,
  periods: number,
): Promise<{ cell: string; period: number; count: number }[]> {
  const periodExpr = sql<number>`((${sql.val(lastDay)}::date - reports.received_on) / ${sql.val(days)}::int)`;
  const rows = await own(db)
    .selectFrom('reports')
    .select(['h3_cell', periodExpr.as('period'), sql<string>`count(*)`.as('count')])
    .where('h3_cell', 'is not', null)
    .where('received_on', '<=', lastDay)
    .where(sql<SqlBool>`reports.received_on > ${sql.val(lastDay)}::date - ${sql.val(days * periods)}::int`)
    .where((eb) => eb.and([scopeWhere(eb, scope), filterWhere(eb, { ...filters, from: undefined, to: undefined })]))
    // By position: the period expression's parameters would not match a repeated expression.
    .groupBy([sql`1`, sql`2`])
    .execute();
  return rows.map((r) => ({ cell: r.h3_cell!, period: Number(r.period), count: Number(r.count) }));
}
