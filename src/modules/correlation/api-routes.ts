/** The correlation JSON API: a report's links and their decisions, connection requests, networks. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponse as E } from '../../core/http/error-response.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser } from '../../core/http/guards.ts';
import type { Failure } from '../../core/outcome.ts';
import * as connections from './connections.ts';
import * as links from './links.ts';
import * as networks from './networks.ts';
import * as schema from './schema.ts';

type IdRequest<B = Record<string, unknown>> = FastifyRequest<{ Params: { id: string }; Body: B }>;

export function correlationApiRoutes(app: FastifyInstance, service: links.CorrelationDeps): void {
  const unwrap = <T>(outcome: { ok: true; value: T } | Failure): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
  const doc = (operationId: string, summary: string, description?: string) => ({ operationId, summary, tags: ['correlation'], ...(description ? { description } : {}) });
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  app.get(
    '/api/v1/reports/:id/links',
    {
      schema: {
        ...doc('listReportLinks', "A report's links", 'For the report’s reviewers. Linked reports you may not see are only counted in `hidden`; those shown through an approved connection are audited.'),
        params: schema.IdParams,
        response: { 200: schema.ReportLinks, 401: E, 403: E, 404: E },
      },
    },
    async (req: IdRequest, reply) => noStore(reply).send(unwrap(await links.listReportLinks(service, apiUser(req), req.params.id))),
  );

  for (const [action, operationId, status] of [
    ['confirm', 'confirmLink', 'confirmed'],
    ['dismiss', 'dismissLink', 'dismissed'],
  ] as const) {
    app.post(
      `/api/v1/links/:id/${action}`,
      {
        schema: {
          ...doc(operationId, `${action === 'confirm' ? 'Confirm' : 'Dismiss'} a proposed link`, 'For someone who may grade one of the two reports and see the other. Confirmed links make networks.'),
          params: schema.IdParams,
          response: { 200: schema.LinkState, 401: E, 403: E, 404: E },
        },
      },
      async (req: IdRequest, reply) => noStore(reply).send(unwrap(await links.decideLink(service, apiUser(req), req.params.id, status))),
    );
  }

  app.post(
    '/api/v1/reports/:id/connection-requests',
    {
      schema: {
        ...doc('requestConnection', 'Ask a national coordinator to connect you with the holders of linked reports you may not see', 'Covers every linked report of this one you may not see now. One pending request per report.'),
        params: schema.IdParams,
        body: schema.ConnectionRequestBody,
        response: { 201: schema.ConnectionRequestCreated, 401: E, 403: E, 404: E, 409: E, 422: E },
      },
    },
    async (req: IdRequest<{ reason: string }>, reply) => noStore(reply).status(201).send(unwrap(await connections.requestConnection(service, apiUser(req), req.params.id, req.body))),
  );

  app.get(
    '/api/v1/countries/:country/connection-requests',
    {
      schema: {
        ...doc('listConnectionRequests', "A country's connection requests", 'For national coordinators of the country; newest first.'),
        params: schema.CountryParams,
        querystring: schema.RequestsQuery,
        response: { 200: schema.ConnectionRequests, 401: E, 403: E, 404: E, 422: E },
      },
    },
    async (req: FastifyRequest<{ Params: { country: string }; Querystring: { status?: string } }>, reply) =>
      noStore(reply).send(unwrap(await connections.listConnectionRequests(service, apiUser(req), req.params.country, req.query.status))),
  );

  app.post(
    '/api/v1/connection-requests/:id/decision',
    {
      schema: {
        ...doc('decideConnection', 'Approve or refuse a connection request', 'For national coordinators of the request’s country. Approval lets the requester see the linked reports’ facts and sanitised summaries.'),
        params: schema.IdParams,
        body: schema.DecisionBody,
        response: { 200: schema.DecisionResult, 401: E, 403: E, 404: E, 409: E, 422: E },
      },
    },
    async (req: IdRequest<{ decision: string; note?: string }>, reply) => noStore(reply).send(unwrap(await connections.decideConnection(service, apiUser(req), req.params.id, req.body))),
  );

  app.get(
    '/api/v1/networks',
    { schema: { ...doc('listNetworks', 'Networks you may see', 'National coordinators: their countries’ networks; group coordinators: networks holding one of their group’s reports.'), response: { 200: schema.NetworkList, 401: E, 403: E } } },
    async (req, reply) => noStore(reply).send(unwrap(await networks.listNetworks(service, apiUser(req)))),
  );

  app.post(
    '/api/v1/networks',
    {
      schema: {
        ...doc('createNetwork', 'Make a network of a report’s confirmed links', 'For national coordinators of the report’s country. The network holds every report reachable through confirmed links (at most 500).'),
        body: schema.CreateNetworkBody,
        response: { 201: schema.NetworkCreated, 401: E, 403: E, 404: E, 422: E },
      },
    },
    async (req: FastifyRequest<{ Body: { reportId: string; name: string; summary?: string } }>, reply) => noStore(reply).status(201).send(unwrap(await networks.createNetwork(service, apiUser(req), req.body))),
  );

  app.get(
    '/api/v1/networks/:id',
    {
      schema: {
        ...doc('getNetwork', 'A network: its graph (reports, identifiers, areas) and timeline', 'Reports you may not see are nodes without content; identifiers are kinds and opaque tags. Audited.'),
        params: schema.IdParams,
        response: { 200: schema.Network, 401: E, 403: E, 404: E },
      },
    },
    async (req: IdRequest, reply) => noStore(reply).send(unwrap(await networks.getNetwork(service, apiUser(req), req.params.id))),
  );
}
