/** The sharing module's JSON API: parse, call the service, map the outcome to a response. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { partnersOfUser } from '../partners/index.ts';
import { groupOutcomeSummary, outcomeTotals } from './outcomes.ts';
import * as schema from './schema.ts';
import * as sharing from './service.ts';

const writeLimit = perAddressLimit(60, 60_000);

export function sharingApiRoutes(app: FastifyInstance, service: sharing.SharingDeps): void {
  const errors = { 401: schema.ErrorResponse, 403: schema.ErrorResponse, 422: schema.ErrorResponse };
  const withId = { 404: schema.ErrorResponse, 409: schema.ErrorResponse };
  const tags = ['sharing'];

  app.post<{ Body: Static<typeof schema.DisclosureBody> }>(
    '/api/v1/disclosures',
    {
      config: writeLimit,
      schema: {
        operationId: 'createDisclosure',
        summary: 'Build a disclosure of graded reports for the partner of an active partnership (sent at once unless the group needs a second approval)',
        tags,
        body: schema.DisclosureBody,
        response: { 201: schema.DisclosureSummary, ...errors, ...withId },
      },
    },
    async (req, reply) => {
      const outcome = await sharing.createDisclosure(service, apiUser(req), req.body);
      if (!outcome.ok) return throwApiFailure(outcome);
      return reply.status(201).send(outcome.value);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/disclosures/:id/approval',
    { config: writeLimit, schema: { operationId: 'approveDisclosure', summary: 'Approve a disclosure another coordinator built: it is sent to the partner', tags, params: schema.IdParams, response: { 200: schema.DisclosureSummary, ...errors, ...withId } } },
    async (req) => {
      const outcome = await sharing.approveDisclosure(service, apiUser(req), req.params.id);
      if (!outcome.ok) return throwApiFailure(outcome);
      return outcome.value;
    },
  );

  app.get(
    '/api/v1/disclosures',
    { schema: { operationId: 'listPartnerDisclosures', summary: 'Disclosures sent to the partner organisations you act for (partner systems pull them with a sharing:read token)', tags, response: { 200: Type.Array(schema.DisclosureSummary), ...errors } } },
    async (req) => {
      const actor = apiUser(req);
      const outcome = await sharing.listPartnerDisclosures(service, actor, await partnersOfUser(service.db, actor.userId));
      if (!outcome.ok) return throwApiFailure(outcome);
      return outcome.value;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/disclosures/:id',
    { schema: { operationId: 'getDisclosure', summary: 'One disclosure with its reports and outcomes (the read is audited)', tags, params: schema.IdParams, response: { 200: schema.DisclosureView, ...errors, ...withId } } },
    async (req) => {
      const outcome = await sharing.getDisclosure(service, apiUser(req), req.params.id, 'api');
      if (!outcome.ok) return throwApiFailure(outcome);
      return outcome.value;
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/disclosures/:id/acknowledgement',
    { config: writeLimit, schema: { operationId: 'acknowledgeDisclosure', summary: 'Confirm your organisation has received a disclosure (partner users)', tags, params: schema.IdParams, response: { 200: schema.DisclosureSummary, ...errors, ...withId } } },
    async (req) => {
      const outcome = await sharing.acknowledgeDisclosure(service, apiUser(req), req.params.id);
      if (!outcome.ok) return throwApiFailure(outcome);
      return outcome.value;
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof schema.OutcomeBody> }>(
    '/api/v1/disclosures/:id/outcomes',
    {
      config: writeLimit,
      schema: { operationId: 'recordOutcome', summary: 'Record what came of a disclosure (partner users)', tags, params: schema.IdParams, body: schema.OutcomeBody, response: { 201: schema.OutcomeView, ...errors, ...withId } },
    },
    async (req, reply) => {
      const outcome = await sharing.recordOutcome(service, apiUser(req), req.params.id, req.body);
      if (!outcome.ok) return throwApiFailure(outcome);
      return reply.status(201).send(outcome.value);
    },
  );

  app.get<{ Querystring: Static<typeof schema.TotalsQuery> }>(
    '/api/v1/outcome-totals',
    { schema: { operationId: 'getOutcomeTotals', summary: 'Outcome totals by country and month, for national coordinators (counts only)', tags, querystring: schema.TotalsQuery, response: { 200: schema.OutcomeTotals, ...errors } } },
    async (req) => {
      const outcome = await outcomeTotals(service, apiUser(req), req.query);
      if (!outcome.ok) return throwApiFailure(outcome);
      return outcome.value;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/groups/:id/outcome-summary',
    { schema: { operationId: 'getGroupOutcomeSummary', summary: "A group's outcome summary: what partners recorded of its disclosures, counts only", tags, params: schema.IdParams, response: { 200: schema.GroupOutcomeSummary, ...errors, ...withId } } },
    async (req) => {
      const outcome = await groupOutcomeSummary(service, apiUser(req), req.params.id);
      if (!outcome.ok) return throwApiFailure(outcome);
      return outcome.value;
    },
  );
}

