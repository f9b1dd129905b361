/**
 * Where submitted reports are committed: group commit. Reports that arrive while a commit is under
 * way wait for the next one, and each commit routes all of them in one query and writes them in one
 * transaction. A lone report is written at once (no timer, no added wait); under a crowd, one
 * commit — and one sync to disk — serves many reports instead of one each.
 *
 * Every caller's promise settles only after its report's transaction has committed, so an answer
 * still means "durably stored". If a batch fails, each of its reports is tried alone, so one bad
 * row cannot sink the others.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { naturalBatches } from '../../core/batching.ts';
import { groupsCovering } from '../groups/index.ts';
import * as store from './store.ts';

/** A report ready to store, except for the group that holds it, which the intake works out. */
export type PreparedReport = Omit<store.NewReport, 'groupId'> & {
  id: string;
  /** The point, for routing; not stored in clear. */
  point: { lat: number; lon: number } | undefined;
  identifiers: readonly store.NewIdentifier[];
};

export interface ReportIntake {
  /** Resolves once the report is committed. */
  submit(report: PreparedReport): Promise<void>;
}

/** More than this many waiting reports are written in several commits, to keep statements small. */
const MAX_BATCH = 200;

interface Waiting {
  report: PreparedReport;
  resolve: () => void;
  reject: (error: unknown) => void;
}

async function route(db: Kysely<Tables>, reports: readonly PreparedReport[]) {
  const located = reports.filter((report) => report.point !== undefined);
  const holders = await groupsCovering(db, located.map((report) => ({ ...report.point!, country: report.country })));
  const holderOf = new Map(located.map((report, i) => [report.id, holders[i]?.id ?? null]));
  return reports.map(({ point: _point, ...report }) => ({ ...report, groupId: holderOf.get(report.id) ?? null }));
}

async function commit(db: Kysely<Tables>, reports: readonly PreparedReport[]): Promise<void> {
  const routed = await route(db, reports);
  await db.transaction().execute((trx) => store.insertReports(trx, routed));
}

export function createIntake(db: Kysely<Tables>): ReportIntake {
  const enqueue = naturalBatches<Waiting>(async (batch) => {
    try {
      await commit(db, batch.map((w) => w.report));
      for (const w of batch) w.resolve();
    } catch {
      for (const w of batch) await commit(db, [w.report]).then(w.resolve, w.reject);
    }
  }, MAX_BATCH);
  return {
    submit: (report) => new Promise<void>((resolve, reject) => enqueue({ report, resolve, reject })),
  };
}
