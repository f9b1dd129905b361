/** The queue the heartbeat fault test and its worker process share: the same name and settings in both. */
import type { QueueOptions } from '../../src/core/jobs.ts';

export const HEARTBEAT_QUEUE = 'test.heartbeat';

/** A short retry delay, so that the retry after a lost heartbeat comes quickly; retries to spare. */
export const HEARTBEAT_QUEUE_OPTIONS: QueueOptions = { retryLimit: 3, retryDelaySeconds: 1, concurrency: 1 };

/** pg-boss's shortest heartbeat: a job whose worker stops beating is failed 10 s after its last beat. */
export const TEST_HEARTBEAT_SECONDS = 10;
