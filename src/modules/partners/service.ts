/**
 * Partner organisation use cases: create, list, verify, and attach partner users.
 *
 * Guarantees: every function authorises first through `can`; a partner the caller may not see is
 * "not found", never "forbidden"; every change is audit-logged in the same transaction; a partner
 * user's account gets the global role 'partner' (so two-factor is enforced at their next sign-in,
 * and any session they have without it is ended).
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { requiresTwoFactor } from '../../core/auth/roles.ts';
import { deleteUserSessions, loadRoles } from '../../core/auth/store.ts';
import { appendAudit } from '../../core/audit.ts';
import { isCountryCode } from '../../core/countries.ts';
import type { Tables } from '../../core/db/tables.ts';
import { conflict, forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isEmail, isUuid, normaliseEmail } from '../../core/validation.ts';
import { findAccountId } from '../accounts/index.ts';
import * as store from './store.ts';
import type { PartnerKind } from './tables.ts';

export interface PartnersDeps {
  db: Kysely<Tables>;
}

export { isUuid };

/** The countries a caller answers for as national coordinator. */
export function nationalCountries(actor: UserActor): string[] {
  return actor.roles.filter((grant) => grant.role === 'national-coordinator' && grant.country).map((grant) => grant.country!);
}

const isAdmin = (actor: UserActor) => actor.roles.some((grant) => grant.role === 'admin');

/** What a partner organisation looks like to those who may see it. */
export interface PartnerView {
  id: string;
  kind: PartnerKind;
  name: string;
  country: string;
  area: string;
  point: { latitude: number; longitude: number; radiusKm: number } | null;
  contactEmail: string;
  verified: boolean;
  verifiedAt: string | null;
  partnerUsers: number;
  /** What the caller may do with it. */
  canVerify: boolean;
  canAddUsers: boolean;
}

export function toPartnerView(actor: UserActor, row: store.PartnerRow): PartnerView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    country: row.country,
    area: row.area,
    point: row.latitude !== null && row.longitude !== null && row.radius_km !== null ? { latitude: row.latitude, longitude: row.longitude, radiusKm: row.radius_km } : null,
    contactEmail: row.contact_email,
    verified: row.verified_at !== null,
    verifiedAt: row.verified_at ? new Date(row.verified_at).toISOString() : null,
    partnerUsers: row.user_count,
    canVerify: row.verified_at === null && can(actor, 'partners.verify', { country: row.country }),
    canAddUsers: row.verified_at !== null && can(actor, 'partners.add-user', { country: row.country }),
  };
}

/** A partner as a group coordinator sees it when choosing whom to propose a partnership to. */
export interface PartnerChoice {
  id: string;
  kind: PartnerKind;
  name: string;
  area: string;
}

export interface PartnerInput {
  kind: PartnerKind;
  name: string;
  country: string;
  area: string;
  latitude?: number | undefined;
  longitude?: number | undefined;
  radiusKm?: number | undefined;
  contactEmail: string;
}

/** Checks beyond the schema: a real country, a whole point or none. Forms run it with the schema, so one round shows every problem. */
export function partnerErrors(input: PartnerInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!isCountryCode(input.country)) errors.country = 'partners.errors.countryUnknown';
  if (!isEmail(normaliseEmail(input.contactEmail))) errors.contactEmail = 'errors.email';
  const point = [input.latitude, input.longitude, input.radiusKm];
  const given = point.filter((value) => value !== undefined).length;
  if (given > 0 && given < 3) {
    for (const [field, value] of [['latitude', input.latitude], ['longitude', input.longitude], ['radiusKm', input.radiusKm]] as const) {
      if (value === undefined) errors[field] = 'partners.errors.pointIncomplete';
    }
  }
  if (input.latitude !== undefined && !(Number.isFinite(input.latitude) && Math.abs(input.latitude) <= 90)) errors.latitude = 'partners.errors.latitude';
  if (input.longitude !== undefined && !(Number.isFinite(input.longitude) && Math.abs(input.longitude) <= 180)) errors.longitude = 'partners.errors.longitude';
  if (input.radiusKm !== undefined && !(Number.isFinite(input.radiusKm) && input.radiusKm > 0 && input.radiusKm <= 2000)) errors.radiusKm = 'partners.errors.radius';
  return errors;
}

/** Creates an unverified partner organisation in a country the caller answers for (admins: any). */
export async function createPartner(deps: PartnersDeps, actor: UserActor, input: PartnerInput): Promise<Outcome<PartnerView>> {
  if (!can(actor, 'partners.create')) return forbidden();
  const errors = partnerErrors(input);
  if (!errors.country && !can(actor, 'partners.create', { country: input.country })) errors.country = 'partners.errors.countryNotYours';
  if (Object.keys(errors).length > 0) return invalid(errors);
  return deps.db.transaction().execute(async (trx) => {
    const id = await store.insertPartner(trx, {
      kind: input.kind,
      name: input.name,
      country: input.country,
      area: input.area,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      radiusKm: input.radiusKm ?? null,
      contactEmail: normaliseEmail(input.contactEmail),
      createdBy: actor.userId,
    });
    if (!id) return invalid({ name: 'partners.errors.nameTaken' });
    await appendAudit(trx, { actorId: actor.userId, action: 'partner.created', subject: `partner:${id}`, detail: { kind: input.kind, country: input.country } });
    return ok(toPartnerView(actor, (await store.findPartner(trx, id))!));
  });
}

/** Partners the caller may see: national coordinators their countries', admins all, partner users their own. */
export async function listPartners(deps: PartnersDeps, actor: UserActor): Promise<Outcome<PartnerView[]>> {
  if (!can(actor, 'partners.list')) return forbidden();
  const own = await store.partnerIdsOfUser(deps.db, actor.userId);
  const rows = await store.listPartners(deps.db, { countries: isAdmin(actor) ? 'all' : nationalCountries(actor), ids: own });
  const visible = rows.filter((row) => can(actor, 'partners.read', { country: row.country, membership: own.includes(row.id) ? 'partner-user' : undefined }));
  return ok(visible.map((row) => toPartnerView(actor, row)));
}

/** Finds a partner the caller may see, with the caller's standing towards it. */
async function visiblePartner(deps: PartnersDeps, actor: UserActor, id: string) {
  if (!isUuid(id)) return undefined;
  const row = await store.findPartner(deps.db, id);
  if (!row) return undefined;
  const membership = (await store.partnerIdsOfUser(deps.db, actor.userId)).includes(id) ? ('partner-user' as const) : undefined;
  return can(actor, 'partners.read', { country: row.country, membership }) ? row : undefined;
}

/** A national coordinator of the partner's country confirms it is who it says it is. */
export async function verifyPartner(deps: PartnersDeps, actor: UserActor, id: string): Promise<Outcome<PartnerView>> {
  const row = await visiblePartner(deps, actor, id);
  if (!row) return notFound();
  if (!can(actor, 'partners.verify', { country: row.country })) return forbidden();
  return deps.db.transaction().execute(async (trx) => {
    if (!(await store.markVerified(trx, row.id, actor.userId))) return conflict('partners.errors.alreadyVerified');
    await appendAudit(trx, { actorId: actor.userId, action: 'partner.verified', subject: `partner:${row.id}`, detail: { country: row.country } });
    return ok(toPartnerView(actor, (await store.findPartner(trx, row.id))!));
  });
}

/**
 * Attaches an existing account to a verified partner as a partner user and grants it the role
 * 'partner'. If the account had no role needing two-factor before, its sessions end, so it signs in
 * again and sets up two-factor before it can act for the partner.
 */
export async function addPartnerUser(deps: PartnersDeps, actor: UserActor, partnerId: string, input: { email: string }): Promise<Outcome<{ userId: string }>> {
  const row = await visiblePartner(deps, actor, partnerId);
  if (!row) return notFound();
  if (!can(actor, 'partners.add-user', { country: row.country })) return forbidden();
  if (!row.verified_at) return conflict('partners.errors.partnerNotVerifiedYet');
  const userId = await findAccountId(deps.db, input.email);
  if (!userId) return invalid({ email: 'partners.errors.accountUnknown' });
  return deps.db.transaction().execute(async (trx) => {
    if (!(await store.insertPartnerUser(trx, row.id, userId, actor.userId))) return invalid({ email: 'partners.errors.alreadyPartnerUser' });
    const hadTwoFactorRole = requiresTwoFactor(await loadRoles(trx, userId));
    await store.grantPartnerRole(trx, userId);
    if (!hadTwoFactorRole) await deleteUserSessions(trx, userId);
    await appendAudit(trx, { actorId: actor.userId, action: 'partner.user-added', subject: `partner:${row.id}`, detail: { userId } });
    return ok({ userId });
  });
}

/** Verified partners a group could propose a partnership to: those of the group's country. */
export async function partnerChoices(deps: PartnersDeps, country: string): Promise<PartnerChoice[]> {
  const rows = await store.listVerifiedPartners(deps.db, country);
  return rows.map((row) => ({ id: row.id, kind: row.kind, name: row.name, area: row.area }));
}
