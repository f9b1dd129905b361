/**
 * `cast retention run [--dry-run]`: applies the retention policy now, as the daily job does
 * (decisions 0018 and 0024). Safe while the instance runs: batches lock their rows and skip those
 * another run holds, and nothing done is done twice. A dry run counts what every rule would do and
 * changes nothing.
 */
import type { RetentionTotals } from '../modules/retention/index.ts';
import { parse } from './args.ts';
import { withDatabase } from './context.ts';

export async function run(args: string[]): Promise<number> {
  const parsed = parse('retention run', args, { 'dry-run': { type: 'boolean' } });
  const dryRun = parsed.values['dry-run'] === true;
  // Loaded here: the modules bring the whole application with them.
  const { runRetention } = await import('../modules/retention/index.ts');
  const started = Date.now();
  await withDatabase(async (database, config) => {
    const totals = await runRetention(database.db, config.retention, { dryRun });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (dryRun) {
      console.log(`dry run: ${totals.reportsPurged} reports would be reduced to statistics, ${totals.reportsKept} past the period kept (network, confirmed link or disclosure); nothing changed`);
      console.log(`would go: ${supporterCounts(totals)}`);
      return;
    }
    console.log(`${totals.reportsPurged} reports reduced to statistics, ${totals.reportsKept} past the period kept (network, confirmed link or disclosure)`);
    console.log(`gone: ${supporterCounts(totals)}, in ${seconds} s`);
  });
  return 0;
}

/** The supporter rules' counts, one phrase each, in the order they run. */
function supporterCounts(totals: RetentionTotals): string {
  return [
    `${totals.signaturesErased} unconfirmed signatures erased`,
    `${totals.subscribersDeleted} newsletter subscribers deleted`,
    `${totals.registrationsDeleted} event sign-ups deleted`,
    `${totals.chocolateRequestsErased} chocolate action e-mails erased`,
    `${totals.giftAidDeclarationsDeleted} Gift Aid declarations deleted`,
  ].join(', ');
}
