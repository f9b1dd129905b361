import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createHitCounter, hit, peek } from './throttle.ts';

// Windows are fixed (aligned to multiples of their length), so a minute-long window would end during
// about one run in a hundred of a test that counts over a few hundred milliseconds, and its count
// start again. These tests count within one window of a thousand days instead.
const WINDOW_MS = 1000 * 24 * 60 * 60 * 1000;

describe('rate-limit counters', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.drop();
  });

  test('hits counted together still give each caller its own count, as if they came one by one', async () => {
    const count = createHitCounter(database.database.db);
    const results = await Promise.all([
      ...Array.from({ length: 40 }, () => count('together:a', WINDOW_MS)),
      ...Array.from({ length: 7 }, () => count('together:b', WINDOW_MS)),
    ]);
    assert.deepEqual(results.slice(0, 40).map((r) => r.hits).sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.deepEqual(results.slice(40).map((r) => r.hits).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7]);
    assert.ok(results.every((r) => r.resetInMs > 0 && r.resetInMs <= WINDOW_MS));
    assert.equal(await peek(database.database.db, 'together:a', WINDOW_MS), 40);
  });

  test('batched and one-by-one counting share one counter (several processes count together)', async () => {
    const count = createHitCounter(database.database.db);
    await hit(database.database.db, 'shared', WINDOW_MS);
    await Promise.all([count('shared', WINDOW_MS), count('shared', WINDOW_MS)]);
    assert.equal((await hit(database.database.db, 'shared', WINDOW_MS)).hits, 4);
  });

  test('counting keeps going when hits arrive while a write is under way', async () => {
    const count = createHitCounter(database.database.db);
    const pending: Promise<{ hits: number }>[] = [];
    for (let i = 0; i < 25; i += 1) {
      pending.push(count('staggered', WINDOW_MS));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const hits = (await Promise.all(pending)).map((r) => r.hits).sort((x, y) => x - y);
    assert.deepEqual(hits, Array.from({ length: 25 }, (_, i) => i + 1));
  });
});
