/** SQL of the packs module: the self-check's anonymous totals, its only table. */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { PacksTables } from './tables.ts';

type Db = Kysely<Tables>;
const own = (db: Db) => db.withTables<PacksTables>();

/** Adds a batch of checks to the totals in one statement: one count per (scenario, option), '' for the checks themselves. */
export async function addToTotals(db: Db, checks: { scenarioId: string; picked: readonly string[] }[]): Promise<void> {
  const counts = new Map<string, { scenario_id: string; option_id: string; picked: number }>();
  const add = (scenarioId: string, optionId: string) => {
    const key = `${scenarioId}|${optionId}`;
    const row = counts.get(key) ?? { scenario_id: scenarioId, option_id: optionId, picked: 0 };
    row.picked += 1;
    counts.set(key, row);
  };
  for (const check of checks) {
    add(check.scenarioId, '');
    for (const option of check.picked) add(check.scenarioId, option);
  }
  // Sorted, so concurrent batches lock rows in one order and cannot deadlock.
  const rows = [...counts.values()].sort((a, b) => (a.scenario_id + a.option_id < b.scenario_id + b.option_id ? -1 : 1));
  await own(db)
    .insertInto('self_check_totals')
    .values(rows)
    .onConflict((oc) => oc.columns(['scenario_id', 'option_id']).doUpdateSet({ picked: sql`self_check_totals.picked + excluded.picked` }))
    .execute();
}

/** The totals of one scenario: checks sent, and how often each option was ticked. */
export async function totalsOf(db: Db, scenarioId: string): Promise<{ checks: number; picked: Map<string, number> }> {
  const rows = await own(db).selectFrom('self_check_totals').select(['option_id', 'picked']).where('scenario_id', '=', scenarioId).execute();
  const picked = new Map<string, number>();
  let checks = 0;
  for (const row of rows) {
    if (row.option_id === '') checks = Number(row.picked);
    else picked.set(row.option_id, Number(row.picked));
  }
  return { checks, picked };
}
