/**
 * The server as an operator runs it: `node --import tsx src/server.ts` as a child process. It prints
 * the one-time setup link on first start, refuses a bad configuration listing every problem, and on
 * SIGTERM finishes what it is doing and exits cleanly.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createTestDatabase, ROOT, testEngine, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/free-port.ts';
import { SERVER_NODE_ARGS } from '../../scripts/server-command.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});


function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('a bad configuration stops start-up with every problem listed and exit code 2', async () => {
  const { output, exited } = startServer({ PORT: 'abc', DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'chatty' });
  assert.equal(await exited, 2);
  for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL']) assert.match(output(), new RegExp(name));
});

test('first start prints a one-time setup link; SIGTERM shuts down cleanly', { timeout: 120_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-process-'));
  let testDatabase: TestDatabase | undefined;
  const env: Record<string, string> = { CAST_DATA_DIR: dataDir, CAST_SECRET: crypto.randomBytes(32).toString('base64'), PORT: String(await freePort()) };
  if (testEngine() === 'postgres') {
    testDatabase = await createTestDatabase('postgres');
    await testDatabase.database.close();
    env.DATABASE_URL = testDatabase.url!;
  }
  cleanups.push(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await testDatabase?.drop();
  });
  const server = startServer(env);
  cleanups.push(async () => {
    server.child.kill('SIGKILL');
  });
  await waitFor(() => /\/setup\/[\w-]{20,}/.test(server.output()), 90_000, 'the setup link');
  const link = /(http:\/\/\S+\/setup\/[\w-]+)/.exec(server.output())![1]!;
  const page = await fetch(link.replace('localhost', '127.0.0.1'));
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Create the first administrator/);

  if (!env.DATABASE_URL) {
    // PGlite has one owner: the CLI must not open the directory while the server has it.
    const cli = spawn(process.execPath, ['bin/cast.js', 'migrate'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    cli.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
    assert.equal(code, 1);
    assert.match(said, /in use by process \d+/);
  }

  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);
  await assert.rejects(fetch(`http://127.0.0.1:${env.PORT}/healthz`), 'no longer listening');
});
