/**
 * `npm run bench`: starts a real CAST (PGlite, or PostgreSQL when DATABASE_URL is set), warms it up,
 * runs each scenario for a fixed time at a fixed concurrency over loopback, prints one JSON line per
 * scenario on stdout (also written to bench/results/latest.jsonl) and logs for humans on stderr.
 * The server is stopped and its temporary directory removed whatever happens.
 */
import { freshBenchDatabase } from './database.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, runLoad, Target } from './load.ts';
import { parseOptions } from './options.ts';
import { MAP_SCENARIOS, scenarios, type Scenario } from './scenarios.ts';
import { ROUTE_SCENARIOS } from './seed-routes.ts';
import { CHOCOLATE_SCENARIOS } from './chocolate-scenarios.ts';
import { benchEnvironment, makeTempDir, seedAccount, startServer, type BenchServer } from './server.ts';
import { round1, warmUp } from './warmup.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.jsonl');
/** Unmeasured load before each scenario, so its first requests (cold code paths, new sockets) are not timed. */
const SCENARIO_WARM_UP_MS = 2000;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dataDir = makeTempDir();
  const database = process.env.DATABASE_URL ? await freshBenchDatabase(process.env.DATABASE_URL) : undefined;
  let server: BenchServer | undefined;
  const stop = async () => {
    await server?.stop();
    server = undefined;
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().finally(() => process.exit(130)));
  try {
    const load = os.loadavg()[0]!;
    log(`load average ${load.toFixed(2)} on ${os.availableParallelism()} cores${load > 0.5 ? ': something else is running, expect noisy figures' : ''}`);
    const env = { ...(await benchEnvironment(dataDir)), ...(database ? { DATABASE_URL: database.url } : {}) };
    log(`seeding a bench account (${env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}) …`);
    // The million map reports take a minute or two to seed: only when a chosen scenario reads them.
    const map = !options.only || options.only.some((name) => MAP_SCENARIOS.includes(name));
    const routes = !options.only || options.only.some((name) => ROUTE_SCENARIOS.includes(name));
    const chocolate = !options.only || options.only.some((name) => CHOCOLATE_SCENARIOS.includes(name));
    const credentials = await seedAccount(env, { map, routes, chocolate });
    const startedAt = Date.now();
    server = await startServer(env, options.serverNodeArgs, log);
    log(`server ${server.pid} (${server.engine}${options.serverNodeArgs.length ? ` ${options.serverNodeArgs.join(' ')}` : ''}) answered /healthz after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    await measure(server, scenarios(credentials), options);
  } finally {
    await stop();
  }
}

async function measure(server: BenchServer, all: Scenario[], options: ReturnType<typeof parseOptions>): Promise<void> {
  const chosen = all.filter((s, i) => i === 0 || !options.only || options.only.includes(s.name));
  const target = new Target(server.port, options.connections);
  try {
    log(`warming up with ${options.connections} connections …`);
    const warm = await warmUp(target, all.slice(0, 3), options.connections, log);
    log(`warm-up: ${(warm.durationMs / 1000).toFixed(1)} s over ${warm.rounds.length} rounds${warm.steady ? '' : ' (never steady: figures below are suspect)'}`);
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, '');
    let baselineRps = 0;
    for (const scenario of chosen) {
      const sources = await Promise.all(Array.from({ length: options.connections }, (_, i) => scenario.prepare(target, i)));
      await runLoad(target, sources, SCENARIO_WARM_UP_MS);
      log(`${scenario.name}: ${options.durationSeconds} s at ${options.connections} connections …`);
      const result = await runLoad(target, sources, options.durationSeconds * 1000);
      const sorted = result.latenciesMs.sort((a, b) => a - b);
      const rps = result.succeeded / (result.elapsedMs / 1000);
      if (scenario.name === 'baseline') baselineRps = rps;
      const line = {
        scenario: scenario.name,
        engine: server.engine,
        requests: result.requests,
        rps: Math.round(rps),
        p50Ms: round1(percentile(sorted, 50)),
        p95Ms: round1(percentile(sorted, 95)),
        p99Ms: round1(percentile(sorted, 99)),
        errors: result.errors,
        non2xx3xx: result.non2xx3xx,
        rssMb: server.rssMb(),
        ratioToBaseline: baselineRps > 0 ? Math.round((rps / baselineRps) * 1000) / 1000 : 0,
      };
      if (result.errors > 0 || result.non2xx3xx > 0) log(`  ${scenario.name}: ${result.errors} socket errors; statuses ${JSON.stringify(result.statuses)}`);
      process.stdout.write(`${JSON.stringify(line)}\n`);
      fs.appendFileSync(RESULTS, `${JSON.stringify(line)}\n`);
    }
  } finally {
    target.close();
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
