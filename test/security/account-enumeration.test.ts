/**
 * Account enumeration: sign-in, sign-up and password reset answer a known and an unknown address
 * with the same status and the same page (apart from the CSRF token and the address echoed back).
 * Only the owner of an address learns, by e-mail, whether it has an account. And sign-in with an
 * unknown address still verifies a password hash (checked by the work it starts, not by timing).
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createAccount, PASSWORD, uniqueEmail } from '../support/accounts.ts';
import { Client, csrfFrom, type Response } from '../support/client.ts';
import { startMailbox, type Mailbox } from '../support/mailbox.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { MAIL_JOB } from '../../src/core/mail-job.ts';

/** The page as an observer compares it: without the per-request CSRF token and the address it was given. */
function comparable(response: Response, email: string): { status: number; body: string } {
  return { status: response.status, body: response.text.replaceAll(email, '<address>').replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf"') };
}

async function post(server: TestServer, path: string, fields: Record<string, string>): Promise<Response> {
  const client = new Client(server.url);
  return client.submit(path, path, fields);
}

describe('account enumeration', () => {
  let mailbox: Mailbox;
  let server: TestServer;
  let known: string;

  before(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({ smtpUrl: mailbox.url });
    known = (await createAccount(server.cast.database)).email;
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  /** Mails to `address` ever queued (sent or not), and waits until none is still waiting, so counts are final. */
  async function mailsQueuedTo(address: string): Promise<number> {
    const db = server.cast.database.db;
    for (let i = 0; i < 300; i += 1) {
      const waiting = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${MAIL_JOB} and state in ('created', 'retry', 'active')`.execute(db);
      if (waiting.rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const queued = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${MAIL_JOB} and data->>'to' = ${address}`.execute(db);
    return queued.rows[0]!.n;
  }

  test('sign-in: a wrong password for a known address reads like an unknown address', async () => {
    const unknown = uniqueEmail('nobody');
    const forKnown = await post(server, '/signin', { email: known, password: 'not the password at all' });
    const forUnknown = await post(server, '/signin', { email: unknown, password: 'not the password at all' });
    assert.equal(forKnown.status, 422);
    assert.deepEqual(comparable(forKnown, known), comparable(forUnknown, unknown));
  });

  test('sign-up: an address that has an account gets the same page; its owner is told by e-mail', async () => {
    const fresh = uniqueEmail('fresh');
    const fields = { displayName: 'Someone', password: 'a long enough passphrase' };
    const forKnown = await post(server, '/signup', { ...fields, email: known });
    const forFresh = await post(server, '/signup', { ...fields, email: fresh });
    assert.equal(forKnown.status, 200);
    assert.deepEqual(comparable(forKnown, known), comparable(forFresh, fresh));
    // Each address gets one message, so the mail's arrival tells an onlooker nothing either.
    await mailbox.waitFor(known, /tried to create/i);
    await mailbox.waitFor(fresh, /confirm/i);
    assert.equal(await mailsQueuedTo(known), 1);
    assert.equal(await mailsQueuedTo(fresh), 1);
    assert.equal(mailbox.messages.filter((m) => m.to.includes(known)).length, 1);
    assert.equal(mailbox.messages.filter((m) => m.to.includes(fresh)).length, 1);
    // The account was not taken over or changed: the old password still works.
    const client = new Client(server.url);
    assert.equal((await client.submit('/signin', '/signin', { email: known, password: PASSWORD })).status, 303);
  });

  test('password reset: the same page for both; only the known address gets a link', async () => {
    const unknown = uniqueEmail('nobody');
    const forUnknown = await post(server, '/password/forgot', { email: unknown });
    const forKnown = await post(server, '/password/forgot', { email: known });
    assert.equal(forKnown.status, 200);
    assert.deepEqual(comparable(forKnown, known), comparable(forUnknown, unknown));
    await mailbox.waitFor(known, /reset/i);
    assert.equal(await mailsQueuedTo(unknown), 0, 'nothing was even queued for the unknown address');
    assert.equal(mailbox.messages.filter((m) => m.to.includes(unknown)).length, 0);
  });
});

describe('sign-in with an unknown address', () => {
  let server: TestServer;
  before(async () => {
    // No job workers: nothing else in this process starts native work while a request is counted.
    server = await startTestServer({ env: { CAST_RUN_JOBS: 'false' } });
  });
  after(async () => {
    await server.close();
  });

  /**
   * Argon2 runs as native asynchronous work (@node-rs/argon2, a napi-rs task, whose async resource
   * has no type name). The server runs in this process, so the work a request starts can be counted.
   */
  async function nativeWorkDuring(action: () => Promise<unknown>): Promise<number> {
    let count = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'undefined') count += 1;
      },
    });
    hook.enable();
    try {
      await action();
    } finally {
      hook.disable();
    }
    return count;
  }

  test('verifies a (decoy) password hash, as much work as for a known address', async () => {
    const { email } = await createAccount(server.cast.database);
    const pageFor = async () => {
      const client = new Client(server.url);
      const page = await client.get('/signin');
      return (fields: Record<string, string>) => client.postForm('/signin', { _csrf: csrfFrom(page.text), ...fields });
    };
    const known = await pageFor();
    const unknown = await pageFor();
    // Warm: the decoy hash is made once, on first use.
    await (await pageFor())({ email: uniqueEmail('warm'), password: 'not the password at all' });
    const forKnown = await nativeWorkDuring(() => known({ email, password: 'not the password at all' }));
    const forUnknown = await nativeWorkDuring(() => unknown({ email: uniqueEmail('nobody'), password: 'not the password at all' }));
    assert.ok(forKnown >= 1, `a known address starts argon2 work (saw ${forKnown})`);
    assert.equal(forUnknown, forKnown);
  });
});
