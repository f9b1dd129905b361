/**
 * Property-based tests of the public map's guarantees (CONTEXT.md, "The public map"), for random
 * report sets: random points clustered around a few towns (so cells fill up around k), random days,
 * exploitation types and statuses.
 *
 * With C(r, c, t, y) the published count of cell c at resolution r for type t ('*': all) and year y
 * (0: all), and a leaf = (resolution-6 cell, exact set of types, year):
 *  1. threshold — every published count is at least k;
 *  2. hierarchy — for r < 6, C(r, c, t, y) = Σ C(r+1, child, t, y) over c's published children, so
 *     the children never exceed the parent and parent minus children is 0: nothing to subtract;
 *  3. years — C(r, c, t, 0) = Σ_y C(r, c, t, y);
 *  4. types — max_t C(r, c, t, y) ≤ C(r, c, '*', y) ≤ Σ_t C(r, c, t, y) (a report may name two types);
 *  5. suppression — removing every report of a leaf below k changes no published number at all;
 *  6. delay and status (through the real refresh and SQL) — adding reports newer than the cut-off,
 *     or not reviewed, rejected or duplicate, changes no published number.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { cellToChildren, cellToParent, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../core/db/migrate.ts';
import { ALL_TYPES, ALL_YEARS, LEAF_RESOLUTION, PUBLIC_RESOLUTIONS, publicCells, receivedUpTo, resolutionForZoom, type PublicCell, type ReportCount } from './public-cells.ts';
import { refreshPublicMap } from './public-refresh.ts';
import { selectPublicCells } from './public-store.ts';

const TOWNS = [
  [51.5072, -0.1276],
  [53.8008, -1.5491],
  [5.3599, -4.0083],
  [-33.8688, 151.2093],
  [64.1466, -21.9426],
] as const;
const TYPES = ['sexual', 'labour', 'criminal'] as const;

interface Report {
  lat: number;
  lon: number;
  types: string[];
  year: number;
}

const report: fc.Arbitrary<Report> = fc.record({
  town: fc.constantFrom(...TOWNS),
  // Mostly within a couple of resolution-6 cells of the centre, some further out: some leaves
  // pass k, some do not, and parents mix both.
  dLat: fc.oneof(fc.double({ min: -0.02, max: 0.02, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true })),
  dLon: fc.oneof(fc.double({ min: -0.02, max: 0.02, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true })),
  types: fc.oneof(fc.constant(['labour']), fc.constant(['sexual']), fc.subarray([...TYPES], { maxLength: 2 })),
  year: fc.constantFrom(2024, 2025),
}).map(({ town, dLat, dLon, types, year }) => ({ lat: town[0] + dLat, lon: town[1] + dLon, types: [...types], year }));

// size 'max': lengths spread over the whole range (fast-check's default keeps arrays short, and
// short arrays rarely fill a cell up to k, which would make the properties hold vacuously).
/** Fewer places and kinds, for the database property: fewer reports must still fill leaves up to k. */
const denseReport: fc.Arbitrary<Report> = fc.record({
  town: fc.constantFrom(TOWNS[0], TOWNS[2]),
  dLat: fc.oneof({ arbitrary: fc.double({ min: -0.01, max: 0.01, noNaN: true }), weight: 4 }, { arbitrary: fc.double({ min: -0.3, max: 0.3, noNaN: true }), weight: 1 }),
  dLon: fc.oneof({ arbitrary: fc.double({ min: -0.01, max: 0.01, noNaN: true }), weight: 4 }, { arbitrary: fc.double({ min: -0.3, max: 0.3, noNaN: true }), weight: 1 }),
  types: fc.oneof({ arbitrary: fc.constant(['labour']), weight: 3 }, { arbitrary: fc.subarray([...TYPES], { maxLength: 2 }), weight: 1 }),
  year: fc.constantFrom(2024, 2025),
}).map(({ town, dLat, dLon, types, year }) => ({ lat: town[0] + dLat, lon: town[1] + dLon, types: [...types], year }));

const reports = fc.array(report, { minLength: 0, maxLength: 400, size: 'max' });
const kArbitrary = fc.integer({ min: 5, max: 12 });

function counts(list: readonly Report[]): ReportCount[] {
  return list.map((r) => ({ cell: latLngToCell(r.lat, r.lon, 7), exploitationTypes: r.types, year: r.year, count: 1 }));
}

const keyOf = (c: Pick<PublicCell, 'resolution' | 'cell' | 'exploitationType' | 'year'>) => `${c.resolution}|${c.cell}|${c.exploitationType}|${c.year}`;
const index = (cells: PublicCell[]) => new Map(cells.map((c) => [keyOf(c), c.count]));
const canonical = (cells: PublicCell[]) => cells.map((c) => `${keyOf(c)}=${c.count}`).sort();

describe('public cells (property-based)', () => {
  test('1. no published count is below k', () => {
    let published = 0;
    fc.assert(
      fc.property(reports, kArbitrary, (list, k) => {
        const cells = publicCells(counts(list), k);
        if (cells.length > 0) published += 1;
        return cells.every((c) => c.count >= k);
      }),
    );
    // The generator must exercise the threshold both ways, or the other properties say little.
    assert.ok(published >= 50, `only ${published} of 100 runs published a cell`);
  });

  test('2. a parent equals the sum of its published children, for every type and year', () => {
    fc.assert(
      fc.property(reports, kArbitrary, (list, k) => {
        const cells = publicCells(counts(list), k);
        const byKey = index(cells);
        for (const parent of cells) {
          if (parent.resolution === LEAF_RESOLUTION) continue;
          const children = cellToChildren(parent.cell, parent.resolution + 1);
          const sum = children.reduce((total, child) => total + (byKey.get(keyOf({ ...parent, resolution: (parent.resolution + 1) as PublicCell['resolution'], cell: child })) ?? 0), 0);
          if (sum !== parent.count) return false;
        }
        // And every published child has its parent published.
        return cells.every((c) => c.resolution === PUBLIC_RESOLUTIONS[0] || byKey.has(keyOf({ ...c, resolution: (c.resolution - 1) as PublicCell['resolution'], cell: cellToParent(c.cell, c.resolution - 1) })));
      }),
    );
  });

  test('3. all years is the sum of the years', () => {
    fc.assert(
      fc.property(reports, kArbitrary, (list, k) => {
        const cells = publicCells(counts(list), k);
        const byKey = index(cells);
        return cells.filter((c) => c.year === ALL_YEARS).every((all) => [2024, 2025].reduce((sum, year) => sum + (byKey.get(keyOf({ ...all, year })) ?? 0), 0) === all.count);
      }),
    );
  });

  test('4. all types lies between the largest type and the sum of the types', () => {
    fc.assert(
      fc.property(reports, kArbitrary, (list, k) => {
        const cells = publicCells(counts(list), k);
        const byKey = index(cells);
        return cells
          .filter((c) => c.exploitationType === ALL_TYPES)
          .every((all) => {
            const parts = [...TYPES, 'unspecified'].map((type) => byKey.get(keyOf({ ...all, exploitationType: type })) ?? 0);
            return Math.max(...parts) <= all.count && all.count <= parts.reduce((a, b) => a + b, 0);
          });
      }),
    );
  });

  test('5. reports of a leaf below k leave no trace: removing them changes nothing', () => {
    fc.assert(
      fc.property(reports, kArbitrary, (list, k) => {
        const leafOf = (r: Report) => `${cellToParent(latLngToCell(r.lat, r.lon, 7), 6)}|${[...r.types].sort().join(',')}|${r.year}`;
        const sizes = new Map<string, number>();
        for (const r of list) sizes.set(leafOf(r), (sizes.get(leafOf(r)) ?? 0) + 1);
        const kept = list.filter((r) => sizes.get(leafOf(r))! >= k);
        assert.deepEqual(canonical(publicCells(counts(kept), k)), canonical(publicCells(counts(list), k)));
      }),
    );
  });

  test('the cut-off is at least the delay ago and always a Sunday', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.integer({ min: 7, max: 400 }), (now, delay) => {
        const cutOff = new Date(`${receivedUpTo(now, delay)}T00:00:00Z`);
        const latest = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - delay * 86_400_000;
        return cutOff.getUTCDay() === 0 && cutOff.getTime() <= latest && latest - cutOff.getTime() < 7 * 86_400_000;
      }),
    );
  });

  test('the resolution grows with the zoom and never passes 6', () => {
    const resolutions = Array.from({ length: 21 }, (_, zoom) => resolutionForZoom(zoom));
    assert.ok(resolutions.every((r, i) => r <= 6 && (i === 0 || r >= resolutions[i - 1]!)));
    assert.deepEqual([resolutions[0], resolutions[3], resolutions[5], resolutions[6], resolutions[20]], [2, 3, 4, 5, 6]);
  });

  test('refuses a threshold below 5', () => {
    assert.throws(() => publicCells([], 4), /at least 5/);
  });
});

describe('public map refresh (property-based, real database)', () => {
  test('6. reports newer than the cut-off or not publishable never change the map', async () => {
    const database = await createTestDatabase();
    await migrate(database.database);
    const db = database.database.db;
    const now = new Date('2026-11-28T12:00:00Z');
    const cutOff = receivedUpTo(now, 7);
    const insert = async (list: readonly Report[], status: string, receivedOn: (r: Report) => string) => {
      for (const r of list) {
        await sql`insert into reports (reference, receipt_hash, country, received_on, status, exploitation_types, h3_cell)
          values (${`R-${crypto.randomBytes(4).toString('hex').toUpperCase()}`}, ${crypto.randomBytes(32)}, 'GB', ${receivedOn(r)}, ${status}, ${r.types}, ${latLngToCell(r.lat, r.lon, 7)})`.execute(db);
      }
    };
    const everything = async () => {
      const rows: string[] = [];
      for (const resolution of PUBLIC_RESOLUTIONS) {
        for (const type of [ALL_TYPES, ...TYPES]) {
          for (const year of [ALL_YEARS, 2024, 2025, 2026]) {
            for (const row of await selectPublicCells(db, { resolution, exploitationType: type, year, south: -90, north: 90, west: -180, east: 180 })) rows.push(`${resolution}|${row.cell}|${type}|${year}=${row.count}`);
          }
        }
      }
      return rows.sort();
    };
    let published = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(denseReport, { maxLength: 120, size: 'max' }), fc.array(denseReport, { maxLength: 40, size: 'max' }), fc.constantFrom('received', 'rejected'), async (base, noise, badStatus) => {
          await sql`delete from reports`.execute(db);
          await insert(base, 'triaged', (r) => `${r.year}-06-01`);
          await refreshPublicMap(db, { k: 5, delayDays: 7 }, now);
          const before = await everything();
          assert.ok(before.every((row) => Number(row.split('=')[1]) >= 5));
          if (before.length > 0) published += 1;
          // Newer than the cut-off (the day after it, up to today), and old but not publishable.
          await insert(noise, 'graded', (_r) => new Date(Date.parse(`${cutOff}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
          await insert(noise, badStatus, (r) => `${r.year}-06-01`);
          await refreshPublicMap(db, { k: 5, delayDays: 7 }, now);
          assert.deepEqual(await everything(), before);
        }),
        { numRuns: 15 },
      );
      assert.ok(published >= 5, `only ${published} of 15 runs published a cell`);
    } finally {
      await database.drop();
    }
  });
});
