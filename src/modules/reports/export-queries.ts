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
import type { Engine } from '../../core/config.ts';
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

/** One report as a PGlite batch packs it (json_build_array's order): plain columns, identifier count, and in a restricted batch the sealed columns. */
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
  identifierCount: number | string,
  ...sealed: SealedValues,
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

/** The sealed columns of a restricted batch, in this order in both ways of reading a batch. */
const SEALED_COLUMNS = ['location_sealed', 'narrative_sealed', 'vehicles_sealed', 'contact_sealed', 'names_sealed'] as const;
type SealedValues = [location?: string | null, narrative?: string | null, vehicles?: string | null, contact?: string | null, names?: string | null];

/**
 * One batch of matching reports after `cursor`, in (received_on desc, id) order.
 *
 * How the batch travels depends on the engine (decision 0025), because the cost sits in different
 * places. PGlite decodes rows in the server's own thread: there the batch comes back as one JSON
 * text (one value to decode instead of 15,000; typed columns cost ~6x more, text columns ~2.3x). On
 * PostgreSQL the database's own work is the limit: building that JSON doubles its time per batch
 * (~10 ms against ~4.5 ms for 1,000 reports), so there the columns travel as plain text that the
 * driver hands on without parsing (the day as text, lists joined).
 */
export async function exportBatch(
  db: Db,
  scope: ExportScope,
  filters: ExportFilterSet,
  cursor: ExportCursor | undefined,
  limit: number,
  options: { restricted: boolean; engine: Engine },
): Promise<ExportReportRow[]> {
  let page = narrowed(
    ownReports(db).select([
      'reports.id',
      'reports.reference',
      'reports.received_on',
      'reports.status',
      'reports.grade_source',
      'reports.grade_assessment',
      'reports.grade_handling',
      'reports.priority',
      'reports.place_type',
      'reports.exploitation_types',
      'reports.indicators',
      'reports.people_count',
      'reports.h3_cell',
      'reports.summary',
      // Sealed columns are read only for a restricted export: the others never carry them.
      ...(options.restricted ? SEALED_COLUMNS.map((column) => `reports.${column}` as const) : []),
    ]),
    scope,
    filters,
  );
  if (cursor) {
    // received_on <= day first, so the index range starts at the cursor; the or() drops what was read.
    page = page.where('reports.received_on', '<=', cursor.day).where((eb) => eb.or([eb('reports.received_on', '<', cursor.day), eb('reports.id', '>', cursor.id)]));
  }
  page = page.orderBy('reports.received_on', 'desc').orderBy('reports.id').limit(limit);
  // The identifier counts are joined in the same statement, grouped once per batch (a subquery per
  // row costs the engine more, in time and memory).
  const sealed = options.restricted ? sql.join(SEALED_COLUMNS.map((column) => sql.ref(`page.${column}`))) : undefined;
  const withCounts = sql`with page as (${page}),
    counts as (select report_id, count(*) as n from report_identifiers where report_id in (select id from page) group by report_id)`;
  const rows: ExportReportRow[] = [];
  if (options.engine === 'pglite') {
    const { rows: packed } = await sql<{ batch: string }>`${withCounts}
      select coalesce(json_agg(json_build_array(page.id, page.reference, to_char(page.received_on, 'YYYY-MM-DD'), page.status, page.grade_source,
          page.grade_assessment, page.grade_handling, page.priority, page.place_type, page.exploitation_types, page.indicators,
          page.people_count, page.h3_cell, page.summary, coalesce(counts.n, 0)${sealed ? sql`, ${sealed}` : sql``}) order by page.received_on desc, page.id), '[]')::text as batch
        from page left join counts on counts.report_id = page.id`.execute(db);
    for (const values of JSON.parse(packed[0]?.batch ?? '[]') as PackedRow[]) rows.push(exportRow(values, options.restricted));
  } else {
    const { rows: plain } = await sql<TextRow>`${withCounts}
      select page.id, page.reference, to_char(page.received_on, 'YYYY-MM-DD') as received_on, page.status, page.grade_source, page.grade_assessment,
          page.grade_handling, page.priority, page.place_type, array_to_string(page.exploitation_types, ${LIST_SEPARATOR}) as exploitation_types,
          array_to_string(page.indicators, ${LIST_SEPARATOR}) as indicators, page.people_count, page.h3_cell, page.summary,
          coalesce(counts.n, 0) as identifier_count${sealed ? sql`, ${sealed}` : sql``}
        from page left join counts on counts.report_id = page.id
        order by page.received_on desc, page.id`.execute(db);
    for (const r of plain) {
      const values: PackedRow = [r.id, r.reference, r.received_on, r.status, r.grade_source, r.grade_assessment, r.grade_handling, r.priority, r.place_type, splitList(r.exploitation_types), splitList(r.indicators), r.people_count, r.h3_cell, r.summary, r.identifier_count, r.location_sealed, r.narrative_sealed, r.vehicles_sealed, r.contact_sealed, r.names_sealed];
      rows.push(exportRow(values, options.restricted));
    }
  }
  if (options.restricted && rows.length > 0) {
    const identifiers = await identifiersOf(db, rows.map((row) => row.id));
    for (const row of rows) row.sealed!.identifiers = identifiers.get(row.id) ?? [];
  }
  return rows;
}

// Lists travel joined by a character no indicator or exploitation-type code holds (codes are words,
// dots and hyphens), so splitting gives back the stored list.
const LIST_SEPARATOR = '\u001f';
const splitList = (joined: string | null): string[] => (joined ? joined.split(LIST_SEPARATOR) : []);

/** A report of a text-column batch (PostgreSQL), as the driver hands it on: lists joined, the count maybe text. */
type TextRow = Omit<ExportReportRow, 'exploitation_types' | 'indicators' | 'identifier_count' | 'sealed'> & {
  exploitation_types: string | null;
  indicators: string | null;
  identifier_count: number | string;
} & Partial<Record<(typeof SEALED_COLUMNS)[number], string | null>>;

/** One export row from its values in json_build_array's order; built once, as this runs a million times in a large export. */
function exportRow(values: PackedRow, restricted: boolean): ExportReportRow {
  const [id, reference, receivedOn, status, gradeSource, gradeAssessment, gradeHandling, priority, placeType, exploitationTypes, indicators, peopleCount, h3Cell, summary, identifierCount, location, narrative, vehicles, contact, names] = values;
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
    ...(restricted ? { sealed: { location: location ?? null, narrative: narrative ?? null, vehicles: vehicles ?? null, contact: contact ?? null, names: names ?? null, identifiers: [] } } : {}),
  };
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
