/**
 * What a use case returns. Expected failures are values, not exceptions: the route maps each reason
 * to a response (invalid → 422 with field messages, forbidden → 403, not-found → 404, conflict → 409).
 * Exceptions are left for bugs and outages.
 */
export type FieldErrors = Record<string, string>;

export type Failure =
  | { ok: false; reason: 'invalid'; errors: FieldErrors }
  | { ok: false; reason: 'forbidden' | 'not-found' | 'conflict' | 'throttled'; message?: string };

export type Outcome<T = undefined> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const invalid = (errors: FieldErrors): Failure => ({ ok: false, reason: 'invalid', errors });
export const forbidden = (message?: string): Failure => ({ ok: false, reason: 'forbidden', ...(message ? { message } : {}) });
export const notFound = (message?: string): Failure => ({ ok: false, reason: 'not-found', ...(message ? { message } : {}) });
export const conflict = (message?: string): Failure => ({ ok: false, reason: 'conflict', ...(message ? { message } : {}) });
export const throttled = (message?: string): Failure => ({ ok: false, reason: 'throttled', ...(message ? { message } : {}) });
