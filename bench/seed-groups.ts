/**
 * Seeds the groups scenarios before the server starts: 10,000 listed groups (half in GB) and
 * 100,000 activities in GB groups, in batched multi-row inserts, plus a GB national coordinator with
 * a groups:read API token for the national totals.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../src/core/db/tables.ts';
import { createAccountAsOperator, issueToken } from '../src/modules/accounts/index.ts';
import type { GroupsTables } from '../src/modules/groups/tables.ts';

export const SEEDED_GROUPS = 10_000;
export const SEEDED_ACTIVITIES = 100_000;
const BATCH = 1000;
const KINDS = ['school', 'community', 'faith', 'business', 'neighbourhood', 'other'] as const;
const ACTIVITY_KINDS = ['talk', 'stall', 'screening', 'business-briefing', 'freedom-week', 'assembly', 'other'] as const;
const AUDIENCES = ['school', 'community', 'faith', 'business', 'public', 'other'] as const;
const COUNTRIES = ['FR', 'IE', 'CI', 'NL', 'DE'] as const;

export async function seedGroups(base: Kysely<Tables>): Promise<{ nationalToken: string }> {
  const db = base.withTables<GroupsTables>();
  const gbGroups: string[] = [];
  for (let start = 0; start < SEEDED_GROUPS; start += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, SEEDED_GROUPS - start) }, (_, offset) => {
      const i = start + offset;
      const gb = i % 2 === 0;
      return {
        name: `Bench group ${String(i).padStart(5, '0')}`,
        kind: KINDS[i % KINDS.length]!,
        country: gb ? 'GB' : COUNTRIES[i % COUNTRIES.length]!,
        locality: `Town ${i % 500}`,
        centre_lat: 50 + (i % 1000) / 200,
        centre_lon: -3 + (i % 700) / 200,
        radius_km: 5,
        listed: true,
        listed_at: new Date(),
      };
    });
    const inserted = await db.insertInto('groups').values(rows).returning(['id', 'country']).execute();
    gbGroups.push(...inserted.filter((row) => row.country === 'GB').map((row) => row.id));
  }
  const day = 86_400_000;
  const since = Date.UTC(2024, 0, 1);
  for (let start = 0; start < SEEDED_ACTIVITIES; start += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, SEEDED_ACTIVITIES - start) }, (_, offset) => {
      const i = start + offset;
      return {
        group_id: gbGroups[i % gbGroups.length]!,
        country: 'GB',
        occurred_on: new Date(since + (i % 900) * day).toISOString().slice(0, 10),
        kind: ACTIVITY_KINDS[i % ACTIVITY_KINDS.length]!,
        audience: AUDIENCES[i % AUDIENCES.length]!,
        people_reached: (i * 37) % 400,
      };
    });
    await db.insertInto('activities').values(rows).execute();
  }
  const account = await createAccountAsOperator(base, { email: `bench.national.${Date.now()}@example.org`, password: 'correct horse battery staple', role: 'national-coordinator', country: 'GB' });
  if (!account.ok) throw new Error(`could not create the bench national coordinator: ${JSON.stringify(account)}`);
  const { token } = await issueToken(base, account.value.userId, 'bench', ['groups:read'], null);
  return { nationalToken: token };
}
