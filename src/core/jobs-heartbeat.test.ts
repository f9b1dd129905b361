/**
 * The job heartbeat's settings (src/core/jobs.ts), on the real database of each engine: what a queue
 * and its jobs carry, including a queue made before heartbeats existed (an instance upgraded in
 * place). What the heartbeat does when a process dies is test/faults/job-heartbeat.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createJobs, DEFAULT_HEARTBEAT_SECONDS, heartbeatSettings } from './jobs.ts';

const QUEUE = 'test.heartbeat-settings';

let testDb: TestDatabase;
before(async () => {
  testDb = await createTestDatabase();
});
after(async () => {
  await testDb.drop();
});

const queueHeartbeat = async () =>
  (await sql<{ heartbeat_seconds: number | null }>`select heartbeat_seconds from pgboss.queue where name = ${QUEUE}`.execute(testDb.database.db)).rows[0]?.heartbeat_seconds;
const jobHeartbeats = async () =>
  (await sql<{ label: string; heartbeat_seconds: number | null }>`select data->>'label' as label, heartbeat_seconds from pgboss.job where name = ${QUEUE} order by 1`.execute(testDb.database.db)).rows;

test('30 s by default, supervised every half heartbeat; pg-boss’s floor of 10 s and a ceiling of 600 s', () => {
  assert.equal(DEFAULT_HEARTBEAT_SECONDS, 30);
  assert.deepEqual(heartbeatSettings(), { heartbeatSeconds: 30, superviseIntervalSeconds: 15, monitorIntervalSeconds: 15 });
  assert.deepEqual(heartbeatSettings(10), { heartbeatSeconds: 10, superviseIntervalSeconds: 5, monitorIntervalSeconds: 5 });
  for (const bad of [0, 9, 12.5, 601, Number.NaN]) assert.throws(() => heartbeatSettings(bad), RangeError, String(bad));
});

test('a queue gets the heartbeat when it is created and when an older queue without one is started again; its jobs carry it', async () => {
  const first = createJobs(testDb.database, { heartbeatSeconds: 20 });
  first.define(QUEUE, async () => {});
  await first.start({ work: false });
  try {
    assert.equal(await queueHeartbeat(), 20);
    await first.enqueue(testDb.database.db, QUEUE, { label: 'a' });
  } finally {
    await first.stop();
  }
  // As a queue made before this change is: no heartbeat, so its jobs had only the 15-minute expiry.
  await sql`update pgboss.queue set heartbeat_seconds = null where name = ${QUEUE}`.execute(testDb.database.db);
  const second = createJobs(testDb.database);
  second.define(QUEUE, async () => {});
  await second.start({ work: false });
  try {
    assert.equal(await queueHeartbeat(), DEFAULT_HEARTBEAT_SECONDS);
    await second.enqueueMany(testDb.database.db, QUEUE, [{ label: 'b' }]);
    await testDb.database.db.transaction().execute((trx) => second.enqueue(trx, QUEUE, { label: 'c' }));
    // A job keeps what its queue had when it was enqueued.
    assert.deepEqual(await jobHeartbeats(), [
      { label: 'a', heartbeat_seconds: 20 },
      { label: 'b', heartbeat_seconds: DEFAULT_HEARTBEAT_SECONDS },
      { label: 'c', heartbeat_seconds: DEFAULT_HEARTBEAT_SECONDS },
    ]);
  } finally {
    await second.stop();
  }
});
