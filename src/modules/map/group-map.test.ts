import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { latLngToCell } from 'h3-js';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { listedGroup, person, reportId, sendReport, type Person } from '../../../test/support/reports.ts';

type Problem = { error: { code: string; message: string; fields?: Record<string, string> } };
type Cluster = { lat: number; lon: number; count: number; byType: Record<string, number> };
type Point = { reportId: string; reference: string; lat: number; lon: number; type: string };
type MapAnswer = { view: string; zoom: number; resolution: number | null; clusters: Cluster[]; points: Point[]; cells?: { cell: string; count: number }[]; truncated: boolean };

// Bristol: cell A holds four anonymous reports; cell B (about 5 km away) one anonymous report and the member's own.
const A = { lat: 51.4545, lon: -2.5879 };
const B = { lat: 51.49, lon: -2.5 };
const LEEDS = { lat: 53.8, lon: -1.55 };
const report = (at: { lat: number; lon: number }, types: string[], extra: Record<string, unknown> = {}) => ({ country: 'GB', location: at, exploitationTypes: types, placeType: 'car-wash', ...extra });
const sum = (clusters: Cluster[]) => clusters.reduce((n, c) => n + c.count, 0);

describe('map: the group map, the national map and the members’ map', () => {
  let server: TestServer;
  let national: Person;
  let coordinator: Person;
  let member: Person;
  let outsider: Person;
  let noTwoFactor: Person;
  let groupId: string;
  const ids: Record<string, string> = {};
  const get = (who: Person, path: string) => who.api.json('GET', path, undefined, who.token);

  before(async () => {
    server = await startTestServer();
    national = await person(server, { role: 'national-coordinator', country: 'GB' });
    coordinator = await person(server);
    member = await person(server);
    outsider = await person(server);
    noTwoFactor = await person(server, { twoFactor: false });
    groupId = await listedGroup(coordinator, national, { lat: 51.46, lon: -2.56, radiusKm: 12 });
    const asked = await member.api.json('POST', `/api/v1/groups/${groupId}/join-requests`, {}, member.token);
    assert.equal(asked.status, 201, asked.text);
    const request = asked.json<{ id: string }>().id;
    assert.equal((await coordinator.api.json('PUT', `/api/v1/groups/${groupId}/join-requests/${request}`, { decision: 'approve' }, coordinator.token)).status, 204);
    const send = async (name: string, body: Record<string, unknown>, who?: Person) => {
      ids[name] = await reportId(server, (await sendReport(server, body, who)).reference);
    };
    await send('a1', report(A, ['labour']));
    await send('a2', report(A, ['labour', 'sexual']));
    await send('a3', report(A, ['sexual'], { placeType: 'hotel' }));
    await send('a4', report(A, []));
    await send('b1', report(B, ['labour']));
    await send('own', report(B, ['sexual']), member);
    await send('leeds', report(LEEDS, ['labour']));
    // One rejected report: left out unless asked for.
    await send('rejected', report(A, ['labour']));
    for (const move of ['triage', 'reject']) {
      const moved = await coordinator.api.json('POST', `/api/v1/reports/${ids.rejected}/${move}`, {}, coordinator.token);
      assert.equal(moved.status, 200, moved.text);
    }
    // a1 triaged and graded, for the status and grade filters.
    assert.equal((await coordinator.api.json('POST', `/api/v1/reports/${ids.a1}/triage`, undefined, coordinator.token)).status, 200);
    const graded = await coordinator.api.json('POST', `/api/v1/reports/${ids.a1}/grade`, { source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: 'Moved together at dawn.' }, coordinator.token);
    assert.equal(graded.status, 200, graded.text);
  });
  after(async () => {
    await server.close();
  });

  test('coordinators: clusters at low zoom count the group’s reports by type, open nothing and audit nothing', async () => {
    const auditBefore = await server.cast.database.db.selectFrom('audit_log').select('id').where('action', '=', 'report.map-read').execute();
    const res = await get(coordinator, `/api/v1/groups/${groupId}/map?zoom=5`);
    assert.equal(res.status, 200, res.text);
    const map = res.json<MapAnswer>();
    assert.equal(map.view, 'coordinator');
    assert.deepEqual(map.points, []);
    assert.equal(sum(map.clusters), 6, 'a1–a4, b1 and the member’s report; not the rejected one, not Leeds');
    const types = map.clusters.reduce<Record<string, number>>((acc, c) => {
      for (const [t, n] of Object.entries(c.byType)) acc[t] = (acc[t] ?? 0) + n;
      return acc;
    }, {});
    assert.deepEqual(types, { labour: 3, sexual: 3 });
    assert.equal(map.clusters.some((c) => 'reportId' in c), false);
    const auditAfter = await server.cast.database.db.selectFrom('audit_log').select('id').where('action', '=', 'report.map-read').execute();
    assert.equal(auditAfter.length, auditBefore.length);

    // Totals agree across zoom levels and with the rejected status asked for.
    for (const zoom of [0, 3, 7, 9, 11]) assert.equal(sum((await get(coordinator, `/api/v1/groups/${groupId}/map?zoom=${zoom}`)).json<MapAnswer>().clusters), 6, `zoom ${zoom}`);
    const withRejected = await get(coordinator, `/api/v1/groups/${groupId}/map?zoom=5&status=received,triaged,graded,rejected`);
    assert.equal(sum(withRejected.json<MapAnswer>().clusters), 7);
  });

  test('coordinators: from zoom 12, the precise points inside the box, one audit entry listing their ids only', async () => {
    const bbox = `${A.lon - 0.01},${A.lat - 0.01},${A.lon + 0.01},${A.lat + 0.01}`;
    const res = await get(coordinator, `/api/v1/groups/${groupId}/map?zoom=14&bbox=${bbox}`);
    assert.equal(res.status, 200, res.text);
    const map = res.json<MapAnswer>();
    assert.deepEqual(map.clusters, []);
    assert.deepEqual(new Set(map.points.map((p) => p.reportId)), new Set([ids.a1, ids.a2, ids.a3, ids.a4]));
    assert.ok(map.points.every((p) => p.lat === A.lat && p.lon === A.lon));
    assert.equal(map.points.find((p) => p.reportId === ids.a4)!.type, 'unspecified');
    const audit = await server.cast.database.db.selectFrom('audit_log').select(['actor_id', 'subject', 'detail']).where('action', '=', 'report.map-read').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, coordinator.userId);
    assert.equal(audit.subject, `group:${groupId}`);
    assert.deepEqual(Object.keys(audit.detail), ['reports']);
    assert.deepEqual(new Set(audit.detail.reports as string[]), new Set([ids.a1, ids.a2, ids.a3, ids.a4]));
  });

  test('filters: type, status, grade, place type, days; unknown fields and values are 422 naming the field', async () => {
    const count = async (query: string) => {
      const res = await get(coordinator, `/api/v1/groups/${groupId}/map?zoom=5&${query}`);
      assert.equal(res.status, 200, `${query}: ${res.text}`);
      return sum(res.json<MapAnswer>().clusters);
    };
    assert.equal(await count('type=sexual'), 3);
    assert.equal(await count('type=sexual&type=labour'), 5);
    assert.equal(await count('status=graded'), 1);
    assert.equal(await count('grade=2/B/*'), 1);
    assert.equal(await count('grade=3/*/*'), 0);
    assert.equal(await count('placeType=hotel'), 1);
    assert.equal(await count('from=2000-01-01&to=2000-12-31'), 0);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(await count(`from=${today}`), 6);

    const bad = async (query: string, field: string) => {
      const res = await get(coordinator, `/api/v1/groups/${groupId}/map?${query}`);
      assert.equal(res.status, 422, `${query}: ${res.text}`);
      const fields = res.json<Problem>().error.fields ?? {};
      assert.ok(fields[field], `${query} names ${field}: ${JSON.stringify(fields)}`);
      return fields[field];
    };
    assert.match(await bad('colour=red', 'colour'), /not a filter/);
    assert.match(await bad('status=lost', 'status'), /Unknown status/);
    assert.match(await bad('grade=4/B/P', 'grade'), /Unknown grade/);
    await bad('type=piracy', 'type');
    await bad('indicator=nope', 'indicator');
    await bad('from=2026-02-30', 'from');
    await bad('from=2026-03-02&to=2026-03-01', 'to');
    assert.match(await bad('bbox=10,0,-10,5', 'bbox'), /west less than east/);
    await bad('bbox=0,-91,1,0', 'bbox');
    await bad('bbox=-181,0,0,1', 'bbox');
    await bad('bbox=a,b,c,d', 'bbox');
    assert.match(await bad('zoom=21', 'zoom'), /0 to 20/);
    await bad('zoom=-1', 'zoom');
    await bad('zoom=12&bbox=-10,40,10,60', 'bbox');
  });

  test('national coordinators: the country map holds groups’ reports and the national inbox; others get 404', async () => {
    const res = await get(national, '/api/v1/countries/GB/map?zoom=5');
    assert.equal(res.status, 200, res.text);
    assert.equal(sum(res.json<MapAnswer>().clusters), 7, 'the six group reports and Leeds');
    assert.equal((await get(national, `/api/v1/groups/${groupId}/map?zoom=5`)).status, 200);
    assert.equal((await get(national, '/api/v1/countries/gb/map?zoom=5')).status, 200, 'the code in either case');
    for (const who of [coordinator, member, outsider]) assert.equal((await get(who, '/api/v1/countries/GB/map')).status, 404);
    assert.equal((await get(national, '/api/v1/countries/FR/map')).status, 404);
    assert.equal((await get(outsider, `/api/v1/groups/${groupId}/map`)).status, 404);
    assert.equal((await get(outsider, '/api/v1/groups/00000000-0000-4000-8000-000000000000/map')).status, 404);
    assert.equal((await get(outsider, '/api/v1/groups/not-a-uuid/map')).status, 404);
    assert.equal((await new (await import('../../../test/support/client.ts')).Client(server.url).json('GET', `/api/v1/groups/${groupId}/map`)).status, 401);
  });

  test('a coordinator without two-factor authentication is told to set it up (403), not shown the map', async () => {
    const group = await listedGroup(noTwoFactor, national, { lat: 52.2, lon: 0.12, radiusKm: 5 });
    const res = await get(noTwoFactor, `/api/v1/groups/${group}/map`);
    assert.equal(res.status, 403);
  });

  test('members: their own reports precisely, the group’s only as cells of at least 3, never another report’s point', async () => {
    for (const zoom of [5, 10, 14]) {
      const bbox = zoom === 14 ? `&bbox=${B.lon - 0.01},${B.lat - 0.01},${B.lon + 0.01},${B.lat + 0.01}` : '';
      const res = await get(member, `/api/v1/groups/${groupId}/map?zoom=${zoom}${bbox}`);
      assert.equal(res.status, 200, res.text);
      const map = res.json<MapAnswer>();
      assert.equal(map.view, 'member');
      assert.deepEqual(map.clusters, []);
      assert.deepEqual(map.points.map((p) => p.reportId), [ids.own], `zoom ${zoom}: only their own point`);
      if (zoom === 10) {
        assert.deepEqual(map.cells?.map((c) => [c.cell, c.count]), [[latLngToCell(A.lat, A.lon, 7), 4]], 'cell B holds 2: not shown');
      }
      for (const cell of map.cells ?? []) assert.ok(cell.count >= 3);
    }
    const filtered = await get(member, `/api/v1/groups/${groupId}/map?zoom=10&type=labour`);
    assert.equal(filtered.status, 422, 'no filters for members (two filtered views could be subtracted)');
    assert.equal((await get(member, `/api/v1/groups/${groupId}/hotspots`)).status, 404);
  });

  test('hotspots: a cell with reports today and none in the year before stands out; the method’s limits are checked', async () => {
    const res = await get(coordinator, `/api/v1/groups/${groupId}/hotspots?resolution=7`);
    assert.equal(res.status, 200, res.text);
    const answer = res.json<{ historyPeriods: number; resolution: number; hotspots: { cell: string; count: number; mean: number; z: number }[] }>();
    assert.equal(answer.historyPeriods, 13);
    assert.deepEqual(answer.hotspots.map((h) => [h.cell, h.count, h.mean]), [[latLngToCell(A.lat, A.lon, 7), 4, 0]]);
    const country = await get(national, '/api/v1/countries/GB/hotspots');
    assert.equal(country.status, 200, country.text);
    assert.equal((await get(coordinator, `/api/v1/groups/${groupId}/hotspots?from=2026-01-01&to=2026-12-31`)).status, 422);
    assert.equal((await get(coordinator, `/api/v1/groups/${groupId}/hotspots?resolution=5`)).status, 422);
  });

  test('pages: coordinators get filters, the map and the table; members their own reports and cells; outsiders 404', async () => {
    const page = await coordinator.browser.get(`/groups/${groupId}/map?type=labour`);
    assert.equal(page.status, 200);
    assert.match(page.text, /data-group-map[ =>]/);
    assert.match(page.text, /data-map-total="3"/);
    assert.match(page.text, /name="type" value="labour" checked/);
    const bad = await coordinator.browser.get(`/groups/${groupId}/map?status=lost`);
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Unknown status/);
    const memberPage = await member.browser.get(`/groups/${groupId}/map`);
    assert.equal(memberPage.status, 200);
    const ownRef = (await server.cast.database.db.selectFrom('reports' as never).select('reference' as never).where('id' as never, '=', ids.own as never).executeTakeFirstOrThrow()) as { reference: string };
    assert.match(memberPage.text, new RegExp(ownRef.reference));
    assert.doesNotMatch(memberPage.text, /name="status"/);
    assert.equal((await outsider.browser.get(`/groups/${groupId}/map`)).status, 404);
    assert.equal((await national.browser.get('/countries/GB/map')).status, 200);
    assert.equal((await coordinator.browser.get('/countries/GB/map')).status, 404);
  });
});
