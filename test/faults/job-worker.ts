/**
 * A CAST-like job worker for test/faults/job-heartbeat.test.ts, run as its own process so that the
 * test can kill it with SIGKILL: CAST's job queue (src/core/jobs.ts, as src/server.ts creates it) on
 * the database the environment names, working the test's queue with a handler that never finishes,
 * as a process killed in the middle of a job would leave it.
 *
 * Environment: JOB_WORKER_DATABASE_URL (PostgreSQL) or JOB_WORKER_PGLITE_DIR (a PGlite data
 * directory); JOB_WORKER_HEARTBEAT_SECONDS; JOB_WORKER_ENQUEUE, a label to enqueue once started.
 * Writes one JSON line per event to stdout: {"event":"started","label":…} when a job's handler begins.
 */
import { openDatabase } from '../../src/core/db/database.ts';
import { createJobs } from '../../src/core/jobs.ts';
import { HEARTBEAT_QUEUE, HEARTBEAT_QUEUE_OPTIONS } from './job-heartbeat-queue.ts';

const env = process.env;
const database = env.JOB_WORKER_DATABASE_URL
  ? await openDatabase({ engine: 'postgres', url: env.JOB_WORKER_DATABASE_URL, poolSize: 2 })
  : await openDatabase({ engine: 'pglite', dataDir: env.JOB_WORKER_PGLITE_DIR! });
const jobs = createJobs(database, { heartbeatSeconds: Number(env.JOB_WORKER_HEARTBEAT_SECONDS) });
jobs.define<{ label: string }>(
  HEARTBEAT_QUEUE,
  async ({ label }) => {
    process.stdout.write(`${JSON.stringify({ event: 'started', label })}\n`);
    // Busy until killed: pg-boss's heartbeat timer keeps the job claimed meanwhile.
    await new Promise(() => {});
  },
  HEARTBEAT_QUEUE_OPTIONS,
);
await jobs.start({ work: true });
if (env.JOB_WORKER_ENQUEUE) await jobs.enqueue(database.db, HEARTBEAT_QUEUE, { label: env.JOB_WORKER_ENQUEUE });
