/**
 * `DATABASE_URL=postgresql://… npx tsx bench/declaration.ts [--seconds=60] [--connections=64]`:
 * signDeclaration sustained against a real CAST child process on PostgreSQL, every signature a new
 * address, then every signature confirmed and the counts checked. Prints one JSON line.
 *
 * Goal (issue 7): at least 2,000 signatures per second for 60 s, with every accepted signature stored
 * and the confirmed count exact after confirmation. The baseline (/api/v1/ping, no database) is
 * measured in the same run at the same concurrency, and the ratio printed beside the figure.
 *
 * The server runs with CAST_RUN_JOBS=false: the confirmation e-mails are queued (in the signatures'
 * own transactions) but not sent while the clock runs — delivery is a separate, asynchronous stage
 * bounded by the mail relay. The bench then reads each queued message's link from the job queue, as
 * the recipient would read it from the e-mail, confirms every signature over HTTP, and runs the
 * tally as a job process would.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/core/config.ts';
import { databaseOptions, openDatabase } from '../src/core/db/database.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { tallyDeclarationCounts } from '../src/modules/declaration/index.ts';
import { freshBenchDatabase } from './database.ts';
import { percentile, runLoad, Target, type NextRequest } from './load.ts';
import { benchEnvironment, makeTempDir, startServer, type BenchServer } from './server.ts';
import fs from 'node:fs';

const log = (line: string) => process.stderr.write(`${line}\n`);
const SLUG = 'stop-the-traffik';
const COUNTRIES = ['GB', 'FR', 'CI', 'GH', 'NL', 'IN', 'US', 'NG', 'DE', 'ES'];

function option(name: string, fallback: number): number {
  const given = process.argv.slice(2).find((arg) => arg.startsWith(`--${name}=`));
  const value = given ? Number(given.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number`);
  return value;
}

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL server (a fresh database is made there and dropped afterwards)');
  const seconds = option('seconds', 60);
  const connections = option('connections', 64);
  const dataDir = makeTempDir();
  const database = await freshBenchDatabase(process.env.DATABASE_URL);
  let server: BenchServer | undefined;
  try {
    const env = { ...(await benchEnvironment(dataDir)), DATABASE_URL: database.url, CAST_RUN_JOBS: 'false' };
    const opened = await openDatabase(databaseOptions(loadConfig(env)));
    await migrate(opened);
    const db = opened.db;
    server = await startServer(env, [], log);
    const target = new Target(server.port, connections);

    // Warm up both paths, then the baseline, then signing: all at the same concurrency.
    const ping: NextRequest = () => ({ method: 'GET', path: '/api/v1/ping' });
    let serial = 0;
    const signer = (connection: number): NextRequest => () => {
      serial += 1;
      const body = JSON.stringify({ name: `Bench Signer ${serial}`, email: `signer.${connection}.${serial}@bench.example.org`, country: COUNTRIES[serial % COUNTRIES.length], postcode: 'AB1 2CD' });
      return { method: 'POST', path: `/api/v1/declarations/${SLUG}/signatures`, headers: { 'content-type': 'application/json' }, body };
    };
    const signers = Array.from({ length: connections }, (_, i) => signer(i));
    log(`warming up (${connections} connections) …`);
    await runLoad(target, Array.from({ length: connections }, () => ping), 3000);
    const warm = await runLoad(target, signers, 5000);
    log(`baseline: 10 s …`);
    const baseline = await runLoad(target, Array.from({ length: connections }, () => ping), 10_000);
    const baselineRps = baseline.succeeded / (baseline.elapsedMs / 1000);
    const rssBefore = server.rssMb();
    log(`signDeclaration: ${seconds} s …`);
    const result = await runLoad(target, signers, seconds * 1000);
    const rps = result.succeeded / (result.elapsedMs / 1000);
    const latencies = result.latenciesMs.sort((a, b) => a - b);
    const accepted = (warm.statuses[202] ?? 0) + (result.statuses[202] ?? 0);
    log(`  ${Math.round(rps)} signatures/s; statuses ${JSON.stringify(result.statuses)}; ${result.errors} socket errors`);

    // Every accepted signature stored?
    const stored = Number((await sql<{ n: string }>`select count(*) as n from declaration_signatures`.execute(db)).rows[0]!.n);
    const marked = Number((await sql<{ n: string }>`select count(*) as n from declaration_signatures where flag is not null`.execute(db)).rows[0]!.n);

    // Confirm every signature with the link from its queued e-mail.
    const { rows: mails } = await sql<{ text: string }>`select data->>'text' as text from pgboss.job where name = 'mail.send'`.execute(db);
    const tokens = mails.map((m) => /\/declarations\/confirm\/([A-Za-z0-9_-]{43})/.exec(m.text)?.[1]).filter((t): t is string => t !== undefined);
    log(`confirming ${tokens.length} signatures …`);
    let next = 0;
    const confirmers = Array.from({ length: connections }, (): NextRequest => () => {
      const token = tokens[next++ % tokens.length]!;
      return { method: 'POST', path: '/api/v1/declaration-signatures/confirm', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) };
    });
    const confirmStarted = performance.now();
    const confirmed = { ok: 0, other: 0 };
    // Closed-loop until every token was sent once (a few are sent twice at the end: they must answer already-confirmed).
    while (next < tokens.length) {
      const round = await runLoad(target, confirmers, 1000);
      confirmed.ok += round.statuses[200] ?? 0;
      confirmed.other += round.requests - (round.statuses[200] ?? 0);
    }
    const confirmMs = performance.now() - confirmStarted;
    const { rows: pendingRows } = await sql<{ n: string }>`select count(*) as n from declaration_signatures where confirmed_at is null`.execute(db);

    // The tally, as a job process runs it, until nothing waits; then the public reading.
    const tallyStarted = performance.now();
    let folded = 0;
    for (;;) {
      const moved = await tallyDeclarationCounts(db);
      folded += moved;
      if (moved === 0) break;
    }
    const tallyMs = performance.now() - tallyStarted;
    const counts = (await (await fetch(`http://127.0.0.1:${server.port}/api/v1/declarations/${SLUG}/counts`)).json()) as { total: number };
    const { rows: table } = await sql<{ n: string }>`select coalesce(sum(total), 0) as n from declaration_counts`.execute(db);
    target.close();
    await opened.close();

    const line = {
      scenario: 'signDeclaration',
      engine: 'postgres',
      seconds,
      connections,
      signatures: result.succeeded,
      rps: Math.round(rps),
      p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      p95Ms: Math.round(percentile(latencies, 95) * 10) / 10,
      p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
      errors: result.errors,
      non2xx: result.non2xx3xx,
      baselineRps: Math.round(baselineRps),
      ratioToBaseline: Math.round((rps / baselineRps) * 1000) / 1000,
      rssMbBefore: rssBefore,
      rssMbAfter: server.rssMb(),
      accepted,
      stored,
      marked,
      queuedMails: mails.length,
      confirmRps: rate(tokens.length, confirmMs),
      stillPending: Number(pendingRows[0]!.n),
      deltasFolded: folded,
      tallyMs: Math.round(tallyMs),
      countsTotal: counts.total,
      countsTable: Number(table[0]!.n),
      exact: stored === accepted && counts.total === accepted && Number(table[0]!.n) === accepted && marked === 0,
      goalMet: rps >= 2000,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if (!line.exact) process.exitCode = 1;
  } finally {
    await server?.stop();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
