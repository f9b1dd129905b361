/**
 * The export jobs: running a long export into a file of the data directory, and sweeping expired
 * exports (file, then row). A job's file holds no restricted field (see export-service.ts); it is
 * written under a temporary name and renamed when complete, so a download never sees half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Jobs } from '../../core/jobs.ts';
import { EXPORT_JOB, exportsDir, SWEEP_JOB, type ExportDeps } from './export-service.ts';
import * as store from './export-store.ts';
import { exportStream, STREAM_BUFFER_BYTES } from './export-stream.ts';
import type { ReportFilters } from './filters.ts';

/** How often progress is written while an export runs. */
const PROGRESS_EVERY_MS = 500;

export async function runExport(deps: Omit<ExportDeps, 'jobs'>, exportId: string): Promise<void> {
  const row = await store.findExport(deps.db, exportId);
  if (!row || row.status === 'done' || row.status === 'failed') return;
  const dir = exportsDir(deps.dataDir);
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const fileName = `${row.id}.${row.format}`;
  const final = path.join(dir, fileName);
  const partial = `${final}.part`;
  if (!(await store.markRunning(deps.db, row.id, fileName))) return;
  const filters = (typeof row.filters === 'string' ? JSON.parse(row.filters) : row.filters) as ReportFilters;
  const scope = row.group_id ? { groupId: row.group_id } : { country: row.country! };
  let rowsDone = 0;
  let lastWrite = Date.now();
  const onBatch = async (done: number) => {
    rowsDone = done;
    if (Date.now() - lastWrite >= PROGRESS_EVERY_MS) {
      lastWrite = Date.now();
      await store.markProgress(deps.db, row.id, done);
    }
  };
  try {
    await pipeline(exportStream(deps, { scope, filters, format: row.format, restricted: false, title: scope.groupId ?? scope.country }, onBatch), fs.createWriteStream(partial, { mode: 0o600, highWaterMark: STREAM_BUFFER_BYTES }));
    await fs.promises.rename(partial, final);
    const { size } = await fs.promises.stat(final);
    await store.markDone(deps.db, row.id, rowsDone, size);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    await store.markFailed(deps.db, row.id);
    throw error;
  }
}

/** Deletes expired exports: their files first, so a row never outlives a file it names. */
export async function sweepExports(deps: Pick<ExportDeps, 'db' | 'dataDir'>): Promise<number> {
  let swept = 0;
  for (;;) {
    const expired = await store.expiredExports(deps.db, 100);
    if (expired.length === 0) return swept;
    for (const row of expired) {
      if (!row.file_name) continue;
      const file = path.join(exportsDir(deps.dataDir), row.file_name);
      await fs.promises.rm(file, { force: true });
      await fs.promises.rm(`${file}.part`, { force: true });
    }
    await store.deleteExports(deps.db, expired.map((row) => row.id));
    swept += expired.length;
  }
}

/** Defines the jobs; call before the queue starts. */
export function defineExportJobs(jobs: Jobs, deps: Omit<ExportDeps, 'jobs'>): void {
  jobs.define<{ exportId: string }>(EXPORT_JOB, (data) => runExport(deps, data.exportId), { retryLimit: 1, retryDelaySeconds: 10, deleteAfterSeconds: 3600, concurrency: 1 });
  jobs.define(SWEEP_JOB, async () => {
    await sweepExports(deps);
  });
}

/** Schedules the sweep; call after the queue starts. */
export async function scheduleExportJobs(jobs: Jobs): Promise<void> {
  await jobs.schedule(SWEEP_JOB, '*/15 * * * *');
}
