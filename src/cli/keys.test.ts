/**
 * Key rotation and rewrapping on the engine of CAST_TEST_ENGINE: in process while another process's
 * keyring keeps sealing and opening values (as a running server would), and as an operator runs the
 * commands (child processes), including a backup restored into an empty database with the same key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { seal as sealLegacy } from '../core/crypto.ts';
import { createCurrentKey, openKeyring, type Keyring } from '../core/data-keys.ts';
import { openDatabase, type Database } from '../core/db/database.ts';
import { legacySealingKey } from '../core/keys.ts';
import { runCast as cast } from '../../test/support/cast-cli.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { rotateDataKeys } from './keys-rotation.ts';
import { SEALED_COLUMNS } from './keys-sealed-columns.ts';

const dirs: string[] = [];
const temporaryDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-keys-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A migrated database the CLI can use: PGlite in a data directory (opened by the test only between runs), or PostgreSQL. */
interface Target {
  env: Record<string, string>;
  use<T>(work: (database: Database) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

async function migratedTarget(): Promise<Target> {
  const testDatabase = await createTestDatabase();
  if (testDatabase.url) {
    return { env: { CAST_DATA_DIR: temporaryDir(), DATABASE_URL: testDatabase.url }, use: (work) => work(testDatabase.database), drop: () => testDatabase.drop() };
  }
  const dump = await testDatabase.database.pglite!.dumpDataDir('none');
  await testDatabase.drop();
  return pgliteTarget(temporaryDir(), dump);
}

async function pgliteTarget(dataDir: string, template?: Blob): Promise<Target> {
  const open = () => openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite'), ...(template ? { template } : {}) });
  if (template) await (await open()).close();
  return {
    env: { CAST_DATA_DIR: dataDir },
    async use(work) {
      const database = await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite') });
      try {
        return await work(database);
      } finally {
        await database.close();
      }
    },
    drop: async () => {},
  };
}

const newKey = () => crypto.randomBytes(32).toString('base64');

async function addUsers(database: Database, values: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const value of values) {
    const row = await sql<{ id: string }>`
      insert into users (email, display_name, password_hash, totp_secret_sealed)
      values (${`${crypto.randomUUID()}@example.org`}, 'Test', 'x', ${value}) returning id`.execute(database.db);
    ids.push(row.rows[0]!.id);
  }
  return ids;
}

async function sealedValues(database: Database): Promise<Map<string, string>> {
  const { rows } = await sql<{ id: string; v: string }>`select id, totp_secret_sealed as v from users where totp_secret_sealed is not null`.execute(database.db);
  return new Map(rows.map((row) => [row.id, row.v]));
}

async function keyStates(database: Database): Promise<string[]> {
  const { rows } = await sql<{ id: number; state: string }>`select id, state from data_keys order by id`.execute(database.db);
  return rows.map((row) => `${row.id}:${row.state}`);
}

describe('keys rotate, in process, while another keyring seals and opens values', () => {
  test('every value ends under the new key, readable throughout; old keys retire; one audit entry', async () => {
    const testDatabase = await createTestDatabase();
    const { database } = testDatabase;
    const instanceKey = crypto.randomBytes(32);
    const server: Keyring = await openKeyring(database.db, instanceKey, { refreshMs: 50 });
    try {
      const plain = Array.from({ length: 40 }, (_, i) => `SECRET${i}`);
      const legacy = ['LEGACY0', 'LEGACY1'];
      const ids = await addUsers(database, [...plain.map((p) => server.seal(p)), ...legacy.map((p) => sealLegacy(legacySealingKey(instanceKey), p))]);
      const expected = new Map(ids.map((id, i) => [id, [...plain, ...legacy][i]!]));

      // The "server" keeps writing and reading while the rotation runs.
      let stop = false;
      let reads = 0;
      const busy = (async () => {
        for (let i = 0; !stop; i += 1) {
          const [id] = await addUsers(database, [server.seal(`LIVE${i}`)]);
          expected.set(id!, `LIVE${i}`);
          for (const [rowId, sealed] of await sealedValues(database)) {
            assert.equal(await server.unseal(sealed), expected.get(rowId));
            reads += 1;
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const lines: string[] = [];
      const result = await rotateDataKeys(database.db, instanceKey, { columns: SEALED_COLUMNS, waitMs: 300, batchSize: 7, log: (line) => lines.push(line) });
      stop = true;
      await busy;

      assert.equal(result.resumed, false);
      assert.ok(reads > 0);
      assert.equal(server.currentKeyId, result.keyId, 'the running keyring switched to the new key');
      // Values the server wrote after the rotation's last pass are under the new key too.
      for (const [id, sealed] of await sealedValues(database)) {
        assert.match(sealed, new RegExp(`^k${result.keyId}\\.`), `user ${id}`);
        assert.equal(await server.unseal(sealed), expected.get(id));
      }
      assert.deepEqual(await keyStates(database), [`${result.retired[0]}:retired`, `${result.keyId}:current`]);
      assert.ok(lines.some((line) => /re-encrypted \d+ values/.test(line)), lines.join('\n'));
      const { rows: audit } = await sql<{ action: string; detail: { keyId: number; retired: number[] } }>`select action, detail from audit_log where action = 'keys.rotated'`.execute(database.db);
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.detail.keyId, result.keyId);
      assert.ok(result.reencrypted >= plain.length + legacy.length);

      // Killed after making a key current: the next run finishes that rotation rather than starting another.
      const interrupted = await createCurrentKey(database.db, instanceKey);
      const finished = await rotateDataKeys(database.db, instanceKey, { columns: SEALED_COLUMNS, waitMs: 0 });
      assert.equal(finished.resumed, true);
      assert.equal(finished.keyId, interrupted);
      for (const sealed of (await sealedValues(database)).values()) assert.match(sealed, new RegExp(`^k${interrupted}\\.`));
      assert.deepEqual((await keyStates(database)).at(-1), `${interrupted}:current`);
    } finally {
      await server.close();
      await testDatabase.drop();
    }
  });
});

describe('keys commands, as an operator runs them', () => {
  test('rotate, rewrap to a new instance key, backup and restore with that key: every sealed value opens', async () => {
    const target = await migratedTarget();
    const oldKey = newKey();
    try {
      const expected = await target.use(async (database) => {
        const keyring = await openKeyring(database.db, Buffer.from(oldKey, 'base64'));
        const ids = await addUsers(database, ['A', 'B', 'C'].map((p) => keyring.seal(p)));
        await keyring.close();
        return new Map(ids.map((id, i) => [id, 'ABC'[i]!]));
      });

      const rotated = await cast(['keys', 'rotate', '--wait', '0'], { ...target.env, CAST_KEY: oldKey });
      assert.equal(rotated.code, 0, rotated.stderr);
      assert.match(rotated.stdout, /rotation done: every sealed value is under data key 2/);

      const wrongKey = await cast(['keys', 'rotate', '--wait', '0'], { ...target.env, CAST_KEY: newKey() });
      assert.equal(wrongKey.code, 1);
      assert.match(wrongKey.stderr, /instance key does not open data key/);

      const replacement = newKey();
      const keyFile = path.join(temporaryDir(), 'cast.key');
      fs.writeFileSync(keyFile, `${replacement}\n`, { mode: 0o600 });
      const rewrapped = await cast(['keys', 'rewrap', '--new-key-stdin'], { ...target.env, CAST_KEY: oldKey }, `${replacement}\n`);
      assert.equal(rewrapped.code, 0, rewrapped.stderr);
      assert.match(rewrapped.stdout, /2 data keys are now wrapped under the new instance key/);
      const stale = await cast(['keys', 'rotate', '--wait', '0'], { ...target.env, CAST_KEY: oldKey });
      assert.equal(stale.code, 1, 'the old instance key no longer opens anything');

      const backupFile = path.join(temporaryDir(), 'cast.jsonl.gz');
      const backup = await cast(['backup', backupFile], { ...target.env, CAST_KEY_FILE: keyFile });
      assert.equal(backup.code, 0, backup.stderr);

      const restoredDir = temporaryDir();
      const restoredTarget = target.env.DATABASE_URL ? await migratedTarget() : await pgliteTarget(restoredDir);
      try {
        const restore = await cast(['restore', backupFile], { ...restoredTarget.env, CAST_KEY_FILE: keyFile });
        assert.equal(restore.code, 0, restore.stderr);
        await restoredTarget.use(async (database) => {
          const keyring = await openKeyring(database.db, Buffer.from(replacement, 'base64'));
          try {
            const values = await sealedValues(database);
            assert.equal(values.size, expected.size);
            for (const [id, sealed] of values) {
              assert.match(sealed, /^k2\./);
              assert.equal(await keyring.unseal(sealed), expected.get(id));
            }
            // Blind indexes are matched across the key change: the old derived key is pinned.
            const { rows } = await sql<{ purpose: string }>`select purpose from pinned_keys order by purpose`.execute(database.db);
            assert.deepEqual(rows.map((row) => row.purpose), ['blind-index', 'legacy-sealing']);
            const { deriveKeys } = await import('../core/keys.ts');
            assert.deepEqual(keyring.keys.blindIndex, deriveKeys(Buffer.from(oldKey, 'base64')).blindIndex);
            const { rows: audit } = await sql<{ action: string }>`select action from audit_log where action like 'keys.%' order by id`.execute(database.db);
            assert.deepEqual(audit.map((row) => row.action), ['keys.rotated', 'keys.rewrapped']);
          } finally {
            await keyring.close();
          }
        });
      } finally {
        await restoredTarget.drop();
      }
    } finally {
      await target.drop();
    }
  });

  test('bad options are usage errors', async () => {
    const env = { CAST_DATA_DIR: temporaryDir(), CAST_KEY: newKey() };
    for (const args of [['keys', 'rotate', '--wait', 'soon'], ['keys', 'rewrap'], ['keys', 'rewrap', '--new-key-stdin', '--new-key-file', 'x']]) {
      const result = await cast(args, env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    }
    const help = await cast(['help', 'keys'], env);
    assert.match(help.stdout, /cast keys rotate/);
    assert.match(help.stdout, /cast keys rewrap/);
  });
});
