/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, a free port, loopback
 * only), so that it can be restarted under load without touching the shared server other tests use.
 * Run as the postgres OS user when the test runs as root (PostgreSQL refuses root). It is stopped
 * and removed at the end, and stopped even if the test process exits early.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/free-port.ts';

export interface PrivatePostgres {
  url(database: string): string;
  /** `pg_ctl restart` in this shutdown mode: fast (sessions ended) or immediate (no clean shutdown: crash recovery at start). */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  stop(): void;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const version = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => Number(a) - Number(b)).pop() : undefined;
  if (!version) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  return path.join(base, version, 'bin');
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-private-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const argv = (command: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]] : [path.join(bin, command), args]);
  // Asynchronous, so that the load in this process keeps going while the server restarts.
  const run = async (command: string, args: string[]) => void (await promisify(execFile)(...argv(command, args), { cwd: dir }));
  const port = await freePort();
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const pgCtlArgs = (...args: string[]) => ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', ...args];
  await run('pg_ctl', pgCtlArgs('-o', options, 'start'));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    try {
      execFileSync(...argv('pg_ctl', pgCtlArgs('-m', 'immediate', 'stop')), { stdio: 'pipe', cwd: dir });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  process.on('exit', stop);
  return {
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    restart: (mode) => run('pg_ctl', pgCtlArgs('-m', mode, '-o', options, 'restart')),
    stop,
  };
}
