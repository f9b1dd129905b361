/**
 * Cookie flags (HttpOnly, SameSite, Secure as configured, and never off in production over https),
 * HSTS over https, and session rotation: every sign-in step starts a new session, a session id chosen by someone else
 * is never adopted, and a CSRF token from before sign-in no longer works after it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeFor, createAccount, PASSWORD, signIn } from '../support/accounts.ts';
import { Client, csrfFrom } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ConfigError, loadConfig } from '../../src/core/config.ts';
import { SESSION_COOKIE } from '../../src/core/http/request-context.ts';

const setCookies = (response: { headers: Headers }) => response.headers.getSetCookie();

/** Every cookie the product sets on the way: CSRF (a form page), language, session (sign-in). */
async function cookiesOfAJourney(server: TestServer): Promise<string[]> {
  const client = new Client(server.url);
  const { email } = await createAccount(server.cast.database);
  const page = await client.get('/signin');
  const language = await client.get('/language/fr?next=/');
  const signedIn = await client.postForm('/signin', { _csrf: csrfFrom(page.text), email, password: PASSWORD });
  assert.equal(signedIn.status, 303);
  return [...setCookies(page), ...setCookies(language), ...setCookies(signedIn)];
}

describe('cookie flags and HSTS', () => {
  // As deployed: an https address, COOKIE_SECURE on. (Served over plain http here; flags are what matter.)
  let secure: TestServer;
  let plain: TestServer;
  before(async () => {
    secure = await startTestServer({ env: { CAST_RUN_JOBS: 'false', COOKIE_SECURE: 'true', PUBLIC_URL: 'https://cast.example.org' } });
    plain = await startTestServer({ env: { CAST_RUN_JOBS: 'false' } });
  });
  after(async () => {
    await Promise.all([secure.close(), plain.close()]);
  });

  test('with COOKIE_SECURE (the default): HttpOnly, Secure, SameSite=Lax, Path=/ on every cookie', async () => {
    const cookies = await cookiesOfAJourney(secure);
    assert.deepEqual(cookies.map((c) => c.split('=')[0]).sort(), ['cast_csrf', 'cast_lang', 'cast_session']);
    for (const cookie of cookies) {
      assert.match(cookie, /; HttpOnly/i, cookie);
      assert.match(cookie, /; Secure/i, cookie);
      assert.match(cookie, /; SameSite=Lax/i, cookie);
      assert.match(cookie, /; Path=\/(;|$)/i, cookie);
      assert.doesNotMatch(cookie, /; Domain=/i, 'host-only: no sibling domain receives it');
    }
  });

  test('COOKIE_SECURE=false drops only Secure (plain-http development)', async () => {
    for (const cookie of await cookiesOfAJourney(plain)) {
      assert.doesNotMatch(cookie, /; Secure/i);
      assert.match(cookie, /; HttpOnly/i);
    }
  });

  test('production with an https address refuses COOKIE_SECURE=false', () => {
    const env = { CAST_ENV: 'production', CAST_KEY: Buffer.alloc(32, 7).toString('base64'), PUBLIC_URL: 'https://cast.example.org' };
    assert.throws(() => loadConfig({ ...env, COOKIE_SECURE: 'false' }), (error: unknown) => error instanceof ConfigError && /COOKIE_SECURE=false is refused/.test(error.message));
    assert.equal(loadConfig(env).cookieSecure, true);
  });

  test('HSTS is sent when the public address is https, and not over plain http', async () => {
    const response = await new Client(secure.url).get('/');
    assert.match(response.headers.get('strict-transport-security') ?? '', /max-age=31536000; includeSubDomains/);
    assert.match(response.headers.get('content-security-policy') ?? '', /upgrade-insecure-requests/);
    assert.equal((await new Client(plain.url).get('/')).headers.get('strict-transport-security'), null);
  });
});

describe('session rotation', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { CAST_RUN_JOBS: 'false' } });
  });
  after(async () => {
    await server.close();
  });

  const isSignedIn = async (session: string) => {
    const client = new Client(server.url);
    client.cookies.set(SESSION_COOKIE, session);
    return (await client.get('/account')).status === 200;
  };

  test('a session id set by someone else is never adopted: sign-in issues a new one', async () => {
    const { email } = await createAccount(server.cast.database);
    const client = new Client(server.url);
    client.cookies.set(SESSION_COOKIE, 'chosen-by-an-attacker');
    await signIn(client, email);
    const session = client.cookies.get(SESSION_COOKIE)!;
    assert.notEqual(session, 'chosen-by-an-attacker');
    assert.ok(await isSignedIn(session));
    assert.equal(await isSignedIn('chosen-by-an-attacker'), false);
  });

  test('each sign-in gets a new session id, and signing out ends it on the server', async () => {
    const { email } = await createAccount(server.cast.database);
    const client = new Client(server.url);
    await signIn(client, email);
    const first = client.cookies.get(SESSION_COOKIE)!;
    const signOut = await client.postForm('/signout', { _csrf: csrfFrom((await client.get('/account')).text) });
    assert.equal(signOut.status, 303);
    assert.equal(await isSignedIn(first), false, 'the old cookie is dead, not merely forgotten by the browser');
    await signIn(client, email);
    assert.notEqual(client.cookies.get(SESSION_COOKIE), first);
  });

  test('the two-factor step replaces the half-signed-in session', async () => {
    const { email } = await createAccount(server.cast.database, { role: 'group-coordinator' });
    const { secret } = await signIn(new Client(server.url), email);
    const client = new Client(server.url);
    const page = await client.get('/signin');
    const password = await client.postForm('/signin', { _csrf: csrfFrom(page.text), email, password: PASSWORD });
    assert.match(password.location ?? '', /^\/signin\/code/);
    const half = client.cookies.get(SESSION_COOKIE)!;
    const codePage = await client.get('/signin/code');
    // The next time step: the current one was used by the enrolment just now.
    const code = await client.postForm('/signin/code', { _csrf: csrfFrom(codePage.text), code: codeFor(secret!, Date.now() + 30_000) });
    assert.equal(code.status, 303);
    const full = client.cookies.get(SESSION_COOKIE)!;
    assert.notEqual(full, half);
    assert.ok(await isSignedIn(full));
    const replayed = new Client(server.url);
    replayed.cookies.set(SESSION_COOKIE, half);
    assert.match((await replayed.get('/signin/code')).location ?? '', /^\/signin$/, 'the half-signed-in session is gone');
  });

  test('a CSRF token from before sign-in is refused after it (tokens are bound to the session)', async () => {
    const { email } = await createAccount(server.cast.database);
    const client = new Client(server.url);
    const before = csrfFrom((await client.get('/signin')).text);
    await client.postForm('/signin', { _csrf: before, email, password: PASSWORD });
    const stale = await client.postForm('/account/tokens', { _csrf: before, name: 'stale' });
    assert.equal(stale.status, 403);
    const fresh = await client.postForm('/account/tokens', { _csrf: csrfFrom((await client.get('/account')).text), name: '' });
    assert.equal(fresh.status, 422);
  });
});
