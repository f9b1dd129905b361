import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.ts';
import { InstanceKeyError, KEY_FILE_NAME, loadInstanceKey } from './keys.ts';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cast-keys-'));

test('development generates the key file once, readable by its owner only', () => {
  const dataDir = dir();
  const config = loadConfig({ CAST_DATA_DIR: dataDir });
  const first = loadInstanceKey(config);
  assert.equal(first.length, 32);
  const file = path.join(dataDir, KEY_FILE_NAME);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(loadInstanceKey(config), first, 'the second start reads the same key');
  fs.rmSync(dataDir, { recursive: true });
});

test('CAST_KEY_FILE is read (surrounding whitespace ignored); a missing or bad file is a clear error', () => {
  const folder = dir();
  const key = crypto.randomBytes(48);
  const file = path.join(folder, 'cast.key');
  fs.writeFileSync(file, `\n${key.toString('base64')}\n`, { mode: 0o600 });
  assert.deepEqual(loadInstanceKey(loadConfig({ CAST_ENV: 'production', CAST_KEY_FILE: file })), key);
  assert.throws(() => loadInstanceKey(loadConfig({ CAST_KEY_FILE: path.join(folder, 'missing') })), (e: unknown) => e instanceof InstanceKeyError && /cannot read .*missing: ENOENT/.test(e.message));
  fs.writeFileSync(file, 'too short');
  assert.throws(() => loadInstanceKey(loadConfig({ CAST_KEY_FILE: file })), /does not hold a valid instance key/);
  assert.equal(fs.existsSync(path.join(folder, KEY_FILE_NAME)), false);
  fs.rmSync(folder, { recursive: true });
});

test('CAST_KEY wins over the data directory and nothing is written', () => {
  const dataDir = dir();
  const key = crypto.randomBytes(32);
  assert.deepEqual(loadInstanceKey(loadConfig({ CAST_DATA_DIR: dataDir, CAST_KEY: key.toString('base64') })), key);
  assert.deepEqual(fs.readdirSync(dataDir), []);
  fs.rmSync(dataDir, { recursive: true });
});
