/**
 * What the correlation module reads from reports: the few non-restricted facts about reports it
 * links (never a restricted field), which reports share an identifier's blind index (bounded per
 * identifier, so a value in thousands of reports costs no more than the cap), every identifier
 * shared by two or more reports in keyset batches for a full re-link, the clear values of the
 * fuzzy encodings opened from their sealed fields (to rebuild encodings), and whether an actor may
 * review a report. The correlation module decides what to do with them.
 */
import { sql, type Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import type { Permission } from '../../core/auth/authorise.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import type { FuzzyValue } from './intake.ts';
import { reviewDecision } from './review-access.ts';
import { own } from './store.ts';
import { fuzzyValues } from './submission.ts';
import type { ReportStatus } from './tables.ts';

type Db = Kysely<Tables>;
// PGlite returns bytea as Uint8Array, PostgreSQL as Buffer: Buffer.from gives one type (and hex) on both.

/** Facts coordinators may see about any report they may review; no restricted field. */
export interface ReportBasics {
  id: string;
  reference: string;
  groupId: string | null;
  country: string;
  status: ReportStatus;
  placeType: string | null;
  receivedOn: string;
  observedFrom: string | null;
  exploitationTypes: string[];
  h3Cell: string | null;
  /** Written as 2/B/P once graded. */
  grade: string | null;
  /** The sanitised summary: the only text that may leave the group. */
  summary: string | null;
}

export async function reportBasics(db: Db, ids: readonly string[]): Promise<ReportBasics[]> {
  if (ids.length === 0) return [];
  const rows = await own(db)
    .selectFrom('reports')
    .select([
      'id',
      'reference',
      'group_id',
      'country',
      'status',
      'place_type',
      'exploitation_types',
      'h3_cell',
      'grade_source',
      'grade_assessment',
      'grade_handling',
      'summary',
      sql<string>`to_char(received_on, 'YYYY-MM-DD')`.as('received_day'),
      sql<string | null>`to_char(observed_from, 'YYYY-MM-DD')`.as('observed_day'),
    ])
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    groupId: r.group_id,
    country: r.country,
    status: r.status,
    placeType: r.place_type,
    receivedOn: r.received_day,
    observedFrom: r.observed_day,
    exploitationTypes: r.exploitation_types,
    h3Cell: r.h3_cell,
    grade: r.grade_source !== null ? `${r.grade_source}/${r.grade_assessment}/${r.grade_handling}` : null,
    summary: r.summary,
  }));
}

export interface IdentifierKey {
  kind: string;
  blindIndex: Buffer;
}

/**
 * For each identifier, up to `limit` reports other than `exclude` that hold the same blind index.
 * One statement; each identifier is an index probe of (kind, blind_index) stopped at `limit`.
 */
export async function reportsSharingIdentifiers(db: Db, keys: readonly IdentifierKey[], exclude: readonly string[], limit: number): Promise<{ kind: string; blindIndex: Buffer; reportId: string }[]> {
  if (keys.length === 0) return [];
  const values = sql.join(keys.map((k) => sql`(${k.kind}::text, ${k.blindIndex}::bytea)`));
  const excluded = exclude.length > 0 ? sql`and ri.report_id <> all(${sql.val([...exclude])}::uuid[])` : sql``;
  const { rows } = await sql<{ kind: string; blind_index: Buffer; report_id: string }>`
    select distinct k.kind, k.blind_index, m.report_id
    from (values ${values}) as k (kind, blind_index)
    cross join lateral (
      select ri.report_id from report_identifiers ri
      where ri.kind = k.kind and ri.blind_index = k.blind_index ${excluded}
      limit ${limit}
    ) m`.execute(db);
  return rows.map((r) => ({ kind: r.kind, blindIndex: Buffer.from(r.blind_index), reportId: r.report_id }));
}

/** Blind indexes of one report's identifiers (for a network's identifier nodes). */
export async function identifierKeysOf(db: Db, reportIds: readonly string[]): Promise<{ reportId: string; kind: string; blindIndex: Buffer }[]> {
  if (reportIds.length === 0) return [];
  const rows = await own(db).selectFrom('report_identifiers').select(['report_id', 'kind', 'blind_index']).where('report_id', 'in', [...reportIds]).execute();
  return rows.map((r) => ({ reportId: r.report_id, kind: r.kind, blindIndex: Buffer.from(r.blind_index) }));
}

export interface IdentifierGroup {
  kind: string;
  blindIndex: Buffer;
  /** Distinct reports holding it, at most cap + 1 (more means common). */
  reportIds: string[];
}

/**
 * Identifiers held by at least two reports, in (kind, blind index) order after `after`, `limit` at a
 * time: the full re-link walks them all. Reports per identifier are cut at cap + 1.
 */
export async function sharedIdentifierGroups(db: Db, after: IdentifierKey | undefined, limit: number, cap: number): Promise<IdentifierGroup[]> {
  const from = after ? sql`where (kind, blind_index) > (${after.kind}::text, ${after.blindIndex}::bytea)` : sql``;
  const { rows } = await sql<{ kind: string; blind_index: Buffer; report_ids: string[] }>`
    select kind, blind_index, (array_agg(distinct report_id))[1:${cap + 1}] as report_ids
    from report_identifiers ${from}
    group by kind, blind_index
    having count(distinct report_id) >= 2
    order by kind, blind_index
    limit ${limit}`.execute(db);
  return rows.map((r) => ({ kind: r.kind, blindIndex: Buffer.from(r.blind_index), reportIds: r.report_ids }));
}

export interface FuzzySource {
  id: string;
  fuzzy: FuzzyValue[];
}

/**
 * The next `limit` reports after `after` (by id) with what fuzzy matching encodes — addresses, the
 * place description, names heard or seen — opened from their sealed fields, the same list
 * submission.ts encodes. Only for rebuilding encodings: the values stay in memory, and the caller
 * writes one audit entry for the whole rebuild. `reportIds` are all the reports looked at, with or
 * without values, and `last` the keyset cursor; undefined when there are no more. With `lock`, the
 * reports are read FOR SHARE (inside the caller's transaction), so an addition to one of them waits.
 */
export async function fuzzySourcesAfter(db: Db, sealer: FieldSealer, after: string | undefined, limit: number, options: { lock?: boolean } = {}): Promise<{ sources: FuzzySource[]; reportIds: string[]; last: string | undefined }> {
  let query = own(db).selectFrom('reports').select(['id', 'location_sealed', 'names_sealed']).orderBy('id').limit(limit);
  if (after !== undefined) query = query.where('id', '>', after);
  if (options.lock) query = query.forShare();
  const reports = await query.execute();
  if (reports.length === 0) return { sources: [], reportIds: [], last: undefined };
  const addresses = await own(db)
    .selectFrom('report_identifiers')
    .select(['report_id', 'value_sealed'])
    .where('report_id', 'in', reports.map((r) => r.id))
    .where('kind', '=', 'address')
    .orderBy('report_id')
    .orderBy('id')
    .execute();
  const addressesOf = new Map<string, string[]>();
  for (const row of addresses) addressesOf.set(row.report_id, [...(addressesOf.get(row.report_id) ?? []), row.value_sealed]);
  const sources: FuzzySource[] = [];
  for (const report of reports) {
    const sealedAddresses = addressesOf.get(report.id) ?? [];
    if (report.location_sealed === null && report.names_sealed === null && sealedAddresses.length === 0) continue;
    const identifiers = await Promise.all(sealedAddresses.map(async (sealed) => ({ kind: 'address', value: (JSON.parse(await sealer.unseal(sealed)) as { value: string }).value })));
    const place = report.location_sealed ? (JSON.parse(await sealer.unseal(report.location_sealed)) as { place?: string }).place : undefined;
    const names = report.names_sealed ? (JSON.parse(await sealer.unseal(report.names_sealed)) as string[]) : [];
    const fuzzy = fuzzyValues(identifiers, place, names);
    if (fuzzy.length > 0) sources.push({ id: report.id, fuzzy });
  }
  return { sources, reportIds: reports.map((r) => r.id), last: reports.at(-1)!.id };
}

/** Whether the actor may do `permission` on a report with this holder (the review rules of review-access.ts). */
export async function reportDecision(db: Db, actor: UserActor, holder: { groupId: string | null; country: string }, permission: Permission) {
  return reviewDecision({ db }, actor, holder, permission);
}
