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
  /** Addresses and the place description in clear, in memory only, for the commit hook's fuzzy encodings. */
  fuzzy: readonly FuzzyValue[];
};

export interface FuzzyValue {
  field: 'name' | 'address' | 'place';
  value: string;
}

/** What the commit hook learns of each report written: no restricted field except `fuzzy`, in memory. */
export interface CommittedReport {
  id: string;
  groupId: string | null;
  country: string;
  receivedOn: string;
  observedFrom: string | null;
  placeType: string | null;
  h3Cell: string | null;
  identifiers: readonly { kind: string; blindIndex: Buffer }[];
  fuzzy: readonly FuzzyValue[];
}

/**
 * Runs inside the transaction that writes reports (or a reporter's added identifiers), so what it
 * writes commits with them: the correlation module links reports here at submission.
 */
export type ReportCommitHook = (trx: Kysely<Tables>, reports: readonly CommittedReport[]) => Promise<void>;

export const toCommitted = (report: Omit<PreparedReport, 'point'> & { groupId: string | null }): CommittedReport => ({
  id: report.id,
  groupId: report.groupId,
  country: report.country,
  receivedOn: report.receivedOn,
  observedFrom: report.observedFrom,
  placeType: report.placeType,
  h3Cell: report.h3Cell,
  identifiers: report.identifiers.map((i) => ({ kind: i.kind, blindIndex: i.blindIndex })),
  fuzzy: report.fuzzy,
});

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

async function commit(db: Kysely<Tables>, reports: readonly PreparedReport[], hook: ReportCommitHook | undefined): Promise<void> {
  const routed = await route(db, reports);
  await db.transaction().execute(async (trx) => {
    await store.insertReports(trx, routed);
    if (hook) await hook(trx, routed.map(toCommitted));
  });
}

export function createIntake(db: Kysely<Tables>, hook?: ReportCommitHook): ReportIntake {
  const enqueue = naturalBatches<Waiting>(async (batch) => {
    try {
      await commit(db, batch.map((w) => w.report), hook);
      for (const w of batch) w.resolve();
    } catch {
      for (const w of batch) await commit(db, [w.report], hook).then(w.resolve, w.reject);
    }
  }, MAX_BATCH);
  return {
    submit: (report) => new Promise<void>((resolve, reject) => enqueue({ report, resolve, reject })),
  };
}
