/**
 * No open redirects: every redirect the product makes stays on this site, whatever is put in a
 * parameter that names a return path. Locations are resolved the way a browser resolves them (the
 * WHATWG URL parser drops tabs and newlines and reads a backslash as a slash).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, PASSWORD, signIn } from '../support/accounts.ts';
import { Client, csrfFrom, type Response } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { label, routesOf, samplePath } from './route-table.ts';

/** Ways of writing "another site" that a naive "starts with /" check lets through, raw and encoded. */
export const HOSTILE_TARGETS = [
  'https://evil.example/',
  '//evil.example/',
  '/\\evil.example/',
  '\\\\evil.example/',
  '/\t/evil.example/',
  '/\n/evil.example/',
  '/\r\n/evil.example/',
  ' //evil.example/',
  'https:evil.example',
  'javascript:alert(1)',
  '%2F%2Fevil.example/',
  '/%2F/evil.example/',
  '/%5Cevil.example/',
  '%252F%252Fevil.example',
  '/\u3000/evil.example/',
  // Not hostile, but a Location header cannot carry it: must not become a 500.
  '/\u65e5\u672c/',
];

/**
 * For the sweep over every route: the two that get past a "starts with /, not //" check. Any naive
 * reflection of a parameter sends them off-site too.
 */
const SWEEP_TARGETS = ['/\t/evil.example/', '/\\evil.example/'];

/** Names a return path could be given under; only `next` is read today, the rest prove no other one sneaks in. */
const RETURN_PARAMETERS = ['next', 'returnTo', 'return', 'redirect', 'redirect_uri', 'url', 'continue', 'back'];

function offSite(server: TestServer, response: Response): string | undefined {
  if (response.status >= 500) return `${response.status}`;
  if (response.location === null) return undefined;
  const target = new URL(response.location, server.url);
  return target.origin === new URL(server.url).origin ? undefined : `${response.status} → ${JSON.stringify(response.location)}`;
}

const query = (value: string) => RETURN_PARAMETERS.map((name) => `${name}=${encodeURIComponent(value)}`).join('&');

describe('open redirects', () => {
  let server: TestServer;
  let email: string;
  before(async () => {
    server = await startTestServer({ env: { CAST_RUN_JOBS: 'false' } });
    email = (await createAccount(server.cast.database)).email;
  });
  after(async () => {
    await server.close();
  });

  test('signing in with a hostile `next` lands on this site', async () => {
    const failures: string[] = [];
    for (const target of HOSTILE_TARGETS) {
      const client = new Client(server.url);
      const page = await client.get(`/signin?${query(target)}`);
      const response = await client.postForm(`/signin?${query(target)}`, { _csrf: csrfFrom(page.text), email, password: PASSWORD });
      assert.equal(response.status, 303);
      const problem = offSite(server, response);
      if (problem) failures.push(`${JSON.stringify(target)}: ${problem}`);
      // Signed in, the sign-in page sends the person straight on.
      const again = await client.get(`/signin?${query(target)}`);
      const problemAgain = offSite(server, again);
      if (problemAgain) failures.push(`${JSON.stringify(target)} when signed in: ${problemAgain}`);
    }
    assert.deepEqual(failures, []);
  });

  test('the language switch with a hostile `next` stays on this site', async () => {
    const client = new Client(server.url);
    const failures: string[] = [];
    for (const target of HOSTILE_TARGETS) {
      const problem = offSite(server, await client.get(`/language/fr?${query(target)}`));
      if (problem) failures.push(`${JSON.stringify(target)}: ${problem}`);
    }
    assert.deepEqual(failures, []);
  });

  test('a harmless `next` is still followed (the check can tell)', async () => {
    const client = new Client(server.url);
    await signIn(client, email);
    const response = await client.get('/signin?next=%2Faccount%3Ftab%3D1');
    assert.equal(response.location, '/account?tab=1');
    assert.equal((await client.get('/language/fr?next=%2Fgroups')).location, '/groups');
  });

  test('every GET route, as a visitor and signed in, with hostile return parameters, redirects only on-site', async () => {
    const member = new Client(server.url);
    await signIn(member, email);
    const failures: string[] = [];
    const routes = routesOf(server).filter((route) => route.method === 'GET');
    let redirects = 0;
    for (const route of routes) {
      for (const client of [new Client(server.url), member]) {
        // Two requests: the parameters take the targets in turn, so each parameter meets each target.
        for (const shift of [0, 1]) {
          const sweep = RETURN_PARAMETERS.map((name, i) => `${name}=${encodeURIComponent(SWEEP_TARGETS[(i + shift) % 2]!)}`).join('&');
          const response = await client.get(`${samplePath(route.url)}?${sweep}`);
          if (response.location !== null) redirects += 1;
          const problem = offSite(server, response);
          if (problem) failures.push(`${label(route)} (${sweep}): ${problem}`);
        }
      }
    }
    console.log(`redirects: ${routes.length} GET routes × 2 callers × ${RETURN_PARAMETERS.length} parameters × ${SWEEP_TARGETS.length} targets; ${redirects} redirects, all on-site`);
    assert.ok(redirects > 0, 'some routes did redirect, so the check saw locations');
    assert.deepEqual(failures, []);
  });

  test('every form post with hostile return parameters redirects only on-site', async () => {
    const member = new Client(server.url);
    await signIn(member, email);
    const token = csrfFrom((await member.get('/signup')).text);
    const failures: string[] = [];
    // Only the two-factor step and language change remain beside sign-in; posting every page form keeps a new one honest.
    const routes = routesOf(server).filter((route) => route.method === 'POST' && !route.url.startsWith('/api/') && route.url !== '/signout' && route.url !== '/leave-no-trace');
    for (const route of routes) {
      const target = SWEEP_TARGETS[0]!;
      const response = await member.postForm(`${samplePath(route.url)}?${query(target)}`, { _csrf: token, ...Object.fromEntries(RETURN_PARAMETERS.map((name) => [name, target])) });
      const problem = offSite(server, response);
      if (problem) failures.push(`${label(route)}: ${problem}`);
    }
    assert.deepEqual(failures, []);
  });
});
