/**
 * Seeds the getRouteFlows scenarios: 1,000,000 GB reports with route facts received over the 365
 * days up to today, held by ten groups and the national inbox. Origins from forty countries (some
 * far more often than others), three in ten with one of eight transit countries, one in five with
 * an explicit destination, five sets of exploitation types, every status. The per-month leg counts
 * (migrations/0013) are kept by their statement-level trigger as the rows go in.
 *
 * References are R-UR…: after U (outside the real alphabet) an R, which the map seed's hex never has.
 * Also makes a GB national coordinator (two-factor enrolled) with a reports:read token.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../src/core/db/tables.ts';
import { createAccountAsOperator, issueToken } from '../src/modules/accounts/index.ts';
import type { GroupsTables } from '../src/modules/groups/tables.ts';

export const ROUTE_REPORTS = 1_000_000;
const BATCH = 100_000;
export const ROUTE_SCENARIOS = ['getRouteFlows-country', 'getRouteFlows-group'];

const ORIGINS = ['RO', 'AL', 'VN', 'NG', 'PL', 'LT', 'SK', 'BG', 'HU', 'CZ', 'UA', 'MD', 'ER', 'SD', 'ET', 'SO', 'AF', 'IQ', 'IR', 'SY', 'PK', 'IN', 'BD', 'CN', 'TH', 'PH', 'MY', 'BR', 'CO', 'VE', 'GH', 'CM', 'CI', 'SN', 'GN', 'EG', 'MA', 'TR', 'GB', 'IE'];
const TRANSITS = ['FR', 'BE', 'NL', 'DE', 'IT', 'ES', 'GR', 'TR'];
const DESTINATIONS = ['GB', 'IE', 'FR', 'NL'];

export interface RouteSeed {
  nationalToken: string;
  /** A group holding about 90,000 of the reports. */
  groupId: string;
}

export async function seedRoutes(base: Kysely<Tables>, log: (line: string) => void = () => {}): Promise<RouteSeed> {
  const account = await createAccountAsOperator(base, { email: `bench.routes.${Date.now()}@example.org`, password: 'correct horse battery staple', role: 'national-coordinator', country: 'GB' });
  if (!account.ok) throw new Error(`could not create the bench national coordinator: ${JSON.stringify(account)}`);
  const userId = account.value.userId;
  // Route flows are for reviewers, who need two-factor authentication: the bench account counts as enrolled.
  await base.updateTable('users').set({ totp_enabled_at: new Date() }).where('id', '=', userId).execute();
  const groups = base.withTables<GroupsTables>();
  const holders: (string | null)[] = [];
  for (let n = 0; n < 10; n += 1) {
    const row = await groups
      .insertInto('groups')
      .values({ name: `Bench routes group ${n}`, kind: 'community', country: 'GB', locality: `Routes ${n}`, centre_lat: 52 + n / 10, centre_lon: -1.5, radius_km: 10, listed: false, created_by: userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    holders.push(row.id);
  }
  holders.push(null);

  const started = Date.now();
  for (let start = 0; start < ROUTE_REPORTS; start += BATCH) {
    const end = Math.min(ROUTE_REPORTS, start + BATCH);
    // Origin index: the square of a uniform number, so the first countries are named far more often.
    await sql`
      insert into reports (reference, receipt_hash, group_id, country, received_on, status, exploitation_types, route_origin, route_transit, route_destination)
      select 'R-UR' || lpad(upper(to_hex(i)), 6, '0'),
             decode(md5('bench-routes-' || i), 'hex'),
             (${holders}::uuid[])[1 + ((i * 40503) % 11)::int],
             'GB',
             current_date - ((i * 7919) % 365)::int,
             (array['received', 'triaged', 'graded', 'shared', 'closed', 'rejected'])[1 + (i % 6)::int],
             case i % 5 when 0 then array['labour'] when 1 then array['sexual'] when 2 then array['criminal'] when 3 then array['labour', 'sexual'] else array[]::text[] end,
             array[(${ORIGINS}::text[])[1 + floor(((i * 2654435761) % 1000) ^ 2 / 25000)::int]],
             case when i % 10 < 3 then array[(${TRANSITS}::text[])[1 + ((i * 31) % 8)::int]] else array[]::text[] end,
             case when i % 5 = 4 then array[(${DESTINATIONS}::text[])[1 + ((i * 17) % 4)::int]] else array[]::text[] end
        from generate_series(${start + 1}::bigint, ${end}::bigint) as i`.execute(base);
    log(`  seeded ${end} route reports (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await sql`analyze report_route_flows`.execute(base);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from report_route_flows`.execute(base);
  log(`  route leg counts: ${rows[0]!.n} rows`);
  const { token } = await issueToken(base, userId, 'bench routes', ['reports:read'], null);
  return { nationalToken: token, groupId: holders[0]! };
}
