/**
 * One retention run (decisions 0018 and 0024): reports past the retention period are reduced to
 * statistics unless they are part of the intelligence picture (a network, a confirmed link, a
 * disclosure), and supporters' personal data goes when the campaign rules say so. The daily job and
 * `cast retention run` call it.
 *
 * Guarantees: work in bounded batches, each its own transaction (a million old reports are never
 * locked or loaded at once); idempotent (a purged report is never touched again); concurrent runs
 * (two processes, the job and the CLI) purge each report once, since a batch locks its reports and
 * skips those another run holds, and so do the supporter rules; one audit entry per run with counts
 * only. A dry run counts what every rule would do and changes nothing.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../core/audit.ts';
import type { RetentionPeriods } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import { eraseSettledActionRequests } from '../chocolate/index.ts';
import { forgetReports, reportsHeldByCorrelation } from '../correlation/index.ts';
import { eraseUnconfirmedSignatures } from '../declaration/index.ts';
import { deleteExpiredGiftAidDeclarations } from '../donations/index.ts';
import { forgetPastRegistrations } from '../events/index.ts';
import { eraseLapsedSubscribers } from '../newsletter/index.ts';
import { lockReportsDueForPurge, purgeReports, type PurgeCursor } from '../reports/index.ts';
import { reportsHeldBySharing } from '../sharing/index.ts';

/**
 * Reports per transaction. Small, because the route-flow trigger on reports (migration 0013) joins a
 * statement's old and new rows in time that grows with the square of the rows updated: measured on
 * PostgreSQL, batches of 100 purged 930 reports/s, of 200 742/s, of 500 far fewer (docs/benchmarks.md).
 */
export const REPORT_BATCH = 100;
export const SUPPORTER_BATCH = 1000;

export interface RetentionTotals {
  /** Reports reduced to statistics (in a dry run: that would be). */
  reportsPurged: number;
  /** Reports past the period kept whole: in a network, a confirmed link or a disclosure. */
  reportsKept: number;
  signaturesErased: number;
  subscribersDeleted: number;
  registrationsDeleted: number;
  /** Confirmed chocolate action e-mails whose supporter and letter were erased. */
  chocolateRequestsErased: number;
  giftAidDeclarationsDeleted: number;
}

export interface RetentionOptions {
  now?: Date;
  /** Count what a run would do, for every rule, and change nothing; no audit entry. */
  dryRun?: boolean;
  reportBatch?: number;
}

/** One supporter rule: does up to `limit` rows' worth on `db` and says how many. */
type SupporterRule = (db: Kysely<Tables>, limit: number) => Promise<number>;

const DAY_MS = 86_400_000;
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export async function runRetention(db: Kysely<Tables>, periods: RetentionPeriods, options: RetentionOptions = {}): Promise<RetentionTotals> {
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const reports = await purgeOldReports(db, isoDay(daysBefore(now, periods.reportDays)), isoDay(now), dryRun, options.reportBatch ?? REPORT_BATCH);
  // One rule after another: on PGlite they share one session anyway, and a dry run's locks stay short.
  const apply = (rule: SupporterRule) => (dryRun ? countWithoutChanging(db, rule) : repeat((limit) => rule(db, limit)));
  const totals: RetentionTotals = {
    reportsPurged: reports.purged,
    reportsKept: reports.kept,
    signaturesErased: await apply((on, limit) => eraseUnconfirmedSignatures(on, daysBefore(now, periods.unconfirmedDays), now, limit)),
    subscribersDeleted: await apply((on, limit) => eraseLapsedSubscribers(on, daysBefore(now, periods.unsubscribedDays), limit)),
    registrationsDeleted: await apply((on, limit) => forgetPastRegistrations(on, daysBefore(now, periods.eventDays), limit)),
    chocolateRequestsErased: await apply((on, limit) => eraseSettledActionRequests(on, daysBefore(now, periods.chocolateDays), now, limit)),
    giftAidDeclarationsDeleted: await apply((on, limit) => deleteExpiredGiftAidDeclarations(on, { years: periods.giftAidYears, accountingYearEnd: periods.accountingYearEnd }, now, limit)),
  };
  if (!dryRun) {
    await appendAudit(db, { actorId: null, action: 'retention.run', detail: { ...totals, reportDays: periods.reportDays } });
  }
  return totals;
}

/** Walks the reports received before `cutoff` and not yet purged, one locked batch per transaction. */
async function purgeOldReports(db: Kysely<Tables>, cutoff: string, today: string, dryRun: boolean, batch: number): Promise<{ purged: number; kept: number }> {
  let after: PurgeCursor | null = null;
  let purged = 0;
  let kept = 0;
  for (;;) {
    const done: { last: PurgeCursor; purged: number; kept: number } | null = await db.transaction().execute(async (trx) => {
      const { ids, last } = await lockReportsDueForPurge(trx, cutoff, after, batch);
      if (!last) return null;
      const held = new Set([...(await reportsHeldByCorrelation(trx, ids)), ...(await reportsHeldBySharing(trx, ids))]);
      const due = ids.filter((id) => !held.has(id));
      if (dryRun) return { last, purged: due.length, kept: held.size };
      await forgetReports(trx, due);
      return { last, purged: await purgeReports(trx, due, today), kept: held.size };
    });
    if (!done) return { purged, kept };
    purged += done.purged;
    kept += done.kept;
    after = done.last;
  }
}

/** Thrown to end a dry run's transaction: rolling back is how a dry run changes nothing. */
class DryRunRollback extends Error {}

/**
 * What a supporter rule would do, found by doing it inside a transaction that is then rolled back.
 * The count is exactly a real run's (the very same statements, in the same batches), and no second
 * copy of each module's conditions can drift from the first. The price: the rule's rows stay locked
 * until the rollback and the work is done for nothing; dry runs are rare and run by hand.
 */
async function countWithoutChanging(db: Kysely<Tables>, rule: SupporterRule): Promise<number> {
  let count = 0;
  try {
    await db.transaction().execute(async (trx) => {
      count = await repeat((limit) => rule(trx, limit));
      throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return count;
}

/** Calls `step` with a batch size until it does less than a full batch; the sum of what it did. */
async function repeat(step: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await step(SUPPORTER_BATCH);
    total += done;
    if (done < SUPPORTER_BATCH) return total;
  }
}
