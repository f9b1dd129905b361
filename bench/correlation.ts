/**
 * `npx tsx bench/correlation.ts [--reports=N] [--fuzzy=M] [--samples=S]`: the correlation figures of
 * issue 6, measured in-process against a real database (PGlite, or PostgreSQL when DATABASE_URL is
 * set), on N reports (1,000,000 by default) with 3 identifiers each:
 *
 * - exact-link lookup added to submitReport: S new reports, each written as the intake writes it
 *   (reports and identifiers in one transaction: the baseline), then the linker's exact half in the
 *   same transaction; p50/p95 of both and the ratio;
 * - fuzzy candidate generation for one new report: encode an address, look up its 16 LSH bands
 *   among M seeded address encodings, score the candidates (p50/p95);
 * - the full re-link (`cast correlation relink`): every identifier shared by two or more reports.
 *
 * Seeding: reports and identifiers in SQL over generate_series. One identifier in ten comes from a
 * shared pool (about 9 reports each, so ~1.2 million exact links at N = 1,000,000), and 100 values
 * are each in 120 reports (over the cap: common). Fuzzy encodings are computed for real (keyed Bloom
 * filters, MinHash bands) from M synthetic addresses, as the linker writes them.
 */
import crypto, { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/core/config.ts';
import { databaseOptions, openDatabase } from '../src/core/db/database.ts';
import { migrate } from '../src/core/db/migrate.ts';
import type { Tables } from '../src/core/db/tables.ts';
import { createLinker, DEFAULT_COMMON_CAP, relinkAll } from '../src/modules/correlation/index.ts';
import { dice, DICE_THRESHOLD } from '../src/modules/correlation/encoding.ts';
import { fuzzyCandidates, insertEncodings } from '../src/modules/correlation/store.ts';
import { freshBenchDatabase } from './database.ts';
import { benchEnvironment, makeTempDir } from './server.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
const option = (name: string, fallback: string) => process.argv.slice(2).find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const r1 = (n: number) => Math.round(n * 100) / 100;
const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Mill Lane', 'Park Avenue', 'London Road', 'Kirkgate', 'Queen Street', 'Green Lane'];
const TOWNS = ['Leeds', 'Bristol', 'Bradford', 'Hull', 'York', 'Derby', 'Luton', 'Slough', 'Wigan', 'Dover', 'Crewe', 'Ely'];
const address = (i: number) => `${1 + (i % 197)} ${STREETS[i % STREETS.length]}, ${TOWNS[Math.floor(i / 197) % TOWNS.length]} ${String.fromCharCode(65 + (i % 23))}${1 + (i % 29)} ${i % 9}${String.fromCharCode(65 + (i % 17))}${String.fromCharCode(66 + (i % 19))}`;

async function seed(db: Kysely<Tables>, count: number) {
  const started = Date.now();
  await sql`
    insert into reports (reference, receipt_hash, country, received_on)
    select 'R-' || lpad(upper(to_hex(i)), 8, '0'), decode(md5('bench-correlation-' || i), 'hex'), 'GB', date '2024-01-01' + (i % 900)
    from generate_series(1, ${count}) as i`.execute(db);
  log(`seeded ${count} reports in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const t2 = Date.now();
  // Three identifiers per report: one in ten from a shared pool, 100 common values, the rest unique.
  await sql`
    insert into report_identifiers (report_id, kind, blind_index, value_sealed)
    select r.id, 'phone',
           sha256(convert_to(case
             when (n * 3 + j) % 10 = 0 then 'shared-' || ((n * 3 + j) / 10) % ${Math.max(1, Math.floor(count / 30))}
             when (n * 3 + j) % 2500 = 1 then 'common-' || (n % 100)
             else 'unique-' || n || '-' || j end, 'UTF8')),
           'k1.placeholder'
    from (select id, row_number() over () as n from reports) r, generate_series(0, 2) as j`.execute(db);
  await sql`analyze reports`.execute(db);
  await sql`analyze report_identifiers`.execute(db);
  log(`seeded ${count * 3} identifiers in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
}

async function seedFuzzy(db: Kysely<Tables>, linker: ReturnType<typeof createLinker>, count: number) {
  const started = Date.now();
  const ids = (await sql<{ id: string }>`select id from reports order by id limit ${count}`.execute(db)).rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 2000) {
    const batch = ids.slice(i, i + 2000);
    // Written as the linker writes them, without matching each against the others (that is measured below).
    await insertEncodings(db, batch.map((reportId, k) => {
      const encoding = linker.encoder.encode('address', address(i + k))!;
      return { reportId, field: 'address' as const, bloom: encoding.bloom, bits: encoding.bits, bands: linker.encoder.bands(encoding) };
    }));
  }
  await sql`analyze correlation_bands`.execute(db);
  log(`seeded ${count} address encodings (${count * 16} bands) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const count = Number(option('reports', '1000000'));
  const fuzzy = Number(option('fuzzy', String(Math.min(count, 200_000))));
  const samples = Number(option('samples', '1000'));
  const dataDir = makeTempDir();
  const server = process.env.DATABASE_URL ? await freshBenchDatabase(process.env.DATABASE_URL) : undefined;
  const env = { ...(await benchEnvironment(dataDir)), ...(server ? { DATABASE_URL: server.url } : {}) };
  const database = await openDatabase(databaseOptions(loadConfig(env)));
  const engine = server ? 'postgres' : 'pglite';
  try {
    await migrate(database);
    const db = database.db;
    const linker = createLinker({ key: crypto.randomBytes(32), commonCap: DEFAULT_COMMON_CAP, warning: new Set() });
    await seed(db, count);
    await seedFuzzy(db, linker, fuzzy);

    // Exact-link lookup added to a submission.
    const base: number[] = [];
    const added: number[] = [];
    for (let s = 0; s < samples; s++) {
      const id = randomUUID();
      const identifiers = [0, 1, 2].map((j) => ({ kind: 'phone', blindIndex: crypto.createHash('sha256').update(j === 0 ? `shared-${s % 1000}` : `new-${s}-${j}`).digest() }));
      await db.transaction().execute(async (trx) => {
        const t0 = performance.now();
        await sql`insert into reports (id, reference, receipt_hash, country, received_on) values (${id}, ${'R-Z' + String(s).padStart(7, '0')}, ${crypto.randomBytes(32)}, 'GB', '2026-11-28')`.execute(trx);
        await sql`insert into report_identifiers (report_id, kind, blind_index, value_sealed) select ${id}::uuid, 'phone', unnest(${identifiers.map((i) => i.blindIndex)}::bytea[]), 'k1.placeholder'`.execute(trx);
        const t1 = performance.now();
        await linker.linkExact(trx, [{ id, identifiers }]);
        const t2 = performance.now();
        base.push(t1 - t0);
        added.push(t2 - t1);
      });
    }
    base.sort((a, b) => a - b);
    added.sort((a, b) => a - b);
    console.log(JSON.stringify({ scenario: 'exact-link-on-submit', engine, reports: count, identifiers: count * 3, samples, baselineP50Ms: r1(pct(base, 50)), baselineP95Ms: r1(pct(base, 95)), addedP50Ms: r1(pct(added, 50)), addedP95Ms: r1(pct(added, 95)), ratioP95: r1(pct(added, 95) / pct(base, 95)), goalP95Ms: 5 }));

    // Fuzzy candidate generation for one new report's address (half near-copies of seeded ones, half new).
    const times: number[] = [];
    let proposed = 0;
    let candidates = 0;
    for (let s = 0; s < samples; s++) {
      const value = s % 2 === 0 ? address((s * 7919) % fuzzy).toLowerCase().replace('road', 'rd') : `${s} Nowhere Close, Testham T${s % 9} 1AB`;
      const t0 = performance.now();
      const encoding = linker.encoder.encode('address', value)!;
      // The new report is not stored yet: a fresh id excludes nothing.
      const found = await fuzzyCandidates(db, [{ field: 'address', bands: linker.encoder.bands(encoding), reportId: randomUUID() }], 50);
      const matched = found.filter((c) => dice(encoding, c) >= DICE_THRESHOLD.address);
      times.push(performance.now() - t0);
      candidates += found.length;
      proposed += matched.length;
    }
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ scenario: 'fuzzy-candidates-one-report', engine, encodings: fuzzy, samples, p50Ms: r1(pct(times, 50)), p95Ms: r1(pct(times, 95)), meanCandidates: r1(candidates / samples), meanProposed: r1(proposed / samples), goalP95Ms: 50 }));

    // The full re-link.
    await sql`delete from report_links`.execute(db);
    await sql`delete from correlation_common_identifiers`.execute(db);
    const t0 = Date.now();
    const totals = await relinkAll(db, { key: crypto.randomBytes(32), commonCap: DEFAULT_COMMON_CAP, warning: new Set() });
    const seconds = (Date.now() - t0) / 1000;
    console.log(JSON.stringify({ scenario: 'relink-all', engine, reports: count + samples, identifiers: count * 3, sharedIdentifiers: totals.identifiers, links: totals.links, common: totals.common, seconds: r1(seconds), goalSeconds: 120 }));
  } finally {
    await database.close();
    await server?.drop();
  }
}

await main();
