/**
 * Rate limits through @fastify/rate-limit with its counters in the database (so that several
 * processes enforce one limit), keyed by a daily-rotating keyed hash of the client address. Routes
 * opt in with `config: { rateLimit: { max, timeWindow } }`.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    rateLimitScale: number;
  }
}

/** Route config for a per-address limit of `max` requests per `windowMs` (times RATE_LIMIT_SCALE, at least 1). */
export function perAddressLimit(max: number, windowMs: number) {
  return { rateLimit: { max: (req: FastifyRequest) => Math.max(1, Math.floor(max * req.server.rateLimitScale)), timeWindow: windowMs } };
}
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Keys } from '../keys.ts';
import { addressKey, createHitCounter, valueKey } from '../throttle.ts';

export async function registerRateLimits(app: FastifyInstance, deps: { config: Config; database: Database; keys: Keys }): Promise<void> {
  const { database, keys } = deps;
  const countHit = createHitCounter(database.db);

  class DatabaseStore {
    constructor(private readonly prefix = 'rl') {}
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      countHit(`${this.prefix}:${key}`, timeWindow).then(
        ({ hits, resetInMs }) => callback(null, { current: hits, ttl: resetInMs }),
        (error: Error) => callback(error),
      );
    }
    // Each limited route counts on its own: the plugin passes the route as `routeInfo`. The route is
    // hashed into the key with the address, so a counter row does not say "someone sent a report".
    child(params: { routeInfo?: { method?: string | string[]; url?: string } }) {
      return new DatabaseStore(`rl:${valueKey(keys.throttle, 'route', `${String(params.routeInfo?.method)} ${params.routeInfo?.url}`).slice(6, 18)}`);
    }
  }

  app.decorate('rateLimitScale', deps.config.rateLimitScale);
  await app.register(rateLimit, {
    global: false,
    store: DatabaseStore as never,
    keyGenerator: (req) => addressKey(keys.throttle, 'ip', req.ip),
    // The limit still applies when the counter store is unreachable: better a refusal than a flood.
    skipOnError: false,
  });
}
