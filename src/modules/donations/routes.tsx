/** Pages and API of the donations module: parse, call the service, map the outcome to a response. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { HttpError } from '../../core/http/http-error.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure, FieldErrors } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { CURRENCIES, formatMinor } from './currencies.ts';
import { CURRENT_STATEMENT } from './gift-aid.ts';
import * as schema from './schema.ts';
import * as donations from './service.ts';
import { createStripeProvider } from './stripe-provider.ts';
import { CheckoutPage, DonatePage, GiftAidClaimPage, HowToGivePage, ThanksPage, type Values } from './views/donate-page.tsx';

type Form = Record<string, string | string[] | undefined>;
const formLimit = perAddressLimit(20, 60_000);
const GIFT_AID_FIELDS = ['title', 'firstName', 'lastName', 'address', 'postcode', 'scope', 'endsOn', 'statementVersion'] as const;

const text = (values: Form | undefined): Values => Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
/** Service errors name Gift Aid fields `giftAid.firstName`; the form's fields are plain `firstName`. */
const formErrors = (errors: FieldErrors): FieldErrors => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/^giftAid\./, ''), v]));

export async function donationsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { config } = deps;
  const provider = config.stripeSecretKey && config.stripeWebhookSecret ? createStripeProvider({ secretKey: config.stripeSecretKey, webhookSecret: config.stripeWebhookSecret, apiUrl: config.stripeApiUrl }) : undefined;
  const service: donations.DonationsDeps = { db: deps.database.db, sealer: deps.sealer, provider, config };

  const message = (req: FastifyRequest, reply: FastifyReply, status: number, messageKey: string) =>
    sendPage(req, reply, { status, title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t(messageKey)} action={{ href: '/donate', label: view.t('donations.donate.title') }} /> });

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key = failure.reason === 'invalid' ? (Object.values(failure.errors)[0] ?? 'errors.invalidRequest') : (failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`);
    return message(req, reply, status, key);
  };

  const donatePage = (req: FastifyRequest, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors; values?: Values; cancelled?: boolean } = {}) =>
    sendPage(req, reply, {
      status: extra.status ?? 200,
      title: req.t('donations.donate.title'),
      body: (view) => (provider ? <DonatePage view={view} errors={extra.errors} values={extra.values} cancelled={extra.cancelled} testMode={provider.testMode} /> : <HowToGivePage view={view} />),
    });

  const description = (req: FastifyRequest) => req.t('donations.checkout.lineItem');

  // ------------------------------------------------------------ pages

  app.get('/donate', async (req: FastifyRequest<{ Querystring: { cancelled?: string } }>, reply) => donatePage(req, reply, { cancelled: req.query.cancelled === '1' }));

  app.post('/donate', { config: formLimit }, async (req: FastifyRequest<{ Body: Form }>, reply) => {
    if (!provider) return donatePage(req, reply, { status: 409 });
    const form = text(req.body);
    const giftAid = form.giftAid === 'yes' ? Object.fromEntries(GIFT_AID_FIELDS.map((f) => [f, form[f]])) : undefined;
    let outcome;
    try {
      outcome = await donations.createDonation(service, { amount: form.amount ?? '', currency: form.currency ?? '', frequency: form.frequency ?? '', giftAid }, { lang: req.lang, description: description(req) });
    } catch (error) {
      if (error instanceof donations.ProviderUnavailableError) return message(req, reply, 503, 'donations.errors.providerUnavailable');
      throw error;
    }
    if (outcome.ok) return redirect(reply, `/donate/checkout/${outcome.value.id}`);
    if (outcome.reason === 'invalid') return donatePage(req, reply, { status: 422, errors: formErrors(outcome.errors), values: form });
    return refuse(req, reply, outcome);
  });

  app.get('/donate/checkout/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const outcome = await donations.donationSummary(service, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    if (outcome.value.status !== 'pledged') return redirect(reply, `/donate/thanks/${outcome.value.id}`);
    return sendPage(req, reply, { title: req.t('donations.checkout.title'), body: (view) => <CheckoutPage view={view} donation={outcome.value} /> });
  });

  const thanksPage = async (req: FastifyRequest<{ Params: { id: string }; Querystring: { notice?: string } }>, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors; values?: Values } = {}) => {
    const outcome = await donations.donationSummary(service, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    const notice = req.query.notice === 'giftAid' ? 'donations.giftAid.added' : undefined;
    return sendPage(req, reply, { status: extra.status ?? 200, title: req.t('donations.thanks.title'), body: (view) => <ThanksPage view={view} donation={outcome.value} errors={extra.errors} values={extra.values} notice={notice} /> });
  };

  app.get('/donate/thanks/:id', (req: FastifyRequest<{ Params: { id: string }; Querystring: { notice?: string } }>, reply) => thanksPage(req, reply));

  app.post('/donate/thanks/:id/gift-aid', { config: formLimit }, async (req: FastifyRequest<{ Params: { id: string }; Body: Form; Querystring: { notice?: string } }>, reply) => {
    const form = text(req.body);
    const outcome = await donations.declareGiftAid(service, req.params.id, Object.fromEntries(GIFT_AID_FIELDS.map((f) => [f, form[f]])));
    if (outcome.ok) return redirect(reply, `/donate/thanks/${req.params.id}?notice=giftAid`);
    if (outcome.reason === 'invalid') return thanksPage(req, reply, { status: 422, errors: formErrors(outcome.errors), values: form });
    return refuse(req, reply, outcome);
  });

  app.get('/donations/gift-aid', async (req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const overview = await donations.giftAidOverview(service, actor);
    if (!overview.ok) return refuse(req, reply, overview);
    return sendPage(req, reply, { title: req.t('donations.claim.title'), body: (view) => <GiftAidClaimPage view={view} declarations={overview.value.declarations} /> });
  });

  app.get('/donations/gift-aid/claim.csv', async (req: FastifyRequest<{ Querystring: { from?: string; to?: string; format?: string } }>, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const range = { from: String(req.query.from ?? '').trim(), to: String(req.query.to ?? '').trim(), format: String(req.query.format ?? '').trim() };
    const outcome = await donations.giftAidClaim(service, actor, range);
    if (outcome.ok) return sendCsv(reply, { ...range, format: outcome.value.format }, outcome.value.csv);
    if (outcome.reason === 'invalid') {
      const overview = await donations.giftAidOverview(service, actor);
      const declarations = overview.ok ? overview.value.declarations : 0;
      return sendPage(req, reply, { status: 422, title: req.t('donations.claim.title'), body: (view) => <GiftAidClaimPage view={view} declarations={declarations} errors={outcome.errors} values={range} /> });
    }
    return refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ JSON API

  const unwrap = <T,>(outcome: { ok: true; value: T } | Failure): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
  const E = schema.ErrorResponse;
  const doc = (operationId: string, summary: string) => ({ operationId, summary, tags: ['donations'] });

  app.get('/api/v1/donations/options', { schema: { ...doc('getDonationOptions', 'Currencies, frequencies and the current Gift Aid statement (no sign-in needed)'), response: { 200: schema.DonationOptions } } }, async (req) => ({
    online: provider !== undefined,
    testMode: provider?.testMode ?? false,
    currencies: [...CURRENCIES.values()].map((c) => ({ code: c.code, decimals: c.decimals, minimum: formatMinor(c.minimumMinor, c.code) })),
    frequencies: [...donations.FREQUENCIES],
    giftAidStatement: { version: CURRENT_STATEMENT.version, text: CURRENT_STATEMENT.text[req.lang] },
  }));

  app.post(
    '/api/v1/donations',
    {
      config: { ...formLimit, csrf: 'anonymous-ok' },
      schema: { ...doc('createDonation', 'Start a one-off or monthly donation (no sign-in needed); the donor then pays at checkoutUrl'), body: schema.CreateDonationBody, response: { 201: schema.DonationCreated, 409: E, 422: E, 503: E } },
    },
    async (req: FastifyRequest<{ Body: donations.DonationInput }>, reply) => {
      if (!provider) throw new HttpError(503, 'payments-not-configured', 'donations.errors.notConfigured');
      try {
        return reply.status(201).send(unwrap(await donations.createDonation(service, req.body, { lang: req.lang, description: description(req) })));
      } catch (error) {
        if (error instanceof donations.ProviderUnavailableError) throw new HttpError(503, 'provider-unavailable', 'donations.errors.providerUnavailable');
        throw error;
      }
    },
  );

  app.post(
    '/api/v1/donations/:id/gift-aid-declaration',
    {
      config: { ...formLimit, csrf: 'anonymous-ok' },
      schema: { ...doc('createGiftAidDeclaration', 'Add a UK Gift Aid declaration to a donation (its donor, who holds its id)'), params: schema.DonationParams, body: schema.GiftAidDeclarationBody, response: { 201: schema.DeclarationCreated, 404: E, 409: E, 422: E } },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Body: donations.GiftAidInput }>, reply) => reply.status(201).send(unwrap(await donations.declareGiftAid(service, req.params.id, req.body))),
  );

  app.get(
    '/api/v1/donations/gift-aid-claim',
    { schema: { ...doc('exportGiftAidClaim', 'The Gift Aid claim for a period as CSV (finance staff and administrators, audited)'), querystring: schema.ClaimQuery, produces: ['text/csv'], response: { 401: E, 403: E, 422: E } } },
    async (req: FastifyRequest<{ Querystring: { from: string; to: string; format?: string } }>, reply) => {
      const outcome = unwrap(await donations.giftAidClaim(service, apiUser(req), req.query));
      return sendCsv(reply, { ...req.query, format: outcome.format }, outcome.csv);
    },
  );

  // The webhook reads the exact bytes Stripe signed, so it has its own body parser (in its own scope).
  await app.register(async (hooks) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    hooks.post(
      '/api/v1/donations/webhooks/stripe',
      {
        // Authenticated by the provider's signature, not by a session.
        config: { csrf: false, identify: false },
        schema: {
          ...doc('handlePaymentWebhook', 'Stripe’s webhook endpoint: events signed with the endpoint’s secret (Stripe-Signature header); each event is applied at most once'),
          headers: { type: 'object', properties: { 'stripe-signature': { type: 'string', description: 'Stripe’s signature header' } } },
          response: { 200: schema.WebhookReceived, 400: E },
        },
      },
      async (req: FastifyRequest<{ Body: Buffer | undefined }>) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const signature = req.headers['stripe-signature'];
        const outcome = await donations.handlePaymentWebhook(service, body, typeof signature === 'string' ? signature : undefined);
        if (!outcome.ok) throw new HttpError(400, 'invalid-signature', 'donations.errors.signature');
        return outcome.value;
      },
    );
  });
}

function sendCsv(reply: FastifyReply, range: { from: string; to: string; format: string }, csv: string): FastifyReply {
  const name = range.format === 'hmrc' ? 'gift-aid-claim' : 'gift-aid-claim-records';
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${range.from}-to-${range.to}.csv"`)
    .header('cache-control', 'no-store')
    .send(csv);
}
