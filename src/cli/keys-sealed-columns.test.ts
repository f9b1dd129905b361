/**
 * Key rotation re-encrypts only the columns the modules list: a sealed column missing from the list
 * would stay under a retired key for ever. Every column named `*_sealed` in the migrated schema must
 * be listed, and every listed column must exist.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { SEALED_COLUMNS } from './keys-sealed-columns.ts';

let testDatabase: TestDatabase;
before(async () => {
  testDatabase = await createTestDatabase();
});
after(() => testDatabase.drop());

test('every *_sealed column of the schema is re-encrypted by key rotation, and every listed column exists', async () => {
  const { rows } = await sql<{ name: string }>`
    select table_name || '.' || column_name as name from information_schema.columns
    where table_schema = 'public' and column_name like '%\\_sealed' order by 1`.execute(testDatabase.database.db);
  const inSchema = rows.map((row) => row.name);
  const listed = SEALED_COLUMNS.flatMap((target) => target.columns.map((column) => `${target.table}.${column}`)).sort();
  assert.deepEqual(
    inSchema.filter((name) => !listed.includes(name)),
    [],
    'sealed columns key rotation does not know (add them to the module’s sealedColumns)',
  );
  assert.deepEqual(
    listed.filter((name) => !inSchema.includes(name)),
    [],
    'listed columns the schema does not have',
  );
});
