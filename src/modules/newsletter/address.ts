/**
 * E-mail addresses as the newsletter takes them: internationalised domains (IDN) and local parts
 * (RFC 6531), plus-addresses kept as typed (a person may choose `name+news@` on purpose), and a clear
 * refusal of anything that is not an address. Quoted local parts and address literals are refused:
 * nobody signs up to a newsletter with them, and they are how header injection is tried.
 */
import { parseEmailAddress } from '../../core/email-address.ts';

export type AddressCheck = { ok: true; address: string; ascii: string } | { ok: false; error: string };

/**
 * Checks and normalises an address (core/email-address.ts). `address` is the form to show and match
 * (lower case, domain in Unicode); `ascii` the form to send to (domain in punycode).
 */
export function checkAddress(raw: string): AddressCheck {
  const parsed = parseEmailAddress(raw);
  if (!parsed.ok) return { ok: false, error: parsed.problem === 'missing' ? 'errors.required' : parsed.problem === 'too-long' ? 'newsletter.errors.emailTooLong' : 'newsletter.errors.emailInvalid' };
  return { ok: true, address: parsed.value.display, ascii: `${parsed.value.local.toLowerCase()}@${parsed.value.domain}` };
}

/** Control characters (other than none at all) have no place in a name: they hide text or break headers. */
export function hasControlCharacters(value: string): boolean {
  return /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(value);
}
