/**
 * Pages and JSON API of the newsletter: parse, authorise (editors' routes), call the use case, map
 * the outcome. Subscribers' routes need no account: the token in the path is their key, so those
 * that act through a token carry no CSRF check (a forged request would need the token itself).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { safeEqual } from '../../core/crypto.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import { HttpError } from '../../core/http/http-error.ts';
import type { Failure } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { handleInbound, recordBounces, type BounceEvent } from './bounces.ts';
import type { NewsletterDeps } from './deps.ts';
import * as editions from './editions.ts';
import * as schema from './schema.ts';
import * as subscription from './subscription.ts';
import { EditionPage, EditionsPage } from './views/editor-pages.tsx';
import { ConfirmPage, ManagePage, PreferencesPage, SignUpPage, UnsubscribePage } from './views/public-pages.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Body: Form | undefined; Params: { token: string; id: string }; Querystring: { notice?: string } }>;

const formLimit = perAddressLimit(20, 60_000);
const linkLimit = perAddressLimit(60, 60_000);
const PREFERENCE_NOTICES = new Set(['confirmed', 'alreadyConfirmed', 'saved', 'revoked']);
const EDITION_NOTICES = new Set(['created', 'saved', 'testSent', 'scheduled', 'sending']);
const STATUS = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 } as const;

/** The address `bounces` and `inbound` callers prove they are the mail provider with. */
function checkWebhookSecret(req: FastifyRequest, secret: string | undefined): void {
  const given = req.headers['x-cast-webhook-secret'];
  if (!secret || typeof given !== 'string' || !safeEqual(given, secret)) throw new HttpError(401, 'unauthorised', 'newsletter.errors.webhookSecret');
}

export async function newsletterRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service: NewsletterDeps = { db: deps.database.db, jobs: deps.jobs, keys: deps.keys, sealer: deps.sealer, config: deps.config };
  const webhookSecret = deps.config.newsletterWebhookSecret;

  // Inbound messages (bounces, mailto: unsubscribes) arrive as raw mail; RFC 8058 one-click POSTs may
  // come as multipart/form-data, whose body one-click does not need. Only within this module's routes.
  app.addContentTypeParser(['message/rfc822', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string' }, (_req, _body, done) => done(null, {}));

  const page = (req: FastifyRequest, reply: FastifyReply, status: number, titleKey: string, messageKey: string, action?: { href: string; labelKey: string }) =>
    sendPage(req, reply, {
      status,
      title: req.t(titleKey),
      body: (view) => <MessagePage title={view.t(titleKey)} message={view.t(messageKey)} action={action ? { href: action.href, label: view.t(action.labelKey) } : undefined} />,
    });

  /** Expired links answer 410 Gone; everything else by the outcome's reason. */
  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure, back = '/newsletter') => {
    const key = failure.reason === 'invalid' ? 'errors.invalidRequest' : (failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`);
    const status = key.endsWith('Expired') ? 410 : STATUS[failure.reason];
    return page(req, reply, status, 'errors.pageTitle', key, { href: back, labelKey: 'newsletter.signUp.title' });
  };

  const apiRefuse = (failure: Failure): never => {
    if (failure.reason !== 'invalid' && failure.message?.endsWith('Expired')) throw new HttpError(410, 'expired', failure.message);
    return throwApiFailure(failure);
  };
  const unwrap = <T,>(outcome: { ok: true; value: T } | Failure): T => (outcome.ok ? outcome.value : apiRefuse(outcome));

  // ------------------------------------------------------------ subscriber pages

  app.get('/newsletter', async (req, reply) => {
    const lists = await subscription.listKeys(service);
    return sendPage(req, reply, { title: req.t('newsletter.signUp.title'), body: (view) => <SignUpPage view={view} lists={lists} /> });
  });

  app.post('/newsletter', { config: formLimit }, async (req: Req, reply) => {
    const body = req.body ?? {};
    const outcome = await subscription.requestSubscription(service, service.db, { email: body.email, name: body.name, lists: body.lists ?? [], language: body.language });
    if (outcome.ok) return page(req, reply, 200, 'newsletter.checkEmail.title', 'newsletter.checkEmail.message');
    if (outcome.reason === 'invalid') {
      const lists = await subscription.listKeys(service);
      return sendPage(req, reply, { status: 422, title: req.t('newsletter.signUp.title'), body: (view) => <SignUpPage view={view} lists={lists} values={body} errors={outcome.errors} /> });
    }
    return refuse(req, reply, outcome);
  });

  // The token rides in the query string: it carries the whole sign-up, longer than a path parameter may be.
  app.get('/newsletter/confirm', { config: linkLimit }, async (req: FastifyRequest<{ Querystring: { t?: string } }>, reply) => {
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    return sendPage(req, reply, { title: req.t('newsletter.confirm.title'), body: (view) => <ConfirmPage view={view} token={token} /> });
  });

  app.post('/newsletter/confirm', { config: linkLimit }, async (req: Req, reply) => {
    const outcome = await subscription.confirmSubscription(service, typeof req.body?.token === 'string' ? req.body.token : '');
    if (!outcome.ok) return refuse(req, reply, outcome);
    const path = new URL(outcome.value.preferencesLink).pathname;
    return redirect(reply, `${path}?notice=${outcome.value.status === 'confirmed' ? 'confirmed' : 'alreadyConfirmed'}`);
  });

  async function preferencesPage(req: Req, reply: FastifyReply, extra: { status?: number; errors?: Record<string, string>; notice?: string } = {}) {
    const outcome = await subscription.preferences(service, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome, '/newsletter/manage');
    const noticeName = extra.notice ?? (typeof req.query.notice === 'string' && PREFERENCE_NOTICES.has(req.query.notice) ? req.query.notice : undefined);
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: req.t('newsletter.preferences.title'),
      body: (view) => <PreferencesPage view={view} token={req.params.token} preferences={outcome.value} notice={noticeName ? `newsletter.notices.${noticeName}` : undefined} errors={extra.errors} />,
    });
  }

  app.get('/newsletter/preferences/:token', { config: linkLimit }, (req: Req, reply) => preferencesPage(req, reply));

  app.post('/newsletter/preferences/:token', { config: formLimit }, async (req: Req, reply) => {
    const body = req.body ?? {};
    const outcome = await subscription.updatePreferences(service, req.params.token, { lists: body.lists ?? [], language: body.language, name: body.name ?? '' });
    if (outcome.ok) return redirect(reply, `/newsletter/preferences/${req.params.token}?notice=saved`);
    if (outcome.reason === 'invalid') return preferencesPage(req, reply, { status: 422, errors: outcome.errors });
    return refuse(req, reply, outcome, '/newsletter/manage');
  });

  app.post('/newsletter/preferences/:token/export', { config: formLimit }, async (req: Req, reply) => {
    const outcome = await subscription.exportData(service, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome, '/newsletter/manage');
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="cast-newsletter-my-data.json"')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(outcome.value, null, 2));
  });

  app.post('/newsletter/preferences/:token/erase', { config: formLimit }, async (req: Req, reply) => {
    if (req.body?.confirm !== 'yes') return preferencesPage(req, reply, { status: 422, errors: { confirm: 'newsletter.errors.eraseConfirm' } });
    const outcome = await subscription.eraseData(service, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome, '/newsletter/manage');
    return page(req, reply, 200, 'newsletter.erased.title', 'newsletter.erased.message');
  });

  app.post('/newsletter/preferences/:token/revoke', { config: formLimit }, async (req: Req, reply) => {
    const outcome = await subscription.revokeLinks(service, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome, '/newsletter/manage');
    return page(req, reply, 200, 'newsletter.revoked.title', 'newsletter.revoked.message');
  });

  // GET never unsubscribes (mail scanners open links); it shows the button that does.
  app.get('/newsletter/unsubscribe/:token', { config: linkLimit }, async (req: Req, reply) => {
    const outcome = await subscription.checkUnsubscribeLink(service, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome, '/newsletter/manage');
    return sendPage(req, reply, { title: req.t('newsletter.unsubscribe.title'), body: (view) => <UnsubscribePage view={view} token={req.params.token} subscribed={outcome.value.subscribed} /> });
  });

  // RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" with no cookies and no second step.
  app.post('/newsletter/unsubscribe/:token', { config: { ...linkLimit, csrf: false } }, async (req: Req, reply) => {
    const outcome = await subscription.unsubscribe(service, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome, '/newsletter/manage');
    return page(req, reply, 200, 'newsletter.unsubscribe.doneTitle', 'newsletter.unsubscribe.done', { href: '/newsletter/manage', labelKey: 'newsletter.manage.link' });
  });

  app.get('/newsletter/manage', async (req, reply) => sendPage(req, reply, { title: req.t('newsletter.manage.title'), body: (view) => <ManagePage view={view} /> }));

  app.post('/newsletter/manage', { config: formLimit }, async (req: Req, reply) => {
    const outcome = await subscription.requestManageLink(service, { email: req.body?.email });
    if (outcome.ok) return sendPage(req, reply, { title: req.t('newsletter.manage.title'), body: (view) => <ManagePage view={view} sent /> });
    if (outcome.reason === 'invalid') {
      const value = typeof req.body?.email === 'string' ? req.body.email : undefined;
      return sendPage(req, reply, { status: 422, title: req.t('newsletter.manage.title'), body: (view) => <ManagePage view={view} value={value} errors={outcome.errors} /> });
    }
    return refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ editor pages

  async function editionsPage(req: Req, reply: FastifyReply, extra: { status?: number; errors?: Record<string, string>; values?: Form } = {}) {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await editions.editionsOverview(service, actor);
    if (!outcome.ok) return refuse(req, reply, outcome, '/');
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: req.t('newsletter.editor.title'),
      body: (view) => <EditionsPage view={view} editions={outcome.value.editions} listCounts={outcome.value.listCounts} values={extra.values} errors={extra.errors} />,
    });
  }

  app.get('/newsletter/editions', (req: Req, reply) => editionsPage(req, reply));

  app.post('/newsletter/editions', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const body = req.body ?? {};
    const outcome = await editions.createEdition(service, actor, { subject: body.subject, body: body.body, lists: body.lists ?? [] });
    if (outcome.ok) return redirect(reply, `/newsletter/editions/${outcome.value.id}?notice=created`);
    if (outcome.reason === 'invalid') return editionsPage(req, reply, { status: 422, errors: outcome.errors, values: body });
    return refuse(req, reply, outcome, '/');
  });

  async function editionPage(req: Req, reply: FastifyReply, extra: { status?: number; errors?: Record<string, string>; scheduleErrors?: Record<string, string>; values?: Form } = {}) {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await editions.viewEdition(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome, '/newsletter/editions');
    const notice = typeof req.query.notice === 'string' && EDITION_NOTICES.has(req.query.notice) ? `newsletter.notices.${req.query.notice}` : undefined;
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: outcome.value.edition.subject,
      body: (view) => <EditionPage view={view} seen={outcome.value} notice={notice} values={extra.values} errors={extra.errors} scheduleErrors={extra.scheduleErrors} />,
    });
  }

  app.get('/newsletter/editions/:id', (req: Req, reply) => editionPage(req, reply));

  /** An editor's action on one edition: back to its page with a notice, or the page with messages. */
  const editionAction =
    (run: (actor: Parameters<typeof editions.sendEdition>[1], req: Req) => Promise<{ ok: true } | Failure>, notice: string, errorsAre: 'errors' | 'scheduleErrors' = 'errors') =>
    async (req: Req, reply: FastifyReply) => {
      const actor = pageUser(req, reply);
      if (!actor) return reply;
      const outcome = await run(actor, req);
      if (outcome.ok) return redirect(reply, `/newsletter/editions/${req.params.id}?notice=${notice}`);
      if (outcome.reason === 'invalid') return editionPage(req, reply, { status: 422, [errorsAre]: outcome.errors, ...(errorsAre === 'errors' ? { values: req.body } : {}) });
      return refuse(req, reply, outcome, '/newsletter/editions');
    };

  app.post('/newsletter/editions/:id', { config: formLimit }, editionAction((actor, req) => editions.updateEdition(service, actor, req.params.id, { subject: req.body?.subject, body: req.body?.body, lists: req.body?.lists ?? [] }), 'saved'));
  app.post('/newsletter/editions/:id/test', { config: formLimit }, editionAction((actor, req) => editions.testSend(service, actor, req.params.id), 'testSent'));
  app.post('/newsletter/editions/:id/schedule', { config: formLimit }, editionAction((actor, req) => editions.scheduleEdition(service, actor, req.params.id, req.body?.at), 'scheduled', 'scheduleErrors'));
  app.post('/newsletter/editions/:id/send', { config: formLimit }, editionAction((actor, req) => editions.sendEdition(service, actor, req.params.id), 'sending'));

  // ------------------------------------------------------------ JSON API

  const E = schema.ErrorResponse;
  const doc = (operationId: string, summary: string, security?: []) => ({ operationId, summary, tags: ['newsletter'], ...(security ? { security } : {}) });
  const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);
  type ApiReq<B = unknown, P = Record<string, string>> = FastifyRequest<{ Body: B; Params: P }>;
  const open = { security: [] as [] };

  app.get('/api/v1/newsletter/lists', { schema: { ...doc('listNewsletterLists', 'The lists one can subscribe to', open.security), response: { 200: schema.ListsResponse } } }, async (req) =>
    (await subscription.listKeys(service)).map((key) => ({ key, name: req.t(`newsletter.lists.${key}.name`), description: req.t(`newsletter.lists.${key}.description`) })),
  );

  app.post(
    '/api/v1/newsletter/subscriptions',
    { config: { ...formLimit, csrf: 'anonymous-ok' }, schema: { ...doc('subscribe', 'Sign up; a confirmation link is e-mailed (double opt-in). The answer is the same for an address already subscribed.', open.security), body: schema.SubscribeBody, response: { 202: schema.Accepted, 422: E, 429: E } } },
    async (req: ApiReq<{ email: string; name?: string | null; lists?: string[]; language?: string }>, reply) => {
      const value = unwrap(await subscription.requestSubscription(service, service.db, { ...req.body, name: req.body.name ?? undefined }));
      return reply.status(202).send({ status: 'confirmation-sent', email: value.email });
    },
  );

  app.post(
    '/api/v1/newsletter/confirmations',
    { config: { ...linkLimit, csrf: false }, schema: { ...doc('confirmSubscription', 'Confirm a sign-up with the token from the e-mailed link; confirming twice changes nothing', open.security), body: schema.ConfirmBody, response: { 200: schema.Confirmed, 404: E, 410: E, 422: E } } },
    async (req: ApiReq<{ token: string }>) => unwrap(await subscription.confirmSubscription(service, req.body.token)),
  );

  app.post(
    '/api/v1/newsletter/unsubscribe/:token',
    { config: { ...linkLimit, csrf: false }, schema: { ...doc('unsubscribeOneClick', 'Leave every list (RFC 8058 one-click; the same as POSTing to the List-Unsubscribe https link)', open.security), params: schema.TokenParams, response: { 200: schema.Unsubscribed, 404: E, 410: E } } },
    async (req: ApiReq<unknown, { token: string }>) => {
      const value = unwrap(await subscription.unsubscribe(service, req.params.token));
      return { unsubscribed: true, listsLeft: value.removed };
    },
  );

  app.get(
    '/api/v1/newsletter/preferences/:token',
    { config: linkLimit, schema: { ...doc('getPreferences', 'A subscriber’s preferences, with the token of a preference link', open.security), params: schema.TokenParams, response: { 200: schema.PreferencesResponse, 404: E, 410: E } } },
    async (req: ApiReq<unknown, { token: string }>) => {
      const p = unwrap(await subscription.preferences(service, req.params.token));
      return { email: p.email, name: p.name, language: p.language, lists: p.lists, availableLists: p.allLists };
    },
  );

  app.put(
    '/api/v1/newsletter/preferences/:token',
    { config: { ...formLimit, csrf: false }, schema: { ...doc('updatePreferences', 'Choose lists, language and name; an empty list of lists unsubscribes from all', open.security), params: schema.TokenParams, body: schema.PreferencesBody, response: { 200: schema.PreferencesResponse, 404: E, 410: E, 422: E } } },
    async (req: ApiReq<{ lists: string[]; language?: string; name?: string | null }, { token: string }>) => {
      unwrap(await subscription.updatePreferences(service, req.params.token, { lists: req.body.lists, language: req.body.language, name: req.body.name === null ? '' : req.body.name }));
      const p = unwrap(await subscription.preferences(service, req.params.token));
      return { email: p.email, name: p.name, language: p.language, lists: p.lists, availableLists: p.allLists };
    },
  );

  app.get(
    '/api/v1/newsletter/preferences/:token/export',
    { config: linkLimit, schema: { ...doc('exportMyData', 'Everything kept about the subscriber (the read is audited)', open.security), params: schema.TokenParams, response: { 200: schema.DataExport, 404: E, 410: E } } },
    async (req: ApiReq<unknown, { token: string }>, reply) => {
      void reply.header('cache-control', 'no-store');
      return unwrap(await subscription.exportData(service, req.params.token));
    },
  );

  app.delete(
    '/api/v1/newsletter/preferences/:token',
    { config: { ...formLimit, csrf: false }, schema: { ...doc('eraseMyData', 'Erase the subscriber: address, name, lists and delivery records', open.security), params: schema.TokenParams, response: { 204: { type: 'null' }, 404: E, 410: E } } },
    async (req: ApiReq<unknown, { token: string }>, reply) => {
      unwrap(await subscription.eraseData(service, req.params.token));
      return reply.status(204).send();
    },
  );

  const editionJson = (seen: editions.EditionView) => ({
    id: seen.edition.id,
    subject: seen.edition.subject,
    body: seen.edition.body_markdown,
    bodyHtml: seen.bodyHtml,
    lists: seen.edition.lists,
    status: seen.edition.status,
    scheduledFor: iso(seen.edition.scheduled_for),
    sentAt: iso(seen.edition.sent_at),
  });
  const errors = { 401: E, 403: E, 404: E, 422: E };

  app.post(
    '/api/v1/newsletter/editions',
    { config: formLimit, schema: { ...doc('createEdition', 'Write an edition in Markdown (editors)'), body: schema.EditionBody, response: { 201: schema.Created, ...errors } } },
    async (req: ApiReq<editions.EditionInput>, reply) => reply.status(201).send(unwrap(await editions.createEdition(service, apiUser(req), req.body))),
  );

  app.get(
    '/api/v1/newsletter/editions/:id',
    { schema: { ...doc('getEdition', 'An edition with its rendered preview (editors)'), params: schema.EditionParams, response: { 200: schema.Edition, ...errors } } },
    async (req: ApiReq<unknown, { id: string }>) => editionJson(unwrap(await editions.viewEdition(service, apiUser(req), req.params.id))),
  );

  app.put(
    '/api/v1/newsletter/editions/:id',
    { config: formLimit, schema: { ...doc('updateEdition', 'Change a draft or scheduled edition (editors)'), params: schema.EditionParams, body: schema.EditionBody, response: { 200: schema.Edition, ...errors, 409: E } } },
    async (req: ApiReq<editions.EditionInput, { id: string }>) => {
      const actor = apiUser(req);
      unwrap(await editions.updateEdition(service, actor, req.params.id, req.body));
      return editionJson(unwrap(await editions.viewEdition(service, actor, req.params.id)));
    },
  );

  app.post(
    '/api/v1/newsletter/editions/:id/test',
    { config: formLimit, schema: { ...doc('testSendEdition', 'Send the edition, marked as a test, to yourself (editors)'), params: schema.EditionParams, response: { 202: schema.TestSent, ...errors } } },
    async (req: ApiReq<unknown, { id: string }>, reply) => reply.status(202).send(unwrap(await editions.testSend(service, apiUser(req), req.params.id))),
  );

  app.post(
    '/api/v1/newsletter/editions/:id/send',
    { config: formLimit, schema: { ...doc('sendEdition', 'Send now, or at a time (`at`), to the edition’s lists through the job queue (editors)'), params: schema.EditionParams, body: schema.SendBody, response: { 202: schema.SendResponse, ...errors, 409: E } } },
    async (req: ApiReq<{ at?: string } | undefined, { id: string }>, reply) => {
      const actor = apiUser(req);
      if (req.body?.at !== undefined) {
        const value = unwrap(await editions.scheduleEdition(service, actor, req.params.id, req.body.at));
        return reply.status(202).send({ status: 'scheduled', scheduledFor: value.scheduledFor });
      }
      const value = unwrap(await editions.sendEdition(service, actor, req.params.id));
      return reply.status(202).send({ status: 'sending', recipients: value.recipients });
    },
  );

  app.get(
    '/api/v1/newsletter/editions/:id/progress',
    { schema: { ...doc('getEditionProgress', 'How far sending has got: deliveries per status (editors)'), params: schema.EditionParams, response: { 200: schema.ProgressResponse, ...errors } } },
    async (req: ApiReq<unknown, { id: string }>) => unwrap(await editions.editionProgress(service, apiUser(req), req.params.id)),
  );

  // ------------------------------------------------------------ mail provider

  app.post(
    '/api/v1/newsletter/bounces',
    { config: { csrf: false, identify: false }, schema: { ...doc('reportBounces', 'Hard bounces and complaints from the mail provider suppress the address (header X-Cast-Webhook-Secret)', open.security), body: schema.BounceBody, response: { 200: schema.BounceResponse, 401: E, 422: E } } },
    async (req: ApiReq<{ events: BounceEvent[] }>) => {
      checkWebhookSecret(req, webhookSecret);
      return unwrap(await recordBounces(service, req.body.events));
    },
  );

  app.post(
    '/api/v1/newsletter/inbound',
    {
      config: { csrf: false, identify: false },
      schema: { ...doc('receiveInboundMail', 'A message sent to the bounce or unsubscribe address, raw (message/rfc822): delivery status notifications, abuse reports, mailto: unsubscribes (header X-Cast-Webhook-Secret)', open.security), response: { 200: schema.InboundResponse, 401: E, 415: E } },
    },
    async (req: ApiReq<unknown>) => {
      checkWebhookSecret(req, webhookSecret);
      if (typeof req.body !== 'string') throw new HttpError(415, 'unsupported-media-type', 'errors.unsupportedMediaType');
      return unwrap(await handleInbound(service, req.body));
    },
  );
}
