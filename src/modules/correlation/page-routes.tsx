/** The correlation pages (work without JavaScript; post-redirect-get; CSRF on every form through the request context). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserActor } from '../../core/auth/actor.ts';
import { pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure, FieldErrors } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import * as connections from './connections.ts';
import * as links from './links.ts';
import * as networks from './networks.ts';
import { LinksPage } from './views/links-page.tsx';
import { NetworkPage, NetworksPage } from './views/networks-pages.tsx';
import { RequestsPage } from './views/requests-page.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Params: { id: string; country: string }; Body: Form | undefined; Querystring: Record<string, string | undefined> }>;

const formLimit = perAddressLimit(60, 60_000);
const NOTICES = new Set(['confirmed', 'dismissed', 'requested', 'approved', 'refused', 'created', 'saved']);
const text = (body: Form | undefined): Record<string, string | undefined> => Object.fromEntries(Object.entries(body ?? {}).flatMap(([k, v]) => (typeof v === 'string' && k !== '_csrf' ? [[k, v]] : [])));
const noticeOf = (req: Req) => (typeof req.query.notice === 'string' && NOTICES.has(req.query.notice) ? req.t(`correlation.notices.${req.query.notice}`) : undefined);

export function correlationPages(app: FastifyInstance, service: links.CorrelationDeps): void {
  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key = failure.reason === 'invalid' ? (Object.values(failure.errors)[0] ?? 'errors.invalidRequest') : (failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`);
    return sendPage(req, reply, { status, title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t(key)} /> });
  };

  async function linksPage(req: Req, reply: FastifyReply, actor: UserActor, reportId: string, extra: { status?: number; errors?: FieldErrors; values?: Record<string, string | undefined> } = {}) {
    const outcome = await links.listReportLinks(service, actor, reportId);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: req.t('correlation.links.title', { reference: outcome.value.report.reference }),
      body: (view) => <LinksPage view={view} data={outcome.value} notice={extra.status ? undefined : noticeOf(req)} errors={extra.errors} values={extra.values} />,
    });
  }

  app.get('/reports/:id/links', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    return actor ? linksPage(req, reply, actor, req.params.id) : reply;
  });

  for (const [action, status] of [
    ['confirm', 'confirmed'],
    ['dismiss', 'dismissed'],
  ] as const) {
    app.post(`/links/:id/${action}`, { config: formLimit }, async (req: Req, reply) => {
      const actor = pageUser(req, reply);
      if (!actor) return reply;
      const outcome = await links.decideLink(service, actor, req.params.id, status);
      if (!outcome.ok) return refuse(req, reply, outcome);
      const back = text(req.body).report;
      return redirect(reply, isUuid(back) ? `/reports/${back}/links?notice=${status}` : '/networks');
    });
  }

  app.post('/reports/:id/connection-requests', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await connections.requestConnection(service, actor, req.params.id, text(req.body));
    if (outcome.ok) return redirect(reply, `/reports/${req.params.id}/links?notice=requested`);
    if (outcome.reason === 'invalid') return linksPage(req, reply, actor, req.params.id, { status: 422, errors: outcome.errors, values: text(req.body) });
    return refuse(req, reply, outcome);
  });

  async function requestsPage(req: Req, reply: FastifyReply, actor: UserActor, country: string, extra: { status?: number; errors?: FieldErrors } = {}) {
    const cc = country.toUpperCase();
    const outcome = await connections.listConnectionRequests(service, actor, cc);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: req.t('correlation.requests.title', { country: cc }),
      body: (view) => <RequestsPage view={view} country={cc} requests={outcome.value} notice={extra.status ? undefined : noticeOf(req)} errors={extra.errors} />,
    });
  }

  app.get('/countries/:country/connection-requests', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    return actor ? requestsPage(req, reply, actor, req.params.country) : reply;
  });

  app.post('/connection-requests/:id/decision', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = text(req.body);
    const outcome = await connections.decideConnection(service, actor, req.params.id, form);
    const country = typeof form.country === 'string' && /^[A-Za-z]{2}$/.test(form.country) ? form.country.toUpperCase() : undefined;
    if (outcome.ok) return redirect(reply, country ? `/countries/${country}/connection-requests?notice=${outcome.value.status}` : '/networks');
    if (outcome.reason === 'invalid' && country) return requestsPage(req, reply, actor, country, { status: 422, errors: outcome.errors });
    return refuse(req, reply, outcome);
  });

  app.get('/networks', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await networks.listNetworks(service, actor);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, { title: req.t('correlation.networks.title'), body: (view) => <NetworksPage view={view} networks={outcome.value} /> });
  });

  app.post('/networks', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = text(req.body);
    const outcome = await networks.createNetwork(service, actor, form);
    if (outcome.ok) return redirect(reply, `/networks/${outcome.value.id}?notice=created`);
    if (outcome.reason === 'invalid' && isUuid(form.reportId)) return linksPage(req, reply, actor, form.reportId, { status: 422, errors: outcome.errors, values: form });
    return refuse(req, reply, outcome);
  });

  async function networkPage(req: Req, reply: FastifyReply, actor: UserActor, extra: { status?: number; errors?: FieldErrors; values?: Record<string, string | undefined> } = {}) {
    const outcome = await networks.getNetwork(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: outcome.value.name,
      body: (view) => <NetworkPage view={view} network={outcome.value} notice={extra.status ? undefined : noticeOf(req)} errors={extra.errors} values={extra.values} />,
    });
  }

  app.get('/networks/:id', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    return actor ? networkPage(req, reply, actor) : reply;
  });

  app.post('/networks/:id', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = text(req.body);
    const outcome = await networks.updateNetwork(service, actor, req.params.id, form);
    if (outcome.ok) return redirect(reply, `/networks/${req.params.id}?notice=saved`);
    if (outcome.reason === 'invalid') return networkPage(req, reply, actor, { status: 422, errors: outcome.errors, values: form });
    return refuse(req, reply, outcome);
  });
}
