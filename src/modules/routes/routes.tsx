/**
 * HTTP of the routes module: getRouteFlows (a group's, a country's), getPublicStatistics, and their
 * pages. Parse, call the service, map the outcome.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { sendPage } from '../../core/http/render.tsx';
import type { Failure, Outcome } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { localisedTaxonomy } from '../indicators/index.ts';
import { parseRouteQuery, routeAccess, routeFlows, type RouteTarget } from './flows.ts';
import * as schema from './schema.ts';
import { parsePublicQuery, publicStatistics, publicYears, PUBLIC_K } from './statistics.ts';
import { RoutesPage } from './views/routes-page.tsx';
import { StatisticsPage } from './views/statistics-page.tsx';

type Query = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Params: { id?: string; cc?: string }; Querystring: Query }>;

const E = schema.ErrorResponse;
/** Five minutes: public numbers change at most monthly. */
const PUBLIC_MAX_AGE_SECONDS = 300;
const unwrap = <T,>(outcome: Outcome<T>): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
const targetOf = (req: Req): RouteTarget => (req.params.cc !== undefined ? { country: req.params.cc.toUpperCase() } : { groupId: req.params.id ?? '' });
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export async function routesRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await Promise.resolve();
  const db = deps.database.db;
  const delayDays = deps.config.publicMapDelayDays;
  const typeOptions = (req: FastifyRequest) => localisedTaxonomy(req.lang).exploitationTypes.map((x) => ({ value: x.id, label: x.label }));

  const flowsDescription =
    'Country-to-country flows (origin → transit → destination) named by the reports, per leg, in the months received from–to (default: the last 12 months), with the CTDC data set beside them as a separate, labelled context layer (counts of at least 11 records only). Numbers of reports and country codes only. For the group’s coordinators and national coordinators of its country (with two-factor authentication); a country’s flows for its national coordinators. Unknown parameters or values are a 422 naming the field.';
  const flowsSchema = (operationId: string, summary: string, params: object) => ({
    schema: { operationId, summary, description: flowsDescription, tags: ['routes'], params, querystring: schema.RouteFlowsQuery, response: { 200: schema.RouteFlows, 401: E, 403: E, 404: E, 422: E } },
  });
  const flowsHandler = async (req: Req, reply: FastifyReply) => {
    const actor = apiUser(req);
    const query = unwrap(parseRouteQuery(req.query));
    return reply.header('cache-control', 'no-store').send(unwrap(await routeFlows(db, actor, targetOf(req), query)));
  };
  app.get('/api/v1/groups/:id/routes', flowsSchema('getRouteFlows', "Flows between countries named by a group's reports", schema.GroupParams), flowsHandler);
  app.get('/api/v1/countries/:cc/routes', flowsSchema('getCountryRouteFlows', 'Flows between countries named by the reports made in a country, for its national coordinators', schema.CountryParams), flowsHandler);

  app.get(
    '/api/v1/statistics',
    {
      config: { identify: false },
      schema: {
        operationId: 'getPublicStatistics',
        summary: 'Public statistics: flows between countries from CAST’s reviewed reports and from the CTDC data set; no number below 11 (no sign-in needed)',
        description:
          'Every number is a sum of counts of at least k = 11 reports or records (as CTDC does): a smaller count is left out whole, under every filter. CAST counts only reviewed reports received in months that ended at least the public delay ago. Never a place finer than a country, a narrative or an identifier.',
        tags: ['routes'],
        security: [],
        querystring: schema.PublicStatisticsQuery,
        response: { 200: schema.PublicStatistics, 422: E },
      },
    },
    async (req: FastifyRequest<{ Querystring: Query }>, reply) => {
      const query = unwrap(parsePublicQuery(req.query));
      void reply.header('cache-control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
      return publicStatistics(db, query, { delayDays });
    },
  );

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key = failure.reason === 'invalid' ? 'errors.invalidRequest' : (failure.message ?? (failure.reason === 'not-found' ? 'errors.notFound' : 'errors.forbidden'));
    return sendPage(req, reply, { status, title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t(key)} /> });
  };

  const page = async (req: Req, reply: FastifyReply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const target = targetOf(req);
    const access = await routeAccess(db, actor, target);
    if (!access.ok) return refuse(req, reply, access);
    const parsed = parseRouteQuery(req.query);
    const flows = parsed.ok ? await routeFlows(db, actor, target, parsed.value) : undefined;
    if (flows && !flows.ok) return refuse(req, reply, flows);
    const title = 'country' in target ? req.t('routes.page.countryTitle', { country: access.value.label }) : req.t('routes.page.groupTitle', { group: access.value.label });
    void reply.header('cache-control', 'no-store');
    return sendPage(req, reply, {
      status: parsed.ok ? 200 : 422,
      title,
      body: (view) => (
        <RoutesPage
          view={view}
          title={title}
          action={req.url.split('?')[0]!}
          raw={{ from: first(req.query.from), to: first(req.query.to), type: first(req.query.type) }}
          errors={parsed.ok ? undefined : parsed.reason === 'invalid' ? parsed.errors : undefined}
          flows={flows?.ok ? flows.value : undefined}
          types={typeOptions(req)}
        />
      ),
    });
  };
  app.get('/groups/:id/routes', page);
  app.get('/countries/:cc/routes', page);

  app.get('/statistics', { config: { identify: false } }, async (req: FastifyRequest<{ Querystring: Query }>, reply) => {
    const parsed = parsePublicQuery(req.query);
    const statistics = parsed.ok ? await publicStatistics(db, parsed.value, { delayDays }) : undefined;
    return sendPage(req, reply, {
      status: parsed.ok ? 200 : 422,
      title: req.t('routes.statistics.title'),
      body: (view) => (
        <StatisticsPage
          view={view}
          raw={{ year: first(req.query.year), type: first(req.query.type) }}
          errors={parsed.ok ? undefined : parsed.reason === 'invalid' ? parsed.errors : undefined}
          statistics={statistics}
          types={typeOptions(req)}
          years={publicYears(statistics)}
          k={PUBLIC_K}
        />
      ),
    });
  });
}
