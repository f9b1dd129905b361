/**
 * Supply chain: the lock file is present and agrees with package.json (so `npm ci` installs exactly
 * what was reviewed), every dependency has its reason in docs/dependencies.md, and scripts/audit.ts
 * fails on a high or critical advisory and reports an audit it could not get as not done — shown against a
 * stand-in registry, with the real `npm audit`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, testEngine } from '../support/database.ts';
import { fakeNpmRegistry, type Advisory } from '../support/fake-npm-registry.ts';

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
// The same on both engines: run once.
const skip = testEngine() === 'postgres' && 'engine-independent: runs on PGlite';

/** The package names of one table of docs/dependencies.md (the section under `heading`). */
function documented(heading: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, 'docs/dependencies.md'), 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith(heading)) ?? '';
  return [...section.matchAll(/^\| `([^`]+)` \|[^|]+\S[^|]*\|[^|]*\S[^|]*\|$/gm)].map((match) => match[1]!);
}

/** Runs scripts/audit.ts as CI would, against `registry` (asynchronously: the stand-in answers from this process). */
function audit(registry: string, env: Record<string, string> = {}): Promise<{ status: number | null; output: string }> {
  const { CI: _ci, ...rest } = process.env;
  // A cache of its own: npm keeps audit answers, and each stand-in answers differently.
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-npm-cache-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/audit.ts'], {
    cwd: ROOT,
    env: { ...rest, npm_config_registry: registry, npm_config_fetch_retries: '0', npm_config_cache: cache, ...env },
    timeout: 120_000,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) =>
    child.on('close', (status) => {
      fs.rmSync(cache, { recursive: true, force: true });
      resolve({ status, output });
    }),
  );
}

describe('supply chain', { skip }, () => {
  test('package-lock.json is present and its root entry matches package.json', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, Partial<PackageJson> & { version?: string }> };
    assert.ok(lock.lockfileVersion >= 2);
    const root = lock.packages['']!;
    assert.deepEqual(root.dependencies ?? {}, packageJson.dependencies, 'dependencies: run npm install to update the lock');
    assert.deepEqual(root.devDependencies ?? {}, packageJson.devDependencies, 'devDependencies: run npm install to update the lock');
    for (const name of [...Object.keys(packageJson.dependencies), ...Object.keys(packageJson.devDependencies)]) {
      assert.ok(lock.packages[`node_modules/${name}`]?.version, `${name} is pinned in the lock`);
    }
  });

  test('every dependency has its reason in docs/dependencies.md, and no removed one is left there', () => {
    assert.deepEqual(documented('dependencies').sort(), Object.keys(packageJson.dependencies).sort());
    assert.deepEqual(documented('devDependencies').sort(), Object.keys(packageJson.devDependencies).sort());
  });

  test('the audit fails on a high or critical advisory against a production dependency, naming it', async () => {
    const advisory: Advisory = { title: 'Test advisory', severity: 'critical', vulnerable_versions: '<999.0.0' };
    const registry = await fakeNpmRegistry({ advisories: { fastify: [advisory] } });
    try {
      const { status, output } = await audit(registry.url);
      assert.equal(status, 1, output);
      assert.match(output, /critical 1/);
      assert.match(output, /✖ critical: fastify — Test advisory/);
    } finally {
      await registry.close();
    }
  });

  test('the audit passes with no advisories, and with a moderate one (only high and critical block)', async () => {
    const registry = await fakeNpmRegistry({ advisories: { fastify: [{ title: 'Minor', severity: 'moderate', vulnerable_versions: '<999.0.0' }] } });
    try {
      const { status, output } = await audit(registry.url);
      assert.equal(status, 0, output);
      assert.match(output, /moderate 1, high 0, critical 0/);
    } finally {
      await registry.close();
    }
  });

  test('no answer from the registry (audit refused, or unreachable): said plainly after two attempts, and "not done" — never a pass', async () => {
    const registry = await fakeNpmRegistry({ refuseAudit: true });
    try {
      const refused = await audit(registry.url, { CI: 'true' });
      assert.equal(refused.status, 3, refused.output);
      assert.match(refused.output, /trying again/);
      assert.match(refused.output, /NOT DONE: the npm registry gave no audit answer twice/);
      const offline = await audit('http://127.0.0.1:9/');
      assert.equal(offline.status, 3, offline.output);
      assert.match(offline.output, /Not counted as passed/);
    } finally {
      await registry.close();
    }
  });
});
