/**
 * `npx tsx bench/retention.ts [--reports=N] [--held=H] [--batch=B]`: the retention figure of issue 10,
 * measured in-process against a real database (PGlite, or a fresh PostgreSQL database when
 * DATABASE_URL is set): one run of the retention job over N reports (100,000 by default) all past
 * the period, each with every restricted field filled, two identifiers, an addition, a sealed note,
 * a fuzzy encoding (a purge leaves bands alone, so none are seeded), a place-and-time row and a
 * proposed link to the next report; H of them (1,000) in a network, so held. Then a second run
 * (nothing left to do: the cost of walking the held ones), and the check that map and route totals
 * did not move.
 *
 * Seeding is SQL over generate_series; sealed columns hold a placeholder (a purge never opens them).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/core/config.ts';
import { databaseOptions, openDatabase } from '../src/core/db/database.ts';
import { migrate } from '../src/core/db/migrate.ts';
import type { Tables } from '../src/core/db/tables.ts';
import { runRetention } from '../src/modules/retention/index.ts';
import { freshBenchDatabase } from './database.ts';
import { benchEnvironment, makeTempDir } from './server.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
const option = (name: string, fallback: string) => process.argv.slice(2).find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

export async function seed(db: Kysely<Tables>, count: number, held: number) {
  const started = performance.now();
  // Three years ago and before, spread over 900 days; cells and routes so that the totals have rows.
  await sql`
    insert into reports (reference, receipt_hash, country, received_on, place_type, observed_from, observed_time, exploitation_types, indicators, route_origin,
                         h3_cell, location_sealed, narrative_sealed, vehicles_sealed, contact_sealed, names_sealed, contact_consent, summary)
    select 'R-' || lpad(upper(to_hex(i)), 8, '0'), decode(md5('bench-retention-' || i), 'hex'), 'GB', current_date - 1100 - (i % 900), 'car-wash',
           current_date - 1102 - (i % 900), 'evening', array['labour'], array['person.fearful'], array['RO'],
           '87195da49ffffff', 'k1.placeholder', 'k1.placeholder', 'k1.placeholder', 'k1.placeholder', 'k1.placeholder', true, 'A summary'
    from generate_series(1, ${count}) as i`.execute(db);
  await sql`
    insert into report_identifiers (report_id, kind, blind_index, value_sealed)
    select r.id, 'phone', sha256(convert_to(r.reference || '-' || j, 'UTF8')), 'k1.placeholder'
    from reports r, generate_series(0, 1) as j`.execute(db);
  await sql`insert into report_additions (report_id, added_on, narrative_sealed) select id, received_on, 'k1.placeholder' from reports`.execute(db);
  await sql`insert into report_events (report_id, kind, note_sealed) select id, 'noted', 'k1.placeholder' from reports`.execute(db);
  await sql`insert into correlation_encodings (report_id, field, bloom, bits) select id, 'address', decode(md5(reference), 'hex'), 40 from reports`.execute(db);
  await sql`insert into correlation_places (report_id, place_type, h3_cell, day) select id, 'car-wash', h3_cell, received_on from reports`.execute(db);
  await sql`
    insert into report_links (report_a, report_b, score, reasons)
    select least(a.id, b.id), greatest(a.id, b.id), 1, '[{"method":"exact","kind":"phone","index":"00"}]'::jsonb
    from (select id, row_number() over (order by id) as n from reports) a join (select id, row_number() over (order by id) as n from reports) b on b.n = a.n + 1
    on conflict do nothing`.execute(db);
  await sql`insert into networks (id, country, name) values ('00000000-0000-4000-8000-000000000001', 'GB', 'Bench network')`.execute(db);
  await sql`insert into network_reports (network_id, report_id) select '00000000-0000-4000-8000-000000000001', id from reports order by id limit ${held}`.execute(db);
  for (const table of ['reports', 'report_identifiers', 'report_additions', 'report_events', 'correlation_encodings', 'correlation_places', 'report_links', 'network_reports']) {
    await sql`analyze ${sql.table(table)}`.execute(db);
  }
  log(`seeded ${count} old reports (${held} in a network) with identifiers, additions, notes, encodings, places and links in ${seconds(started)} s`);
}

const totals = async (db: Kysely<Tables>) =>
  JSON.stringify([
    (await sql`select * from report_map_cells where reports <> 0 order by 1, 2, 3, 4, 5`.execute(db)).rows,
    (await sql`select * from report_route_flows where reports <> 0 order by 1, 2, 3, 4, 5, 6, 7`.execute(db)).rows,
  ]);

async function main() {
  const count = Number(option('reports', '100000'));
  const held = Number(option('held', '1000'));
  const batch = Number(option('batch', '100'));
  const dataDir = makeTempDir();
  const server = process.env.DATABASE_URL ? await freshBenchDatabase(process.env.DATABASE_URL) : undefined;
  const env = { ...(await benchEnvironment(dataDir)), ...(server ? { DATABASE_URL: server.url } : {}) };
  const config = loadConfig(env);
  const database = await openDatabase(databaseOptions(config));
  try {
    await migrate(database);
    const db = database.db;
    await seed(db, count, held);
    const before = await totals(db);
    const t1 = performance.now();
    const first = await runRetention(db, config.retention, { reportBatch: batch });
    const firstSeconds = seconds(t1);
    const t2 = performance.now();
    const second = await runRetention(db, config.retention, { reportBatch: batch });
    const secondSeconds = seconds(t2);
    const unchanged = (await totals(db)) === before;
    const left = (await sql<{ n: string }>`select count(*) as n from report_identifiers`.execute(db)).rows[0]!.n;
    console.log(
      JSON.stringify({
        engine: server ? 'postgres' : 'pglite',
        reports: count,
        held,
        batch,
        firstRun: { seconds: Number(firstSeconds), purged: first.reportsPurged, kept: first.reportsKept, reportsPerSecond: Math.round(first.reportsPurged / Number(firstSeconds)) },
        secondRun: { seconds: Number(secondSeconds), purged: second.reportsPurged, kept: second.reportsKept },
        identifiersLeft: Number(left),
        totalsUnchanged: unchanged,
      }),
    );
    if (!unchanged || first.reportsPurged !== count - held || second.reportsPurged !== 0) process.exitCode = 1;
  } finally {
    await database.close();
    await server?.drop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
