/**
 * Routes through the real HTTP server and database: who sees which flows, what the flows count (and
 * keep counting as reports move), public statistics under k = 11, and the pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Client } from '../../../test/support/client.ts';
import { listedGroup, person, reportId, sendReport, type Person } from '../../../test/support/reports.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

type Flows = { from: string; to: string; type: string | null; flows: { from: string; to: string; reports: number }[]; legs: number; context: unknown };
type Stats = { k: number; cast: { fromMonth: string | null; toMonth: string | null; flows: { from: string; to: string; reports: number }[] }; ctdc: unknown };
type Problem = { error: { code: string; fields?: Record<string, string> } };

const BRISTOL = { lat: 51.4545, lon: -2.5879 };
const LEEDS = { lat: 53.8, lon: -1.55 };
const SECRET = 'Kept in the flat above the Blue Anchor car wash';
const PHONE = '07700 900456';

const report = (at: { lat: number; lon: number }, route: Record<string, string[]>, types: string[] = ['labour']) => ({
  country: 'GB',
  location: at,
  exploitationTypes: types,
  placeType: 'car-wash',
  route,
  account: SECRET,
  identifiers: [{ kind: 'phone', value: PHONE }],
});

describe('routes: flows between countries and public statistics', () => {
  let server: TestServer;
  let national: Person;
  let coordinatorA: Person;
  let coordinatorB: Person;
  let outsider: Person;
  let coordinatorNoTwoFactor: Person;
  let groupA: string;
  let groupB: string;
  const ids: Record<string, string> = {};
  const get = (who: Person, path: string) => who.api.json('GET', path, undefined, who.token);
  const flowsOf = async (who: Person, path: string) => {
    const res = await get(who, path);
    assert.equal(res.status, 200, res.text);
    return res.json<Flows>();
  };
  const move = async (id: string, action: string, who: Person = coordinatorA) => {
    const res = await who.api.json('POST', `/api/v1/reports/${id}/${action}`, {}, who.token);
    assert.equal(res.status, 200, res.text);
  };

  before(async () => {
    server = await startTestServer();
    national = await person(server, { role: 'national-coordinator', country: 'GB' });
    coordinatorNoTwoFactor = await person(server, { twoFactor: false });
    coordinatorA = await person(server);
    coordinatorB = await person(server);
    outsider = await person(server);
    groupA = await listedGroup(coordinatorA, national, { ...BRISTOL, radiusKm: 10 });
    groupB = await listedGroup(coordinatorB, national, { ...LEEDS, radiusKm: 10 });
    const send = async (name: string, body: Record<string, unknown>) => {
      ids[name] = await reportId(server, (await sendReport(server, body)).reference);
    };
    for (const n of [1, 2, 3]) await send(`ro${n}`, report(BRISTOL, { origin: ['RO'] }));
    await send('vn', report(BRISTOL, { origin: ['VN'], transit: ['FR'] }, ['sexual', 'labour']));
    await send('al', report(BRISTOL, { origin: ['AL'] }));
    await send('none', report(BRISTOL, {}));
    await send('ng', report(LEEDS, { origin: ['NG'], destination: ['GB'] }, ['sexual']));
    await move(ids.al!, 'triage');
    await move(ids.al!, 'reject');
  });
  after(async () => {
    await server.close();
  });

  test('a group’s coordinator sees the legs its reports name, counted per report, and nothing else of them', async () => {
    const res = await get(coordinatorA, `/api/v1/groups/${groupA}/routes`);
    assert.equal(res.status, 200, res.text);
    const answer = res.json<Flows>();
    assert.deepEqual(answer.flows, [
      { from: 'RO', to: 'GB', reports: 3 },
      { from: 'FR', to: 'GB', reports: 1 },
      { from: 'VN', to: 'FR', reports: 1 },
    ]);
    assert.equal(answer.legs, 5);
    assert.equal(answer.type, null);
    assert.equal(answer.context, null);
    for (const secret of [SECRET, PHONE, '900456', ids.ro1!]) assert.equal(res.text.includes(secret), false, secret);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('the type and the period narrow the flows; bad input is a 422 naming the field', async () => {
    const sexual = await flowsOf(coordinatorA, `/api/v1/groups/${groupA}/routes?type=sexual`);
    assert.deepEqual(sexual.flows, [
      { from: 'FR', to: 'GB', reports: 1 },
      { from: 'VN', to: 'FR', reports: 1 },
    ]);
    const old = await flowsOf(coordinatorA, `/api/v1/groups/${groupA}/routes?from=2001-01&to=2001-12`);
    assert.deepEqual(old.flows, []);
    assert.equal(old.from, '2001-01');
    for (const [query, field] of [
      ['from=2026-13', 'from'],
      ['to=last-year', 'to'],
      ['from=2026-06&to=2026-01', 'from'],
      ['from=2000-01&to=2026-01', 'from'],
      ['type=smuggling', 'type'],
      ['colour=red', 'colour'],
    ] as const) {
      const res = await get(coordinatorA, `/api/v1/groups/${groupA}/routes?${query}`);
      assert.equal(res.status, 422, query);
      assert.ok(res.json<Problem>().error.fields?.[field], `${query}: ${res.text}`);
    }
  });

  test('a coordinator of group B never sees group A’s reports through routes', async () => {
    const own = await flowsOf(coordinatorB, `/api/v1/groups/${groupB}/routes`);
    assert.deepEqual(own.flows, [{ from: 'NG', to: 'GB', reports: 1 }]);
    for (const path of [`/api/v1/groups/${groupA}/routes`, '/api/v1/countries/GB/routes', `/groups/${groupA}/routes`, '/countries/GB/routes']) {
      const res = path.startsWith('/api') ? await get(coordinatorB, path) : await coordinatorB.browser.get(path);
      assert.equal(res.status, 404, path);
      for (const leak of ['RO', 'Romania', SECRET]) assert.equal(path.startsWith('/api') && res.text.includes(leak), false);
    }
    assert.equal((await get(outsider, `/api/v1/groups/${groupA}/routes`)).status, 404);
    assert.equal((await new Client(server.url).json('GET', `/api/v1/groups/${groupA}/routes`)).status, 401);
    // Public statistics hold nothing of A's reports: every leaf is below k.
    const stats = (await new Client(server.url).json('GET', '/api/v1/statistics')).json<Stats>();
    assert.deepEqual(stats.cast.flows, []);
  });

  test('national coordinators see every report made in their country; a coordinator without two-factor is told to enrol', async () => {
    const country = await flowsOf(national, '/api/v1/countries/GB/routes');
    assert.deepEqual(country.flows, [
      { from: 'RO', to: 'GB', reports: 3 },
      { from: 'FR', to: 'GB', reports: 1 },
      { from: 'NG', to: 'GB', reports: 1 },
      { from: 'VN', to: 'FR', reports: 1 },
    ]);
    assert.equal((await get(national, `/api/v1/groups/${groupA}/routes`)).status, 200);
    assert.equal((await get(national, '/api/v1/countries/FR/routes')).status, 404);
    // A coordinator without two-factor authentication is told what is missing, not given the flows.
    const created = await coordinatorNoTwoFactor.api.json('POST', '/api/v1/groups', { name: 'No 2FA group', kind: 'community', locality: 'Bath', country: 'GB', lat: 51.38, lon: -2.36, radiusKm: 5 }, coordinatorNoTwoFactor.token);
    assert.equal(created.status, 201, created.text);
    const refused = await get(coordinatorNoTwoFactor, `/api/v1/groups/${created.json<{ id: string }>().id}/routes`);
    assert.equal(refused.status, 403, refused.text);
  });

  test('the counts follow the reports: a rejected report leaves, a reopened one comes back, and no count goes below zero', async () => {
    await move(ids.ro1!, 'triage');
    await move(ids.ro1!, 'reject');
    assert.deepEqual((await flowsOf(coordinatorA, `/api/v1/groups/${groupA}/routes?type=labour`)).flows[0], { from: 'RO', to: 'GB', reports: 2 });
    await move(ids.ro1!, 'reopen');
    assert.deepEqual((await flowsOf(coordinatorA, `/api/v1/groups/${groupA}/routes?type=labour`)).flows[0], { from: 'RO', to: 'GB', reports: 3 });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from report_route_flows where reports < 0`.execute(server.cast.database.db);
    assert.equal(rows[0]!.n, 0);
  });

  test('public statistics: reviewed reports only, in months past the delay, and only leaves of at least 11', async () => {
    // Eleven reviewed RO→GB labour reports and ten VN→GB ones, received in June 2025 (moved back in
    // time in the database: the API keeps the day a report arrives).
    const moved: string[] = [];
    for (let n = 0; n < 21; n += 1) {
      const origin = n < 11 ? 'RO' : 'VN';
      const id = await reportId(server, (await sendReport(server, report(BRISTOL, { origin: [origin] }))).reference);
      await move(id, 'triage');
      moved.push(id);
    }
    // And one received (not reviewed) RO report, which must not count.
    moved.push(await reportId(server, (await sendReport(server, report(BRISTOL, { origin: ['RO'] }))).reference));
    await sql`update reports set received_on = '2025-06-15' where id = any(${moved}::uuid[])`.execute(server.cast.database.db);

    const anonymous = new Client(server.url);
    const all = await anonymous.json('GET', '/api/v1/statistics');
    assert.equal(all.status, 200, all.text);
    assert.match(all.headers.get('cache-control') ?? '', /public/);
    const stats = all.json<Stats>();
    assert.equal(stats.k, 11);
    assert.deepEqual(stats.cast.flows, [{ from: 'RO', to: 'GB', reports: 11 }]);
    assert.deepEqual((await anonymous.json('GET', '/api/v1/statistics?year=2025&type=labour')).json<Stats>().cast.flows, [{ from: 'RO', to: 'GB', reports: 11 }]);
    assert.deepEqual((await anonymous.json('GET', '/api/v1/statistics?year=2025&type=sexual')).json<Stats>().cast.flows, []);
    assert.deepEqual((await anonymous.json('GET', '/api/v1/statistics?year=2024')).json<Stats>().cast.flows, []);
    for (const secret of [SECRET, PHONE, ...moved]) assert.equal(all.text.includes(secret), false);
    for (const [query, field] of [
      ['year=25', 'year'],
      ['year=2999', 'year'],
      ['type=other-thing', 'type'],
      ['bbox=1,2,3,4', 'bbox'],
    ] as const) {
      const res = await anonymous.json('GET', `/api/v1/statistics?${query}`);
      assert.equal(res.status, 422, query);
      assert.ok(res.json<Problem>().error.fields?.[field], query);
    }
    // The group's coordinator sees every one of them, reviewed or not.
    const group = await flowsOf(coordinatorA, `/api/v1/groups/${groupA}/routes?from=2025-06&to=2025-06`);
    assert.deepEqual(group.flows, [
      { from: 'RO', to: 'GB', reports: 12 },
      { from: 'VN', to: 'GB', reports: 10 },
    ]);
  });

  test('pages: the routes page and the statistics page work without JavaScript, with field errors kept', async () => {
    const page = await coordinatorA.browser.get(`/groups/${groupA}/routes`);
    assert.equal(page.status, 200);
    assert.match(page.text, /data-route-flows="cast"/);
    assert.match(page.text, /<tr[^>]*data-from="RO"[^>]*data-to="GB"[^>]*data-count="3"/);
    assert.match(page.text, /Romania/);
    assert.equal(page.text.includes(SECRET), false);
    const bad = await coordinatorA.browser.get(`/groups/${groupA}/routes?from=June`);
    assert.equal(bad.status, 422);
    assert.match(bad.text, /value="June"/);
    assert.match(bad.text, /Enter a month as YYYY-MM/);
    const french = await coordinatorA.browser.get(`/countries/GB/routes`);
    assert.equal(french.status, 404);

    const stats = await new Client(server.url).get('/statistics');
    assert.equal(stats.status, 200);
    assert.match(stats.text, /no number here describes fewer than 11/);
    assert.match(stats.text, /<tr[^>]*data-from="RO"[^>]*data-to="GB"[^>]*data-count="11"/);
    const badStats = await new Client(server.url).get('/statistics?year=nope');
    assert.equal(badStats.status, 422);
    assert.equal((await new Client(server.url).get('/groups/' + groupA + '/routes')).status, 303);
  });
});
