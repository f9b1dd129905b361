import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTtlCache } from './ttl-cache.ts';

function clock() {
  let at = 1_000;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

describe('ttl cache', () => {
  test('serves a value until it expires, then loads it again', async () => {
    const time = clock();
    const cache = createTtlCache<number>({ ttlMs: 5_000, maxEntries: 10, now: time.now });
    let loads = 0;
    const load = async () => ++loads;
    assert.equal(await cache.get('a', load), 1);
    time.advance(4_999);
    assert.equal(await cache.get('a', load), 1);
    time.advance(1);
    assert.equal(await cache.get('a', load), 2);
  });

  test('concurrent misses for one key share one load; other keys load on their own', async () => {
    const cache = createTtlCache<string>({ ttlMs: 5_000, maxEntries: 10 });
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = (value: string) => async () => {
      loads += 1;
      await gate;
      return value;
    };
    const waiting = [cache.get('a', load('first')), cache.get('a', load('second')), cache.get('b', load('other'))];
    release();
    assert.deepEqual(await Promise.all(waiting), ['first', 'first', 'other']);
    assert.equal(loads, 2);
  });

  test('a failed load is not kept', async () => {
    const cache = createTtlCache<number>({ ttlMs: 5_000, maxEntries: 10 });
    await assert.rejects(cache.get('a', async () => Promise.reject(new Error('database gone'))), /database gone/);
    assert.equal(await cache.get('a', async () => 7), 7);
  });

  test('holds at most maxEntries, dropping the oldest', async () => {
    const cache = createTtlCache<string>({ ttlMs: 5_000, maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) await cache.get(key, async () => key);
    assert.equal(cache.size, 2);
    assert.equal(await cache.get('a', async () => 'reloaded'), 'reloaded');
    assert.equal(await cache.get('c', async () => 'reloaded'), 'c');
  });

  test('a ttl of zero caches nothing', async () => {
    const cache = createTtlCache<number>({ ttlMs: 0, maxEntries: 10 });
    let loads = 0;
    await cache.get('a', async () => ++loads);
    await cache.get('a', async () => ++loads);
    assert.equal(loads, 2);
    assert.equal(cache.size, 0);
  });
});
