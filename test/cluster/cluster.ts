/**
 * The cluster under test: N real CAST processes (`node --import tsx src/server.ts`, as operators run
 * it) on one PostgreSQL database, one shared data directory and one SMTP receiver, with nginx in front
 * as a round-robin load balancer — all on loopback. scripts/cluster/run.ts prepares PostgreSQL, the
 * database and nginx and passes them in the environment; every child's pid is written to a file so
 * that run.ts can end any process a crashed test run left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/core/db/database.ts';
import { startBalancer, type Balancer } from '../../scripts/cluster/nginx.ts';
import { SERVER_NODE_ARGS } from '../../scripts/server-command.ts';
import { ROOT } from '../support/database.ts';
import { freePort } from '../support/free-port.ts';
import type { TestServer } from '../support/server.ts';

export interface CastProcess {
  url: string;
  address: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

export interface Cluster {
  /** The balancer: every journey goes through it unless it names a process. */
  url: string;
  processes: CastProcess[];
  /** The cluster's database, for creating accounts (as the CLI does) and for checking what was stored. */
  database: Database;
  databaseUrl: string;
  dataDir: string;
  balancer: Balancer;
  /** The shape test/support's helpers take (they use only `url` and `cast.database`), pointed at the balancer or at one process. */
  server(url?: string): TestServer;
  stop(): Promise<void>;
}

/** Settings of the harness run, from scripts/cluster/run.ts. */
export interface ClusterSettings {
  databaseUrl: string;
  nginx: string;
  processes: number;
  pidFile: string | undefined;
  tmpDir: string | undefined;
  smtpUrl: string;
}

/** Every per-address limit times this: all journeys come from 127.0.0.1, as one busy office would. */
export const RATE_LIMIT_SCALE = 5;

export function settingsFromEnv(smtpUrl: string): ClusterSettings | undefined {
  const databaseUrl = process.env.CAST_CLUSTER_DATABASE_URL;
  const nginx = process.env.CAST_CLUSTER_NGINX;
  if (!databaseUrl || !nginx) return undefined;
  return { databaseUrl, nginx, processes: Number(process.env.CAST_CLUSTER_PROCESSES ?? 2), pidFile: process.env.CAST_CLUSTER_PIDS, tmpDir: process.env.CAST_CLUSTER_TMP, smtpUrl };
}

function recordPid(pidFile: string | undefined, child: ChildProcess, kind: string): void {
  if (pidFile && child.pid) fs.appendFileSync(pidFile, `${child.pid} ${kind}\n`);
}

async function startProcess(settings: ClusterSettings, shared: { key: string; dataDir: string; publicUrl: string }): Promise<CastProcess> {
  return startCastProcess(
    {
      // Links in e-mails name the balancer, as in production they name the public host.
      PUBLIC_URL: shared.publicUrl,
      DATABASE_URL: settings.databaseUrl,
      SMTP_URL: settings.smtpUrl,
      CAST_KEY: shared.key,
      CAST_DATA_DIR: shared.dataDir,
      TRUST_PROXY: 'true',
      RATE_LIMIT_SCALE: String(RATE_LIMIT_SCALE),
      // Supporters here write similar messages on purpose; holding them for review is tested elsewhere.
      CHOCOLATE_HOLD_AFTER: '100000',
    },
    settings.pidFile,
  );
}

/**
 * Starts one CAST process as operators run it (`node --import tsx src/server.ts`) with these settings
 * on a free loopback port (unless `env` names one), and waits until it answers /healthz. Also used by
 * the fault tests (test/faults), which kill and restart processes.
 */
export async function startCastProcess(env: Record<string, string>, pidFile?: string): Promise<CastProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', COOKIE_SECURE: 'false', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordPid(pidFile, child, 'cast');
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1800; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, address: `127.0.0.1:${port}`, child, output: () => output, exited };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`a CAST process did not start:\n${output}`);
}

/** SIGTERM (a graceful stop), then SIGKILL if it has not exited within 15 s. */
export async function stopProcess(proc: CastProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
  await proc.exited;
  clearTimeout(timer);
}

/**
 * Starts the processes all at once (they race to migrate the fresh database and create its data key:
 * advisory locks make exactly one do each), then nginx in front of them.
 */
export async function startCluster(settings: ClusterSettings): Promise<Cluster> {
  // Under run.ts's directory for this run when given, so that it removes them even after a crash.
  const parent = settings.tmpDir ?? os.tmpdir();
  const dataDir = fs.mkdtempSync(path.join(parent, 'cast-cluster-data-'));
  const nginxDir = fs.mkdtempSync(path.join(parent, 'cast-cluster-nginx-'));
  const balancerPort = await freePort();
  const shared = { key: crypto.randomBytes(32).toString('base64'), dataDir, publicUrl: `http://127.0.0.1:${balancerPort}` };
  const processes: CastProcess[] = [];
  let balancer: Balancer | undefined;
  let database: Database | undefined;
  const stop = async () => {
    await balancer?.stop();
    await Promise.all(processes.map(stopProcess));
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(nginxDir, { recursive: true, force: true });
  };
  // Whatever happens to this test process, its children go with it.
  const onExit = () => {
    for (const proc of processes) proc.child.kill('SIGKILL');
    // SIGTERM, not SIGKILL: nginx's master then ends its worker too (a killed master leaves it running).
    balancer?.child.kill('SIGTERM');
  };
  process.once('exit', onExit);
  try {
    const started = await Promise.allSettled(Array.from({ length: settings.processes }, () => startProcess(settings, shared)));
    for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    balancer = await startBalancer(settings.nginx, {
      dir: nginxDir,
      port: balancerPort,
      upstreams: processes.map((p) => p.address),
      ...(process.getuid?.() === 0 ? { user: 'root' } : {}),
    });
    recordPid(settings.pidFile, balancer.child, 'nginx');
    database = await openDatabase({ engine: 'postgres', url: settings.databaseUrl, poolSize: 4 });
  } catch (error) {
    await stop();
    throw error;
  }
  const db = database;
  const url = balancer.url;
  return {
    url,
    processes,
    database: db,
    databaseUrl: settings.databaseUrl,
    dataDir,
    balancer,
    server: (at = url) => ({ url: at, cast: { database: db } }) as unknown as TestServer,
    stop: async () => {
      process.removeListener('exit', onExit);
      await stop();
    },
  };
}
