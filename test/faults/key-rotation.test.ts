/**
 * `cast keys rotate` under load, on the engine of CAST_TEST_ENGINE. Reports with every restricted
 * field and declaration signatures keep arriving before, during and after the rotation; afterwards
 * every value in the database is sealed under the new key (found by looking at every text column,
 * not only at the columns rotation knows), nothing acknowledged is missing, every report opens
 * through the reviewers' API, the old key is retired and the audit chain verifies.
 *
 * On PostgreSQL the rotation is the command as an operator runs it, beside the running server, with
 * its default wait. A live PGlite belongs to its one process (the CLI refuses a locked data
 * directory), so there the server's process runs the same rotation on its database handle, with the
 * same wait, while it keeps serving.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DEFAULT_WAIT_SECONDS } from '../../src/cli/keys-rotate.ts';
import { rotateDataKeys } from '../../src/cli/keys-rotation.ts';
import { SEALED_COLUMNS } from '../../src/cli/keys-sealed-columns.ts';
import { verifyAudit } from '../../src/core/audit.ts';
import { loadInstanceKey } from '../../src/core/keys.ts';
import { runCast } from '../support/cast-cli.ts';
import { testEngine } from '../support/database.ts';
import { person } from '../support/reports.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { openEveryReport, openEverySignature, SealedLoad, split, valuesUnderOtherKeys } from './sealed-load.ts';

const REPORTS_BEFORE = Number(process.env.SEALED_LOAD_REPORTS ?? 40);
let server: TestServer | undefined;
after(() => server?.close());

describe(`key rotation under load (${testEngine()})`, () => {
  test('reports before, during and after a rotation all open with the new key; none lost, none left under the retired key', async () => {
    const key = crypto.randomBytes(32).toString('base64');
    server = await startTestServer({ env: { CAST_KEY: key, RATE_LIMIT_SCALE: '100000' } });
    const db = server.cast.database.db;
    const instanceKey = loadInstanceKey(server.config);
    // A reviewer with two-factor: its TOTP secret is a sealed value too.
    const reviewer = await person(server, { role: 'national-coordinator', country: 'GB' });
    const keyId = async (state: string) => (await sql<{ id: number }>`select id from data_keys where state = ${state} order by id`.execute(db)).rows.map((r) => r.id);
    const [oldKey] = await keyId('current');

    const load = new SealedLoad(server.url);
    let started = 0;
    let ended = 0;
    try {
      await load.reportsReach(REPORTS_BEFORE);
      started = Date.now();
      if (server.testDatabase.url) {
        const rotated = await runCast(['keys', 'rotate'], { CAST_DATA_DIR: server.dataDir, CAST_KEY: key, DATABASE_URL: server.testDatabase.url });
        assert.equal(rotated.code, 0, rotated.stderr);
      } else {
        await rotateDataKeys(db, instanceKey, { columns: SEALED_COLUMNS, waitMs: DEFAULT_WAIT_SECONDS * 1000 });
      }
      ended = Date.now();
      await load.reportsReach(load.reports.length + 10);
    } finally {
      await load.stop();
    }
    assert.deepEqual(load.failures, [], 'every request under load was answered as expected');

    const [newKey] = await keyId('current');
    assert.notEqual(newKey, oldKey);
    assert.ok((await keyId('retired')).includes(oldKey!), `data key ${oldKey} is retired`);
    assert.deepEqual(await valuesUnderOtherKeys(db, newKey!), {}, `every sealed value is under data key ${newKey}`);

    const found = await openEveryReport(db, reviewer, load.reports);
    const signed = await openEverySignature(db, instanceKey, load.signatures);
    const reports = split(load.reports, started, ended);
    const lost = load.reports.filter((report) => !found.has(report.reference));
    const lostSignatures = load.signatures.filter((signature) => !signed.has(signature.email));
    console.log(
      `key rotation (${testEngine()}): reports ${load.reports.length} (${reports.before.length} before the rotation, ${reports.during.length} during, ` +
        `${reports.after.length} after), decrypted with data key ${newKey} ${found.size}, lost ${lost.length}; signatures ${load.signatures.length}, ` +
        `lost ${lostSignatures.length}; values under older keys 0; rotation took ${ended - started} ms`,
    );
    assert.deepEqual(lost.map((r) => r.reference), [], 'no acknowledged report is missing');
    assert.deepEqual(lostSignatures.map((s) => s.email), [], 'no acknowledged signature is missing');

    const rotatedEntry = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'keys.rotated' and subject = ${`data-key:${newKey}`}`.execute(db);
    assert.equal(rotatedEntry.rows[0]!.n, 1, 'the rotation is in the audit log');
    const audit = await verifyAudit(db);
    assert.ok(audit.ok, `the audit chain verifies: ${JSON.stringify(audit)}`);
    if (server.testDatabase.url) {
      const verified = await runCast(['audit', 'verify'], { CAST_DATA_DIR: server.dataDir, CAST_KEY: key, DATABASE_URL: server.testDatabase.url });
      assert.equal(verified.code, 0, verified.stderr);
    }
  });
});
