import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createJobs, type Jobs } from './jobs.ts';

let testDb: TestDatabase;
let jobs: Jobs;
const handled: string[] = [];

before(async () => {
  testDb = await createTestDatabase();
  jobs = createJobs(testDb.database);
  jobs.define<{ label: string }>('test.record', async ({ label }) => {
    handled.push(label);
  });
  await jobs.start({ work: true });
});
after(async () => {
  await jobs.stop();
  await testDb.drop();
});

async function until(condition: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a job enqueued in a committed transaction runs once; one in a rolled-back transaction never runs', async () => {
  const db = testDb.database.db;
  await db.transaction().execute(async (trx) => {
    await jobs.enqueue(trx, 'test.record', { label: 'committed' });
  });
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await jobs.enqueue(trx, 'test.record', { label: 'rolled-back' });
      throw new Error('abort');
    }),
  );
  await jobs.enqueue(db, 'test.record', { label: 'outside' });
  await until(() => handled.includes('committed') && handled.includes('outside'));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.deepEqual(handled.filter((l) => l === 'committed'), ['committed']);
  assert.ok(!handled.includes('rolled-back'));
});

test('many jobs are all handled exactly once', async () => {
  const db = testDb.database.db;
  const labels = Array.from({ length: 100 }, (_, i) => `bulk-${i}`);
  for (const label of labels) await jobs.enqueue(db, 'test.record', { label });
  await until(() => labels.every((l) => handled.includes(l)), 30_000);
  for (const label of labels) assert.equal(handled.filter((l) => l === label).length, 1, label);
});

test('enqueueing an undefined job is a programming error', async () => {
  await assert.rejects(jobs.enqueue(testDb.database.db, 'test.nope', {}), /Unknown job/);
});
