/**
 * A small per-process cache of values that may be a few seconds old: each entry lives `ttlMs`, and
 * concurrent misses for one key share one load (a crowd arriving at once costs one query, not one
 * each). At most `maxEntries` entries; the oldest goes first.
 *
 * Only for answers that are safe to serve slightly stale and that the caller has already authorised:
 * the cache knows nothing about who asks. Several processes each keep their own, so two of them may
 * differ by up to `ttlMs`: say so wherever a cache is used.
 */
export interface TtlCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
  /** Entries held now (for tests and metrics). */
  readonly size: number;
}

export interface TtlCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

interface Entry<V> {
  value: Promise<V>;
  expires: number;
}

export function createTtlCache<V>({ ttlMs, maxEntries, now = Date.now }: TtlCacheOptions): TtlCache<V> {
  const entries = new Map<string, Entry<V>>();
  return {
    get(key, load) {
      if (ttlMs <= 0) return load();
      const at = now();
      const held = entries.get(key);
      if (held && held.expires > at) return held.value;
      if (held) entries.delete(key);
      const value = load();
      entries.set(key, { value, expires: at + ttlMs });
      // A failed load is not kept: the next request tries again.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}
