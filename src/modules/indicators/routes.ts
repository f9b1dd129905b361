/**
 * The taxonomy as JSON (`getIndicatorTaxonomy`). Public and identical for everyone who asks in one
 * language, so it is served without identifying the caller and may be cached by browsers and
 * proxies; the ETag changes with the content version.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../core/app-deps.ts';
import { HttpError } from '../../core/http/http-error.ts';
import { isLanguage } from '../../core/i18n.ts';
import * as schema from './schema.ts';
import { localisedTaxonomy } from './service.ts';

const MAX_AGE_SECONDS = 3600;

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate === etag || candidate === `W/${etag}`;
  });
}

export async function indicatorsRoutes(app: FastifyInstance, _deps: AppDeps): Promise<void> {
  app.get(
    '/api/v1/indicators',
    {
      // Public content: a stray or expired token must not turn a cacheable answer into a 401.
      config: { identify: false },
      schema: {
        operationId: 'getIndicatorTaxonomy',
        summary: 'What to look for: exploitation types, indicators with hints, place types, age bands, genders and the safety cautions (no sign-in needed)',
        tags: ['indicators'],
        security: [],
        querystring: schema.TaxonomyQuery,
        response: {
          200: schema.LocalisedTaxonomy,
          304: Type.Null({ description: 'Not modified: the ETag sent in If-None-Match is current' }),
          400: schema.ErrorResponse,
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: { lang?: string } }>, reply) => {
      const asked = req.query.lang;
      if (asked !== undefined && !isLanguage(asked)) throw new HttpError(400, 'unknown-language', 'indicators.errors.unknownLanguage');
      const language = asked ?? req.lang;
      const body = localisedTaxonomy(language);
      const etag = `"${body.version}-${body.language}"`;
      void reply
        .header('etag', etag)
        .header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`)
        .header('content-language', body.language)
        // Without ?lang= the language comes from the cookie or Accept-Language.
        .header('vary', 'Accept-Language, Cookie');
      if (matches(req.headers['if-none-match'], etag)) return reply.status(304).send();
      return body;
    },
  );
}
