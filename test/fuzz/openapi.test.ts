/**
 * Fuzzing of every operation in the OpenAPI document the real server serves, with cases drawn by
 * fast-check (test/fuzz/cases.ts), sent as an anonymous visitor, a signed-in member and a group
 * coordinator (browser sessions, with the CSRF header as a page would send it). For every case:
 *   - never a 5xx (nor a dropped connection);
 *   - never a stack trace, a file path or SQL text in the response;
 *   - on a 4xx, nothing changed in the database (test/support/db-fingerprint.ts).
 * FUZZ_RUNS=n sets the cases per operation and caller (default 3: about a minute per engine on an
 * idle machine); FUZZ_SEED=n replays a run's draws.
 * Failures already reported to the module's owner are listed in known-failures.ts and reported, not
 * failed on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createAccount, signIn } from '../support/accounts.ts';
import { fakeStripe, type FakeStripe } from '../support/fake-stripe.ts';
import { Client, csrfFrom } from '../support/client.ts';
import { fingerprint, fingerprintChanges, type Fingerprint } from '../support/db-fingerprint.ts';
import { reportId, sendReport } from '../support/reports.ts';
import { sessionCall } from '../support/session-call.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { testEngine } from '../support/database.ts';
import { caseArbitrary, type Case, type Operation, type Parameter, type PathValue } from './cases.ts';
import { knownFailure, type Failure, type Problem } from './known-failures.ts';
import { KnownValues } from './known-values.ts';
import type { JsonSchema } from './schema-arbitrary.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const CALLERS = ['anonymous', 'member', 'coordinator'] as const;
type CallerName = (typeof CALLERS)[number];

interface Caller {
  name: CallerName;
  client: Client;
  csrf: string;
}

/** What must never reach a client: stack frames, source paths, SQL and database error text. */
const LEAKS: [string, RegExp][] = [
  ['stack trace', /\bat (?:async )?[\w$.<>[\] ]+ \((?:file:\/\/|node:|\/)[^)]*:\d+:\d+\)/],
  ['stack trace', /\n\s+at [^\n]+:\d+:\d+/],
  ['file path', /\/work\/|\/home\/|\/root\/|node_modules\/|file:\/\/\/|\bsrc\/(?:core|modules)\/[\w/.-]+\.tsx?\b/],
  ['SQL', /syntax error at or near|violates (?:foreign key|unique|check|not-null) constraint|duplicate key value|invalid input syntax for|invalid byte sequence for encoding|relation "[^"]+" does not exist|column "[^"]+" (?:does not exist|of relation)|value too long for type|out of range for type|\bselect\s+[\w"*., ]{1,200}\s+from\s+"?\w+"?\s+where\b|\binsert into "?\w+"?\s*\(|\bupdate "?\w+"? set\b|\bdelete from "?\w+"?\s+where\b/i],
  ['error internals', /"(?:stack|sqlState|severity|routine|errno|syscall)"\s*:/],
];

describe(`fuzzing every API operation (${testEngine()})`, () => {
  let server: TestServer;
  let stripe: FakeStripe;
  let document: { paths: Record<string, Record<string, OpenApiOperation>>; components?: { schemas?: Record<string, JsonSchema> } };
  const callers = new Map<CallerName, Caller>();
  const known = new KnownValues();

  before(async () => {
    // Jobs do not run, so only requests change the database between two fingerprints. Rate limits
    // have their own tests; here they would only turn every later case into a 429.
    // Donations talk to a stand-in for Stripe, so they are fuzzed past "not configured".
    stripe = await fakeStripe();
    server = await startTestServer({
      env: { CAST_RUN_JOBS: 'false', RATE_LIMIT_SCALE: '100000', STRIPE_SECRET_KEY: 'sk_test_fuzz123', STRIPE_WEBHOOK_SECRET: 'whsec_fuzzSecret123', STRIPE_API_URL: stripe.url },
    });
    for (const name of CALLERS) {
      const client = new Client(server.url);
      if (name !== 'anonymous') {
        const { email } = await createAccount(server.cast.database, { role: name === 'member' ? 'member' : 'group-coordinator' });
        await signIn(client, email);
      }
      callers.set(name, { name, client, csrf: csrfFrom((await client.get('/signup')).text) });
    }
    // Some rows to aim at: a group with a member, and a report.
    const coordinator = callers.get('coordinator')!.client;
    const member = callers.get('member')!.client;
    const group = await sessionCall(coordinator, 'POST', '/api/v1/groups', { name: 'Fuzz group', kind: 'community', locality: 'Bristol', country: 'GB', lat: 51.45, lon: -2.59, radiusKm: 10 });
    known.add('id', group.id!);
    // Listed by its country's national coordinator, so it takes join requests and reports.
    const national = new Client(server.url);
    await signIn(national, (await createAccount(server.cast.database, { role: 'national-coordinator', country: 'GB' })).email);
    await sessionCall(national, 'POST', `/api/v1/groups/${group.id}/listing`);
    const join = await sessionCall(member, 'POST', `/api/v1/groups/${group.id}/join-requests`, { message: 'Let me in' });
    await sessionCall(coordinator, 'PUT', `/api/v1/groups/${group.id}/join-requests/${join.id}`, { decision: 'approve' });
    const report = await sendReport(server);
    known.harvest(report);
    known.add('id', await reportId(server, report.reference));
    document = (await new Client(server.url).get('/api/openapi.json')).json();
  });
  after(async () => {
    await server?.close();
    await stripe?.close();
  });

  test('never a 5xx, never a leak, nothing changed on a 4xx', async () => {
    const operations = operationsOf(document);
    assert.ok(operations.length > 50, `the document lists ${operations.length} operations`);
    const resolve = (schema: JsonSchema): JsonSchema => {
      if (!schema.$ref) return schema;
      const name = schema.$ref.replace('#/components/schemas/', '');
      return document.components?.schemas?.[name] ?? {};
    };
    // Read what the callers may see first, so later cases can aim at real rows.
    for (const op of operations.filter((o) => o.method === 'GET' && !o.path.includes('{'))) {
      for (const caller of callers.values()) await send(caller, op, { variant: 'valid', path: {}, query: [], headers: {}, csrf: 'right' });
    }

    console.log(`fuzz: seed ${SEED}, ${RUNS} case(s) per operation and caller, ${operations.length} operations, ${testEngine()}`);
    const failures: Failure[] = [];
    const started = performance.now();
    let total = 0;
    for (const [index, op] of operations.entries()) {
      const statuses = new Map<number, number>();
      let cases = 0;
      for (const [c, caller] of [...callers.values()].entries()) {
        const drawn = fc.sample(caseArbitrary(op, resolve), { numRuns: RUNS, seed: SEED + index * 7 + c });
        for (const fuzzCase of drawn) {
          const result = await check(caller, op, fuzzCase);
          cases += 1;
          statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
          failures.push(...result.failures);
        }
      }
      total += cases;
      const summary = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
      console.log(`fuzz: ${op.method} ${op.path} (${op.id}): ${cases} cases [${summary}]`);
    }
    console.log(`fuzz: ${total} cases in all on ${testEngine()} in ${Math.round((performance.now() - started) / 1000)} s (${Math.round(fingerprintMs / 1000)} s of it fingerprinting)`);

    const health = await new Client(server.url).get('/healthz');
    assert.equal(health.status, 200, 'the server still answers after the fuzzing');
    for (const failure of failures) {
      const entry = knownFailure(failure);
      if (entry) console.log(`fuzz: known, reported to ${entry.owner}: ${describeFailure(failure)}`);
    }
    const unexpected = failures.filter((f) => !knownFailure(f));
    assert.deepEqual(unexpected.map(describeFailure), [], `replay with FUZZ_SEED=${SEED}`);
  });

  // The fingerprint after a refused case is the one before the next: with jobs off, only requests
  // write. After an accepted case it is taken afresh, in case the answer went out before a write.
  let last: Fingerprint | undefined;
  let fingerprintMs = 0;
  async function takeFingerprint(): Promise<Fingerprint> {
    const started = performance.now();
    const taken = await fingerprint(server.cast.database.db as never);
    fingerprintMs += performance.now() - started;
    return taken;
  }

  async function check(caller: Caller, op: Operation, fuzzCase: Case): Promise<{ status: number; failures: Failure[] }> {
    const before = last ?? (await takeFingerprint());
    last = undefined;
    const answer = await send(caller, op, fuzzCase);
    const failures: Failure[] = [];
    const fail = (problem: Problem, detail: string) => failures.push({ operationId: op.id, caller: caller.name, problem, request: answer.request, status: answer.status, detail });
    if (answer.status === 0) fail('no-response', answer.text);
    else if (answer.status >= 500) fail('5xx', answer.text.slice(0, 300));
    if (answer.checkText) for (const [kind, pattern] of LEAKS) if (pattern.test(answer.text)) fail('leak', `${kind}: ${pattern.exec(answer.text)![0].slice(0, 200)}`);
    if (answer.status >= 400 && answer.status < 500) {
      last = await takeFingerprint();
      const changes = fingerprintChanges(before, last);
      if (changes.length) fail('changed-on-4xx', `${answer.status} ${answer.text.slice(0, 200)} — ${changes.join('; ')}`);
    }
    return { status: answer.status, failures };
  }

  async function send(caller: Caller, op: Operation, fuzzCase: Case): Promise<{ status: number; text: string; request: string; checkText: boolean }> {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => pathSegment(op, name, fuzzCase.path[name]));
    const query = new URLSearchParams(fuzzCase.query).toString();
    const url = `${path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = {};
    const cookies = [...caller.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookies) headers.cookie = cookies;
    if (op.method !== 'GET') {
      if (fuzzCase.csrf === 'right') headers['x-csrf-token'] = caller.csrf;
      else if (fuzzCase.csrf === 'wrong') headers['x-csrf-token'] = `${caller.csrf.slice(0, -2)}xx`;
    }
    let body: Uint8Array<ArrayBuffer> | undefined;
    if (fuzzCase.body && op.method !== 'GET') {
      const b = fuzzCase.body;
      const text = 'json' in b ? (b.json === undefined ? undefined : JSON.stringify(b.json)) : 'raw' in b ? b.raw : `{"a":"${'a'.repeat(b.hugeBytes)}"}`;
      if (text !== undefined) {
        body = new Uint8Array(Buffer.from(text, 'utf8'));
        headers['content-type'] = 'application/json';
      }
    }
    if (fuzzCase.contentType === null) delete headers['content-type'];
    else if (fuzzCase.contentType !== undefined) headers['content-type'] = fuzzCase.contentType;
    for (const [name, value] of Object.entries(fuzzCase.headers)) headers[name] = name === 'cookie' && headers.cookie ? `${headers.cookie}; ${value}` : value;
    const request = `${op.method} ${url.length > 300 ? `${url.slice(0, 300)}…` : url} ${JSON.stringify({ ...fuzzCase, path: undefined, query: undefined, body: summariseBody(fuzzCase) })}`;
    try {
      const response = await fetch(new URL(url, server.url), { method: op.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
      const type = response.headers.get('content-type') ?? '';
      const buffer = Buffer.from(await response.arrayBuffer());
      const text = buffer.toString('utf8');
      if (response.status < 300 && /json/.test(type)) known.harvest(safeJson(text));
      // Binary answers (PDFs, archives) hold compressed bytes, not text that could leak.
      return { status: response.status, text, request, checkText: !/pdf|octet-stream|zip|image\//.test(type) };
    } catch (error) {
      return { status: 0, text: String(error), request, checkText: false };
    }
  }

  function pathSegment(op: Operation, name: string, value: PathValue | undefined): string {
    if (value && 'value' in value) return value.raw ? value.value : encodeSegment(value.value);
    const parameter = op.parameters.find((p) => p.in === 'path' && p.name === name);
    return encodeSegment(known.pick(name, parameter?.schema, value?.known ?? 0));
  }
});

interface OpenApiOperation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema & { examples?: unknown[] }; example?: unknown; examples?: Record<string, { value: unknown }> }> };
}

/** Every operation of the document; reads first, deletions last, so the fixtures live as long as possible. */
function operationsOf(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  const order = ['get', 'post', 'put', 'patch', 'delete'];
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => order.includes(method))
      .map(([method, op]): Operation => {
        const json = op.requestBody?.content['application/json'];
        const examples = json ? [...(json.schema.examples ?? []), ...(json.example !== undefined ? [json.example] : []), ...Object.values(json.examples ?? {}).map((e) => e.value)] : [];
        return {
          id: op.operationId ?? `${method} ${path}`,
          method: method.toUpperCase(),
          path,
          parameters: op.parameters ?? [],
          ...(json ? { body: { schema: json.schema, required: op.requestBody?.required ?? false, examples } } : {}),
        };
      }),
  );
  return operations.sort((a, b) => order.indexOf(a.method.toLowerCase()) - order.indexOf(b.method.toLowerCase()));
}

function summariseBody(fuzzCase: Case): unknown {
  const b = fuzzCase.body;
  if (!b) return undefined;
  if ('hugeBytes' in b) return `${b.hugeBytes} bytes`;
  const text = 'json' in b ? JSON.stringify(b.json) ?? 'undefined' : b.raw;
  return text.length > 400 ? `${text.slice(0, 400)}… (${text.length} characters)` : text;
}

/** Percent-encodes a path segment byte by byte (encodeURIComponent throws on a lone surrogate). */
function encodeSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[\w.~-]/.test(String.fromCharCode(byte)) && byte < 0x80 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeFailure(f: Failure): string {
  return `${f.problem} on ${f.operationId} as ${f.caller}: ${f.status} — ${f.detail.slice(0, 400)}\n    request: ${f.request.slice(0, 700)}`;
}
