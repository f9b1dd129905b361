/** Administrators' pages and API in the accounts module: appointing national coordinators. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { UserActor } from '../../core/auth/actor.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure, FieldErrors } from '../../core/outcome.ts';
import { checkForm } from '../../core/validation.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import * as coordinators from './national-coordinators.ts';
import * as schema from './schema.ts';
import { NationalCoordinatorsPage } from './views/national-coordinators-page.tsx';

type Req = FastifyRequest<{ Body: Record<string, string | string[] | undefined>; Params: { userId: string; country: string }; Querystring: { notice?: string } }>;

const formLimit = perAddressLimit(30, 60_000);
const NOTICES = new Set(['appointed', 'removed']);
const PAGE = '/admin/national-coordinators';

export async function adminRoutes(app: FastifyInstance, service: coordinators.NationalCoordinatorsDeps): Promise<void> {
  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key = failure.reason !== 'invalid' && failure.message ? failure.message : `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`;
    return sendPage(req, reply, {
      status,
      title: req.t('errors.pageTitle'),
      body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t(key)} action={{ href: PAGE, label: view.t('accounts.admin.coordinators.title') }} />,
    });
  };

  async function page(req: Req, reply: FastifyReply, actor: UserActor, extra: { status?: number; errors?: FieldErrors; values?: { email?: string | undefined; country?: string | undefined } } = {}) {
    const listed = await coordinators.listNationalCoordinators(service, actor);
    if (!listed.ok) return refuse(req, reply, listed);
    const notice = typeof req.query.notice === 'string' && NOTICES.has(req.query.notice) ? `accounts.admin.notices.${req.query.notice}` : undefined;
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: req.t('accounts.admin.coordinators.title'),
      body: (view) => <NationalCoordinatorsPage view={view} coordinators={listed.value} notice={notice} errors={extra.errors} values={extra.values} />,
    });
  }

  app.get(PAGE, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    return actor ? page(req, reply, actor) : reply;
  });

  app.post(PAGE, { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.AppointForm, req.body);
    const outcome = form.ok ? await coordinators.appointNationalCoordinator(service, actor, form.value) : form;
    if (outcome.ok) return redirect(reply, `${PAGE}?notice=appointed`);
    if ('errors' in outcome) {
      const values = { email: typeof req.body.email === 'string' ? req.body.email : undefined, country: typeof req.body.country === 'string' ? req.body.country : undefined };
      return page(req, reply, actor, { status: 422, errors: outcome.errors, values });
    }
    return refuse(req, reply, outcome);
  });

  app.post(`${PAGE}/:userId/:country/remove`, { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await coordinators.removeNationalCoordinator(service, actor, req.params.userId, req.params.country);
    return outcome.ok ? redirect(reply, `${PAGE}?notice=removed`) : refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ JSON API (sessions only: tokens carry no admin scope)

  const E = schema.ErrorResponse;
  const doc = (operationId: string, summary: string) => ({ operationId, summary, tags: ['administration'] });

  app.get(
    '/api/v1/national-coordinators',
    { schema: { ...doc('listNationalCoordinators', 'Everyone appointed national coordinator, by country (administrators)'), response: { 200: Type.Array(schema.NationalCoordinatorView), 401: E, 403: E } } },
    async (req) => {
      const outcome = await coordinators.listNationalCoordinators(service, apiUser(req));
      return outcome.ok ? outcome.value : throwApiFailure(outcome);
    },
  );

  app.post<{ Body: { email: string; country: string } }>(
    '/api/v1/national-coordinators',
    {
      config: formLimit,
      schema: { ...doc('appointNationalCoordinator', 'Make an existing account national coordinator of a country (administrators)'), body: schema.AppointBody, response: { 201: schema.Appointed, 401: E, 403: E, 422: E } },
    },
    async (req, reply) => {
      const outcome = await coordinators.appointNationalCoordinator(service, apiUser(req), req.body);
      return outcome.ok ? reply.status(201).send(outcome.value) : throwApiFailure(outcome);
    },
  );

  app.delete<{ Params: { userId: string; country: string } }>(
    '/api/v1/national-coordinators/:userId/:country',
    { schema: { ...doc('removeNationalCoordinator', 'End an appointment as national coordinator of a country (administrators)'), params: schema.AppointmentParams, response: { 204: Type.Null(), 401: E, 403: E, 404: E } } },
    async (req, reply) => {
      const outcome = await coordinators.removeNationalCoordinator(service, apiUser(req), req.params.userId, req.params.country);
      if (!outcome.ok) return throwApiFailure(outcome);
      return reply.status(204).send();
    },
  );
}
