/**
 * The newsletter's sending as operators run it: real server processes (`node --import tsx
 * src/server.ts`) against one PostgreSQL database, delivering over SMTP to a real receiver.
 * - Two processes send one edition side by side: every subscriber gets it exactly once.
 * - A process stopped mid-send (SIGTERM) and another started: sending resumes, nobody gets it twice.
 * - A process killed mid-send (SIGKILL): what it had claimed is never sent again (at most once).
 * PostgreSQL only: PGlite is one process's embedded database, so two processes cannot share it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openKeyring, type Keyring } from '../../src/core/data-keys.ts';
import { createAccount, signIn } from '../support/accounts.ts';
import { Client } from '../support/client.ts';
import { createTestDatabase, ROOT, testEngine, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/free-port.ts';
import { SERVER_NODE_ARGS } from '../../scripts/server-command.ts';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from '../support/mail-parser.ts';
import { sessionCall } from '../support/session-call.ts';
import { hmac } from '../../src/core/crypto.ts';

const KEY = crypto.randomBytes(32).toString('base64');

interface Received {
  to: string[];
  subject: string;
}

/**
 * A real SMTP receiver like test/support/mailbox.ts, which also ignores connections reset by a
 * killed sender (mailbox.ts leaves that 'error' event unhandled, which would fail the whole file).
 */
async function startReceiver(): Promise<{ url: string; messages: Received[]; close: () => Promise<void> }> {
  const messages: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({ subject: simpleParser(Buffer.concat(chunks).toString('utf8')).subject, to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()) });
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Proc {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

describe('newsletter: sending from several server processes', { skip: testEngine() !== 'postgres' && 'needs PostgreSQL: PGlite cannot be shared by two processes' }, () => {
  let testDatabase: TestDatabase;
  let mailbox: Awaited<ReturnType<typeof startReceiver>>;
  let keyring: Keyring;
  const running: Proc[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-newsletter-'));
  const db = () => testDatabase.database.db;

  async function start(rate: number): Promise<Proc> {
    const port = await freePort();
    const child = spawn(process.execPath, [...SERVER_NODE_ARGS], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: testDatabase.url!, SMTP_URL: mailbox.url, CAST_KEY: KEY, CAST_DATA_DIR: dataDir, COOKIE_SECURE: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_SCALE: '100', CAST_NEWSLETTER_RATE: String(rate) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const proc = { child, url: `http://127.0.0.1:${port}`, exited };
    running.push(proc);
    for (let i = 0; i < 1200; i++) {
      const up = await fetch(`${proc.url}/healthz`).then((r) => r.ok, () => false);
      if (up) return proc;
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`server did not start: ${output}`);
  }

  /** Subscribers made directly in the database, sealed with the instance's data key as the service would. */
  async function seed(prefix: string, count: number): Promise<string[]> {
    const blindIndex = keyring.keys.blindIndex;
    const emails = Array.from({ length: count }, (_, i) => `${prefix}.${i}@example.org`);
    const rows = emails.map((email) => ({ email_hash: hmac(blindIndex, `newsletter-email|${email}`), email_sealed: keyring.seal(email), language: 'en', confirmed_at: new Date() }));
    const ids = await db().insertInto('newsletter_subscribers' as never).values(rows as never).returning('id' as never).execute();
    await db().insertInto('newsletter_subscriptions' as never).values(ids.map((row) => ({ subscriber_id: (row as { id: string }).id, list_key: prefix }))).execute();
    return emails;
  }

  async function editorClient(url: string): Promise<Client> {
    const { email } = await createAccount(testDatabase.database, { role: 'editor' });
    const client = new Client(url);
    await signIn(client, email);
    return client;
  }

  async function startEdition(url: string, list: string, subject: string): Promise<string> {
    const editor = await editorClient(url);
    const id = (await sessionCall(editor, 'POST', '/api/v1/newsletter/editions', { subject, body: 'Hello', lists: [list] })).id!;
    await sessionCall(editor, 'POST', `/api/v1/newsletter/editions/${id}/send`, {});
    return id;
  }

  const received = (subject: string) => mailbox.messages.filter((m) => m.subject === subject).flatMap((m) => m.to);
  async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const statuses = async (id: string) =>
    Object.fromEntries((await sql<{ status: string; n: number }>`select status, count(*)::int as n from newsletter_deliveries where edition_id = ${id} group by status`.execute(db())).rows.map((r) => [r.status, r.n]));
  const editionStatus = async (id: string) => (await sql<{ status: string }>`select status from newsletter_editions where id = ${id}`.execute(db())).rows[0]!.status;
  const stop = async (proc: Proc, signal: NodeJS.Signals) => {
    proc.child.kill(signal);
    await proc.exited;
    running.splice(running.indexOf(proc), 1);
  };

  before(async () => {
    testDatabase = await createTestDatabase('postgres');
    mailbox = await startReceiver();
    // The first process creates the data key; the test then seals with the same key.
    const first = await start(100);
    keyring = await openKeyring(db(), Buffer.from(KEY, 'base64'));
    await stop(first, 'SIGTERM');
  });
  after(async () => {
    for (const proc of [...running]) await stop(proc, 'SIGTERM');
    await keyring?.close();
    await mailbox?.close();
    await testDatabase?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('two processes send one edition concurrently: each message arrives exactly once', async () => {
    const emails = await seed('general', 1600);
    const [a, b] = [await start(100), await start(100)];
    const id = await startEdition(a.url, 'general', 'Two senders');
    await until(async () => (await editionStatus(id)) === 'sent', 'the edition to be sent');
    const got = received('Two senders');
    assert.equal(got.length, emails.length, 'as many messages as subscribers');
    assert.equal(new Set(got).size, emails.length, 'nobody twice');
    assert.deepEqual([...new Set(got)].sort(), [...emails].sort());
    const workers = (await sql<{ n: number }>`select count(distinct split_part(claimed_by, ':', 2))::int as n from newsletter_deliveries where edition_id = ${id}`.execute(db())).rows[0]!.n;
    assert.equal(workers, 2, 'both processes sent part of it');
    assert.deepEqual(await statuses(id), { sent: emails.length });
    await stop(a, 'SIGTERM');
    await stop(b, 'SIGTERM');
  });

  test('a process stopped mid-send, another started: sending resumes and nobody gets it twice', async () => {
    const emails = await seed('chocolate', 400);
    const a = await start(40);
    const id = await startEdition(a.url, 'chocolate', 'Restarted');
    await until(() => received('Restarted').length >= 40, 'some messages to go out');
    await stop(a, 'SIGTERM');
    const before = received('Restarted').length;
    assert.ok(before < emails.length, `stopped mid-send (${before} of ${emails.length})`);
    const c = await start(400);
    await until(async () => (await editionStatus(id)) === 'sent', 'sending to resume and finish');
    const got = received('Restarted');
    assert.equal(got.length, emails.length);
    assert.equal(new Set(got).size, emails.length, 'nobody twice');
    await stop(c, 'SIGTERM');
  });

  test('a process killed mid-send: what it had claimed is never sent again', async () => {
    const emails = await seed('groups', 400);
    const a = await start(40);
    const id = await startEdition(a.url, 'groups', 'Killed');
    await until(() => received('Killed').length >= 40, 'some messages to go out');
    await stop(a, 'SIGKILL');
    const c = await start(400);
    await until(async () => {
      const s = await statuses(id);
      return (s.pending ?? 0) === 0 && (s.sending ?? 0) > 0;
    }, 'every unclaimed delivery to be sent');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const got = received('Killed');
    assert.equal(new Set(got).size, got.length, 'nobody twice');
    const s = await statuses(id);
    assert.equal((s.sent ?? 0) + (s.sending ?? 0), emails.length);
    assert.ok(got.length >= (s.sent ?? 0), 'every delivery marked sent arrived');
    assert.equal(await editionStatus(id), 'sending', 'claims of the dead process wait for their lease, then become uncertain');
    await stop(c, 'SIGTERM');
  });
});
