/**
 * HTTP of the exports: direct downloads (GET …/export.{csv,hxl,geojson,kml}), export jobs
 * (startExport, getExport, the file), and the pages (the export form posts here from a work queue;
 * "your exports" lists jobs with their progress and download links).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { ErrorResponse as E } from '../../core/http/error-response.ts';
import * as schema from './export-schema.ts';
import * as exportService from './export-service.ts';
import { ExportFormPage } from './views/export-form.tsx';
import { ExportListPage } from './views/export-list-page.tsx';

type Query = Record<string, unknown>;
const downloadLimit = perAddressLimit(30, 60_000);

function sendDownload(reply: FastifyReply, download: exportService.DirectExport): FastifyReply {
  return reply
    .header('content-type', download.contentType)
    .header('content-disposition', `attachment; filename="${download.fileName}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(download.stream);
}

export async function exportRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service: exportService.ExportDeps = { db: deps.database.db, sealer: deps.sealer, engine: deps.database.engine, jobs: deps.jobs, dataDir: deps.config.dataDir };
  const unwrap = <T,>(outcome: { ok: true; value: T } | Failure): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
  const doc = (operationId: string, summary: string, description: string) => ({ operationId, summary, description, tags: ['map'] });
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
  const file = { schema: { type: 'string' } };
  const fileResponse = { 200: { description: 'The export file, streamed', content: { 'text/csv': file, 'application/geo+json': file, 'application/vnd.google-earth.kml+xml': file } } };
  const directDescription = `Streams the reports you may review, filtered. Up to ${exportService.DIRECT_LIMIT} reports (more: 409, start an export job). Restricted fields only with \`restricted=true\` and a \`reason\`; audited.`;

  app.get(
    '/api/v1/groups/:id/export.:format',
    { config: downloadLimit, schema: { ...doc('exportGroupReports', "Download a group's reports", directDescription), params: schema.DirectParams, querystring: schema.DirectQuery, response: { ...fileResponse, 401: E, 403: E, 404: E, 409: E, 422: E } } },
    async (req: FastifyRequest<{ Params: { id: string; format: string }; Querystring: Query }>, reply) =>
      sendDownload(reply, unwrap(await exportService.exportDirect(service, apiUser(req), { groupId: req.params.id }, req.query, req.params.format))),
  );

  app.get(
    '/api/v1/countries/:country/export.:format',
    { config: downloadLimit, schema: { ...doc('exportCountryReports', "Download every report of a country (national coordinators)", directDescription), params: schema.CountryDirectParams, querystring: schema.DirectQuery, response: { ...fileResponse, 401: E, 403: E, 404: E, 409: E, 422: E } } },
    async (req: FastifyRequest<{ Params: { country: string; format: string }; Querystring: Query }>, reply) =>
      sendDownload(reply, unwrap(await exportService.exportDirect(service, apiUser(req), { country: req.params.country }, req.query, req.params.format))),
  );

  app.post(
    '/api/v1/exports',
    {
      config: downloadLimit,
      schema: {
        ...doc('startExport', 'Start an export job', `For exports of any size, without restricted fields. Poll getExport for progress; the file is kept ${exportService.EXPIRY_HOURS} hours.`),
        body: schema.StartExportBody,
        response: { 202: schema.ExportView, 401: E, 403: E, 404: E, 409: E, 422: E },
      },
    },
    async (req: FastifyRequest<{ Body: Query }>, reply) => {
      const started = unwrap(await exportService.startExport(service, apiUser(req), req.body ?? {}));
      return noStore(reply).status(202).header('location', `/api/v1/exports/${started.id}`).send(started);
    },
  );

  app.get('/api/v1/exports', { schema: { ...doc('listExports', 'Your export jobs', 'Those not yet expired, newest first.'), response: { 200: schema.ExportList, 401: E } } }, async (req, reply) =>
    noStore(reply).send({ items: unwrap(await exportService.listExports(service, apiUser(req))) }),
  );

  app.get(
    '/api/v1/exports/:id',
    { schema: { ...doc('getExport', 'An export job: progress and download link', 'Only for whoever started it.'), params: schema.ExportParams, response: { 200: schema.ExportView, 401: E, 404: E } } },
    async (req: FastifyRequest<{ Params: { id: string } }>, reply) => noStore(reply).send(unwrap(await exportService.getExport(service, apiUser(req), req.params.id))),
  );

  app.get(
    '/api/v1/exports/:id/file',
    { config: downloadLimit, schema: { ...doc('downloadExport', "A finished export's file", 'Only for whoever started it, while they may still review those reports.'), params: schema.ExportParams, response: { ...fileResponse, 401: E, 404: E, 409: E } } },
    async (req: FastifyRequest<{ Params: { id: string } }>, reply) => sendDownload(reply, unwrap(await exportService.exportFile(service, apiUser(req), req.params.id))),
  );

  // ---------------------------------------------------------------- pages

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const keys = failure.reason === 'invalid' ? Object.values(failure.errors) : [failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`];
    return sendPage(req, reply, {
      status,
      title: req.t('mapExports.refused.title'),
      body: (view) => <MessagePage title={view.t('mapExports.refused.title')} message={keys.map((key) => view.t(key)).join(' ')} />,
    });
  };

  app.get('/exports', async (req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const list = await exportService.listExports(service, actor);
    if (!list.ok) return refuse(req, reply, list);
    return sendPage(req, reply, { title: req.t('mapExports.list.title'), body: (view) => <ExportListPage view={view} items={list.value} /> });
  });

  app.get('/exports/new', async (req: FastifyRequest<{ Querystring: Query }>, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = await exportService.exportForm(service, actor, req.query);
    if (!form.ok) return refuse(req, reply, form);
    return sendPage(req, reply, { title: req.t('mapExports.form.title'), body: (view) => <ExportFormPage view={view} scope={form.value.scope} filters={form.value.filters} /> });
  });

  // The export form: small or restricted exports download at once, others become a job.
  app.post('/exports', { config: downloadLimit }, async (req: FastifyRequest<{ Body: Query | undefined }>, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const body = req.body ?? {};
    const form = await exportService.exportForm(service, actor, body);
    if (!form.ok) return refuse(req, reply, form);
    const { groupId: _group, country: _country, ...rest } = body;
    const scope = exportService.scopeFrom(body)!;
    const direct = await exportService.exportDirect(service, actor, scope, rest);
    if (direct.ok) return sendDownload(reply, direct.value);
    if (direct.reason === 'invalid') {
      const values = { format: typeof body.format === 'string' ? body.format : 'csv', restricted: body.restricted === 'true', reason: typeof body.reason === 'string' ? body.reason : '' };
      return sendPage(req, reply, { status: 422, title: req.t('mapExports.form.title'), body: (view) => <ExportFormPage view={view} scope={form.value.scope} filters={form.value.filters} values={values} errors={direct.errors} /> });
    }
    if (direct.reason !== 'conflict') return refuse(req, reply, direct);
    const started = await exportService.startExport(service, actor, { ...rest, ...scope });
    if (!started.ok) return refuse(req, reply, started);
    return redirect(reply, '/exports');
  });

  app.get('/exports/:id/file', { config: downloadLimit }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const file = await exportService.exportFile(service, actor, req.params.id);
    return file.ok ? sendDownload(reply, file.value) : refuse(req, reply, file);
  });
}
