/**
 * The instance secret and the keys derived from it. It comes from CAST_SECRET, or else from a key
 * file in the data directory that is created (mode 0600) on first start. Several processes must share
 * one secret: with more than one machine, set CAST_SECRET.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { deriveKey } from './crypto.ts';

export interface Keys {
  /** AES-256-GCM key for restricted fields (e.g. TOTP secrets). */
  readonly sealing: Buffer;
  /** HMAC key for CSRF tokens. */
  readonly csrf: Buffer;
  /** HMAC key for throttle keys; combined with the day so hashes of addresses rotate daily. */
  readonly throttle: Buffer;
  /** HMAC key for identifier blind indexes. */
  readonly blindIndex: Buffer;
}

export const KEY_FILE_NAME = 'instance.key';

export function loadSecret(options: { secret: string | undefined; dataDir: string }): Buffer {
  if (options.secret) return Buffer.from(options.secret, 'base64');
  const file = path.join(options.dataDir, KEY_FILE_NAME);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first; use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const secret = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length < 32) throw new Error(`${file} does not hold a valid key (base64 of 32 bytes)`);
  return secret;
}

export function deriveKeys(secret: Buffer): Keys {
  return Object.freeze({
    sealing: deriveKey(secret, 'sealing'),
    csrf: deriveKey(secret, 'csrf'),
    throttle: deriveKey(secret, 'throttle'),
    blindIndex: deriveKey(secret, 'blind-index'),
  });
}
