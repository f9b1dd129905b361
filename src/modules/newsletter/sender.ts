/**
 * Sends editions: background jobs that claim a batch of delivery rows, send each message at a
 * throttled rate and mark each row sent as soon as the mail server has accepted it, then hand over
 * to the next job. Any number of processes may run them side by side: a row is claimed by exactly
 * one sender (store.claimDeliveries), and a claim that outlives its sender is never sent again.
 * So a restart, graceful or not, resumes where sending stopped and nobody gets an edition twice.
 * A minute job starts scheduled editions, expires stale claims and ends finished editions.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { appendAudit } from '../../core/audit.ts';
import { naturalBatches } from '../../core/batching.ts';
import { isLanguage, translator, type Language, type Translate } from '../../core/i18n.ts';
import type { Jobs } from '../../core/jobs.ts';
import type { Mailer } from '../../core/mail.ts';
import { checkAddress } from './address.ts';
import { editionMessage, renderMarkdown, type EditionContent } from './compose.ts';
import { mailDomain, prepare, type NewsletterDeps, type Prepared } from './deps.ts';
import { startSending } from './editions.ts';
import { subscriberToken } from './links.ts';
import { SEND_JOB, TICK_JOB } from './sender-names.ts';
import * as store from './store.ts';
import type { DeliveryStatus } from './tables.ts';

export interface SenderDeps extends NewsletterDeps {
  mailer: Mailer;
  /** Messages per second this process sends at most (the throttle). */
  ratePerSecond: number;
}

/** A claim older than this belongs to a sender that died mid-batch (a batch takes seconds). */
export const CLAIM_LEASE_SECONDS = 600;
const MAX_ATTEMPTS = 3;
/** Messages handed to the mail server at once; the pooled transport spreads them over its connections. */
const IN_FLIGHT = 30;

interface Sender extends Prepared {
  mailer: Mailer;
  ratePerSecond: number;
  worker: string;
  translators: Map<Language, Translate>;
}

export function defineNewsletterJobs(jobs: Jobs, base: SenderDeps): void {
  const sender: Sender = {
    ...prepare(base),
    mailer: base.mailer,
    ratePerSecond: base.ratePerSecond,
    // Names this process in the claims it makes; never an address.
    worker: `${os.hostname().slice(0, 40)}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`,
    translators: new Map(),
  };
  // One batch at a time per process: the throttle is per process; other processes take the next batch.
  jobs.define<{ editionId: string }>(SEND_JOB, async (data) => {
    await sendBatch(sender, data.editionId);
  }, { retryLimit: 5, retryDelaySeconds: 5, concurrency: 1, deleteAfterSeconds: 3600 });
  jobs.define(TICK_JOB, () => tick(sender), { retryLimit: 0, deleteAfterSeconds: 3600 });
}

export async function scheduleNewsletterJobs(jobs: Jobs): Promise<void> {
  await jobs.schedule(TICK_JOB, '* * * * *');
}

const translate = (sender: Sender, language: string): Translate => {
  const lang: Language = isLanguage(language) ? language : 'en';
  let t = sender.translators.get(lang);
  if (!t) sender.translators.set(lang, (t = translator(lang)));
  return t;
};

/** Records outcomes in batches: a message's row is marked right after it went, several rows per statement under load. */
function marker(sender: Sender, editionId: string) {
  const write = naturalBatches<{ id: string; status: DeliveryStatus | 'retry'; done: () => void; fail: (error: unknown) => void }>(async (batch) => {
    try {
      for (const status of ['sent', 'failed', 'retry'] as const) {
        const ids = batch.filter((item) => item.status === status).map((item) => item.id);
        if (status === 'retry') await store.releaseDeliveries(sender.db, editionId, sender.worker, ids, MAX_ATTEMPTS);
        else await store.markDeliveries(sender.db, editionId, sender.worker, ids, status);
      }
      batch.forEach((item) => item.done());
    } catch (error) {
      batch.forEach((item) => item.fail(error));
    }
  });
  return (id: string, status: DeliveryStatus | 'retry') => new Promise<void>((done, fail) => write({ id, status, done, fail }));
}

async function inPool<T>(items: T[], width: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await run(items[index]!, index);
    }
  });
  await Promise.all(lanes);
}

/** A rejection by the mail server for this recipient for good (5xx); anything else may pass on a retry. */
const isPermanent = (error: unknown) => {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

/** One sender job: claim a batch, send it at the throttled rate, mark it, then hand over. */
export async function sendBatch(sender: Sender, editionId: string): Promise<{ sent: number }> {
  const edition = await store.editionById(sender.db, editionId);
  if (!edition || edition.status !== 'sending') return { sent: 0 };
  const batchSize = Math.max(20, Math.min(2000, Math.round(sender.ratePerSecond * 2)));
  const claimed = await store.claimDeliveries(sender.db, editionId, sender.worker, batchSize);
  if (claimed.length === 0) {
    await finish(sender, editionId);
    return { sent: 0 };
  }
  // A full batch: there may be more. The successor job is queued before this batch is sent, so a
  // process that is free (each runs one batch at a time) claims the next batch while this one goes
  // out: N processes send at N times the rate, and a sender that dies mid-batch does not stall the
  // edition until the minute tick.
  if (claimed.length === batchSize) await sender.jobs.enqueue(sender.db, SEND_JOB, { editionId });
  const rows = await store.recipients(sender.db, claimed, edition.lists);
  const wanted = rows.filter((row) => row.wanted);
  const wantedIds = new Set(wanted.map((row) => row.id));
  // Unsubscribed, suppressed or erased since the edition was planned.
  await store.markDeliveries(sender.db, editionId, sender.worker, claimed.filter((id) => !wantedIds.has(id)), 'skipped');

  const domain = mailDomain(sender.config);
  const content: EditionContent = { editionId, subject: edition.subject, bodyMarkdown: edition.body_markdown, bodyHtml: renderMarkdown(edition.body_markdown) };
  const listId = `CAST newsletter <${edition.lists.join('.')}.newsletter.${domain}>`;
  const record = marker(sender, editionId);
  // A lane goes on to its next message while the outcome is written: waiting for each write would
  // tie the sending rate to database latency. Every outcome is written before the batch ends.
  const writes: Promise<void>[] = [];
  const mark = (id: string, status: DeliveryStatus | 'retry') => {
    const written = record(id, status);
    // Awaited with the others once the batch is sent. A write that fails before then (the database
    // restarting mid-batch) must not be an unhandled rejection, which ends the whole process; the job
    // still fails at Promise.all below and its unmarked claims are never sent again (decision 0014).
    written.catch(() => {});
    writes.push(written);
  };
  const started = Date.now();
  let sent = 0;
  await inPool(wanted, IN_FLIGHT, async (row, index) => {
    const due = started + (index * 1000) / sender.ratePerSecond;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const address = checkAddress(await sender.sealer.unseal(row.email_sealed));
    if (!address.ok) return mark(row.id, 'failed');
    const unsubscribeToken = subscriberToken(sender.links, 'unsubscribe', row.id, row.link_version);
    const links = {
      preferences: `${sender.config.publicUrl}/newsletter/preferences/${subscriberToken(sender.links, 'preferences', row.id, row.link_version)}`,
      unsubscribe: `${sender.config.publicUrl}/newsletter/unsubscribe/${unsubscribeToken}`,
      mailto: `mailto:unsubscribe@${domain}?subject=unsubscribe%20${unsubscribeToken}`,
    };
    const message = editionMessage(translate(sender, row.language), address.ascii, content, links, { listId });
    try {
      await sender.mailer.send(message);
    } catch (error) {
      return mark(row.id, isPermanent(error) ? 'failed' : 'retry');
    }
    sent += 1;
    return mark(row.id, 'sent');
  });
  await Promise.all(writes);
  // Messages released for a retry go out in a later batch (a spare job claims nothing and stops);
  // whichever batch ends last ends the edition.
  if (await store.hasPending(sender.db, editionId)) await sender.jobs.enqueue(sender.db, SEND_JOB, { editionId }, { startAfterSeconds: 1 });
  else await finish(sender, editionId);
  return { sent };
}

async function finish(sender: Sender, editionId: string): Promise<void> {
  await sender.db.transaction().execute(async (trx) => {
    if (await store.finishEdition(trx, editionId)) await appendAudit(trx, { actorId: null, action: 'newsletter.edition-sent', subject: `edition:${editionId}` });
  });
}

/** Every minute: start what is due, give up on claims of dead senders, keep sending going, end what is done. */
export async function tick(sender: Sender): Promise<void> {
  for (const id of await store.dueEditions(sender.db, new Date())) await startSending(sender, id, null);
  for (const id of await store.sendingEditions(sender.db)) {
    await store.expireStaleClaims(sender.db, id, CLAIM_LEASE_SECONDS);
    if (await store.hasPending(sender.db, id)) await sender.jobs.enqueue(sender.db, SEND_JOB, { editionId: id });
    else await finish(sender, id);
  }
}
