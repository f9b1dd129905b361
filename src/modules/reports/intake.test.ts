import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createIntake, type PreparedReport } from './intake.ts';
import { newReceiptCode, newReference, receiptHash } from './receipt.ts';

function prepared(overrides: Partial<PreparedReport> = {}): PreparedReport {
  return {
    id: randomUUID(),
    point: undefined,
    reference: newReference(),
    receiptHash: receiptHash(newReceiptCode()),
    reporterId: null,
    country: 'GB',
    receivedOn: '2026-11-28',
    placeType: null,
    observedFrom: null,
    observedTo: null,
    observedTime: null,
    exploitationTypes: ['labour'],
    indicators: [],
    peopleCount: null,
    ageBands: [],
    genders: [],
    route: { origin: [], transit: [], destination: [] },
    h3Cell: null,
    locationSealed: null,
    narrativeSealed: 'k1.x.y.z',
    vehiclesSealed: null,
    contactSealed: null,
    namesSealed: null,
    contactConsent: false,
    identifiers: [{ kind: 'plate', blindIndex: Buffer.alloc(32, 1), valueSealed: 'k1.a.b.c', unparsed: false }],
    fuzzy: [],
    ...overrides,
  };
}

describe('report intake: group commit', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.drop();
  });

  const count = async (table: string, ids: string[]) =>
    Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(table === 'reports' ? 'id' : 'report_id')} = any(${ids}::uuid[])`.execute(database.database.db)).rows[0]!.n);

  test('many reports at once are all committed, with their identifiers, before their promises settle', async () => {
    const intake = createIntake(database.database.db);
    const reports = Array.from({ length: 120 }, () => prepared());
    await Promise.all(reports.map((report) => intake.submit(report)));
    const ids = reports.map((r) => r.id);
    assert.equal(await count('reports', ids), 120);
    assert.equal(await count('report_identifiers', ids), 120);
  });

  test('one report that cannot be stored fails alone; the others of its batch are committed', async () => {
    const intake = createIntake(database.database.db);
    const first = prepared();
    await intake.submit(first);
    const clash = prepared({ reference: first.reference });
    const others = Array.from({ length: 20 }, () => prepared());
    const results = await Promise.allSettled([...others.slice(0, 10), clash, ...others.slice(10)].map((report) => intake.submit(report)));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
    assert.equal(results[10]!.status, 'rejected', 'the clashing reference is the one refused');
    assert.equal(await count('reports', others.map((r) => r.id)), 20);
    assert.equal(await count('reports', [clash.id]), 0);
  });

  test('reports keep arriving while a commit runs: none is left waiting', async () => {
    const intake = createIntake(database.database.db);
    const reports: PreparedReport[] = [];
    const pending: Promise<void>[] = [];
    for (let round = 0; round < 30; round += 1) {
      const report = prepared();
      reports.push(report);
      pending.push(intake.submit(report));
      // Stagger arrivals across the commits in flight.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    assert.equal(await count('reports', reports.map((r) => r.id)), 30);
  });
});
