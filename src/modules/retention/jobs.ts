/** The daily retention job. pg-boss's schedule makes one job per day whichever processes run, and runRetention is safe to run twice. */
import type { Kysely } from 'kysely';
import type { RetentionPeriods } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { Jobs } from '../../core/jobs.ts';
import { runRetention } from './run.ts';

export const RETENTION_JOB = 'retention.run';

/** Defines the job; call before the queue starts. */
export function defineRetentionJobs(jobs: Jobs, deps: { db: Kysely<Tables>; periods: RetentionPeriods }): void {
  jobs.define(RETENTION_JOB, async () => {
    await runRetention(deps.db, deps.periods);
  }, { retryLimit: 3, retryDelaySeconds: 600, deleteAfterSeconds: 24 * 3600 });
}

/** Every day at 03:10 UTC, after the declaration erasure (02:30). */
export async function scheduleRetentionJobs(jobs: Jobs): Promise<void> {
  await jobs.schedule(RETENTION_JOB, '10 3 * * *');
}
