/**
 * The instance key and the keys derived from it. The instance key comes from CAST_KEY, a file named
 * by CAST_KEY_FILE, or (development only) a key file in the data directory created (mode 0600) on
 * first start. Every process of one instance must share it. It never enters the database: it wraps
 * the data keys kept there (see data-keys.ts and docs/decisions/0005-data-keys.md) and derives the
 * keys for CSRF tokens, throttle counters and blind indexes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isInstanceKey, type Config } from './config.ts';
import { deriveKey } from './crypto.ts';

export interface Keys {
  /** HMAC key for CSRF tokens. */
  readonly csrf: Buffer;
  /** HMAC key for throttle keys; combined with the day so hashes of addresses rotate daily. */
  readonly throttle: Buffer;
  /** HMAC key for identifier blind indexes; stable across data-key rotation and instance-key changes (pinned). */
  readonly blindIndex: Buffer;
}

export const KEY_FILE_NAME = 'instance.key';

export class InstanceKeyError extends Error {
  override name = 'InstanceKeyError';
}

export function loadInstanceKey(config: Pick<Config, 'instanceKey' | 'instanceKeyFile' | 'dataDir' | 'environment'>): Buffer {
  if (config.instanceKey) return Buffer.from(config.instanceKey, 'base64');
  if (config.instanceKeyFile) return readKeyFile(config.instanceKeyFile);
  if (config.environment === 'production') throw new InstanceKeyError('an instance key is required in production: set CAST_KEY_FILE or CAST_KEY');
  const file = path.join(config.dataDir, KEY_FILE_NAME);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first; use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readKeyFile(file);
}

export function readKeyFile(file: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new InstanceKeyError(`cannot read the instance key file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!isInstanceKey(text)) throw new InstanceKeyError(`${file} does not hold a valid instance key (base64 of at least 32 random bytes)`);
  return Buffer.from(text, 'base64');
}

/** Pinned keys replace derived ones after the instance key changed (`cast keys rewrap`). */
export function deriveKeys(instanceKey: Buffer, pinned: { blindIndex?: Buffer | undefined } = {}): Keys {
  return Object.freeze({
    csrf: deriveKey(instanceKey, 'csrf'),
    throttle: deriveKey(instanceKey, 'throttle'),
    blindIndex: pinned.blindIndex ?? deriveKey(instanceKey, 'blind-index'),
  });
}

/** Wraps data keys; only ever used on the few rows of data_keys and pinned_keys. */
export function wrappingKey(instanceKey: Buffer): Buffer {
  return deriveKey(instanceKey, 'data-key-wrapping');
}

/** Sealed the `v1.` values written before data keys existed (two-factor secrets). */
export function legacySealingKey(instanceKey: Buffer): Buffer {
  return deriveKey(instanceKey, 'sealing');
}

export function derivedBlindIndexKey(instanceKey: Buffer): Buffer {
  return deriveKey(instanceKey, 'blind-index');
}
