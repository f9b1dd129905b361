/**
 * What the map module's exports read from reports: who may export a holder's reports, how many match
 * the filters, and the matching reports in batches by keyset (newest day first, then id; never an
 * OFFSET), so an export of a million reports holds one batch in memory at a time.
 *
 * Restricted columns come out only sealed and only when `restricted` is asked for; the caller opens
 * them and writes the one audit entry the export needs.
 */
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { decide } from '../../core/auth/authorise.ts';
import type { Tables } from '../../core/db/tables.ts';
import { groupBasics } from '../groups/index.ts';
import { reviewDecision } from './review-access.ts';
import { own } from './store.ts';
import type { ReportsTables } from './tables.ts';

type Db = Kysely<Tables>;

/** Whose reports: one group's, or every report of a country (its groups' and its national inbox). */
export type ExportScope = { groupId: string } | { country: string };

/** The report filters (the map module parses them; the same shape as its ReportFilters). */
export interface ExportFilterSet {
  from?: string;
  to?: string;
  statuses?: readonly string[];
  grades?: readonly { source?: number; assessment?: string; handling?: string }[];
  types?: readonly string[];
  indicators?: readonly string[];
  placeTypes?: readonly string[];
}

export interface ExportCursor {
  day: string;
  id: string;
}

export interface ExportReportRow {
  id: string;
  reference: string;
  received_on: string;
  status: string;
  grade_source: number | null;
  grade_assessment: string | null;
  grade_handling: string | null;
  priority: string | null;
  place_type: string | null;
  exploitation_types: string[];
  indicators: string[];
  people_count: number | null;
  identifier_count: number;
  h3_cell: string | null;
  summary: string | null;
  /** Only in a restricted batch. */
  sealed?: { location: string | null; narrative: string | null; vehicles: string | null; contact: string | null; names: string | null; identifiers: { kind: string; valueSealed: string }[] };
}

/** The plain columns of one report as exportBatch packs them, in json_build_array's order. */
type PackedRow = [
  id: string,
  reference: string,
  receivedOn: string,
  status: string,
  gradeSource: number | null,
  gradeAssessment: string | null,
  gradeHandling: string | null,
  priority: string | null,
  placeType: string | null,
  exploitationTypes: string[] | null,
  indicators: string[] | null,
  peopleCount: number | null,
  h3Cell: string | null,
  summary: string | null,
];

/** The scope described for people and the audit log: the group's name, or the country. */
export interface ScopeLabel {
  groupId: string | null;
  country: string;
  name: string;
}

/**
 * Whether the actor may export the scope's reports: exactly the reviewers of those reports (the
 * group's coordinators and national coordinators of its country; for a country, its national
 * coordinators). 'not-found' for everyone else, so an export never reveals that a group's reports exist.
 */
export async function exportAccess(db: Db, actor: UserActor, scope: ExportScope): Promise<{ verdict: 'allowed'; label: ScopeLabel } | { verdict: 'needs-two-factor' | 'not-found' }> {
  if ('groupId' in scope) {
    const group = await groupBasics(db, scope.groupId);
    if (!group) return { verdict: 'not-found' };
    const verdict = await reviewDecision({ db }, actor, { groupId: group.id, country: group.country }, 'reports.review');
    if (verdict === 'allowed') return { verdict, label: { groupId: group.id, country: group.country, name: group.name } };
    return { verdict: verdict === 'needs-two-factor' ? verdict : 'not-found' };
  }
  const code = scope.country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return { verdict: 'not-found' };
  const verdict = decide(actor, 'reports.review', { country: code });
  if (verdict === 'allowed') return { verdict, label: { groupId: null, country: code, name: code } };
  return { verdict: verdict === 'needs-two-factor' ? verdict : 'not-found' };
}

type ReportsQuery<O> = SelectQueryBuilder<ReportsTables & Tables, 'reports', O>;

function narrowed<O>(query: ReportsQuery<O>, scope: ExportScope, filters: ExportFilterSet): ReportsQuery<O> {
  let q = 'groupId' in scope ? query.where('reports.group_id', '=', scope.groupId) : query.where('reports.country', '=', scope.country.toUpperCase());
  if (filters.from) q = q.where('reports.received_on', '>=', filters.from);
  if (filters.to) q = q.where('reports.received_on', '<=', filters.to);
  if (filters.statuses?.length) q = q.where('reports.status', 'in', filters.statuses as never[]);
  if (filters.placeTypes?.length) q = q.where('reports.place_type', 'in', [...filters.placeTypes]);
  if (filters.types?.length) q = q.where(sql<boolean>`reports.exploitation_types && ${sql.val([...filters.types])}::text[]`);
  if (filters.indicators?.length) q = q.where(sql<boolean>`reports.indicators && ${sql.val([...filters.indicators])}::text[]`);
  const grades = filters.grades;
  if (grades?.length) {
    q = q.where((eb: ExpressionBuilder<ReportsTables & Tables, 'reports'>) =>
      eb.or(
        grades.map((g) =>
          eb.and([
            eb('reports.grade_source', 'is not', null),
            ...(g.source !== undefined ? [eb('reports.grade_source', '=', g.source)] : []),
            ...(g.assessment !== undefined ? [eb('reports.grade_assessment', '=', g.assessment)] : []),
            ...(g.handling !== undefined ? [eb('reports.grade_handling', '=', g.handling)] : []),
          ]),
        ),
      ),
    );
  }
  return q;
}

const ownReports = (db: Db) => own(db).selectFrom('reports') as unknown as ReportsQuery<object>;

/** How many reports match, counting no further than `upTo` when given (enough to choose direct or job). */
export async function countForExport(db: Db, scope: ExportScope, filters: ExportFilterSet, upTo?: number): Promise<number> {
  if (upTo !== undefined) {
    const inner = narrowed(ownReports(db).select(sql<number>`1`.as('one')), scope, filters).limit(upTo);
    const row = await own(db).selectFrom(inner.as('matching')).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const row = await narrowed(ownReports(db).select((eb) => eb.fn.countAll<string>().as('n')), scope, filters).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One batch of matching reports after `cursor`, in (received_on desc, id) order. */
export async function exportBatch(db: Db, scope: ExportScope, filters: ExportFilterSet, cursor: ExportCursor | undefined, limit: number, options: { restricted: boolean }): Promise<ExportReportRow[]> {
  // The plain columns come out packed in one JSON array per row: decoding a single text value costs
  // the driver far less than fourteen typed ones (arrays above all) — on PGlite, which decodes in
  // this thread, 1,000 rows a batch took ~6x longer typed than packed (measured 2026-11-29).
  let query = narrowed(
    ownReports(db).select([
      sql<string>`json_build_array(reports.id, reports.reference, to_char(reports.received_on, 'YYYY-MM-DD'), reports.status, reports.grade_source,
        reports.grade_assessment, reports.grade_handling, reports.priority, reports.place_type, reports.exploitation_types, reports.indicators,
        reports.people_count, reports.h3_cell, reports.summary)::text`.as('packed'),
      // Sealed columns are read only for a restricted export: the others never carry them.
      ...(options.restricted
        ? (['reports.location_sealed', 'reports.narrative_sealed', 'reports.vehicles_sealed', 'reports.contact_sealed', 'reports.names_sealed'] as const)
        : ([sql<null>`null`.as('location_sealed'), sql<null>`null`.as('narrative_sealed'), sql<null>`null`.as('vehicles_sealed'), sql<null>`null`.as('contact_sealed'), sql<null>`null`.as('names_sealed')] as const)),
    ]),
    scope,
    filters,
  );
  if (cursor) {
    // received_on <= day first, so the index range starts at the cursor; the or() drops what was read.
    query = query.where('reports.received_on', '<=', cursor.day).where((eb) => eb.or([eb('reports.received_on', '<', cursor.day), eb('reports.id', '>', cursor.id)]));
  }
  const found = await query.orderBy('reports.received_on', 'desc').orderBy('reports.id').limit(limit).execute();
  const packed = found.map((row) => JSON.parse(row.packed) as PackedRow);
  const ids = packed.map((plain) => plain[0]);
  // Counted per batch in one grouped query: a subquery per row costs the engine more, in time and memory.
  const counts = ids.length > 0 ? await identifierCounts(db, ids) : new Map<string, number>();
  const identifiers = options.restricted && ids.length > 0 ? await identifiersOf(db, ids) : new Map<string, { kind: string; valueSealed: string }[]>();
  // One object per row, built once: this runs a million times in a large export.
  return packed.map((plain, i) => {
    const row = found[i]!;
    const [id, reference, receivedOn, status, gradeSource, gradeAssessment, gradeHandling, priority, placeType, exploitationTypes, indicators, peopleCount, h3Cell, summary] = plain;
    return {
      id,
      reference,
      received_on: receivedOn,
      status,
      grade_source: gradeSource,
      grade_assessment: gradeAssessment,
      grade_handling: gradeHandling,
      priority,
      place_type: placeType,
      exploitation_types: exploitationTypes ?? [],
      indicators: indicators ?? [],
      people_count: peopleCount,
      identifier_count: counts.get(id) ?? 0,
      h3_cell: h3Cell,
      summary,
      ...(options.restricted
        ? { sealed: { location: row.location_sealed, narrative: row.narrative_sealed, vehicles: row.vehicles_sealed, contact: row.contact_sealed, names: row.names_sealed, identifiers: identifiers.get(id) ?? [] } }
        : {}),
    };
  });
}

async function identifierCounts(db: Db, reportIds: string[]): Promise<Map<string, number>> {
  const rows = await own(db)
    .selectFrom('report_identifiers')
    .select((eb) => ['report_id', eb.fn.countAll<string>().as('n')])
    .where(sql<boolean>`report_id = any(${sql.val(reportIds)}::uuid[])`)
    .groupBy('report_id')
    .execute();
  return new Map(rows.map((row) => [row.report_id, Number(row.n)]));
}

async function identifiersOf(db: Db, reportIds: string[]): Promise<Map<string, { kind: string; valueSealed: string }[]>> {
  const rows = await own(db).selectFrom('report_identifiers').select(['report_id', 'kind', 'value_sealed']).where('report_id', 'in', reportIds).orderBy('report_id').orderBy('id').execute();
  const byReport = new Map<string, { kind: string; valueSealed: string }[]>();
  for (const row of rows) {
    const list = byReport.get(row.report_id) ?? [];
    list.push({ kind: row.kind, valueSealed: row.value_sealed });
    byReport.set(row.report_id, list);
  }
  return byReport;
}
