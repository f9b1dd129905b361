/**
 * Editions: written in Markdown by editors, previewed, test-sent to the editor, scheduled, and sent
 * to one or more lists. Sending makes one delivery row per recipient in the same transaction that
 * marks the edition as sending and enqueues the senders (sender.ts), so an edition is either not
 * started or fully planned. Every function authorises first (editors and administrators).
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import { translator } from '../../core/i18n.ts';
import { enqueueMail } from '../../core/mail-job.ts';
import { conflict, forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { hasControlCharacters } from './address.ts';
import { editionMessage, renderMarkdown } from './compose.ts';
import { mailDomain, prepare, type NewsletterDeps } from './deps.ts';
import { SEND_JOB, SENDERS_PER_EDITION } from './sender-names.ts';
import * as store from './store.ts';

export const SUBJECT_MAX = 200;
export const BODY_MAX = 100_000;

export interface EditionInput {
  subject?: unknown;
  body?: unknown;
  lists?: unknown;
}

async function checkEdition(deps: NewsletterDeps, input: EditionInput): Promise<Outcome<{ subject: string; body: string; lists: string[] }>> {
  const errors: FieldErrors = {};
  const subject = typeof input.subject === 'string' ? input.subject.trim() : '';
  if (subject === '') errors.subject = 'errors.required';
  else if (subject.length > SUBJECT_MAX) errors.subject = 'errors.tooLong';
  else if (hasControlCharacters(subject)) errors.subject = 'newsletter.errors.controlCharacters';
  const body = typeof input.body === 'string' ? input.body.replace(/\r\n/g, '\n') : '';
  if (body.trim() === '') errors.body = 'errors.required';
  else if (body.length > BODY_MAX) errors.body = 'errors.tooLong';
  // Tabs and new lines belong in Markdown; other control characters do not.
  else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(body)) errors.body = 'newsletter.errors.controlCharacters';
  const known = await store.listKeys(deps.db);
  const chosen = input.lists === undefined ? [] : Array.isArray(input.lists) ? input.lists : [input.lists];
  if (chosen.some((list) => typeof list !== 'string' || !known.includes(list))) errors.lists = 'newsletter.errors.unknownList';
  else if (chosen.length === 0) errors.lists = 'newsletter.errors.noList';
  if (Object.keys(errors).length > 0) return invalid(errors);
  return ok({ subject, body, lists: [...new Set(chosen as string[])] });
}

export async function createEdition(deps: NewsletterDeps, actor: UserActor, input: EditionInput): Promise<Outcome<{ id: string }>> {
  if (!can(actor, 'newsletter.edit')) return forbidden();
  const checked = await checkEdition(deps, input);
  if (!checked.ok) return checked;
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await store.insertEdition(trx, { subject: checked.value.subject, bodyMarkdown: checked.value.body, lists: checked.value.lists, createdBy: actor.userId });
    await appendAudit(trx, { actorId: actor.userId, action: 'newsletter.edition-created', subject: `edition:${id}` });
    return id;
  });
  return ok({ id });
}

async function editableEdition(deps: NewsletterDeps, actor: UserActor, id: string, permission: 'newsletter.edit' | 'newsletter.read'): Promise<Outcome<store.EditionRow>> {
  if (!can(actor, permission)) return forbidden();
  if (!isUuid(id)) return notFound();
  const edition = await store.editionById(deps.db, id);
  return edition ? ok(edition) : notFound();
}

/** Changes a draft (or a scheduled edition, which keeps its time). Sending or sent editions are final. */
export async function updateEdition(deps: NewsletterDeps, actor: UserActor, id: string, input: EditionInput): Promise<Outcome<undefined>> {
  const found = await editableEdition(deps, actor, id, 'newsletter.edit');
  if (!found.ok) return found;
  if (found.value.status === 'sending' || found.value.status === 'sent') return conflict('newsletter.errors.editionFinal');
  const checked = await checkEdition(deps, input);
  if (!checked.ok) return checked;
  await store.updateEdition(deps.db, id, { subject: checked.value.subject, bodyMarkdown: checked.value.body, lists: checked.value.lists });
  return ok(undefined);
}

export interface EditionView {
  edition: store.EditionRow;
  bodyHtml: string;
  progress: store.Progress;
  listCounts: { key: string; subscribers: number }[];
}

export async function viewEdition(deps: NewsletterDeps, actor: UserActor, id: string): Promise<Outcome<EditionView>> {
  const found = await editableEdition(deps, actor, id, 'newsletter.read');
  if (!found.ok) return found;
  const [progress, listCounts] = await Promise.all([store.progress(deps.db, id), store.listCounts(deps.db)]);
  return ok({ edition: found.value, bodyHtml: renderMarkdown(found.value.body_markdown), progress, listCounts });
}

export async function editionProgress(deps: NewsletterDeps, actor: UserActor, id: string): Promise<Outcome<{ status: store.EditionRow['status']; total: number; progress: store.Progress }>> {
  const found = await editableEdition(deps, actor, id, 'newsletter.read');
  if (!found.ok) return found;
  const progress = await store.progress(deps.db, id);
  const total = Object.values(progress).reduce((sum, n) => sum + n, 0);
  return ok({ status: found.value.status, total, progress });
}

export async function editionsOverview(deps: NewsletterDeps, actor: UserActor): Promise<Outcome<{ editions: store.EditionRow[]; listCounts: { key: string; subscribers: number }[] }>> {
  if (!can(actor, 'newsletter.read')) return forbidden();
  const [editions, listCounts] = await Promise.all([store.listEditions(deps.db), store.listCounts(deps.db)]);
  return ok({ editions, listCounts });
}

/** Sends the edition, marked as a test, to the editor's own address only. */
export async function testSend(base: NewsletterDeps, actor: UserActor, id: string): Promise<Outcome<{ to: string }>> {
  const found = await editableEdition(base, actor, id, 'newsletter.edit');
  if (!found.ok) return found;
  const deps = prepare(base);
  const edition = found.value;
  const manage = `${deps.config.publicUrl}/newsletter/manage`;
  const message = editionMessage(
    translator(actor.language),
    actor.email,
    { editionId: edition.id, subject: edition.subject, bodyMarkdown: edition.body_markdown, bodyHtml: renderMarkdown(edition.body_markdown) },
    { preferences: manage, unsubscribe: manage, mailto: `mailto:unsubscribe@${mailDomain(deps.config)}` },
    { test: true, listId: `CAST newsletter <${edition.lists.join('.')}.newsletter.${mailDomain(deps.config)}>` },
  );
  await enqueueMail(deps.jobs, deps.db, message);
  return ok({ to: actor.email });
}

/** Sets the time a draft goes out; the minute job starts it then. */
export async function scheduleEdition(deps: NewsletterDeps, actor: UserActor, id: string, at: unknown): Promise<Outcome<{ scheduledFor: string }>> {
  const found = await editableEdition(deps, actor, id, 'newsletter.edit');
  if (!found.ok) return found;
  if (found.value.status === 'sending' || found.value.status === 'sent') return conflict('newsletter.errors.editionFinal');
  const when = typeof at === 'string' && at.trim() !== '' ? new Date(at.trim().length === 16 ? `${at.trim()}:00Z` : at.trim()) : undefined;
  if (!when || Number.isNaN(when.getTime())) return invalid({ at: 'newsletter.errors.badTime' });
  if (when.getTime() < Date.now() - 60_000) return invalid({ at: 'newsletter.errors.pastTime' });
  await deps.db.transaction().execute(async (trx) => {
    await store.updateEdition(trx, id, { status: 'scheduled', scheduledFor: when });
    await appendAudit(trx, { actorId: actor.userId, action: 'newsletter.edition-scheduled', subject: `edition:${id}`, detail: { at: when.toISOString() } });
  });
  return ok({ scheduledFor: when.toISOString() });
}

export async function sendEdition(deps: NewsletterDeps, actor: UserActor, id: string): Promise<Outcome<{ recipients: number }>> {
  const found = await editableEdition(deps, actor, id, 'newsletter.edit');
  if (!found.ok) return found;
  return startSending(deps, id, actor.userId);
}

/**
 * Plans the sending: one delivery row per recipient, the edition marked as sending and the senders
 * enqueued, all in one transaction. Locks the edition row, so a double click or the scheduler and an
 * editor at the same moment start it once.
 */
export async function startSending(deps: NewsletterDeps, id: string, actorId: string | null): Promise<Outcome<{ recipients: number }>> {
  return deps.db.transaction().execute(async (trx) => {
    const edition = await store.editionById(trx, id, { forUpdate: true });
    if (!edition) return notFound();
    if (edition.status === 'sending' || edition.status === 'sent') return conflict('newsletter.errors.alreadySent');
    const recipients = await store.createDeliveries(trx, id, edition.lists);
    await store.updateEdition(trx, id, { status: 'sending', sendStartedAt: new Date() });
    for (let i = 0; i < SENDERS_PER_EDITION; i += 1) await deps.jobs.enqueue(trx, SEND_JOB, { editionId: id });
    await appendAudit(trx, { actorId, action: 'newsletter.edition-sending', subject: `edition:${id}`, detail: { recipients } });
    return ok({ recipients });
  });
}
