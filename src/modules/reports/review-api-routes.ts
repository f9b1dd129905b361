/** The reviewers' JSON API: work queues, and the changes a coordinator makes to a report. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser } from '../../core/http/guards.ts';
import type { Failure } from '../../core/outcome.ts';
import * as review from './review.ts';
import * as schema from './review-schema.ts';
import { ErrorResponse as E, ReportParams } from './schema.ts';
import type { ReportsDeps } from './submission.ts';

type IdRequest<B = unknown> = FastifyRequest<{ Params: { id: string }; Body: B }>;

export function reviewApiRoutes(app: FastifyInstance, service: ReportsDeps): void {
  const unwrap = <T>(outcome: { ok: true; value: T } | Failure): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
  const doc = (operationId: string, summary: string, description?: string) => ({ operationId, summary, tags: ['reports'], ...(description ? { description } : {}) });
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  const changeRoute = (
    path: string,
    operationId: string,
    summary: string,
    description: string,
    body: object | undefined,
    run: (req: IdRequest<Record<string, unknown> | undefined>) => Promise<{ ok: true; value: review.ReportState } | Failure>,
  ) =>
    app.post(
      path,
      { schema: { ...doc(operationId, summary, description), params: ReportParams, ...(body ? { body } : {}), response: { 200: schema.ReportState, 401: E, 403: E, 404: E, 409: E, 422: E } } },
      async (req: IdRequest<Record<string, unknown> | undefined>, reply) => noStore(reply).send(unwrap(await run(req))),
    );

  app.get(
    '/api/v1/groups/:id/reports',
    {
      schema: {
        ...doc('listGroupReports', "A group's work queue", 'Newest day first, 50 a page; follow `next`. Lines hold no restricted field.'),
        params: schema.GroupParams,
        querystring: schema.QueueQuery,
        response: { 200: schema.QueuePage, 401: E, 403: E, 404: E, 422: E },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Querystring: review.QueueQuery }>, reply) => {
      const page = unwrap(await review.listGroupReports(service, apiUser(req), req.params.id, req.query));
      return noStore(reply).send({ items: page.items, next: page.next });
    },
  );

  app.get(
    '/api/v1/countries/:country/reports',
    {
      schema: {
        ...doc('listNationalInbox', "A country's national inbox: reports no group covers", 'For national coordinators of the country.'),
        params: schema.CountryParams,
        querystring: schema.QueueQuery,
        response: { 200: schema.QueuePage, 401: E, 403: E, 404: E, 422: E },
      },
    },
    async (req: FastifyRequest<{ Params: { country: string }; Querystring: review.QueueQuery }>, reply) => noStore(reply).send(unwrap(await review.listNationalInbox(service, apiUser(req), req.params.country, req.query))),
  );

  app.get(
    '/api/v1/reports/:id/history',
    { schema: { ...doc('getReportHistory', "A report's review history, internal notes included", 'Opens sealed notes; every call is written to the audit log.'), params: ReportParams, response: { 200: schema.History, 401: E, 403: E, 404: E } } },
    async (req: IdRequest, reply) => noStore(reply).send(unwrap(await review.reportHistory(service, apiUser(req), req.params.id))),
  );

  changeRoute('/api/v1/reports/:id/triage', 'triageReport', 'Triage a received report', 'received → triaged.', undefined, (req) => review.triageReport(service, apiUser(req), req.params.id));

  app.post(
    '/api/v1/reports/:id/grade',
    {
      schema: {
        ...doc(
          'gradeReport',
          'Grade a report (3x5x2) with its sanitised summary',
          'triaged or graded → graded. A summary that seems to hold one of the report’s identifiers or the reporter’s contact is refused with 422 and `warnings`; send again with acknowledgeWarnings to save it anyway.',
        ),
        params: ReportParams,
        body: schema.GradeBody,
        response: { 200: schema.ReportState, 401: E, 403: E, 404: E, 409: E, 422: schema.GradeWarnings },
      },
    },
    async (req: IdRequest<review.GradeInput>, reply) => {
      const outcome = await review.gradeReport(service, apiUser(req), req.params.id, req.body);
      if (!outcome.ok && outcome.reason === 'warnings') {
        const message = req.t('reports.review.errors.summaryWarnings');
        return noStore(reply).status(422).send({ error: { code: 'summary-warnings', message, fields: { summary: message } }, warnings: outcome.warnings });
      }
      return noStore(reply).send(unwrap(outcome));
    },
  );

  app.put(
    '/api/v1/reports/:id/assignee',
    { schema: { ...doc('assignReport', 'Assign a report to a coordinator, or to nobody'), params: ReportParams, body: schema.AssignBody, response: { 200: schema.ReportState, 401: E, 403: E, 404: E, 422: E } } },
    async (req: IdRequest<{ assignee: string | null }>, reply) => noStore(reply).send(unwrap(await review.assignReport(service, apiUser(req), req.params.id, req.body.assignee))),
  );

  app.post(
    '/api/v1/reports/:id/notes',
    { schema: { ...doc('addReportNote', 'Add an internal note to a report', 'Kept encrypted; never shown to the reporter.'), params: ReportParams, body: schema.NoteBody, response: { 201: schema.ReportState, 401: E, 403: E, 404: E, 422: E } } },
    async (req: IdRequest<{ note: string }>, reply) => noStore(reply).status(201).send(unwrap(await review.addNote(service, apiUser(req), req.params.id, req.body.note))),
  );

  const note = (req: IdRequest<Record<string, unknown> | undefined>) => (typeof req.body?.note === 'string' ? req.body.note : undefined);
  changeRoute('/api/v1/reports/:id/merge', 'mergeReport', 'Mark a report as a duplicate of another', 'received, triaged or graded → duplicate. The target must be a report you may also review.', schema.MergeBody, (req) =>
    review.mergeReport(service, apiUser(req), req.params.id, typeof req.body?.target === 'string' ? req.body.target : ''),
  );
  changeRoute('/api/v1/reports/:id/reject', 'rejectReport', 'Reject a report', 'received, triaged or graded → rejected.', schema.DecisionBody, (req) => review.rejectReport(service, apiUser(req), req.params.id, note(req)));
  changeRoute('/api/v1/reports/:id/close', 'closeReport', 'Close a report', 'triaged, graded or shared → closed.', schema.DecisionBody, (req) => review.closeReport(service, apiUser(req), req.params.id, note(req)));
  changeRoute('/api/v1/reports/:id/reopen', 'reopenReport', 'Reopen a closed or rejected report', 'closed or rejected → triaged.', schema.DecisionBody, (req) => review.reopenReport(service, apiUser(req), req.params.id, note(req)));
}
