/**
 * `cast retention run [--dry-run]`: applies the retention policy now, as the daily job does
 * (decision 0018). Safe while the instance runs: batches lock their reports and skip those another
 * run holds, and nothing done is done twice. A dry run counts the reports and changes nothing.
 */
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
      return;
    }
    console.log(`${totals.reportsPurged} reports reduced to statistics, ${totals.reportsKept} past the period kept (network, confirmed link or disclosure)`);
    console.log(`${totals.signaturesErased} unconfirmed signatures erased, ${totals.subscribersDeleted} newsletter subscribers deleted, ${totals.registrationsDeleted} event sign-ups deleted, in ${seconds} s`);
  });
  return 0;
}
