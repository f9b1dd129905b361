/**
 * Rebuilds every fuzzy encoding from the sealed fields (`cast correlation relink --encodings`): after
 * the blind-index key changed, or after a change to how values are encoded (encoding.ts), the Bloom
 * filters and bands in the database no longer match what new reports produce, so similar values
 * stop meeting. This opens each report's addresses, place description and names (reports module,
 * `fuzzySourcesAfter`), encodes them again with the instance's linker and proposes the links the new
 * encodings find; links already there keep their status.
 *
 * Guarantees: batches of reports by id, each in one transaction that replaces the batch's encodings
 * and saves the cursor (correlation_rebuilds), so an interrupted rebuild resumes where it stopped and
 * never leaves a report half encoded; the reports of a batch are read FOR SHARE, so an addition by
 * receipt code waits for the batch rather than losing its encoding. Then the bands of the replaced
 * encodings are swept away, also in resumable batches. Clear values stay in memory; one audit entry
 * records the rebuild (no value, no report).
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import { fuzzySourcesAfter } from '../reports/index.ts';
import type { Linker } from './linker.ts';
import * as store from './store.ts';

export const REBUILD_BATCH = 500;
const SWEEP_BATCH = 20_000;

export interface RebuildTotals {
  /** Reports whose values were encoded again. */
  reports: number;
  encodings: number;
  /** Links proposed (or found again) by the new encodings. */
  links: number;
  /** Bands of the replaced encodings swept away. */
  bandsDeleted: number;
  /** Whether this run carried on an interrupted one. */
  resumed: boolean;
}

export interface RebuildOptions {
  batch?: number;
  /** Drop an interrupted rebuild and start again from the first report. */
  restart?: boolean;
  /** Called after every batch. */
  progress?: (totals: RebuildTotals & { phase: string }) => void;
  /** Stops after this many batches of either phase (tests use it to interrupt a run). */
  maxBatches?: number;
}

const totalsOf = (row: store.RebuildRow, resumed: boolean): RebuildTotals => ({ reports: row.reports, encodings: row.encodings, links: row.links, bandsDeleted: Number(row.bands_deleted), resumed });

/** Runs (or resumes) a rebuild to its end, or until `maxBatches`; returns the totals so far and whether it finished. */
export async function rebuildEncodings(db: Kysely<Tables>, sealer: FieldSealer, linker: Pick<Linker, 'linkFuzzy'>, options: RebuildOptions = {}): Promise<RebuildTotals & { finished: boolean }> {
  const batch = options.batch ?? REBUILD_BATCH;
  // Each batch opens restricted fields: the run is audited when it starts or is abandoned, not
  // only when it ends, so an interrupted run still leaves its trace.
  if (options.restart) {
    await db.transaction().execute(async (trx) => {
      const abandoned = await store.runningRebuild(trx);
      await store.abandonRebuilds(trx);
      if (abandoned) await appendAudit(trx, { actorId: null, action: 'correlation.encodings-rebuild-abandoned', subject: `correlation-rebuild:${abandoned.id}`, detail: { reports: abandoned.reports, encodings: abandoned.encodings } });
    });
  }
  const existing = await db.transaction().execute((trx) => store.runningRebuild(trx));
  const resumed = existing !== undefined;
  if (!existing) {
    await db.transaction().execute(async (trx) => {
      const started = await store.startRebuild(trx);
      await appendAudit(trx, { actorId: null, action: 'correlation.encodings-rebuild-started', subject: `correlation-rebuild:${started.id}`, detail: { batch } });
    });
  }
  let batches = 0;
  for (;;) {
    if (options.maxBatches !== undefined && batches >= options.maxBatches) {
      const row = await db.transaction().execute((trx) => store.runningRebuild(trx));
      return { ...(row ? totalsOf(row, resumed) : { reports: 0, encodings: 0, links: 0, bandsDeleted: 0, resumed }), finished: row === undefined };
    }
    batches++;
    const step = await db.transaction().execute(async (trx) => {
      const row = await store.runningRebuild(trx);
      // Another run finished it while this one waited for the lock.
      if (!row) return { done: true, row: undefined };
      if (row.phase === 'encodings') {
        const page = await fuzzySourcesAfter(trx, sealer, row.after_report ?? undefined, batch, { lock: true });
        if (page.last === undefined) row.phase = 'bands';
        else {
          await store.deleteEncodingsOf(trx, page.reportIds);
          const written = await linker.linkFuzzy(trx, page.sources);
          row.after_report = page.last;
          row.reports += page.sources.length;
          row.encodings += written.encodings;
          row.links += written.links;
        }
      } else {
        const after = row.after_band !== null && row.after_encoding !== null ? { band: row.after_band, encodingId: row.after_encoding } : undefined;
        const swept = await store.sweepOrphanBands(trx, after, SWEEP_BATCH);
        row.bands_deleted = String(Number(row.bands_deleted) + swept.deleted);
        if (swept.last === undefined) {
          row.phase = 'done';
          await appendAudit(trx, { actorId: null, action: 'correlation.encodings-rebuilt', subject: `correlation-rebuild:${row.id}`, detail: { reports: row.reports, encodings: row.encodings, links: row.links, bandsDeleted: Number(row.bands_deleted) } });
        } else {
          row.after_band = swept.last.band;
          row.after_encoding = swept.last.encodingId;
        }
      }
      await store.saveRebuild(trx, row);
      return { done: row.phase === 'done', row };
    });
    if (step.row) options.progress?.({ ...totalsOf(step.row, resumed), phase: step.row.phase });
    if (step.done) return { ...(step.row ? totalsOf(step.row, resumed) : { reports: 0, encodings: 0, links: 0, bandsDeleted: 0, resumed }), finished: true };
  }
}
