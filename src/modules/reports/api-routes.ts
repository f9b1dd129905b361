/**
 * The reports JSON API for reporters: submitting, following up with a receipt code, and one's own
 * reports; and the full report for its reviewers.
 *
 * Routes that a reporter calls keep their request lines out of the log (logLevel 'warn'): a log line
 * records the moment, and a moment can point at the person who sent a report.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { UserActor } from '../../core/auth/actor.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import type { Failure } from '../../core/outcome.ts';
import type { ReportInput } from './report-input.ts';
import { getReport } from './review-access.ts';
import * as schema from './schema.ts';
import { addToReportByReceipt, getReportByReceipt, listMyReports, submitReport, type ReportsDeps } from './submission.ts';

/** Generous enough for a school or office behind one address, tight enough to stop a flood. */
export const SUBMIT_LIMIT = perAddressLimit(30, 10 * 60_000);
/** Receipt codes cannot be guessed, and trying should be slow all the same. */
export const RECEIPT_LIMIT = perAddressLimit(10, 15 * 60_000);

type Body<B> = FastifyRequest<{ Body: B }>;
type NullableFields<T> = { [K in keyof T]?: T[K] | null };

/** JSON null means "not given", as an absent property does. */
function withoutNulls<T extends object>(body: NullableFields<T>): T {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null)) as T;
}

/**
 * The reporter behind a request: a fully signed-in person or a token holder; anyone else (including a
 * session halfway through sign-in) reports anonymously, as on the form.
 */
const reporterOf = (req: FastifyRequest): UserActor | undefined => (req.actor.kind === 'user' && req.actor.stage === 'full' ? apiUser(req) : undefined);

export function reportsApiRoutes(app: FastifyInstance, service: ReportsDeps): void {
  const unwrap = <T>(outcome: { ok: true; value: T } | Failure): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
  const E = schema.ErrorResponse;
  const doc = (operationId: string, summary: string, description?: string) => ({ operationId, summary, tags: ['reports'], ...(description ? { description } : {}) });
  const quiet = { logLevel: 'warn' as const };

  app.post(
    '/api/v1/reports',
    {
      ...quiet,
      config: { ...SUBMIT_LIMIT, csrf: 'anonymous-ok' },
      schema: {
        ...doc(
          'submitReport',
          'Report what you saw (no account needed)',
          'Anonymous reports keep no address, no user agent and only the day. The answer comes after the report is committed, and holds the receipt code once.',
        ),
        security: [{}, { bearer: [] }],
        body: schema.SubmitReportBody,
        response: { 201: schema.Receipt, 401: E, 403: E, 422: E, 429: E },
      },
    },
    async (req: Body<NullableFields<ReportInput>>, reply) => {
      const receipt = unwrap(await submitReport(service, reporterOf(req), withoutNulls(req.body)));
      return reply.status(201).header('cache-control', 'no-store').send(receipt);
    },
  );

  app.post(
    '/api/v1/reports/by-receipt',
    {
      ...quiet,
      config: { ...RECEIPT_LIMIT, csrf: 'anonymous-ok' },
      schema: {
        ...doc('getReportByReceipt', 'The status of a report, by its receipt code', 'A POST so that the code never appears in an address, a history or a log.'),
        security: [{}],
        body: schema.ReceiptBody,
        response: { 200: schema.ReporterView, 404: E, 422: E, 429: E },
      },
    },
    async (req: Body<{ receipt: string }>, reply) => reply.header('cache-control', 'no-store').send(unwrap(await getReportByReceipt(service, req.body.receipt))),
  );

  app.post(
    '/api/v1/reports/by-receipt/additions',
    {
      ...quiet,
      config: { ...RECEIPT_LIMIT, csrf: 'anonymous-ok' },
      schema: {
        ...doc('addToReportByReceipt', 'Add information to a report, by its receipt code'),
        security: [{}],
        body: schema.AdditionBody,
        response: { 200: schema.ReporterView, 404: E, 422: E, 429: E },
      },
    },
    async (req: Body<{ receipt: string; account?: string | null; identifiers?: { kind: string; value: string }[] }>, reply) => {
      const view = unwrap(await addToReportByReceipt(service, req.body.receipt, { account: req.body.account ?? undefined, identifiers: req.body.identifiers }));
      return reply.header('cache-control', 'no-store').send(view);
    },
  );

  app.get(
    '/api/v1/my/reports',
    { schema: { ...doc('listMyReports', 'Reports you filed while signed in, with their status'), response: { 200: Type.Array(schema.ReporterView), 401: E, 403: E } } },
    async (req) => unwrap(await listMyReports(service, apiUser(req))),
  );

  app.get(
    '/api/v1/reports/:id',
    {
      schema: {
        ...doc('getReport', 'A report in full, for its reviewers', 'Opens restricted fields; every call is written to the audit log.'),
        params: schema.ReportParams,
        response: { 200: schema.ReviewView, 401: E, 403: E, 404: E },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>, reply) => reply.header('cache-control', 'no-store').send(unwrap(await getReport(service, apiUser(req), req.params.id))),
  );

}
