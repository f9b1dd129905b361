/** A person's group memberships, for their own account export. */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { groupsOfUser } from './store.ts';

export interface MembershipData {
  groupId: string;
  groupName: string;
  country: string;
  role: string;
  joinedAt: string;
}

export async function membershipsOfUser(db: Kysely<Tables>, userId: string): Promise<MembershipData[]> {
  const rows = await groupsOfUser(db, userId);
  return rows.map((r) => ({ groupId: r.id, groupName: r.name, country: r.country, role: r.role, joinedAt: new Date(r.joined_at).toISOString() }));
}
