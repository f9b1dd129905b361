/**
 * How hard the fault tests push: the short round in `npm test`, the full round under
 * `npm run test:long` (scripts/test-long.ts sets CAST_FAULTS_LONG=true). Kill moments are drawn from a
 * seeded generator; the seed is printed, and CAST_FAULTS_SEED replays a run's choices.
 */
import crypto from 'node:crypto';

export interface FaultSettings {
  long: boolean;
  seed: number;
  /** SIGKILLs per engine. */
  kills: number;
  /** Database restarts (PostgreSQL). */
  restarts: number;
  /** Newsletter subscribers the edition sent during the kills goes to. */
  subscribers: number;
  /** Requests in flight at once. */
  concurrency: number;
}

export function faultSettings(): FaultSettings {
  const long = process.env.CAST_FAULTS_LONG === 'true';
  const number = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  return {
    long,
    seed: number('CAST_FAULTS_SEED', crypto.randomInt(2 ** 31)),
    kills: number('CAST_FAULTS_KILLS', long ? 10 : 2),
    restarts: number('CAST_FAULTS_RESTARTS', long ? 6 : 2),
    subscribers: long ? 1500 : 200,
    concurrency: long ? 16 : 6,
  };
}

export { seededRandom } from '../support/seeded-random.ts';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
