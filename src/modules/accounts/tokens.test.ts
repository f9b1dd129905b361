import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, signIn } from '../../../test/support/accounts.ts';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

describe('personal API tokens', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  test('a token made on the account page is shown once, listed, works with its scopes, and can be revoked', async () => {
    const { email, userId } = await createAccount(server.cast.database);
    const client = new Client(server.url);
    await signIn(client, email);
    const created = await client.submit('/account', '/account/tokens', { name: 'Dashboard', scopes: ['account:read'] });
    assert.equal(created.status, 201);
    const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(created.text)?.[1];
    assert.ok(token);
    const listed = await client.get('/account');
    assert.match(listed.text, /Dashboard/);
    assert.doesNotMatch(listed.text, new RegExp(token), 'never shown again');

    const stored = await server.cast.database.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash.toString('utf8'), token, 'stored hashed');

    const api = new Client(server.url);
    const me = await api.json('GET', '/api/v1/me', undefined, token);
    assert.equal(me.status, 200);
    assert.equal(me.json<{ email: string }>().email, email);
    const write = await api.json('POST', '/api/v1/tokens', { name: 'More', scopes: ['account:read'] }, token);
    assert.equal(write.status, 403, 'a read-only token cannot write');

    const revoke = await client.postForm(`/account/tokens/${stored.id}/revoke`, { _csrf: csrfFrom(listed.text) });
    assert.equal(revoke.status, 303);
    assert.equal((await api.json('GET', '/api/v1/me', undefined, token)).status, 401);
  });

  test('the JSON API creates, lists and revokes tokens and validates its input', async () => {
    const { email } = await createAccount(server.cast.database);
    const client = new Client(server.url);
    await signIn(client, email);
    const page = await client.submit('/account', '/account/tokens', { name: 'Admin script', scopes: ['account:read', 'account:write'] });
    const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(page.text)![1]!;
    const api = new Client(server.url);

    const bad = await api.json('POST', '/api/v1/tokens', { name: '', scopes: ['everything'], extra: 1 }, token);
    assert.equal(bad.status, 422);
    const fields = bad.json<{ error: { fields: Record<string, string> } }>().error.fields;
    assert.ok(fields.name && fields.extra, JSON.stringify(fields));
    assert.ok(Object.keys(fields).some((f) => f.startsWith('scopes')), JSON.stringify(fields));

    const made = await api.json('POST', '/api/v1/tokens', { name: 'CI', scopes: ['account:read'] }, token);
    assert.equal(made.status, 201);
    const { id } = made.json<{ id: string; token: string }>();
    const list = await api.json('GET', '/api/v1/tokens', undefined, token);
    assert.ok(list.json<{ id: string }[]>().some((t) => t.id === id));
    assert.equal((await api.json('DELETE', `/api/v1/tokens/${id}`, undefined, token)).status, 204);
    assert.equal((await api.json('DELETE', `/api/v1/tokens/${id}`, undefined, token)).status, 404);
    assert.equal((await api.json('DELETE', '/api/v1/tokens/not-a-uuid', undefined, token)).status, 422);
  });

  test('one person cannot revoke another person\'s token', async () => {
    const alice = await createAccount(server.cast.database);
    const bob = await createAccount(server.cast.database);
    const aliceClient = new Client(server.url);
    await signIn(aliceClient, alice.email);
    await aliceClient.submit('/account', '/account/tokens', { name: 'Alice', scopes: ['account:read'] });
    const aliceToken = await server.cast.database.db.selectFrom('api_tokens').select('id').where('user_id', '=', alice.userId).executeTakeFirstOrThrow();
    const bobClient = new Client(server.url);
    await signIn(bobClient, bob.email);
    const page = await bobClient.get('/account');
    const attempt = await bobClient.postForm(`/account/tokens/${aliceToken.id}/revoke`, { _csrf: csrfFrom(page.text) });
    assert.equal(attempt.status, 404);
    const still = await server.cast.database.db.selectFrom('api_tokens').select('revoked_at').where('id', '=', aliceToken.id).executeTakeFirstOrThrow();
    assert.equal(still.revoked_at, null);
  });

  test('a signed-in browser cannot call the API to change things without the CSRF header', async () => {
    const { email } = await createAccount(server.cast.database);
    const client = new Client(server.url);
    await signIn(client, email);
    const response = await client.json('POST', '/api/v1/tokens', { name: 'Sneaky', scopes: ['account:read'] });
    assert.equal(response.status, 403);
    assert.equal(response.json<{ error: { code: string } }>().error.code, 'csrf');
  });
});
