import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeFor, createAccount, PASSWORD, secretFrom, signIn } from '../../../test/support/accounts.ts';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

describe('two-factor authentication', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  for (const role of ['admin', 'national-coordinator', 'group-coordinator', 'partner'] as const) {
    test(`a ${role} must set up two-factor before anything else`, async () => {
      const { email } = await createAccount(server.cast.database, { role });
      const client = new Client(server.url);
      const response = await client.submit('/signin', '/signin', { email, password: PASSWORD });
      assert.equal(response.status, 303);
      assert.equal(response.location, '/account/two-factor');
      const account = await client.get('/account');
      assert.equal(account.status, 303);
      assert.equal(account.location, '/account/two-factor', 'other pages send back to enrolment');
      const api = await client.get('/api/v1/me');
      assert.equal(api.status, 401, 'the API is closed until enrolment is done');
    });
  }

  test('enrolment, then sign-in asks for the code; wrong and replayed codes are refused', async () => {
    const { email } = await createAccount(server.cast.database, { role: 'admin' });
    const client = new Client(server.url);
    await client.submit('/signin', '/signin', { email, password: PASSWORD });
    const page = await client.get('/account/two-factor');
    assert.match(page.text, /<svg/);
    const secret = secretFrom(page.text);
    assert.equal(secretFrom((await client.get('/account/two-factor')).text), secret, 'reloading keeps the same secret');
    const wrong = await client.postForm('/account/two-factor', { _csrf: csrfFrom(page.text), code: '000000' === codeFor(secret) ? '111111' : '000000' });
    assert.equal(wrong.status, 422);
    const code = codeFor(secret);
    const enrolled = await client.postForm('/account/two-factor', { _csrf: csrfFrom(page.text), code });
    assert.equal(enrolled.status, 303);
    assert.equal((await client.get('/account')).status, 200);

    const stored = await server.cast.database.db.selectFrom('users').select('totp_secret_sealed').where('email', '=', email).executeTakeFirstOrThrow();
    assert.ok(stored.totp_secret_sealed && !stored.totp_secret_sealed.includes(secret), 'the secret is sealed at rest');

    const second = new Client(server.url);
    const first = await second.submit('/signin', '/signin', { email, password: PASSWORD });
    assert.match(first.location ?? '', /^\/signin\/code/);
    assert.equal((await second.get('/account')).location?.startsWith('/signin/code'), true);
    const codePage = await second.get('/signin/code');
    const replay = await second.postForm('/signin/code', { _csrf: csrfFrom(codePage.text), code });
    assert.equal(replay.status, 422, 'a code already used cannot be used again');
    await signIn(second, email, { secret });
    assert.equal((await second.get('/account')).status, 200);
  });

  test('too many wrong codes end the half-signed-in session', async () => {
    const { email } = await createAccount(server.cast.database, { role: 'admin' });
    const setup = new Client(server.url);
    const { secret } = await signIn(setup, email);
    assert.ok(secret);
    const client = new Client(server.url);
    await client.submit('/signin', '/signin', { email, password: PASSWORD });
    const page = await client.get('/signin/code');
    const bad = codeFor(secret, Date.now() - 10 * 60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await client.postForm('/signin/code', { _csrf: csrfFrom(page.text), code: bad })).status);
    assert.deepEqual(statuses, [422, 422, 422, 422, 422, 429]);
    assert.equal((await client.get('/signin/code')).location, '/signin');
  });

  test('an administrator cannot switch two-factor off; a member can', async () => {
    const admin = await createAccount(server.cast.database, { role: 'admin' });
    const adminClient = new Client(server.url);
    const { secret: adminSecret } = await signIn(adminClient, admin.email);
    const adminPage = await adminClient.get('/account');
    assert.match(adminPage.text, /cannot be turned off/);
    const refused = await adminClient.postForm('/account/two-factor/disable', { _csrf: csrfFrom(adminPage.text), currentPassword: PASSWORD, code: codeFor(adminSecret!) });
    assert.equal(refused.status, 403);

    const member = await createAccount(server.cast.database, { role: 'member' });
    const client = new Client(server.url);
    await signIn(client, member.email);
    const setupPage = await client.get('/account/two-factor');
    const secret = secretFrom(setupPage.text);
    assert.equal((await client.postForm('/account/two-factor', { _csrf: csrfFrom(setupPage.text), code: codeFor(secret) })).status, 303);
    const account = await client.get('/account');
    assert.match(account.text, /Two-factor authentication is on/);
    const next = codeFor(secret, Date.now() + 30_000);
    const off = await client.postForm('/account/two-factor/disable', { _csrf: csrfFrom(account.text), currentPassword: PASSWORD, code: next });
    assert.equal(off.status, 303);
    assert.match((await client.get('/account')).text, /Two-factor authentication is off/);
  });
});
