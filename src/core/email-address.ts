/**
 * E-mail addresses as people type them into CAST's campaign forms: checked once, the same way
 * everywhere. Internationalised addresses are welcome (a Unicode local part, a Unicode domain sent
 * as punycode); plus-addresses are accepted. Quoted local parts, IP-literal domains and anything
 * with control characters are refused: nobody signs up with them, and they are how header injection
 * is tried. Each module turns a problem into its own message.
 */
import { domainToASCII, domainToUnicode } from 'node:url';

export type EmailProblem = 'missing' | 'control' | 'too-long' | 'no-at' | 'local' | 'domain';

export interface EmailAddress {
  /** The local part as typed (NFC); mail servers may treat its case as significant. */
  local: string;
  /** The domain in ASCII (punycode), lower case. */
  domain: string;
  /** What mail is sent to: the local part as typed, the ASCII domain. */
  deliverable: string;
  /** The form to show: local part in lower case, the domain in Unicode. */
  display: string;
}

// dot-atom of RFC 5322, with any letter, digit or mark of RFC 6531 (internationalised local parts).
const ATOM = /^[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
// Control and format characters hide text or break headers; line and paragraph separators too.
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const GMAIL = new Set(['gmail.com', 'googlemail.com']);

export function parseEmailAddress(raw: string): { ok: true; value: EmailAddress } | { ok: false; problem: EmailProblem } {
  const text = raw.trim().normalize('NFC');
  if (text === '') return { ok: false, problem: 'missing' };
  if (CONTROL.test(text)) return { ok: false, problem: 'control' };
  if (text.length > 254) return { ok: false, problem: 'too-long' };
  const at = text.lastIndexOf('@');
  if (at < 0) return { ok: false, problem: 'no-at' };
  const local = text.slice(0, at);
  if (local === '' || local.length > 64 || local.split('.').some((part) => part === '' || !ATOM.test(part))) return { ok: false, problem: 'local' };
  const domain = domainToASCII(text.slice(at + 1).toLowerCase()).toLowerCase();
  const labels = domain.split('.');
  if (domain === '' || domain.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^[0-9]+$/.test(labels.at(-1)!)) {
    return { ok: false, problem: 'domain' };
  }
  return { ok: true, value: { local, domain, deliverable: `${local}@${domain}`, display: `${local.toLowerCase()}@${domainToUnicode(domain)}` } };
}

/**
 * One person, whatever the spelling: lower case, no +tag, Gmail's dots removed and googlemail.com
 * read as gmail.com. For "one signature / one message per person" rules, never for sending.
 */
export function personKey(address: Pick<EmailAddress, 'local' | 'domain'>): string {
  const domain = address.domain === 'googlemail.com' ? 'gmail.com' : address.domain;
  let user = address.local.toLowerCase().split('+')[0]!;
  if (GMAIL.has(address.domain)) user = user.replace(/\./g, '');
  return `${user}@${domain}`;
}
