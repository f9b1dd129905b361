/**
 * Cross-site request forgery, on every state-changing route of the live route table: a browser
 * session (cookie) without a CSRF token, or with the token of another session, is refused before the
 * route does anything. Routes that opt out must be on the list below with the reason they are safe.
 * Also: no route takes a file upload (multipart), so there is no image to strip or type-check.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, signIn } from '../support/accounts.ts';
import { Client, csrfFrom, type Response } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { label, samplePath, unsafeRoutes } from './route-table.ts';

/** Routes that take no CSRF token, and why no other site can ride a visitor's session on them. */
const OPTED_OUT: Record<string, string> = {
  'POST /api/v1/donations/webhooks/stripe': 'Stripe calls it; the Stripe-Signature header is verified, no session is read',
  'POST /api/v1/newsletter/bounces': 'the mail provider calls it with X-Cast-Webhook-Secret; no session is read',
  'POST /api/v1/newsletter/inbound': 'the mail provider calls it with X-Cast-Webhook-Secret; no session is read',
  'POST /api/v1/newsletter/confirmations': 'acts only on the secret token in the body (from the e-mail), never on a session',
  'PUT /api/v1/newsletter/preferences/:token': 'acts only on the signed link token in the path, never on a session',
  'DELETE /api/v1/newsletter/preferences/:token': 'acts only on the signed link token in the path, never on a session',
  'POST /api/v1/newsletter/unsubscribe/:token': 'RFC 8058 one-click unsubscribe: mail clients post without a page; the signed token is the authority',
  'POST /newsletter/unsubscribe/:token': 'RFC 8058 one-click unsubscribe: mail clients post without a page; the signed token is the authority',
};

/**
 * The newsletter module reads multipart bodies as empty (one-click unsubscribe may come as
 * multipart/form-data, and its body is not needed), for every route of its own: nothing uploaded is kept.
 */
const DISCARDS_MULTIPART = /^\/(api\/v1\/)?newsletter(\/|$)/;

const isCsrfRefusal = (response: Response): boolean =>
  response.status === 403 && (/"code":"csrf"/.test(response.text) || response.text.includes('This form has expired'));

describe('CSRF on every state-changing route', () => {
  let server: TestServer;
  let member: Client;
  let otherSessionToken: string;

  before(async () => {
    server = await startTestServer({ env: { CAST_RUN_JOBS: 'false' } });
    member = new Client(server.url);
    await signIn(member, (await createAccount(server.cast.database)).email);
    const other = new Client(server.url);
    await signIn(other, (await createAccount(server.cast.database)).email);
    otherSessionToken = csrfFrom((await other.get('/signup')).text);
  });
  after(async () => {
    await server.close();
  });

  test('routes that opt out of CSRF are exactly the listed ones', () => {
    const optedOut = unsafeRoutes(server).filter((route) => route.config.csrf === false).map(label).sort();
    assert.deepEqual(optedOut, Object.keys(OPTED_OUT).sort());
  });

  test('a session without a token, or with another session\'s token, is refused on every other route', async () => {
    const routes = unsafeRoutes(server).filter((route) => route.config.csrf !== false);
    const failures: string[] = [];
    for (const route of routes) {
      const path = samplePath(route.url);
      const isApi = route.url.startsWith('/api/');
      const send = (token?: string) =>
        isApi
          ? member.request(route.method, path, { body: '{}', headers: { 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) } })
          : member.postForm(path, token ? { _csrf: token } : {});
      const missing = await send();
      const foreign = await send(otherSessionToken);
      if (!isCsrfRefusal(missing)) failures.push(`${label(route)} without a token: ${missing.status}`);
      if (!isCsrfRefusal(foreign)) failures.push(`${label(route)} with another session's token: ${foreign.status}`);
    }
    console.log(`CSRF: ${routes.length} state-changing routes refused a missing and a foreign token`);
    assert.ok(routes.length > 100, 'the route table was read');
    assert.deepEqual(failures, []);
  });

  test('the check can tell: the session\'s own token passes it', async () => {
    const token = csrfFrom((await member.get('/signup')).text);
    const response = await member.request('POST', '/api/v1/tokens', { body: '{}', headers: { 'content-type': 'application/json', 'x-csrf-token': token } });
    assert.equal(response.status, 422, 'past the CSRF check, the empty body is refused by validation');
    const form = await member.postForm('/account/tokens', { _csrf: token, name: '' });
    assert.equal(form.status, 422);
  });

  test('no route accepts a file upload', async () => {
    const boundary = 'cast-test-boundary';
    const jpeg = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0xff, 0xd9]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const failures: string[] = [];
    const routes = unsafeRoutes(server).filter((route) => !DISCARDS_MULTIPART.test(route.url));
    for (const route of routes) {
      const response = await member.request(route.method, samplePath(route.url), { body: jpeg, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
      if (response.status !== 415) failures.push(`${label(route)}: ${response.status}`);
    }
    console.log(`uploads: ${routes.length} state-changing routes refused a multipart image with 415`);
    assert.deepEqual(failures, []);
  });
});
