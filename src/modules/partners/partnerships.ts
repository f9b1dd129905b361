/**
 * Partnership use cases: a group coordinator proposes a partnership with a verified partner of the
 * group's country under a written information-sharing agreement; a partner user accepts or declines;
 * either side ends it. Partnerships are the channel later disclosures travel through.
 *
 * Guarantees: authorisation first through `can`; a partnership the caller may not see is "not
 * found"; at most one open (proposed or active) partnership per group and partner; handling code C
 * always has its conditions written down; every change is audit-logged in its transaction.
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { can, type Membership } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { conflict, forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { groupBasics, groupsCoordinatedBy, membershipOf } from '../groups/index.ts';
import { isUuid, nationalCountries, partnerChoices, type PartnerChoice, type PartnersDeps } from './service.ts';
import * as store from './store.ts';
import type { HandlingCode, PartnerKind, PartnershipStatus } from './tables.ts';

export interface PartnershipView {
  id: string;
  group: { id: string; name: string };
  partner: { id: string; name: string; kind: PartnerKind };
  country: string;
  status: PartnershipStatus;
  agreement: { reference: string; signedOn: string; contacts: string; handlingCodes: HandlingCode[]; conditions: string | null };
  proposedAt: string;
  respondedAt: string | null;
  endedOn: string | null;
  /** What the caller may do with it now. */
  canRespond: boolean;
  canEnd: boolean;
}

export interface ProposalInput {
  groupId: string;
  partnerId: string;
  agreementReference: string;
  signedOn: string;
  contacts: string;
  handlingCodes: HandlingCode[];
  conditions?: string | undefined;
}

/** Today as YYYY-MM-DD in UTC. */
export const today = (): string => new Date().toISOString().slice(0, 10);

/** A real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The caller's standing towards a partnership: the memberships that apply, and whether it is visible at all. */
async function standing(deps: PartnersDeps, actor: UserActor, row: store.PartnershipRow) {
  const partnerUser = (await store.partnerIdsOfUser(deps.db, actor.userId)).includes(row.partner_id);
  const coordinator = (await membershipOf(deps.db, row.group_id, actor.userId)) === 'coordinator';
  const memberships: Membership[] = [...(partnerUser ? (['partner-user'] as const) : []), ...(coordinator ? (['group-coordinator'] as const) : [])];
  const allowed = (permission: 'partnerships.read' | 'partnerships.respond' | 'partnerships.end') =>
    can(actor, permission, { country: row.country }) || memberships.some((membership) => can(actor, permission, { country: row.country, membership }));
  return { visible: allowed('partnerships.read'), canRespond: allowed('partnerships.respond'), canEnd: allowed('partnerships.end') };
}

async function toView(deps: PartnersDeps, actor: UserActor, row: store.PartnershipRow, names: Map<string, string>): Promise<PartnershipView | undefined> {
  const who = await standing(deps, actor, row);
  if (!who.visible) return undefined;
  if (!names.has(row.group_id)) names.set(row.group_id, (await groupBasics(deps.db, row.group_id))?.name ?? '');
  return {
    id: row.id,
    group: { id: row.group_id, name: names.get(row.group_id) ?? '' },
    partner: { id: row.partner_id, name: row.partner_name, kind: row.partner_kind },
    country: row.country,
    status: row.status,
    agreement: { reference: row.agreement_reference, signedOn: row.agreement_signed_on, contacts: row.contacts, handlingCodes: row.handling_codes, conditions: row.conditions },
    proposedAt: new Date(row.proposed_at).toISOString(),
    respondedAt: row.responded_at ? new Date(row.responded_at).toISOString() : null,
    endedOn: row.ended_on,
    canRespond: who.canRespond && row.status === 'proposed',
    canEnd: who.canEnd && row.status === 'active',
  };
}

/** Groups the caller coordinates among those given. */
async function coordinatedAmong(deps: PartnersDeps, actor: UserActor, groupIds: readonly string[]): Promise<string[]> {
  const mine: string[] = [];
  for (const groupId of groupIds) if ((await membershipOf(deps.db, groupId, actor.userId)) === 'coordinator') mine.push(groupId);
  return mine;
}

/** Partnerships the caller may see: their country's (national coordinators), their groups' (group coordinators), their organisation's (partner users). */
export async function listPartnerships(deps: PartnersDeps, actor: UserActor): Promise<Outcome<PartnershipView[]>> {
  if (!can(actor, 'partners.list')) return forbidden();
  const rows = await store.listPartnerships(deps.db, {
    countries: nationalCountries(actor),
    partnerIds: await store.partnerIdsOfUser(deps.db, actor.userId),
    groupIds: await groupsCoordinatedBy(deps.db, actor.userId),
  });
  const names = new Map<string, string>();
  const views: PartnershipView[] = [];
  for (const row of rows) {
    const view = await toView(deps, actor, row, names);
    if (view) views.push(view);
  }
  return ok(views);
}

/** Groups the caller coordinates (among those named), each with the verified partners it could propose to. */
export async function proposalChoices(
  deps: PartnersDeps,
  actor: UserActor,
  groupIds: readonly string[],
): Promise<{ groups: { id: string; name: string; country: string }[]; partners: Record<string, PartnerChoice[]> }> {
  // The groups the caller coordinates, plus any named in the address (checked below like the rest).
  const candidates = [...new Set([...groupIds.filter(isUuid), ...(await groupsCoordinatedBy(deps.db, actor.userId))])];
  const groups: { id: string; name: string; country: string }[] = [];
  const partners: Record<string, PartnerChoice[]> = {};
  for (const groupId of await coordinatedAmong(deps, actor, candidates)) {
    if (!can(actor, 'partnerships.propose', { membership: 'group-coordinator' })) continue;
    const group = await groupBasics(deps.db, groupId);
    if (!group) continue;
    groups.push({ id: group.id, name: group.name, country: group.country });
    partners[group.country] ??= await partnerChoices(deps, group.country);
  }
  return { groups, partners };
}

/** A group coordinator proposes a partnership between their group and a verified partner of the same country. */
export async function proposePartnership(deps: PartnersDeps, actor: UserActor, input: ProposalInput): Promise<Outcome<PartnershipView>> {
  const membership = isUuid(input.groupId) && (await membershipOf(deps.db, input.groupId, actor.userId)) === 'coordinator' ? 'group-coordinator' : undefined;
  if (!can(actor, 'partnerships.propose', { membership })) return forbidden();
  const group = await groupBasics(deps.db, input.groupId);
  if (!group) return forbidden();
  const errors: FieldErrors = {};
  const partner = isUuid(input.partnerId) ? await store.findPartner(deps.db, input.partnerId) : undefined;
  if (!partner) errors.partnerId = 'partners.errors.partnerUnknown';
  else if (!partner.verified_at) errors.partnerId = 'partners.errors.partnerUnverified';
  else if (partner.country !== group.country.trim()) errors.partnerId = 'partners.errors.partnerOtherCountry';
  if (!isDay(input.signedOn)) errors.signedOn = 'partners.errors.date';
  else if (input.signedOn > today()) errors.signedOn = 'partners.errors.signedInFuture';
  const codes = [...new Set(input.handlingCodes)].sort().reverse();
  if (codes.length === 0) errors.handlingCodes = 'partners.errors.handlingCodes';
  const conditions = input.conditions?.trim() || undefined;
  if (codes.includes('C') && !conditions) errors.conditions = 'partners.errors.conditionsRequired';
  if (Object.keys(errors).length > 0) return invalid(errors);
  return deps.db.transaction().execute(async (trx) => {
    const id = await store.insertPartnership(trx, {
      groupId: group.id,
      partnerId: input.partnerId,
      reference: input.agreementReference,
      signedOn: input.signedOn,
      contacts: input.contacts,
      handlingCodes: codes,
      conditions: codes.includes('C') ? conditions! : null,
      proposedBy: actor.userId,
    });
    if (!id) return invalid({ partnerId: 'partners.errors.partnershipExists' });
    await appendAudit(trx, { actorId: actor.userId, action: 'partnership.proposed', subject: `partnership:${id}`, detail: { groupId: group.id, partnerId: input.partnerId, handlingCodes: codes } });
    const view = await toView({ db: trx }, actor, (await store.findPartnership(trx, id))!, new Map([[group.id, group.name]]));
    return ok(view!);
  });
}

async function visiblePartnership(deps: PartnersDeps, actor: UserActor, id: string) {
  if (!isUuid(id)) return undefined;
  const row = await store.findPartnership(deps.db, id);
  if (!row) return undefined;
  const who = await standing(deps, actor, row);
  return who.visible ? { row, ...who } : undefined;
}

/** A partner user of the partnership's organisation accepts (active) or declines a proposal. */
export async function respondToProposal(deps: PartnersDeps, actor: UserActor, id: string, answer: 'accept' | 'decline'): Promise<Outcome<PartnershipView>> {
  const found = await visiblePartnership(deps, actor, id);
  if (!found) return notFound();
  if (!found.canRespond) return forbidden();
  const status = answer === 'accept' ? 'active' : 'declined';
  return deps.db.transaction().execute(async (trx) => {
    if (!(await store.respond(trx, found.row.id, status, actor.userId))) return conflict('partners.errors.notProposed');
    await appendAudit(trx, { actorId: actor.userId, action: answer === 'accept' ? 'partnership.accepted' : 'partnership.declined', subject: `partnership:${found.row.id}` });
    return ok((await toView({ db: trx }, actor, (await store.findPartnership(trx, found.row.id))!, new Map()))!);
  });
}

/** The group's coordinator or a partner user ends an active partnership, as of a day (today by default). */
export async function endPartnership(deps: PartnersDeps, actor: UserActor, id: string, input: { endedOn?: string | undefined }): Promise<Outcome<PartnershipView>> {
  const found = await visiblePartnership(deps, actor, id);
  if (!found) return notFound();
  if (!found.canEnd) return forbidden();
  const endedOn = input.endedOn ?? today();
  if (!isDay(endedOn)) return invalid({ endedOn: 'partners.errors.date' });
  if (endedOn > today()) return invalid({ endedOn: 'partners.errors.endedInFuture' });
  if (endedOn < found.row.agreement_signed_on) return invalid({ endedOn: 'partners.errors.endedBeforeSigned' });
  return deps.db.transaction().execute(async (trx) => {
    if (!(await store.markEnded(trx, found.row.id, endedOn, actor.userId))) return conflict('partners.errors.notActive');
    await appendAudit(trx, { actorId: actor.userId, action: 'partnership.ended', subject: `partnership:${found.row.id}`, detail: { endedOn } });
    return ok((await toView({ db: trx }, actor, (await store.findPartnership(trx, found.row.id))!, new Map()))!);
  });
}

/**
 * For the sharing module: the active partnership between a group and a partner, if there is one —
 * the channel a disclosure may be sent through, with the handling codes its agreement covers.
 * The caller authorises the disclosure; this only answers whether the channel exists.
 */
export async function activePartnership(
  db: Kysely<Tables>,
  groupId: string,
  partnerId: string,
): Promise<{ id: string; groupId: string; partnerId: string; handlingCodes: HandlingCode[]; conditions: string | null; agreementReference: string } | undefined> {
  if (!isUuid(groupId) || !isUuid(partnerId)) return undefined;
  const row = await store.activePartnershipOf(db, groupId, partnerId);
  return row && { id: row.id, groupId: row.group_id, partnerId: row.partner_id, handlingCodes: row.handling_codes, conditions: row.conditions, agreementReference: row.agreement_reference };
}
