/**
 * The server under test: a real CAST started as a child process (`node --import tsx src/server.ts`,
 * exactly what `npm start` runs), so the load generator does not share its event loop. The data
 * directory is a fresh temporary one; PostgreSQL is used when DATABASE_URL is set, as in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../src/core/config.ts';
import { databaseOptions, openDatabase } from '../src/core/db/database.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { createAccountAsOperator } from '../src/modules/accounts/index.ts';
import { freePort } from '../test/support/free-port.ts';
import { SERVER_NODE_ARGS } from '../scripts/server-command.ts';
import { seedGroups } from './seed-groups.ts';
import { seedReports } from './seed-reports.ts';
import { seedMap, type MapSeed } from './seed-map.ts';
import { seedRoutes, type RouteSeed } from './seed-routes.ts';
import { seedChocolate, type ChocolateSeed } from './seed-chocolate.ts';
import { refreshPublicMap } from '../src/modules/map/index.ts';
import { openKeyring } from '../src/core/data-keys.ts';
import { loadInstanceKey } from '../src/core/keys.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BenchServer {
  port: number;
  pid: number;
  engine: Config['engine'];
  /** Resident memory of the server process, from /proc/<pid>/status. */
  rssMb(): number;
  stop(): Promise<void>;
}

export interface Credentials {
  email: string;
  password: string;
  /** A GB national coordinator's groups:read API token, for the national totals scenario. */
  nationalToken: string;
  /** The group holding 100,000 reports, and a reports:read token of its coordinator, for listGroupReports. */
  reportsGroupId: string;
  coordinatorToken: string;
  /** Only when a chosen scenario needs the 1,000,000 map reports (bench/seed-map.ts). */
  map?: MapSeed;
  /** Only when a chosen scenario needs the 1,000,000 route reports (bench/seed-routes.ts). */
  routes?: RouteSeed;
  /** Only when a chocolate scenario is chosen: 500 companies × 10 criteria × 15 years, and where the outbox is. */
  chocolate?: ChocolateSeed & { outbox: string };
}

/** The environment `npm start` would get on a loopback load-test machine. */
export async function benchEnvironment(dataDir: string): Promise<Record<string, string>> {
  const port = await freePort();
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    CAST_DATA_DIR: dataDir,
    CAST_SECRET: crypto.randomBytes(32).toString('base64'),
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'warn',
    // Every request comes from 127.0.0.1: unscaled per-address limits would answer 429 within a second.
    RATE_LIMIT_SCALE: '100000',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  };
}

/**
 * Creates a confirmed member account before the server starts, through the same service the
 * operator CLI uses: sign-up would need a mailbox, and once running the server owns a PGlite dir.
 * Also seeds the groups scenarios' data (bench/seed-groups.ts).
 */
export async function seedAccount(env: Record<string, string>, options: { map?: boolean; routes?: boolean; chocolate?: boolean } = {}): Promise<Credentials> {
  const config = loadConfig(env);
  const database = await openDatabase(databaseOptions(config));
  try {
    await migrate(database);
    const credentials = { email: `bench.${Date.now()}@example.org`, password: 'correct horse battery staple' };
    const outcome = await createAccountAsOperator(database.db, { ...credentials, role: 'member', country: null });
    if (!outcome.ok) throw new Error(`could not create the bench account: ${JSON.stringify(outcome)}`);
    const { nationalToken } = await seedGroups(database.db);
    const keyring = await openKeyring(database.db, loadInstanceKey(config));
    const seeded = await (async () => {
      const reports = await seedReports(database.db, keyring);
      const map = options.map ? await seedMap(database.db, keyring, (line) => process.stderr.write(`${line}\n`)) : undefined;
      if (map) {
        // The public map reads only its precomputed cells: made once here, as the weekly job would.
        const started = Date.now();
        const refreshed = await refreshPublicMap(database.db, { k: config.publicMapK, delayDays: config.publicMapDelayDays });
        process.stderr.write(`  public map refreshed: ${refreshed.cells} cells in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }
      const routes = options.routes ? await seedRoutes(database.db, (line) => process.stderr.write(`${line}\n`)) : undefined;
      const chocolate = options.chocolate ? { ...(await seedChocolate(database.db)), outbox: path.join(config.dataDir, 'outbox') } : undefined;
      return { ...reports, map, routes, chocolate };
    })().finally(() => keyring.close());
    return { ...credentials, nationalToken, reportsGroupId: seeded.groupId, coordinatorToken: seeded.coordinatorToken, ...(seeded.map ? { map: seeded.map } : {}), ...(seeded.routes ? { routes: seeded.routes } : {}), ...(seeded.chocolate ? { chocolate: seeded.chocolate } : {}) };
  } finally {
    await database.close();
  }
}

export async function startServer(env: Record<string, string>, nodeArgs: string[], log: (line: string) => void): Promise<BenchServer> {
  const child = spawn(process.execPath, [...nodeArgs, ...SERVER_NODE_ARGS], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // The child's own output (warnings, the first-run setup link) must not mix with the JSON on stdout.
  child.stdout.pipe(process.stderr);
  child.stderr.pipe(process.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = Number(env.PORT);
  const server: BenchServer = {
    port,
    pid: child.pid!,
    engine: loadConfig(env).engine,
    rssMb: () => rssMb(child.pid!),
    stop: () => stopChild(child, exited, log),
  };
  try {
    await waitForHealth(port, child, 120_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited during start-up (code ${child.exitCode ?? child.signalCode})`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer /healthz within ${timeoutMs / 1000} s`);
}

/** SIGTERM lets CAST close its database cleanly; SIGKILL only if it hangs. */
async function stopChild(child: ChildProcess, exited: Promise<void>, log: (line: string) => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    log('the server did not stop within 20 s of SIGTERM; killing it');
    child.kill('SIGKILL');
    await exited;
  }
}

function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}


export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cast-bench-'));
}
