/**
 * Background jobs on pg-boss, on both engines. A job is enqueued inside the transaction of the change
 * that causes it (pass the transaction as `db`), so it exists if and only if the change committed.
 * Several processes share the queue; pg-boss hands each job to exactly one of them.
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

export function createJobs(database: Database): Jobs {
  const boss =
    database.engine === 'pglite'
      ? new PgBoss({ db: database.jobExecutor!, backend: 'pglite', schema: 'pgboss', supervise: true, schedule: true })
      : new PgBoss({ connectionString: database.connectionString!, schema: 'pgboss', max: 4, supervise: true, schedule: true });
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
