/** SQL of the partners module: partner organisations, their partner users, partnerships. Only its own tables, plus the foundation's user_roles for the 'partner' role. */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { HandlingCode, PartnerKind, PartnersTables, PartnershipStatus } from './tables.ts';

type Db = Kysely<Tables>;
const own = (db: Db) => db.withTables<PartnersTables>();

export interface PartnerRow {
  id: string;
  kind: PartnerKind;
  name: string;
  country: string;
  area: string;
  latitude: number | null;
  longitude: number | null;
  radius_km: number | null;
  contact_email: string;
  created_at: Date;
  verified_at: Date | null;
  verified_by: string | null;
  user_count: number;
}

export interface PartnershipRow {
  id: string;
  group_id: string;
  partner_id: string;
  partner_name: string;
  partner_kind: PartnerKind;
  country: string;
  status: PartnershipStatus;
  agreement_reference: string;
  agreement_signed_on: string;
  contacts: string;
  handling_codes: HandlingCode[];
  conditions: string | null;
  proposed_at: Date;
  responded_at: Date | null;
  ended_on: string | null;
}

function partners(db: Db) {
  return own(db)
    .selectFrom('partner_organisations as p')
    .select(['p.id', 'p.kind', 'p.name', 'p.country', 'p.area', 'p.latitude', 'p.longitude', 'p.radius_km', 'p.contact_email', 'p.created_at', 'p.verified_at', 'p.verified_by'])
    .select((eb) => eb.selectFrom('partner_users as u').whereRef('u.partner_id', '=', 'p.id').select((e) => e.fn.countAll<number>().as('n')).as('user_count'));
}

const asPartner = (row: Omit<PartnerRow, 'user_count'> & { user_count: number | string | null }): PartnerRow => ({ ...row, user_count: Number(row.user_count ?? 0) });

export async function insertPartner(
  db: Db,
  values: { kind: PartnerKind; name: string; country: string; area: string; latitude: number | null; longitude: number | null; radiusKm: number | null; contactEmail: string; createdBy: string },
): Promise<string | undefined> {
  const row = await own(db)
    .insertInto('partner_organisations')
    .values({
      kind: values.kind,
      name: values.name,
      country: values.country,
      area: values.area,
      latitude: values.latitude,
      longitude: values.longitude,
      radius_km: values.radiusKm,
      contact_email: values.contactEmail,
      created_by: values.createdBy,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findPartner(db: Db, id: string): Promise<PartnerRow | undefined> {
  const row = await partners(db).where('p.id', '=', id).executeTakeFirst();
  return row && asPartner(row);
}

/** Partners in the given countries ('all' for every country) or with the given ids. */
export async function listPartners(db: Db, filter: { countries: readonly string[] | 'all'; ids: readonly string[] }): Promise<PartnerRow[]> {
  if (filter.countries !== 'all' && filter.countries.length === 0 && filter.ids.length === 0) return [];
  const countries = filter.countries;
  const rows = await partners(db)
    .$if(countries !== 'all', (q) =>
      q.where((eb) =>
        eb.or([
          ...(countries !== 'all' && countries.length ? [eb('p.country', 'in', countries)] : []),
          ...(filter.ids.length ? [eb('p.id', 'in', filter.ids)] : []),
        ]),
      ),
    )
    .orderBy('p.country')
    .orderBy('p.name')
    .execute();
  return rows.map(asPartner);
}

export async function listVerifiedPartners(db: Db, country: string): Promise<PartnerRow[]> {
  const rows = await partners(db).where('p.country', '=', country).where('p.verified_at', 'is not', null).orderBy('p.name').execute();
  return rows.map(asPartner);
}

/** Marks a partner verified, once: false if it already was. */
export async function markVerified(db: Db, id: string, userId: string): Promise<boolean> {
  const result = await own(db).updateTable('partner_organisations').set({ verified_at: new Date(), verified_by: userId }).where('id', '=', id).where('verified_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function partnerIdsOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await own(db).selectFrom('partner_users').select('partner_id').where('user_id', '=', userId).execute();
  return rows.map((row) => row.partner_id);
}

/** Adds a partner user; false if the account already acts for this partner. */
export async function insertPartnerUser(db: Db, partnerId: string, userId: string, addedBy: string): Promise<boolean> {
  const row = await own(db)
    .insertInto('partner_users')
    .values({ partner_id: partnerId, user_id: userId, added_by: addedBy })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function grantPartnerRole(db: Db, userId: string): Promise<void> {
  await db.insertInto('user_roles').values({ user_id: userId, role: 'partner', country: null }).onConflict((oc) => oc.doNothing()).execute();
}

// ---------------------------------------------------------------- partnerships

function partnerships(db: Db) {
  return own(db)
    .selectFrom('partnerships as s')
    .innerJoin('partner_organisations as p', 'p.id', 's.partner_id')
    .select([
      's.id',
      's.group_id',
      's.partner_id',
      'p.name as partner_name',
      'p.kind as partner_kind',
      'p.country',
      's.status',
      's.agreement_reference',
      sql<string>`to_char(s.agreement_signed_on, 'YYYY-MM-DD')`.as('agreement_signed_on'),
      's.contacts',
      's.handling_codes',
      's.conditions',
      's.proposed_at',
      's.responded_at',
      sql<string | null>`to_char(s.ended_on, 'YYYY-MM-DD')`.as('ended_on'),
    ]);
}

export async function insertPartnership(
  db: Db,
  values: { groupId: string; partnerId: string; reference: string; signedOn: string; contacts: string; handlingCodes: HandlingCode[]; conditions: string | null; proposedBy: string },
): Promise<string | undefined> {
  const row = await own(db)
    .insertInto('partnerships')
    .values({
      group_id: values.groupId,
      partner_id: values.partnerId,
      agreement_reference: values.reference,
      agreement_signed_on: values.signedOn,
      contacts: values.contacts,
      handling_codes: values.handlingCodes,
      conditions: values.conditions,
      proposed_by: values.proposedBy,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findPartnership(db: Db, id: string): Promise<PartnershipRow | undefined> {
  return partnerships(db).where('s.id', '=', id).executeTakeFirst();
}

/** Partnerships of the given countries, partners or groups (any of them). */
export async function listPartnerships(db: Db, filter: { countries: readonly string[]; partnerIds: readonly string[]; groupIds: readonly string[] }): Promise<PartnershipRow[]> {
  if (filter.countries.length + filter.partnerIds.length + filter.groupIds.length === 0) return [];
  return partnerships(db)
    .where((eb) =>
      eb.or([
        ...(filter.countries.length ? [eb('p.country', 'in', filter.countries)] : []),
        ...(filter.partnerIds.length ? [eb('s.partner_id', 'in', filter.partnerIds)] : []),
        ...(filter.groupIds.length ? [eb('s.group_id', 'in', filter.groupIds)] : []),
      ]),
    )
    .orderBy('s.proposed_at', 'desc')
    .execute();
}

export async function activePartnershipOf(db: Db, groupId: string, partnerId: string): Promise<PartnershipRow | undefined> {
  return partnerships(db).where('s.group_id', '=', groupId).where('s.partner_id', '=', partnerId).where('s.status', '=', 'active').executeTakeFirst();
}

/** Answers a proposal; false if it is no longer proposed (someone answered first). */
export async function respond(db: Db, id: string, status: 'active' | 'declined', userId: string): Promise<boolean> {
  const result = await own(db)
    .updateTable('partnerships')
    .set({ status, responded_by: userId, responded_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markEnded(db: Db, id: string, endedOn: string, userId: string): Promise<boolean> {
  const result = await own(db).updateTable('partnerships').set({ status: 'ended', ended_on: endedOn, ended_by: userId }).where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The accounts acting for a partner, with what a notification needs (address, language, whether they use two-factor). */
export async function partnerUserContacts(db: Db, partnerId: string): Promise<{ user_id: string; email: string; language: string; two_factor: boolean }[]> {
  const rows = await own(db)
    .selectFrom('partner_users as u')
    .innerJoin('users', 'users.id', 'u.user_id')
    .select(['u.user_id', 'users.email', 'users.language', sql<boolean>`users.totp_enabled_at is not null`.as('two_factor')])
    .where('u.partner_id', '=', partnerId)
    .where('users.disabled_at', 'is', null)
    .orderBy('u.user_id')
    .execute();
  return rows;
}

/** Active partnerships of the given groups or of partners in the given countries. */
export async function activePartnershipsOf(db: Db, filter: { groupIds: readonly string[]; countries: readonly string[] }): Promise<PartnershipRow[]> {
  if (filter.groupIds.length + filter.countries.length === 0) return [];
  return partnerships(db)
    .where('s.status', '=', 'active')
    .where((eb) => eb.or([...(filter.groupIds.length ? [eb('s.group_id', 'in', filter.groupIds)] : []), ...(filter.countries.length ? [eb('p.country', 'in', filter.countries)] : [])]))
    .orderBy('p.name')
    .execute();
}
