import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, signIn } from '../../../test/support/accounts.ts';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

type Fields = { error: { code: string; message: string; fields?: Record<string, string> } };
type Coordinator = { userId: string; email: string; country: string; twoFactorEnabled: boolean };

describe('accounts: administrators appoint national coordinators', () => {
  let server: TestServer;
  let admin: Client;
  before(async () => {
    server = await startTestServer();
    const { email } = await createAccount(server.cast.database, { role: 'admin' });
    admin = new Client(server.url);
    await signIn(admin, email);
  });
  after(() => server.close());

  /** The JSON API with the admin's session: cookies plus the CSRF header. */
  async function api(client: Client, method: string, path: string, body?: unknown) {
    const csrf = csrfFrom((await client.get('/signup')).text);
    return client.request(method, path, {
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      headers: { 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
  }
  const grants = (userId: string) => server.cast.database.db.selectFrom('user_roles').select(['role', 'country']).where('user_id', '=', userId).orderBy('role').execute();
  const audit = (subject: string) =>
    server.cast.database.db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('subject', '=', subject).where('action', 'like', 'account.role-%').orderBy('id').execute();

  test('on the page: appointing by e-mail, two-factor required at the next sign-in, removal; all audited', async () => {
    const person = await createAccount(server.cast.database);
    const theirs = new Client(server.url);
    await signIn(theirs, person.email);
    const made = await theirs.submit('/account', '/account/tokens', { name: 'before appointment', scopes: ['groups:read'] });
    const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(made.text)![1]!;

    const account = await admin.get('/account');
    assert.match(account.text, /href="\/admin\/national-coordinators"/, 'the admin reaches it from their account page');
    const page = await admin.get('/admin/national-coordinators');
    assert.equal(page.status, 200);
    const appointed = await admin.postForm('/admin/national-coordinators', { _csrf: csrfFrom(page.text), email: `  ${person.email.toUpperCase()} `, country: 'CI' });
    assert.equal(appointed.status, 303);
    assert.equal(appointed.location, '/admin/national-coordinators?notice=appointed');
    assert.deepEqual(await grants(person.userId), [
      { role: 'member', country: null },
      { role: 'national-coordinator', country: 'CI' },
    ]);
    const listed = await admin.get('/admin/national-coordinators?notice=appointed');
    assert.match(listed.text, /appointed/);
    assert.ok(listed.text.includes(person.email));
    assert.match(listed.text, /<td>C[oô]te d['’]Ivoire<\/td>/, 'the country by name');

    // Without two-factor, their session and token (made with a password only) are gone; signing in enrols them.
    assert.equal((await theirs.get('/groups/national/CI')).status, 303);
    assert.equal((await new Client(server.url).json('GET', '/api/v1/countries/CI/groups', undefined, token)).status, 401);
    const { secret } = await signIn(theirs, person.email);
    assert.ok(secret, 'two-factor was set up at sign-in');
    assert.equal((await theirs.get('/groups/national/CI')).status, 200, 'now they act as national coordinator of CI');
    assert.equal((await theirs.get('/groups/national/GB')).status, 403, 'only for their country');

    const again = await admin.get('/admin/national-coordinators');
    const removed = await admin.postForm(`/admin/national-coordinators/${person.userId}/CI/remove`, { _csrf: csrfFrom(again.text) });
    assert.equal(removed.status, 303);
    assert.deepEqual(await grants(person.userId), [{ role: 'member', country: null }]);
    assert.equal((await theirs.get('/groups/national/CI')).status, 403, 'the appointment has ended');
    const entries = await audit(`user:${person.userId}`);
    assert.deepEqual(
      entries.map((e) => [e.action, e.detail]),
      [
        ['account.role-granted', { role: 'national-coordinator', country: 'CI' }],
        ['account.role-revoked', { role: 'national-coordinator', country: 'CI' }],
      ],
    );
    assert.ok(entries.every((e) => e.actor_id !== null && e.actor_id !== person.userId), 'the administrator is the actor');
  });

  test('bad input gets a clear message and changes nothing', async () => {
    const person = await createAccount(server.cast.database);
    const page = await admin.get('/admin/national-coordinators');
    const unknown = await admin.postForm('/admin/national-coordinators', { _csrf: csrfFrom(page.text), email: 'nobody.at.all@example.org', country: 'GB' });
    assert.equal(unknown.status, 422);
    assert.match(unknown.text, /no confirmed CAST account with this e-mail address/);
    assert.ok(unknown.text.includes('nobody.at.all@example.org'), 'what was typed is kept');
    const country = await admin.postForm('/admin/national-coordinators', { _csrf: csrfFrom(page.text), email: person.email, country: 'QQ' });
    assert.equal(country.status, 422);
    assert.match(country.text, /Choose a country from the list/);
    assert.deepEqual(await grants(person.userId), [{ role: 'member', country: null }]);

    const first = await api(admin, 'POST', '/api/v1/national-coordinators', { email: person.email, country: 'fr' });
    assert.equal(first.status, 201);
    assert.deepEqual(first.json(), { userId: person.userId, country: 'FR' });
    const twice = await api(admin, 'POST', '/api/v1/national-coordinators', { email: person.email, country: 'FR' });
    assert.equal(twice.status, 422);
    assert.match(twice.json<Fields>().error.fields!.country!, /already national coordinator/);
    const second = await api(admin, 'POST', '/api/v1/national-coordinators', { email: person.email, country: 'BE' });
    assert.equal(second.status, 201, 'one person may answer for several countries');
    assert.equal((await api(admin, 'POST', '/api/v1/national-coordinators', { email: 'nobody.at.all@example.org', country: 'FR' })).status, 422);
    assert.equal((await api(admin, 'POST', '/api/v1/national-coordinators', { email: person.email, country: 'ZZ' })).status, 422);
    assert.equal((await audit(`user:${person.userId}`)).length, 2, 'only the two real appointments are audited');

    const list = await api(admin, 'GET', '/api/v1/national-coordinators');
    assert.equal(list.status, 200);
    const theirs = list.json<Coordinator[]>().filter((c) => c.userId === person.userId);
    assert.deepEqual(theirs.map((c) => c.country).sort(), ['BE', 'FR']);
    assert.equal(theirs[0]!.twoFactorEnabled, false);

    assert.equal((await api(admin, 'DELETE', `/api/v1/national-coordinators/${person.userId}/BE`)).status, 204);
    const gone = await api(admin, 'DELETE', `/api/v1/national-coordinators/${person.userId}/BE`);
    assert.equal(gone.status, 404);
    assert.match(gone.json<Fields>().error.message, /not national coordinator/);
    assert.equal((await api(admin, 'DELETE', `/api/v1/national-coordinators/not-a-uuid/FR`)).status, 404);
    assert.deepEqual(await grants(person.userId), [
      { role: 'member', country: null },
      { role: 'national-coordinator', country: 'FR' },
    ]);
  });

  test('only administrators: others are refused, API tokens carry no admin power', async () => {
    const national = await createAccount(server.cast.database, { role: 'national-coordinator', country: 'GB' });
    const nationalClient = new Client(server.url);
    await signIn(nationalClient, national.email);
    const target = await createAccount(server.cast.database);
    assert.equal((await nationalClient.get('/admin/national-coordinators')).status, 403);
    assert.equal((await api(nationalClient, 'POST', '/api/v1/national-coordinators', { email: target.email, country: 'GB' })).status, 403);
    assert.equal((await new Client(server.url).get('/admin/national-coordinators')).status, 303, 'anonymous: to sign-in');
    const made = await admin.submit('/account', '/account/tokens', { name: 'admin token', scopes: ['account:write', 'groups:write'] });
    const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(made.text)![1]!;
    assert.equal((await new Client(server.url).json('POST', '/api/v1/national-coordinators', { email: target.email, country: 'GB' }, token)).status, 403);
    assert.deepEqual(await grants(target.userId), [{ role: 'member', country: null }]);
  });
});
