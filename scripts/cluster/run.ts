/**
 * `npm run test:cluster`: several CAST processes behind nginx on one PostgreSQL, all on loopback, and
 * the journeys of every module through the balancer (test/cluster/journeys.ts). This script prepares
 * what the tests need — PostgreSQL running (started as .ci/run does), a fresh empty database, Debian's
 * nginx — runs the tests, then ends every process they started (even after a crash) and drops the
 * database. The last line is `N passed, N failed`.
 *
 * Options: --processes=N (2 or more; default 2), --short (the CI round: fewer signatures, subscribers
 * and supporters).
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { isPostgresReachable, POSTGRES_URL, ROOT, TMP } from '../../test/support/database.ts';
import { ensureNginx } from './nginx.ts';

const args = process.argv.slice(2);
const processes = Number(args.find((a) => a.startsWith('--processes='))?.slice(12) ?? 2);
const short = args.includes('--short');
const log = (line: string) => console.log(`[cluster] ${line}`);

function serverUrl(database: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

// The server's own database: the test database may not exist yet.
const reachable = () => isPostgresReachable(serverUrl('postgres'));

/** Starts the local PostgreSQL cluster when it is not running (installing it from Debian if absent), as .ci/run does. */
async function ensurePostgres(): Promise<void> {
  if (await reachable()) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!fs.existsSync('/etc/postgresql')) {
    log('installing PostgreSQL from Debian');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env });
  }
  const version = fs.readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b)).pop()!;
  log(`starting PostgreSQL ${version}`);
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  for (let i = 0; i < 30 && !(await reachable()); i++) await new Promise((resolve) => setTimeout(resolve, 1000));
  if (!(await reachable())) throw new Error(`PostgreSQL is not reachable at ${serverUrl('postgres')}`);
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function commandOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined; // gone
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // exited meanwhile
  }
}

/**
 * Ends what a test run left behind: only the pids it recorded, and only while they still are nginx or
 * a CAST server (a pid may have been reused). nginx gets SIGTERM first, so that its master ends its
 * worker; whatever still runs two seconds later gets SIGKILL.
 */
async function endLeftovers(pidFile: string): Promise<number> {
  if (!fs.existsSync(pidFile)) return 0;
  const pids = fs
    .readFileSync(pidFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line.split(' ')[0]))
    .filter((pid) => /nginx|src\/server\.ts/.test(commandOf(pid) ?? ''));
  for (const pid of pids) signal(pid, /nginx/.test(commandOf(pid) ?? '') ? 'SIGTERM' : 'SIGKILL');
  if (pids.length > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
  for (const pid of pids) if (/nginx|src\/server\.ts/.test(commandOf(pid) ?? '')) signal(pid, 'SIGKILL');
  return pids.length;
}

function runTests(env: Record<string, string>, tap: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=900000', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, 'test/cluster/journeys.ts'],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } },
    );
    // Ctrl-C or a CI timeout: the test process ends its cluster on SIGTERM/exit, and the pid file covers the rest.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  if (!Number.isInteger(processes) || processes < 2) throw new Error('--processes must be a whole number, 2 or more');
  const started = Date.now();
  fs.mkdirSync(TMP, { recursive: true });
  await ensurePostgres();
  const nginx = ensureNginx(log);
  const name = `cast_cluster_${crypto.randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  log(`${processes} CAST processes behind ${nginx}, fresh database ${name}${short ? ', short round' : ''}`);
  const pidFile = path.join(TMP, `${name}.pids`);
  const tap = path.join(TMP, `${name}.tap`);
  const figuresFile = path.join(TMP, `${name}.json`);
  // The data directory and nginx's directory of the run go under this one, removed at the end.
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  let passed = 0;
  let failed = 0;
  try {
    const code = await runTests(
      {
        CAST_CLUSTER_DATABASE_URL: serverUrl(name),
        CAST_CLUSTER_NGINX: nginx,
        CAST_CLUSTER_PROCESSES: String(processes),
        CAST_CLUSTER_PIDS: pidFile,
        CAST_CLUSTER_FIGURES: figuresFile,
        CAST_CLUSTER_SHORT: String(short),
        CAST_CLUSTER_TMP: tmpDir,
      },
      tap,
    );
    const summary = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
    const count = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
    passed = count('pass');
    failed = count('fail') + count('cancelled');
    if (code !== 0 && failed === 0) failed = 1;
    if (count('skipped') > 0 && passed === 0) failed += 1;
  } finally {
    const ended = await endLeftovers(pidFile);
    if (ended > 0) log(`ended ${ended} process(es) the test run left behind`);
    await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    for (const file of [pidFile, tap, tmpDir]) fs.rmSync(file, { force: true, recursive: true });
  }
  if (fs.existsSync(figuresFile)) {
    log('figures:');
    for (const [key, value] of Object.entries(JSON.parse(fs.readFileSync(figuresFile, 'utf8')) as Record<string, unknown>)) log(`  ${key}: ${String(value)}`);
    fs.rmSync(figuresFile, { force: true });
  }
  log(`duration ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  },
);
