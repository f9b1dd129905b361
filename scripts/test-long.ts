/**
 * `npm run test:long`: the long rounds that `npm test` and CI shorten, one after another (each loads
 * the machine on its own):
 * - the fault tests (test/faults) on PGlite and PostgreSQL with more kills, database restarts and
 *   subscribers, and the newsletter edition seen through to its end after the killed senders' lease;
 * - the API fuzzer with more cases (FUZZ_RUNS=20);
 * - the cluster harness's full round (`npm run test:cluster`);
 * - the soak (`npm run soak`), when the project has one.
 * The last line is `N passed, N failed`, the sum over every part. CAST_FAULTS_SEED replays the kill
 * and restart moments of an earlier run (each part prints its seed).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../test/support/database.ts';

interface Part {
  name: string;
  command: string[];
  env?: Record<string, string>;
}

const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const tsx = [process.execPath, '--import', 'tsx'];
const parts: Part[] = [
  { name: 'fault tests, full round', command: [...tsx, 'scripts/test.ts', '--only=pglite', '--only=postgres', 'test/faults'], env: { CAST_FAULTS_LONG: 'true' } },
  { name: 'API fuzzer, 20 runs per case', command: [...tsx, 'scripts/test.ts', '--only=pglite', '--only=postgres', 'test/fuzz'], env: { FUZZ_RUNS: '20' } },
  { name: 'cluster harness, full round', command: [...tsx, 'scripts/cluster/run.ts'] },
  ...(scripts.soak ? [{ name: 'soak', command: ['npm', 'run', 'soak'] }] : []),
];

/** Runs a part with its output shown, and reads its `N passed, N failed` line. */
function runPart(part: Part): Promise<{ passed: number; failed: number; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(part.command[0]!, part.command.slice(1), { cwd: ROOT, env: { ...process.env, ...part.env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code) => {
      const summary = [...tail.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
      const passed = Number(summary?.[1] ?? 0);
      let failed = Number(summary?.[2] ?? 0);
      if (code !== 0 && failed === 0) failed = 1;
      resolve({ passed, failed, seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

let passed = 0;
let failed = 0;
const lines: string[] = [];
for (const part of parts) {
  console.log(`\n▶ ${part.name}`);
  const result = await runPart(part);
  passed += result.passed;
  failed += result.failed;
  lines.push(`${part.name}: ${result.passed} passed, ${result.failed} failed (${result.seconds} s)`);
}
if (!scripts.soak) lines.push('soak: not run (no `npm run soak` in package.json)');
console.log(`\n${lines.join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
