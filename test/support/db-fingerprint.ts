/**
 * A cheap fingerprint of the whole database, to prove that a refused request changed nothing: the row
 * count of every table of the application, the head of the audit chain, and the number of jobs waiting
 * outside the scheduled (cron) queues. Tables whose rows move for reasons other than the request under
 * test are left out, each for the reason written beside it.
 */
import { sql, type Kysely } from 'kysely';

export const UNFINGERPRINTED_TABLES: Readonly<Record<string, string>> = {
  // Rate limits count every request to a limited route, refused ones included: that is their job.
  throttle_counters: 'rate-limit counters count refused requests too',
  // A one-second timer folds accepted confirmations' delta rows into the counts, whatever request comes next.
  declaration_count_deltas: 'folded into declaration_counts by a timer, not by the request',
  declaration_counts: 'written by the tally timer, not by the request',
};

export type Fingerprint = Record<string, string | number>;

let cachedQuery: { tables: string[]; text: string } | undefined;

async function fingerprintQuery(db: Kysely<unknown>): Promise<string> {
  if (cachedQuery) return cachedQuery.text;
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const tables = rows.rows.map((row) => row.table_name).filter((name) => !(name in UNFINGERPRINTED_TABLES));
  // Names come from the catalogue and are quoted, so the statement is built from trusted text only.
  const counts = tables.map((name) => `select '${name}' as item, count(*)::text as value from "${name.replace(/"/g, '""')}"`);
  counts.push(`select 'audit head' as item, coalesce((select hash from audit_log order by id desc limit 1), '') as value`);
  // Cron queues (and pg-boss's own queues, which send the cron jobs) fill by the clock; every other
  // queued job was put there by a request.
  counts.push(`select 'queued jobs' as item, count(*)::text as value from pgboss.job where name not in (select name from pgboss.schedule) and left(name, 10) <> '__pgboss__'`);
  cachedQuery = { tables, text: counts.join(' union all ') };
  return cachedQuery.text;
}

export async function fingerprint(db: Kysely<unknown>): Promise<Fingerprint> {
  const result = await sql<{ item: string; value: string }>`${sql.raw(await fingerprintQuery(db))}`.execute(db);
  return Object.fromEntries(result.rows.map((row) => [row.item, row.item === 'audit head' ? row.value : Number(row.value)]));
}

/** What differs, as `item: before → after`; empty when nothing changed. */
export function fingerprintChanges(before: Fingerprint, after: Fingerprint): string[] {
  const items = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...items].filter((item) => before[item] !== after[item]).map((item) => `${item}: ${before[item]} → ${after[item]}`);
}
