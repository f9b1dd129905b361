import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccount, signIn } from '../../../test/support/accounts.ts';
import { Client } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('a coordinator finds their own groups on the partnerships page without naming them in the address', async () => {
  const { email } = await createAccount(server.cast.database, { role: 'group-coordinator' });
  const browser = new Client(server.url);
  await signIn(browser, email);
  const tokenPage = await browser.submit('/account', '/account/tokens', { name: 'setup', scopes: ['groups:read', 'groups:write'] });
  const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(tokenPage.text)![1]!;
  const name = `Harbourside CAST ${Date.now()}`;
  const created = await new Client(server.url).json('POST', '/api/v1/groups', { name, kind: 'school', country: 'GB', locality: 'Bristol', lat: 51.45, lon: -2.6, radiusKm: 3 }, token);
  assert.equal(created.status, 201, created.text);

  const page = await browser.get('/partnerships');
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(name), 'the coordinator’s group is offered for a proposal');

  const stranger = await createAccount(server.cast.database, { role: 'group-coordinator' });
  const other = new Client(server.url);
  await signIn(other, stranger.email);
  assert.ok(!(await other.get('/partnerships')).text.includes(name), 'another coordinator does not see it');
});
