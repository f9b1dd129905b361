/** SQL of the reports module: reports, their identifiers, reporters' additions and the review history. */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { IdentifierKind, ObservedTime, ReportsTables, ReportStatus } from './tables.ts';

type Db = Kysely<Tables>;
export const own = (db: Db) => db.withTables<ReportsTables>();

export interface NewReport {
  reference: string;
  receiptHash: Buffer;
  reporterId: string | null;
  groupId: string | null;
  country: string;
  receivedOn: string;
  placeType: string | null;
  observedFrom: string | null;
  observedTo: string | null;
  observedTime: ObservedTime | null;
  exploitationTypes: string[];
  indicators: string[];
  peopleCount: number | null;
  ageBands: string[];
  genders: string[];
  route: { origin: string[]; transit: string[]; destination: string[] };
  h3Cell: string | null;
  locationSealed: string | null;
  narrativeSealed: string | null;
  vehiclesSealed: string | null;
  contactSealed: string | null;
  /** Names heard or seen, a sealed JSON array. */
  namesSealed: string | null;
  contactConsent: boolean;
}

export interface NewIdentifier {
  kind: IdentifierKind;
  blindIndex: Buffer;
  valueSealed: string;
  unparsed: boolean;
}

const reportValues = (report: NewReport & { id: string }) => ({
  id: report.id,
  reference: report.reference,
  receipt_hash: report.receiptHash,
  reporter_id: report.reporterId,
  group_id: report.groupId,
  country: report.country,
  received_on: report.receivedOn,
  place_type: report.placeType,
  observed_from: report.observedFrom,
  observed_to: report.observedTo,
  observed_time: report.observedTime,
  exploitation_types: report.exploitationTypes,
  indicators: report.indicators,
  people_count: report.peopleCount,
  age_bands: report.ageBands,
  genders: report.genders,
  route_origin: report.route.origin,
  route_transit: report.route.transit,
  route_destination: report.route.destination,
  h3_cell: report.h3Cell,
  location_sealed: report.locationSealed,
  narrative_sealed: report.narrativeSealed,
  vehicles_sealed: report.vehiclesSealed,
  contact_sealed: report.contactSealed,
  names_sealed: report.namesSealed,
  contact_consent: report.contactConsent,
});

/** Reports with their identifiers, in two statements however many there are (run it in a transaction). */
export async function insertReports(db: Db, reports: readonly (NewReport & { id: string; identifiers: readonly NewIdentifier[] })[]): Promise<void> {
  if (reports.length === 0) return;
  await own(db).insertInto('reports').values(reports.map(reportValues)).execute();
  const identifiers = reports.flatMap((report) => report.identifiers.map((identifier) => ({ reportId: report.id, identifier })));
  if (identifiers.length === 0) return;
  await own(db)
    .insertInto('report_identifiers')
    .values(identifiers.map(({ reportId, identifier }) => ({ report_id: reportId, addition_id: null, kind: identifier.kind, blind_index: identifier.blindIndex, value_sealed: identifier.valueSealed, unparsed: identifier.unparsed })))
    .execute();
}

export async function insertIdentifiers(db: Db, reportId: string, identifiers: readonly NewIdentifier[], additionId: string | null = null): Promise<void> {
  if (identifiers.length === 0) return;
  await own(db)
    .insertInto('report_identifiers')
    .values(identifiers.map((identifier) => ({ report_id: reportId, addition_id: additionId, kind: identifier.kind, blind_index: identifier.blindIndex, value_sealed: identifier.valueSealed, unparsed: identifier.unparsed })))
    .execute();
}

export async function insertAddition(db: Db, reportId: string, addedOn: string, narrativeSealed: string | null): Promise<string> {
  const row = await own(db).insertInto('report_additions').values({ report_id: reportId, added_on: addedOn, narrative_sealed: narrativeSealed }).returning('id').executeTakeFirstOrThrow();
  await own(db).updateTable('reports').set({ unread_additions: true }).where('id', '=', reportId).execute();
  return row.id;
}

/** What a reporter may learn of their report: its reference, day, status, how many additions they made, and whether it was reduced to statistics. */
export interface ReporterRow {
  id: string;
  reference: string;
  received_on: string;
  status: ReportStatus;
  place_type: string | null;
  exploitation_types: string[];
  additions: number;
  purged: boolean;
}

const reporterColumns = (db: Db) =>
  own(db)
    .selectFrom('reports as r')
    .select((eb) => [
      'r.id',
      'r.reference',
      sql<string>`to_char(r.received_on, 'YYYY-MM-DD')`.as('received_on'),
      'r.status',
      'r.place_type',
      'r.exploitation_types',
      eb.selectFrom('report_additions as a').whereRef('a.report_id', '=', 'r.id').select(eb.fn.countAll<number>().as('n')).as('additions'),
      // Whether, not when: the day of the purge would tell the reporter nothing they need.
      sql<boolean>`r.purged_on is not null`.as('purged'),
    ]);

export async function findByReceipt(db: Db, receiptHash: Buffer): Promise<(ReporterRow & { receipt_hash: Buffer }) | undefined> {
  const row = await reporterColumns(db).select('r.receipt_hash').where('r.receipt_hash', '=', receiptHash).executeTakeFirst();
  return row ? { ...row, additions: Number(row.additions) } : undefined;
}

export async function reportsOfReporter(db: Db, reporterId: string, limit: number): Promise<ReporterRow[]> {
  const rows = await reporterColumns(db).where('r.reporter_id', '=', reporterId).orderBy('r.received_on', 'desc').orderBy('r.reference').limit(limit).execute();
  return rows.map((row) => ({ ...row, additions: Number(row.additions) }));
}

export type ReportRow = Awaited<ReturnType<typeof findReport>> & object;

export async function findReport(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let query = own(db)
    .selectFrom('reports')
    .selectAll()
    .select([
      sql<string>`to_char(received_on, 'YYYY-MM-DD')`.as('received_day'),
      sql<string | null>`to_char(observed_from, 'YYYY-MM-DD')`.as('observed_from_day'),
      sql<string | null>`to_char(observed_to, 'YYYY-MM-DD')`.as('observed_to_day'),
      sql<string | null>`to_char(purged_on, 'YYYY-MM-DD')`.as('purged_day'),
    ])
    .where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function identifiersOf(db: Db, reportId: string) {
  return own(db).selectFrom('report_identifiers').select(['id', 'kind', 'value_sealed', 'unparsed', 'addition_id']).where('report_id', '=', reportId).orderBy('kind').orderBy('id').execute();
}

export async function additionsOf(db: Db, reportId: string) {
  return own(db)
    .selectFrom('report_additions')
    .select(['id', sql<string>`to_char(added_on, 'YYYY-MM-DD')`.as('added_on'), 'narrative_sealed'])
    .where('report_id', '=', reportId)
    .orderBy('added_on')
    .orderBy('id')
    .execute();
}

export async function eventsOf(db: Db, reportId: string) {
  return own(db)
    .selectFrom('report_events')
    .select(['id', 'actor_id', 'kind', 'from_status', 'to_status', 'detail', 'note_sealed', 'created_at'])
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
