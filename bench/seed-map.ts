/**
 * Seeds the map scenarios: 1,000,000 reports, 95% spread over twenty GB cities (a city's reports
 * fall in the real H3 resolution-7 cells within about 15 km of its centre, denser at the centre)
 * and 5% in five cities elsewhere (FR, NL, CI, NG, RO). In GB, the first ten cities each have a
 * group holding their reports; the other ten's reports are in the national inbox. Received days
 * spread over two years, every status, types, indicators, place types and grades vary. Every report
 * carries the same location placeholder sealed by the real sealer (cluster scenarios never open it).
 *
 * References are R-U…: U is outside the alphabet of real references and of seed-reports.ts.
 * One `insert … select from generate_series` per 100,000 reports: PGlite seeds a million in about a
 * minute, and the per-cell counts (migrations/0010) are kept by their statement-level trigger.
 * Also makes a GB national coordinator (two-factor enrolled) with a reports:read token.
 */
import { gridDisk, latLngToCell } from 'h3-js';
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../src/core/db/tables.ts';
import type { FieldSealer } from '../src/core/field-sealer.ts';
import { createAccountAsOperator, issueToken } from '../src/modules/accounts/index.ts';
import type { GroupsTables } from '../src/modules/groups/tables.ts';

export const MAP_REPORTS = 1_000_000;
const BATCH = 100_000;

const GB_CITIES: [string, number, number][] = [
  ['London', 51.507, -0.128], ['Birmingham', 52.486, -1.89], ['Manchester', 53.48, -2.242], ['Leeds', 53.801, -1.549], ['Glasgow', 55.864, -4.252],
  ['Liverpool', 53.408, -2.991], ['Bristol', 51.455, -2.588], ['Sheffield', 53.381, -1.47], ['Edinburgh', 55.953, -3.189], ['Cardiff', 51.481, -3.179],
  ['Leicester', 52.637, -1.139], ['Nottingham', 52.954, -1.158], ['Newcastle', 54.978, -1.618], ['Belfast', 54.597, -5.93], ['Southampton', 50.909, -1.404],
  ['Brighton', 50.822, -0.137], ['Plymouth', 50.375, -4.143], ['Hull', 53.745, -0.336], ['Aberdeen', 57.149, -2.094], ['Norwich', 52.63, 1.297],
];
const ELSEWHERE: [string, number, number, string][] = [
  ['Paris', 48.857, 2.352, 'FR'], ['Amsterdam', 52.37, 4.895, 'NL'], ['Abidjan', 5.36, -4.008, 'CI'], ['Lagos', 6.524, 3.379, 'NG'], ['Bucharest', 44.427, 26.103, 'RO'],
];
/** Rings of cells around a city centre: k = 6 is about 15 km at resolution 7. */
const RINGS = 6;

export interface MapSeed {
  nationalToken: string;
  /** A group holding about 47,500 reports (London's), for a group-level figure. */
  groupId: string;
}

export async function seedMap(base: Kysely<Tables>, sealer: FieldSealer, log: (line: string) => void = () => {}): Promise<MapSeed> {
  const account = await createAccountAsOperator(base, { email: `bench.map.${Date.now()}@example.org`, password: 'correct horse battery staple', role: 'national-coordinator', country: 'GB' });
  if (!account.ok) throw new Error(`could not create the bench national coordinator: ${JSON.stringify(account)}`);
  const userId = account.value.userId;
  // Reviewing (and so the group map) needs two-factor authentication: the bench account counts as enrolled.
  await base.updateTable('users').set({ totp_enabled_at: new Date() }).where('id', '=', userId).execute();

  const groups = base.withTables<GroupsTables>();
  const groupIds: string[] = [];
  for (const [name, lat, lon] of GB_CITIES.slice(0, 10)) {
    const row = await groups
      .insertInto('groups')
      .values({ name: `Bench map group ${name}`, kind: 'community', country: 'GB', locality: name, centre_lat: lat, centre_lon: lon, radius_km: 15, listed: false, created_by: userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    groupIds.push(row.id);
  }

  // One entry per (city, cell), the city's centre cell repeated so reports gather towards the centre.
  const cells: string[] = [];
  const countries: string[] = [];
  const holders: (string | null)[] = [];
  const add = (lat: number, lon: number, country: string, holder: string | null, weight: number) => {
    const centre = latLngToCell(lat, lon, 7);
    for (let w = 0; w < weight; w += 1) {
      for (const ring of [0, 1, 2, 3, 4, 5, 6].slice(0, RINGS + 1 - w)) {
        for (const cell of gridDisk(centre, ring)) {
          cells.push(cell);
          countries.push(country);
          holders.push(holder);
        }
      }
    }
  };
  GB_CITIES.forEach(([, lat, lon], i) => add(lat, lon, 'GB', groupIds[i] ?? null, 1));
  const gbEntries = cells.length;
  ELSEWHERE.forEach(([, lat, lon, country]) => add(lat, lon, country, null, 1));
  const elsewhereEntries = cells.length - gbEntries;

  const location = sealer.seal(JSON.stringify({ lat: 0, lon: 0, place: 'bench placeholder' }));
  const started = Date.now();
  for (let start = 0; start < MAP_REPORTS; start += BATCH) {
    const end = Math.min(MAP_REPORTS, start + BATCH);
    // 19 in 20 reports pick a GB entry, the 20th an entry elsewhere; a multiplicative hash spreads them.
    await sql`
      insert into reports (reference, receipt_hash, group_id, country, received_on, status, duplicate_of, place_type, exploitation_types, indicators,
                           h3_cell, location_sealed, grade_source, grade_assessment, grade_handling)
      select 'R-U' || lpad(upper(to_hex(i)), 7, '0'),
             decode(md5('bench-map-' || i), 'hex'),
             (${holders}::uuid[])[e], (${countries}::text[])[e],
             date '2025-01-01' + (i * 7919 % 730)::int,
             (array['received', 'triaged', 'graded', 'shared', 'closed', 'rejected'])[1 + i % 6],
             null,
             (array['car-wash', 'nail-bar', 'hotel', 'farm', 'private-house'])[1 + i % 5],
             case i % 5 when 0 then array['labour'] when 1 then array['sexual'] when 2 then array['criminal'] when 3 then array['labour', 'sexual'] else array[]::text[] end,
             (array['person.fearful', 'person.spoken-for', 'labour.group-transport'])[1:1 + i % 3],
             (${cells}::text[])[e],
             ${location},
             case when i % 6 in (2, 3, 4) then 1 + i % 3 end,
             case when i % 6 in (2, 3, 4) then (array['A', 'B', 'C', 'D', 'E'])[1 + i % 5] end,
             case when i % 6 in (2, 3, 4) then 'P' end
        from (select i, (case when i % 20 = 19 then ${gbEntries + 1} + (i * 2654435761) % ${elsewhereEntries}
                              else 1 + (i * 2654435761) % ${gbEntries} end)::int as e
                from generate_series(${start + 1}::bigint, ${end}::bigint) as i) as picked`.execute(base);
    log(`  seeded ${end} map reports (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await sql`analyze reports`.execute(base);
  await sql`analyze report_map_cells`.execute(base);
  const { token } = await issueToken(base, userId, 'bench map', ['reports:read'], null);
  return { nationalToken: token, groupId: groupIds[0]! };
}
