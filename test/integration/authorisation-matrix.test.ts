/**
 * Every route × every kind of caller → the status it must get. Rows live per module in
 * test/integration/matrix/*.ts; a route missing from all of them fails the test, so each new route
 * has to declare who may reach it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createAccount, signIn } from '../support/accounts.ts';
import { Client, csrfFrom } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { SCOPES } from '../../src/core/auth/scopes.ts';
import { CALLERS, type Caller, type CallerAccount, type MatrixPart, type Row } from './matrix/types.ts';

const MATRIX_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'matrix');
const SIGN_OUT: Row = { method: 'POST', route: '/signout', path: '/signout', form: {}, expect: { default: 303, token: 403 } };

function expected(row: Row, caller: Caller): number {
  if (typeof row.expect === 'number') return row.expect;
  const kind = caller === 'anonymous' ? 'anonymous' : caller.startsWith('token') ? 'token' : 'signed-in';
  const value = row.expect[caller] ?? row.expect[kind] ?? row.expect.default;
  if (value === undefined) throw new Error(`no expectation for ${caller} on ${row.method} ${row.route}`);
  return value;
}

describe('authorisation matrix', async () => {
  const parts = await Promise.all(
    fs
      .readdirSync(MATRIX_DIR)
      .filter((file) => file.endsWith('.ts') && file !== 'types.ts')
      .sort()
      .map(async (file) => ((await import(path.join(MATRIX_DIR, file))) as { matrix: MatrixPart }).matrix),
  );
  let server: TestServer;
  let rows: Row[] = [];
  const clients = new Map<Caller, { client: Client; token?: string }>();

  before(async () => {
    server = await startTestServer();
    const accounts = new Map<Exclude<Caller, 'anonymous'>, CallerAccount>();
    for (const caller of CALLERS) {
      const client = new Client(server.url);
      if (caller === 'anonymous') {
        clients.set(caller, { client });
        continue;
      }
      const role = caller === 'token-read' || caller === 'token-write' || caller === 'outsider' ? 'member' : caller;
      const { email, userId } = await createAccount(server.cast.database, { role });
      await signIn(client, email);
      accounts.set(caller, { email, userId, client });
      if (caller === 'token-read' || caller === 'token-write') {
        const scopes = SCOPES.filter((scope) => caller === 'token-write' || scope.endsWith(':read'));
        const page = await client.submit('/account', '/account/tokens', { name: caller, scopes });
        const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(page.text)![1]!;
        // A token caller carries no cookies: it is a program, not a browser.
        clients.set(caller, { client: new Client(server.url), token });
      } else clients.set(caller, { client });
    }
    for (const part of parts) rows.push(...(await part.rows({ server, callers: accounts })));
    // Last, because it ends the callers' sessions.
    rows = [...rows, SIGN_OUT];
  });
  after(async () => {
    await server.close();
  });

  test('every route is in the matrix', () => {
    const known = new Set(rows.map((row) => `${row.method} ${row.route}`));
    const missing = server.cast.app.registeredRoutes.map((r) => `${r.method} ${r.url}`).filter((r) => !known.has(r));
    assert.deepEqual([...new Set(missing)], []);
  });

  test('every row gets the expected status for every caller', async (t) => {
    for (const row of rows) {
      await t.test(`${row.method} ${row.route}`, async () => {
        const results: string[] = [];
        for (const caller of CALLERS) {
          const status = await call(clients.get(caller)!, row);
          if (status !== expected(row, caller)) results.push(`${caller}: got ${status}, expected ${expected(row, caller)}`);
        }
        assert.deepEqual(results, []);
      });
    }
  });
});

async function call({ client, token }: { client: Client; token?: string }, row: Row): Promise<number> {
  if (token && row.form) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(row.form)) for (const v of ([] as string[]).concat(value)) body.append(key, v);
    return (await client.request('POST', row.path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` } })).status;
  }
  if (token || row.json !== undefined || row.method !== 'GET' && !row.form) {
    const headers: Record<string, string> = { ...(row.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
    if (!token && row.method !== 'GET') headers['x-csrf-token'] = csrfFrom((await client.get('/signup')).text);
    return (await client.request(row.method, row.path, { ...(row.json !== undefined ? { body: JSON.stringify(row.json) } : {}), headers })).status;
  }
  if (row.method === 'POST') {
    const page = await client.get('/signup');
    return (await client.postForm(row.path, { _csrf: csrfFrom(page.text), ...row.form })).status;
  }
  return (await client.get(row.path)).status;
}
