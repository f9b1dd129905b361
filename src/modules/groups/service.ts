/**
 * Group use cases: starting a group, the public directory, joining (requests and invitations),
 * managing members, listing approval by national coordinators, and the awareness activity log with
 * its totals.
 *
 * Guarantees: every function authorises first (through `can`, with the actor's membership of the
 * group worked out here); a group the actor may not see answers not-found, never forbidden, so its
 * existence is not revealed; membership changes, listing approvals and invitation use are audited in
 * the same transaction (ids only); a group always keeps at least one coordinator; invitation tokens
 * are stored hashed, expire after seven days and work once.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { can, ruleOf, type Membership, type Permission } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Config } from '../../core/config.ts';
import { isCountryCode } from '../../core/countries.ts';
import type { Tables } from '../../core/db/tables.ts';
import { translator } from '../../core/i18n.ts';
import type { Jobs } from '../../core/jobs.ts';
import { enqueueMail } from '../../core/mail-job.ts';
import { conflict, forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isEmail, isUuid, normaliseEmail } from '../../core/validation.ts';
import { displayNames } from '../accounts/index.ts';
import { areaErrors, coarsePoint, parseBoundary } from './area.ts';
import * as store from './store.ts';
import type { ActivityKind, Audience, GroupKind, GroupRole } from './tables.ts';
import { isPackSlug } from '../packs/index.ts';

export interface GroupsDeps {
  db: Kysely<Tables>;
  jobs: Jobs;
  config: Pick<Config, 'publicUrl'>;
}

export const GROUP_KINDS: readonly GroupKind[] = ['school', 'community', 'faith', 'business', 'neighbourhood', 'other'];
export const GROUP_ROLES: readonly GroupRole[] = ['coordinator', 'member'];
export const ACTIVITY_KINDS: readonly ActivityKind[] = ['talk', 'stall', 'screening', 'business-briefing', 'freedom-week', 'assembly', 'other'];
export const AUDIENCES: readonly Audience[] = ['school', 'community', 'faith', 'business', 'public', 'other'];
export const INVITATION_TTL_DAYS = 7;
export const MAX_PEOPLE_REACHED = 1_000_000;
const EARLIEST_ACTIVITY = '2000-01-01';

export { isUuid };

const membershipFor = (role: GroupRole | undefined): Membership | undefined =>
  role === 'coordinator' ? 'group-coordinator' : role === 'member' ? 'group-member' : undefined;

const tokenLacksScope = (actor: UserActor, permission: Permission) => {
  const scope = ruleOf(permission).scope;
  return actor.via === 'token' && (!scope || !actor.scopes?.includes(scope));
};

const text = (value: string | undefined | null) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

interface Access {
  group: store.GroupRow;
  role: GroupRole | undefined;
}

/**
 * Loads a group and checks the actor may do `permission` on it. A group the actor cannot see (not
 * listed, no standing) is not-found; one they can see but not act on is forbidden.
 */
async function access(db: Kysely<Tables>, actor: UserActor, groupId: string, permission: Permission, options: { forUpdate?: boolean } = {}): Promise<Outcome<Access>> {
  if (tokenLacksScope(actor, permission)) return forbidden();
  if (!isUuid(groupId)) return notFound();
  const group = await store.findGroup(db, groupId, options);
  if (!group) return notFound();
  const role = await store.membershipOf(db, groupId, actor.userId);
  const resource = { membership: membershipFor(role), country: group.country };
  if (can(actor, permission, resource)) return ok({ group, role });
  if (group.listed || can(actor, 'groups.read', resource)) return forbidden();
  return notFound();
}

// ---------------------------------------------------------------- views per audience

export interface PublicGroup {
  id: string;
  name: string;
  kind: GroupKind;
  locality: string;
  country: string;
  /** The centre snapped to a 0.1° grid; never the precise centre, never the radius. */
  point: { lat: number; lon: number };
}

export function toPublicView(group: { id: string; name: string; kind: GroupKind; locality: string; country: string; centre_lat: number; centre_lon: number }): PublicGroup {
  return { id: group.id, name: group.name, kind: group.kind, locality: group.locality, country: group.country, point: coarsePoint(group.centre_lat, group.centre_lon) };
}

export interface MemberGroup extends Omit<PublicGroup, 'point'> {
  centre: { lat: number; lon: number };
  radiusKm: number;
  boundary: unknown;
  listed: boolean;
  listingRequested: boolean;
  createdAt: string;
}

export function toMemberView(group: store.GroupRow): MemberGroup {
  return {
    id: group.id,
    name: group.name,
    kind: group.kind,
    locality: group.locality,
    country: group.country,
    centre: { lat: group.centre_lat, lon: group.centre_lon },
    radiusKm: Number(group.radius_km),
    boundary: group.boundary ?? null,
    listed: group.listed,
    listingRequested: group.listing_requested_at !== null,
    createdAt: new Date(group.created_at).toISOString(),
  };
}

// ---------------------------------------------------------------- starting a group, the directory

export interface GroupInput {
  name: string;
  kind: string;
  country: string;
  locality: string;
  lat: number;
  lon: number;
  radiusKm: number;
  boundary?: unknown;
}

/** Starts a group; its founder becomes its coordinator. It starts unlisted. */
export async function createGroup(deps: GroupsDeps, actor: UserActor, input: GroupInput): Promise<Outcome<{ id: string }>> {
  if (!can(actor, 'groups.create')) return forbidden();
  const errors: FieldErrors = {};
  const name = input.name.trim();
  const locality = input.locality.trim();
  const country = input.country.trim().toUpperCase();
  if (name.length < 1 || name.length > 120) errors.name = 'groups.errors.name';
  if (!(GROUP_KINDS as readonly string[]).includes(input.kind)) errors.kind = 'groups.errors.kind';
  if (!isCountryCode(country)) errors.country = 'groups.errors.country';
  if (locality.length < 1 || locality.length > 120) errors.locality = 'groups.errors.locality';
  Object.assign(errors, areaErrors(input));
  let boundary: unknown = null;
  if (input.boundary !== undefined && input.boundary !== null && input.boundary !== '') {
    boundary = parseBoundary(input.boundary);
    if (!boundary) errors.boundary = 'groups.errors.boundary';
  }
  if (Object.keys(errors).length > 0) return invalid(errors);
  const id = await deps.db.transaction().execute(async (trx) => {
    const groupId = await store.insertGroup(trx, { name, kind: input.kind as GroupKind, country, locality, lat: input.lat, lon: input.lon, radiusKm: input.radiusKm, boundary }, actor.userId);
    await store.addMember(trx, groupId, actor.userId, 'coordinator');
    await appendAudit(trx, { actorId: actor.userId, action: 'group.created', subject: `group:${groupId}`, detail: { country } });
    await appendAudit(trx, { actorId: actor.userId, action: 'group.member-added', subject: `group:${groupId}`, detail: { userId: actor.userId, role: 'coordinator', via: 'founder' } });
    return groupId;
  });
  return ok({ id });
}

export interface DirectoryFilter {
  q?: string | undefined;
  country?: string | undefined;
  /** The `next` of the page before; absent for the first page. */
  after?: string | undefined;
}

export interface DirectoryPage {
  groups: PublicGroup[];
  pageSize: number;
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
  /** Groups matching the filter: exact up to DIRECTORY_COUNT_CAP, else that cap with countExact false ("more than"). */
  count: number;
  countExact: boolean;
}

/** Cursors are opaque to callers: base64url of [lower-cased name, id]. */
const encodeCursor = (cursor: store.DirectoryCursor) => Buffer.from(JSON.stringify([cursor.name, cursor.id])).toString('base64url');

function decodeCursor(text: string): store.DirectoryCursor | undefined {
  if (!/^[\w-]{1,700}$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // A NUL would reach the database, which refuses it in text with an error: no real cursor holds one.
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && value[0].length <= 200 && !value[0].includes('\u0000') && isUuid(value[1])) return { name: value[0], id: value[1] };
  } catch {
    // Not JSON: reported as a bad cursor below.
  }
  return undefined;
}

/** The public directory of listed groups: no members, no precise area. Needs no sign-in. */
export async function directory(deps: GroupsDeps, filter: DirectoryFilter): Promise<Outcome<DirectoryPage>> {
  const errors: FieldErrors = {};
  const country = filter.country?.trim().toUpperCase() || undefined;
  if (country !== undefined && !isCountryCode(country)) errors.country = 'groups.errors.country';
  // A search ignores control characters: a NUL could not even reach the database (it refuses one in text).
  const q = filter.q?.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 100) || undefined;
  const after = filter.after ? decodeCursor(filter.after) : undefined;
  if (filter.after && !after) errors.after = 'groups.errors.page';
  if (Object.keys(errors).length > 0) return invalid(errors);
  const found = await store.listDirectory(deps.db, { q, country, after });
  return ok({
    groups: found.rows.map(toPublicView),
    pageSize: store.DIRECTORY_PAGE_SIZE,
    next: found.next ? encodeCursor(found.next) : null,
    count: found.count,
    countExact: found.countExact,
  });
}

/** The groups the actor belongs to, with their role in each. */
export async function yourGroups(deps: GroupsDeps, actor: UserActor) {
  if (!can(actor, 'groups.create')) return forbidden();
  return ok(await store.groupsOfUser(deps.db, actor.userId));
}

// ---------------------------------------------------------------- one group

export type GroupView =
  | { audience: 'public'; group: PublicGroup; pendingRequest: boolean }
  | { audience: 'member'; group: MemberGroup; role: GroupRole | undefined; canManage: boolean; canLog: boolean; canApproveListing: boolean };

/** A group as the actor may see it: in full for members (and national coordinators, admins), public fields if listed. */
export async function viewGroup(deps: GroupsDeps, actor: UserActor | undefined, groupId: string): Promise<Outcome<GroupView>> {
  if (actor && !tokenLacksScope(actor, 'groups.read')) {
    const seen = await access(deps.db, actor, groupId, 'groups.read');
    if (seen.ok) {
      const { group, role } = seen.value;
      const resource = { membership: membershipFor(role), country: group.country };
      return ok({
        audience: 'member',
        group: toMemberView(group),
        role,
        canManage: can(actor, 'groups.manage', resource),
        canLog: can(actor, 'groups.log-activity', resource),
        canApproveListing: !group.listed && can(actor, 'groups.approve-listing', resource),
      });
    }
  } else if (actor && actor.via === 'token') return forbidden();
  if (!isUuid(groupId)) return notFound();
  const group = await store.findGroup(deps.db, groupId);
  if (!group?.listed) return notFound();
  const pendingRequest = actor ? await store.hasPendingJoinRequest(deps.db, groupId, actor.userId) : false;
  return ok({ audience: 'public', group: toPublicView(group), pendingRequest });
}

/** Adds the name each person chose to show; names belong to the accounts module. */
async function withNames<T extends { user_id: string }>(db: Kysely<Tables>, rows: T[]): Promise<(T & { display_name: string })[]> {
  const names = await displayNames(db, rows.map((row) => row.user_id));
  return rows.map((row) => ({ ...row, display_name: names.get(row.user_id) ?? '' }));
}

/** Members with their names: coordinators first, then by name. */
async function namedMembers(db: Kysely<Tables>, groupId: string) {
  const members = await withNames(db, await store.listMembers(db, groupId));
  return members.sort((a, b) => a.role.localeCompare(b.role) || a.display_name.localeCompare(b.display_name));
}

/** Everything a coordinator manages: members, pending join requests, open invitations. */
export async function management(deps: GroupsDeps, actor: UserActor, groupId: string) {
  const allowed = await access(deps.db, actor, groupId, 'groups.manage');
  if (!allowed.ok) return allowed;
  const [members, requests, invitations] = await Promise.all([
    namedMembers(deps.db, groupId),
    store.pendingJoinRequests(deps.db, groupId).then((rows) => withNames(deps.db, rows)),
    store.openInvitations(deps.db, groupId),
  ]);
  return ok({ members, requests, invitations });
}

export async function listMembers(deps: GroupsDeps, actor: UserActor, groupId: string) {
  const allowed = await access(deps.db, actor, groupId, 'groups.read');
  if (!allowed.ok) return allowed;
  return ok(await namedMembers(deps.db, groupId));
}

// ---------------------------------------------------------------- listing

/** A coordinator asks for the group to be listed in the public directory. */
export async function requestListing(deps: GroupsDeps, actor: UserActor, groupId: string): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const allowed = await access(trx, actor, groupId, 'groups.manage', { forUpdate: true });
    if (!allowed.ok) return allowed;
    if (allowed.value.group.listed) return conflict('groups.errors.alreadyListed');
    await store.requestListing(trx, groupId);
    await appendAudit(trx, { actorId: actor.userId, action: 'group.listing-requested', subject: `group:${groupId}` });
    return ok(undefined);
  });
}

/** A national coordinator of the group's country (or an administrator) lists the group. */
export async function approveListing(deps: GroupsDeps, actor: UserActor, groupId: string): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const allowed = await access(trx, actor, groupId, 'groups.approve-listing', { forUpdate: true });
    if (!allowed.ok) return allowed;
    if (allowed.value.group.listed) return conflict('groups.errors.alreadyListed');
    await store.approveListing(trx, groupId, actor.userId);
    await appendAudit(trx, { actorId: actor.userId, action: 'group.listed', subject: `group:${groupId}`, detail: { country: allowed.value.group.country } });
    return ok(undefined);
  });
}

/** All groups of a country, listed or not, and the listing requests waiting: for its national coordinators and admins. */
export async function countryGroups(deps: GroupsDeps, actor: UserActor, country: string) {
  if (tokenLacksScope(actor, 'groups.national-read')) return forbidden();
  if (!isCountryCode(country)) return notFound();
  if (!can(actor, 'groups.national-read', { country })) return forbidden();
  const rows = await store.groupsOfCountry(deps.db, country);
  const groups = rows.map(toMemberView);
  return ok({ groups, pendingListing: groups.filter((group) => group.listingRequested && !group.listed) });
}

// ---------------------------------------------------------------- joining

/** Asks to join a listed group. A second request while one is pending changes nothing. */
export async function requestToJoin(deps: GroupsDeps, actor: UserActor, groupId: string, input: { message?: string | undefined }): Promise<Outcome<{ id: string }>> {
  if (tokenLacksScope(actor, 'groups.join')) return forbidden();
  if (!isUuid(groupId)) return notFound();
  const message = text(input.message);
  if (message && message.length > 1000) return invalid({ message: 'groups.errors.message' });
  return deps.db.transaction().execute(async (trx) => {
    const group = await store.findGroup(trx, groupId);
    if (!group) return notFound();
    const role = await store.membershipOf(trx, groupId, actor.userId);
    if (!group.listed && !can(actor, 'groups.read', { membership: membershipFor(role), country: group.country })) return notFound();
    if (!can(actor, 'groups.join')) return forbidden();
    if (role) return conflict('groups.errors.alreadyMember');
    const id = await store.insertJoinRequest(trx, groupId, actor.userId, message);
    if (!id) return conflict('groups.errors.duplicateRequest');
    await appendAudit(trx, { actorId: actor.userId, action: 'group.join-requested', subject: `group:${groupId}`, detail: { requestId: id } });
    return ok({ id });
  });
}

export async function listJoinRequests(deps: GroupsDeps, actor: UserActor, groupId: string) {
  const allowed = await access(deps.db, actor, groupId, 'groups.manage');
  if (!allowed.ok) return allowed;
  return ok(await withNames(deps.db, await store.pendingJoinRequests(deps.db, groupId)));
}

/** A coordinator approves (the person becomes a member) or declines a pending request. */
export async function decideJoinRequest(deps: GroupsDeps, actor: UserActor, groupId: string, requestId: string, decision: string): Promise<Outcome> {
  if (decision !== 'approve' && decision !== 'decline') return invalid({ decision: 'groups.errors.decision' });
  return deps.db.transaction().execute(async (trx) => {
    const allowed = await access(trx, actor, groupId, 'groups.manage', { forUpdate: true });
    if (!allowed.ok) return allowed;
    const request = isUuid(requestId) ? await store.findPendingJoinRequest(trx, groupId, requestId) : undefined;
    if (!request) return notFound('groups.errors.requestGone');
    await store.decideJoinRequest(trx, request.id, decision === 'approve' ? 'approved' : 'declined', actor.userId);
    await appendAudit(trx, { actorId: actor.userId, action: 'group.join-request-decided', subject: `group:${groupId}`, detail: { requestId: request.id, userId: request.user_id, decision } });
    if (decision === 'approve' && (await store.addMember(trx, groupId, request.user_id, 'member'))) {
      await appendAudit(trx, { actorId: actor.userId, action: 'group.member-added', subject: `group:${groupId}`, detail: { userId: request.user_id, role: 'member', via: 'join-request' } });
    }
    return ok(undefined);
  });
}

/**
 * Invites someone: by e-mail (the link is mailed, in the inviter's language, once the change
 * commits) or as a link to copy. Either way the link is shown to the coordinator once.
 */
export async function invite(
  deps: GroupsDeps,
  actor: UserActor,
  groupId: string,
  input: { email?: string | undefined; role?: string | undefined },
): Promise<Outcome<{ id: string; link: string; expiresAt: string; email: string | null }>> {
  const email = text(input.email) ? normaliseEmail(input.email!) : null;
  const role = input.role ?? 'member';
  const errors: FieldErrors = {};
  if (email !== null && !isEmail(email)) errors.email = 'errors.email';
  if (!(GROUP_ROLES as readonly string[]).includes(role)) errors.role = 'groups.errors.role';
  return deps.db.transaction().execute(async (trx) => {
    const allowed = await access(trx, actor, groupId, 'groups.manage');
    if (!allowed.ok) return allowed;
    if (Object.keys(errors).length > 0) return invalid(errors);
    const invitation = await store.insertInvitation(trx, { groupId, email, role: role as GroupRole, ttlDays: INVITATION_TTL_DAYS, createdBy: actor.userId });
    const link = `${deps.config.publicUrl}/groups/invitations/${invitation.token}`;
    if (email) {
      const t = translator(actor.language);
      const params = { group: allowed.value.group.name, inviter: actor.displayName, link, days: INVITATION_TTL_DAYS };
      await enqueueMail(deps.jobs, trx, { to: email, subject: t('groups.mail.invitation.subject', params), text: `${t('groups.mail.invitation.body', params)}\n\n${t('mail.signature')}\n` });
    }
    await appendAudit(trx, { actorId: actor.userId, action: 'group.invitation-created', subject: `group:${groupId}`, detail: { invitationId: invitation.id, role, byEmail: email !== null } });
    return ok({ id: invitation.id, link, expiresAt: invitation.expiresAt.toISOString(), email });
  });
}

function invitationProblem(invitation: { used_at: Date | null; revoked_at: Date | null; expires_at: Date }): string | undefined {
  if (invitation.used_at) return 'groups.errors.invitationUsed';
  if (invitation.revoked_at) return 'groups.errors.invitationCancelled';
  if (new Date(invitation.expires_at).getTime() <= Date.now()) return 'groups.errors.invitationExpired';
  return undefined;
}

/** The invitations of a group that can still be used: for its coordinators. */
export async function listInvitations(deps: GroupsDeps, actor: UserActor, groupId: string) {
  const allowed = await access(deps.db, actor, groupId, 'groups.manage');
  if (!allowed.ok) return allowed;
  return ok(await store.openInvitations(deps.db, groupId));
}

/** A coordinator cancels an invitation that has not been used; its link then stops working. */
export async function cancelInvitation(deps: GroupsDeps, actor: UserActor, groupId: string, invitationId: string): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const allowed = await access(trx, actor, groupId, 'groups.manage', { forUpdate: true });
    if (!allowed.ok) return allowed;
    if (!isUuid(invitationId) || !(await store.revokeInvitation(trx, groupId, invitationId))) return notFound('groups.errors.invitationGone');
    await appendAudit(trx, { actorId: actor.userId, action: 'group.invitation-cancelled', subject: `group:${groupId}`, detail: { invitationId } });
    return ok(undefined);
  });
}

/** What the invitation page shows before the person accepts: the group's name, or why the link no longer works. */
export async function invitationDetails(deps: GroupsDeps, token: string): Promise<Outcome<{ groupName: string; role: GroupRole }>> {
  const invitation = await store.findInvitation(deps.db, token);
  if (!invitation) return notFound('groups.errors.invitationInvalid');
  const problem = invitationProblem(invitation);
  if (problem) return invalid({ token: problem });
  const group = await store.groupBasics(deps.db, invitation.group_id);
  if (!group) return notFound('groups.errors.invitationInvalid');
  return ok({ groupName: group.name, role: invitation.role });
}

/** Uses an invitation: once, before it expires, by the invited address if it names one. */
export async function acceptInvitation(deps: GroupsDeps, actor: UserActor, token: string): Promise<Outcome<{ groupId: string; role: GroupRole }>> {
  if (!can(actor, 'groups.join')) return forbidden();
  return deps.db.transaction().execute(async (trx) => {
    const invitation = await store.findInvitation(trx, token, { forUpdate: true });
    if (!invitation) return notFound('groups.errors.invitationInvalid');
    const problem = invitationProblem(invitation);
    if (problem) return invalid({ token: problem });
    if (invitation.email && invitation.email !== normaliseEmail(actor.email)) return invalid({ token: 'groups.errors.invitationOtherEmail' });
    const groupId = invitation.group_id;
    if (await store.membershipOf(trx, groupId, actor.userId)) return conflict('groups.errors.alreadyMember');
    await store.addMember(trx, groupId, actor.userId, invitation.role);
    await store.markInvitationUsed(trx, invitation.id, actor.userId);
    await appendAudit(trx, { actorId: actor.userId, action: 'group.invitation-used', subject: `group:${groupId}`, detail: { invitationId: invitation.id } });
    await appendAudit(trx, { actorId: actor.userId, action: 'group.member-added', subject: `group:${groupId}`, detail: { userId: actor.userId, role: invitation.role, via: 'invitation' } });
    // The person is in: a request to join they made earlier is settled, not left for coordinators to approve.
    const requestId = await store.closePendingJoinRequest(trx, groupId, actor.userId, invitation.created_by);
    if (requestId) {
      await appendAudit(trx, { actorId: actor.userId, action: 'group.join-request-decided', subject: `group:${groupId}`, detail: { requestId, userId: actor.userId, decision: 'approve', via: 'invitation' } });
    }
    return ok({ groupId, role: invitation.role });
  });
}

// ---------------------------------------------------------------- members

/** A coordinator changes a member's role. The last coordinator cannot be made a member. */
export async function setMemberRole(deps: GroupsDeps, actor: UserActor, groupId: string, userId: string, role: string): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const allowed = await access(trx, actor, groupId, 'groups.manage', { forUpdate: true });
    if (!allowed.ok) return allowed;
    if (!(GROUP_ROLES as readonly string[]).includes(role)) return invalid({ role: 'groups.errors.role' });
    const current = isUuid(userId) ? await store.membershipOf(trx, groupId, userId) : undefined;
    if (!current) return notFound('groups.errors.notAMember');
    if (current === role) return ok(undefined);
    if (current === 'coordinator' && (await store.countCoordinators(trx, groupId)) <= 1) return invalid({ role: 'groups.errors.lastCoordinator' });
    await store.setMemberRole(trx, groupId, userId, role as GroupRole);
    await appendAudit(trx, { actorId: actor.userId, action: 'group.member-role-changed', subject: `group:${groupId}`, detail: { userId, from: current, to: role } });
    return ok(undefined);
  });
}

/**
 * Takes someone out of a group: a coordinator removing a member, or a person leaving (userId is
 * their own). The last coordinator can do neither until they hand over.
 */
export async function removeMember(deps: GroupsDeps, actor: UserActor, groupId: string, userId: string): Promise<Outcome> {
  const leaving = userId === actor.userId;
  return deps.db.transaction().execute(async (trx) => {
    const allowed = await access(trx, actor, groupId, leaving ? 'groups.leave' : 'groups.manage', { forUpdate: true });
    if (!allowed.ok) return allowed;
    const current = isUuid(userId) ? await store.membershipOf(trx, groupId, userId) : undefined;
    if (!current) return notFound('groups.errors.notAMember');
    if (current === 'coordinator' && (await store.countCoordinators(trx, groupId)) <= 1) return invalid({ member: 'groups.errors.lastCoordinatorLeave' });
    await store.removeMember(trx, groupId, userId);
    await appendAudit(trx, { actorId: actor.userId, action: leaving ? 'group.member-left' : 'group.member-removed', subject: `group:${groupId}`, detail: { userId } });
    return ok(undefined);
  });
}

// ---------------------------------------------------------------- activities

export interface ActivityInput {
  occurredOn: string;
  kind: string;
  audience: string;
  peopleReached: number;
  actionPack?: string | undefined;
  notes?: string | undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dateProblem(value: string, now = new Date()): string | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return 'groups.errors.date';
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return 'groups.errors.date';
  if (value < EARLIEST_ACTIVITY) return 'groups.errors.dateTooEarly';
  // A day of grace for time zones ahead of UTC.
  const latest = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  if (value > latest) return 'groups.errors.dateInFuture';
  return undefined;
}

export function activityErrors(input: ActivityInput): FieldErrors {
  const errors: FieldErrors = {};
  const date = dateProblem(input.occurredOn.trim());
  if (date) errors.occurredOn = date;
  if (!(ACTIVITY_KINDS as readonly string[]).includes(input.kind)) errors.kind = 'groups.errors.activityKind';
  if (!(AUDIENCES as readonly string[]).includes(input.audience)) errors.audience = 'groups.errors.audience';
  if (!Number.isInteger(input.peopleReached) || input.peopleReached < 0 || input.peopleReached > MAX_PEOPLE_REACHED) errors.peopleReached = 'groups.errors.peopleReached';
  // The Action Pack used is one of the packs, named by its id (free text logged before packs existed stays as it was).
  const pack = text(input.actionPack);
  if (pack !== null && !isPackSlug(pack)) errors.actionPack = 'groups.errors.actionPack';
  if ((text(input.notes)?.length ?? 0) > 2000) errors.notes = 'groups.errors.notes';
  return errors;
}

/** A member logs a piece of awareness work. */
export async function logActivity(deps: GroupsDeps, actor: UserActor, groupId: string, input: ActivityInput): Promise<Outcome<{ id: string }>> {
  const allowed = await access(deps.db, actor, groupId, 'groups.log-activity');
  if (!allowed.ok) return allowed;
  const errors = activityErrors(input);
  if (Object.keys(errors).length > 0) return invalid(errors);
  const id = await store.insertActivity(
    deps.db,
    allowed.value.group,
    {
      occurredOn: input.occurredOn.trim(),
      kind: input.kind as ActivityKind,
      audience: input.audience as Audience,
      peopleReached: input.peopleReached,
      actionPack: text(input.actionPack),
      notes: text(input.notes),
    },
    actor.userId,
  );
  return ok({ id });
}

export async function listActivities(deps: GroupsDeps, actor: UserActor, groupId: string) {
  const allowed = await access(deps.db, actor, groupId, 'groups.read');
  if (!allowed.ok) return allowed;
  return ok(await store.listActivities(deps.db, groupId));
}

export async function groupTotals(deps: GroupsDeps, actor: UserActor, groupId: string): Promise<Outcome<store.Totals>> {
  const allowed = await access(deps.db, actor, groupId, 'groups.read');
  if (!allowed.ok) return allowed;
  return ok(await store.activityTotals(deps.db, { groupId }));
}

/** National totals: for the national coordinators of that country and administrators. */
export async function nationalTotals(deps: GroupsDeps, actor: UserActor, country: string): Promise<Outcome<store.Totals>> {
  if (tokenLacksScope(actor, 'groups.national-read')) return forbidden();
  if (!isCountryCode(country)) return notFound();
  if (!can(actor, 'groups.national-read', { country })) return forbidden();
  return ok(await store.activityTotals(deps.db, { country }));
}

// ---------------------------------------------------------------- for other modules

/** Ids of the groups a person coordinates, for modules that act on a coordinator's groups. */
export const groupsCoordinatedBy = async (db: Kysely<Tables>, userId: string): Promise<string[]> =>
  isUuid(userId) ? (await store.groupsOfUser(db, userId)).filter((group) => group.role === 'coordinator').map((group) => group.id) : [];

export const membershipOf = (db: Kysely<Tables>, groupId: string, userId: string): Promise<GroupRole | undefined> =>
  isUuid(groupId) && isUuid(userId) ? store.membershipOf(db, groupId, userId) : Promise.resolve(undefined);

export const groupBasics = async (db: Kysely<Tables>, groupId: string): Promise<{ id: string; name: string; country: string; listed: boolean } | undefined> =>
  isUuid(groupId) ? store.groupBasics(db, groupId) : undefined;
