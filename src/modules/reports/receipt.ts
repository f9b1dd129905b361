/**
 * Receipt codes: the only key an anonymous reporter holds to their report. 100 random bits in
 * Crockford base32 (no I, L, O or U, so it survives being read aloud or copied by hand), shown once
 * and stored only as a SHA-256 hash. With 2^100 codes, a hash lookup reveals nothing useful through
 * timing, and attempts are rate-limited per address on top.
 */
import crypto from 'node:crypto';
import { sha256 } from '../../core/crypto.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 20;
const GROUP = 4;

export function newReceiptCode(): string {
  const bytes = crypto.randomBytes(LENGTH);
  // 256 is a multiple of 32, so taking each byte modulo 32 is unbiased.
  const characters = [...bytes].map((byte) => ALPHABET[byte % 32]).join('');
  return characters.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}

/** The canonical form of a code as a person typed it, or undefined when it cannot be one. */
export function parseReceiptCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 64) return undefined;
  const compact = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== LENGTH || ![...compact].every((c) => ALPHABET.includes(c))) return undefined;
  return compact;
}

export function receiptHash(code: string): Buffer {
  const canonical = parseReceiptCode(code);
  if (!canonical) throw new Error('Not a receipt code');
  return sha256(`receipt:${canonical}`);
}

/** A short, non-secret reference for coordinators ("R-7K2Q9DXM"); it grants nothing. */
export function newReference(): string {
  return `R-${[...crypto.randomBytes(8)].map((byte) => ALPHABET[byte % 32]).join('')}`;
}
