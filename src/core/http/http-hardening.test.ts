import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { POSTGRES_URL } from '../../../test/support/database.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

describe('HTTP hardening', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { BODY_LIMIT_BYTES: '4096', RATE_LIMIT_SCALE: '1' } });
  });
  after(async () => {
    await server.close();
  });

  test('pages carry a strict CSP and security headers, and a request id', async () => {
    const response = await new Client(server.url).get('/');
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.match(response.headers.get('x-request-id') ?? '', /^[\w-]{8,}$/);
    assert.doesNotMatch(response.text, /<script/i, 'no script, inline or not, on a foundation page');
    assert.doesNotMatch(response.text, /https?:\/\/(?!localhost|127\.0\.0\.1)/, 'no third-party assets');
  });

  test('session and CSRF cookies are HttpOnly and SameSite', async () => {
    const response = await new Client(server.url).get('/signin');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('cast_csrf='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
  });

  test('invalid UTF-8 in a form is a 400, not a 500', async () => {
    const client = new Client(server.url);
    const response = await client.request('POST', '/signup', { body: Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(response.status, 400);
    assert.match(response.text, /not valid UTF-8/);
  });

  test('malformed JSON, wrong content types and oversized bodies get 4xx with a message', async () => {
    const client = new Client(server.url);
    const malformed = await client.request('POST', '/api/v1/tokens', { body: '{"name": ', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json<{ error: { code: string } }>().error.code, 'invalid-json');

    const proto = await client.request('POST', '/api/v1/tokens', { body: '{"__proto__": {"admin": true}}', headers: { 'content-type': 'application/json' } });
    assert.equal(proto.status, 400);

    // PostgreSQL cannot store U+0000: refused by the parser, whole, with a message, before any handler.
    const nul = await client.request('POST', '/api/v1/tokens', { body: JSON.stringify({ name: 'a\u0000b' }), headers: { 'content-type': 'application/json' } });
    assert.equal(nul.status, 400);
    assert.equal(nul.json<{ error: { code: string } }>().error.code, 'nul-character');
    assert.match(nul.json<{ error: { message: string } }>().error.message, /NUL character/);
    const nulForm = await client.request('POST', '/signup', { body: 'displayName=a%00b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(nulForm.status, 400);
    assert.match(nulForm.text, /NUL character/);
    // In the address too: a query value, a path segment (both would reach a query as a parameter).
    for (const url of ['/api/v1/map/cells?bbox=-10,40,10,60&zoom=4&type=labour%00', '/api/v1/groups/a%00b', '/groups?q=x%00']) {
      const refused = await client.request('GET', url);
      assert.equal(refused.status, 400, url);
      assert.match(refused.text, /NUL character/, url);
    }
    const literal = await client.request('GET', '/api/v1/groups/%2500');
    assert.notEqual(literal.status, 400, 'the text "%00" itself (sent as %2500) is not a NUL');

    const wrongType = await client.request('POST', '/api/v1/tokens', { body: '<xml/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(wrongType.status, 415);
    assert.match(wrongType.json<{ error: { message: string } }>().error.message, /not accepted/);

    const huge = await client.request('POST', '/signup', { body: `displayName=${'a'.repeat(10_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(huge.status, 413);
  });

  test('unknown pages are a friendly 404 page; unknown API paths a JSON 404', async () => {
    const client = new Client(server.url);
    const page = await client.get('/no/such/page');
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.text, /could not find that page/);
    const api = await client.get('/api/v1/nothing');
    assert.equal(api.status, 404);
    assert.equal(api.json<{ error: { code: string } }>().error.code, 'not-found');
  });

  test('an unknown or revoked bearer token is a 401 with WWW-Authenticate', async () => {
    const response = await new Client(server.url).json('GET', '/api/v1/me', undefined, 'cast_notarealtoken');
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
  });

  test('form posts are rate limited per address, with Retry-After', async () => {
    const client = new Client(server.url);
    const page = await client.get('/password/forgot');
    // Windows are fixed minutes: a run that straddles a minute boundary may need up to 21 tries.
    let limited: Awaited<ReturnType<Client['postForm']>> | undefined;
    let allowed = 0;
    for (let i = 0; i < 21 && !limited; i += 1) {
      const response = await client.postForm('/password/forgot', { _csrf: csrfFrom(page.text), email: `n${i}@example.org` });
      if (response.status === 429) limited = response;
      else allowed += 1;
    }
    assert.ok(limited, 'the limit was reached');
    assert.ok(allowed >= 10, `at least the limit of 10 was allowed (got ${allowed})`);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  test('health, metrics and the baseline route answer', async () => {
    const client = new Client(server.url);
    const health = await client.get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.json(), { status: 'ok', database: 'reachable' });
    assert.deepEqual((await client.get('/api/v1/ping')).json(), { ok: true });
    const metrics = await client.get('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /cast_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    assert.match(metrics.text, /process_resident_memory_bytes/);
    assert.doesNotMatch(metrics.text, /@example\.org/);
  });

  test('the OpenAPI document names every operation and gives an example for every request body', async () => {
    const document = (await new Client(server.url).get('/api/openapi.json')).json<{
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string; requestBody?: { content: Record<string, { schema: { examples?: unknown[] }; example?: unknown; examples?: unknown }> } }>>;
    }>();
    assert.match(document.openapi, /^3\./);
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    assert.ok(operations.length >= 5);
    const ids = operations.map(({ op }) => op.operationId);
    assert.ok(ids.every(Boolean), `missing operationId: ${operations.filter(({ op }) => !op.operationId).map(({ method, path }) => `${method} ${path}`).join(', ')}`);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const { path, method, op } of operations) {
      if (!op.requestBody) continue;
      const json = op.requestBody.content['application/json'];
      assert.ok(json && (json.schema.examples?.length || json.example || json.examples), `${method} ${path} has no example request body`);
    }
  });
});

/** PGlite: the embedded instance is closed. PostgreSQL: the server refuses new connections and drops the open ones. */
async function makeUnreachable(server: TestServer): Promise<void> {
  if (!server.testDatabase.url) return server.cast.database.close();
  const name = new URL(server.testDatabase.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`alter database ${name} allow_connections false`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  } finally {
    await admin.end();
  }
}

describe('database outage', () => {
  test('requests fail with 503 and Retry-After when the database is gone, not a 500 stack trace', async () => {
    // Requests only: without job workers, so a background job that the outage cuts short cannot fail
    // this test by chance (what jobs do through an outage belongs to the database-restart tests).
    const server = await startTestServer({ env: { CAST_RUN_JOBS: 'false' } });
    try {
      const client = new Client(server.url);
      await client.get('/signin');
      await makeUnreachable(server);
      const health = await client.get('/healthz');
      assert.equal(health.status, 503);
      const response = await client.submit('/signin', '/signin', { email: 'x@example.org', password: 'whatever-long' }).catch(() => undefined);
      const page = response ?? (await client.get('/account'));
      assert.equal(page.status, 503);
      assert.equal(page.headers.get('retry-after'), '5');
      assert.doesNotMatch(page.text, /at .*\.ts:\d+/, 'no stack traces');
    } finally {
      await server.cast.stop().catch(() => {});
      await server.close().catch(() => {});
    }
  });
});
