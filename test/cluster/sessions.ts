/**
 * Sessions, CSRF and rate limits across processes: a session started on one process is known to
 * every process (and ended on all of them by one sign-out), a form's token from one process is
 * accepted by another, and a burst over a limit split across processes is refused as one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createAccount, PASSWORD } from '../support/accounts.ts';
import { Client, csrfFrom, type Response } from '../support/client.ts';
import { RATE_LIMIT_SCALE } from './cluster.ts';
import { assertEveryProcess, inBatches, upstreamOf, type Context } from './context.ts';

/** The self-check form's limit (src/modules/packs/routes.tsx): 30 a minute per address, times the scale. */
const SELF_CHECK_LIMIT = 30 * RATE_LIMIT_SCALE;
const WINDOW_MS = 60_000;

function withCookiesOf(source: Client, baseUrl: string): Client {
  const copy = new Client(baseUrl);
  for (const [name, value] of source.cookies) copy.cookies.set(name, value);
  return copy;
}

export function sessionJourneys(context: Context): void {
  test('sessions: signed in through the balancer, recognised by every process; signed out on one, refused by all', async () => {
    const { cluster } = context;
    const { email, userId } = await createAccount(cluster.database, { role: 'member' });
    const browser = new Client(cluster.url);
    const responses: Response[] = [];
    const form = await browser.get('/signin');
    const signedIn = await browser.postForm('/signin', { _csrf: csrfFrom(form.text), email, password: PASSWORD });
    assert.equal(signedIn.status, 303, signedIn.text);
    responses.push(form, signedIn);
    for (let i = 0; i < 4 * cluster.processes.length; i++) {
      const page = await browser.get('/account');
      assert.equal(page.status, 200, `request ${i} (${upstreamOf(page)}) knows the session`);
      assert.ok(page.text.includes(email));
      responses.push(page);
    }
    assertEveryProcess(context, responses, 'one session');

    const session = new Map(browser.cookies);
    const out = await browser.submit('/account', '/signout', {});
    assert.equal(out.status, 303);
    for (const proc of cluster.processes) {
      const stale = new Client(proc.url);
      for (const [name, value] of session) stale.cookies.set(name, value);
      const page = await stale.get('/account');
      assert.equal(page.status, 303, `${proc.address} refuses the ended session`);
      assert.match(page.location ?? '', /^\/signin/);
    }
    const left = await sql<{ n: number }>`select count(*)::int as n from sessions where user_id = ${userId}`.execute(cluster.database.db);
    assert.equal(left.rows[0]!.n, 0, 'the session is gone from the database');
  });

  test('CSRF: a form shown by one process is accepted by another; a wrong or missing token is refused by every process and changes nothing', async () => {
    const { cluster } = context;
    const { email, userId } = await createAccount(cluster.database, { role: 'member' });
    const browser = new Client(cluster.url);
    assert.equal((await browser.submit('/signin', '/signin', { email, password: PASSWORD })).status, 303);
    const tokens = async () => Number((await sql<{ n: number }>`select count(*)::int as n from api_tokens where user_id = ${userId}`.execute(cluster.database.db)).rows[0]!.n);

    const processes = cluster.processes;
    for (const [i, shown] of processes.entries()) {
      const posted = processes[(i + 1) % processes.length]!;
      const page = await withCookiesOf(browser, shown.url).get('/account');
      assert.equal(page.status, 200);
      const created = await withCookiesOf(browser, posted.url).postForm('/account/tokens', { _csrf: csrfFrom(page.text), name: `from ${shown.address} to ${posted.address}`, scopes: 'groups:read' });
      assert.equal(created.status, 201, `a form from ${shown.address} accepted by ${posted.address}`);
      assert.match(created.text, /<code class="token">cast_/);
    }
    const made = await tokens();
    assert.equal(made, processes.length);

    for (const proc of processes) {
      const page = await withCookiesOf(browser, proc.url).get('/account');
      const forged = `${csrfFrom(page.text).slice(0, -2)}xx`;
      for (const fields of [{ _csrf: forged }, {}] as Record<string, string>[]) {
        const refused = await withCookiesOf(browser, proc.url).postForm('/account/tokens', { ...fields, name: 'forged', scopes: 'groups:read' });
        assert.equal(refused.status, 403, `${proc.address} refuses a ${'_csrf' in fields ? 'wrong' : 'missing'} token`);
      }
    }
    assert.equal(await tokens(), made, 'nothing made by a refused form');
  });
}

/** Last in the run: the burst uses up the self-check form's limit for this address until the minute ends. */
export function rateLimitJourney(context: Context): void {
  test(`rate limits: a burst over the limit (${SELF_CHECK_LIMIT} a minute) split across processes is refused as one count`, async () => {
    const { cluster } = context;
    const visitor = new Client(cluster.url);
    const list = await visitor.get('/self-check');
    const scenario = /href="\/self-check\/([\w-]+)"/.exec(list.text)?.[1];
    assert.ok(scenario, 'a self-check scenario is listed');
    const page = await visitor.get(`/self-check/${scenario}`);
    const csrf = csrfFrom(page.text);

    // Counters use fixed windows on the minute: start with 20 s or more left in one (the burst takes a
    // few seconds) so that the whole burst falls inside it.
    const into = Date.now() % WINDOW_MS;
    if (into > WINDOW_MS - 20_000) await new Promise((resolve) => setTimeout(resolve, WINDOW_MS - into + 200));
    const windowOf = () => Math.floor(Date.now() / WINDOW_MS);
    const window = windowOf();
    const burst = SELF_CHECK_LIMIT + 50;
    const answers = await inBatches(burst, 10, () => visitor.postForm(`/self-check/${scenario}`, { _csrf: csrf }));
    assert.equal(windowOf(), window, 'the burst fitted in one window (else rerun: this is not a finding)');

    const refused = answers.filter((r) => r.status === 429);
    const allowed = answers.filter((r) => r.status !== 429);
    assert.ok(allowed.every((r) => r.status < 500), 'no server error');
    assert.equal(allowed.length, SELF_CHECK_LIMIT, `exactly the limit allowed across ${cluster.processes.length} processes (one count per process would allow ${SELF_CHECK_LIMIT * cluster.processes.length})`);
    assert.equal(refused.length, burst - SELF_CHECK_LIMIT);
    assertEveryProcess(context, allowed, 'allowed requests');
    assertEveryProcess(context, refused, 'refused requests');
    assert.ok(refused.every((r) => Number(r.headers.get('retry-after')) > 0), 'a refusal says when to retry');
    context.figures['rate limit burst'] = `${burst} requests, ${allowed.length} allowed, ${refused.length} refused (limit ${SELF_CHECK_LIMIT})`;
  });
}
