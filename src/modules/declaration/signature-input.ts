/**
 * What a signature may hold, checked the same way for the form and the API. Every problem comes
 * back at once, as field → message key.
 */
import { isCountryCode } from '../../core/countries.ts';
import type { FieldErrors } from '../../core/outcome.ts';
import { addressMessage, parseAddress, type ParsedAddress } from './email.ts';

export const NAME_MAX = 100;
export const POSTCODE_MAX = 12;

export interface SignatureInput {
  name?: unknown;
  email?: unknown;
  country?: unknown;
  postcode?: unknown;
  optIn?: unknown;
  /** The honeypot: a field people never see. Anything in it marks the signature. */
  website?: unknown;
}

export interface CheckedSignature {
  name: string;
  email: ParsedAddress;
  country: string;
  postcode: string | undefined;
  optIn: boolean;
  honeypot: boolean;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const POSTCODE = /^[\p{L}\p{N}][\p{L}\p{N} -]*$/u;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim().normalize('NFC') : undefined);

export function checkSignature(input: SignatureInput): { ok: true; value: CheckedSignature } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = text(input.name) ?? '';
  if (name === '') errors.name = 'declaration.errors.name.missing';
  else if ([...name].length > NAME_MAX) errors.name = 'declaration.errors.name.tooLong';
  else if (CONTROL.test(name)) errors.name = 'declaration.errors.control';

  const email = parseAddress(typeof input.email === 'string' ? input.email : '');
  if (!email.ok) errors.email = addressMessage(email.problem);

  const country = (text(input.country) ?? '').toUpperCase();
  if (country === '') errors.country = 'declaration.errors.country.missing';
  else if (!isCountryCode(country)) errors.country = 'declaration.errors.country.unknown';

  const postcode = text(input.postcode) || undefined;
  if (postcode !== undefined) {
    if ([...postcode].length > POSTCODE_MAX) errors.postcode = 'declaration.errors.postcode.tooLong';
    else if (CONTROL.test(postcode)) errors.postcode = 'declaration.errors.control';
    else if (!POSTCODE.test(postcode)) errors.postcode = 'declaration.errors.postcode.invalid';
  }

  const optIn = input.optIn === true || input.optIn === 'yes';
  if (input.optIn !== undefined && typeof input.optIn !== 'boolean' && input.optIn !== 'yes') errors.optIn = 'errors.choice';

  if (Object.keys(errors).length > 0 || !email.ok) return { ok: false, errors };
  const honeypot = typeof input.website === 'string' ? input.website.trim() !== '' : input.website !== undefined && input.website !== null;
  return { ok: true, value: { name, email: email.value, country, postcode: postcode?.toUpperCase(), optIn, honeypot } };
}
