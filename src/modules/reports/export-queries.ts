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
type PlainRow = [
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

/** One report of a batch: its plain columns, its identifier count, and in a restricted batch its sealed columns. */
type PackedRow = [plain: PlainRow, identifierCount: number, location?: string | null, narrative?: string | null, vehicles?: string | null, contact?: string | null, names?: string | null];

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
  let page = narrowed(
    ownReports(db).select([
      sql<unknown>`json_build_array(reports.id, reports.reference, to_char(reports.received_on, 'YYYY-MM-DD'), reports.status, reports.grade_source,
        reports.grade_assessment, reports.grade_handling, reports.priority, reports.place_type, reports.exploitation_types, reports.indicators,
        reports.people_count, reports.h3_cell, reports.summary)`.as('plain'),
      'reports.id',
      'reports.received_on',
      // Sealed columns are read only for a restricted export: the others never carry them.
      ...(options.restricted ? (['reports.location_sealed', 'reports.narrative_sealed', 'reports.vehicles_sealed', 'reports.contact_sealed', 'reports.names_sealed'] as const) : []),
    ]),
    scope,
    filters,
  );
  if (cursor) {
    // received_on <= day first, so the index range starts at the cursor; the or() drops what was read.
    page = page.where('reports.received_on', '<=', cursor.day).where((eb) => eb.or([eb('reports.received_on', '<', cursor.day), eb('reports.id', '>', cursor.id)]));
  }
  page = page.orderBy('reports.received_on', 'desc').orderBy('reports.id').limit(limit);
  // The whole batch comes back as one JSON text: one value for the driver to decode instead of a
  // row per report (on PGlite the driver decodes in this thread: typed columns cost ~6x more, and
  // even one packed value per row was the larger part of an export's time). The identifier counts
  // are joined in the same statement, grouped once per batch (a subquery per row costs the engine
  // more, in time and memory).
  const sealed = options.restricted ? sql`, page.location_sealed, page.narrative_sealed, page.vehicles_sealed, page.contact_sealed, page.names_sealed` : sql``;
  const { rows } = await sql<{ batch: string }>`
    with page as (${page}),
    counts as (select report_id, count(*) as n from report_identifiers where report_id in (select id from page) group by report_id)
    select coalesce(json_agg(json_build_array(page.plain, coalesce(counts.n, 0)${sealed}) order by page.received_on desc, page.id), '[]')::text as batch
      from page left join counts on counts.report_id = page.id`.execute(db);
  const batch = JSON.parse(rows[0]?.batch ?? '[]') as PackedRow[];
  const identifiers = options.restricted && batch.length > 0 ? await identifiersOf(db, batch.map((row) => row[0][0])) : new Map<string, { kind: string; valueSealed: string }[]>();
  // One object per row, built once: this runs a million times in a large export.
  return batch.map(([plain, identifierCount, location, narrative, vehicles, contact, names]) => {
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
      identifier_count: Number(identifierCount),
      h3_cell: h3Cell,
      summary,
      ...(options.restricted
        ? { sealed: { location: location ?? null, narrative: narrative ?? null, vehicles: vehicles ?? null, contact: contact ?? null, names: names ?? null, identifiers: identifiers.get(id) ?? [] } }
        : {}),
    };
  });
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
