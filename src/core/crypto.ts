/**
 * Small, named cryptographic primitives so that no module improvises its own. Tokens are random
 * 32-byte values in base64url; what is stored is a SHA-256 hash, so a database copy grants nothing.
 */
import crypto from 'node:crypto';

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256(value: string | Buffer): Buffer {
  return crypto.createHash('sha256').update(value).digest();
}

export function hmac(key: Buffer, value: string): Buffer {
  return crypto.createHmac('sha256', key).update(value).digest();
}

export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const left = Buffer.isBuffer(a) ? a : Buffer.from(a);
  const right = Buffer.isBuffer(b) ? b : Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** Derives a purpose-bound sub-key, so one instance secret never does two jobs. */
export function deriveKey(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), `cast:${purpose}`, 32));
}

const SEAL_VERSION = 'v1';

/** AES-256-GCM; the output names its format version so keys and algorithms can be rotated later. */
export function seal(key: Buffer, plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [SEAL_VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function unseal(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== SEAL_VERSION || !iv || !tag || body === undefined) throw new Error('Unknown sealed value format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * AES-256-GCM under a label that names the key (`k12`, `w1`): `label.iv.tag.body`. The label is
 * authenticated too (additional data), so a value cannot be passed off as sealed by another key.
 */
export function sealLabelled(key: Buffer, label: string, plaintext: string): string {
  if (!/^[a-z][a-z0-9]*$/.test(label)) throw new Error(`Bad seal label: ${label}`);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(label, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [label, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function unsealLabelled(key: Buffer, sealed: string): string {
  const [label, iv, tag, body, extra] = sealed.split('.');
  if (!label || !iv || !tag || body === undefined || extra !== undefined) throw new Error('Unknown sealed value format');
  // A fixed tag length: GCM would otherwise accept a truncated tag, which is far easier to forge.
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(label, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** The label of a sealed value (`v1` for the original format, `k<id>` for a data key). */
export function sealedLabel(sealed: string): string {
  return sealed.slice(0, Math.max(0, sealed.indexOf('.')));
}
