/**
 * Rate limits on every public state-changing route. "Public" is found by asking: each POST, PUT,
 * PATCH and DELETE of the live route table is tried as a visitor with no account (a valid CSRF token,
 * a documented example body for API operations); whatever does not send the visitor to sign in is
 * public, and must answer 429 with Retry-After once its per-address limit is spent. Limits run at a
 * tenth (RATE_LIMIT_SCALE=0.1, at least 1 request), so each is reached in a few requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RegisteredRoute } from '../../src/app.ts';
import { Client, csrfFrom, type Response } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { label, samplePath, unsafeRoutes } from './route-table.ts';

/** Public routes without a limit, and why a limit would do harm or nothing. */
const UNLIMITED: Record<string, string> = {
  'POST /leave-no-trace': 'the quick exit of someone who may be watched: it must never be refused; it reads and writes nothing',
  'POST /signout': 'must never be refused (a person leaving a shared device); for a visitor it does nothing',
  'POST /api/v1/donations/webhooks/stripe': "Stripe's deliveries come in bursts from few addresses; each is refused unless its signature verifies, before any database work",
  'POST /api/v1/newsletter/bounces': "the mail provider's deliveries come in bursts; refused without the webhook secret, before any database work",
  'POST /api/v1/newsletter/inbound': "the mail provider's deliveries come in bursts; refused without the webhook secret, before any database work",
};

type OpenApi = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { examples?: unknown[] }; example?: unknown; examples?: Record<string, { value: unknown }> }> } }>> };

function exampleBody(openApi: OpenApi, route: RegisteredRoute): string | undefined {
  const operation = openApi.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
  const json = operation?.requestBody?.content['application/json'];
  // The swagger plugin moves a schema's examples to the media type: one as `example`, several as `examples`.
  const example = json?.schema.examples?.[0] ?? json?.example ?? Object.values(json?.examples ?? {})[0]?.value;
  return example === undefined ? undefined : JSON.stringify(example);
}

/** The route's limit for one address, as configured (a number or a function of the request). */
function limitOf(route: RegisteredRoute, server: TestServer): number | undefined {
  const max = (route.config.rateLimit as { max?: number | ((req: unknown) => number) } | undefined)?.max;
  return typeof max === 'function' ? max({ server: server.cast.app }) : max;
}

describe('rate limits on every public state-changing route', () => {
  let server: TestServer;
  let openApi: OpenApi;
  before(async () => {
    server = await startTestServer({ env: { CAST_RUN_JOBS: 'false', RATE_LIMIT_SCALE: '0.1' } });
    openApi = (await new Client(server.url).get('/api/openapi.json')).json<OpenApi>();
  });
  after(async () => {
    await server.close();
  });

  const send = (client: Client, route: RegisteredRoute, body: { json?: string; form?: Record<string, string> }): Promise<Response> =>
    route.url.startsWith('/api/')
      ? client.request(route.method, samplePath(route.url), { body: body.json ?? '{}', headers: { 'content-type': 'application/json', ...(body.form?._csrf ? { 'x-csrf-token': body.form._csrf } : {}) } })
      : client.postForm(samplePath(route.url), body.form ?? {});

  test('the unlimited routes are real routes', () => {
    const known = new Set(unsafeRoutes(server).map(label));
    assert.deepEqual(Object.keys(UNLIMITED).filter((route) => !known.has(route)), []);
  });

  test('each public route answers 429 with Retry-After after its limit', async () => {
    const visitor = new Client(server.url);
    const token = csrfFrom((await visitor.get('/signup')).text);
    const failures: string[] = [];
    const covered: string[] = [];
    let membersOnly = 0;
    for (const route of unsafeRoutes(server)) {
      if (label(route) in UNLIMITED) continue;
      // A visitor with no session: only the CSRF cookie its token belongs to.
      const probe = await send(visitor, route, { json: exampleBody(openApi, route), form: { _csrf: token } });
      if (probe.status === 401 || (probe.status === 303 && /^\/signin(\?|$)/.test(probe.location ?? ''))) {
        membersOnly += 1;
        continue;
      }
      const limit = limitOf(route, server);
      if (limit === undefined) {
        failures.push(`${label(route)} is open to visitors (answered ${probe.status}) and has no rate limit`);
        continue;
      }
      // Fixed windows: a run across a window's end may need twice the limit. Bodies without a token
      // or with nothing in them: the limit counts every request, whatever becomes of it after.
      let refused: Response | undefined;
      for (let i = 0; i < 2 * limit + 1 && !refused; i += 1) {
        const response = await send(new Client(server.url), route, {});
        if (response.status === 429) refused = response;
      }
      if (!refused) failures.push(`${label(route)}: no 429 after ${2 * limit + 1} requests`);
      else if (!(Number(refused.headers.get('retry-after')) > 0)) failures.push(`${label(route)}: 429 without Retry-After`);
      else covered.push(label(route));
    }
    console.log(`rate limits: ${covered.length} public routes answered 429 with Retry-After; ${membersOnly} need an account; ${Object.keys(UNLIMITED).length} unlimited by design`);
    assert.ok(covered.length >= 20, 'the route table was read');
    assert.deepEqual(failures, []);
  });
});
