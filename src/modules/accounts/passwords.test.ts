import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, PASSWORD, signIn } from '../../../test/support/accounts.ts';
import { Client, csrfFrom, linkFrom } from '../../../test/support/client.ts';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { SIGN_IN_LIMIT_PER_ACCOUNT } from './index.ts';

describe('passwords', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  before(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({ smtpUrl: mailbox.url });
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  test('a forgotten password is reset by e-mail; the link works once and signs out every session', async () => {
    const { email } = await createAccount(server.cast.database);
    const elsewhere = new Client(server.url);
    await signIn(elsewhere, email);

    const unknown = await new Client(server.url).submit('/password/forgot', '/password/forgot', { email: 'nobody@example.org' });
    const known = await new Client(server.url).submit('/password/forgot', '/password/forgot', { email });
    assert.equal(unknown.status, 200);
    assert.equal(known.status, 200);
    assert.match(known.text, /If this address has an account/);

    const mail = await mailbox.waitFor(email, /Reset your CAST password/);
    const link = linkFrom(mail.text, '/password/reset/');
    const client = new Client(server.url);
    const weak = await client.submit(link, link, { password: 'short' });
    assert.equal(weak.status, 422, 'a weak password is refused and the link still works');
    const done = await client.submit(link, link, { password: 'a brand new passphrase' });
    assert.equal(done.status, 200);
    assert.match(done.text, /Password changed/);
    assert.equal((await client.get(link)).status, 404, 'the link works once');

    assert.equal((await elsewhere.get('/account')).status, 303, 'other sessions were signed out');
    const old = await new Client(server.url).submit('/signin', '/signin', { email, password: PASSWORD });
    assert.equal(old.status, 422);
    const fresh = await new Client(server.url).submit('/signin', '/signin', { email, password: 'a brand new passphrase' });
    assert.equal(fresh.status, 303);
    await mailbox.waitFor(email, /password was changed/);
  });

  test('changing the password needs the current one and keeps only this session', async () => {
    const { email } = await createAccount(server.cast.database);
    const client = new Client(server.url);
    const other = new Client(server.url);
    await signIn(client, email);
    await signIn(other, email);
    const wrong = await client.submit('/account', '/account/password', { currentPassword: 'not my password', newPassword: 'another fine passphrase' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /current password is not right/);
    const changed = await client.submit('/account', '/account/password', { currentPassword: PASSWORD, newPassword: 'another fine passphrase' });
    assert.equal(changed.status, 303);
    assert.equal((await client.get('/account')).status, 200);
    assert.equal((await other.get('/account')).status, 303);
  });

  test(`after ${SIGN_IN_LIMIT_PER_ACCOUNT} failed sign-ins the account is throttled, even with the right password`, async () => {
    const { email } = await createAccount(server.cast.database);
    const client = new Client(server.url);
    const page = await client.get('/signin');
    for (let i = 0; i < SIGN_IN_LIMIT_PER_ACCOUNT; i += 1) {
      const response = await client.postForm('/signin', { _csrf: csrfFrom(page.text), email, password: `wrong-password-${i}` });
      assert.equal(response.status, 422);
    }
    const blocked = await client.postForm('/signin', { _csrf: csrfFrom(page.text), email, password: PASSWORD });
    assert.equal(blocked.status, 429);
    assert.match(blocked.text, /Too many failed sign-in attempts/);
  });

  test('the audit log records sign-ins and password changes without personal data', async () => {
    const rows = await server.cast.database.db.selectFrom('audit_log').select(['action', 'subject', 'detail']).execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const action of ['account.signed-in', 'account.password-reset', 'account.password-changed', 'account.sign-in-failed']) assert.ok(actions.has(action), action);
    assert.doesNotMatch(JSON.stringify(rows), /@example\.org/);
  });
});
