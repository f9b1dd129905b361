import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { seal as sealLegacy } from './crypto.ts';
import { createCurrentKey, DataKeyError, openKeyring, wrapKey, type Keyring } from './data-keys.ts';
import { deriveKeys, derivedBlindIndexKey, legacySealingKey } from './keys.ts';

describe('data keys', () => {
  let testDatabase: TestDatabase;
  const instanceKey = crypto.randomBytes(32);
  const opened: Keyring[] = [];
  const open = async (key = instanceKey, refreshMs?: number) => {
    const keyring = await openKeyring(testDatabase.database.db, key, refreshMs === undefined ? {} : { refreshMs });
    opened.push(keyring);
    return keyring;
  };
  const keyRows = async () =>
    (await sql<{ id: number; state: string }>`select id, state from data_keys order by id`.execute(testDatabase.database.db)).rows;

  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    for (const keyring of opened) await keyring.close();
    await testDatabase.drop();
  });

  test('processes starting together end with one current key', async () => {
    const keyrings = await Promise.all([open(), open(), open(), open()]);
    const rows = await keyRows();
    assert.deepEqual(
      rows.filter((row) => row.state === 'current'),
      [rows[0]],
    );
    assert.equal(rows.length, 1);
    assert.ok(keyrings.every((keyring) => keyring.currentKeyId === rows[0]!.id));
  });

  test('a value round-trips and names its key; equal plaintexts seal differently', async () => {
    const keyring = await open();
    const sealed = keyring.seal('JBSWY3DPEHPK3PXP');
    assert.match(sealed, new RegExp(`^k${keyring.currentKeyId}\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    assert.doesNotMatch(sealed, /JBSWY3DP/);
    assert.notEqual(keyring.seal('JBSWY3DPEHPK3PXP'), sealed);
    assert.equal(await keyring.unseal(sealed), 'JBSWY3DPEHPK3PXP');
    assert.equal(await keyring.unseal(keyring.seal('')), '');
    assert.equal(await keyring.unseal(keyring.seal('é ✓ 漢字')), 'é ✓ 漢字');
  });

  test('values sealed in the old v1 format under the derived sealing key still open', async () => {
    const keyring = await open();
    assert.equal(await keyring.unseal(sealLegacy(legacySealingKey(instanceKey), 'old secret')), 'old secret');
  });

  test('tampering with any part, or relabelling a value with another key id, fails', async () => {
    const keyring = await open();
    const sealed = keyring.seal('restricted');
    const [label, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flip = (part: string) => (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
    for (const bad of [[label, flip(iv), tag, body], [label, iv, flip(tag), body], [label, iv, tag, flip(body)], [label, iv, tag.slice(0, 8), body]]) {
      await assert.rejects(keyring.unseal(bad.join('.')));
    }
    const other = await createCurrentKey(testDatabase.database.db, instanceKey);
    await keyring.reload();
    await assert.rejects(keyring.unseal([`k${other}`, iv, tag, body].join('.')), 'the key id is authenticated with the value');
    await assert.rejects(keyring.unseal('plain text'), DataKeyError);
    await assert.rejects(keyring.unseal('k999999.a.b.c'), /data key 999999 does not exist/);
  });

  test('a key made elsewhere opens after one reload, and the periodic check switches sealing to it', async () => {
    const keyring = await open(instanceKey, 50);
    const before = keyring.currentKeyId;
    const elsewhere = await open();
    const newId = await createCurrentKey(testDatabase.database.db, instanceKey);
    await elsewhere.reload();
    const sealedElsewhere = elsewhere.seal('from another process');
    assert.match(sealedElsewhere, new RegExp(`^k${newId}\\.`));
    assert.equal(await keyring.unseal(sealedElsewhere), 'from another process');

    const slow = await open(instanceKey, 50);
    await createCurrentKey(testDatabase.database.db, instanceKey);
    const deadline = Date.now() + 5_000;
    while (slow.currentKeyId === newId && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(slow.currentKeyId > newId, 'the check noticed the new current key');
    assert.match(slow.seal('x'), new RegExp(`^k${slow.currentKeyId}\\.`));
    assert.ok(before < newId);
    const rows = await keyRows();
    assert.equal(rows.filter((row) => row.state === 'current').length, 1);
  });

  test('another instance key cannot open the data keys, and says so', async () => {
    await assert.rejects(open(crypto.randomBytes(32)), /instance key does not open data key/);
  });

  test('a pinned blind-index key replaces the derived one', async () => {
    const derived = await open();
    assert.deepEqual(derived.keys.blindIndex, derivedBlindIndexKey(instanceKey));
    assert.deepEqual(derived.keys.csrf, deriveKeys(instanceKey).csrf);
    const pinned = crypto.randomBytes(32);
    await sql`insert into pinned_keys (purpose, wrapped) values ('blind-index', ${wrapKey(instanceKey, pinned)})`.execute(testDatabase.database.db);
    const keyring = await open();
    assert.deepEqual(keyring.keys.blindIndex, pinned);
    await sql`delete from pinned_keys`.execute(testDatabase.database.db);
  });
});
