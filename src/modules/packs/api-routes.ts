/**
 * The packs module's JSON API: listActionPacks, getActionPack, getActionPackPdf, getIndicatorPage,
 * submitSelfCheck and getSelfCheckTotals. All public. Content reads are served without identifying
 * the caller (a stale token does not matter) and may be cached; a PDF's address names its language
 * and version, so it is cached for a day and revalidated by ETag.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../core/app-deps.ts';
import { isCountryCode } from '../../core/countries.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { ErrorResponse } from '../../core/http/error-response.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { isLanguage, type Language } from '../../core/i18n.ts';
import type { Outcome } from '../../core/outcome.ts';
import * as schema from './schema.ts';
import * as packs from './service.ts';
import { pagePath, pdfPath } from './views/pack-pages.tsx';

const publicRead = { identify: false } as const;

function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throwApiFailure(outcome);
  return outcome.value;
}

function withLinks(pack: packs.PackSummary) {
  return { ...pack, links: { page: pagePath(pack.slug, pack.language, pack.version), pdf: pdfPath(pack.slug, pack.language, pack.version) } };
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  return (ifNoneMatch ?? '').split(',').some((tag) => [etag, `W/${etag}`, '*'].includes(tag.trim()));
}

export function registerPacksApi(app: FastifyInstance, deps: AppDeps, record: packs.SelfCheckRecorder): void {
  // `?lang=` when given (an unknown one is a 404 like an unknown pack), else the caller's language.
  const language = (req: FastifyRequest<{ Querystring: { lang?: string } }>): Language => {
    const asked = req.query.lang;
    if (asked !== undefined && !isLanguage(asked)) throwApiFailure({ ok: false, reason: 'not-found', message: 'packs.errors.unknownLanguage' });
    return (asked) ?? req.lang;
  };
  const content = (reply: FastifyReply, lang: string) => reply.header('cache-control', 'public, max-age=3600').header('content-language', lang).header('vary', 'Accept-Language, Cookie');

  app.get(
    '/api/v1/packs',
    {
      config: publicRead,
      schema: { operationId: 'listActionPacks', summary: 'Action Packs, optionally for one audience and/or on one topic', tags: ['packs'], security: [], querystring: schema.ListQuery, response: { 200: schema.PackList, 404: ErrorResponse, 422: ErrorResponse } },
    },
    async (req: FastifyRequest<{ Querystring: { audience?: string; topic?: string; lang?: string } }>, reply) => {
      const lang = language(req);
      const list = unwrap(packs.listPacks({ audience: req.query.audience, topic: req.query.topic, language: lang }));
      void content(reply, lang);
      return list.map(withLinks);
    },
  );

  app.get(
    '/api/v1/packs/:slug',
    {
      config: publicRead,
      schema: {
        operationId: 'getActionPack',
        summary: 'One Action Pack in one language, with "what to look for" built from the indicator taxonomy',
        tags: ['packs'],
        security: [],
        params: schema.SlugParams,
        querystring: schema.PackQuery,
        response: { 200: schema.PackBody, 404: ErrorResponse, 422: ErrorResponse },
      },
    },
    async (req: FastifyRequest<{ Params: { slug: string }; Querystring: { lang?: string; version?: string } }>, reply) => {
      const pack = unwrap(packs.getPack(req.params.slug, { language: req.query.lang, version: req.query.version }, req.lang));
      void content(reply, pack.language);
      const { text, lookFor, ...summary } = pack;
      return { ...withLinks(summary), activities: text.activities.map((a) => ({ ...a, ages: a.ages ?? null })), lookFor, markdown: text.body, html: text.html };
    },
  );

  app.get(
    '/api/v1/packs/:slug/pdf',
    {
      config: publicRead,
      schema: {
        operationId: 'getActionPackPdf',
        summary: 'An Action Pack as a PDF (A4, fonts embedded), made on the server and cached per language and version',
        tags: ['packs'],
        security: [],
        params: schema.SlugParams,
        querystring: schema.PackQuery,
        produces: ['application/pdf'],
        response: {
          200: Type.String({ format: 'binary', description: 'The PDF (application/pdf)' }),
          304: Type.Null({ description: 'Not modified: the ETag sent in If-None-Match is current' }),
          404: ErrorResponse,
          422: ErrorResponse,
        },
      },
    },
    async (req: FastifyRequest<{ Params: { slug: string }; Querystring: { lang?: string; version?: string } }>, reply) => {
      const pdf = unwrap(await packs.getPackPdf(req.params.slug, { language: req.query.lang, version: req.query.version }, req.lang, deps.config.publicUrl));
      void reply.header('etag', pdf.etag).header('cache-control', 'public, max-age=86400').header('vary', 'Accept-Language, Cookie');
      if (matches(req.headers['if-none-match'], pdf.etag)) return reply.status(304).send();
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${pdf.filename}"`).send(pdf.body);
    },
  );

  app.get(
    '/api/v1/what-to-look-for/:type',
    {
      config: publicRead,
      schema: {
        operationId: 'getIndicatorPage',
        summary: 'What to look for for one exploitation type, from the indicator taxonomy, with the report and emergency actions',
        tags: ['packs'],
        security: [],
        params: schema.TypeParams,
        querystring: schema.IndicatorPageQuery,
        response: { 200: schema.IndicatorPageBody, 404: ErrorResponse, 422: ErrorResponse },
      },
    },
    async (req: FastifyRequest<{ Params: { type: string }; Querystring: { lang?: string; country?: string } }>, reply) => {
      const lang = language(req);
      const country = req.query.country?.toUpperCase();
      if (country !== undefined && !isCountryCode(country)) throwApiFailure({ ok: false, reason: 'invalid', errors: { country: 'packs.errors.country' } });
      const page = unwrap(packs.getIndicatorPage(req.params.type, lang, country));
      void content(reply, lang);
      return { ...page, emergency: { ...page.emergency, country: page.emergency.country ?? null } };
    },
  );

  app.post(
    '/api/v1/self-check/:scenario',
    {
      // Anyone may take the self-check; a caller without a session has nothing another site could ride.
      config: { ...perAddressLimit(30, 60_000), csrf: 'anonymous-ok' },
      schema: {
        operationId: 'submitSelfCheck',
        summary: '"Would you know?": send the options ticked, get each explained. Only anonymous totals are kept; a submission naming an option the scenario does not have is refused whole.',
        tags: ['packs'],
        security: [],
        params: schema.ScenarioParams,
        querystring: schema.SelfCheckQuery,
        body: schema.SelfCheckBody,
        response: { 200: schema.SelfCheckResultBody, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (req: FastifyRequest<{ Params: { scenario: string }; Querystring: { lang?: string }; Body: { picked: string[] } }>) => {
      const lang = language(req);
      const result = unwrap(await packs.submitSelfCheck(record, req.params.scenario, req.body.picked, lang));
      return { ...result, options: result.options.map((o) => ({ ...o, indicator: o.indicator ?? null, why: o.why ?? null })) };
    },
  );

  app.get(
    '/api/v1/self-check/:scenario/totals',
    {
      config: publicRead,
      schema: {
        operationId: 'getSelfCheckTotals',
        summary: 'Anonymous totals of one self-check scenario: how many checks were sent and how often each option was ticked',
        tags: ['packs'],
        security: [],
        params: schema.ScenarioParams,
        response: {
          200: Type.Object({ checks: Type.Integer(), picked: Type.Record(Type.String(), Type.Integer()) }, { examples: [{ checks: 120, picked: { visitors: 101, windows: 88, language: 9 } }] }),
          404: ErrorResponse,
        },
      },
    },
    async (req: FastifyRequest<{ Params: { scenario: string } }>, reply) => {
      void reply.header('cache-control', 'no-store');
      return unwrap(await packs.selfCheckTotals(deps.database.db, req.params.scenario));
    },
  );
}
