/**
 * E-mail addresses as the newsletter takes them: internationalised domains (IDN) and local parts
 * (RFC 6531), plus-addresses kept as typed (a person may choose `name+news@` on purpose), and a clear
 * refusal of anything that is not an address. Quoted local parts and address literals are refused:
 * nobody signs up to a newsletter with them, and they are how header injection is tried.
 */
import { domainToASCII, domainToUnicode } from 'node:url';

export type AddressCheck = { ok: true; address: string; ascii: string } | { ok: false; error: string };

// Printable ASCII allowed unquoted in a local part (RFC 5322 atext), plus the dot between atoms.
const ASCII_ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]$/;
// Control characters, spaces and separators of any script: never part of an address.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Z}]/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Checks and normalises an address. `address` is the form to show and match (lower case, domain in
 * Unicode); `ascii` the form to send to (domain in punycode).
 */
export function checkAddress(raw: string): AddressCheck {
  const value = raw.trim();
  if (value === '') return { ok: false, error: 'errors.required' };
  if (value.length > 254) return { ok: false, error: 'newsletter.errors.emailTooLong' };
  if (FORBIDDEN.test(value)) return { ok: false, error: 'newsletter.errors.emailInvalid' };
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return { ok: false, error: 'newsletter.errors.emailInvalid' };
  const local = value.slice(0, at).normalize('NFC').toLowerCase();
  const domain = value.slice(at + 1).normalize('NFC').toLowerCase();
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return { ok: false, error: 'newsletter.errors.emailInvalid' };
  for (const char of local) {
    if (char.charCodeAt(0) < 128 ? !ASCII_ATEXT.test(char) : false) return { ok: false, error: 'newsletter.errors.emailInvalid' };
  }
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > 253) return { ok: false, error: 'newsletter.errors.emailInvalid' };
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels.at(-1)!)) return { ok: false, error: 'newsletter.errors.emailInvalid' };
  return { ok: true, address: `${local}@${domainToUnicode(ascii)}`, ascii: `${local}@${ascii}` };
}

/** Control characters (other than none at all) have no place in a name: they hide text or break headers. */
export function hasControlCharacters(value: string): boolean {
  return /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(value);
}
