/** SQL of the groups module: groups, members, join requests, invitations and activities. */
import { sql, type Kysely } from 'kysely';
import { randomToken, sha256 } from '../../core/crypto.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { ActivityKind, Audience, GroupKind, GroupRole, GroupsTables } from './tables.ts';

type Db = Kysely<Tables>;
const g = (db: Db) => db.withTables<GroupsTables>();

export const DIRECTORY_PAGE_SIZE = 20;

export interface NewGroup {
  name: string;
  kind: GroupKind;
  country: string;
  locality: string;
  lat: number;
  lon: number;
  radiusKm: number;
  boundary: unknown;
}

const groupColumns = [
  'id',
  'name',
  'kind',
  'country',
  'locality',
  'centre_lat',
  'centre_lon',
  'radius_km',
  'boundary',
  'listed',
  'listing_requested_at',
  'listed_at',
  'created_at',
] as const;

export async function insertGroup(db: Db, group: NewGroup, createdBy: string): Promise<string> {
  const row = await g(db)
    .insertInto('groups')
    .values({
      name: group.name,
      kind: group.kind,
      country: group.country,
      locality: group.locality,
      centre_lat: group.lat,
      centre_lon: group.lon,
      radius_km: group.radiusKm,
      boundary: group.boundary === undefined || group.boundary === null ? null : JSON.stringify(group.boundary),
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findGroup(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let query = g(db).selectFrom('groups').select(groupColumns).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}
export type GroupRow = NonNullable<Awaited<ReturnType<typeof findGroup>>>;

export async function membershipOf(db: Db, groupId: string, userId: string): Promise<GroupRole | undefined> {
  const row = await g(db).selectFrom('group_members').select('role').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
  return row?.role;
}

export async function groupBasics(db: Db, groupId: string) {
  return g(db).selectFrom('groups').select(['id', 'name', 'country', 'listed']).where('id', '=', groupId).executeTakeFirst();
}

const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Where a directory page starts: after this group in the directory's order (lower-cased name, then id). */
export interface DirectoryCursor {
  name: string;
  id: string;
}

/** Above this many matches the directory says "more than" instead of counting them all. */
export const DIRECTORY_COUNT_CAP = 200;

/**
 * The public directory: listed groups only, by name. Keyset pagination (a page starts after the
 * last group of the one before) reads one page from `groups_directory_idx` however deep the page,
 * and the count stops at DIRECTORY_COUNT_CAP + 1 matches, so no request scans every listed group.
 * One row more than a page is read to know whether a next page exists.
 */
export async function listDirectory(db: Db, filter: { q?: string | undefined; country?: string | undefined; after?: DirectoryCursor | undefined }) {
  let query = g(db).selectFrom('groups').where('listed', '=', true);
  if (filter.country) query = query.where('country', '=', filter.country);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    query = query.where((eb) => eb.or([eb(sql`lower(name)`, 'like', pattern), eb(sql`lower(locality)`, 'like', pattern)]));
  }
  const page = filter.after ? query.where(sql<boolean>`(lower(name), id) > (${filter.after.name}, ${filter.after.id}::uuid)`) : query;
  const [rows, count] = await Promise.all([
    page
      .select(['id', 'name', 'kind', 'country', 'locality', 'centre_lat', 'centre_lon', sql<string>`lower(name)`.as('sort_name')])
      .orderBy(sql`lower(name)`)
      .orderBy('id')
      .limit(DIRECTORY_PAGE_SIZE + 1)
      .execute(),
    db
      .selectFrom(query.select(sql`1`.as('one')).limit(DIRECTORY_COUNT_CAP + 1).as('capped'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const last = rows.length > DIRECTORY_PAGE_SIZE ? rows[DIRECTORY_PAGE_SIZE - 1] : undefined;
  const matches = Number(count.n);
  return {
    rows: rows.slice(0, DIRECTORY_PAGE_SIZE),
    next: last ? { name: last.sort_name, id: last.id } : undefined,
    count: Math.min(matches, DIRECTORY_COUNT_CAP),
    countExact: matches <= DIRECTORY_COUNT_CAP,
  };
}

export async function groupsOfUser(db: Db, userId: string) {
  return g(db)
    .selectFrom('group_members as m')
    .innerJoin('groups', 'groups.id', 'm.group_id')
    .select(['groups.id', 'groups.name', 'groups.locality', 'groups.country', 'm.role', 'm.joined_at'])
    .where('m.user_id', '=', userId)
    .orderBy('groups.name')
    .execute();
}

export async function groupsOfCountry(db: Db, country: string) {
  return g(db).selectFrom('groups').select(groupColumns).where('country', '=', country).orderBy(sql`lower(name)`).limit(500).execute();
}

export async function requestListing(db: Db, groupId: string): Promise<void> {
  await g(db).updateTable('groups').set({ listing_requested_at: new Date() }).where('id', '=', groupId).where('listed', '=', false).execute();
}

export async function approveListing(db: Db, groupId: string, by: string): Promise<void> {
  await g(db).updateTable('groups').set({ listed: true, listed_at: new Date(), listed_by: by }).where('id', '=', groupId).execute();
}

// ---------------------------------------------------------------- members

export async function addMember(db: Db, groupId: string, userId: string, role: GroupRole): Promise<boolean> {
  const row = await g(db)
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function setMemberRole(db: Db, groupId: string, userId: string, role: GroupRole): Promise<void> {
  await g(db).updateTable('group_members').set({ role }).where('group_id', '=', groupId).where('user_id', '=', userId).execute();
}

export async function removeMember(db: Db, groupId: string, userId: string): Promise<void> {
  await g(db).deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
}

export async function countCoordinators(db: Db, groupId: string): Promise<number> {
  const row = await g(db)
    .selectFrom('group_members')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('group_id', '=', groupId)
    .where('role', '=', 'coordinator')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Members, coordinators first. Their names come from the accounts module (see service.ts). */
export async function listMembers(db: Db, groupId: string) {
  return g(db)
    .selectFrom('group_members')
    .select(['user_id', 'role', 'joined_at'])
    .where('group_id', '=', groupId)
    .orderBy('role')
    .orderBy('joined_at')
    .execute();
}

// ---------------------------------------------------------------- join requests

/** Returns undefined when a pending request already exists (the partial unique index). */
export async function insertJoinRequest(db: Db, groupId: string, userId: string, message: string | null): Promise<string | undefined> {
  const row = await g(db)
    .insertInto('join_requests')
    .values({ group_id: groupId, user_id: userId, message })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).where('decided_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function pendingJoinRequests(db: Db, groupId: string) {
  return g(db)
    .selectFrom('join_requests')
    .select(['id', 'user_id', 'message', 'created_at'])
    .where('group_id', '=', groupId)
    .where('decided_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export async function findPendingJoinRequest(db: Db, groupId: string, requestId: string) {
  return g(db)
    .selectFrom('join_requests')
    .select(['id', 'user_id'])
    .where('id', '=', requestId)
    .where('group_id', '=', groupId)
    .where('decided_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export async function hasPendingJoinRequest(db: Db, groupId: string, userId: string): Promise<boolean> {
  const row = await g(db).selectFrom('join_requests').select('id').where('group_id', '=', groupId).where('user_id', '=', userId).where('decided_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}

export async function decideJoinRequest(db: Db, requestId: string, decision: 'approved' | 'declined', by: string): Promise<void> {
  await g(db).updateTable('join_requests').set({ decision, decided_at: new Date(), decided_by: by }).where('id', '=', requestId).execute();
}

// ---------------------------------------------------------------- invitations

export async function insertInvitation(
  db: Db,
  invitation: { groupId: string; email: string | null; role: GroupRole; ttlDays: number; createdBy: string },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + invitation.ttlDays * 86_400_000);
  const row = await g(db)
    .insertInto('group_invitations')
    .values({ group_id: invitation.groupId, token_hash: sha256(token), email: invitation.email, role: invitation.role, expires_at: expiresAt, created_by: invitation.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, expiresAt };
}

export async function findInvitation(db: Db, token: string, options: { forUpdate?: boolean } = {}) {
  let query = g(db)
    .selectFrom('group_invitations')
    .select(['id', 'group_id', 'email', 'role', 'expires_at', 'used_at', 'revoked_at', 'created_by'])
    .where('token_hash', '=', sha256(token));
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function markInvitationUsed(db: Db, id: string, userId: string): Promise<void> {
  await g(db).updateTable('group_invitations').set({ used_at: new Date(), used_by: userId }).where('id', '=', id).execute();
}

/** Cancels an invitation not yet used or cancelled; false when there is none such in the group. */
export async function revokeInvitation(db: Db, groupId: string, invitationId: string): Promise<boolean> {
  const row = await g(db)
    .updateTable('group_invitations')
    .set({ revoked_at: new Date() })
    .where('id', '=', invitationId)
    .where('group_id', '=', groupId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Closes a person's pending request to join, if any (they joined another way); returns its id. */
export async function closePendingJoinRequest(db: Db, groupId: string, userId: string, by: string | null): Promise<string | undefined> {
  const row = await g(db)
    .updateTable('join_requests')
    .set({ decision: 'approved', decided_at: new Date(), decided_by: by })
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('decided_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function openInvitations(db: Db, groupId: string) {
  return g(db)
    .selectFrom('group_invitations')
    .select(['id', 'email', 'role', 'expires_at', 'created_at'])
    .where('group_id', '=', groupId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
}

// ---------------------------------------------------------------- activities

export interface NewActivity {
  occurredOn: string;
  kind: ActivityKind;
  audience: Audience;
  peopleReached: number;
  actionPack: string | null;
  notes: string | null;
}

export async function insertActivity(db: Db, group: { id: string; country: string }, activity: NewActivity, createdBy: string): Promise<string> {
  const row = await g(db)
    .insertInto('activities')
    .values({
      group_id: group.id,
      country: group.country,
      occurred_on: activity.occurredOn,
      kind: activity.kind,
      audience: activity.audience,
      people_reached: activity.peopleReached,
      action_pack: activity.actionPack,
      notes: activity.notes,
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listActivities(db: Db, groupId: string, limit = 100) {
  return g(db)
    .selectFrom('activities')
    .select(['id', sql<string>`to_char(occurred_on, 'YYYY-MM-DD')`.as('occurred_on'), 'kind', 'audience', 'people_reached', 'action_pack', 'notes', 'created_at'])
    .where('group_id', '=', groupId)
    .orderBy('activities.occurred_on', 'desc')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export interface Totals {
  activities: number;
  peopleReached: number;
  byAudience: { audience: string; activities: number; peopleReached: number }[];
  byMonth: { month: string; activities: number; peopleReached: number }[];
}

/**
 * Totals computed by the database in one pass, as three grouping sets of one query (overall, per
 * audience, per calendar month). A group's totals read its activities; national totals read the
 * per-country monthly totals that triggers keep (migrations/0004), a few hundred rows at most.
 */
export async function activityTotals(db: Db, scope: { groupId: string } | { country: string }): Promise<Totals> {
  const source =
    'groupId' in scope
      ? sql`select date_trunc('month', occurred_on)::date as month, audience, 1::bigint as activities, people_reached::bigint as people_reached
            from activities where group_id = ${scope.groupId}`
      : sql`select month, audience, activities, people_reached from country_activity_totals where country = ${scope.country} and activities > 0`;
  const { rows } = await sql<{ by_audience: number; by_month: number; audience: string | null; month: string | null; activities: string; people: string }>`
    select (grouping(audience) = 0)::int as by_audience,
           (grouping(month) = 0)::int as by_month,
           audience,
           to_char(month, 'YYYY-MM') as month,
           coalesce(sum(activities), 0) as activities,
           coalesce(sum(people_reached), 0) as people
    from (${source}) as source
    group by grouping sets ((), (audience), (month))
    order by by_audience, by_month, audience, month`.execute(db);
  const tally = (row: { activities: string; people: string }) => ({ activities: Number(row.activities), peopleReached: Number(row.people) });
  const overall = rows.find((row) => !row.by_audience && !row.by_month);
  return {
    activities: overall ? Number(overall.activities) : 0,
    peopleReached: overall ? Number(overall.people) : 0,
    byAudience: rows.filter((row) => row.by_audience).map((row) => ({ audience: row.audience!, ...tally(row) })),
    byMonth: rows.filter((row) => row.by_month).map((row) => ({ month: row.month!, ...tally(row) })),
  };
}
