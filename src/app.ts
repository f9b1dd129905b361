/**
 * Builds the HTTP application from its parts. Tests build it the same way the server does, so what
 * is tested is what runs.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyContextConfig, type FastifyInstance } from 'fastify';
import type { AppDeps } from './core/app-deps.ts';
import { registerAssets } from './core/http/assets.ts';
import { refuseNulInAddresses, registerBodyParsers } from './core/http/body-parsers.ts';
import { registerCoreRoutes } from './core/http/core-routes.ts';
import { registerErrorHandling } from './core/http/errors.tsx';
import { registerMetrics } from './core/http/metrics.ts';
import { registerPwaRoutes } from './core/http/pwa-routes.tsx';
import { registerRateLimits } from './core/http/rate-limit.ts';
import { registerRequestContext } from './core/http/request-context.ts';
import { registerSecurityHeaders } from './core/http/security-headers.ts';
import { accountsRoutes, setAccountLanguage } from './modules/accounts/index.ts';
import { chocolateRoutes } from './modules/chocolate/index.ts';
import { correlationRoutes, linkerFor } from './modules/correlation/index.ts';
import { declarationRoutes } from './modules/declaration/index.ts';
import { donationsRoutes } from './modules/donations/index.ts';
import { eventsRoutes } from './modules/events/index.ts';
import { groupsRoutes } from './modules/groups/index.ts';
import { homeRoutes } from './modules/home/index.ts';
import { indicatorsRoutes } from './modules/indicators/index.ts';
import { mapRoutes } from './modules/map/index.ts';
import { newsletterRoutes } from './modules/newsletter/index.ts';
import { packsRoutes } from './modules/packs/index.ts';
import { partnersRoutes } from './modules/partners/index.ts';
import { reportsRoutes } from './modules/reports/index.ts';
import { retentionRoutes } from './modules/retention/index.ts';
import { routesRoutes } from './modules/routes/index.ts';
import { sharingRoutes } from './modules/sharing/index.ts';

export type { AppDeps };

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its config (CSRF and rate-limit settings), for the tests that enumerate them. */
    registeredRoutes: RegisteredRoute[];
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  config: FastifyContextConfig & { rateLimit?: unknown };
}

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web');

/** `logStream`: where log lines go instead of standard output (tests read them to check what is logged). */
export async function buildApp(deps: AppDeps, options: { logStream?: NodeJS.WritableStream } = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    requestTimeout: 30_000,
    logger: {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // No addresses, URLs (they can carry tokens), cookies or bodies: only the route pattern.
      serializers: {
        req: (req) => ({ method: req.method, route: req.routeOptions?.url ?? 'unmatched' }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, keywords: ['errorKey'] } },
  });

  // Every route, so the authorisation matrix and the web security tests can prove they cover them all.
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  // Only the JSON API belongs in the OpenAPI document; pages are for people.
  app.addHook('onRoute', (route) => {
    for (const method of ([] as string[]).concat(route.method)) if (method !== 'HEAD') routes.push({ method, url: route.url, config: { ...route.config } });
    if (!route.url.startsWith('/api/')) route.schema = { ...route.schema, hide: true };
  });
  registerBodyParsers(app);
  await app.register(cookie);
  registerSecurityHeaders(app, config);
  refuseNulInAddresses(app);
  await registerRateLimits(app, deps);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'CAST API', version: '1', description: 'Community Action against Sex Trafficking. Authenticate with `Authorization: Bearer <personal API token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  const metrics = registerMetrics(app);
  registerRequestContext(app, deps);
  registerErrorHandling(app);
  await app.register(fastifyStatic, { root: WEB_DIR, prefix: '/static/', maxAge: '1h', index: false, serve: true });
  await registerAssets(app, config);
  app.get('/api/openapi.json', { config: { identify: false }, schema: { hide: true } }, async () => app.swagger());

  registerCoreRoutes(app, { ...deps, metrics, setLanguage: (userId, lang) => setAccountLanguage(deps.database.db, userId, lang) });
  registerPwaRoutes(app, deps);
  await app.register(homeRoutes, deps);
  await app.register(accountsRoutes, deps);
  await app.register(partnersRoutes, deps);
  await app.register(groupsRoutes, deps);
  await app.register(indicatorsRoutes, deps);
  // Reports are linked inside the transaction that writes them (correlation module).
  await app.register(reportsRoutes, { ...deps, onReportsCommitted: linkerFor(deps).hook });
  await app.register(correlationRoutes, deps);
  await app.register(mapRoutes, deps);
  await app.register(chocolateRoutes, deps);
  await app.register(newsletterRoutes, deps);
  await app.register(declarationRoutes, deps);
  await app.register(donationsRoutes, deps);
  await app.register(eventsRoutes, deps);
  await app.register(packsRoutes, deps);
  await app.register(routesRoutes, deps);
  await app.register(sharingRoutes, deps);
  await app.register(retentionRoutes, deps);
  return app;
}
