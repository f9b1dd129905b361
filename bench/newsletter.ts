/**
 * `npx tsx bench/newsletter.ts [--subscribers=100000] [--baseline=10000]`: an edition to N subscribers
 * sent by one real CAST child process (CAST_NEWSLETTER_RATE unthrottled) to a local SMTP sink in this
 * process. Prints one JSON line: messages, seconds, messages/s, recipients reached, duplicates, and
 * the ratio to a baseline measured in the same run: nodemailer alone (pooled, as CAST's mailer is)
 * sending the same kind of message to the same sink, with no database and no job queue.
 *
 * Goal (issue 7): at least 500 messages/s from one process, each recipient exactly once.
 * Subscribers are seeded sealed, as confirmation would store them (one insert per 5,000).
 */
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/core/config.ts';
import { hmac } from '../src/core/crypto.ts';
import { openKeyring } from '../src/core/data-keys.ts';
import { databaseOptions, openDatabase } from '../src/core/db/database.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { loadInstanceKey } from '../src/core/keys.ts';
import { createAccountAsOperator, issueToken } from '../src/modules/accounts/index.ts';
import { freshBenchDatabase } from './database.ts';
import { benchEnvironment, makeTempDir, startServer, type BenchServer } from './server.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
const option = (name: string, fallback: string) => process.argv.slice(2).find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

/** Counts what arrives, per recipient; reads and drops the message bodies. */
async function startSink(): Promise<{ url: string; received: Map<string, number>; total: () => number; close: () => Promise<void> }> {
  const received = new Map<string, number>();
  let total = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 100,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        for (const rcpt of session.envelope.rcptTo) received.set(rcpt.address, (received.get(rcpt.address) ?? 0) + 1);
        total += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, received, total: () => total, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function seed(env: Record<string, string>, count: number): Promise<string> {
  const config = loadConfig(env);
  const database = await openDatabase(databaseOptions(config));
  try {
    await migrate(database);
    const db = database.db;
    const keyring = await openKeyring(db, loadInstanceKey(config));
    const started = Date.now();
    for (let from = 0; from < count; from += 5000) {
      const rows = Array.from({ length: Math.min(5000, count - from) }, (_, i) => {
        const email = `reader.${from + i}@bench.example.org`;
        return { email_hash: hmac(keyring.keys.blindIndex, `newsletter-email|${email}`), email_sealed: keyring.seal(email), name_sealed: null, language: 'en', confirmed_at: new Date() };
      });
      const ids = await db.insertInto('newsletter_subscribers' as never).values(rows as never).returning('id' as never).execute();
      await db.insertInto('newsletter_subscriptions' as never).values(ids.map((row) => ({ subscriber_id: (row as { id: string }).id, list_key: 'general' }))).execute();
    }
    log(`seeded ${count} subscribers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await keyring.close();
    const account = await createAccountAsOperator(db, { email: `bench.editor.${Date.now()}@example.org`, password: 'correct horse battery staple', role: 'editor', country: null });
    if (!account.ok) throw new Error(`could not create the bench editor: ${JSON.stringify(account)}`);
    return (await issueToken(db, account.value.userId, 'bench', ['newsletter:read', 'newsletter:write'], null)).token;
  } finally {
    await database.close();
  }
}

/** nodemailer alone, pooled as CAST's mailer is, ten messages in flight: what the sink and SMTP cost. */
async function baseline(url: string, count: number): Promise<number> {
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: 5 } as never);
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < count) {
        const i = next++;
        await transport.sendMail({
          from: 'CAST <no-reply@localhost>',
          to: `baseline.${i}@bench.example.org`,
          subject: 'Baseline',
          text: 'Hello\n\n-- \nUnsubscribe: https://example.org/newsletter/unsubscribe/x',
          html: '<p>Hello</p>',
          headers: { 'List-Unsubscribe': '<https://example.org/u>, <mailto:unsubscribe@localhost>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        });
      }
    }),
  );
  transport.close();
  return count / ((Date.now() - started) / 1000);
}

async function main(): Promise<void> {
  const subscribers = Number(option('subscribers', '100000'));
  const baselineCount = Number(option('baseline', '10000'));
  const dataDir = makeTempDir();
  const database = process.env.DATABASE_URL ? await freshBenchDatabase(process.env.DATABASE_URL) : undefined;
  const sink = await startSink();
  let server: BenchServer | undefined;
  try {
    const baselineRate = await baseline(sink.url, baselineCount);
    log(`baseline (nodemailer alone): ${Math.round(baselineRate)} messages/s`);
    sink.received.clear();
    const before = sink.total();
    const env = { ...(await benchEnvironment(dataDir)), ...(database ? { DATABASE_URL: database.url } : {}), SMTP_URL: sink.url, CAST_NEWSLETTER_RATE: '100000' };
    const token = await seed(env, subscribers);
    server = await startServer(env, [], log);
    const api = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${server!.port}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    const created = await api('/api/v1/newsletter/editions', { method: 'POST', body: JSON.stringify({ subject: 'Bench edition', body: '# News\n\nA **bench** edition with [a link](https://example.org).', lists: ['general'] }) });
    if (created.status !== 201) throw new Error(`createEdition: ${created.status} ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };
    const started = Date.now();
    const sent = await api(`/api/v1/newsletter/editions/${id}/send`, { method: 'POST', body: '{}' });
    if (sent.status !== 202) throw new Error(`sendEdition: ${sent.status} ${await sent.text()}`);
    let progress = { status: 'sending', total: 0, progress: { sent: 0 } as Record<string, number> };
    let lastLog = Date.now();
    let rssPeak = server.rssMb();
    while (progress.status !== 'sent') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      rssPeak = Math.max(rssPeak, server.rssMb());
      progress = (await (await api(`/api/v1/newsletter/editions/${id}/progress`)).json()) as typeof progress;
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`${progress.progress.sent} / ${progress.total} sent, ${sink.total() - before} arrived, rss ${server.rssMb()} MB`);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const duplicates = [...sink.received.values()].filter((n) => n > 1).length;
    const rate = subscribers / seconds;
    process.stdout.write(
      `${JSON.stringify({
        scenario: 'newsletter-edition',
        engine: server.engine,
        messages: sink.total() - before,
        recipients: sink.received.size,
        duplicates,
        seconds: Math.round(seconds * 10) / 10,
        messagesPerSecond: Math.round(rate),
        baselineMessagesPerSecond: Math.round(baselineRate),
        ratio: Math.round((rate / baselineRate) * 100) / 100,
        rssPeakMb: rssPeak,
        deliveries: progress.progress,
      })}\n`,
    );
  } finally {
    await server?.stop();
    await sink.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
