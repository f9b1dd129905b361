/**
 * A job whose process dies comes back in about a minute, not after pg-boss's 15-minute expiry, and a
 * job whose process is alive stays with it however long it runs (src/core/jobs.ts, the heartbeat).
 * With pg-boss's shortest heartbeat (10 s) and real processes:
 * - a worker process takes a job, is seen to keep it while busy, and is killed with SIGKILL; the job
 *   then runs to completion exactly once, as its second attempt, in another worker: on PostgreSQL a
 *   second worker already running beside it, on PGlite (one process per data directory) the process
 *   that opens the directory next, as a restart would;
 * - a handler that runs for twice the heartbeat completes once, at its first attempt.
 * The waits are bounds far below the expiry (several minutes, against 15), never measured times.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/core/db/database.ts';
import { createJobs, heartbeatSettings, type Jobs } from '../../src/core/jobs.ts';
import { createTestDatabase, pgliteTemplate, ROOT, testEngine } from '../support/database.ts';
import { HEARTBEAT_QUEUE, HEARTBEAT_QUEUE_OPTIONS, TEST_HEARTBEAT_SECONDS } from './job-heartbeat-queue.ts';
import { sleep, until } from './settings.ts';

const engine = testEngine();
const { superviseIntervalSeconds } = heartbeatSettings(TEST_HEARTBEAT_SECONDS);
/** Long enough for a job whose heartbeat had stopped to be failed: the heartbeat, a supervision pass, a margin. */
const LOST_AFTER_MS = (TEST_HEARTBEAT_SECONDS + 2 * superviseIntervalSeconds) * 1000;
/** Well past a retry's delay and a pass, far below the 15-minute expiry the heartbeat replaces. */
const BOUND_MS = 240_000;

interface Attempt {
  state: string;
  retry_count: number;
}

async function attempts(database: Database, label: string): Promise<Attempt[]> {
  const { rows } = await sql<Attempt>`select state::text as state, retry_count from pgboss.job where name = ${HEARTBEAT_QUEUE} and data->>'label' = ${label}`.execute(database.db);
  return rows;
}

/** A worker that records every label it handles: the effect of the job, counted. */
async function recordingWorker(database: Database, handled: string[], runMs = 0): Promise<Jobs> {
  const jobs = createJobs(database, { heartbeatSeconds: TEST_HEARTBEAT_SECONDS });
  jobs.define<{ label: string }>(
    HEARTBEAT_QUEUE,
    async ({ label }) => {
      if (runMs > 0) await sleep(runMs);
      handled.push(label);
    },
    HEARTBEAT_QUEUE_OPTIONS,
  );
  await jobs.start({ work: true });
  return jobs;
}

/** test/faults/job-worker.ts as its own process; resolves once its handler has started on `label`. */
async function startVictim(env: Record<string, string>, label: string): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/faults/job-worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, JOB_WORKER_HEARTBEAT_SECONDS: String(TEST_HEARTBEAT_SECONDS), JOB_WORKER_ENQUEUE: label },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = JSON.stringify({ event: 'started', label });
  try {
    await until(() => {
      if (child.exitCode !== null) throw new Error(`the worker process exited:\n${output}`);
      return output.includes(started);
    }, 'the worker process to start the job', BOUND_MS);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, exited };
}

async function kill(victim: { child: ChildProcess; exited: Promise<void> }): Promise<void> {
  if (victim.child.exitCode === null && victim.child.signalCode === null) victim.child.kill('SIGKILL');
  await victim.exited;
}

describe(`job heartbeat on ${engine}`, () => {
  test(engine === 'postgres' ? 'a job of a process killed with SIGKILL runs once more, in the process beside it' : 'a job of a process killed with SIGKILL runs once more, in the process that opens the data directory next', { timeout: 600_000 }, async () => {
    const label = `killed-${process.pid}`;
    const handled: string[] = [];
    if (engine === 'postgres') {
      const testDb = await createTestDatabase('postgres');
      let survivor: Jobs | undefined;
      const victim = await startVictim({ JOB_WORKER_DATABASE_URL: testDb.url! }, label);
      try {
        survivor = await recordingWorker(testDb.database, handled);
        // Alive and busy past the heartbeat: its job stays its own, the worker beside it never gets it.
        await sleep(LOST_AFTER_MS);
        assert.deepEqual(await attempts(testDb.database, label), [{ state: 'active', retry_count: 0 }]);
        assert.equal(handled.length, 0, 'the worker beside it did not run the job');
        await kill(victim);
        await until(() => handled.includes(label), 'the killed process’s job to run again', BOUND_MS);
        // Two more passes: nothing else runs it again.
        await sleep(2 * superviseIntervalSeconds * 1000);
        assert.deepEqual(handled, [label]);
        assert.deepEqual(await attempts(testDb.database, label), [{ state: 'completed', retry_count: 1 }]);
      } finally {
        await kill(victim);
        await survivor?.stop();
        await testDb.drop();
      }
      return;
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-heartbeat-'));
    let database: Database | undefined;
    let survivor: Jobs | undefined;
    try {
      await (await openDatabase({ engine: 'pglite', dataDir, template: await pgliteTemplate() })).close();
      const victim = await startVictim({ JOB_WORKER_PGLITE_DIR: dataDir }, label);
      await kill(victim);
      database = await openDatabase({ engine: 'pglite', dataDir });
      assert.deepEqual(await attempts(database, label), [{ state: 'active', retry_count: 0 }], 'the killed process left its job active');
      survivor = await recordingWorker(database, handled);
      await until(() => handled.includes(label), 'the killed process’s job to run again', BOUND_MS);
      await sleep(2 * superviseIntervalSeconds * 1000);
      assert.deepEqual(handled, [label]);
      assert.deepEqual(await attempts(database, label), [{ state: 'completed', retry_count: 1 }]);
    } finally {
      await survivor?.stop();
      await database?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a job that runs for twice the heartbeat stays with its worker and completes once', { timeout: 300_000 }, async () => {
    const testDb = await createTestDatabase();
    const handled: string[] = [];
    const label = `busy-${process.pid}`;
    const worker = await recordingWorker(testDb.database, handled, 2 * TEST_HEARTBEAT_SECONDS * 1000);
    try {
      await worker.enqueue(testDb.database.db, HEARTBEAT_QUEUE, { label });
      await until(() => handled.includes(label), 'the long job to finish', BOUND_MS);
      await sleep(2 * superviseIntervalSeconds * 1000);
      assert.deepEqual(handled, [label]);
      assert.deepEqual(await attempts(testDb.database, label), [{ state: 'completed', retry_count: 0 }]);
    } finally {
      await worker.stop();
      await testDb.drop();
    }
  });
});
