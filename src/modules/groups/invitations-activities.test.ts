import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createAccount, signIn } from '../../../test/support/accounts.ts';
import { Client, csrfFrom, linkFrom } from '../../../test/support/client.ts';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import type { GroupsTables } from './tables.ts';
import { addToGroup, makeGroup, person, type Person } from './test-helpers.ts';

type Fields = { error: { code: string; message: string; fields?: Record<string, string> } };
type Totals = { activities: number; peopleReached: number; byAudience: { audience: string; activities: number; peopleReached: number }[]; byMonth: { month: string; activities: number; peopleReached: number }[] };

describe('groups: invitations, activity log and totals', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  let coordinator: Person;
  let groupId: string;
  before(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({ smtpUrl: mailbox.url });
    coordinator = await person(server);
    groupId = await makeGroup(coordinator, { name: 'Invite & Log CAST', country: 'FR', locality: 'Lyon', lat: 45.76, lon: 4.83 });
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  const token = (link: string) => link.split('/').pop()!;
  const audit = (action: string) => server.cast.database.db.selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', action).execute();

  test('an e-mail invitation arrives over SMTP, works once, for the invited address only', async () => {
    const invitee = await createAccount(server.cast.database);
    const home = await coordinator.browser.get(`/groups/${groupId}`);
    const made = await coordinator.browser.postForm(`/groups/${groupId}/invitations`, { _csrf: csrfFrom(home.text), email: invitee.email.toUpperCase(), role: 'member' });
    assert.equal(made.status, 201);
    assert.match(made.text, /Copy it now/);
    const mail = await mailbox.waitFor(invitee.email, /invited to join Invite & Log CAST/);
    const path = linkFrom(mail.text, '/groups/invitations/');
    assert.ok(made.text.includes(path), 'the same link is shown to the coordinator');
    const stored = await server.cast.database.db.selectFrom('group_invitations' as never).select(sql<Buffer>`token_hash`.as('h')).execute();
    assert.ok(stored.every((row) => !row.h.toString('utf8').includes(token(path))), 'stored hashed');

    const stranger = await person(server);
    const wrong = await stranger.api.json('POST', `/api/v1/invitations/${token(path)}/accept`, undefined, stranger.token);
    assert.equal(wrong.status, 422);
    assert.match(wrong.json<Fields>().error.fields!.token!, /another e-mail address/);

    const browser = new Client(server.url);
    const anonymousView = await browser.get(path);
    assert.equal(anonymousView.status, 200);
    assert.match(anonymousView.text, /Sign in to accept/);
    await signIn(browser, invitee.email);
    const page = await browser.get(path);
    const accepted = await browser.postForm(path, { _csrf: csrfFrom(page.text) });
    assert.equal(accepted.status, 303);
    assert.equal(accepted.location, `/groups/${groupId}?notice=joined`);
    const again = await browser.postForm(path, { _csrf: csrfFrom(page.text) });
    assert.equal(again.status, 422);
    assert.match(again.text, /already been used/);
    assert.equal((await new Client(server.url).get(path)).status, 422);
    const used = await audit('group.invitation-used');
    assert.equal(used.length, 1);
    assert.equal(used[0]!.subject, `group:${groupId}`);
    assert.ok(!JSON.stringify(used).includes(invitee.email));
  });

  test('a link invitation can be used by anyone holding it, once, and not after it expires', async () => {
    const made = await coordinator.api.json('POST', `/api/v1/groups/${groupId}/invitations`, { role: 'coordinator' }, coordinator.token);
    assert.equal(made.status, 201);
    const { link, email, expiresAt } = made.json<{ link: string; email: string | null; expiresAt: string }>();
    assert.equal(email, null);
    const days = (new Date(expiresAt).getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, String(days));
    const first = await person(server);
    const second = await person(server);
    const accepted = await first.api.json('POST', `/api/v1/invitations/${token(link)}/accept`, undefined, first.token);
    assert.equal(accepted.status, 200);
    assert.deepEqual(accepted.json(), { groupId, role: 'coordinator' });
    const reused = await second.api.json('POST', `/api/v1/invitations/${token(link)}/accept`, undefined, second.token);
    assert.equal(reused.status, 422);
    assert.match(reused.json<Fields>().error.fields!.token!, /already been used/);

    const expiring = await coordinator.api.json('POST', `/api/v1/groups/${groupId}/invitations`, { role: 'member' }, coordinator.token);
    const expiredToken = token(expiring.json<{ link: string }>().link);
    await sql`update group_invitations set expires_at = now() - interval '1 minute' where id = ${expiring.json<{ id: string }>().id}`.execute(server.cast.database.db);
    const late = await second.api.json('POST', `/api/v1/invitations/${expiredToken}/accept`, undefined, second.token);
    assert.equal(late.status, 422);
    assert.match(late.json<Fields>().error.fields!.token!, /expired/);
    const latePage = await second.browser.get(`/groups/invitations/${expiredToken}`);
    assert.equal(latePage.status, 422);
    assert.match(latePage.text, /This invitation has expired/);
    assert.equal((await second.api.json('GET', `/api/v1/groups/${groupId}`, undefined, second.token)).status, 404, 'nothing changed');
    assert.equal((await second.api.json('POST', '/api/v1/invitations/nonsense/accept', undefined, second.token)).status, 404);
  });

  test('a coordinator cancels an open invitation (page and API); its link then fails with a clear message', async () => {
    const invitee = await person(server);
    const made = await coordinator.api.json('POST', `/api/v1/groups/${groupId}/invitations`, { email: invitee.email, role: 'member' }, coordinator.token);
    const { id, link } = made.json<{ id: string; link: string }>();
    const open = await coordinator.api.json('GET', `/api/v1/groups/${groupId}/invitations`, undefined, coordinator.token);
    assert.equal(open.status, 200);
    assert.ok(open.json<{ id: string; email: string | null }[]>().some((i) => i.id === id && i.email === invitee.email.toLowerCase()));

    const home = await coordinator.browser.get(`/groups/${groupId}`);
    assert.ok(home.text.includes(`/groups/${groupId}/invitations/${id}/cancel`), 'each open invitation has a cancel button');
    const cancelled = await coordinator.browser.postForm(`/groups/${groupId}/invitations/${id}/cancel`, { _csrf: csrfFrom(home.text) });
    assert.equal(cancelled.status, 303);
    assert.equal(cancelled.location, `/groups/${groupId}?notice=invitationCancelled`);
    assert.ok(!(await coordinator.browser.get(`/groups/${groupId}`)).text.includes(`/invitations/${id}/cancel`), 'no longer listed');
    assert.equal((await audit('group.invitation-cancelled')).filter((e) => (e.detail as { invitationId?: string }).invitationId === id).length, 1);

    const page = await invitee.browser.get(`/groups/invitations/${token(link)}`);
    assert.equal(page.status, 422);
    assert.match(page.text, /This invitation has been cancelled/);
    const refused = await invitee.api.json('POST', `/api/v1/invitations/${token(link)}/accept`, undefined, invitee.token);
    assert.equal(refused.status, 422);
    assert.match(refused.json<Fields>().error.fields!.token!, /cancelled/);
    assert.equal((await invitee.api.json('GET', `/api/v1/groups/${groupId}`, undefined, invitee.token)).status, 404, 'not a member');

    assert.equal((await coordinator.api.json('DELETE', `/api/v1/groups/${groupId}/invitations/${id}`, undefined, coordinator.token)).status, 404, 'cancelling twice changes nothing');
    const viaApi = await coordinator.api.json('POST', `/api/v1/groups/${groupId}/invitations`, { role: 'member' }, coordinator.token);
    const apiId = viaApi.json<{ id: string }>().id;
    const member = await person(server);
    await addToGroup(coordinator, groupId, member);
    assert.equal((await member.api.json('DELETE', `/api/v1/groups/${groupId}/invitations/${apiId}`, undefined, member.token)).status, 403, 'members cannot cancel');
    assert.equal((await coordinator.api.json('DELETE', `/api/v1/groups/${groupId}/invitations/${apiId}`, undefined, coordinator.token)).status, 204);
    const used = await coordinator.api.json('POST', `/api/v1/groups/${groupId}/invitations`, { role: 'member' }, coordinator.token);
    const usedId = used.json<{ id: string }>().id;
    const taker = await person(server);
    assert.equal((await taker.api.json('POST', `/api/v1/invitations/${token(used.json<{ link: string }>().link)}/accept`, undefined, taker.token)).status, 200);
    assert.equal((await coordinator.api.json('DELETE', `/api/v1/groups/${groupId}/invitations/${usedId}`, undefined, coordinator.token)).status, 404, 'a used invitation cannot be cancelled');
  });

  test('accepting an invitation closes the person’s pending request to join', async () => {
    const admin = await person(server, { role: 'admin' });
    const listed = await makeGroup(coordinator, { name: 'Open Door CAST', country: 'FR', locality: 'Lille', lat: 50.63, lon: 3.06 });
    assert.equal((await admin.api.json('POST', `/api/v1/groups/${listed}/listing`, undefined, admin.token)).status, 204);
    const asker = await person(server);
    const request = await asker.api.json('POST', `/api/v1/groups/${listed}/join-requests`, { message: 'May I help?' }, asker.token);
    assert.equal(request.status, 201);
    const requestId = request.json<{ id: string }>().id;
    const pending = () => coordinator.api.json('GET', `/api/v1/groups/${listed}/join-requests`, undefined, coordinator.token).then((r) => r.json<{ id: string }[]>());
    assert.ok((await pending()).some((r) => r.id === requestId));

    const made = await coordinator.api.json('POST', `/api/v1/groups/${listed}/invitations`, { email: asker.email, role: 'member' }, coordinator.token);
    assert.equal((await asker.api.json('POST', `/api/v1/invitations/${token(made.json<{ link: string }>().link)}/accept`, undefined, asker.token)).status, 200);
    assert.deepEqual(await pending(), [], 'no orphaned request left to approve');
    const row = await server.cast.database.db.withTables<GroupsTables>().selectFrom('join_requests').select(['decision', 'decided_by']).where('id', '=', requestId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { decision: 'approved', decided_by: coordinator.userId });
    assert.ok((await audit('group.join-request-decided')).some((e) => (e.detail as { requestId?: string; via?: string }).requestId === requestId && (e.detail as { via?: string }).via === 'invitation'));
    const members = (await coordinator.api.json('GET', `/api/v1/groups/${listed}/members`, undefined, coordinator.token)).json<{ userId: string; displayName: string; role: string }[]>();
    assert.deepEqual(
      members.map((m) => m.role),
      ['coordinator', 'member'],
    );
    assert.ok(members.every((m) => m.displayName.length > 0), 'names come from accounts');
  });

  test('members log activities; bad input is refused with field messages and nothing is stored', async () => {
    const member = await person(server);
    await addToGroup(coordinator, groupId, member);
    const bad = await member.api.json(
      'POST',
      `/api/v1/groups/${groupId}/activities`,
      { occurredOn: '2999-01-01', kind: 'talk', audience: 'public', peopleReached: -5, notes: 'x' },
      member.token,
    );
    assert.equal(bad.status, 422);
    const fields = bad.json<Fields>().error.fields!;
    assert.deepEqual(Object.keys(fields).sort(), ['occurredOn', 'peopleReached']);
    assert.match(fields.occurredOn!, /cannot be in the future/);
    const tooMany = await member.api.json('POST', `/api/v1/groups/${groupId}/activities`, { occurredOn: '2026-02-30', kind: 'talk', audience: 'public', peopleReached: 1_000_001 }, member.token);
    assert.deepEqual(Object.keys(tooMany.json<Fields>().error.fields!).sort(), ['occurredOn', 'peopleReached']);
    const schemaBad = await member.api.json('POST', `/api/v1/groups/${groupId}/activities`, { occurredOn: '2026-01-01', kind: 'juggling', audience: 'public', peopleReached: 1 }, member.token);
    assert.equal(schemaBad.status, 422);
    // The Action Pack used is one of the packs, by its id.
    const noSuchPack = await member.api.json('POST', `/api/v1/groups/${groupId}/activities`, { occurredOn: '2026-01-01', kind: 'talk', audience: 'public', peopleReached: 1, actionPack: 'Schools pack' }, member.token);
    assert.equal(noSuchPack.status, 422);
    assert.match(noSuchPack.json<Fields>().error.fields!.actionPack!, /Choose one of the Action Packs/);

    const home = await member.browser.get(`/groups/${groupId}`);
    const form = await member.browser.postForm(`/groups/${groupId}/activities`, {
      _csrf: csrfFrom(home.text),
      occurredOn: '2026-13-01',
      kind: 'stall',
      audience: 'community',
      peopleReached: '-1',
      notes: 'Market stall notes kept',
    });
    assert.equal(form.status, 422);
    assert.match(form.text, /Enter a real date/);
    assert.match(form.text, /whole number from 0 to 1,000,000/);
    assert.match(form.text, /Market stall notes kept/, 'input kept');
    const none = await member.api.json('GET', `/api/v1/groups/${groupId}/activities`, undefined, member.token);
    assert.deepEqual(none.json(), []);

    const entries = [
      { occurredOn: '2026-01-10', kind: 'assembly', audience: 'school', peopleReached: 200, actionPack: 'schools-sex-trafficking' },
      { occurredOn: '2026-01-20', kind: 'talk', audience: 'faith', peopleReached: 35 },
      { occurredOn: '2026-02-03', kind: 'stall', audience: 'public', peopleReached: 120, notes: 'Saturday market' },
    ];
    for (const entry of entries) assert.equal((await member.api.json('POST', `/api/v1/groups/${groupId}/activities`, entry, member.token)).status, 201);
    const byPage = await member.browser.postForm(`/groups/${groupId}/activities`, { _csrf: csrfFrom(home.text), occurredOn: '2026-02-14', kind: 'screening', audience: 'school', peopleReached: '45' });
    assert.equal(byPage.status, 303);
    const logged = await member.browser.get(`/groups/${groupId}`);
    assert.match(logged.text, /<option value="schools-sex-trafficking">/, 'the form offers the packs');
    assert.match(logged.text, /<td><a href="\/packs\/schools-sex-trafficking">Action Pack for schools — sex trafficking<\/a><\/td>/, 'the log names the pack used, linked');

    const list = await member.api.json('GET', `/api/v1/groups/${groupId}/activities`, undefined, member.token);
    const activities = list.json<{ occurredOn: string; kind: string; actionPack: string | null }[]>();
    assert.deepEqual(activities.map((a) => a.occurredOn), ['2026-02-14', '2026-02-03', '2026-01-20', '2026-01-10']);
    assert.equal(activities[3]!.actionPack, 'schools-sex-trafficking');

    const totals = await member.api.json('GET', `/api/v1/groups/${groupId}/activity-totals`, undefined, member.token);
    assert.deepEqual(totals.json<Totals>(), {
      activities: 4,
      peopleReached: 400,
      byAudience: [
        { audience: 'faith', activities: 1, peopleReached: 35 },
        { audience: 'public', activities: 1, peopleReached: 120 },
        { audience: 'school', activities: 2, peopleReached: 245 },
      ],
      byMonth: [
        { month: '2026-01', activities: 2, peopleReached: 235 },
        { month: '2026-02', activities: 2, peopleReached: 165 },
      ],
    });
    const page = await member.browser.get(`/groups/${groupId}`);
    assert.match(page.text, /4 activities, 400 people reached/);
    assert.match(page.text, /Saturday market/);
    assert.doesNotMatch(page.text, /Work queue/, 'members do not see the coordinators’ tools');
  });

  test('national totals are for the national coordinators of the country and administrators', async () => {
    const other = await makeGroup(coordinator, { name: 'Second French group', country: 'FR' });
    await coordinator.api.json('POST', `/api/v1/groups/${other}/activities`, { occurredOn: '2026-02-20', kind: 'talk', audience: 'business', peopleReached: 10 }, coordinator.token);
    const elsewhere = await makeGroup(coordinator, { name: 'A British group', country: 'GB' });
    await coordinator.api.json('POST', `/api/v1/groups/${elsewhere}/activities`, { occurredOn: '2026-02-20', kind: 'talk', audience: 'business', peopleReached: 999 }, coordinator.token);

    const france = await person(server, { role: 'national-coordinator', country: 'FR' });
    const britain = await person(server, { role: 'national-coordinator', country: 'GB' });
    const admin = await person(server, { role: 'admin' });
    const national = await france.api.json('GET', '/api/v1/countries/FR/activity-totals', undefined, france.token);
    assert.equal(national.status, 200);
    const totals = national.json<Totals>();
    assert.equal(totals.activities, 5);
    assert.equal(totals.peopleReached, 410);
    assert.deepEqual(totals.byMonth.at(-1), { month: '2026-02', activities: 3, peopleReached: 175 });
    assert.deepEqual((await admin.api.json('GET', '/api/v1/countries/fr/activity-totals', undefined, admin.token)).json(), totals);
    assert.equal((await britain.api.json('GET', '/api/v1/countries/FR/activity-totals', undefined, britain.token)).status, 403);
    assert.equal((await coordinator.api.json('GET', '/api/v1/countries/FR/activity-totals', undefined, coordinator.token)).status, 403);
    assert.equal((await france.api.json('GET', '/api/v1/countries/XX/activity-totals', undefined, france.token)).status, 404);
    const page = await france.browser.get('/groups/national/FR');
    assert.equal(page.status, 200);
    assert.match(page.text, /5 activities, 410 people reached/);
    assert.match(page.text, /Second French group/);
    assert.doesNotMatch(page.text, /A British group/);
    const readOnly = await france.browser.submit('/account', '/account/tokens', { name: 'read only', scopes: ['groups:read'] });
    const readToken = /<code class="token">(cast_[\w-]+)<\/code>/.exec(readOnly.text)![1]!;
    assert.equal((await france.api.json('GET', '/api/v1/countries/FR/activity-totals', undefined, readToken)).status, 200);
    assert.equal((await france.api.json('POST', `/api/v1/groups/${other}/listing`, undefined, readToken)).status, 403, 'writing needs groups:write');
  });
});
