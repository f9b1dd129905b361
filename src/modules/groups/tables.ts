/** Row types of the groups module's tables, as Kysely sees them (see migrations/0002_create_groups.sql). */
import type { ColumnType, Generated } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type GroupKind = 'school' | 'community' | 'faith' | 'business' | 'neighbourhood' | 'other';
export type GroupRole = 'coordinator' | 'member';
export type ActivityKind = 'talk' | 'stall' | 'screening' | 'business-briefing' | 'freedom-week' | 'assembly' | 'other';
export type Audience = 'school' | 'community' | 'faith' | 'business' | 'public' | 'other';

export interface GroupsTable {
  id: Generated<string>;
  name: string;
  kind: GroupKind;
  country: string;
  locality: string;
  centre_lat: number;
  centre_lon: number;
  /** numeric: read back as a string by both drivers. */
  radius_km: ColumnType<string, number | string, number | string>;
  boundary: ColumnType<unknown, string | null | undefined, string | null>;
  listed: Generated<boolean>;
  listing_requested_at: NullableTimestamp;
  listed_at: NullableTimestamp;
  listed_by: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  role: GroupRole;
  joined_at: Generated<Date>;
}

export interface JoinRequestsTable {
  id: Generated<string>;
  group_id: string;
  user_id: string;
  message: string | null;
  created_at: Generated<Date>;
  decided_at: NullableTimestamp;
  decision: 'approved' | 'declined' | null;
  decided_by: string | null;
}

export interface GroupInvitationsTable {
  id: Generated<string>;
  group_id: string;
  token_hash: Buffer;
  email: string | null;
  role: GroupRole;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: NullableTimestamp;
  used_by: string | null;
  revoked_at: NullableTimestamp;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface ActivitiesTable {
  id: Generated<string>;
  group_id: string;
  country: string;
  /** date: kept as text 'YYYY-MM-DD' in queries (cast in SQL) so no time zone shifts it. */
  occurred_on: ColumnType<Date | string, string, string>;
  kind: ActivityKind;
  audience: Audience;
  people_reached: number;
  action_pack: string | null;
  notes: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** Kept by triggers on activities (migrations/0004): one row per country, month and audience. */
export interface CountryActivityTotalsTable {
  country: string;
  month: ColumnType<Date | string, string, string>;
  audience: string;
  activities: ColumnType<string, number, number>;
  people_reached: ColumnType<string, number, number>;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type GroupsTables = {
  groups: GroupsTable;
  group_members: GroupMembersTable;
  join_requests: JoinRequestsTable;
  group_invitations: GroupInvitationsTable;
  activities: ActivitiesTable;
  country_activity_totals: CountryActivityTotalsTable;
};
