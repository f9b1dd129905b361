/**
 * Backup and restore under load, on the engine of CAST_TEST_ENGINE. While reports with every
 * restricted field and declaration signatures keep arriving, a backup is taken; it is restored into
 * a fresh instance (a new, migrated database with no data), whose audit chain must
 * verify, and every report and signature acknowledged before the backup started must be there and
 * open to what was sent, read through the reviewers' API of a server started on the restored data.
 *
 * On PostgreSQL the backup is `cast backup` as an operator runs it, beside the running server. A live
 * PGlite belongs to its one process (the CLI refuses a locked data directory, docs/cli.md), so there
 * the server's own process runs the same backup code on its database handle.
 * SEALED_LOAD_REPORTS (default 40) sets how many reports arrive before the backup starts.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { writeBackup } from '../../src/cli/backup.ts';
import { loadInstanceKey } from '../../src/core/keys.ts';
import { openDatabase } from '../../src/core/db/database.ts';
import { runCast } from '../support/cast-cli.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/database.ts';
import { person } from '../support/reports.ts';
import { startTestServer } from '../support/server.ts';
import { openEveryReport, openEverySignature, SealedLoad, split } from './sealed-load.ts';

const REPORTS_BEFORE = Number(process.env.SEALED_LOAD_REPORTS ?? 40);
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

function temporaryDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-backup-load-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A fresh instance for the restore: a new database as `cast migrate` leaves it (cloned from the
 * migrated test template, which is quicker than migrating), and the environment `cast` needs to reach it.
 */
async function freshTarget(key: string): Promise<{ env: Record<string, string>; open(): Promise<TestDatabase> }> {
  const dataDir = temporaryDir();
  const testDatabase = await createTestDatabase();
  if (testDatabase.url) {
    cleanups.push(() => testDatabase.drop());
    return { env: { CAST_DATA_DIR: dataDir, CAST_KEY: key, DATABASE_URL: testDatabase.url }, open: async () => ({ ...testDatabase, drop: async () => {} }) };
  }
  // PGlite: the template written into a data directory of its own, closed so the command can open it.
  const template = await testDatabase.database.pglite!.dumpDataDir('none');
  await testDatabase.drop();
  const pgliteDir = path.join(dataDir, 'pglite');
  await (await openDatabase({ engine: 'pglite', dataDir: pgliteDir, template })).close();
  return {
    env: { CAST_DATA_DIR: dataDir, CAST_KEY: key },
    async open() {
      const database = await openDatabase({ engine: 'pglite', dataDir: pgliteDir });
      return { database, url: undefined, drop: () => database.close() };
    },
  };
}

describe(`backup and restore under load (${testEngine()})`, () => {
  test('every report and signature acknowledged before the backup started is restored and opens; the audit chain verifies', async () => {
    const key = crypto.randomBytes(32).toString('base64');
    const env = { CAST_KEY: key, RATE_LIMIT_SCALE: '100000' };
    const file = path.join(temporaryDir(), 'cast.jsonl.gz');

    const source = await startTestServer({ env });
    let sourceOpen = true;
    cleanups.push(async () => {
      if (sourceOpen) await source.close();
    });
    const load = new SealedLoad(source.url);
    let started = 0;
    let ended = 0;
    try {
      await load.reportsReach(REPORTS_BEFORE);
      started = Date.now();
      if (source.testDatabase.url) {
        const backup = await runCast(['backup', file], { CAST_DATA_DIR: source.dataDir, CAST_KEY: key, DATABASE_URL: source.testDatabase.url });
        assert.equal(backup.code, 0, backup.stderr);
      } else {
        await writeBackup(source.cast.database, file);
      }
      ended = Date.now();
      // Some more after the backup, so it is a moment inside the load, not its end.
      await load.reportsReach(load.reports.length + 10);
    } finally {
      await load.stop();
    }
    assert.deepEqual(load.failures, [], 'every request under load was answered as expected');
    sourceOpen = false;
    await source.close();

    const target = await freshTarget(key);
    const restored = await runCast(['restore', file], target.env);
    assert.equal(restored.code, 0, restored.stderr);
    const verified = await runCast(['audit', 'verify'], target.env);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /^audit log verified: \d+ entries/);

    const server = await startTestServer({ env, testDatabase: await target.open() });
    cleanups.push(() => server.close());
    const db = server.cast.database.db;
    const reviewer = await person(server, { role: 'national-coordinator', country: 'GB' });
    const inBackup = await openEveryReport(db, reviewer, load.reports);
    const signaturesInBackup = await openEverySignature(db, loadInstanceKey(server.config), load.signatures);

    const reports = split(load.reports, started, ended);
    const signatures = split(load.signatures, started, ended);
    const lostReports = reports.before.filter((report) => !inBackup.has(report.reference));
    const lostSignatures = signatures.before.filter((signature) => !signaturesInBackup.has(signature.email));
    console.log(
      `backup/restore (${testEngine()}): reports under load ${load.reports.length} (${reports.before.length} acknowledged before the backup started, ` +
        `${reports.during.length} during it, ${reports.after.length} after), in the backup ${inBackup.size}, decrypted ${inBackup.size}, lost ${lostReports.length}; ` +
        `signatures ${load.signatures.length}, in the backup ${signaturesInBackup.size}, lost ${lostSignatures.length}; backup took ${ended - started} ms`,
    );
    assert.deepEqual(lostReports.map((r) => r.reference), [], 'no report acknowledged before the backup is missing');
    assert.deepEqual(lostSignatures.map((s) => s.email), [], 'no signature acknowledged before the backup is missing');
  });
});
