/** SQL of the sharing module: its own tables only (disclosures, their reports, outcomes, terms, group settings). */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { DisclosureStatus, IdentifierKind, Marking, OutcomeKind, SharingTables } from './tables.ts';

type Db = Kysely<Tables>;
const own = (db: Db) => db.withTables<SharingTables>();

export interface DisclosureRow {
  id: string;
  reference: string;
  partnership_id: string;
  group_id: string;
  partner_id: string;
  country: string;
  status: DisclosureStatus;
  marking: Marking | null;
  handling_codes: ('P' | 'C')[];
  report_count: number;
  content_sealed: string;
  created_by: string | null;
  created_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  sent_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}

// ---------------------------------------------------------------- settings and terms

export async function secondApproval(db: Db, groupId: string): Promise<boolean> {
  const row = await own(db).selectFrom('sharing_group_settings').select('second_approval').where('group_id', '=', groupId).executeTakeFirst();
  return row?.second_approval ?? true;
}

export async function setSecondApproval(db: Db, groupId: string, required: boolean, userId: string): Promise<void> {
  await own(db)
    .insertInto('sharing_group_settings')
    .values({ group_id: groupId, second_approval: required, updated_by: userId })
    .onConflict((oc) => oc.column('group_id').doUpdateSet({ second_approval: required, updated_by: userId, updated_at: sql<Date>`now()` }))
    .execute();
}

export async function termsOf(db: Db, partnershipId: string): Promise<{ identifierKinds: IdentifierKind[]; preciseLocation: boolean }> {
  const row = await own(db).selectFrom('disclosure_terms').select(['identifier_kinds', 'precise_location']).where('partnership_id', '=', partnershipId).executeTakeFirst();
  return { identifierKinds: row?.identifier_kinds ?? [], preciseLocation: row?.precise_location ?? false };
}

export async function setTerms(db: Db, partnershipId: string, terms: { identifierKinds: IdentifierKind[]; preciseLocation: boolean }, userId: string): Promise<void> {
  const values = { identifier_kinds: terms.identifierKinds, precise_location: terms.preciseLocation, set_by: userId };
  await own(db)
    .insertInto('disclosure_terms')
    .values({ partnership_id: partnershipId, ...values })
    .onConflict((oc) => oc.column('partnership_id').doUpdateSet({ ...values, set_at: sql<Date>`now()` }))
    .execute();
}

// ---------------------------------------------------------------- disclosures

export async function insertDisclosure(
  db: Db,
  values: { reference: string; partnershipId: string; groupId: string; partnerId: string; country: string; marking: Marking | null; handlingCodes: ('P' | 'C')[]; reportIds: readonly string[]; contentSealed: string; createdBy: string },
): Promise<string> {
  const row = await own(db)
    .insertInto('disclosures')
    .values({
      reference: values.reference,
      partnership_id: values.partnershipId,
      group_id: values.groupId,
      partner_id: values.partnerId,
      country: values.country,
      status: 'awaiting-approval',
      marking: values.marking,
      handling_codes: values.handlingCodes,
      report_count: values.reportIds.length,
      content_sealed: values.contentSealed,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await own(db)
    .insertInto('disclosure_reports')
    .values(values.reportIds.map((reportId) => ({ disclosure_id: row.id, report_id: reportId })))
    .execute();
  return row.id;
}

export async function findDisclosure(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<DisclosureRow | undefined> {
  let query = own(db).selectFrom('disclosures').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function reportIdsOf(db: Db, disclosureId: string): Promise<string[]> {
  const rows = await own(db).selectFrom('disclosure_reports').select('report_id').where('disclosure_id', '=', disclosureId).orderBy('report_id').execute();
  return rows.map((row) => row.report_id);
}

/** awaiting-approval → sent; false if someone else moved it first. */
export async function markSent(db: Db, id: string, approvedBy: string | null): Promise<boolean> {
  const result = await own(db)
    .updateTable('disclosures')
    .set({ status: 'sent', sent_at: sql<Date>`now()`, ...(approvedBy ? { approved_by: approvedBy, approved_at: sql<Date>`now()` } : {}) })
    .where('id', '=', id)
    .where('status', '=', 'awaiting-approval')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** sent → acknowledged; false if it was not sent or already acknowledged. */
export async function markAcknowledged(db: Db, id: string, userId: string): Promise<boolean> {
  const result = await own(db)
    .updateTable('disclosures')
    .set({ status: 'acknowledged', acknowledged_by: userId, acknowledged_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'sent')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Disclosures sent to the given partners, or held by the given groups or countries (any of them), newest first. */
export async function listDisclosures(
  db: Db,
  filter: { partnerIds: readonly string[]; groupIds: readonly string[]; countries: readonly string[] },
  limit: number,
): Promise<Omit<DisclosureRow, 'content_sealed'>[]> {
  if (filter.partnerIds.length + filter.groupIds.length + filter.countries.length === 0) return [];
  return own(db)
    .selectFrom('disclosures')
    .select(['id', 'reference', 'partnership_id', 'group_id', 'partner_id', 'country', 'status', 'marking', 'handling_codes', 'report_count', 'created_by', 'created_at', 'approved_by', 'approved_at', 'sent_at', 'acknowledged_by', 'acknowledged_at'])
    .where((eb) =>
      eb.or([
        ...(filter.partnerIds.length ? [eb.and([eb('partner_id', 'in', filter.partnerIds), eb('status', '<>', 'awaiting-approval')])] : []),
        ...(filter.groupIds.length ? [eb('group_id', 'in', filter.groupIds)] : []),
        ...(filter.countries.length ? [eb('country', 'in', filter.countries)] : []),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------- outcomes

export async function insertOutcome(db: Db, values: { disclosureId: string; kind: OutcomeKind; count: number | null; noteSealed: string | null; recordedBy: string; recordedOn: string }): Promise<string> {
  const row = await own(db)
    .insertInto('disclosure_outcomes')
    .values({ disclosure_id: values.disclosureId, kind: values.kind, count: values.count, note_sealed: values.noteSealed, recorded_by: values.recordedBy, recorded_on: values.recordedOn })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function outcomesOf(db: Db, disclosureId: string) {
  return own(db)
    .selectFrom('disclosure_outcomes')
    .select(['id', 'kind', 'count', 'note_sealed', 'recorded_by', sql<string>`to_char(recorded_on, 'YYYY-MM-DD')`.as('recorded_on'), 'created_at'])
    .where('disclosure_id', '=', disclosureId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A group's outcomes, counted by kind (people summed for counted kinds), and how many disclosures it has sent. */
export async function groupOutcomeCounts(db: Db, groupId: string) {
  const [outcomes, disclosures] = await Promise.all([
    own(db)
      .selectFrom('disclosure_outcomes as o')
      .innerJoin('disclosures as d', 'd.id', 'o.disclosure_id')
      .select(['o.kind', sql<string>`count(*)`.as('outcomes'), sql<string | null>`sum(o.count)`.as('people')])
      .where('d.group_id', '=', groupId)
      .groupBy('o.kind')
      .execute(),
    own(db)
      .selectFrom('disclosures')
      .select([sql<string>`count(*) filter (where status <> 'awaiting-approval')`.as('sent'), sql<string>`count(*) filter (where status = 'acknowledged')`.as('acknowledged')])
      .where('group_id', '=', groupId)
      .executeTakeFirstOrThrow(),
  ]);
  return { outcomes, disclosures };
}

/** Outcomes of the given countries, counted by country, month (of the day recorded) and kind. */
export async function outcomeTotals(db: Db, countries: readonly string[], range: { from?: string | undefined; to?: string | undefined }) {
  if (countries.length === 0) return [];
  return own(db)
    .selectFrom('disclosure_outcomes as o')
    .innerJoin('disclosures as d', 'd.id', 'o.disclosure_id')
    .select(['d.country', sql<string>`to_char(o.recorded_on, 'YYYY-MM')`.as('month'), 'o.kind', sql<string>`count(*)`.as('outcomes'), sql<string | null>`sum(o.count)`.as('people')])
    .where('d.country', 'in', countries)
    .$if(range.from !== undefined, (q) => q.where('o.recorded_on', '>=', range.from!))
    .$if(range.to !== undefined, (q) => q.where('o.recorded_on', '<=', range.to!))
    .groupBy(['d.country', sql`to_char(o.recorded_on, 'YYYY-MM')`, 'o.kind'])
    .orderBy('d.country')
    .orderBy(sql`to_char(o.recorded_on, 'YYYY-MM')`)
    .execute();
}
