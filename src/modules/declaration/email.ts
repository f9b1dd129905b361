/**
 * E-mail addresses of signers: checked, put into a form mail can be delivered to, and normalised so
 * that one person has one signature. Internationalised addresses are welcome (a Unicode local part,
 * a Unicode domain, written to the wire as punycode); plus-addresses are accepted and count as the
 * address without the tag. Quoted local parts, IP-literal domains and anything with control
 * characters are refused with a message saying what is wrong.
 */
import { domainToASCII } from 'node:url';

export type AddressProblem = 'missing' | 'no-at' | 'local' | 'domain' | 'too-long' | 'control';

export interface ParsedAddress {
  /** What mail is sent to: the local part as given, the domain in ASCII (punycode) and lower case. */
  deliverable: string;
  /** The same person, whatever the spelling: lower case, no +tag, Gmail's dots removed. */
  normalised: string;
  /** The domain, ASCII lower case. */
  domain: string;
}

// dot-atom of RFC 5322, with any letter or digit of RFC 6531 (internationalised local parts).
const ATOM = /^[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const GMAIL = new Set(['gmail.com', 'googlemail.com']);

export function parseAddress(input: string): { ok: true; value: ParsedAddress } | { ok: false; problem: AddressProblem } {
  const text = input.trim().normalize('NFC');
  if (text === '') return { ok: false, problem: 'missing' };
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)) return { ok: false, problem: 'control' };
  if (text.length > 254) return { ok: false, problem: 'too-long' };
  const at = text.lastIndexOf('@');
  if (at < 0) return { ok: false, problem: 'no-at' };
  const local = text.slice(0, at);
  const domainText = text.slice(at + 1);
  if (local === '' || local.length > 64 || local.split('.').some((part) => part === '' || !ATOM.test(part))) return { ok: false, problem: 'local' };
  const domain = domainToASCII(domainText).toLowerCase();
  const labels = domain.split('.');
  if (domain === '' || domain.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^[0-9]+$/.test(labels.at(-1)!)) {
    return { ok: false, problem: 'domain' };
  }
  const canonicalDomain = domain === 'googlemail.com' ? 'gmail.com' : domain;
  let user = local.toLowerCase().split('+')[0]!;
  if (GMAIL.has(domain)) user = user.replace(/\./g, '');
  if (user === '') return { ok: false, problem: 'local' };
  return { ok: true, value: { deliverable: `${local}@${domain}`, normalised: `${user}@${canonicalDomain}`, domain } };
}

/** The message key for a problem with an address. */
export function addressMessage(problem: AddressProblem): string {
  return `declaration.errors.email.${problem}`;
}
