/**
 * HTTP of the group map, the national map and the members' map: getGroupMapClusters and getHotspots
 * (for a group and for a country), and the two map pages. Parse, call the service, map the outcome.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { sendPage } from '../../core/http/render.tsx';
import type { Failure, Outcome } from '../../core/outcome.ts';
import { createTtlCache } from '../../core/ttl-cache.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { localisedTaxonomy } from '../indicators/index.ts';
import { parseReportFilters } from './filters.ts';
import { CELL_COUNTS_ENTRIES, groupMap, mapOverview, type GroupMapDeps, type MapTarget } from './group-map.ts';
import { parseViewport } from './group-query.ts';
import * as schema from './group-schema.ts';
import { hotspots } from './hotspots.ts';
import { GroupMapPage } from './views/group-map-page.tsx';

type Query = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Params: { id?: string; cc?: string }; Querystring: Query }>;

const E = schema.ErrorResponse;
const doc = (operationId: string, summary: string, description: string) => ({ operationId, summary, description, tags: ['map'] });
const unwrap = <T,>(outcome: Outcome<T>): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
const targetOf = (req: Req): MapTarget => (req.params.cc !== undefined ? { country: req.params.cc.toUpperCase() } : { groupId: req.params.id ?? '' });

/** Every value of every query key as a list, for refilling the form. */
const rawValues = (query: Query): Record<string, string[]> =>
  Object.fromEntries(Object.entries(query).map(([k, v]) => [k, (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => x.split(',')).filter((x) => x !== '')]));

export async function groupMapRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await Promise.resolve();
  const service: GroupMapDeps = {
    db: deps.database.db,
    sealer: deps.sealer,
    cellCounts: createTtlCache({ ttlMs: deps.config.mapCacheSeconds * 1000, maxEntries: CELL_COUNTS_ENTRIES }),
  };
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  const mapHandler = async (req: Req, reply: FastifyReply) => {
    const actor = apiUser(req);
    const viewport = unwrap(parseViewport(req.query));
    return noStore(reply).send(unwrap(await groupMap(service, actor, targetOf(req), viewport)));
  };
  const hotspotHandler = async (req: Req, reply: FastifyReply) => noStore(reply).send(unwrap(await hotspots(service, apiUser(req), targetOf(req), req.query)));

  const mapDescription =
    'Below zoom 12, clusters of report counts per H3 cell (nothing sealed is opened); from zoom 12, the precise points inside the box (at most 500; each request writes one audit entry listing the reports opened). Members of the group get their own reports and the group’s cells holding at least 3 reports. Unknown parameters or values are a 422 naming the field.';
  const hotspotDescription =
    'Cells whose count in the period (from–to, default the last 28 days, at most 121 days) is unusually high against the same-length periods of the year before: z = (count − mean) / max(sd, 1) ≥ 2 with at least 3 reports. For coordinators.';
  const mapSchema = (operationId: string, summary: string, params: object) => ({
    schema: { ...doc(operationId, summary, mapDescription), params, querystring: schema.GroupMapQuery, response: { 200: schema.GroupMap, 401: E, 403: E, 404: E, 422: E } },
  });
  const hotspotSchema = (operationId: string, summary: string, params: object) => ({
    schema: { ...doc(operationId, summary, hotspotDescription), params, querystring: schema.HotspotQuery, response: { 200: schema.Hotspots, 401: E, 403: E, 404: E, 422: E } },
  });

  app.get('/api/v1/groups/:id/map', mapSchema('getGroupMapClusters', "A group's reports on the map: clusters, or points when zoomed in", schema.GroupParams), mapHandler);
  app.get('/api/v1/countries/:cc/map', mapSchema('getCountryMapClusters', "A country's reports (its groups' and its national inbox) on the map, for its national coordinators", schema.CountryParams), mapHandler);
  app.get('/api/v1/groups/:id/hotspots', hotspotSchema('getHotspots', "Hotspots among a group's reports", schema.GroupParams), hotspotHandler);
  app.get('/api/v1/countries/:cc/hotspots', hotspotSchema('getCountryHotspots', "Hotspots among a country's reports", schema.CountryParams), hotspotHandler);

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key = failure.reason === 'invalid' ? 'errors.invalidRequest' : (failure.message ?? (failure.reason === 'not-found' ? 'errors.notFound' : 'errors.forbidden'));
    return sendPage(req, reply, { status, title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t(key)} /> });
  };

  const page = async (req: Req, reply: FastifyReply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const target = targetOf(req);
    const parsed = parseReportFilters(req.query);
    const filters = parsed.ok ? parsed.value : {};
    const overview = await mapOverview(service, actor, target, filters);
    if (!overview.ok) return refuse(req, reply, overview);
    const coordinator = overview.value.view === 'coordinator';
    const spots = coordinator && parsed.ok ? await hotspots(service, actor, target, req.query) : undefined;
    const base = 'country' in target ? `/api/v1/countries/${target.country}` : `/api/v1/groups/${target.groupId}`;
    const title = 'country' in target ? req.t('mapGroup.countryTitle', { country: overview.value.label }) : req.t('mapGroup.groupTitle', { group: overview.value.label });
    noStore(reply);
    return sendPage(req, reply, {
      status: parsed.ok ? 200 : 422,
      title,
      body: (view) => (
        <GroupMapPage
          view={view}
          title={title}
          action={req.url.split('?')[0]!}
          api={`${base}/map`}
          hotspotsApi={`${base}/hotspots`}
          filters={filters}
          raw={rawValues(req.query)}
          errors={parsed.ok ? undefined : parsed.reason === 'invalid' ? parsed.errors : undefined}
          overview={parsed.ok ? overview.value : undefined}
          hotspots={spots?.ok ? spots.value : undefined}
          hotspotsError={spots && !spots.ok && spots.reason === 'invalid' ? (Object.values(spots.errors)[0] ?? 'errors.invalidRequest') : undefined}
          taxonomy={localisedTaxonomy(req.lang)}
        />
      ),
    });
  };
  app.get('/groups/:id/map', page);
  app.get('/countries/:cc/map', page);
}
