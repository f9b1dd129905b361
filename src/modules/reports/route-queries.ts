/**
 * What the routes module may read of reports: counts of reports per route leg (from country → to
 * country), from `report_route_flows` (migrations/0013), kept by triggers on `reports`. Country
 * codes and counts only; the reports table itself is never read here.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';

type Db = Kysely<Tables>;

/** Whose reports: one group's, or every report made in a country (its groups' and its national inbox). */
export type RouteScope = { groupId: string } | { country: string };

export interface RouteFilters {
  /** First month received, 'YYYY-MM-01', inclusive. */
  fromMonth: string;
  /** Last month received, 'YYYY-MM-01', inclusive. */
  toMonth: string;
  /** Only reports of this exploitation type (a taxonomy id); all reports when absent. */
  type?: string | undefined;
  /** Only reports a coordinator has looked at (triaged, graded, shared, closed). */
  reviewedOnly?: boolean;
}

export interface RouteLegCount {
  from: string;
  to: string;
  reports: number;
}

/** A public-statistics leaf: reports sharing a leg, an exact set of exploitation types and a year. */
export interface RouteLeaf extends RouteLegCount {
  year: number;
  types: string[];
}

const COUNTRY_KEY = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

interface RouteFlowsTable {
  group_key: string;
  country: string;
  month: string;
  reviewed: boolean;
  exploitation_types: string[];
  from_country: string;
  to_country: string;
  reports: number;
}

const flowsDb = (db: Db) => db.withTables<{ report_route_flows: RouteFlowsTable }>();

/** Reports per leg for the scope and filters; a report naming several legs counts once on each. */
export async function countRouteLegs(db: Db, scope: RouteScope, filters: RouteFilters): Promise<RouteLegCount[]> {
  let query = flowsDb(db)
    .selectFrom('report_route_flows')
    .select(['from_country', 'to_country', sql<string>`sum(reports)`.as('reports')])
    .where('month', '>=', filters.fromMonth)
    .where('month', '<=', filters.toMonth);
  query = 'groupId' in scope ? query.where('group_key', '=', scope.groupId) : query.where('group_key', '=', COUNTRY_KEY).where('country', '=', scope.country);
  if (filters.reviewedOnly) query = query.where('reviewed', '=', true);
  if (filters.type) query = query.where(sql<SqlBool>`exploitation_types @> array[${filters.type}]::text[]`);
  const rows = await query.groupBy(['from_country', 'to_country']).having(sql<SqlBool>`sum(reports) > 0`).execute();
  return rows.map((r) => ({ from: r.from_country, to: r.to_country, reports: Number(r.reports) }));
}

/**
 * The leaves public statistics are built from: reviewed reports of every country received from
 * `fromMonth` to `toMonth`, per leg, exact type set and year, only leaves holding at least `k`
 * reports (smaller ones never leave the database).
 */
export async function publicRouteLeaves(db: Db, fromMonth: string, toMonth: string, k: number): Promise<RouteLeaf[]> {
  const year = sql<number>`extract(year from month)::int`;
  const rows = await flowsDb(db)
    .selectFrom('report_route_flows')
    .select(['from_country', 'to_country', 'exploitation_types', year.as('year'), sql<string>`sum(reports)`.as('reports')])
    .where('group_key', '=', COUNTRY_KEY)
    .where('reviewed', '=', true)
    .where('month', '>=', fromMonth)
    .where('month', '<=', toMonth)
    // By position: the year expression would not match a repeated one.
    .groupBy([sql`1`, sql`2`, sql`3`, sql`4`])
    .having(sql<SqlBool>`sum(reports) >= ${k}`)
    .execute();
  return rows.map((r) => ({ from: r.from_country, to: r.to_country, types: r.exploitation_types, year: Number(r.year), reports: Number(r.reports) }));
}
