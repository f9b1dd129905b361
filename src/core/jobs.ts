/**
 * Background jobs on pg-boss, on both engines. A job is enqueued inside the transaction of the change
 * that causes it (pass the transaction as `db`), so it exists if and only if the change committed.
 * Several processes share the queue; pg-boss hands each job to exactly one of them.
 *
 * A worker proves it is alive by a heartbeat: every half `heartbeatSeconds` it touches the jobs it
 * holds, from a timer, for as long as their handler runs (however long, up to pg-boss's expiry of 15
 * minutes). A job whose heartbeat stops for `heartbeatSeconds` — its process was killed, or lost its
 * host — is failed by whichever process supervises next and retried (its retry delay applies), so it
 * comes back in about a minute instead of after the 15-minute expiry. Queues get the heartbeat at
 * start (created or updated); a job keeps the heartbeat its queue had when it was enqueued.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { PgBoss } from 'pg-boss';
import type { Database } from './db/database.ts';
import type { Tables } from './db/tables.ts';

export type JobHandler<T> = (data: T) => Promise<void>;

export interface QueueOptions {
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** How long a finished job's row (and so its data) is kept. */
  deleteAfterSeconds?: number;
  concurrency?: number;
}

export interface Jobs {
  define<T extends object>(name: string, handler: JobHandler<T>, options?: QueueOptions): void;
  enqueue(db: Kysely<Tables>, name: string, data: object, options?: { startAfterSeconds?: number; singletonKey?: string }): Promise<void>;
  /** Many jobs of one queue in one statement (pg-boss insert), e.g. the mails of a batch of signatures. */
  enqueueMany(db: Kysely<Tables>, name: string, data: readonly object[]): Promise<void>;
  schedule(name: string, cron: string): Promise<void>;
  start(options: { work: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** Jobs created or retrying but not finished, per queue; for tests and metrics. */
  pending(name: string): Promise<number>;
}

/** Runs pg-boss's statements on the caller's transaction, so the jobs commit or roll back with the change. */
function inTransaction(db: Kysely<Tables>) {
  if (!db.isTransaction) return {};
  return {
    db: {
      executeSql: async (text: string, values?: unknown[]) => {
        const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
        return { rows: result.rows };
      },
    },
  };
}

interface Definition {
  handler: JobHandler<object>;
  options: QueueOptions;
}

export interface JobsOptions {
  /**
   * Seconds without a heartbeat after which a running job counts as lost and is retried (whole
   * seconds, 10 to 600; pg-boss refuses less than 10). Every process of an instance should use the
   * same value: each writes it on the queues at start.
   */
  heartbeatSeconds?: number;
}

/**
 * 30 s. A killed process's job counts as lost 30 s after its last heartbeat (15–30 s after the kill)
 * and is failed by the next supervision pass (every 15 s), so within 45 s of the kill; then it waits
 * its queue's first retry delay (pg-boss's backoff: 1–2 × the queue's delay, 10–20 s for most queues, 30–60 s for
 * mail): back in about a minute. A live worker refreshes every 15 s, so it loses a job it is still
 * running only if its event loop or its database connection stalls for more than 15 s past a
 * refresh; then the job runs twice, which every handler must tolerate anyway (delivery is at least
 * once, as with pg-boss's expiry).
 */
export const DEFAULT_HEARTBEAT_SECONDS = 30;

/** pg-boss's settings for the heartbeat and the supervision that acts on it. */
export function heartbeatSettings(heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS) {
  if (!Number.isInteger(heartbeatSeconds) || heartbeatSeconds < 10 || heartbeatSeconds > 600) {
    throw new RangeError(`The job heartbeat must be a whole number of seconds from 10 to 600, not ${heartbeatSeconds}`);
  }
  // Lost heartbeats are found only when a supervision pass runs (pg-boss's default: every 60 s, which
  // alone would double the wait). Half the heartbeat keeps detection within 1.5 heartbeats; the pass
  // is claimed per queue, so however many processes run, one of them does it each interval.
  const passSeconds = Math.max(5, Math.round(heartbeatSeconds / 2));
  return { heartbeatSeconds, superviseIntervalSeconds: passSeconds, monitorIntervalSeconds: passSeconds };
}

export function createJobs(database: Database, options: JobsOptions = {}): Jobs {
  const { heartbeatSeconds, ...supervision } = heartbeatSettings(options.heartbeatSeconds);
  const boss =
    database.engine === 'pglite'
      ? new PgBoss({ db: database.jobExecutor!, backend: 'pglite', schema: 'pgboss', supervise: true, schedule: true, ...supervision })
      : new PgBoss({ connectionString: database.connectionString!, schema: 'pgboss', max: 4, supervise: true, schedule: true, ...supervision });
  const definitions = new Map<string, Definition>();
  let started = false;
  // pg-boss reports connection trouble here; it retries by itself, and the log records it.
  boss.on('error', (error: Error) => console.error(JSON.stringify({ level: 50, msg: 'job queue error', err: error.message })));

  return {
    define(name, handler, options = {}) {
      if (started) throw new Error(`Define job "${name}" before the queue starts`);
      definitions.set(name, { handler: handler as JobHandler<object>, options });
    },

    async enqueue(db, name, data, options = {}) {
      if (!definitions.has(name)) throw new Error(`Unknown job "${name}"`);
      const sendOptions = {
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...inTransaction(db),
      };
      await boss.send(name, data, sendOptions);
    },

    async enqueueMany(db, name, data) {
      if (!definitions.has(name)) throw new Error(`Unknown job "${name}"`);
      if (data.length === 0) return;
      await boss.insert(name, data.map((item) => ({ data: item })), inTransaction(db));
    },

    async schedule(name, cron) {
      await boss.schedule(name, cron, {}, { tz: 'UTC' });
    },

    async start({ work }) {
      await boss.start();
      started = true;
      // start() and createQueue() fill pg-boss's queue cache, so an enqueue inside a PGlite
      // transaction never needs a second connection (which would wait for the transaction forever).
      for (const [name, { options }] of definitions) {
        const queue = {
          retryLimit: options.retryLimit ?? 5,
          retryDelay: options.retryDelaySeconds ?? 10,
          retryBackoff: true,
          deleteAfterSeconds: options.deleteAfterSeconds ?? 7 * 24 * 3600,
          // Also written on queues that exist already, so an instance upgraded in place gets it.
          heartbeatSeconds,
        };
        if (await boss.getQueue(name)) await boss.updateQueue(name, queue);
        else await boss.createQueue(name, queue).catch(async (error: unknown) => {
          // Another process created it at the same moment.
          if (!(await boss.getQueue(name))) throw error;
        });
      }
      if (!work) return;
      for (const [name, { handler, options }] of definitions) {
        await boss.work(name, { batchSize: 20, pollingIntervalSeconds: 0.5, localConcurrency: options.concurrency ?? 1 }, async (jobs) => {
          for (const job of jobs) await handler(job.data as object);
        });
      }
    },

    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 10_000, close: true });
    },

    async pending(name) {
      const stats = await boss.getQueueStats(name);
      return stats.reduce((sum, s) => sum + s.queuedCount + s.activeCount + s.deferredCount, 0);
    },
  };
}
