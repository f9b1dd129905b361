/**
 * E-mail addresses of signers: checked (core/email-address.ts), put into a form mail can be delivered
 * to, and normalised so that one person has one signature: plus-addresses are accepted and count as
 * the address without the tag.
 */
import { parseEmailAddress, personKey, type EmailProblem } from '../../core/email-address.ts';

export type AddressProblem = EmailProblem;

export interface ParsedAddress {
  /** What mail is sent to: the local part as given, the domain in ASCII (punycode) and lower case. */
  deliverable: string;
  /** The same person, whatever the spelling: lower case, no +tag, Gmail's dots removed. */
  normalised: string;
  /** The domain, ASCII lower case. */
  domain: string;
}

export function parseAddress(input: string): { ok: true; value: ParsedAddress } | { ok: false; problem: AddressProblem } {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) return parsed;
  const normalised = personKey(parsed.value);
  // "+tag@…" alone names nobody: the person behind it cannot be told apart from anyone else.
  if (normalised.startsWith('@')) return { ok: false, problem: 'local' };
  return { ok: true, value: { deliverable: parsed.value.deliverable, normalised, domain: parsed.value.domain } };
}

/** The message key for a problem with an address. */
export function addressMessage(problem: AddressProblem): string {
  return `declaration.errors.email.${problem}`;
}
