/** The chocolate campaign's JSON API: the scorecard, commitments, one assessment, and the action e-mail. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser } from '../../core/http/guards.ts';
import type { Failure } from '../../core/outcome.ts';
import * as action from './action.ts';
import type { ChocolateDeps } from './deps.ts';
import { formLimit } from './page-routes.tsx';
import * as schema from './schema.ts';
import * as scorecard from './scorecard.ts';

type ApiReq<B = unknown, P = Record<string, string>, Q = Record<string, string | undefined>> = FastifyRequest<{ Body: B; Params: P; Querystring: Q }>;

const unwrap = <T>(outcome: { ok: true; value: T } | Failure): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
const doc = (operationId: string, summary: string, description?: string) => ({ operationId, summary, tags: ['chocolate'], ...(description ? { description } : {}) });
const E = schema.ErrorResponse;
const publicOp = { security: [] as never[] };

export async function chocolateApiRoutes(app: FastifyInstance, deps: ChocolateDeps): Promise<void> {
  app.get(
    '/api/v1/chocolate/companies',
    { schema: { ...doc('listCompanies', 'The company scorecard: grades per criterion for one year (no sign-in needed)'), ...publicOp, querystring: schema.CompaniesQuery, response: { 200: schema.Scorecard, 422: E } } },
    async (req: ApiReq<unknown, Record<string, string>, scorecard.ScorecardQuery>) => unwrap(await scorecard.scorecard(deps, req.query)),
  );

  app.get(
    '/api/v1/chocolate/companies/:slug',
    { schema: { ...doc('getCompany', 'A company: its grades year by year with sources, and its commitments (no sign-in needed)'), ...publicOp, params: schema.CompanyParams, response: { 200: schema.Company, 404: E } } },
    async (req: ApiReq<unknown, { slug: string }>) => unwrap(await scorecard.companyPage(deps, req.params.slug)),
  );

  app.put(
    '/api/v1/chocolate/assessments',
    {
      config: formLimit,
      schema: {
        ...doc('upsertAssessment', 'Set the grade of a company on a criterion for a year, with its source (campaign editors)', 'The grade scale is A (leading practice), B, C, D, E (no action or no information). Setting it again replaces grade, source and note.'),
        body: schema.AssessmentBody,
        response: { 200: schema.Assessment, 401: E, 403: E, 422: E },
      },
    },
    async (req: ApiReq<scorecard.AssessmentInput>) => unwrap(await scorecard.upsertAssessment(deps, apiUser(req), req.body)),
  );

  app.get(
    '/api/v1/chocolate/commitments',
    { schema: { ...doc('listCommitments', 'Commitments with their deadlines, extensions, findings and status (no sign-in needed)'), ...publicOp, response: { 200: schema.Commitments } } },
    async () => scorecard.commitments(deps),
  );

  app.post(
    '/api/v1/chocolate/action-emails',
    {
      config: { ...formLimit, csrf: 'anonymous-ok' },
      schema: {
        ...doc('startActionEmail', 'Write to chocolate companies: a confirmation e-mail goes to the supporter; nothing reaches a company before it is confirmed', 'One message per supporter per company per campaign. A message near-identical to many earlier ones is held for review: a personal message is encouraged.'),
        ...publicOp,
        body: schema.StartBody,
        response: { 202: schema.Started, 404: E, 422: E },
      },
    },
    async (req: ApiReq<action.StartInput>, reply) => reply.status(202).send(unwrap(await action.startActionEmail(deps, req.body))),
  );

  app.post(
    '/api/v1/chocolate/action-emails/confirmation',
    {
      config: { ...formLimit, csrf: 'anonymous-ok' },
      schema: { ...doc('confirmActionEmail', 'Confirm an action e-mail with the token from the confirmation link; its messages are queued (or held for review)'), ...publicOp, body: schema.ConfirmBody, response: { 200: schema.Confirmed, 404: E, 409: E } },
    },
    async (req: ApiReq<{ token: string }>) => unwrap(await action.confirmActionEmail(deps, req.body.token)),
  );

  app.get(
    '/api/v1/chocolate/action-emails/totals',
    { schema: { ...doc('getActionEmailTotals', 'Messages sent per company in a campaign (the current one by default), and the replies supporters reported (no sign-in needed)'), ...publicOp, querystring: schema.TotalsQuery, response: { 200: schema.Totals, 404: E, 422: E } } },
    async (req: ApiReq<unknown, Record<string, string>, { campaign?: string }>) => unwrap(await action.actionTotals(deps, req.query.campaign)),
  );
}
