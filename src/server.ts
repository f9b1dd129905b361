/**
 * Composition root: configuration → instance key → database (migrated) → data keys → jobs and mail → HTTP server.
 * `npm start` runs this file; tests call startCast() to run the very same thing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './core/config.ts';
import { databaseOptions, openDatabase, type Database } from './core/db/database.ts';
import { DataDirLockedError } from './core/db/data-dir-lock.ts';
import { migrate } from './core/db/migrate.ts';
import { createJobs, type Jobs } from './core/jobs.ts';
import { DataKeyError, openKeyring } from './core/data-keys.ts';
import { InstanceKeyError, loadInstanceKey } from './core/keys.ts';
import { createMailer } from './core/mail.ts';
import { defineMailJob } from './core/mail-job.ts';
import { sweepExpired } from './core/throttle.ts';
import { setupLinkIfNeeded, sweepExpiredCredentials } from './modules/accounts/index.ts';
import { defineChocolateJobs, scheduleChocolateJobs } from './modules/chocolate/index.ts';
import { defineDeclarationJobs, scheduleDeclarationJobs } from './modules/declaration/index.ts';
import { defineEventJobs } from './modules/events/index.ts';
import { publicMapJobs } from './modules/map/index.ts';
import { defineExportJobs, scheduleExportJobs } from './modules/map/index.ts';
import { defineNewsletterJobs, scheduleNewsletterJobs } from './modules/newsletter/index.ts';
import { defineRetentionJobs, scheduleRetentionJobs } from './modules/retention/index.ts';

export interface RunningCast {
  app: FastifyInstance;
  url: string;
  database: Database;
  jobs: Jobs;
  setupLink: string | undefined;
  stop(): Promise<void>;
}

export async function startCast(config: Config, options: { database?: Database; listen?: boolean; logStream?: NodeJS.WritableStream } = {}): Promise<RunningCast> {
  const instanceKey = loadInstanceKey(config);
  const database = options.database ?? (await openDatabase(databaseOptions(config)));
  await migrate(database);
  // Data keys and pinned keys live in the database, so the keys are known only once it is open.
  const keyring = await openKeyring(database.db, instanceKey);
  const { keys } = keyring;

  const jobs = createJobs(database, { heartbeatSeconds: config.jobHeartbeatSeconds });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(config.dataDir, 'outbox') });
  defineMailJob(jobs, mailer);
  jobs.define('maintenance.sweep', async () => {
    await sweepExpired(database.db);
    await sweepExpiredCredentials(database.db);
  });
  defineExportJobs(jobs, { db: database.db, sealer: keyring, engine: database.engine, dataDir: config.dataDir });
  defineChocolateJobs(jobs, { db: database.db, sealer: keyring, keys, config });
  defineEventJobs(jobs, { db: database.db, sealer: keyring, keys, config });
  defineDeclarationJobs(jobs, database.db);
  defineRetentionJobs(jobs, { db: database.db, periods: config.retention });
  defineNewsletterJobs(jobs, { db: database.db, jobs, keys, sealer: keyring, config, mailer, ratePerSecond: config.newsletterRatePerSecond });
  const publicMap = publicMapJobs({ config, database, jobs });
  await jobs.start({ work: config.runJobs });
  // Every minute: expired rate-limit rows say when someone used a limited route, so they go soon.
  await jobs.schedule('maintenance.sweep', '* * * * *');
  await publicMap.schedule();
  await scheduleExportJobs(jobs);
  await scheduleChocolateJobs(jobs);
  await scheduleNewsletterJobs(jobs);
  await scheduleDeclarationJobs(jobs);
  await scheduleRetentionJobs(jobs);

  const app = await buildApp({ config, database, keys, sealer: keyring, jobs }, { logStream: options.logStream });
  const address = options.listen === false ? '' : await app.listen({ port: config.port, host: config.host });
  const setupLink = await setupLinkIfNeeded({ db: database.db, keys, sealer: keyring, jobs, config });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close(); // stops accepting, waits for requests in flight
      await jobs.stop();
      await keyring.close();
      mailer.close();
      await database.close();
    })());
  return { app, url: address.replace('127.0.0.1', 'localhost'), database, jobs, setupLink, stop };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  let cast: RunningCast;
  try {
    cast = await startCast(config);
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof InstanceKeyError || error instanceof DataKeyError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  cast.app.log.info({ engine: cast.database.engine, url: config.publicUrl }, 'CAST is running');
  if (cast.setupLink) {
    // Printed on the console only: whoever can read it runs this machine.
    console.log(`\nNo administrator exists yet. Open this one-time link within 24 hours to create one:\n\n  ${cast.setupLink}\n`);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      cast.app.log.info({ signal }, 'shutting down');
      cast.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
