/** Operational routes: health, metrics, the language switch, the API baseline and the OpenAPI document. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Config } from '../config.ts';
import { safeEqual } from '../crypto.ts';
import type { Database } from '../db/database.ts';
import { isLanguage } from '../i18n.ts';
import { HttpError } from './http-error.ts';
import { redirect, safeNext } from './render.tsx';
import { cookieOptions, LANGUAGE_COOKIE } from './request-context.ts';

export function registerCoreRoutes(app: FastifyInstance, deps: { config: Config; database: Database; metrics: Registry; setLanguage: (userId: string, lang: 'en' | 'fr') => Promise<void> }): void {
  const { config, database, metrics } = deps;

  app.get('/healthz', { config: { identify: false }, schema: { hide: true } }, async (_req, reply) => {
    const up = await database.ping();
    return reply.status(up ? 200 : 503).header('cache-control', 'no-store').send({ status: up ? 'ok' : 'unavailable', database: up ? 'reachable' : 'unreachable' });
  });

  app.get('/metrics', { config: { identify: false }, schema: { hide: true } }, async (req, reply) => {
    if (config.metricsToken) {
      const sent = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!safeEqual(sent, config.metricsToken)) throw new HttpError(401, 'unauthorised', 'errors.signInRequired');
    }
    return reply.header('content-type', metrics.contentType).send(await metrics.metrics());
  });

  app.get(
    '/api/v1/ping',
    {
      config: { identify: false },
      schema: {
        operationId: 'ping',
        summary: 'A trivial answer, to check the API is up and to measure the baseline',
        tags: ['operations'],
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async () => ({ ok: true }),
  );

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>(
    '/language/:lang',
    { schema: { hide: true } },
    async (req, reply) => {
      const lang = req.params.lang;
      if (!isLanguage(lang)) throw new HttpError(404, 'not-found', 'errors.notFound');
      void reply.setCookie(LANGUAGE_COOKIE, lang, cookieOptions(config, 365 * 24 * 3600));
      if (req.actor.kind === 'user') await deps.setLanguage(req.actor.userId, lang);
      return redirect(reply, safeNext(req.query.next));
    },
  );
}
