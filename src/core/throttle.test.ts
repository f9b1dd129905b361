import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createHitCounter, hit, peek } from './throttle.ts';

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
      ...Array.from({ length: 40 }, () => count('together:a', 60_000)),
      ...Array.from({ length: 7 }, () => count('together:b', 60_000)),
    ]);
    assert.deepEqual(results.slice(0, 40).map((r) => r.hits).sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.deepEqual(results.slice(40).map((r) => r.hits).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7]);
    assert.ok(results.every((r) => r.resetInMs > 0 && r.resetInMs <= 60_000));
    assert.equal(await peek(database.database.db, 'together:a', 60_000), 40);
  });

  test('batched and one-by-one counting share one counter (several processes count together)', async () => {
    const count = createHitCounter(database.database.db);
    await hit(database.database.db, 'shared', 60_000);
    await Promise.all([count('shared', 60_000), count('shared', 60_000)]);
    assert.equal((await hit(database.database.db, 'shared', 60_000)).hits, 4);
  });

  test('counting keeps going when hits arrive while a write is under way', async () => {
    const count = createHitCounter(database.database.db);
    const pending: Promise<{ hits: number }>[] = [];
    for (let i = 0; i < 25; i += 1) {
      pending.push(count('staggered', 60_000));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const hits = (await Promise.all(pending)).map((r) => r.hits).sort((x, y) => x - y);
    assert.deepEqual(hits, Array.from({ length: 25 }, (_, i) => i + 1));
  });
});
