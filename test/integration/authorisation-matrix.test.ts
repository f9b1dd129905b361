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
import { testEngine } from '../support/database.ts';
import type { Role } from '../../src/core/auth/roles.ts';
import { SCOPES } from '../../src/core/auth/scopes.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../src/core/http/request-context.ts';
import { coCoordinate, coordinatorWithoutTwoFactor, expiredSession, foreignNationalCoordinator, otherGroup, revokedToken } from './matrix/standing.ts';
import { CALLERS, type Caller, type CallerAccount, type MatrixPart, type Row } from './matrix/types.ts';

const MATRIX_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'matrix');
const SIGN_OUT: Row = { method: 'POST', route: '/signout', path: '/signout', form: {}, expect: { default: 303, token: 403 } };
/** Callers whose standing comes from matrix/standing.ts rather than from a role alone. */
const FROM_STANDING: ReadonlySet<Caller> = new Set(['other-coordinator', 'other-partner', 'foreign-national-coordinator', 'coordinator-without-2fa', 'expired-session', 'revoked-token']);

/**
 * A row's own word for the caller first; then the caller's kind: an expired session is nobody (as
 * anonymous), a revoked token is refused by every API route that identifies its caller (401) and,
 * like every token, ignored by pages; anyone else signed in takes the row's `signed-in` or default.
 */
function expected(row: Row, caller: Caller): number {
  const stated = typeof row.expect === 'number' ? undefined : row.expect[caller];
  if (stated !== undefined) return stated;
  if (caller === 'expired-session') return expected(row, 'anonymous');
  if (caller === 'revoked-token') return row.path.startsWith('/api/') ? 401 : expected(row, 'token-read');
  if (typeof row.expect === 'number') return row.expect;
  const kind = caller === 'anonymous' ? 'anonymous' : caller.startsWith('token') ? 'token' : 'signed-in';
  const value = row.expect[kind] ?? row.expect.default;
  if (value === undefined) throw new Error(`no expectation for ${caller} on ${row.method} ${row.route}`);
  return value;
}

describe('authorisation matrix', async () => {
  // Files without a `matrix` export (types, standing) are the matrix's own helpers, not parts.
  const parts = (
    await Promise.all(
      fs
        .readdirSync(MATRIX_DIR)
        .filter((file) => file.endsWith('.ts'))
        .sort()
        .map(async (file) => ((await import(path.join(MATRIX_DIR, file))) as { matrix?: MatrixPart }).matrix),
    )
  ).filter((part): part is MatrixPart => part !== undefined);
  let server: TestServer;
  let rows: Row[] = [];
  const clients = new Map<Caller, { client: Client; token?: string }>();

  before(async () => {
    // Fifteen callers sign in and post every form from one address: the limits have their own tests.
    server = await startTestServer({ env: { RATE_LIMIT_SCALE: '1000' } });
    const accounts = new Map<Exclude<Caller, 'anonymous'>, CallerAccount>();
    for (const caller of CALLERS) {
      const client = new Client(server.url);
      if (caller === 'anonymous') {
        clients.set(caller, { client });
        continue;
      }
      if (FROM_STANDING.has(caller)) continue;
      const role: Role = caller === 'token-read' || caller === 'token-write' || caller === 'outsider' ? 'member' : (caller as Role);
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
    const other = await otherGroup(server, accounts.get('national-coordinator')!.client);
    const standing: [Caller, CallerAccount][] = [
      ['other-coordinator', other.coordinator],
      ['other-partner', other.partner],
      ['foreign-national-coordinator', await foreignNationalCoordinator(server)],
      ['coordinator-without-2fa', await coordinatorWithoutTwoFactor(server)],
      ['expired-session', await expiredSession(server)],
    ];
    for (const [caller, account] of standing) {
      accounts.set(caller as Exclude<Caller, 'anonymous'>, account);
      clients.set(caller, { client: account.client });
    }
    clients.set('revoked-token', { client: new Client(server.url), token: await revokedToken(server, accounts.get('group-coordinator')!) });
    const withoutTwoFactor = accounts.get('coordinator-without-2fa')!.client;
    const context = { server, callers: accounts, coCoordinate: (groupId: string) => coCoordinate(accounts.get('group-coordinator')!.client, withoutTwoFactor, groupId) };
    for (const part of parts) rows.push(...(await part.rows(context)));
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
          // An expired session proves something only while its cookie is still sent.
          if (caller === 'expired-session' && !clients.get(caller)!.client.cookies.has(SESSION_COOKIE)) results.push('expired-session: no session cookie left to send');
          const status = await call(clients.get(caller)!, forCaller(row, caller));
          if (status !== expected(row, caller)) results.push(`${caller}: got ${status}, expected ${expected(row, caller)}`);
        }
        assert.deepEqual(results, []);
      });
    }
    const routes = new Set(rows.map((row) => `${row.method} ${row.route}`)).size;
    t.diagnostic(`authorisation matrix (${testEngine()}): ${rows.length} rows (${routes} routes) × ${CALLERS.length} callers = ${rows.length * CALLERS.length} cells`);
  });
});

/**
 * `{caller}` in a form value becomes the caller's name: for rows whose refusal a throttle keyed on
 * that value would otherwise turn into a 429 part-way through the callers (sign-in's per-account limit).
 */
function forCaller(row: Row, caller: Caller): Row {
  if (!row.form) return row;
  const fill = (value: string) => value.replaceAll('{caller}', caller);
  return { ...row, form: Object.fromEntries(Object.entries(row.form).map(([key, value]) => [key, typeof value === 'string' ? fill(value) : value.map(fill)])) };
}

async function call({ client, token }: { client: Client; token?: string }, row: Row): Promise<number> {
  if (token && row.form) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(row.form)) for (const v of ([] as string[]).concat(value)) body.append(key, v);
    return (await client.request('POST', row.path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` } })).status;
  }
  if (token || row.json !== undefined || row.method !== 'GET' && !row.form) {
    const headers: Record<string, string> = { ...(row.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
    if (!token && row.method !== 'GET') headers['x-csrf-token'] = await csrfOf(client);
    return (await client.request(row.method, row.path, { ...(row.json !== undefined ? { body: JSON.stringify(row.json) } : {}), headers })).status;
  }
  if (row.method === 'POST') return (await client.postForm(row.path, { _csrf: await csrfOf(client), ...row.form })).status;
  return (await client.get(row.path)).status;
}

/**
 * A CSRF token is bound to the CSRF cookie and the session, so one page's token serves every form
 * until either changes; reading it once per pair, not once per request, halves the matrix's requests.
 */
const csrfTokens = new Map<string, string>();
async function csrfOf(client: Client): Promise<string> {
  const key = () => `${client.cookies.get(CSRF_COOKIE) ?? ''}|${client.cookies.get(SESSION_COOKIE) ?? ''}`;
  const known = client.cookies.has(CSRF_COOKIE) ? csrfTokens.get(key()) : undefined;
  if (known) return known;
  const token = csrfFrom((await client.get('/signup')).text);
  csrfTokens.set(key(), token);
  return token;
}
