/**
 * The chocolate action e-mail: a supporter writes to chosen companies; nothing is sent before they
 * confirm from the e-mail we send them; one message per supporter per company per campaign.
 *
 * Guarantees: the confirmation token is stored hashed and works once, within 48 hours; name, address
 * and words are sealed at rest and the address is matched only by its keyed hash (normalised, so
 * dots and +tags in a Gmail address do not make a second supporter); a message near-identical to
 * many earlier ones (MinHash similarity ≥ 0.5, found through indexed LSH bands) is held for an
 * editor instead of sent; sending happens in the job queue, throttled per company, after commit; the
 * supporter gets a copy of each message sent. Nothing on a page says whether an address was used
 * before (a repeated message is only explained to whoever holds the confirmation link).
 */
import { hmac, randomToken, sha256 } from '../../core/crypto.ts';
import { isLanguage, type Language } from '../../core/i18n.ts';
import { enqueueMail, enqueueMails } from '../../core/mail-job.ts';
import { conflict, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { hit, valueKey } from '../../core/throttle.ts';
import { parseEmailAddress, personKey, type EmailAddress } from '../../core/email-address.ts';
import { isUuid } from '../../core/validation.ts';
import { companyMessage, confirmMessage, copyMessage } from './action-mail.ts';
import type { ChocolateDeps } from './deps.ts';
import { bands, signature, similarity, SIMILARITY_THRESHOLD } from './similarity.ts';
import { isSlug } from './scorecard.ts';
import * as store from './store.ts';

export const SEND_JOB = 'chocolate.send';
export const CONFIRM_TTL_HOURS = 48;
export const MAX_COMPANIES = 20;
export const MIN_MESSAGE = 20;
export const MAX_MESSAGE = 5000;
/** Starts per address per hour beyond which no more confirmation e-mails go out (silently: the page never tells). */
const STARTS_PER_ADDRESS_PER_HOUR = 5;
/** Messages one company's inbox receives per minute at most; the rest wait in the queue. */
export const SENDS_PER_COMPANY_PER_MINUTE = 60;
/**
 * Earlier requests read per shared band, at most. The check only has to tell whether at least
 * `chocolateHoldAfter` earlier messages are near-identical, so a popular text (thousands of copies)
 * costs a bounded number of index entries instead of one per copy.
 */
const perBand = (holdAfter: number) => Math.max(40, holdAfter * 2);

/** Supporters are told apart by the person behind the address (core/email-address.ts), never stored in clear. */
const emailHash = (deps: ChocolateDeps, address: EmailAddress) => hmac(deps.keys.blindIndex, `chocolate-supporter|${personKey(address)}`);

export interface StartInput {
  campaign?: string | undefined;
  companies: readonly string[];
  name: string;
  email: string;
  subject: string;
  message: string;
  language?: string | undefined;
}

export interface ActionForm {
  campaign: store.CampaignRow;
  companies: { slug: string; name: string; country: string; suggested: boolean }[];
}

/** What the action form offers: the campaign, its suggested text, and the companies that can be written to. */
export async function actionForm(deps: ChocolateDeps, campaignSlug?: string): Promise<Outcome<ActionForm>> {
  const campaign = campaignSlug ? (isSlug(campaignSlug) ? await store.findCampaign(deps.db, campaignSlug) : undefined) : await store.activeCampaign(deps.db);
  if (!campaign || !campaign.active) return notFound('chocolate.errors.noCampaign');
  const companies = (await store.listCompanies(deps.db)).filter((c) => c.contact_email);
  return ok({ campaign, companies: companies.map((c) => ({ slug: c.slug, name: c.name, country: c.country, suggested: c.suggested })) });
}

/** Takes the supporter's message and sends them the confirmation e-mail. Nothing goes to a company yet. */
export async function startActionEmail(deps: ChocolateDeps, input: StartInput): Promise<Outcome<{ status: 'confirmation-sent' }>> {
  const campaign = input.campaign ? (isSlug(input.campaign) ? await store.findCampaign(deps.db, input.campaign) : undefined) : await store.activeCampaign(deps.db);
  if (!campaign || !campaign.active) return input.campaign ? invalid({ campaign: 'chocolate.errors.campaign' }) : notFound('chocolate.errors.noCampaign');
  const errors: FieldErrors = {};
  const slugs = [...new Set(input.companies)];
  // Only the chosen companies are read (not every company on the scorecard).
  const chosen = slugs.length === 0 || slugs.length > MAX_COMPANIES ? [] : await store.writableCompaniesBySlugs(deps.db, slugs.filter(isSlug));
  if (slugs.length === 0) errors.companies = 'chocolate.errors.companiesNone';
  else if (slugs.length > MAX_COMPANIES) errors.companies = 'chocolate.errors.companiesTooMany';
  else if (chosen.length !== slugs.length) errors.companies = 'chocolate.errors.companiesUnknown';
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) errors.name = 'chocolate.errors.supporterName';
  const address = parseEmailAddress(input.email);
  // "+tag@…" alone names nobody: every such address would be one supporter.
  if (!address.ok || personKey(address.value).startsWith('@')) errors.email = 'errors.email';
  const subject = input.subject.trim();
  if (subject.length < 1 || subject.length > 200) errors.subject = 'chocolate.errors.subject';
  const message = input.message.trim();
  if (message.length < MIN_MESSAGE || message.length > MAX_MESSAGE) errors.message = 'chocolate.errors.message';
  if (Object.keys(errors).length > 0 || !address.ok) return invalid(errors);

  const email = address.value.deliverable;
  const hash = emailHash(deps, address.value);
  const throttleKey = valueKey(deps.keys.throttle, 'chocolate-start', hash.toString('base64url'));
  if ((await hit(deps.db, throttleKey, 3_600_000)).hits > STARTS_PER_ADDRESS_PER_HOUR) return ok({ status: 'confirmation-sent' });

  const language: Language = isLanguage(input.language) ? input.language : 'en';
  const token = randomToken();
  const companies = chosen;
  await deps.db.transaction().execute(async (trx) => {
    await store.insertRequest(trx, {
      campaignId: campaign.id,
      emailHash: hash,
      nameSealed: deps.sealer.seal(name),
      emailSealed: deps.sealer.seal(email),
      subjectSealed: deps.sealer.seal(subject),
      messageSealed: deps.sealer.seal(message),
      companyIds: companies.map((c) => c.id),
      language,
      tokenHash: sha256(token),
      signature: signature(message),
      expiresAt: new Date(Date.now() + CONFIRM_TTL_HOURS * 3_600_000),
    });
    const link = `${deps.config.publicUrl}/chocolate/action/confirm/${token}`;
    await enqueueMail(deps.jobs, trx, confirmMessage(language, email, { name, companies: companies.map((c) => c.name), link, hours: CONFIRM_TTL_HOURS }));
  });
  return ok({ status: 'confirmation-sent' });
}

export interface PendingAction {
  campaign: string;
  companies: string[];
  subject: string;
  message: string;
}

/** What a confirmation link would send, for the page that asks the supporter to confirm. */
export async function pendingAction(deps: ChocolateDeps, token: string): Promise<Outcome<PendingAction>> {
  const request = await usableRequest(deps, token);
  if (!request.ok) return request;
  const [companies, subject, message] = await Promise.all([store.companiesByIds(deps.db, request.value.company_ids), deps.sealer.unseal(request.value.subject_sealed), deps.sealer.unseal(request.value.message_sealed)]);
  return ok({ campaign: request.value.campaign_id, companies: companies.map((c) => c.name), subject, message });
}

async function usableRequest(deps: ChocolateDeps, token: string, db = deps.db, forUpdate = false): Promise<Outcome<store.RequestRow>> {
  if (!/^[\w-]{20,100}$/.test(token)) return notFound('chocolate.errors.tokenUnknown');
  const request = await store.findRequestByToken(db, sha256(token), { forUpdate });
  if (!request) return notFound('chocolate.errors.tokenUnknown');
  if (request.confirmed_at) return conflict('chocolate.errors.tokenUsed');
  if (new Date(request.expires_at).getTime() < Date.now()) return conflict('chocolate.errors.tokenExpired');
  return ok(request);
}

export interface Confirmed {
  /** Companies whose message is on its way. */
  queued: string[];
  /** Companies whose message waits for an editor (near-identical to many earlier messages). */
  held: string[];
  /** Companies this supporter had already written to in this campaign. */
  alreadySent: string[];
}

/** Confirms a request: its messages are queued (or held for review), one per company not written to before. */
export async function confirmActionEmail(deps: ChocolateDeps, token: string): Promise<Outcome<Confirmed>> {
  const first = await usableRequest(deps, token);
  if (!first.ok) return first;
  // Similar earlier messages, found before the transaction so it stays short.
  const own = first.value.signature;
  const ownBands = bands(own);
  const candidates = await store.bandCandidates(deps.db, first.value.campaign_id, ownBands, perBand(deps.config.chocolateHoldAfter));
  const similar = candidates.filter((c) => c.request_id !== first.value.id && similarity(own, c.signature) >= SIMILARITY_THRESHOLD).length;
  const held = similar >= deps.config.chocolateHoldAfter;

  return deps.db.transaction().execute(async (trx) => {
    const again = await usableRequest(deps, token, trx, true);
    if (!again.ok) return again;
    const request = again.value;
    await store.confirmRequest(trx, request.id, held);
    await store.insertBands(trx, request.campaign_id, request.id, ownBands);
    const inserted = await store.insertMessages(trx, request.id, request.campaign_id, request.email_hash, request.company_ids, held ? 'held' : 'queued');
    if (!held) await deps.jobs.enqueueMany(trx, SEND_JOB, inserted.map((m) => ({ messageId: m.id })));
    const companies = await store.companiesByIds(trx, request.company_ids);
    const nameOf = (id: string) => companies.find((c) => c.id === id)?.name ?? '';
    const written = new Set(inserted.map((m) => m.company_id));
    const fresh = inserted.map((m) => nameOf(m.company_id));
    return ok({
      queued: held ? [] : fresh,
      held: held ? fresh : [],
      alreadySent: request.company_ids.filter((id) => !written.has(id)).map(nameOf),
    });
  });
}

/**
 * The send job: one message to one company, then a copy to the supporter. A company that has had
 * its share this minute gets the message later (the job comes back when the minute is over).
 */
export async function sendActionMessage(deps: ChocolateDeps, messageId: string): Promise<void> {
  if (!isUuid(messageId)) return;
  const first = await store.messageForSending(deps.db, messageId);
  if (!first || first.status !== 'queued' || !first.contact_email) return;
  // Counted before the transaction: on PGlite, a statement outside an open transaction would wait for it.
  const window = await hit(deps.db, `chocolate-send:${first.company_id}`, 60_000);
  if (window.hits > SENDS_PER_COMPANY_PER_MINUTE) {
    await deps.jobs.enqueue(deps.db, SEND_JOB, { messageId }, { startAfterSeconds: Math.ceil(window.resetInMs / 1000) + 1 });
    return;
  }
  const [name, email, subject, message] = await Promise.all([deps.sealer.unseal(first.name_sealed), deps.sealer.unseal(first.email_sealed), deps.sealer.unseal(first.subject_sealed), deps.sealer.unseal(first.message_sealed)]);
  const language: Language = isLanguage(first.language) ? first.language : 'en';
  await deps.db.transaction().execute(async (trx) => {
    // Locked and checked again: a retried or duplicated job never sends twice.
    const m = await store.messageForSending(trx, messageId);
    if (!m || m.status !== 'queued' || !m.contact_email) return;
    await enqueueMails(deps.jobs, trx, [companyMessage(m.contact_email, { subject, message, name, replyTo: email }), copyMessage(language, email, { company: m.company_name, subject, message, name })]);
    await store.markSent(trx, messageId);
  });
}

export interface ActionTotals {
  campaign: { slug: string; title: string; deadline: string };
  sent: number;
  companies: { slug: string; name: string; sent: number; queued: number; replies: { yes: number; no: number } }[];
}

/** Messages sent per company for a campaign (the active one by default), and the replies supporters reported. Public. */
export async function actionTotals(deps: ChocolateDeps, campaignSlug?: string): Promise<Outcome<ActionTotals>> {
  if (campaignSlug !== undefined && !isSlug(campaignSlug)) return invalid({ campaign: 'chocolate.errors.campaign' });
  const campaign = campaignSlug ? await store.findCampaign(deps.db, campaignSlug) : await store.activeCampaign(deps.db);
  if (!campaign) return notFound('chocolate.errors.noCampaign');
  const rows = await store.totals(deps.db, campaign.id);
  return ok({
    campaign: { slug: campaign.slug, title: campaign.title, deadline: campaign.deadline },
    sent: rows.reduce((sum, r) => sum + r.sent, 0),
    companies: rows.map((r) => ({ slug: r.slug, name: r.name, sent: r.sent, queued: r.queued, replies: { yes: r.replied_yes, no: r.replied_no } })),
  });
}
