/**
 * `cast import ctdc`: the reader (every edition, every problem by line), the import on the engine
 * under test (nothing half-imported, --keep-valid), and the command as an operator runs it.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../core/db/database.ts';
import { runCast } from '../../../test/support/cast-cli.ts';
import { createTestDatabase, ROOT, type TestDatabase } from '../../../test/support/database.ts';
import { countryCode, CtdcReader } from './ctdc-parse.ts';
import { importCtdc, importCtdcFile } from './ctdc-import.ts';
import { contextFlows, publicStatistics } from './statistics.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/ctdc');
const fixture = (name: string) => path.join(FIXTURES, name);
const csv = (text: string) => Readable.from([Buffer.from(text)]);

describe('CTDC reader', () => {
  test('country codes: alpha-2 and alpha-3 both become alpha-2; -99 and empty are missing; anything else is refused', () => {
    assert.deepEqual(countryCode('GBR'), { code: 'GB', kind: 'alpha-3' });
    assert.deepEqual(countryCode('GB'), { code: 'GB', kind: 'alpha-2' });
    assert.deepEqual(countryCode('XKX'), { code: 'XK', kind: 'alpha-3' });
    assert.deepEqual(countryCode('-99'), { code: '' });
    assert.deepEqual(countryCode(''), { code: '' });
    for (const bad of ['ZZZ', 'UK', 'gbr', 'United Kingdom', '826', 'G']) assert.equal(countryCode(bad), undefined, bad);
  });

  test('a header with an unknown or missing column is refused before any row is read', () => {
    const reader = new CtdcReader(2026);
    reader.header(['yearOfRegistration', 'citizenship', 'victimName']);
    reader.row(['2021', 'ALB', 'x'], 2);
    assert.equal(reader.fatal, true);
    assert.deepEqual(reader.problems, [
      { line: 1, message: 'unknown column "victimName"' },
      { line: 1, message: 'missing column "CountryOfExploitation"' },
    ]);
    assert.equal(reader.rows, 0);
  });

  test('column names match whatever their case; flags map to CAST exploitation types', () => {
    const reader = new CtdcReader(2026);
    reader.header(['YEAROFREGISTRATION', 'Citizenship', 'countryOfExploitation', 'isSexAndLabour', 'isOtherExploit']);
    reader.row(['2020', 'VNM', 'GBR', '1', '-99'], 2);
    reader.row(['2020', 'VNM', 'GBR', '1', ''], 3);
    const result = reader.result();
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.counts, [{ year: 2020, citizenship: 'VN', exploitationCountry: 'GB', types: ['labour', 'sexual'], records: 2 }]);
    assert.equal(result.codes, 'alpha-3');
  });
});

describe('CTDC import', () => {
  let testDatabase: TestDatabase;
  const layers = async () => (await sql<{ n: string }>`select count(*)::text as n from ctdc_imports`.execute(testDatabase.database.db)).rows[0]!.n;

  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    await testDatabase.drop();
  });

  test('bad rows: every problem named by its line, and nothing imported', async () => {
    const result = await importCtdcFile(testDatabase.database.db, fixture('ctdc-bad-rows.csv'), { currentYear: 2026 });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'bad-rows');
    assert.deepEqual(
      result.problems.map((p) => p.line),
      [4, 6, 8, 10, 14],
    );
    assert.match(result.problems[0]!.message, /citizenship "ZZZ" is not an ISO 3166 country code/);
    assert.match(result.problems[1]!.message, /CountryOfExploitation "United Kingdom"/);
    assert.match(result.problems[2]!.message, /yearOfRegistration "21"/);
    assert.match(result.problems[3]!.message, /issexualexploit "2" is not 0, 1, -99 or empty/);
    assert.match(result.problems[4]!.message, /has 4 values; the header names 27 columns/);
    assert.equal(await layers(), '0');
  });

  test('an unknown column refuses the file even with keepValid', async () => {
    const result = await importCtdcFile(testDatabase.database.db, fixture('ctdc-unknown-column.csv'), { keepValid: true });
    assert.equal(!result.ok && result.reason, 'bad-header');
    assert.deepEqual(result.problems, [{ line: 1, message: 'unknown column "victimName"' }]);
    assert.equal(await layers(), '0');
  });

  test('not CSV, or empty: refused, nothing imported', async () => {
    const quoted = await importCtdc(testDatabase.database.db, csv('citizenship,CountryOfExploitation\n"ALB,GBR\n'), 'broken.csv');
    assert.equal(!quoted.ok && quoted.reason, 'unreadable');
    const empty = await importCtdc(testDatabase.database.db, csv(''), 'empty.csv');
    assert.equal(!empty.ok && empty.reason, 'empty');
    const headerOnly = await importCtdc(testDatabase.database.db, csv('citizenship,CountryOfExploitation\n'), 'header.csv');
    assert.equal(!headerOnly.ok && headerOnly.reason, 'empty');
    assert.equal(await layers(), '0');
  });

  test('keepValid imports the valid rows and counts the ones left out', async () => {
    const result = await importCtdcFile(testDatabase.database.db, fixture('ctdc-bad-rows.csv'), { keepValid: true, currentYear: 2026, label: 'Partly bad' });
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.records, 8);
    assert.equal(result.ok && result.rejected, 5);
    assert.equal(result.problems.length, 5);
    const row = await sql<{ records: number; rejected: number; label: string }>`select records, rejected, label from ctdc_imports`.execute(testDatabase.database.db);
    assert.deepEqual(row.rows, [{ records: 8, rejected: 5, label: 'Partly bad' }]);
    const audit = await testDatabase.database.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'routes.ctdc-imported').execute();
    assert.equal(audit.length, 1);
  });

  test('the v2024 edition (alpha-3): the newest import is the layer; counts below 11 never leave the database', async () => {
    const result = await importCtdcFile(testDatabase.database.db, fixture('ctdc-v2024-sample.csv'), { label: 'Sample v2024', currentYear: 2026 });
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    assert.equal(result.ok && result.codes, 'alpha-3');
    assert.equal(result.ok && result.records, 75);
    const layer = await contextFlows(testDatabase.database.db, { k: 11 });
    assert.equal(layer?.label, 'Sample v2024');
    // ALB→GB: 14 (2021) + 11 (2022); VN→GB 12 (labour, 2021; the 4 labour+sexual records are a leaf below 11);
    // NG→IT 13. RO→GB (3), UA→PL (5) and VN→FR (2) are below k. GB's 11 records without citizenship are no flow.
    assert.deepEqual(layer?.flows, [
      { from: 'AL', to: 'GB', records: 25 },
      { from: 'NG', to: 'IT', records: 13 },
      { from: 'VN', to: 'GB', records: 12 },
    ]);
    const gb2021 = await contextFlows(testDatabase.database.db, { k: 11, fromYear: 2021, toYear: 2021, country: 'GB', type: 'labour' });
    assert.deepEqual(gb2021?.flows, [{ from: 'VN', to: 'GB', records: 12 }]);

    const stats = await publicStatistics(testDatabase.database.db, { year: undefined, type: undefined }, { delayDays: 7 });
    assert.equal(stats.k, 11);
    assert.equal(stats.ctdc?.records, 14 + 12 + 11 + 13 + 11);
    assert.deepEqual(stats.ctdc?.byCountry, [
      { country: 'GB', records: 48 },
      { country: 'IT', records: 13 },
    ]);
    assert.deepEqual(stats.ctdc?.byType, [
      { type: 'sexual', records: 38 },
      { type: 'labour', records: 23 },
    ]);
    const sexual2022 = await publicStatistics(testDatabase.database.db, { year: 2022, type: 'sexual' }, { delayDays: 7 });
    assert.deepEqual(sexual2022.ctdc?.flows, [
      { from: 'NG', to: 'IT', records: 13 },
      { from: 'AL', to: 'GB', records: 11 },
    ]);
    for (const figure of [...(stats.ctdc?.flows ?? []), ...(stats.ctdc?.byCountry ?? []), ...(stats.ctdc?.byType ?? [])]) assert.ok(figure.records >= 11);
  });

  test('an older edition (alpha-2, -99 for missing) imports too', async () => {
    const result = await importCtdcFile(testDatabase.database.db, fixture('ctdc-2019-k-anonymised-sample.csv'), { currentYear: 2026 });
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    assert.equal(result.ok && result.codes, 'alpha-2');
    assert.equal(result.ok && result.label, 'CTDC ctdc-2019-k-anonymised-sample.csv');
    const layer = await contextFlows(testDatabase.database.db, { k: 11 });
    assert.deepEqual(layer?.flows, [
      { from: 'MD', to: 'US', records: 12 },
      { from: 'PH', to: 'US', records: 11 },
    ]);
    const stats = await publicStatistics(testDatabase.database.db, { year: 2018, type: 'forced-marriage' }, { delayDays: 7 });
    assert.deepEqual(stats.ctdc?.byCountry, [{ country: 'US', records: 11 }]);
  });
});

describe('cast import ctdc', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const cast = (args: string[], env: Record<string, string>) => runCast(args, { CAST_SECRET: crypto.randomBytes(32).toString('base64'), ...env });

  test('bad rows: exit 1, each problem on its own line, nothing written; --keep-valid imports the rest', async () => {
    const testDatabase = await createTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-ctdc-'));
    dirs.push(dataDir);
    let env: Record<string, string>;
    let count: () => Promise<string>;
    if (testDatabase.url) {
      env = { CAST_DATA_DIR: dataDir, DATABASE_URL: testDatabase.url };
      count = async () => (await sql<{ n: string }>`select count(*)::text as n from ctdc_imports`.execute(testDatabase.database.db)).rows[0]!.n;
    } else {
      // The command opens PGlite from a data directory: write the template's copy into one.
      const dump = await testDatabase.database.pglite!.dumpDataDir('none');
      await testDatabase.drop();
      const seeded = await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite'), template: dump });
      await seeded.close();
      env = { CAST_DATA_DIR: dataDir };
      count = async () => {
        const database = await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite') });
        try {
          return (await sql<{ n: string }>`select count(*)::text as n from ctdc_imports`.execute(database.db)).rows[0]!.n;
        } finally {
          await database.close();
        }
      };
    }
    try {
      const refused = await cast(['import', 'ctdc', fixture('ctdc-bad-rows.csv')], env);
      assert.equal(refused.code, 1, refused.stderr);
      const lines = refused.stderr.trim().split('\n');
      assert.match(lines[0]!, /^line 4: citizenship "ZZZ"/);
      assert.match(lines.at(-1)!, /^cast: nothing imported: 5 of 13 rows have problems \(add --keep-valid to import the 8 valid rows\)$/);
      assert.equal(await count(), '0');

      const missing = await cast(['import', 'ctdc', path.join(dataDir, 'nope.csv')], env);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /no file at/);
      const usage = await cast(['import', 'ctdc'], env);
      assert.equal(usage.code, 2);

      const kept = await cast(['import', 'ctdc', fixture('ctdc-bad-rows.csv'), '--keep-valid', '--label', 'Kept'], env);
      assert.equal(kept.code, 0, kept.stderr);
      assert.match(kept.stdout, /imported "Kept": 8 records \(alpha-3 country codes\), 5 invalid rows left out/);
      assert.equal(await count(), '1');
    } finally {
      if (testDatabase.url) await testDatabase.drop();
    }
  });
});
