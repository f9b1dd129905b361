/** SQL of the correlation module: links, common identifiers, encodings and bands, places, connection requests, networks. */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { CorrelationTables, FuzzyField, LinkReason, LinkStatus, RebuildPhase, RequestStatus } from './tables.ts';

type Db = Kysely<Tables>;
export const own = (db: Db) => db.withTables<CorrelationTables>();

export interface NewLink {
  a: string;
  b: string;
  score: number;
  reasons: LinkReason[];
  exact: boolean;
}

/** Orders a pair the way the table keeps it (report_a < report_b). */
export const pair = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

/**
 * Adds links; a pair already linked keeps its status and gains the new reasons (the higher score).
 * Duplicates within one call are merged first (Postgres refuses to touch a row twice in one insert).
 */
export async function upsertLinks(db: Db, links: readonly NewLink[]): Promise<void> {
  if (links.length === 0) return;
  const merged = new Map<string, NewLink>();
  for (const link of links) {
    const [a, b] = pair(link.a, link.b);
    if (a === b) continue;
    const key = `${a}${b}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...link, a, b, reasons: [...link.reasons] });
    else {
      seen.score = Math.max(seen.score, link.score);
      seen.exact ||= link.exact;
      for (const reason of link.reasons) if (!seen.reasons.some((r) => JSON.stringify(r) === JSON.stringify(reason))) seen.reasons.push(reason);
    }
  }
  const rows = [...merged.values()];
  for (let i = 0; i < rows.length; i += 1000) {
    await own(db)
      .insertInto('report_links')
      .values(rows.slice(i, i + 1000).map((l) => ({ report_a: l.a, report_b: l.b, score: Math.min(1, l.score), reasons: JSON.stringify(l.reasons), exact: l.exact })))
      .onConflict((oc) =>
        oc.columns(['report_a', 'report_b']).doUpdateSet({
          score: sql`greatest(report_links.score, excluded.score)`,
          exact: sql`report_links.exact or excluded.exact`,
          // Reasons not already there are appended.
          reasons: sql`report_links.reasons || coalesce((select jsonb_agg(r) from jsonb_array_elements(excluded.reasons) r where not report_links.reasons @> jsonb_build_array(r)), '[]'::jsonb)`,
        }),
      )
      .execute();
  }
}

export interface LinkRow {
  id: string;
  report_a: string;
  report_b: string;
  score: number;
  reasons: LinkReason[];
  exact: boolean;
  status: LinkStatus;
}

const linkColumns = ['id', 'report_a', 'report_b', 'score', 'reasons', 'exact', 'status'] as const;
const asLink = (row: { reasons: unknown } & Omit<LinkRow, 'reasons'>): LinkRow => ({ ...row, score: Number(row.score), reasons: row.reasons as LinkReason[] });

export async function linksOf(db: Db, reportId: string, limit = 500): Promise<LinkRow[]> {
  const rows = await own(db)
    .selectFrom('report_links')
    .select(linkColumns)
    .where((eb) => eb.or([eb('report_a', '=', reportId), eb('report_b', '=', reportId)]))
    .orderBy('score', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(asLink);
}

export async function findLink(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<LinkRow | undefined> {
  let query = own(db).selectFrom('report_links').select(linkColumns).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? asLink(row) : undefined;
}

export async function setLinkStatus(db: Db, id: string, status: LinkStatus, actorId: string): Promise<void> {
  await own(db).updateTable('report_links').set({ status, decided_by: actorId, decided_at: new Date() }).where('id', '=', id).execute();
}

/** Links between any two of these reports (a network's edges). */
export async function linksAmong(db: Db, reportIds: readonly string[]): Promise<LinkRow[]> {
  if (reportIds.length === 0) return [];
  const rows = await own(db).selectFrom('report_links').select(linkColumns).where('report_a', 'in', [...reportIds]).where('report_b', 'in', [...reportIds]).execute();
  return rows.map(asLink);
}

/** The reports reachable from `reportId` through confirmed links (its connected component), at most `limit`. */
export async function confirmedComponent(db: Db, reportId: string, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive component (id) as (
      select ${reportId}::uuid
      union
      select case when l.report_a = c.id then l.report_b else l.report_a end
      from component c
      join report_links l on (l.report_a = c.id or l.report_b = c.id) and l.status = 'confirmed'
    )
    select id from component limit ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------- common identifiers

export const keyOf = (kind: string, blindIndex: Buffer) => `${kind}:${Buffer.from(blindIndex).toString('hex')}`;

/** Marks these identifiers common; returns those that were not marked before. */
export async function markCommon(db: Db, keys: readonly { kind: string; blindIndex: Buffer }[]): Promise<{ kind: string; blindIndex: Buffer }[]> {
  if (keys.length === 0) return [];
  const rows = await own(db)
    .insertInto('correlation_common_identifiers')
    .values(keys.map((k) => ({ kind: k.kind, blind_index: k.blindIndex })))
    .onConflict((oc) => oc.doNothing())
    .returning(['kind', 'blind_index'])
    .execute();
  return rows.map((row) => ({ kind: row.kind, blindIndex: Buffer.from(row.blind_index) }));
}

/** Proposed exact links that rest only on an identifier now known to be common are taken back. */
export async function dropProposedLinksFor(db: Db, kind: string, index: string): Promise<void> {
  await sql`delete from report_links where status = 'proposed' and reasons = ${JSON.stringify([{ method: 'exact', kind, index }])}::jsonb`.execute(db);
}

// ---------------------------------------------------------------- fuzzy encodings and places

export interface NewEncoding {
  reportId: string;
  field: FuzzyField;
  bloom: Buffer;
  bits: number;
  bands: readonly string[];
}

export async function insertEncodings(db: Db, encodings: readonly NewEncoding[]): Promise<void> {
  if (encodings.length === 0) return;
  const ids = await own(db)
    .insertInto('correlation_encodings')
    .values(encodings.map((e) => ({ report_id: e.reportId, field: e.field, bloom: e.bloom, bits: e.bits })))
    .returning('id')
    .execute();
  const bands = encodings.flatMap((e, i) => [...new Set(e.bands)].map((band) => ({ band, encoding_id: String(ids[i]!.id) })));
  for (let i = 0; i < bands.length; i += 5000) await own(db).insertInto('correlation_bands').values(bands.slice(i, i + 5000)).onConflict((oc) => oc.doNothing()).execute();
}

/** Encodings of these reports are dropped (their bands are left to the rebuild's sweep). */
export async function deleteEncodingsOf(db: Db, reportIds: readonly string[]): Promise<void> {
  if (reportIds.length === 0) return;
  await own(db).deleteFrom('correlation_encodings').where('report_id', 'in', [...reportIds]).execute();
}

/**
 * Deletes bands whose encoding is gone, among the next `limit` bands after `after` in key order.
 * Returns the last band looked at (the cursor; undefined at the end) and how many were deleted.
 */
export async function sweepOrphanBands(db: Db, after: { band: string; encodingId: string } | undefined, limit: number): Promise<{ last: { band: string; encodingId: string } | undefined; deleted: number }> {
  const from = after ? sql`where (band, encoding_id) > (${after.band}::bigint, ${after.encodingId}::bigint)` : sql``;
  const { rows } = await sql<{ band: string | null; encoding_id: string | null; deleted: string }>`
    with page as (
      select band, encoding_id from correlation_bands ${from} order by band, encoding_id limit ${limit}
    ), gone as (
      delete from correlation_bands b using page p
      where b.band = p.band and b.encoding_id = p.encoding_id
        and not exists (select 1 from correlation_encodings e where e.id = p.encoding_id)
      returning 1
    ), last as (
      select band, encoding_id from page order by band desc, encoding_id desc limit 1
    )
    select (select band::text from last) as band, (select encoding_id::text from last) as encoding_id, (select count(*) from gone)::text as deleted`.execute(db);
  const row = rows[0]!;
  return { last: row.band === null ? undefined : { band: row.band, encodingId: row.encoding_id! }, deleted: Number(row.deleted) };
}

export interface RebuildRow {
  id: string;
  phase: RebuildPhase;
  after_report: string | null;
  after_band: string | null;
  after_encoding: string | null;
  reports: number;
  encodings: number;
  links: number;
  bands_deleted: string;
}

// Bands are 64-bit hashes, beyond a JavaScript number: read as text (int8 otherwise comes back as a number).
const rebuildColumns = [
  'id',
  'phase',
  'after_report',
  sql<string | null>`after_band::text`.as('after_band'),
  sql<string | null>`after_encoding::text`.as('after_encoding'),
  'reports',
  'encodings',
  'links',
  sql<string>`bands_deleted::text`.as('bands_deleted'),
] as const;

/** The rebuild under way, if any; locked until the caller's transaction ends, so two runs take turns batch by batch. */
export async function runningRebuild(db: Db): Promise<RebuildRow | undefined> {
  return own(db).selectFrom('correlation_rebuilds').select(rebuildColumns).where('finished_at', 'is', null).forUpdate().executeTakeFirst();
}

export async function startRebuild(db: Db): Promise<RebuildRow> {
  return own(db).insertInto('correlation_rebuilds').defaultValues().returning(rebuildColumns).executeTakeFirstOrThrow();
}

export async function abandonRebuilds(db: Db): Promise<void> {
  await own(db).deleteFrom('correlation_rebuilds').where('finished_at', 'is', null).execute();
}

export async function saveRebuild(db: Db, row: RebuildRow): Promise<void> {
  await own(db)
    .updateTable('correlation_rebuilds')
    .set({
      phase: row.phase,
      after_report: row.after_report,
      after_band: row.after_band,
      after_encoding: row.after_encoding,
      reports: row.reports,
      encodings: row.encodings,
      links: row.links,
      bands_deleted: row.bands_deleted,
      finished_at: row.phase === 'done' ? new Date() : null,
    })
    .where('id', '=', row.id)
    .execute();
}

export interface Candidate {
  report_id: string;
  field: FuzzyField;
  bloom: Buffer;
  bits: number;
  hits: number;
}

const BAND_POSTINGS = 200;

/** Encodings of the same field sharing at least one band, most shared bands first; `limit` of them. */
export interface CandidateProbe {
  field: FuzzyField;
  bands: readonly string[];
  /** The probe's own report, never its own candidate. */
  reportId: string;
}

/**
 * For each probe, up to `limit` encodings of the same field sharing the most LSH bands with it (the
 * `probe` of each row is the probe's index). One statement for a whole batch of new encodings: a
 * query per encoding made a report with several names wait for one round trip each.
 */
export async function fuzzyCandidates(db: Db, probes: readonly CandidateProbe[], limit: number): Promise<(Candidate & { probe: number })[]> {
  const flat = probes.flatMap((probe, index) => probe.bands.map((band) => ({ index, band })));
  if (flat.length === 0) return [];
  const { rows } = await sql<Candidate & { probe: number }>`
    select probe, report_id, field, bloom, bits, hits from (
      select h.probe, e.report_id, e.field, e.bloom, e.bits, h.hits::int as hits,
        row_number() over (partition by h.probe order by h.hits desc, e.id) as rank
      from (
        select probe, encoding_id, hits from (
          -- At most BAND_POSTINGS encodings per band: a band shared by thousands of near-identical
          -- values (the same street in one town) costs a bounded index range, whatever the table size.
          select q.probe, p.encoding_id, count(*) as hits,
            row_number() over (partition by q.probe order by count(*) desc, p.encoding_id) as preselected
          from unnest(${sql.val(flat.map((f) => f.index))}::int[], ${sql.val(flat.map((f) => f.band))}::bigint[]) as q (probe, band)
          cross join lateral (select encoding_id from correlation_bands b where b.band = q.band limit ${BAND_POSTINGS}) p
          group by q.probe, p.encoding_id
        ) counted
        where preselected <= ${limit * 2}
      ) h
      join correlation_encodings e on e.id = h.encoding_id
      join unnest(${sql.val(probes.map((p) => p.field))}::text[], ${sql.val(probes.map((p) => p.reportId))}::uuid[]) with ordinality as s (field, self, position)
        on s.position = h.probe + 1
      where e.field = s.field and e.report_id <> s.self
    ) ranked
    where rank <= ${limit}`.execute(db);
  return rows.map((r) => ({ ...r, bloom: Buffer.from(r.bloom) }));
}

export async function insertPlaces(db: Db, places: readonly { reportId: string; placeType: string; h3Cell: string; day: string }[]): Promise<void> {
  if (places.length === 0) return;
  await own(db)
    .insertInto('correlation_places')
    .values(places.map((p) => ({ report_id: p.reportId, place_type: p.placeType, h3_cell: p.h3Cell, day: p.day })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Reports at the same place type in these cells within `days` of `day`, nearest in time first. */
export interface PlaceProbe {
  reportId: string;
  placeType: string;
  cells: readonly string[];
  day: string;
}

/**
 * For each probe, the reports of the same place type in its cells within `days` of its day, nearest
 * day first, at most `limit` each. One statement for a whole batch of new reports: a query per report
 * made the submission transaction wait for one round trip per report.
 */
export async function nearbyPlaces(db: Db, probes: readonly PlaceProbe[], days: number, limit: number) {
  if (probes.length === 0) return [];
  const flat = probes.flatMap((probe, index) => probe.cells.map((cell) => ({ index, probe, cell })));
  const { rows } = await sql<{ probe: number; report_id: string; h3_cell: string; days: number }>`
    select probe, report_id, h3_cell, days from (
      select p.probe, c.report_id, c.h3_cell, abs(c.day - p.day)::int as days,
        row_number() over (partition by p.probe order by abs(c.day - p.day), c.report_id) as rank
      from unnest(${sql.val(flat.map((f) => f.index))}::int[], ${sql.val(flat.map((f) => f.probe.reportId))}::uuid[],
        ${sql.val(flat.map((f) => f.probe.placeType))}::text[], ${sql.val(flat.map((f) => f.cell))}::text[],
        ${sql.val(flat.map((f) => f.probe.day))}::date[]) as p(probe, self, place_type, h3_cell, day)
      join correlation_places c on c.place_type = p.place_type and c.h3_cell = p.h3_cell
        and c.day between p.day - ${days}::int and p.day + ${days}::int
      where c.report_id <> p.self
    ) ranked
    where rank <= ${limit}`.execute(db);
  return rows;
}

// ---------------------------------------------------------------- connection requests

export interface RequestRow {
  id: string;
  requester_id: string;
  report_id: string;
  linked_reports: string[];
  country: string;
  reason: string;
  status: RequestStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: Date;
}

const requestColumns = ['id', 'requester_id', 'report_id', 'linked_reports', 'country', 'reason', 'status', 'decided_by', 'decided_at', 'decision_note', 'created_at'] as const;

export async function insertRequest(db: Db, request: { requesterId: string; reportId: string; linkedReports: string[]; country: string; reason: string }): Promise<RequestRow> {
  return own(db)
    .insertInto('connection_requests')
    .values({ requester_id: request.requesterId, report_id: request.reportId, linked_reports: request.linkedReports, country: request.country, reason: request.reason })
    .returning(requestColumns)
    .executeTakeFirstOrThrow();
}

export async function findRequest(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<RequestRow | undefined> {
  let query = own(db).selectFrom('connection_requests').select(requestColumns).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function requestsOfCountry(db: Db, country: string, status: RequestStatus | undefined, limit = 200): Promise<RequestRow[]> {
  let query = own(db).selectFrom('connection_requests').select(requestColumns).where('country', '=', country);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}

export async function requestsBy(db: Db, requesterId: string, reportId: string): Promise<RequestRow[]> {
  return own(db).selectFrom('connection_requests').select(requestColumns).where('requester_id', '=', requesterId).where('report_id', '=', reportId).orderBy('created_at', 'desc').execute();
}

export async function decideRequest(db: Db, id: string, status: 'approved' | 'refused', actorId: string, note: string | null): Promise<void> {
  await own(db).updateTable('connection_requests').set({ status, decided_by: actorId, decided_at: new Date(), decision_note: note }).where('id', '=', id).execute();
}

/**
 * Of these reports, the ones an approved connection request lets this user see: a request covers
 * only reports of its own country, whose national coordinators decided it. A request row naming a
 * report of another country (written before that rule, or a report since moved) shows nothing of it.
 */
export async function connectedReports(db: Db, userId: string, reports: readonly { id: string; country: string }[]): Promise<Map<string, string>> {
  if (reports.length === 0) return new Map();
  const { rows } = await sql<{ report_id: string; request_id: string }>`
    select distinct on (r.report_id) r.report_id, c.id as request_id
    from connection_requests c
    cross join lateral unnest(c.linked_reports) as r (report_id)
    join unnest(${sql.val(reports.map((r) => r.id))}::uuid[], ${sql.val(reports.map((r) => r.country))}::text[]) as asked (id, country)
      on asked.id = r.report_id and asked.country = c.country
    where c.requester_id = ${userId} and c.status = 'approved'
    order by r.report_id, c.decided_at desc`.execute(db);
  return new Map(rows.map((r) => [r.report_id, r.request_id]));
}

/** Whom to e-mail about a connection request: the country's national coordinators with active accounts (accounts are core tables). */
export async function nationalCoordinatorContacts(db: Db, country: string): Promise<{ user_id: string; email: string; language: string }[]> {
  return db
    .selectFrom('user_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.user_id', 'u.email', 'u.language'])
    .where('r.role', '=', 'national-coordinator')
    .where('r.country', '=', country)
    .where('u.disabled_at', 'is', null)
    .orderBy('r.user_id')
    .limit(200)
    .execute();
}

export async function userContact(db: Db, userId: string): Promise<{ email: string; language: string } | undefined> {
  return db.selectFrom('users').select(['email', 'language']).where('id', '=', userId).where('disabled_at', 'is', null).executeTakeFirst();
}

// ---------------------------------------------------------------- networks

export interface NetworkRow {
  id: string;
  country: string;
  name: string;
  summary: string;
  created_by: string | null;
  created_at: Date;
  updated_at: Date | null;
}

const networkColumns = ['id', 'country', 'name', 'summary', 'created_by', 'created_at', 'updated_at'] as const;

export async function insertNetwork(db: Db, network: { country: string; name: string; summary: string; createdBy: string; reportIds: readonly string[] }): Promise<NetworkRow> {
  const row = await own(db).insertInto('networks').values({ country: network.country, name: network.name, summary: network.summary, created_by: network.createdBy }).returning(networkColumns).executeTakeFirstOrThrow();
  await setNetworkReports(db, row.id, network.reportIds);
  return row;
}

export async function setNetworkReports(db: Db, networkId: string, reportIds: readonly string[]): Promise<void> {
  await own(db).deleteFrom('network_reports').where('network_id', '=', networkId).execute();
  if (reportIds.length > 0) await own(db).insertInto('network_reports').values(reportIds.map((id) => ({ network_id: networkId, report_id: id }))).execute();
}

export async function updateNetwork(db: Db, id: string, fields: { name: string; summary: string }): Promise<void> {
  await own(db).updateTable('networks').set({ ...fields, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function findNetwork(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<NetworkRow | undefined> {
  let query = own(db).selectFrom('networks').select(networkColumns).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function networkReportIds(db: Db, networkId: string): Promise<string[]> {
  const rows = await own(db).selectFrom('network_reports').select('report_id').where('network_id', '=', networkId).orderBy('report_id').execute();
  return rows.map((r) => r.report_id);
}

/** Networks of these countries, or holding one of these reports; newest first, with their report counts. */
export async function listNetworks(db: Db, filter: { countries: readonly string[]; reportIds: readonly string[] }, limit = 200): Promise<(NetworkRow & { reports: number })[]> {
  if (filter.countries.length === 0 && filter.reportIds.length === 0) return [];
  const rows = await own(db)
    .selectFrom('networks as n')
    .select(['n.id', 'n.country', 'n.name', 'n.summary', 'n.created_by', 'n.created_at', 'n.updated_at'])
    .select((eb) => eb.selectFrom('network_reports as c').whereRef('c.network_id', '=', 'n.id').select(eb.fn.countAll<string>().as('n')).as('reports'))
    .where((eb) =>
      eb.or([
        ...(filter.countries.length > 0 ? [eb('n.country', 'in', [...filter.countries])] : []),
        ...(filter.reportIds.length > 0 ? [eb.exists(eb.selectFrom('network_reports as m').whereRef('m.network_id', '=', 'n.id').where('m.report_id', 'in', [...filter.reportIds]))] : []),
      ]),
    )
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, reports: Number(r.reports) }));
}

export async function networksOfReports(db: Db, reportIds: readonly string[]): Promise<string[]> {
  if (reportIds.length === 0) return [];
  const rows = await own(db).selectFrom('network_reports').select('network_id').distinct().where('report_id', 'in', [...reportIds]).execute();
  return rows.map((r) => r.network_id);
}
