/**
 * `npm test`: type-check, lint (with the module-boundary rules), then every unit and integration test
 * on PGlite and on PostgreSQL (mandatory when CI=true, else when reachable), then the browser tests.
 * Test files run in parallel against copies of one migrated template database. The last line is
 * `N passed, N failed`, the sum over every stage.
 *
 * Options: --only=static|pglite|postgres|e2e (repeatable), --node=PATH (run tests with another Node),
 * and file or directory paths to run only those test files.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPostgresReachable, prepareTemplate, ROOT, TMP, type TestEngine } from '../test/support/database.ts';

const args = process.argv.slice(2);
const only = args.filter((a) => a.startsWith('--only=')).map((a) => a.slice(7));
const nodeBinary = args.find((a) => a.startsWith('--node='))?.slice(7) ?? process.execPath;
// A chosen directory stands for every test file under it.
const chosenFiles = args
  .filter((a) => !a.startsWith('--'))
  .flatMap((a) => (fs.existsSync(a) && fs.statSync(a).isDirectory() ? findTests(path.resolve(ROOT, a), /\.test\.tsx?$/) : [a]));
const wants = (stage: string) => only.length === 0 || only.includes(stage);
const concurrency = Math.max(2, Math.min(4, os.cpus().length));

let passed = 0;
let failed = 0;

function run(command: string, commandArgs: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Runs a command with its output kept, so checks running side by side print one after another. */
function runQuietly(command: string, commandArgs: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** A stage that ends with this code could not be done (e.g. no audit service): counted neither way. */
const NOT_DONE = 3;

function count(name: string, code: number): void {
  if (code === 0) passed += 1;
  else if (code === NOT_DONE) console.log(`⚠ ${name} not done (counted neither as passed nor as failed)`);
  else {
    failed += 1;
    console.log(`✖ ${name} failed`);
  }
}

/**
 * The static checks, two at a time: each is one process that mostly waits on its own CPU, so on a
 * two-core machine pairs finish in about half the time of a queue. Output is printed per check, whole.
 */
async function staticChecks(checks: { name: string; command: string; args: string[] }[]): Promise<void> {
  const queue = [...checks];
  const worker = async () => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      const started = Date.now();
      const { code, output } = await runQuietly(check.command, check.args);
      console.log(`\n▶ ${check.name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      if (output.trim()) console.log(output.trimEnd());
      count(check.name, code);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function findTests(dir: string, pattern: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full, pattern);
    return pattern.test(entry.name) ? [path.relative(ROOT, full)] : [];
  });
}

async function nodeTests(label: string, files: string[], env: Record<string, string>): Promise<void> {
  if (files.length === 0) return;
  console.log(`\n▶ ${label}: ${files.length} test files`);
  const tap = path.join(TMP, `${label.replace(/\W+/g, '-')}.tap`);
  const code = await run(
    nodeBinary,
    [
      '--import', 'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
  );
  const summary = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  failures.push(...failuresIn(summary).map((failure) => `${label}: ${failure}`));
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  if (code !== 0 && count('fail') + count('cancelled') === 0) failed += 1;
}

/** What failed, with the start of its error, to be printed again at the end. */
const failures: string[] = [];

/**
 * The failed tests of a TAP report, each with the first lines of its diagnostics. A suite whose
 * subtests failed is left out: its failing subtests are listed themselves.
 */
function failuresIn(tap: string): string[] {
  const lines = tap.split('\n');
  const found: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const failed = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]!);
    if (!failed) continue;
    const diagnostics: string[] = [];
    if (lines[i + 1]?.trim() === '---') {
      for (let j = i + 2; j < lines.length && lines[j]!.trim() !== '...'; j += 1) diagnostics.push(lines[j]!.trim());
    }
    if (diagnostics.some((line) => /^error: '\d+ subtests? failed'$/.test(line))) continue;
    const shown = diagnostics.filter((line) => !/^(duration_ms|type|failureType|code|location):/.test(line)).slice(0, 14);
    found.push([failed[2], ...shown.map((line) => `    ${line.slice(0, 400)}`)].join('\n'));
  }
  return found;
}

// Files that take one to two minutes each (measured in CI, 2026-11-29): started first, so the last
// minutes of a stage are not one long file running alone while the other worker idles.
const SLOW_FIRST = ['src/cli/cli.test.ts', 'test/integration/authorisation-matrix.test.ts', 'test/faults/', 'src/cli/keys.test.ts', 'test/fuzz/', 'test/integration/idor.test.ts'];
const slowRank = (file: string) => {
  const rank = SLOW_FIRST.findIndex((prefix) => file.startsWith(prefix));
  return rank === -1 ? SLOW_FIRST.length : rank;
};

async function main(): Promise<void> {
  fs.mkdirSync(TMP, { recursive: true });
  const unitAndIntegration = (
    chosenFiles.length ? chosenFiles.filter((f) => !f.includes('test/e2e/')) : [...findTests(path.join(ROOT, 'src'), /\.test\.tsx?$/), ...findTests(path.join(ROOT, 'test'), /\.test\.tsx?$/).filter((f) => !f.startsWith('test/e2e/'))]
  ).sort((a, b) => slowRank(a) - slowRank(b));
  const e2e = chosenFiles.length ? chosenFiles.filter((f) => f.includes('test/e2e/')) : findTests(path.join(ROOT, 'test/e2e'), /\.test\.tsx?$/);

  if (wants('static') && chosenFiles.length === 0) {
    // Longest first, so the two slow ones run side by side.
    await staticChecks([
      { name: 'lint', command: 'npx', args: ['eslint', '--max-warnings=0', '.'] },
      { name: 'type-check', command: 'npx', args: ['tsc', '-p', '.'] },
      { name: 'type-check of browser islands', command: 'npx', args: ['tsc', '-p', 'web/islands'] },
      { name: 'module boundaries', command: 'npx', args: ['depcruise', '--config', '.dependency-cruiser.cjs', 'src'] },
      { name: 'dependency audit', command: 'npx', args: ['tsx', 'scripts/audit.ts'] },
    ]);
  }

  const engines: TestEngine[] = [];
  if (wants('pglite')) engines.push('pglite');
  if (wants('postgres')) {
    if (await isPostgresReachable()) engines.push('postgres');
    else if (process.env.CI === 'true') {
      console.log('✖ PostgreSQL is not reachable and CI=true: the PostgreSQL run is mandatory');
      failed += 1;
    } else console.log('\n(PostgreSQL not reachable: skipping the PostgreSQL run)');
  }
  for (const engine of engines) {
    await prepareTemplate(engine);
    await nodeTests(`tests on ${engine}`, unitAndIntegration, { CAST_TEST_ENGINE: engine });
  }
  if (wants('e2e') && e2e.length > 0) {
    await prepareTemplate('pglite');
    await nodeTests('browser tests', e2e, { CAST_TEST_ENGINE: 'pglite' });
  }
  // Printed again at the end, where a CI log's tail shows them, with the start of each error.
  if (failures.length > 0) console.log(`\n✖ failures (${failures.length}):\n${failures.slice(0, 20).join('\n')}\n✖ end of failures`);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`\n${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
