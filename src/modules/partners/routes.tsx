/** Pages and API of the partners module: parse, call the service, map the outcome to a response. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import type { AppDeps } from '../../core/app-deps.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure } from '../../core/outcome.ts';
import { checkForm } from '../../core/validation.ts';
import * as partnerships from './partnerships.ts';
import * as schema from './schema.ts';
import * as partners from './service.ts';
import type { HandlingCode } from './tables.ts';
import { PartnershipsPage, type PartnershipsPageProps } from './views/partnerships-page.tsx';
import { PartnersPage, type PartnersPageProps } from './views/partners-page.tsx';
import { throwApiFailure } from '../../core/http/api-failure.ts';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Body: Form; Params: { id: string }; Querystring: { notice?: string; group?: string | string[] } }>;

const formLimit = perAddressLimit(30, 60_000);
const PARTNER_NOTICES = new Set(['created', 'verified', 'userAdded']);
const PARTNERSHIP_NOTICES = new Set(['proposed', 'accepted', 'declined', 'ended']);

function text(values: Form | undefined): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const codesOf = (value: string | string[]) => ([] as string[]).concat(value) as HandlingCode[];

export async function partnersRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service: partners.PartnersDeps = { db: deps.database.db };

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key = failure.reason !== 'invalid' && failure.message ? failure.message : `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`;
    return sendPage(req, reply, {
      status,
      title: req.t('errors.pageTitle'),
      body: (view) => (
        <section class="error-page">
          <h1>{view.t('errors.pageTitle')}</h1>
          <p>{view.t(key)}</p>
        </section>
      ),
    });
  };

  // ------------------------------------------------------------ partner organisations (pages)

  async function partnersPage(req: FastifyRequest, reply: FastifyReply, actor: UserActor, extra: Partial<PartnersPageProps> & { status?: number } = {}) {
    const list = await partners.listPartners(service, actor);
    if (!list.ok) return refuse(req, reply, list);
    const isAdmin = actor.roles.some((grant) => grant.role === 'admin');
    const { status, ...props } = extra;
    return sendPage(req, reply, {
      status: status ?? 200,
      title: req.t('partners.console.title'),
      body: (view) => <PartnersPage view={view} partners={list.value} canCreate={can(actor, 'partners.create')} countries={isAdmin ? 'all' : partners.nationalCountries(actor)} {...props} />,
    });
  }

  app.get('/partners', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const notice = typeof req.query.notice === 'string' && PARTNER_NOTICES.has(req.query.notice) ? `partners.notices.${req.query.notice}` : undefined;
    return partnersPage(req, reply, actor, { notice });
  });

  app.post('/partners', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.PartnerForm, req.body, (input) => {
      const value = (name: string) => (typeof input[name] === 'string' ? input[name] : undefined);
      const { contactEmail: _email, ...problems } = partners.partnerErrors({
        kind: 'other',
        name: '',
        area: '',
        contactEmail: '',
        country: value('country') ?? '',
        latitude: number(value('latitude')),
        longitude: number(value('longitude')),
        radiusKm: number(value('radiusKm')),
      });
      return problems;
    });
    const outcome = form.ok
      ? await partners.createPartner(service, actor, { ...form.value, latitude: number(form.value.latitude), longitude: number(form.value.longitude), radiusKm: number(form.value.radiusKm) })
      : form;
    if (outcome.ok) return redirect(reply, '/partners?notice=created');
    if ('errors' in outcome) return partnersPage(req, reply, actor, { status: 422, createErrors: outcome.errors, values: text(req.body) });
    return refuse(req, reply, outcome);
  });

  app.post('/partners/:id/verification', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await partners.verifyPartner(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return redirect(reply, '/partners?notice=verified');
  });

  app.post('/partners/:id/users', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.PartnerUserForm, req.body);
    const outcome = form.ok ? await partners.addPartnerUser(service, actor, req.params.id, form.value) : form;
    if (outcome.ok) return redirect(reply, '/partners?notice=userAdded');
    if ('errors' in outcome) {
      // Only a partner the caller may act on is shown again with its form's errors.
      const allowed = await partners.listPartners(service, actor);
      if (!allowed.ok || !allowed.value.some((partner) => partner.id === req.params.id && partner.canAddUsers)) return refuse(req, reply, { ok: false, reason: 'not-found' });
      return partnersPage(req, reply, actor, { status: 422, userErrors: { partnerId: req.params.id, errors: outcome.errors, email: text(req.body).email } });
    }
    return refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ partnerships (pages)

  async function partnershipsPage(req: Req, reply: FastifyReply, actor: UserActor, extra: Partial<PartnershipsPageProps> & { status?: number } = {}) {
    const list = await partnerships.listPartnerships(service, actor);
    if (!list.ok) return refuse(req, reply, list);
    const asked = ([] as string[]).concat(req.query.group ?? []);
    const given = typeof extra.values?.groupId === 'string' ? [extra.values.groupId] : [];
    const choices = await partnerships.proposalChoices(service, actor, [...asked, ...given]);
    const seen = await partners.listPartners(service, actor);
    const partnersSeen = seen.ok && seen.value.length > 0;
    const { status, ...props } = extra;
    return sendPage(req, reply, {
      status: status ?? 200,
      title: req.t('partners.partnerships.title'),
      body: (view) => <PartnershipsPage view={view} partnerships={list.value} choices={choices} today={partnerships.today()} showPartners={can(actor, 'partners.create') || partnersSeen} {...props} />,
    });
  }

  app.get('/partnerships', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const notice = typeof req.query.notice === 'string' && PARTNERSHIP_NOTICES.has(req.query.notice) ? `partners.notices.${req.query.notice}` : undefined;
    return partnershipsPage(req, reply, actor, { notice });
  });

  app.post('/partnerships', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.ProposalForm, req.body);
    const outcome = form.ok ? await partnerships.proposePartnership(service, actor, { ...form.value, handlingCodes: codesOf(form.value.handlingCodes) }) : form;
    if (outcome.ok) return redirect(reply, '/partnerships?notice=proposed');
    if ('errors' in outcome) return partnershipsPage(req, reply, actor, { status: 422, proposalErrors: outcome.errors, values: req.body });
    return refuse(req, reply, outcome);
  });

  for (const [path, answer] of [['acceptance', 'accept'], ['decline', 'decline']] as const) {
    app.post(`/partnerships/:id/${path}`, async (req: Req, reply) => {
      const actor = pageUser(req, reply);
      if (!actor) return reply;
      const outcome = await partnerships.respondToProposal(service, actor, req.params.id, answer);
      if (!outcome.ok) return refuse(req, reply, outcome);
      return redirect(reply, `/partnerships?notice=${answer === 'accept' ? 'accepted' : 'declined'}`);
    });
  }

  app.post('/partnerships/:id/end', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.EndForm, req.body);
    const outcome = form.ok ? await partnerships.endPartnership(service, actor, req.params.id, form.value) : form;
    if (outcome.ok) return redirect(reply, '/partnerships?notice=ended');
    if ('errors' in outcome) {
      const visible = await partnerships.listPartnerships(service, actor);
      if (!visible.ok || !visible.value.some((p) => p.id === req.params.id && p.canEnd)) return refuse(req, reply, { ok: false, reason: 'not-found' });
      return partnershipsPage(req, reply, actor, { status: 422, endErrors: { partnershipId: req.params.id, errors: outcome.errors } });
    }
    return refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ JSON API

  const errors = { 401: schema.ErrorResponse, 403: schema.ErrorResponse, 422: schema.ErrorResponse };
  const withId = { 404: schema.ErrorResponse, 409: schema.ErrorResponse };
  const tags = ['partners'];
  const publicPartner = ({ canVerify: _v, canAddUsers: _a, ...rest }: partners.PartnerView) => rest;
  const publicPartnership = ({ canRespond: _r, canEnd: _e, ...rest }: partnerships.PartnershipView) => rest;

  app.post<{ Body: Static<typeof schema.PartnerBody> }>(
    '/api/v1/partners',
    { config: formLimit, schema: { operationId: 'createPartner', summary: 'Create a partner organisation (unverified) in a country you coordinate', tags, body: schema.PartnerBody, response: { 201: schema.PartnerView, ...errors } } },
    async (req, reply) => {
      const outcome = await partners.createPartner(service, apiUser(req), req.body);
      if (!outcome.ok) return throwApiFailure(outcome);
      return reply.status(201).send(publicPartner(outcome.value));
    },
  );

  app.get('/api/v1/partners', { schema: { operationId: 'listPartners', summary: 'Partner organisations you may see', tags, response: { 200: Type.Array(schema.PartnerView), ...errors } } }, async (req) => {
    const outcome = await partners.listPartners(service, apiUser(req));
    if (!outcome.ok) return throwApiFailure(outcome);
    return outcome.value.map(publicPartner);
  });

  app.post<{ Params: { id: string } }>(
    '/api/v1/partners/:id/verification',
    { schema: { operationId: 'verifyPartner', summary: 'Verify a partner organisation of your country', tags, params: schema.IdParams, response: { 200: schema.PartnerView, ...errors, ...withId } } },
    async (req) => {
      const outcome = await partners.verifyPartner(service, apiUser(req), req.params.id);
      if (!outcome.ok) return throwApiFailure(outcome);
      return publicPartner(outcome.value);
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof schema.PartnerUserBody> }>(
    '/api/v1/partners/:id/users',
    {
      config: formLimit,
      schema: { operationId: 'addPartnerUser', summary: 'Attach an existing account to a verified partner as a partner user', tags, params: schema.IdParams, body: schema.PartnerUserBody, response: { 201: schema.PartnerUserAdded, ...errors, ...withId } },
    },
    async (req, reply) => {
      const outcome = await partners.addPartnerUser(service, apiUser(req), req.params.id, req.body);
      if (!outcome.ok) return throwApiFailure(outcome);
      return reply.status(201).send(outcome.value);
    },
  );

  app.post<{ Body: Static<typeof schema.ProposalBody> }>(
    '/api/v1/partnerships',
    { config: formLimit, schema: { operationId: 'proposePartnership', summary: 'Propose a partnership between a group you coordinate and a verified partner', tags, body: schema.ProposalBody, response: { 201: schema.PartnershipView, ...errors } } },
    async (req, reply) => {
      const outcome = await partnerships.proposePartnership(service, apiUser(req), req.body);
      if (!outcome.ok) return throwApiFailure(outcome);
      return reply.status(201).send(publicPartnership(outcome.value));
    },
  );

  app.get('/api/v1/partnerships', { schema: { operationId: 'listPartnerships', summary: 'Partnerships you may see', tags, response: { 200: Type.Array(schema.PartnershipView), ...errors } } }, async (req) => {
    const outcome = await partnerships.listPartnerships(service, apiUser(req));
    if (!outcome.ok) return throwApiFailure(outcome);
    return outcome.value.map(publicPartnership);
  });

  for (const [path, answer, operationId, summary] of [
    ['acceptance', 'accept', 'acceptPartnership', 'Accept a proposed partnership (partner users)'],
    ['decline', 'decline', 'declinePartnership', 'Decline a proposed partnership (partner users)'],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/api/v1/partnerships/:id/${path}`,
      { schema: { operationId, summary, tags, params: schema.IdParams, response: { 200: schema.PartnershipView, ...errors, ...withId } } },
      async (req) => {
        const outcome = await partnerships.respondToProposal(service, apiUser(req), req.params.id, answer);
        if (!outcome.ok) return throwApiFailure(outcome);
        return publicPartnership(outcome.value);
      },
    );
  }

  app.post<{ Params: { id: string }; Body: Static<typeof schema.EndBody> }>(
    '/api/v1/partnerships/:id/end',
    { schema: { operationId: 'endPartnership', summary: 'End an active partnership (its group coordinator or a partner user)', tags, params: schema.IdParams, body: schema.EndBody, response: { 200: schema.PartnershipView, ...errors, ...withId } } },
    async (req) => {
      const outcome = await partnerships.endPartnership(service, apiUser(req), req.params.id, req.body);
      if (!outcome.ok) return throwApiFailure(outcome);
      return publicPartnership(outcome.value);
    },
  );
}
