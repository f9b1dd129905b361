/**
 * Refreshing the public map: counts the publishable reports (through the reports module), keeps
 * only what may be published (public-cells.ts) and replaces the public cells in one transaction.
 * Runs as the `map.public-refresh` job every Monday, once at start when the stored map was made with
 * another threshold or delay (or never), and on demand in tests.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { Jobs } from '../../core/jobs.ts';
import { countReportsForPublicMap } from '../reports/index.ts';
import { publicCells, receivedUpTo } from './public-cells.ts';
import { readPublicMapState, replacePublicCells } from './public-store.ts';

export const PUBLIC_REFRESH_JOB = 'map.public-refresh';
/** Mondays 03:00 UTC: the cut-off moves a week at a time (public-cells.ts receivedUpTo), so more often adds nothing. */
const SCHEDULE = '0 3 * * 1';

export interface PublicMapSettings {
  k: number;
  delayDays: number;
}

export interface RefreshSummary {
  receivedUpTo: string;
  cells: number;
}

export async function refreshPublicMap(db: Kysely<Tables>, settings: PublicMapSettings, now: Date = new Date()): Promise<RefreshSummary> {
  const upTo = receivedUpTo(now, settings.delayDays);
  const counts = await countReportsForPublicMap(db, upTo);
  const cells = publicCells(counts, settings.k);
  await replacePublicCells(db, cells, { refreshedAt: now, receivedUpTo: upTo, k: settings.k });
  return { receivedUpTo: upTo, cells: cells.length };
}

/** Defines the job; call before the queue starts. */
export function definePublicMapJobs(jobs: Jobs, db: Kysely<Tables>, settings: PublicMapSettings): void {
  jobs.define(PUBLIC_REFRESH_JOB, async () => {
    await refreshPublicMap(db, settings);
  }, { retryLimit: 3, retryDelaySeconds: 60, deleteAfterSeconds: 24 * 3600 });
}

/** Schedules the weekly refresh, and asks for one now if the stored map is stale for these settings. */
export async function schedulePublicMapJobs(jobs: Jobs, db: Kysely<Tables>, settings: PublicMapSettings, now: Date = new Date()): Promise<void> {
  await jobs.schedule(PUBLIC_REFRESH_JOB, SCHEDULE);
  const state = await readPublicMapState(db);
  if (!state || state.k !== settings.k || state.receivedUpTo !== receivedUpTo(now, settings.delayDays)) {
    await jobs.enqueue(db, PUBLIC_REFRESH_JOB, {}, { singletonKey: PUBLIC_REFRESH_JOB });
  }
}
