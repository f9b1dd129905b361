/** The `cast` command as an operator runs it: a child process configured by its environment. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './database.ts';

const CAST = path.join(ROOT, 'bin/cast.js');

export interface CastResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cast ARGS` with `env` on top of this process's environment. DATABASE_URL and the instance
 * key are only what `env` says, so a test's own settings never leak into the command.
 */
export function runCast(args: string[], env: Record<string, string>, input = ''): Promise<CastResult> {
  const childEnv: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'silent', ...env };
  for (const name of ['DATABASE_URL', 'CAST_KEY', 'CAST_KEY_FILE', 'CAST_SECRET']) if (env[name] === undefined) delete childEnv[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CAST, ...args], { cwd: ROOT, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
