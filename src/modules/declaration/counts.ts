/**
 * The live total and the totals per country. Confirmations add rows to a small table of deltas; the
 * tally (every TALLY_MS, in whichever process gets the lock) folds them into the counts. A reading
 * adds the deltas still waiting to the folded counts, so it is exact when read, and each process
 * keeps a reading for READ_CACHE_MS so a crowd watching the count costs one query a second.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import * as store from './store.ts';

export const TALLY_MS = 1000;
const READ_CACHE_MS = 1000;

export interface Counts {
  total: number;
  countries: { country: string; total: number }[];
  /** When these figures were read from the database. */
  countedAt: string;
}

export interface CountReader {
  read(declarationId: string): Promise<Counts>;
}

export function createCountReader(db: Kysely<Tables>): CountReader {
  const cache = new Map<string, { at: number; value: Promise<Counts> }>();
  return {
    read(declarationId) {
      const hit = cache.get(declarationId);
      if (hit && Date.now() - hit.at < READ_CACHE_MS) return hit.value;
      const value = store.countsByCountry(db, declarationId).then((countries) => ({
        total: countries.reduce((sum, c) => sum + c.total, 0),
        countries,
        countedAt: new Date().toISOString(),
      }));
      cache.set(declarationId, { at: Date.now(), value });
      value.catch(() => cache.delete(declarationId));
      return value;
    },
  };
}

/** Starts the periodic tally; returns a function that stops it and waits for a tally under way. */
export function startTally(db: Kysely<Tables>, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? 0 : store.tally(db))).catch(onError);
  }, TALLY_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

const CSV_HEADER = 'country,signatures';

/** The counts as CSV (RFC 4180; country codes need no quoting). */
export function countsCsv(counts: Counts): string {
  return [CSV_HEADER, ...counts.countries.map((c) => `${c.country},${c.total}`)].join('\r\n') + '\r\n';
}
