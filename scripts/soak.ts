/**
 * `npm run soak [-- --minutes=10] [--engine=postgres|pglite] [--out=docs/soak]`: starts CAST as
 * operators do (`node --import tsx src/server.ts`, on a fresh PostgreSQL database by default — on the
 * server DATABASE_URL names, else the local one — or on PGlite in a fresh data directory), measures
 * its capacity with a short ramp of the mixed journey (closed loop, more connections each step), then
 * offers half of it as an open-loop rate for the duration. A preload (scripts/soak/sampler.js) samples
 * RSS and event-loop delay inside the server every 5 s; the clients keep rate, latency and errors per
 * 5 s. Writes soak-<engine>.json (every sample) and soak-<engine>.png (the curves), prints the figures,
 * and exits 1 on any 5xx, unanswered or refused request, or when the curves are not flat
 * (scripts/soak/figures.ts states the criterion).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBenchDatabase, type BenchDatabase } from '../bench/database.ts';
import { runLoad, Target } from '../bench/load.ts';
import { benchEnvironment, makeTempDir, startServer, type BenchServer } from '../bench/server.ts';
import { drawSvg, svgToPng } from './soak/chart.ts';
import { computeFigures, judge, type ServerSample } from './soak/figures.ts';
import { journey, seedSoak, walker } from './soak/journeys.ts';
import { MAX_IN_FLIGHT, runPaced } from './soak/paced-load.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLER = pathToFileURL(path.join(ROOT, 'scripts/soak/sampler.js')).href;
const RAMP_CONNECTIONS = [2, 4, 8, 16, 32];
const WINDOW_MS = 5000;
const LOCAL_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres';
const USAGE = 'usage: npm run soak -- [--minutes=N (1–120, default 10)] [--engine=postgres|pglite] [--out=DIR]';

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Options {
  minutes: number;
  engine: 'postgres' | 'pglite';
  out: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { minutes: 10, engine: 'postgres', out: path.join(ROOT, 'docs/soak') };
  for (const arg of argv) {
    const [name, value = ''] = arg.split('=', 2) as [string, string?];
    if (name === '--minutes' && /^\d+(\.\d+)?$/.test(value) && Number(value) >= 0.5 && Number(value) <= 120) options.minutes = Number(value);
    else if (name === '--engine' && (value === 'postgres' || value === 'pglite')) options.engine = value;
    else if (name === '--out' && value) options.out = path.resolve(value);
    else throw new Error(`unknown or bad argument "${arg}"\n${USAGE}`);
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const dataDir = makeTempDir();
  const samplesFile = path.join(dataDir, 'soak-samples.jsonl');
  let database: BenchDatabase | undefined;
  let server: BenchServer | undefined;
  const stop = async () => {
    await server?.stop();
    server = undefined;
    await database?.drop();
    database = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().finally(() => process.exit(130)));
  try {
    const loadAtStart = os.loadavg();
    log(`load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores`);
    if (options.engine === 'postgres') database = await freshBenchDatabase(process.env.DATABASE_URL ?? LOCAL_POSTGRES);
    const env: Record<string, string> = { ...(await benchEnvironment(dataDir)), SOAK_SAMPLES_FILE: samplesFile, SOAK_SAMPLE_MS: String(WINDOW_MS) };
    delete env.DATABASE_URL;
    if (database) env.DATABASE_URL = database.url;
    log(`seeding a listed group and its coordinator (${options.engine}) …`);
    const seed = await seedSoak(env);
    server = await startServer(env, ['--import', SAMPLER], log);
    log(`server ${server.pid} (${server.engine}) is up`);
    const target = new Target(server.port, MAX_IN_FLIGHT);
    const steps = journey(seed, crypto.randomBytes(3).toString('hex'));
    const counter = { n: 0 };

    const rampMs = options.minutes >= 5 ? 10_000 : 4_000;
    const ramp: { connections: number; rps: number; p99Ms: number; failed: number }[] = [];
    for (const connections of RAMP_CONNECTIONS) {
      const walkers = Array.from({ length: connections }, (_, i) => walker(steps, i * 3, counter));
      const result = await runLoad(target, walkers.map((walk) => () => walk().spec), rampMs);
      const sorted = result.latenciesMs.sort((a, b) => a - b);
      const step = { connections, rps: Math.round(result.succeeded / (result.elapsedMs / 1000)), p99Ms: Math.round(sorted[Math.ceil(sorted.length * 0.99) - 1] ?? 0), failed: result.errors + result.non2xx3xx };
      ramp.push(step);
      log(`ramp: ${connections} connections → ${step.rps} req/s, p99 ${step.p99Ms} ms, ${step.failed} failed${step.failed ? ` ${JSON.stringify(result.statuses)}` : ''}`);
    }
    const capacity = Math.max(...ramp.map((step) => step.rps));
    const rate = Math.max(1, Math.round(capacity / 2));
    log(`capacity ${capacity} req/s (the best ramp step); soaking at ${rate} req/s for ${options.minutes} min …`);

    const startedAt = Date.now();
    let nextReport = startedAt + 60_000;
    const result = await runPaced(target, walker(steps, 0, counter), rate, options.minutes * 60_000, WINDOW_MS, (window) => {
      if (window.at < nextReport) return;
      nextReport += 60_000;
      const latest = readSamples(samplesFile).at(-1);
      log(`  ${((window.at - startedAt) / 60_000).toFixed(0)} min: ${Math.round(window.requests / (WINDOW_MS / 1000))} req/s, p99 ${window.p99Ms} ms, RSS ${latest?.rssMb ?? '?'} MB, loop p99 ${latest?.loopP99Ms ?? '?'} ms`);
    });
    const endedAt = Date.now();
    target.close();
    const loadAtEnd = os.loadavg();
    const samples = readSamples(samplesFile).filter((s) => s.at > startedAt && s.at <= endedAt + 1000);
    const figures = computeFigures(samples, result.windows, startedAt, endedAt);
    const verdict = judge(figures);
    const rampFailures = ramp.reduce((total, step) => total + step.failed, 0);
    if (rampFailures > 0) {
      verdict.failed = true;
      verdict.reasons.push(`${rampFailures} requests failed during the capacity ramp`);
    }

    fs.mkdirSync(options.out, { recursive: true });
    const base = path.join(options.out, `soak-${options.engine}`);
    const verdictLine = verdict.flat === undefined ? 'curves not judged (short run)' : verdict.flat ? 'flat' : 'NOT flat';
    const record = {
      engine: options.engine,
      startedAt: new Date(startedAt).toISOString(),
      node: process.version,
      cores: os.availableParallelism(),
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      ramp,
      capacityRps: capacity,
      rateRps: rate,
      figures,
      verdict,
      statuses: result.statuses,
      failures: result.failures,
      samples,
      windows: result.windows,
    };
    fs.writeFileSync(`${base}.json`, `${JSON.stringify(record, null, 1)}\n`);
    const title = `CAST soak on ${options.engine}: ${figures.minutes} min at ${rate} req/s (half of ${capacity}), ${record.startedAt.slice(0, 16)} UTC`;
    const subtitle = `${verdictLine}; RSS ${figures.rss.startMb} → ${figures.rss.endMb} MB (max ${figures.rss.maxMb}), loop p99 ${figures.loopP99.firstMinuteMs} → ${figures.loopP99.lastMinuteMs} ms; ${figures.requests} requests, ${figures.serverErrors} 5xx; load average ${loadAtEnd[0]!.toFixed(2)}`;
    await svgToPng(drawSvg(samples, result.windows, figures, startedAt, title, subtitle), `${base}.png`);

    console.log(`soak (${options.engine}): capacity ${capacity} req/s (ramp ${ramp.map((s) => `${s.connections}:${s.rps}`).join(' ')}), soaked at ${rate} req/s for ${figures.minutes} min`);
    console.log(`  requests ${figures.requests} (${figures.ratePerSecond} req/s), 5xx ${figures.serverErrors}, refused ${figures.refused}, no answer ${figures.noAnswer}, skipped ${figures.skipped}`);
    console.log(`  RSS start ${figures.rss.startMb} MB, end ${figures.rss.endMb} MB, max ${figures.rss.maxMb} MB, slope ${figures.rss.slopeMbPerMin} MB/min over the last ${figures.rss.slopeWindowMin} min`);
    console.log(`  event-loop p99 first minute ${figures.loopP99.firstMinuteMs} ms, last minute ${figures.loopP99.lastMinuteMs} ms (max ${figures.loopP99.maxMs} ms); client p99 ${figures.latencyP99.firstMinuteMs} → ${figures.latencyP99.lastMinuteMs} ms`);
    console.log(`  load average at the end ${loadAtEnd.map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`  verdict: ${verdictLine}${verdict.reasons.length ? ` — ${verdict.reasons.join('; ')}` : ''}`);
    console.log(`  wrote ${path.relative(ROOT, `${base}.png`)} and ${path.relative(ROOT, `${base}.json`)}`);
    if (Object.keys(result.failures).length > 0) console.log(`  failures by step: ${JSON.stringify(result.failures)}`);
    return verdict.failed ? 1 : 0;
  } finally {
    await stop();
  }
}

function readSamples(file: string): ServerSample[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ServerSample);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
