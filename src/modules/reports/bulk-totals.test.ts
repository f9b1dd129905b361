/**
 * The totals kept by statement-level triggers on reports — the route flows (report_route_flows,
 * migrations 0013 and 0025) and the map cells (report_map_cells, migrations 0010 and 0026) — after
 * bulk statements: one insert, one update and one delete of thousands of reports, on the real
 * database of each engine. After each, both must equal a recount from the reports themselves (the
 * queries their migrations first filled them with), so a trigger that drops, doubles or misattributes
 * a report in a large statement fails here. The first update is of one report, as on a server's
 * pooled connection, so the bulk update runs with the plans a one-report call made (what made 0010
 * and 0013's update branches quadratic).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import type { Tables } from '../../core/db/tables.ts';

const REPORTS = 2000;

interface Totals {
  flows: unknown[];
  cells: unknown[];
}

/** The kept totals, without the rows that fell back to zero (the upserts leave them). */
async function kept(db: Kysely<Tables>): Promise<Totals> {
  const flows = await sql`
    select group_key::text, country, month::text, reviewed, exploitation_types::text, from_country, to_country, reports
      from report_route_flows where reports <> 0
     order by 1, 2, 3, 4, 5, 6, 7`.execute(db);
  const cells = await sql`
    select country, group_key::text, h3_cell, status, exploitation_type, reports
      from report_map_cells where reports <> 0
     order by 1, 2, 3, 4, 5`.execute(db);
  return { flows: flows.rows, cells: cells.rows };
}

/** The totals counted from scratch, as migrations 0013 and 0010 first filled them. */
async function recounted(db: Kysely<Tables>): Promise<Totals> {
  const flows = await sql`
    select k.group_key::text, d.country, date_trunc('month', d.received_on)::date::text as month, d.status <> 'received' as reviewed,
           array(select distinct x from unnest(d.exploitation_types) as x order by 1)::text as exploitation_types, l.from_country, l.to_country, count(*)::int as reports
      from reports d
      cross join lateral report_route_legs(d.route_origin, d.route_transit, d.route_destination, d.country::text) l
      cross join lateral (values (coalesce(d.group_id, '00000000-0000-0000-0000-000000000000'::uuid)), ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)) as k(group_key)
     where d.status not in ('rejected', 'duplicate')
     group by 1, 2, 3, 4, 5, 6, 7
     order by 1, 2, 3, 4, 5, 6, 7`.execute(db);
  const cells = await sql`
    select country, coalesce(group_id, '00000000-0000-0000-0000-000000000000'::uuid)::text as group_key, h3_cell, status, t.type as exploitation_type, count(*)::int as reports
      from reports cross join lateral (select '*' as type union select unnest(exploitation_types)) t
     where h3_cell is not null
     group by 1, 2, 3, 4, 5
     order by 1, 2, 3, 4, 5`.execute(db);
  return { flows: flows.rows, cells: cells.rows };
}

const total = (rows: unknown[]) => rows.reduce<number>((sum, row) => sum + Number((row as { reports: number }).reports), 0);

describe('route flows and map cells after bulk statements on reports', () => {
  let testDb: TestDatabase;
  const db = () => testDb.database.db;

  before(async () => {
    testDb = await createTestDatabase();
    for (const name of ['Bristol', 'Leeds']) {
      await sql`insert into groups (name, kind, country, locality, centre_lat, centre_lon, radius_km, listed)
                values (${`Flows ${name}`}, 'community', 'GB', ${name}, 51.45, -2.58, 10, true)`.execute(db());
    }
  });
  after(async () => {
    await testDb.drop();
  });

  test(`one insert of ${REPORTS} reports of every shape is counted exactly`, async () => {
    // people_count holds i, so that the update below can pick reports by it. Shapes: with and without
    // transit, destination or origin; unsorted and repeated exploitation types; two groups and the
    // national inbox; two countries; three cells and none; every status that counts and one that does not.
    await sql`
      insert into reports (reference, receipt_hash, country, group_id, received_on, status, people_count, h3_cell, exploitation_types, route_origin, route_transit, route_destination)
      select 'R-' || lpad(upper(to_hex(i)), 8, '0'), decode(md5('route-flows-bulk-' || i), 'hex'),
             case when i % 11 = 0 then 'FR' else 'GB' end,
             case when i % 11 = 0 then null else (select id from groups where name = case i % 3 when 0 then 'Flows Bristol' when 1 then 'Flows Leeds' end) end,
             current_date - (i % 400),
             (array['received', 'triaged', 'graded', 'shared', 'closed', 'rejected'])[1 + i % 6],
             i,
             case i % 4 when 0 then null when 1 then '87195da49ffffff' when 2 then '87195da4bffffff' else '871fb4662ffffff' end,
             case i % 4 when 0 then array['labour'] when 1 then array['sexual', 'labour', 'labour'] when 2 then array[]::text[] else array['criminal'] end,
             case i % 9 when 0 then array[]::text[] when 1 then array['VN', 'AL'] when 2 then array['NG'] else array['RO'] end,
             case when i % 5 = 0 then array['FR'] when i % 5 = 1 then array['FR', 'BE'] else array[]::text[] end,
             case when i % 7 < 3 then array[]::text[] when i % 7 < 5 then array['GB'] else array['DE', 'GB'] end
        from generate_series(1, ${REPORTS}) as i`.execute(db());
    const totals = await kept(db());
    assert.ok(total(totals.flows) > REPORTS, 'many legs counted');
    assert.ok(total(totals.cells) > REPORTS, 'every type and "*" counted');
    assert.deepEqual(totals, await recounted(db()));
  });

  test(`one update of ${REPORTS} reports that moves statuses, routes, holders, cells and months is counted exactly`, async () => {
    const before = await kept(db());
    // One connection (a transaction holds it) whose first update is one report's, so the triggers'
    // cached plans are made for one row; then every kind of change in one statement, and a fifth of
    // the reports left as they were.
    const result = await db().transaction().execute(async (trx) => {
      await sql`update reports set status = 'triaged' where people_count = 6`.execute(trx);
      return sql`
        update reports set
          status = case
            when people_count % 5 = 0 then status
            when status = 'received' then 'triaged'
            when status = 'triaged' then 'rejected'
            when status = 'rejected' then 'triaged'
            else status end,
          route_origin = case when people_count % 5 in (1, 2) then array['AL', 'RO'] else route_origin end,
          route_transit = case when people_count % 5 = 2 then array[]::text[] when people_count % 5 = 3 then array['IT'] else route_transit end,
          route_destination = case when people_count % 5 = 3 then array['IE'] else route_destination end,
          group_id = case when people_count % 5 = 4 and country = 'GB' then (select id from groups where name = 'Flows Leeds') else group_id end,
          received_on = case when people_count % 5 = 4 then received_on - 40 else received_on end,
          h3_cell = case when people_count % 5 = 2 then '871fb4662ffffff' when people_count % 5 = 3 then null else h3_cell end,
          -- Reordered and repeated: counted under the same sorted set as before.
          exploitation_types = case when people_count % 5 = 1 then array(select x from unnest(exploitation_types) as x order by 1 desc) || exploitation_types else exploitation_types end`.execute(trx);
    });
    assert.equal(Number(result.numAffectedRows), REPORTS);
    const totals = await kept(db());
    assert.notDeepEqual(totals.flows, before.flows, 'the update moved the flows');
    assert.notDeepEqual(totals.cells, before.cells, 'the update moved the cells');
    assert.deepEqual(totals, await recounted(db()));
  });

  test('an update that changes nothing counted leaves the totals as they were', async () => {
    const before = await kept(db());
    await sql`update reports set unread_additions = not unread_additions, exploitation_types = exploitation_types || exploitation_types where people_count % 2 = 0`.execute(db());
    assert.deepEqual(await kept(db()), before);
    assert.deepEqual(before, await recounted(db()));
  });

  test('one delete of half the reports, then of the rest, takes exactly their counts away', async () => {
    await sql`delete from reports where people_count % 2 = 1`.execute(db());
    assert.deepEqual(await kept(db()), await recounted(db()));
    await sql`delete from reports where people_count is not null`.execute(db());
    assert.deepEqual(await kept(db()), await recounted(db()));
  });
});
