/**
 * The public map's HTTP: getPublicMapCells, the map page and its table view. Public, the same for
 * everyone, and cacheable: the caller is not identified (a stray token cannot turn the answer into a
 * 401), and nothing here reads the reports table — only the precomputed public cells.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { sendPage } from '../../core/http/render.tsx';
import { localisedTaxonomy } from '../indicators/index.ts';
import { UNSPECIFIED_TYPE } from './public-cells.ts';
import { definePublicMapJobs, schedulePublicMapJobs } from './public-refresh.ts';
import * as schema from './public-schema.ts';
import { legendBounds, parsePublicView, publicMapCells, publicMapState, publicYears, type PublicCellsQuery } from './public-service.ts';
import { PublicMapPage } from './views/public-map-page.tsx';
import { PublicTablePage } from './views/public-table-page.tsx';
import type { PublicFilters } from './views/public-parts.tsx';

/** Five minutes: the cells change once a week; a short life keeps a refresh visible soon after. */
const MAX_AGE_SECONDS = 300;

type Query = FastifyRequest<{ Querystring: PublicCellsQuery }>;

/** Registers the weekly refresh job; called by the composition root before the queue starts. */
export function publicMapJobs(deps: Pick<AppDeps, 'config' | 'database' | 'jobs'>) {
  const settings = { k: deps.config.publicMapK, delayDays: deps.config.publicMapDelayDays };
  definePublicMapJobs(deps.jobs, deps.database.db, settings);
  return { schedule: () => schedulePublicMapJobs(deps.jobs, deps.database.db, settings) };
}

export async function publicMapRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.database.db;
  const { publicMapK: k, publicMapDelayDays: delayDays } = deps.config;

  app.get(
    '/api/v1/map/cells',
    {
      config: { identify: false },
      schema: {
        operationId: 'getPublicMapCells',
        summary: 'The public map: report counts per H3 cell in a view, only cells holding at least k reports, only reports older than the delay (no sign-in needed)',
        tags: ['map'],
        security: [],
        querystring: schema.PublicCellsQuery,
        response: { 200: schema.PublicCells, 422: schema.ErrorResponse },
      },
    },
    async (req: Query, reply) => {
      const view = parsePublicView(req.query);
      if (!view.ok) throwApiFailure(view);
      const answer = await publicMapCells(db, view.value);
      void reply.header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`);
      return answer;
    },
  );

  const pageContext = async (req: Query) => {
    const taxonomy = localisedTaxonomy(req.lang);
    const types = [...taxonomy.exploitationTypes.map((type) => ({ value: type.id, label: type.label })), { value: UNSPECIFIED_TYPE, label: req.t('map.public.unspecified') }];
    const [years, state] = await Promise.all([publicYears(db), publicMapState(db)]);
    const filters: PublicFilters = { type: req.query.type || undefined, year: req.query.year || undefined };
    return { types, years, receivedUpTo: state?.receivedUpTo, filters, k, delayDays };
  };

  app.get('/map', { config: { identify: false }, schema: { querystring: schema.PublicCellsQuery } }, async (req: Query, reply) => {
    const parsed = parsePublicView({ type: req.query.type, year: req.query.year });
    const errors = parsed.ok ? undefined : parsed.errors;
    const context = await pageContext(req);
    return sendPage(req, reply, {
      status: errors ? 422 : 200,
      title: req.t('map.public.title'),
      body: (view) => <PublicMapPage view={view} {...context} errors={errors} legend={legendBounds(k)} />,
    });
  });

  app.get('/map/table', { config: { identify: false }, schema: { querystring: schema.PublicCellsQuery } }, async (req: Query, reply) => {
    const parsed = parsePublicView(req.query);
    const context = await pageContext(req);
    const errors = parsed.ok ? undefined : parsed.errors;
    const answer = parsed.ok ? await publicMapCells(db, parsed.value) : undefined;
    const bbox = parsed.ok && req.query.bbox ? req.query.bbox : undefined;
    const area = {
      bbox,
      zoom: parsed.ok && req.query.zoom ? req.query.zoom : undefined,
      label: bbox ? req.t('map.public.areaView', { bbox, resolution: answer?.resolution ?? '' }) : req.t('map.public.areaWorld', { resolution: answer?.resolution ?? '' }),
    };
    return sendPage(req, reply, {
      status: errors ? 422 : 200,
      title: req.t('map.public.tableTitle'),
      body: (view) => <PublicTablePage view={view} {...context} errors={errors} area={area} cells={answer?.cells ?? []} truncated={answer?.truncated ?? false} />,
    });
  });
}
