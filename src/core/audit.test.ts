import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { appendAudit, verifyAudit } from './audit.ts';

let testDb: TestDatabase;
before(async () => {
  testDb = await createTestDatabase();
});
after(async () => {
  await testDb.drop();
});

test('entries chain and verify; concurrent appends keep one chain', async () => {
  const db = testDb.database.db;
  await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(db, { actorId: null, action: 'test.event', subject: `thing:${i}`, detail: { i, nested: { b: 1, a: [1, 2] } } })));
  const result = await verifyAudit(db, 7);
  assert.deepEqual(result, { ok: true, entries: 20 });
});

test('an entry in a rolled-back transaction leaves no trace', async () => {
  const db = testDb.database.db;
  const before = await verifyAudit(db);
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await appendAudit(trx, { actorId: null, action: 'test.rolled-back' });
      throw new Error('abort');
    }),
  );
  const afterwards = await verifyAudit(db);
  assert.equal(afterwards.entries, before.entries);
});

test('the log refuses updates and deletes', async () => {
  const db = testDb.database.db;
  await appendAudit(db, { actorId: null, action: 'test.protected' });
  await assert.rejects(sql`update audit_log set action = 'changed'`.execute(db), /append-only/);
  await assert.rejects(sql`delete from audit_log`.execute(db), /append-only/);
});

test('verification finds an altered entry and a removed one', async () => {
  const db = testDb.database.db;
  await appendAudit(db, { actorId: null, action: 'test.last' });
  // Someone with superuser rights bypasses the trigger; the hashes still give them away.
  await sql`alter table audit_log disable trigger user`.execute(db);
  const target = await db.selectFrom('audit_log').select('id').orderBy('id').offset(3).limit(1).executeTakeFirstOrThrow();
  await sql`update audit_log set detail = '{"i": 999}' where id = ${target.id}`.execute(db);
  const altered = await verifyAudit(db);
  assert.equal(altered.ok, false);
  assert.equal(!altered.ok && altered.brokenAtId, target.id);

  await sql`delete from audit_log where id = ${target.id}`.execute(db);
  const removed = await verifyAudit(db);
  assert.equal(removed.ok, false);
  await sql`alter table audit_log enable trigger user`.execute(db);
});
