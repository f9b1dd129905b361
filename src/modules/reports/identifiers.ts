/**
 * Identifiers seen in a report (phone numbers, vehicle plates, addresses, web sites, advert handles,
 * e-mail addresses), normalised so that the same thing written two ways matches, and turned into a
 * keyed blind index so reports can be matched across groups without anyone reading the value.
 *
 * A value that cannot be normalised properly (a phone number that does not parse) is still kept and
 * indexed on a best-effort form, flagged as unparsed: a reporter's observation is never thrown away
 * because it is imperfect.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { hmac } from '../../core/crypto.ts';
import type { IdentifierKind } from './tables.ts';

export const MAX_IDENTIFIER_LENGTH = 500;

export interface NormalisedIdentifier {
  kind: IdentifierKind;
  /** What the reporter wrote, trimmed; sealed at rest. */
  value: string;
  /** The canonical form the blind index is computed from. */
  normalised: string;
  unparsed: boolean;
}

// Query parameters that track the click rather than name the page.
const TRACKING_PARAMETER = /^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|si|_ga|yclid)$/i;

function normalisePhone(value: string, country: string | undefined): { normalised: string; unparsed: boolean } {
  const phone = parsePhoneNumberFromString(value, country as CountryCode | undefined);
  // "Possible" (the right length for the country) rather than "valid": numbering plans change, and
  // a number in an unallocated range is still the number the reporter saw.
  if (phone?.isPossible()) return { normalised: phone.number, unparsed: false };
  // Best effort so that the same digits still match: keep a leading + and the digits.
  const digits = value.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return { normalised: digits || value.toLowerCase(), unparsed: true };
}

function normaliseWebsite(value: string): { normalised: string; unparsed: boolean } {
  try {
    const url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `https://${value}`);
    if (!url.hostname.includes('.')) throw new Error('no domain');
    const host = url.hostname.toLowerCase().replace(/^www\./, '');
    const query = [...url.searchParams].filter(([name]) => !TRACKING_PARAMETER.test(name)).sort(([a], [b]) => a.localeCompare(b));
    const search = query.length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
    const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
    // The scheme and port are left out: http and https addresses of one page are the same page.
    return { normalised: `${host}${path}${search}`, unparsed: false };
  } catch {
    return { normalised: value.toLowerCase().replace(/\s+/g, ''), unparsed: true };
  }
}

function normaliseEmail(value: string): { normalised: string; unparsed: boolean } {
  const normalised = value.toLowerCase().replace(/\s+/g, '');
  return { normalised, unparsed: !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(normalised) };
}

function normaliseAddress(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The canonical form of one identifier; `country` (ISO alpha-2) helps read national phone numbers. */
export function normaliseIdentifier(kind: IdentifierKind, raw: string, country?: string): NormalisedIdentifier {
  const value = raw.trim();
  const canonical = (() => {
    switch (kind) {
      case 'phone':
        return normalisePhone(value, country);
      case 'plate':
        return { normalised: value.toUpperCase().replace(/[\s\-.·]/g, ''), unparsed: false };
      case 'website':
        return normaliseWebsite(value);
      case 'handle':
        return { normalised: value.toLowerCase().replace(/^@+/, '').replace(/\s+/g, ''), unparsed: false };
      case 'email':
        return normaliseEmail(value);
      case 'address':
        return { normalised: normaliseAddress(value), unparsed: false };
    }
  })();
  return { kind, value, ...canonical };
}

/** HMAC-SHA-256 under the instance's blind-index key; the kind is part of the input, so a phone never matches a plate. */
export function blindIndex(key: Buffer, identifier: Pick<NormalisedIdentifier, 'kind' | 'normalised'>): Buffer {
  return hmac(key, `${identifier.kind}\u0000${identifier.normalised}`);
}
