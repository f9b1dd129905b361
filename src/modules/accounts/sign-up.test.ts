import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, linkFrom } from '../../../test/support/client.ts';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { PASSWORD, uniqueEmail } from '../../../test/support/accounts.ts';

describe('sign-up, confirmation, sign-in and sign-out', () => {
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

  test('a person signs up, confirms by e-mail, signs in and out', async () => {
    const client = new Client(server.url);
    const email = uniqueEmail();
    const signUp = await client.submit('/signup', '/signup', { displayName: 'Ada', email, password: PASSWORD });
    assert.equal(signUp.status, 200);
    assert.match(signUp.text, /Check your e-mail/);

    const early = await client.submit('/signin', '/signin', { email, password: PASSWORD });
    assert.equal(early.status, 422, 'an unconfirmed account cannot sign in');
    assert.match(early.text, /Confirm your e-mail address first/);

    const mail = await mailbox.waitFor(email, /Confirm your e-mail/);
    const confirmed = await client.get(linkFrom(mail.text, '/confirm-email/'));
    assert.equal(confirmed.status, 200);
    assert.match(confirmed.text, /is confirmed/);

    const signedIn = await client.submit('/signin', '/signin', { email, password: PASSWORD });
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.location, '/');
    const account = await client.get('/account');
    assert.equal(account.status, 200);
    assert.match(account.text, new RegExp(email.replace(/\./g, '\\.')));

    const signedOut = await client.postForm('/signout', { _csrf: csrfFrom(account.text) });
    assert.equal(signedOut.status, 303);
    assert.equal((await client.get('/account')).status, 303, 'signed out: the account page sends to sign-in');
  });

  test('signing up again with the same address says nothing on the page and warns the owner by e-mail', async () => {
    const email = uniqueEmail();
    const first = await new Client(server.url).submit('/signup', '/signup', { displayName: 'Bea', email, password: PASSWORD });
    const second = await new Client(server.url).submit('/signup', '/signup', { displayName: 'Impostor', email: email.toUpperCase(), password: PASSWORD });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(first.text.replace(/name="_csrf" value="[^"]+"/g, ''), second.text.replace(/name="_csrf" value="[^"]+"/g, ''));
    await mailbox.waitFor(email, /Someone tried to create a CAST account/);
  });

  test('bad input gets field messages, keeps what was typed, and creates nothing', async () => {
    const client = new Client(server.url);
    const email = uniqueEmail();
    const response = await client.submit('/signup', '/signup', { displayName: 'Cy <script>', email: 'not-an-address', password: 'short' });
    assert.equal(response.status, 422);
    assert.match(response.text, /Enter an e-mail address such as/);
    assert.match(response.text, /value="Cy &lt;script>"/);
    assert.doesNotMatch(response.text, /value="short"/, 'passwords are never echoed');
    const weak = await client.submit('/signup', '/signup', { displayName: 'Cy', email, password: 'short' });
    assert.equal(weak.status, 422);
    assert.match(weak.text, /at least 10 characters/);
    const row = await server.cast.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    assert.equal(row, undefined);
  });

  test('a form without its CSRF token is refused and changes nothing', async () => {
    const client = new Client(server.url);
    await client.get('/signup');
    const email = uniqueEmail();
    const response = await client.postForm('/signup', { displayName: 'Dee', email, password: PASSWORD });
    assert.equal(response.status, 403);
    assert.match(response.text, /This form has expired/);
    const row = await server.cast.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    assert.equal(row, undefined);
  });

  test('the pages answer in French when the browser asks for it', async () => {
    const client = new Client(server.url);
    const page = await client.get('/signup', { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' });
    assert.match(page.text, /<html lang="fr"/);
    assert.match(page.text, /Créer un compte/);
  });
});

describe('without SMTP, mail goes to the outbox folder', () => {
  test('the confirmation message is written as an .eml file under data/outbox', async () => {
    const server = await startTestServer();
    try {
      const email = uniqueEmail('outbox');
      await new Client(server.url).submit('/signup', '/signup', { displayName: 'Eve', email, password: PASSWORD });
      const outbox = path.join(server.dataDir, 'outbox');
      const deadline = Date.now() + 20_000;
      let found: string | undefined;
      while (!found && Date.now() < deadline) {
        const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
        found = files.map((f) => fs.readFileSync(path.join(outbox, f), 'utf8')).find((text) => text.includes(email));
        if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.ok(found, 'an .eml file for the new account');
      assert.match(found, /Subject: Confirm your e-mail address for CAST/);
      assert.match(found, /\/confirm-email\//);
    } finally {
      await server.close();
    }
  });
});
