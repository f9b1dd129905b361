/**
 * After the send: editors review held messages, and supporters say whether the company replied.
 *
 * Guarantees: reading held messages (supporters' names and words) needs `chocolate.review` and is
 * audited, by count, never by content; a decision is taken once; the "did they reply?" question goes
 * once per message, some weeks after it was sent, with a single-use link stored hashed; each message's
 * reply is recorded once and only tallied, never shown one by one.
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import { randomToken, sha256 } from '../../core/crypto.ts';
import { isLanguage } from '../../core/i18n.ts';
import { enqueueMail } from '../../core/mail-job.ts';
import { conflict, forbidden, invalid, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { SEND_JOB } from './action.ts';
import { replyQuestionMessage } from './action-mail.ts';
import type { ChocolateDeps } from './deps.ts';
import * as store from './store.ts';

export const REPLY_JOB = 'chocolate.ask-replies';
/** Weeks after a message was sent before its supporter is asked whether the company replied. */
export const ASK_AFTER_DAYS = 21;
const HELD_PAGE = 100;
const ASK_BATCH = 500;

export interface HeldRequest {
  id: string;
  name: string;
  subject: string;
  message: string;
  companies: string[];
  confirmedAt: string | null;
}

/** Requests held for review, oldest first (editors). */
export async function heldRequests(deps: ChocolateDeps, actor: UserActor): Promise<Outcome<HeldRequest[]>> {
  if (!can(actor, 'chocolate.review')) return forbidden();
  const rows = await store.heldRequests(deps.db, HELD_PAGE);
  const companies = await store.companiesByIds(deps.db, [...new Set(rows.flatMap((r) => r.company_ids))]);
  const list = await Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      name: await deps.sealer.unseal(r.name_sealed),
      subject: await deps.sealer.unseal(r.subject_sealed),
      message: await deps.sealer.unseal(r.message_sealed),
      companies: r.company_ids.map((id) => companies.find((c) => c.id === id)?.name ?? '').filter(Boolean),
      confirmedAt: r.confirmed_at ? new Date(r.confirmed_at).toISOString() : null,
    })),
  );
  if (list.length > 0) await appendAudit(deps.db, { actorId: actor.userId, action: 'chocolate.held-read', subject: null, detail: { requests: list.map((r) => r.id) } });
  return ok(list);
}

/** Sends (through the queue) or rejects a held request's messages (editors). */
export async function decideHeld(deps: ChocolateDeps, actor: UserActor, requestId: string, decision: string): Promise<Outcome<{ messages: number }>> {
  if (!can(actor, 'chocolate.review')) return forbidden();
  if (decision !== 'send' && decision !== 'reject') return invalid({ decision: 'chocolate.errors.decision' });
  if (!isUuid(requestId)) return notFound();
  return deps.db.transaction().execute(async (trx) => {
    const request = await store.findRequest(trx, requestId);
    if (!request || !request.review) return notFound();
    if (request.review !== 'held') return conflict('chocolate.errors.alreadyDecided');
    await store.reviewRequest(trx, requestId, decision === 'send' ? 'approved' : 'rejected');
    const changed = await store.setMessagesStatus(trx, requestId, 'held', decision === 'send' ? 'queued' : 'rejected');
    if (decision === 'send') for (const m of changed) await deps.jobs.enqueue(trx, SEND_JOB, { messageId: m.id });
    await appendAudit(trx, { actorId: actor.userId, action: 'chocolate.held-decided', subject: `chocolate-request:${requestId}`, detail: { decision, messages: changed.length } });
    return ok({ messages: changed.length });
  });
}

/**
 * The scheduled job: asks supporters whose message went out at least ASK_AFTER_DAYS ago whether
 * the company replied. Each message is asked about once; returns how many questions went out.
 */
export async function askForReplies(deps: ChocolateDeps, now = new Date()): Promise<number> {
  const sentBefore = new Date(now.getTime() - ASK_AFTER_DAYS * 86_400_000);
  return deps.db.transaction().execute(async (trx) => {
    const due = await store.dueForReplyQuestion(trx, sentBefore, ASK_BATCH);
    for (const m of due) {
      const token = randomToken();
      await store.setReplyToken(trx, m.id, sha256(token));
      const [name, email] = await Promise.all([deps.sealer.unseal(m.name_sealed), deps.sealer.unseal(m.email_sealed)]);
      const link = `${deps.config.publicUrl}/chocolate/replies/${token}`;
      await enqueueMail(deps.jobs, trx, replyQuestionMessage(isLanguage(m.language) ? m.language : 'en', email, { name, company: m.company_name, link }));
    }
    return due.length;
  });
}

/** The question behind a reply link. */
export async function replyQuestion(deps: ChocolateDeps, token: string): Promise<Outcome<{ company: string; companyName: string }>> {
  if (!/^[\w-]{20,100}$/.test(token)) return notFound('chocolate.errors.tokenUnknown');
  const found = await store.findByReplyToken(deps.db, sha256(token));
  if (!found) return notFound('chocolate.errors.tokenUnknown');
  if (found.reply) return conflict('chocolate.errors.replyRecorded');
  return ok({ company: found.company, companyName: found.company_name });
}

/** Records whether the company replied, once per message. */
export async function recordReply(deps: ChocolateDeps, token: string, answer: string): Promise<Outcome<{ company: string }>> {
  if (answer !== 'yes' && answer !== 'no') return invalid({ reply: 'chocolate.errors.reply' });
  if (!/^[\w-]{20,100}$/.test(token)) return notFound('chocolate.errors.tokenUnknown');
  return deps.db.transaction().execute(async (trx) => {
    const found = await store.findByReplyToken(trx, sha256(token), { forUpdate: true });
    if (!found) return notFound('chocolate.errors.tokenUnknown');
    if (found.reply) return conflict('chocolate.errors.replyRecorded');
    await store.recordReply(trx, found.id, answer);
    return ok({ company: found.company });
  });
}
