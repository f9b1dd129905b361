import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { addToGroup, GROUP, makeGroup, person, type Person } from './test-helpers.ts';

type Fields = { error: { code: string; message: string; fields?: Record<string, string> } };

describe('groups: starting, directory, listing, joining, members', () => {
  let server: TestServer;
  let national: Person;
  before(async () => {
    server = await startTestServer();
    national = await person(server, { role: 'national-coordinator', country: 'GB' });
  });
  after(async () => {
    await server.close();
  });

  const audit = (subject: string) =>
    server.cast.database.db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('subject', '=', subject).orderBy('id').execute();

  test('starting a group by form: bad input keeps what was typed and changes nothing; the founder coordinates', async () => {
    const founder = await person(server);
    const page = await founder.browser.get('/groups/new');
    assert.equal(page.status, 200);
    const bad = await founder.browser.postForm('/groups', {
      _csrf: csrfFrom(page.text),
      name: 'Riverside CAST',
      kind: 'community',
      country: 'XX',
      locality: 'Riverside',
      lat: '95',
      lon: '-2.5',
      radiusKm: '0',
      boundary: '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}',
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Choose a country from the list/);
    assert.match(bad.text, /latitude between -90 and 90/);
    assert.match(bad.text, /radius of more than 0 and at most 200 km/);
    assert.match(bad.text, /GeoJSON Polygon/);
    assert.match(bad.text, /value="Riverside CAST"/, 'input kept');
    const before = await server.cast.database.db.selectFrom('groups' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();

    const tooWide = await founder.browser.postForm('/groups', { _csrf: csrfFrom(page.text), name: 'Wide', kind: 'school', country: 'GB', locality: 'Leeds', lat: '53.8', lon: '-1.55', radiusKm: '250' });
    assert.equal(tooWide.status, 422);
    const after = await server.cast.database.db.selectFrom('groups' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.deepEqual(after, before, 'nothing stored');

    const good = await founder.browser.postForm('/groups', {
      _csrf: csrfFrom(page.text),
      name: 'Riverside CAST',
      kind: 'community',
      country: 'GB',
      locality: 'Riverside',
      lat: '51.5',
      lon: '-0.12',
      radiusKm: '3.5',
      boundary: '{"type":"Polygon","coordinates":[[[-0.2,51.4],[-0.1,51.4],[-0.1,51.6],[-0.2,51.4]]]}',
    });
    assert.equal(good.status, 303);
    const id = /\/groups\/([0-9a-f-]{36})/.exec(good.location ?? '')![1]!;
    const home = await founder.browser.get(good.location!);
    assert.equal(home.status, 200);
    assert.match(home.text, /Your group has been started/);
    assert.match(home.text, /Work queue/);
    // The places other modules fill are there, each with an honest empty state.
    for (const slot of ['events', 'your-reports', 'resources', 'work-queue']) assert.ok(home.text.includes(`data-slot="${slot}"`), slot);
    assert.match(home.text, /Open the work queue/, "coordinators reach the reports module's work queue");
    assert.match(home.text, /No upcoming events yet/);
    const api = await founder.api.json('GET', `/api/v1/groups/${id}`, undefined, founder.token);
    assert.equal(api.status, 200);
    const body = api.json<{ audience: string; role: string; group: { listed: boolean; radiusKm: number; boundary: { type: string } } }>();
    assert.equal(body.audience, 'member');
    assert.equal(body.role, 'coordinator');
    assert.equal(body.group.listed, false);
    assert.equal(body.group.radiusKm, 3.5);
    assert.equal(body.group.boundary.type, 'Polygon');
    const entries = await audit(`group:${id}`);
    assert.deepEqual(entries.map((e) => e.action), ['group.created', 'group.member-added']);
    assert.ok(!JSON.stringify(entries).includes(founder.email), 'no personal data in the audit log');
  });

  test('the API refuses bad input with field messages and stores nothing', async () => {
    const founder = await person(server);
    const response = await founder.api.json('POST', '/api/v1/groups', { ...GROUP, country: 'ZZ', lat: -91, lon: 181, radiusKm: 200.5 }, founder.token);
    assert.equal(response.status, 422);
    const fields = response.json<Fields>().error.fields!;
    assert.deepEqual(Object.keys(fields).sort(), ['country', 'lat', 'lon', 'radiusKm']);
    assert.match(fields.radiusKm!, /at most 200 km/);
    const zero = await founder.api.json('POST', '/api/v1/groups', { ...GROUP, radiusKm: 0, boundary: { type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] } }, founder.token);
    assert.equal(zero.status, 422);
    assert.deepEqual(Object.keys(zero.json<Fields>().error.fields!).sort(), ['boundary', 'radiusKm']);
    const mine = await founder.browser.get('/groups');
    assert.match(mine.text, /You are not in a group yet/);
    assert.equal((await new Client(server.url).json('POST', '/api/v1/groups', GROUP)).status, 403, 'no CSRF token, no session');
  });

  test('listing: the coordinator asks, a national coordinator of the country approves; the directory shows only a coarse point', async () => {
    const founder = await person(server);
    const id = await makeGroup(founder, { name: 'Zebra Crossing CAST', locality: 'Kingsdown' });
    const anonymous = new Client(server.url);
    assert.equal((await anonymous.get(`/groups/${id}`)).status, 404, 'unlisted groups are not public');
    assert.equal((await anonymous.json('GET', `/api/v1/groups/${id}`)).status, 404);
    const search = () => anonymous.json('GET', '/api/v1/groups?q=kingsDOWN&country=GB');
    assert.equal((await search()).json<{ count: number }>().count, 0);

    assert.equal((await national.api.json('POST', `/api/v1/groups/${id}/listing`, undefined, national.token)).status, 204, 'a national coordinator may list a group of their country directly');
    const second = await makeGroup(founder, { name: 'Yew Tree CAST', locality: 'Kingsdown' });
    assert.equal((await founder.api.json('POST', `/api/v1/groups/${second}/listing-request`, undefined, founder.token)).status, 204);
    const pending = await national.api.json('GET', '/api/v1/countries/GB/groups', undefined, national.token);
    assert.equal(pending.status, 200);
    assert.ok(pending.json<{ pendingListing: { id: string }[] }>().pendingListing.some((g) => g.id === second));
    const nationalPage = await national.browser.get('/groups/national/GB');
    assert.equal(nationalPage.status, 200);
    assert.match(nationalPage.text, /Yew Tree CAST/);
    const frNational = await person(server, { role: 'national-coordinator', country: 'FR' });
    assert.equal((await frNational.api.json('POST', `/api/v1/groups/${second}/listing`, undefined, frNational.token)).status, 404, 'another country’s national coordinator cannot see it');
    assert.equal((await frNational.api.json('GET', '/api/v1/countries/GB/groups', undefined, frNational.token)).status, 403);
    assert.equal((await founder.api.json('POST', `/api/v1/groups/${second}/listing`, undefined, founder.token)).status, 403, 'coordinators cannot list their own group');
    const approve = await national.browser.submit(`/groups/${second}`, `/groups/${second}/listing`, {});
    assert.equal(approve.status, 303);
    assert.equal((await national.api.json('POST', `/api/v1/groups/${second}/listing`, undefined, national.token)).status, 409);
    assert.deepEqual((await audit(`group:${second}`)).map((e) => e.action).slice(-2), ['group.listing-requested', 'group.listed']);

    const found = await search();
    assert.equal(found.status, 200);
    const directory = found.json<{ count: number; countExact: boolean; next: string | null; groups: Record<string, unknown>[] }>();
    assert.equal(directory.count, 2);
    assert.equal(directory.countExact, true);
    assert.equal(directory.next, null, 'one page only');
    const entry = directory.groups.find((g) => g.id === second)!;
    assert.deepEqual(Object.keys(entry).sort(), ['country', 'id', 'kind', 'locality', 'name', 'point']);
    assert.deepEqual(entry.point, { lat: 51.5, lon: -2.6 }, 'a 0.1° grid point, never the centre');
    assert.ok(!found.text.includes('51.45678') && !found.text.includes('radius'), 'no precise area in the directory');
    const publicView = await anonymous.json('GET', `/api/v1/groups/${second}`);
    assert.equal(publicView.status, 200);
    assert.equal(publicView.json<{ audience: string }>().audience, 'public');
    assert.ok(!publicView.text.includes('51.45678'));
    const page = await anonymous.get('/groups?q=Kingsdown&country=GB');
    assert.match(page.text, /Yew Tree CAST/);
    assert.ok(!page.text.includes('51.45678'));
    assert.equal((await anonymous.json('GET', '/api/v1/groups?country=QQ')).status, 422);
  });

  test('the directory pages through many groups', async () => {
    const founder = await person(server);
    for (let i = 0; i < 23; i += 1) {
      const id = await makeGroup(founder, { name: `Paging ${String(i).padStart(2, '0')}`, locality: 'Pagetown', country: 'IE' });
      assert.equal((await national.api.json('POST', `/api/v1/groups/${id}/listing`, undefined, national.token)).status, 404, 'a GB national coordinator cannot list an Irish group');
    }
    const admin = await person(server, { role: 'admin' });
    const ireland = await admin.api.json('GET', '/api/v1/countries/IE/groups', undefined, admin.token);
    for (const group of ireland.json<{ groups: { id: string }[] }>().groups) await admin.api.json('POST', `/api/v1/groups/${group.id}/listing`, undefined, admin.token);
    type Page = { count: number; countExact: boolean; next: string | null; groups: { name: string }[] };
    const first = (await new Client(server.url).json('GET', '/api/v1/groups?q=pagetown')).json<Page>();
    assert.equal(first.count, 23);
    assert.equal(first.countExact, true);
    assert.equal(first.groups.length, 20);
    assert.ok(first.next, 'a link to the next page');
    const second = (await new Client(server.url).json('GET', `/api/v1/groups?q=pagetown&after=${first.next}`)).json<Page>();
    assert.deepEqual(
      second.groups.map((g) => g.name),
      ['Paging 20', 'Paging 21', 'Paging 22'],
    );
    assert.equal(second.next, null, 'the last page');
    assert.equal((await new Client(server.url).json('GET', '/api/v1/groups?after=bm90LWEtY3Vyc29y')).status, 422, 'a made-up cursor is refused');
    const html = await new Client(server.url).get('/groups?q=pagetown');
    assert.match(html.text, /Groups found: 23/);
    const nextHref = /<a href="([^"]+)">Next page<\/a>/.exec(html.text)?.[1];
    assert.ok(nextHref, 'the page links to the next one');
    const page2 = await new Client(server.url).get(nextHref.replaceAll('&amp;', '&'));
    assert.equal(page2.status, 200);
    assert.match(page2.text, /Paging 22/);
    assert.ok(!page2.text.includes('Paging 19'));
    assert.match(page2.text, /First page/);
    assert.ok(!page2.text.includes('Next page'));
  });

  test('a member of group A learns nothing about group B', async () => {
    const a = await person(server);
    const b = await person(server);
    const member = await person(server);
    const groupA = await makeGroup(a, { name: 'Alpha' });
    const groupB = await makeGroup(b, { name: 'Bravo' });
    await addToGroup(a, groupA, member);
    for (const path of ['', '/members', '/activities', '/activity-totals', '/join-requests']) {
      assert.equal((await member.api.json('GET', `/api/v1/groups/${groupB}${path}`, undefined, member.token)).status, 404, path);
      assert.equal((await a.api.json('GET', `/api/v1/groups/${groupB}${path}`, undefined, a.token)).status, 404, path);
    }
    assert.equal((await member.api.json('POST', `/api/v1/groups/${groupB}/activities`, { occurredOn: '2026-01-05', kind: 'talk', audience: 'public', peopleReached: 3 }, member.token)).status, 404);
    assert.equal((await member.api.json('POST', `/api/v1/groups/${groupB}/join-requests`, {}, member.token)).status, 404);
    assert.equal((await a.api.json('POST', `/api/v1/groups/${groupB}/invitations`, { role: 'member' }, a.token)).status, 404);
    assert.equal((await a.api.json('PUT', `/api/v1/groups/${groupB}/members/${b.userId}`, { role: 'member' }, a.token)).status, 404);
    assert.equal((await member.browser.get(`/groups/${groupB}`)).status, 404);
    assert.equal((await member.browser.get('/groups/not-a-uuid')).status, 404);
    const own = await member.api.json('GET', `/api/v1/groups/${groupA}/members`, undefined, member.token);
    assert.equal(own.status, 200);
    assert.equal(own.json<unknown[]>().length, 2);
    assert.equal((await member.api.json('GET', `/api/v1/groups/${groupA}/join-requests`, undefined, member.token)).status, 403, 'members see the group but do not manage it');
  });

  test('join requests: a duplicate is refused with a clear message; coordinators approve or decline', async () => {
    const coordinator = await person(server);
    const id = await makeGroup(coordinator, { name: 'Joinable' });
    await national.api.json('POST', `/api/v1/groups/${id}/listing`, undefined, national.token);
    const joiner = await person(server);
    const other = await person(server);
    const first = await joiner.api.json('POST', `/api/v1/groups/${id}/join-requests`, { message: 'I live nearby' }, joiner.token);
    assert.equal(first.status, 201);
    const again = await joiner.api.json('POST', `/api/v1/groups/${id}/join-requests`, {}, joiner.token);
    assert.equal(again.status, 409);
    assert.match(again.json<Fields>().error.message, /already asked to join/);
    const page = await joiner.browser.get(`/groups/${id}`);
    assert.match(page.text, /You have asked to join this group/);
    const byForm = await other.browser.submit(`/groups/${id}`, `/groups/${id}/join-requests`, { message: 'Me too' });
    assert.equal(byForm.status, 303);
    const requests = await coordinator.api.json('GET', `/api/v1/groups/${id}/join-requests`, undefined, coordinator.token);
    const list = requests.json<{ id: string; userId: string; message: string | null }[]>();
    assert.equal(list.length, 2);
    const mine = list.find((r) => r.userId === joiner.userId)!;
    assert.equal((await coordinator.api.json('PUT', `/api/v1/groups/${id}/join-requests/${mine.id}`, { decision: 'approve' }, coordinator.token)).status, 204);
    assert.equal((await coordinator.api.json('PUT', `/api/v1/groups/${id}/join-requests/${mine.id}`, { decision: 'approve' }, coordinator.token)).status, 404, 'answered once');
    const theirs = list.find((r) => r.userId === other.userId)!;
    const home = await coordinator.browser.get(`/groups/${id}`);
    assert.match(home.text, /Me too/);
    const declined = await coordinator.browser.postForm(`/groups/${id}/join-requests/${theirs.id}`, { _csrf: csrfFrom(home.text), decision: 'decline' });
    assert.equal(declined.status, 303);
    assert.equal((await joiner.api.json('GET', `/api/v1/groups/${id}`, undefined, joiner.token)).json<{ audience: string }>().audience, 'member');
    assert.equal((await other.api.json('GET', `/api/v1/groups/${id}`, undefined, other.token)).json<{ audience: string }>().audience, 'public');
    assert.equal((await joiner.api.json('POST', `/api/v1/groups/${id}/join-requests`, {}, joiner.token)).status, 409, 'already a member');
    const actions = (await audit(`group:${id}`)).map((e) => e.action);
    assert.ok(actions.includes('group.join-request-decided') && actions.filter((a) => a === 'group.member-added').length === 2, actions.join());
  });

  test('roles, removal and leaving: the last coordinator must hand over first', async () => {
    const coordinator = await person(server);
    const helper = await person(server);
    const id = await makeGroup(coordinator, { name: 'Handover' });
    await addToGroup(coordinator, id, helper);
    const demote = await coordinator.api.json('PUT', `/api/v1/groups/${id}/members/${coordinator.userId}`, { role: 'member' }, coordinator.token);
    assert.equal(demote.status, 422);
    assert.match(demote.json<Fields>().error.fields!.role!, /only coordinator/);
    const leave = await coordinator.api.json('DELETE', `/api/v1/groups/${id}/members/${coordinator.userId}`, undefined, coordinator.token);
    assert.equal(leave.status, 422);
    const home = await coordinator.browser.get(`/groups/${id}`);
    const leavePage = await coordinator.browser.postForm(`/groups/${id}/members/${coordinator.userId}/remove`, { _csrf: csrfFrom(home.text) });
    assert.equal(leavePage.status, 422);
    assert.match(leavePage.text, /cannot leave or be removed/);
    assert.equal((await helper.api.json('PUT', `/api/v1/groups/${id}/members/${helper.userId}`, { role: 'coordinator' }, helper.token)).status, 403);
    assert.equal((await coordinator.api.json('PUT', `/api/v1/groups/${id}/members/${helper.userId}`, { role: 'coordinator' }, coordinator.token)).status, 204);
    assert.equal((await coordinator.api.json('PUT', `/api/v1/groups/${id}/members/${coordinator.userId}`, { role: 'member' }, coordinator.token)).status, 204);
    assert.equal((await coordinator.api.json('DELETE', `/api/v1/groups/${id}/members/${coordinator.userId}`, undefined, coordinator.token)).status, 204, 'a member may leave');
    assert.equal((await coordinator.api.json('GET', `/api/v1/groups/${id}`, undefined, coordinator.token)).status, 404);
    const third = await person(server);
    await addToGroup(helper, id, third);
    const helperHome = await helper.browser.get(`/groups/${id}`);
    const removed = await helper.browser.postForm(`/groups/${id}/members/${third.userId}/remove`, { _csrf: csrfFrom(helperHome.text) });
    assert.equal(removed.status, 303);
    const members = await helper.api.json('GET', `/api/v1/groups/${id}/members`, undefined, helper.token);
    assert.deepEqual(members.json<{ userId: string; role: string }[]>().map((m) => [m.userId, m.role]), [[helper.userId, 'coordinator']]);
    const actions = (await audit(`group:${id}`)).map((e) => e.action);
    for (const action of ['group.member-role-changed', 'group.member-left', 'group.member-removed']) assert.ok(actions.includes(action), action);
  });
});
