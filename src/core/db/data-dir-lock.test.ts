import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

test('a directory locked by a live process is refused; a lock left by a dead one is taken over', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-lock-'));
  try {
    fs.writeFileSync(path.join(dir, 'cast.lock'), String(process.ppid));
    assert.throws(() => lockDataDir(dir), DataDirLockedError);

    fs.writeFileSync(path.join(dir, 'cast.lock'), '2147483646');
    const release = lockDataDir(dir);
    assert.equal(fs.readFileSync(path.join(dir, 'cast.lock'), 'utf8'), String(process.pid));
    release();
    assert.equal(fs.existsSync(path.join(dir, 'cast.lock')), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
