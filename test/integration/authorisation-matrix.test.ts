/**
 * Every route × every kind of caller → the status it must get. A route missing from this table fails
 * the test, so each new route has to declare who may reach it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAccount, signIn } from '../support/accounts.ts';
import { Client, csrfFrom } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const CALLERS = ['anonymous', 'member', 'admin', 'national-coordinator', 'group-coordinator', 'partner', 'token-read', 'token-write'] as const;
type Caller = (typeof CALLERS)[number];
type Expect = number | Partial<Record<Caller | 'signed-in' | 'token', number>> & { default?: number };

interface Row {
  method: 'GET' | 'POST' | 'DELETE';
  route: string;
  path: string;
  expect: Expect;
  /** Form fields for POST pages (the CSRF token is added). */
  form?: Record<string, string>;
  json?: unknown;
}

const someone = randomUUID();
const ROWS: Row[] = [
  { method: 'GET', route: '/', path: '/', expect: 200 },
  { method: 'GET', route: '/static/*', path: '/static/cast.css', expect: 200 },
  { method: 'GET', route: '/healthz', path: '/healthz', expect: 200 },
  { method: 'GET', route: '/metrics', path: '/metrics', expect: 200 },
  { method: 'GET', route: '/api/openapi.json', path: '/api/openapi.json', expect: 200 },
  { method: 'GET', route: '/api/v1/ping', path: '/api/v1/ping', expect: 200 },
  { method: 'GET', route: '/language/:lang', path: '/language/en?next=/', expect: 303 },
  // Pages ignore API tokens: a token caller is anonymous there, and its form posts carry no CSRF token.
  { method: 'GET', route: '/setup/:token', path: '/setup/not-a-token', expect: 404 },
  { method: 'POST', route: '/setup/:token', path: '/setup/not-a-token', form: { displayName: 'X', email: 'x@example.org', password: 'long enough password' }, expect: { default: 404, token: 403 } },
  { method: 'GET', route: '/signup', path: '/signup', expect: 200 },
  { method: 'POST', route: '/signup', path: '/signup', form: { email: 'broken' }, expect: { default: 422, token: 403 } },
  { method: 'GET', route: '/confirm-email/:token', path: '/confirm-email/not-a-token', expect: 404 },
  { method: 'GET', route: '/signin', path: '/signin', expect: { anonymous: 200, token: 200, 'signed-in': 303 } },
  { method: 'POST', route: '/signin', path: '/signin', form: { email: 'nobody@example.org', password: 'wrong password here' }, expect: { default: 422, token: 403 } },
  { method: 'GET', route: '/signin/code', path: '/signin/code', expect: 303 },
  { method: 'POST', route: '/signin/code', path: '/signin/code', form: { code: '123456' }, expect: { default: 303, token: 403 } },
  { method: 'GET', route: '/password/forgot', path: '/password/forgot', expect: 200 },
  { method: 'POST', route: '/password/forgot', path: '/password/forgot', form: { email: 'nobody@example.org' }, expect: { default: 200, token: 403 } },
  { method: 'GET', route: '/password/reset/:token', path: '/password/reset/not-a-token', expect: 404 },
  { method: 'POST', route: '/password/reset/:token', path: '/password/reset/not-a-token', form: { password: 'long enough password' }, expect: { default: 404, token: 403 } },
  { method: 'GET', route: '/account', path: '/account', expect: { anonymous: 303, token: 303, 'signed-in': 200 } },
  { method: 'POST', route: '/account/password', path: '/account/password', form: { currentPassword: 'wrong password here', newPassword: 'long enough password' }, expect: { anonymous: 303, token: 403, 'signed-in': 422 } },
  { method: 'POST', route: '/account/tokens', path: '/account/tokens', form: { name: '' }, expect: { anonymous: 303, token: 403, 'signed-in': 422 } },
  { method: 'POST', route: '/account/tokens/:id/revoke', path: `/account/tokens/${someone}/revoke`, form: {}, expect: { anonymous: 303, token: 403, 'signed-in': 404 } },
  // Enrolled roles already have two-factor, so the set-up page sends them back to the account page.
  { method: 'GET', route: '/account/two-factor', path: '/account/two-factor', expect: { anonymous: 303, token: 303, member: 200, 'signed-in': 303 } },
  { method: 'POST', route: '/account/two-factor', path: '/account/two-factor', form: { code: '000000' }, expect: { anonymous: 303, token: 403, member: 422, 'signed-in': 303 } },
  { method: 'POST', route: '/account/two-factor/disable', path: '/account/two-factor/disable', form: { currentPassword: 'wrong password here', code: '000000' }, expect: { anonymous: 303, token: 403, member: 404, 'signed-in': 403 } },
  { method: 'GET', route: '/api/v1/me', path: '/api/v1/me', expect: { anonymous: 401, token: 200, 'signed-in': 200 } },
  { method: 'GET', route: '/api/v1/tokens', path: '/api/v1/tokens', expect: { anonymous: 401, 'signed-in': 200, token: 200 } },
  { method: 'POST', route: '/api/v1/tokens', path: '/api/v1/tokens', json: { name: 'matrix', scopes: ['account:read'] }, expect: { anonymous: 401, 'signed-in': 201, 'token-read': 403, 'token-write': 201 } },
  { method: 'DELETE', route: '/api/v1/tokens/:id', path: `/api/v1/tokens/${someone}`, expect: { anonymous: 401, 'signed-in': 404, 'token-read': 403, 'token-write': 404 } },
  // Last, because it ends the callers' sessions.
  { method: 'POST', route: '/signout', path: '/signout', form: {}, expect: { default: 303, token: 403 } },
];

function expected(row: Row, caller: Caller): number {
  if (typeof row.expect === 'number') return row.expect;
  const kind = caller === 'anonymous' ? 'anonymous' : caller.startsWith('token') ? 'token' : 'signed-in';
  const value = row.expect[caller] ?? row.expect[kind] ?? row.expect.default;
  if (value === undefined) throw new Error(`no expectation for ${caller} on ${row.method} ${row.route}`);
  return value;
}

describe('authorisation matrix', () => {
  let server: TestServer;
  const clients = new Map<Caller, { client: Client; token?: string }>();

  before(async () => {
    server = await startTestServer();
    for (const caller of CALLERS) {
      const client = new Client(server.url);
      if (caller === 'anonymous') {
        clients.set(caller, { client });
        continue;
      }
      const role = caller === 'token-read' || caller === 'token-write' ? 'member' : caller;
      const { email } = await createAccount(server.cast.database, { role });
      await signIn(client, email);
      if (caller.startsWith('token')) {
        const scopes = caller === 'token-write' ? ['account:read', 'account:write'] : ['account:read'];
        const page = await client.submit('/account', '/account/tokens', { name: caller, scopes });
        const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(page.text)![1]!;
        // A token caller carries no cookies: it is a program, not a browser.
        clients.set(caller, { client: new Client(server.url), token });
      } else clients.set(caller, { client });
    }
  });
  after(async () => {
    await server.close();
  });

  test('every route is in the matrix', () => {
    const known = new Set(ROWS.map((row) => `${row.method} ${row.route}`));
    const missing = server.cast.app.registeredRoutes.map((r) => `${r.method} ${r.url}`).filter((r) => !known.has(r));
    assert.deepEqual([...new Set(missing)], []);
  });

  for (const row of ROWS) {
    test(`${row.method} ${row.route}`, async () => {
      const results: string[] = [];
      for (const caller of CALLERS) {
        const { client, token } = clients.get(caller)!;
        let status: number;
        if (token && row.form) {
          const body = new URLSearchParams(row.form).toString();
          status = (await client.request('POST', row.path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` } })).status;
        } else if (token || row.json !== undefined || row.method === 'DELETE') {
          const headers: Record<string, string> = { ...(row.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
          if (!token && row.method !== 'GET') headers['x-csrf-token'] = csrfFrom((await client.get('/signup')).text);
          status = (await client.request(row.method, row.path, { ...(row.json !== undefined ? { body: JSON.stringify(row.json) } : {}), headers })).status;
        } else if (row.method === 'POST') {
          const page = await client.get('/signup');
          status = (await client.postForm(row.path, { _csrf: csrfFrom(page.text), ...row.form })).status;
        } else status = (await client.get(row.path)).status;
        if (status !== expected(row, caller)) results.push(`${caller}: got ${status}, expected ${expected(row, caller)}`);
      }
      assert.deepEqual(results, []);
    });
  }
});
