/** A person's group memberships, for their own account export. */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { GroupsTables } from './tables.ts';

export interface MembershipData {
  groupId: string;
  groupName: string;
  country: string;
  role: string;
  joinedAt: string;
}

export async function membershipsOfUser(db: Kysely<Tables>, userId: string): Promise<MembershipData[]> {
  const rows = await db
    .withTables<GroupsTables>()
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['g.id', 'g.name', 'g.country', 'm.role', 'm.joined_at'])
    .where('m.user_id', '=', userId)
    .orderBy('m.joined_at')
    .execute();
  return rows.map((r) => ({ groupId: r.id, groupName: r.name, country: r.country, role: r.role, joinedAt: new Date(r.joined_at).toISOString() }));
}
