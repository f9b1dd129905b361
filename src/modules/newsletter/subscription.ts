/**
 * Signing up and everything a subscriber does for themselves: confirm (double opt-in), change their
 * lists and language in the preference centre, unsubscribe with one click, export and erase their
 * data. Subscribers have no account: a signed link is their key. Nothing is stored before the
 * owner of an address confirms it (see links.ts), and a confirmation followed twice counts once.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import { isLanguage, translator, type Language } from '../../core/i18n.ts';
import { enqueueMail } from '../../core/mail-job.ts';
import { invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { hit, valueKey } from '../../core/throttle.ts';
import { checkAddress, hasControlCharacters } from './address.ts';
import { confirmationMessage, manageLinkMessage } from './compose.ts';
import { prepare, type NewsletterDeps, type Prepared } from './deps.ts';
import { confirmationToken, readConfirmationToken, readSubscriberToken, subscriberToken, type LinkPurpose } from './links.ts';
import * as store from './store.ts';

/** The keys of the newsletter's lists, for forms and the API (public: the lists are the same for everyone). */
export function listKeys(deps: Pick<NewsletterDeps, 'db'>): Promise<string[]> {
  return store.listKeys(deps.db);
}

export const NAME_MAX = 200;
/** Confirmation mails one address may be sent per hour: enough for a person, too few to pester someone. */
const SIGN_UPS_PER_HOUR = 5;

export interface SignUpInput {
  email?: unknown;
  name?: unknown;
  lists?: unknown;
  language?: unknown;
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function checkName(value: unknown, errors: FieldErrors): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') {
    errors.name = 'errors.invalid';
    return null;
  }
  const name = value.trim();
  if (hasControlCharacters(name)) errors.name = 'newsletter.errors.controlCharacters';
  else if (name.length > NAME_MAX) errors.name = 'newsletter.errors.nameTooLong';
  return name === '' ? null : name;
}

async function checkLists(deps: Prepared, value: unknown, errors: FieldErrors, options: { allowNone: boolean }): Promise<string[]> {
  const known = await store.listKeys(deps.db);
  const chosen = asList(value);
  if (chosen.some((list) => typeof list !== 'string' || !known.includes(list))) errors.lists = 'newsletter.errors.unknownList';
  else if (chosen.length === 0 && !options.allowNone) errors.lists = 'newsletter.errors.noList';
  return [...new Set(chosen as string[])].filter((list) => known.includes(list));
}

export function linkFor(deps: Prepared, purpose: LinkPurpose, subscriberId: string, version: number): string {
  const path = purpose === 'preferences' ? 'preferences' : 'unsubscribe';
  return `${deps.config.publicUrl}/newsletter/${path}/${subscriberToken(deps.links, purpose, subscriberId, version)}`;
}

/**
 * Starts a double opt-in: checks the sign-up and e-mails a confirmation link (enqueued in `db`, which
 * may be the caller's transaction). Nothing else is stored. The answer is the same whether or not the
 * address is already subscribed, so the form tells nobody who reads this newsletter.
 */
export async function requestSubscription(base: NewsletterDeps, db: Kysely<Tables>, input: SignUpInput): Promise<Outcome<{ email: string }>> {
  const deps = prepare(base);
  const errors: FieldErrors = {};
  const address = typeof input.email === 'string' ? checkAddress(input.email) : { ok: false as const, error: input.email === undefined ? 'errors.required' : 'errors.invalid' };
  if (!address.ok) errors.email = address.error;
  const name = checkName(input.name, errors);
  const lists = await checkLists(deps, input.lists ?? ['general'], errors, { allowNone: false });
  const language: Language = input.language === undefined ? 'en' : isLanguage(input.language) ? input.language : ((errors.language = 'errors.choice'), 'en');
  if (Object.keys(errors).length > 0 || !address.ok) return invalid(errors);

  const { hits } = await hit(db, valueKey(deps.keys.throttle, 'newsletter-sign-up', address.address), 3_600_000);
  if (hits <= SIGN_UPS_PER_HOUR) {
    const token = confirmationToken(deps.links, { email: address.address, name, lists, language });
    const t = translator(language);
    await enqueueMail(deps.jobs, db, confirmationMessage(t, address.ascii, `${deps.config.publicUrl}/newsletter/confirm?t=${token}`, lists));
  }
  return ok({ email: address.address });
}

export type ConfirmResult = { status: 'confirmed' | 'already-confirmed'; preferencesLink: string; lists: string[] };

/** Follows a confirmation link: creates the subscriber (once) and adds the lists. A second click changes nothing. */
export async function confirmSubscription(base: NewsletterDeps, token: string): Promise<Outcome<ConfirmResult>> {
  const deps = prepare(base);
  const read = readConfirmationToken(deps.links, token);
  if (!read.ok) return notFound(read.problem === 'expired' ? 'newsletter.errors.confirmExpired' : 'newsletter.errors.confirmInvalid');
  const signUp = read.value;
  const address = checkAddress(signUp.email);
  if (!address.ok) return notFound('newsletter.errors.confirmInvalid');
  const emailHash = deps.emailHash(address.address);
  return deps.db.transaction().execute(async (trx) => {
    const subscriber = await store.upsertSubscriber(trx, {
      emailHash,
      emailSealed: deps.sealer.seal(address.address),
      nameSealed: signUp.name ? deps.sealer.seal(signUp.name) : null,
      language: signUp.language,
    });
    const known = await store.listKeys(trx);
    const added = await store.addSubscriptions(trx, subscriber.id, signUp.lists.filter((list) => known.includes(list)));
    const changed = subscriber.created || added.length > 0;
    if (changed) {
      // Following the link proves the address works and that its owner asked again.
      await store.liftSuppression(trx, emailHash);
      await appendAudit(trx, { actorId: null, action: 'newsletter.subscribed', subject: `subscriber:${subscriber.id}`, detail: { lists: added } });
    }
    const lists = (await store.subscribedLists(trx, subscriber.id)).map((row) => row.list_key);
    return ok({ status: changed ? 'confirmed' : 'already-confirmed', preferencesLink: linkFor(deps, 'preferences', subscriber.id, subscriber.linkVersion), lists });
  });
}

async function subscriberFromLink(deps: Prepared, purpose: LinkPurpose, token: string): Promise<Outcome<store.SubscriberRow>> {
  const read = readSubscriberToken(deps.links, purpose, token);
  if (!read.ok) return notFound(read.problem === 'expired' ? 'newsletter.errors.linkExpired' : 'newsletter.errors.linkInvalid');
  const subscriber = await store.subscriberById(deps.db, read.value.subscriberId);
  // Erased, or the link was revoked by raising the version.
  if (!subscriber || subscriber.link_version !== read.value.version) return notFound('newsletter.errors.linkInvalid');
  return ok(subscriber);
}

export interface Preferences {
  subscriberId: string;
  email: string;
  name: string | null;
  language: Language;
  lists: string[];
  allLists: string[];
  unsubscribeLink: string;
}

export async function preferences(base: NewsletterDeps, token: string): Promise<Outcome<Preferences>> {
  const deps = prepare(base);
  const found = await subscriberFromLink(deps, 'preferences', token);
  if (!found.ok) return found;
  const s = found.value;
  const [lists, allLists] = await Promise.all([store.subscribedLists(deps.db, s.id), store.listKeys(deps.db)]);
  return ok({
    subscriberId: s.id,
    email: await deps.sealer.unseal(s.email_sealed),
    name: s.name_sealed ? await deps.sealer.unseal(s.name_sealed) : null,
    language: isLanguage(s.language) ? s.language : 'en',
    lists: lists.map((row) => row.list_key),
    allLists,
    unsubscribeLink: linkFor(deps, 'unsubscribe', s.id, s.link_version),
  });
}

export async function updatePreferences(base: NewsletterDeps, token: string, input: { lists?: unknown; language?: unknown; name?: unknown }): Promise<Outcome<{ lists: string[] }>> {
  const deps = prepare(base);
  const found = await subscriberFromLink(deps, 'preferences', token);
  if (!found.ok) return found;
  const errors: FieldErrors = {};
  const lists = await checkLists(deps, input.lists, errors, { allowNone: true });
  const name = input.name === undefined ? undefined : checkName(input.name, errors);
  if (input.language !== undefined && !isLanguage(input.language)) errors.language = 'errors.choice';
  if (Object.keys(errors).length > 0) return invalid(errors);
  const id = found.value.id;
  await deps.db.transaction().execute(async (trx) => {
    await store.setSubscriptions(trx, id, lists);
    await store.updateSubscriber(trx, id, {
      ...(isLanguage(input.language) ? { language: input.language } : {}),
      ...(name !== undefined ? { nameSealed: name ? deps.sealer.seal(name) : null } : {}),
    });
    await appendAudit(trx, { actorId: null, action: 'newsletter.preferences-changed', subject: `subscriber:${id}`, detail: { lists } });
  });
  return ok({ lists });
}

/** RFC 8058 one-click: leaves every list at once, no sign-in, no second step. Idempotent. */
export async function unsubscribe(base: NewsletterDeps, token: string, purpose: LinkPurpose = 'unsubscribe'): Promise<Outcome<{ removed: number }>> {
  const deps = prepare(base);
  const found = await subscriberFromLink(deps, purpose, token);
  if (!found.ok) return found;
  const id = found.value.id;
  const removed = await deps.db.transaction().execute(async (trx) => {
    const count = await store.removeAllSubscriptions(trx, id);
    if (count > 0) await appendAudit(trx, { actorId: null, action: 'newsletter.unsubscribed', subject: `subscriber:${id}` });
    return count;
  });
  return ok({ removed });
}

/** Checks an unsubscribe link without using it (the page a browser sees first). */
export async function checkUnsubscribeLink(base: NewsletterDeps, token: string): Promise<Outcome<{ subscribed: boolean }>> {
  const deps = prepare(base);
  const found = await subscriberFromLink(deps, 'unsubscribe', token);
  if (!found.ok) return found;
  return ok({ subscribed: (await store.subscribedLists(deps.db, found.value.id)).length > 0 });
}

export interface DataExport {
  email: string;
  name: string | null;
  language: string;
  confirmedAt: string;
  lists: { list: string; subscribedAt: string }[];
  editionsReceived: { subject: string; status: string; sentAt: string | null }[];
}

/** Everything kept about the subscriber, for them. The read is audited. */
export async function exportData(base: NewsletterDeps, token: string): Promise<Outcome<DataExport>> {
  const deps = prepare(base);
  const found = await subscriberFromLink(deps, 'preferences', token);
  if (!found.ok) return found;
  const s = found.value;
  const [lists, deliveries] = await Promise.all([store.subscribedLists(deps.db, s.id), store.deliveriesOf(deps.db, s.id)]);
  await appendAudit(deps.db, { actorId: null, action: 'newsletter.data-exported', subject: `subscriber:${s.id}` });
  return ok({
    email: await deps.sealer.unseal(s.email_sealed),
    name: s.name_sealed ? await deps.sealer.unseal(s.name_sealed) : null,
    language: s.language,
    confirmedAt: new Date(s.confirmed_at).toISOString(),
    lists: lists.map((row) => ({ list: row.list_key, subscribedAt: new Date(row.subscribed_at).toISOString() })),
    editionsReceived: deliveries.map((row) => ({ subject: row.subject, status: row.status, sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null })),
  });
}

/** Deletes the subscriber, their lists and their delivery rows. Suppressions (by keyed hash only) stay. */
export async function eraseData(base: NewsletterDeps, token: string): Promise<Outcome<undefined>> {
  const deps = prepare(base);
  const found = await subscriberFromLink(deps, 'preferences', token);
  if (!found.ok) return found;
  const id = found.value.id;
  await deps.db.transaction().execute(async (trx) => {
    await store.deleteSubscriber(trx, id);
    await appendAudit(trx, { actorId: null, action: 'newsletter.erased', subject: `subscriber:${id}` });
  });
  return ok(undefined);
}

/** Mails a fresh preference link to a subscriber who lost theirs. Same answer whether or not the address is subscribed. */
export async function requestManageLink(base: NewsletterDeps, input: { email?: unknown }): Promise<Outcome<undefined>> {
  const deps = prepare(base);
  const address = typeof input.email === 'string' ? checkAddress(input.email) : { ok: false as const, error: 'errors.required' };
  if (!address.ok) return invalid({ email: address.error });
  const { hits } = await hit(deps.db, valueKey(deps.keys.throttle, 'newsletter-manage', address.address), 3_600_000);
  if (hits > SIGN_UPS_PER_HOUR) return ok(undefined);
  const subscriber = await store.subscriberByHash(deps.db, deps.emailHash(address.address));
  if (subscriber) {
    const t = translator(isLanguage(subscriber.language) ? subscriber.language : 'en');
    await enqueueMail(deps.jobs, deps.db, manageLinkMessage(t, address.ascii, linkFor(deps, 'preferences', subscriber.id, subscriber.link_version)));
  }
  return ok(undefined);
}

/** Revokes every preference and unsubscribe link given out so far, and mails a new preference link. */
export async function revokeLinks(base: NewsletterDeps, token: string): Promise<Outcome<undefined>> {
  const deps = prepare(base);
  const found = await subscriberFromLink(deps, 'preferences', token);
  if (!found.ok) return found;
  const s = found.value;
  await deps.db.transaction().execute(async (trx) => {
    await store.updateSubscriber(trx, s.id, { bumpLinkVersion: true });
    const address = checkAddress(await deps.sealer.unseal(s.email_sealed));
    const t = translator(isLanguage(s.language) ? s.language : 'en');
    if (address.ok) await enqueueMail(deps.jobs, trx, manageLinkMessage(t, address.ascii, linkFor(deps, 'preferences', s.id, s.link_version + 1)));
  });
  return ok(undefined);
}
