/**
 * The newsletter's links. Two kinds:
 *
 * - A **confirmation link** carries the whole sign-up (address, name, lists, language, expiry),
 *   sealed with AES-256-GCM under a key of its own: nothing is stored before the owner of the
 *   address follows it, and the link reveals nothing to whoever sees it in transit. It expires after
 *   7 days. Confirming twice changes nothing.
 * - A **subscriber link** (preference centre, unsubscribe) names a subscriber, a purpose, the
 *   subscriber's link version and an expiry day, with an HMAC over all of it. Raising the version
 *   revokes every link given out before; a tampered or expired link is refused.
 */
import { deriveKey, hmac, safeEqual, sealLabelled, unsealLabelled } from '../../core/crypto.ts';
import type { Keys } from '../../core/keys.ts';
import type { Language } from '../../core/i18n.ts';
import { isUuid } from '../../core/validation.ts';

export const CONFIRMATION_DAYS = 7;
export const PREFERENCE_LINK_DAYS = 30;
/** Unsubscribe links sit in old messages for a long time; they must keep working. */
export const UNSUBSCRIBE_LINK_DAYS = 730;

const DAY_MS = 86_400_000;

export interface SignUp {
  email: string;
  name: string | null;
  lists: string[];
  language: Language;
}

export type LinkPurpose = 'preferences' | 'unsubscribe';
const PURPOSE_CODE: Record<LinkPurpose, string> = { preferences: 'p', unsubscribe: 'u' };

export type LinkCheck<T> = { ok: true; value: T } | { ok: false; problem: 'invalid' | 'expired' };

export interface LinkKeys {
  confirm: Buffer;
  subscriber: Buffer;
}

/** Sub-keys derived for these links only, so they never share a key with anything else. */
export function linkKeys(keys: Keys): LinkKeys {
  return { confirm: deriveKey(keys.csrf, 'newsletter-confirmation'), subscriber: deriveKey(keys.csrf, 'newsletter-subscriber-links') };
}

export function confirmationToken(keys: LinkKeys, signUp: SignUp, now = Date.now()): string {
  const payload = JSON.stringify({ e: signUp.email, n: signUp.name, l: signUp.lists, g: signUp.language, x: now + CONFIRMATION_DAYS * DAY_MS });
  return sealLabelled(keys.confirm, 'nc', payload);
}

export function readConfirmationToken(keys: LinkKeys, token: string, now = Date.now()): LinkCheck<SignUp> {
  if (token.length > 4000 || !/^nc\.[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return { ok: false, problem: 'invalid' };
  let payload: { e?: unknown; n?: unknown; l?: unknown; g?: unknown; x?: unknown };
  try {
    payload = JSON.parse(unsealLabelled(keys.confirm, token)) as typeof payload;
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  const { e, n, l, g, x } = payload;
  if (typeof e !== 'string' || (n !== null && typeof n !== 'string') || !Array.isArray(l) || (g !== 'en' && g !== 'fr') || typeof x !== 'number') return { ok: false, problem: 'invalid' };
  if (x < now) return { ok: false, problem: 'expired' };
  return { ok: true, value: { email: e, name: n, lists: l.filter((v): v is string => typeof v === 'string'), language: g } };
}

function mac(keys: LinkKeys, body: string): string {
  return hmac(keys.subscriber, body).subarray(0, 18).toString('base64url');
}

export function subscriberToken(keys: LinkKeys, purpose: LinkPurpose, subscriberId: string, version: number, now = Date.now()): string {
  const days = purpose === 'preferences' ? PREFERENCE_LINK_DAYS : UNSUBSCRIBE_LINK_DAYS;
  const expiryDay = Math.floor(now / DAY_MS) + days;
  const body = `${PURPOSE_CODE[purpose]}${version}.${subscriberId}.${expiryDay}`;
  return `${body}.${mac(keys, body)}`;
}

/** The subscriber and link version a link names, if its HMAC is right and it has not expired. */
export function readSubscriberToken(keys: LinkKeys, purpose: LinkPurpose, token: string, now = Date.now()): LinkCheck<{ subscriberId: string; version: number }> {
  const match = /^([pu])(\d{1,9})\.([0-9a-f-]{36})\.(\d{1,7})\.([\w-]{24})$/.exec(token);
  if (!match || match[1] !== PURPOSE_CODE[purpose] || !isUuid(match[3])) return { ok: false, problem: 'invalid' };
  const body = token.slice(0, token.lastIndexOf('.'));
  if (!safeEqual(mac(keys, body), match[5]!)) return { ok: false, problem: 'invalid' };
  if (Number(match[4]) * DAY_MS + DAY_MS < now) return { ok: false, problem: 'expired' };
  return { ok: true, value: { subscriberId: match[3], version: Number(match[2]) } };
}
