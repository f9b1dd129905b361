/**
 * The signed link in every sign-up e-mail that lets its person cancel their place without an
 * account: `<registration id>.<HMAC>` over the event and the sign-up, under a key derived for these
 * links only. Nothing is stored for it; once the sign-up is cancelled the link names nothing, and a
 * new sign-up with the same address gets a new id (so an old link never cancels it).
 */
import { deriveKey, hmac, safeEqual } from '../../core/crypto.ts';
import type { Keys } from '../../core/keys.ts';
import { isUuid } from '../../core/validation.ts';

const linkKey = (keys: Pick<Keys, 'csrf'>) => deriveKey(keys.csrf, 'event-registration-links');
const mac = (keys: Pick<Keys, 'csrf'>, eventId: string, registrationId: string) => hmac(linkKey(keys), `cancel|${eventId}|${registrationId}`).subarray(0, 18).toString('base64url');

export function cancellationToken(keys: Pick<Keys, 'csrf'>, eventId: string, registrationId: string): string {
  return `${registrationId}.${mac(keys, eventId, registrationId)}`;
}

/** The sign-up a link names, if its HMAC is right for this event. */
export function readCancellationToken(keys: Pick<Keys, 'csrf'>, eventId: string, token: string): string | undefined {
  const match = /^([0-9a-f-]{36})\.([\w-]{24})$/.exec(token);
  if (!match || !isUuid(match[1]) || !isUuid(eventId)) return undefined;
  return safeEqual(mac(keys, eventId, match[1]), match[2]!) ? match[1] : undefined;
}

export const cancellationUrl = (publicUrl: string, eventId: string, token: string) => `${publicUrl}/events/${eventId}/registrations/cancel?token=${encodeURIComponent(token)}`;
