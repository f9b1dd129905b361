/**
 * Fixed-window counters kept in the database, so that every process behind a load balancer counts
 * together. Keys are keyed hashes: an address or an e-mail is never stored, and the day is mixed
 * into address keys so yesterday's hashes cannot be linked to today's.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { naturalBatches } from './batching.ts';
import { hmac } from './crypto.ts';
import type { Tables } from './db/tables.ts';

export interface WindowCount {
  hits: number;
  resetInMs: number;
}

function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/** Counts one hit against key in the current window and returns the window's total. */
export async function hit(db: Kysely<Tables>, key: string, windowMs: number): Promise<WindowCount> {
  const now = Date.now();
  const start = windowStart(now, windowMs);
  const row = await db
    .insertInto('throttle_counters')
    .values({ key, window_start: new Date(start), hits: 1, expires_at: new Date(start + windowMs) })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`throttle_counters.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return { hits: row.hits, resetInMs: start + windowMs - now };
}

interface PendingHit {
  key: string;
  windowMs: number;
  resolve: (count: WindowCount) => void;
  reject: (error: unknown) => void;
}

/**
 * `hit`, for hot paths: hits that arrive while a write is under way are counted together in one
 * statement, each key once with the number of its hits, and every caller still gets the count its own
 * hit made (as if they had come one after another). Under a crowd from one address — a school, an
 * office — this turns one round trip per request into one per batch.
 */
export function createHitCounter(db: Kysely<Tables>): (key: string, windowMs: number) => Promise<WindowCount> {
  async function write(batch: PendingHit[]): Promise<void> {
    const now = Date.now();
    const groups = new Map<string, { key: string; start: number; windowMs: number; hits: PendingHit[] }>();
    for (const pending of batch) {
      const start = windowStart(now, pending.windowMs);
      const id = `${pending.key}\u0000${start}`;
      const group = groups.get(id) ?? { key: pending.key, start, windowMs: pending.windowMs, hits: [] };
      group.hits.push(pending);
      groups.set(id, group);
    }
    const list = [...groups.values()];
    const rows = await db
      .insertInto('throttle_counters')
      .values(list.map((g) => ({ key: g.key, window_start: new Date(g.start), hits: g.hits.length, expires_at: new Date(g.start + g.windowMs) })))
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`throttle_counters.hits + excluded.hits` }))
      .returning(['key', 'window_start', 'hits'])
      .execute();
    const totals = new Map(rows.map((row) => [`${row.key}\u0000${new Date(row.window_start).getTime()}`, row.hits]));
    for (const [id, group] of groups) {
      const total = totals.get(id);
      if (total === undefined) throw new Error('a rate-limit counter was not written');
      group.hits.forEach((pending, i) => pending.resolve({ hits: total - group.hits.length + i + 1, resetInMs: group.start + group.windowMs - now }));
    }
  }

  const enqueue = naturalBatches<PendingHit>((batch) => write(batch).catch((error: unknown) => batch.forEach((pending) => pending.reject(error))));
  return (key, windowMs) => new Promise<WindowCount>((resolve, reject) => enqueue({ key, windowMs, resolve, reject }));
}

export async function peek(db: Kysely<Tables>, key: string, windowMs: number): Promise<number> {
  const row = await db
    .selectFrom('throttle_counters')
    .select('hits')
    .where('key', '=', key)
    .where('window_start', '=', new Date(windowStart(Date.now(), windowMs)))
    .executeTakeFirst();
  return row?.hits ?? 0;
}

export async function clear(db: Kysely<Tables>, key: string): Promise<void> {
  await db.deleteFrom('throttle_counters').where('key', '=', key).execute();
}

export async function sweepExpired(db: Kysely<Tables>): Promise<number> {
  const result = await db.deleteFrom('throttle_counters').where('expires_at', '<', new Date()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A throttle key for an address: rotates every UTC day. */
export function addressKey(secret: Buffer, purpose: string, address: string, now = new Date()): string {
  return `${purpose}:${hmac(secret, `${now.toISOString().slice(0, 10)}|${address}`).toString('base64url')}`;
}

/** A throttle key for a stable value such as an account's e-mail. */
export function valueKey(secret: Buffer, purpose: string, value: string): string {
  return `${purpose}:${hmac(secret, value).toString('base64url')}`;
}
