/** The chocolate module's background jobs: sending action messages, asking about replies, sweeping unconfirmed requests. */
import type { Jobs } from '../../core/jobs.ts';
import { SEND_JOB, sendActionMessage } from './action.ts';
import type { ChocolateDeps } from './deps.ts';
import { askForReplies, REPLY_JOB } from './review.ts';
import { sweepUnconfirmed } from './store.ts';

const SWEEP_JOB = 'chocolate.sweep';

export function defineChocolateJobs(jobs: Jobs, deps: Omit<ChocolateDeps, 'jobs'>): void {
  const full = { ...deps, jobs };
  // One at a time: together with the per-company limit, this is the throttle on companies' inboxes.
  jobs.define<{ messageId: string }>(SEND_JOB, (data) => sendActionMessage(full, data.messageId), { retryLimit: 8, retryDelaySeconds: 30, deleteAfterSeconds: 3600, concurrency: 1 });
  jobs.define(REPLY_JOB, async () => {
    // Batches of 500 until none is due.
    while ((await askForReplies(full)) > 0);
  }, { retryLimit: 2, deleteAfterSeconds: 3600 });
  jobs.define(SWEEP_JOB, async () => {
    await sweepUnconfirmed(deps.db);
  }, { retryLimit: 1, deleteAfterSeconds: 3600 });
}

export async function scheduleChocolateJobs(jobs: Jobs): Promise<void> {
  await jobs.schedule(REPLY_JOB, '17 * * * *');
  await jobs.schedule(SWEEP_JOB, '43 * * * *');
}
