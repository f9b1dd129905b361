/**
 * Request body parsers that refuse what they cannot read faithfully: bytes that are not UTF-8 get a
 * 400 instead of being silently replaced, and malformed JSON gets a 400 instead of a 500.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-error.ts';

function decode(body: Buffer): string {
  if (!isUtf8(body)) throw new HttpError(400, 'invalid-encoding', 'errors.invalidEncoding');
  return body.toString('utf8');
}

// PostgreSQL cannot store U+0000 in text: a NUL anywhere in a body would fail deep in a handler
// (a 500 after work was done) unless every field's schema forbade it. No person types one, so a body
// holding one is refused whole, before any handler runs.
function refuseNul(value: string): void {
  if (value.includes('\u0000')) throw new HttpError(400, 'nul-character', 'errors.nulCharacter');
}

/**
 * The same rule for the address: a NUL in a query value or a path segment (written %00) would reach
 * a query as a parameter, and PostgreSQL refuses it with an error the handler never expected.
 */
export function refuseNulInAddresses(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (req.url.includes('%00')) throw new HttpError(400, 'nul-character', 'errors.nulCharacter');
  });
}

/** A form's fields; a name given twice becomes a list, as checkboxes need. */
export function parseForm(text: string): Record<string, string | string[]> {
  const fields = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(text)) {
    refuseNul(key);
    refuseNul(value);
    const existing = fields[key];
    if (existing === undefined) fields[key] = value;
    else fields[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return { ...fields };
}

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    try {
      const text = decode(body);
      if (text.trim() === '') return done(null, undefined);
      // JSON.parse gives an own property named __proto__, which is harmless until merged; refuse it.
      const value: unknown = JSON.parse(text, (key, v: unknown) => {
        if (key === '__proto__' || key === 'constructor') throw new HttpError(400, 'invalid-json', 'errors.invalidJson');
        refuseNul(key);
        if (typeof v === 'string') refuseNul(v);
        return v;
      });
      done(null, value);
    } catch (error) {
      done(error instanceof HttpError ? error : new HttpError(400, 'invalid-json', 'errors.invalidJson'), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    try {
      done(null, parseForm(decode(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
