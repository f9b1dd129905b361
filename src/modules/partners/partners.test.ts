import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, signIn } from '../../../test/support/accounts.ts';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { activePartnership } from './index.ts';
import type { PartnersTables } from './tables.ts';

type Fields = { error: { code: string; message: string; fields?: Record<string, string> } };
interface Partner { id: string; name: string; country: string; verified: boolean; partnerUsers: number }
interface Partnership { id: string; status: string; group: { id: string; name: string }; partner: { id: string }; agreement: { handlingCodes: string[]; conditions: string | null }; endedOn: string | null }

/** A signed-in browser that also calls the JSON API with its session (and the CSRF header, as a page script would). */
class Person {
  csrf = '';
  constructor(readonly client: Client, readonly email: string, readonly userId: string) {}
  async api(method: string, path: string, body?: unknown) {
    if (!this.csrf) this.csrf = csrfFrom((await this.client.get('/signup')).text);
    const headers: Record<string, string> = { 'x-csrf-token': this.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    return this.client.request(method, path, { ...(body === undefined ? {} : { body: JSON.stringify(body) }), headers });
  }
}

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

type Name = 'ncGB' | 'ncFR' | 'admin' | 'member' | 'coordinator' | 'otherCoordinator' | 'officer' | 'strangerOfficer';

describe('partners and partnerships', () => {
  let server: TestServer;
  const people = {} as Record<Name, Person>;
  const db = () => server.cast.database.db.withTables<PartnersTables>();
  const audit = async (action: string, subject: string) =>
    server.cast.database.db.selectFrom('audit_log').select(['actor_id', 'detail']).where('action', '=', action).where('subject', '=', subject).execute();

  async function person(name: Name, options: Parameters<typeof createAccount>[1] = {}) {
    const account = await createAccount(server.cast.database, options);
    const client = new Client(server.url);
    await signIn(client, account.email);
    people[name] = new Person(client, account.email, account.userId);
    return people[name];
  }

  async function groupOf(coordinator: Person, country: string, name: string): Promise<string> {
    const made = await coordinator.api('POST', '/api/v1/groups', { name, kind: 'school', country, locality: 'Leeds', lat: 53.8, lon: -1.55, radiusKm: 5 });
    assert.equal(made.status, 201, made.text);
    return made.json<{ id: string }>().id;
  }

  before(async () => {
    server = await startTestServer();
    await person('ncGB', { role: 'national-coordinator', country: 'GB' });
    await person('ncFR', { role: 'national-coordinator', country: 'FR' });
    await person('admin', { role: 'admin' });
    await person('member');
    await person('coordinator');
    await person('otherCoordinator');
  });
  after(async () => {
    await server.close();
  });

  test('a national coordinator adds a partner on the console page; bad input is refused with its reasons and nothing is stored', async () => {
    const { client } = people.ncGB;
    const page = await client.get('/partners');
    assert.equal(page.status, 200);
    assert.match(page.text, /Add a partner organisation/);

    const bad = await client.submit('/partners', '/partners', { kind: 'police', name: 'Nowhere Police', country: 'XX', area: 'Nowhere', latitude: '53.8', contactEmail: 'not-an-email' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Choose a country from the list\./);
    assert.match(bad.text, /Give latitude, longitude and radius together, or none of them\./);
    assert.match(bad.text, /Enter an e-mail address/);
    assert.match(bad.text, /value="Nowhere Police"/, 'the form keeps what was typed');
    const abroad = await client.submit('/partners', '/partners', { kind: 'police', name: 'Police de Lyon', country: 'FR', area: 'Lyon', contactEmail: 'contact@lyon.example' });
    assert.equal(abroad.status, 422);
    assert.match(abroad.text, /only add partner organisations in a country you coordinate/);
    assert.equal((await db().selectFrom('partner_organisations').select('id').execute()).length, 0);

    const made = await client.submit('/partners', '/partners', { kind: 'police', name: 'West Yorkshire Police', country: 'GB', area: 'West Yorkshire', latitude: '53.8', longitude: '-1.55', radiusKm: '40', contactEmail: 'Safeguarding@WestYorkshire.example' });
    assert.equal(made.status, 303);
    assert.equal(made.location, '/partners?notice=created');
    const row = await db().selectFrom('partner_organisations').selectAll().where('name', '=', 'West Yorkshire Police').executeTakeFirstOrThrow();
    assert.equal(row.contact_email, 'safeguarding@westyorkshire.example');
    assert.equal(row.verified_at, null);
    assert.equal((await audit('partner.created', `partner:${row.id}`))[0]?.actor_id, people.ncGB.userId);

    const listed = await client.get('/partners?notice=created');
    assert.match(listed.text, /West Yorkshire Police/);
    assert.match(listed.text, /must verify it/);
  });

  test('the API creates, lists and verifies partners; each caller sees only what is theirs', async () => {
    const { ncGB, ncFR, admin, member } = people;
    const bad = await ncGB.api('POST', '/api/v1/partners', { kind: 'army', name: '', country: 'GB', area: 'Leeds', contactEmail: 'x', extra: 1 });
    assert.equal(bad.status, 422);
    const badFields = bad.json<Fields>().error.fields!;
    assert.ok(badFields.kind && badFields.name && badFields.extra, JSON.stringify(badFields));
    const unknownCountry = await ncGB.api('POST', '/api/v1/partners', { kind: 'council', name: 'Leeds City Council', country: 'ZZ', area: 'Leeds', contactEmail: 'council@leeds.example' });
    assert.equal(unknownCountry.status, 422);
    assert.equal(unknownCountry.json<Fields>().error.fields!.country, 'Choose a country from the list.');

    const council = await ncGB.api('POST', '/api/v1/partners', { kind: 'council', name: 'Leeds City Council', country: 'GB', area: 'Leeds', contactEmail: 'council@leeds.example' });
    assert.equal(council.status, 201, council.text);
    const councilId = council.json<Partner>().id;
    const again = await ncGB.api('POST', '/api/v1/partners', { kind: 'council', name: 'leeds city council', country: 'GB', area: 'Leeds', contactEmail: 'council@leeds.example' });
    assert.equal(again.status, 422);
    assert.match(again.json<Fields>().error.fields!.name!, /already exists/);

    // An admin may create in any country; a national coordinator of France sees only France.
    const french = await admin.api('POST', '/api/v1/partners', { kind: 'police', name: 'Police nationale Lyon', country: 'FR', area: 'Lyon', contactEmail: 'contact@lyon.example' });
    assert.equal(french.status, 201, french.text);
    const frenchList = (await ncFR.api('GET', '/api/v1/partners')).json<Partner[]>();
    assert.deepEqual(frenchList.map((p) => p.name), ['Police nationale Lyon']);
    assert.equal((await member.api('GET', '/api/v1/partners')).json<Partner[]>().length, 0);
    assert.ok((await admin.api('GET', '/api/v1/partners')).json<Partner[]>().length >= 3);

    // Verification: only a national coordinator of the country; others get 404 (cannot see) or 403 (can see).
    assert.equal((await ncFR.api('POST', `/api/v1/partners/${councilId}/verification`)).status, 404);
    assert.equal((await member.api('POST', `/api/v1/partners/${councilId}/verification`)).status, 404);
    assert.equal((await admin.api('POST', `/api/v1/partners/${councilId}/verification`)).status, 403);
    const verified = await ncGB.api('POST', `/api/v1/partners/${councilId}/verification`);
    assert.equal(verified.status, 200);
    assert.equal(verified.json<Partner>().verified, true);
    assert.equal((await ncGB.api('POST', `/api/v1/partners/${councilId}/verification`)).status, 409);
    assert.equal((await audit('partner.verified', `partner:${councilId}`)).length, 1);
    const row = await db().selectFrom('partner_organisations').select(['verified_by', 'verified_at']).where('id', '=', councilId).executeTakeFirstOrThrow();
    assert.equal(row.verified_by, ncGB.userId);
    assert.ok(row.verified_at);

    // The console page verifies too.
    const page = await ncGB.client.get('/partners');
    const police = await db().selectFrom('partner_organisations').select('id').where('name', '=', 'West Yorkshire Police').executeTakeFirstOrThrow();
    const form = await ncGB.client.postForm(`/partners/${police.id}/verification`, { _csrf: csrfFrom(page.text) });
    assert.equal(form.status, 303);
    assert.equal((await audit('partner.verified', `partner:${police.id}`)).length, 1);
  });

  test('a national coordinator attaches an existing account as partner user, who must then use two-factor', async () => {
    const { ncGB, ncFR } = people;
    const officer = await person('officer');
    const police = await db().selectFrom('partner_organisations').select('id').where('name', '=', 'West Yorkshire Police').executeTakeFirstOrThrow();
    const unverified = await ncGB.api('POST', '/api/v1/partners', { kind: 'health', name: 'Leeds Health Trust', country: 'GB', area: 'Leeds', contactEmail: 'trust@leeds.example' });
    const unverifiedId = unverified.json<Partner>().id;

    assert.equal((await ncGB.api('POST', `/api/v1/partners/${unverifiedId}/users`, { email: officer.email })).status, 409);
    const unknown = await ncGB.api('POST', `/api/v1/partners/${police.id}/users`, { email: 'nobody.here@example.org' });
    assert.equal(unknown.status, 422);
    assert.match(unknown.json<Fields>().error.fields!.email!, /no account/);
    assert.equal((await ncFR.api('POST', `/api/v1/partners/${police.id}/users`, { email: officer.email })).status, 404);

    const page = await ncGB.client.get('/partners');
    const added = await ncGB.client.postForm(`/partners/${police.id}/users`, { _csrf: csrfFrom(page.text), email: officer.email.toUpperCase() });
    assert.equal(added.status, 303);
    const roles = await server.cast.database.db.selectFrom('user_roles').select('role').where('user_id', '=', officer.userId).execute();
    assert.ok(roles.some((r) => r.role === 'partner'));
    assert.equal((await audit('partner.user-added', `partner:${police.id}`))[0]?.detail.userId, officer.userId);
    // The officer's session without two-factor has ended; signing in again enrols them.
    assert.equal((await officer.client.get('/partnerships')).status, 303);
    const { secret } = await signIn(officer.client, officer.email);
    assert.ok(secret, 'two-factor was set up at sign-in');
    officer.csrf = '';
    const own = (await officer.api('GET', '/api/v1/partners')).json<Partner[]>();
    assert.deepEqual(own.map((p) => p.name), ['West Yorkshire Police']);

    const twice = await ncGB.client.postForm(`/partners/${police.id}/users`, { _csrf: csrfFrom(page.text), email: officer.email });
    assert.equal(twice.status, 422);
    assert.match(twice.text, /already a partner user/);
  });

  test('a group coordinator proposes a partnership; bad proposals are refused with their reasons and change nothing', async () => {
    const { coordinator, ncGB, admin } = people;
    const groupId = await groupOf(coordinator, 'GB', 'Leeds Grammar CAST');
    const police = await db().selectFrom('partner_organisations').select('id').where('name', '=', 'West Yorkshire Police').executeTakeFirstOrThrow();
    const health = await db().selectFrom('partner_organisations').select('id').where('name', '=', 'Leeds Health Trust').executeTakeFirstOrThrow();
    const lyon = await db().selectFrom('partner_organisations').select('id').where('name', '=', 'Police nationale Lyon').executeTakeFirstOrThrow();
    await people.ncFR.api('POST', `/api/v1/partners/${lyon.id}/verification`);
    const base = { groupId, partnerId: police.id, agreementReference: 'ISA-2026-014', signedOn: yesterday(), contacts: 'Jo Smith (coordinator); DS Sam Patel (safeguarding)', handlingCodes: ['P'] };

    const fieldsOf = async (body: Record<string, unknown>) => {
      const response = await coordinator.api('POST', '/api/v1/partnerships', body);
      assert.equal(response.status, 422, response.text);
      return response.json<Fields>().error.fields!;
    };
    assert.match((await fieldsOf({ ...base, partnerId: health.id })).partnerId!, /not been verified/);
    assert.match((await fieldsOf({ ...base, partnerId: lyon.id })).partnerId!, /another country/);
    assert.match((await fieldsOf({ ...base, signedOn: tomorrow() })).signedOn!, /cannot be in the future/);
    assert.match((await fieldsOf({ ...base, signedOn: '2026-02-30' })).signedOn!, /real date/);
    assert.match((await fieldsOf({ ...base, handlingCodes: ['P', 'C'] })).conditions!, /conditions written down/);
    assert.equal((await db().selectFrom('partnerships').select('id').execute()).length, 0);

    // Only the group's coordinator may propose.
    assert.equal((await ncGB.api('POST', '/api/v1/partnerships', base)).status, 403);
    assert.equal((await admin.api('POST', '/api/v1/partnerships', base)).status, 403);

    // Through the page: the coordinator's group is offered when named, the form keeps input on error.
    const page = await coordinator.client.get(`/partnerships?group=${groupId}`);
    assert.match(page.text, /Propose a partnership/);
    assert.match(page.text, /West Yorkshire Police/);
    assert.doesNotMatch(page.text, /Leeds Health Trust/, 'unverified partners are not offered');
    const wrong = await coordinator.client.postForm('/partnerships', { _csrf: csrfFrom(page.text), groupId, partnerId: police.id, agreementReference: 'ISA-2026-014', signedOn: yesterday(), contacts: 'Jo Smith', handlingCodes: 'C' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /Handling code C needs its conditions written down\./);
    assert.match(wrong.text, /value="ISA-2026-014"/);
    const proposed = await coordinator.client.postForm('/partnerships', {
      _csrf: csrfFrom(page.text),
      groupId,
      partnerId: police.id,
      agreementReference: 'ISA-2026-014',
      signedOn: yesterday(),
      contacts: 'Jo Smith',
      handlingCodes: ['P', 'C'],
      conditions: 'For safeguarding only.',
    });
    assert.equal(proposed.status, 303, proposed.text);
    const row = await db().selectFrom('partnerships').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'proposed');
    assert.deepEqual([...row.handling_codes].sort(), ['C', 'P']);
    assert.equal((await audit('partnership.proposed', `partnership:${row.id}`))[0]?.actor_id, coordinator.userId);
    assert.match((await fieldsOf(base)).partnerId!, /already has a proposed or active partnership/);
  });

  test('partnerships are seen by their national coordinator, group coordinator and partner users only; a partner user accepts, and either side ends', async () => {
    const { coordinator, otherCoordinator, ncGB, ncFR, member, officer, admin } = people;
    const partnership = await db().selectFrom('partnerships').select(['id', 'group_id', 'partner_id']).executeTakeFirstOrThrow();
    const strangerOfficer = await person('strangerOfficer');
    const council = await db().selectFrom('partner_organisations').select('id').where('name', '=', 'Leeds City Council').executeTakeFirstOrThrow();
    assert.equal((await ncGB.api('POST', `/api/v1/partners/${council.id}/users`, { email: strangerOfficer.email })).status, 201);
    await signIn(strangerOfficer.client, strangerOfficer.email);
    strangerOfficer.csrf = '';
    await groupOf(otherCoordinator, 'GB', 'Another CAST group');

    const sees = async (who: Person) => (await who.api('GET', '/api/v1/partnerships')).json<Partnership[]>().map((p) => p.id);
    for (const who of [coordinator, ncGB, officer]) assert.deepEqual(await sees(who), [partnership.id]);
    for (const who of [otherCoordinator, ncFR, member, strangerOfficer, admin]) assert.deepEqual(await sees(who), []);
    for (const who of [otherCoordinator, ncFR, member, strangerOfficer, admin]) {
      assert.equal((await who.api('POST', `/api/v1/partnerships/${partnership.id}/acceptance`)).status, 404);
      assert.equal((await who.api('POST', `/api/v1/partnerships/${partnership.id}/end`, {})).status, 404);
    }
    assert.equal((await coordinator.api('POST', `/api/v1/partnerships/${partnership.id}/acceptance`)).status, 403, 'the group cannot accept its own proposal');
    assert.equal((await coordinator.api('POST', `/api/v1/partnerships/${partnership.id}/end`, {})).status, 409, 'a proposal is not active yet');
    assert.equal(await activePartnership(server.cast.database.db, partnership.group_id, partnership.partner_id), undefined);

    const page = await officer.client.get('/partnerships');
    assert.match(page.text, /Accept the partnership/);
    const accepted = await officer.client.postForm(`/partnerships/${partnership.id}/acceptance`, { _csrf: csrfFrom(page.text) });
    assert.equal(accepted.status, 303);
    assert.equal((await officer.api('POST', `/api/v1/partnerships/${partnership.id}/decline`)).status, 409);
    assert.equal((await audit('partnership.accepted', `partnership:${partnership.id}`))[0]?.actor_id, officer.userId);
    const channel = await activePartnership(server.cast.database.db, partnership.group_id, partnership.partner_id);
    assert.equal(channel?.id, partnership.id);
    assert.deepEqual([...channel.handlingCodes].sort(), ['C', 'P']);
    assert.equal(channel.conditions, 'For safeguarding only.');

    const future = await coordinator.api('POST', `/api/v1/partnerships/${partnership.id}/end`, { endedOn: tomorrow() });
    assert.equal(future.status, 422);
    assert.match(future.json<Fields>().error.fields!.endedOn!, /future/);
    const ended = await coordinator.api('POST', `/api/v1/partnerships/${partnership.id}/end`, { endedOn: yesterday() });
    assert.equal(ended.status, 200, ended.text);
    assert.equal(ended.json<Partnership>().status, 'ended');
    assert.equal(ended.json<Partnership>().endedOn, yesterday());
    assert.equal((await audit('partnership.ended', `partnership:${partnership.id}`)).length, 1);
    assert.equal(await activePartnership(server.cast.database.db, partnership.group_id, partnership.partner_id), undefined);
    assert.equal((await officer.api('POST', `/api/v1/partnerships/${partnership.id}/end`, {})).status, 409);
  });

  test('a partner user declines a proposal; a new proposal can follow; tokens need the partners scopes', async () => {
    const { coordinator, officer } = people;
    const police = await db().selectFrom('partner_organisations').select('id').where('name', '=', 'West Yorkshire Police').executeTakeFirstOrThrow();
    const groupId = (await db().selectFrom('partnerships').select('group_id').executeTakeFirstOrThrow()).group_id;
    const body = { groupId, partnerId: police.id, agreementReference: 'ISA-2026-099', signedOn: yesterday(), contacts: 'Jo Smith', handlingCodes: ['P'] };
    const made = await coordinator.api('POST', '/api/v1/partnerships', body);
    assert.equal(made.status, 201, made.text);
    const id = made.json<Partnership>().id;
    const page = await officer.client.get('/partnerships');
    const declined = await officer.client.postForm(`/partnerships/${id}/decline`, { _csrf: csrfFrom(page.text) });
    assert.equal(declined.status, 303);
    assert.equal((await db().selectFrom('partnerships').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'declined');
    assert.equal((await audit('partnership.declined', `partnership:${id}`)).length, 1);
    assert.equal((await coordinator.api('POST', '/api/v1/partnerships', body)).status, 201, 'declined and ended partnerships do not block a new proposal');

    const tokenPage = await coordinator.client.submit('/account', '/account/tokens', { name: 'read only', scopes: ['partners:read'] });
    const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(tokenPage.text)![1]!;
    const program = new Client(server.url);
    assert.equal((await program.json('GET', '/api/v1/partnerships', undefined, token)).status, 200);
    assert.equal((await program.json('POST', '/api/v1/partnerships', { ...body, agreementReference: 'X' }, token)).status, 403);
  });

  test('pages speak French too', async () => {
    const { ncGB } = people;
    const page = await ncGB.client.get('/partners');
    const switched = await ncGB.client.get(`/language/fr?next=/partners`);
    assert.equal(switched.status, 303);
    const french = await ncGB.client.get('/partners');
    assert.match(french.text, /Organisations partenaires/);
    assert.match(page.text, /Partner organisations/);
    await ncGB.client.get(`/language/en?next=/partners`);
  });
});
