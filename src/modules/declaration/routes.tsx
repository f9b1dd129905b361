/**
 * The declaration's public pages and JSON API: reading, signing, confirming, counts. Parse, call the
 * use case, map the outcome. Anyone may sign without an account; the answer to a signature is the
 * same whoever signs, so the site never says whether an address has signed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Language } from '../../core/i18n.ts';
import type { Failure } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { countsCsv, type CountReader } from './counts.ts';
import type { Module } from './module.ts';
import * as schema from './schema.ts';
import type { DeclarationView } from './service.ts';
import type { SignatureInput } from './signature-input.ts';
import { CheckEmailPage } from './views/check-email-page.tsx';
import { ConfirmedPage, ConfirmPage, CountsPage, DeclarationPage, ListPage, type SignFormValues } from './views/public-pages.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Body: Form; Params: { slug: string; token: string }; Querystring: { already?: string } }>;

const STATUS = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 } as const;

/**
 * Hard ceilings per address, far above the abuse controls' quiet limits (10 a minute by default,
 * which mark signatures without telling): they bound what one address can write, even when an
 * operator raises the quiet limits (decision 0021).
 */
const signLimit = perAddressLimit(120, 60_000);
const confirmLimit = perAddressLimit(60, 60_000);

function formValues(body: Form | undefined): SignFormValues {
  const pick = (key: string) => (typeof body?.[key] === 'string' ? body[key].slice(0, 300) : undefined);
  return { name: pick('name'), email: pick('email'), country: pick('country'), postcode: pick('postcode'), optIn: pick('optIn') };
}

export function publicRoutes(app: FastifyInstance, deps: AppDeps, module: Module): void {
  const { declarations, signing, counts } = module;

  const message = (req: FastifyRequest, reply: FastifyReply, status: number, titleKey: string, messageKey: string, action?: { href: string; labelKey: string }) =>
    sendPage(req, reply, {
      status,
      title: req.t(titleKey),
      body: (view) => <MessagePage title={view.t(titleKey)} message={view.t(messageKey)} action={action ? { href: action.href, label: view.t(action.labelKey) } : undefined} />,
    });

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) =>
    message(req, reply, STATUS[failure.reason], 'errors.pageTitle', failure.reason === 'invalid' ? 'errors.invalidRequest' : (failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`), {
      href: '/declarations',
      labelKey: 'declaration.list.title',
    });

  const find = (req: FastifyRequest<{ Params: { slug: string } }>) => declarations.bySlug(req.params.slug, req.lang);
  const missing = (req: FastifyRequest, reply: FastifyReply) => message(req, reply, 404, 'errors.pageTitle', 'declaration.errors.notFound', { href: '/declarations', labelKey: 'declaration.list.title' });

  async function declarationPage(req: Req, reply: FastifyReply, declaration: DeclarationView, extra: { status?: number; errors?: Record<string, string>; values?: SignFormValues } = {}) {
    const { total } = await counts.read(declaration.id);
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: declaration.title,
      body: (view) => <DeclarationPage view={view} declaration={declaration} total={total} errors={extra.errors} values={extra.values} />,
    });
  }

  // ------------------------------------------------------------ pages

  app.get('/declarations', async (req, reply) => {
    const list = await declarations.list(req.lang);
    return sendPage(req, reply, { title: req.t('declaration.list.title'), body: (view) => <ListPage view={view} declarations={list} /> });
  });

  app.get('/declarations/:slug', async (req: Req, reply) => {
    const declaration = await find(req);
    return declaration ? declarationPage(req, reply, declaration) : missing(req, reply);
  });

  app.post('/declarations/:slug/signatures', { config: signLimit }, async (req: Req, reply) => {
    const declaration = await find(req);
    if (!declaration) return missing(req, reply);
    const body = req.body ?? {};
    const outcome = await signing.sign(declaration, body, { ip: req.ip, lang: req.lang });
    if (outcome.ok) return redirect(reply, `/declarations/${declaration.slug}/check-email`);
    if (outcome.reason === 'invalid') return declarationPage(req, reply, declaration, { status: 422, errors: outcome.errors, values: formValues(body) });
    return refuse(req, reply, outcome);
  });

  app.get('/declarations/:slug/check-email', async (req: Req, reply) => {
    const declaration = await find(req);
    if (!declaration) return missing(req, reply);
    return sendPage(req, reply, { title: req.t('declaration.checkEmail.title'), body: (view) => <CheckEmailPage view={view} declaration={declaration} /> });
  });

  app.get('/declarations/confirm/:token', async (req: Req, reply) =>
    sendPage(req, reply, { title: req.t('declaration.confirm.title'), body: (view) => <ConfirmPage view={view} token={req.params.token.slice(0, 100)} /> }),
  );

  app.post('/declarations/confirm/:token', { config: confirmLimit }, async (req: Req, reply) => {
    const outcome = await signing.confirm(req.params.token);
    if (outcome.ok) return redirect(reply, `/declarations/${outcome.value.slug}/confirmed${outcome.value.status === 'already-confirmed' ? '?already=1' : ''}`);
    if (outcome.reason === 'conflict') return message(req, reply, 410, 'declaration.confirm.expiredTitle', 'declaration.errors.link.expired', { href: '/declarations', labelKey: 'declaration.list.title' });
    return message(req, reply, 404, 'declaration.confirm.invalidTitle', 'declaration.errors.link.invalid', { href: '/declarations', labelKey: 'declaration.list.title' });
  });

  app.get('/declarations/:slug/confirmed', async (req: Req, reply) => {
    const declaration = await find(req);
    if (!declaration) return missing(req, reply);
    const { total } = await counts.read(declaration.id);
    return sendPage(req, reply, {
      title: req.t('declaration.confirmed.title'),
      body: (view) => <ConfirmedPage view={view} declaration={declaration} total={total} already={req.query.already === '1'} />,
    });
  });

  app.get('/declarations/:slug/counts', async (req: Req, reply) => {
    const declaration = await find(req);
    if (!declaration) return missing(req, reply);
    const figures = await counts.read(declaration.id);
    return sendPage(req, reply, { title: req.t('declaration.counts.title', { title: declaration.title }), body: (view) => <CountsPage view={view} declaration={declaration} counts={figures} /> });
  });

  app.get('/declarations/:slug/counts.csv', async (req: Req, reply) => {
    const declaration = await find(req);
    if (!declaration) return missing(req, reply);
    const figures = await counts.read(declaration.id);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${declaration.slug}-signatures-by-country.csv"`)
      .header('cache-control', 'public, max-age=2')
      .send(countsCsv(figures));
  });

  apiRoutes(app, module, counts);
}

function apiRoutes(app: FastifyInstance, module: Module, counts: CountReader): void {
  const { declarations, signing } = module;
  const E = schema.ErrorResponse;
  const doc = (operationId: string, summary: string, description?: string) => ({ operationId, summary, tags: ['declaration'], ...(description ? { description } : {}) });
  const anyone = { security: [{}, { bearer: [] }] as { [label: string]: string[] }[] };
  const found = async (slug: string, lang: Language) => (await declarations.bySlug(slug, lang)) ?? throwApiFailure({ ok: false, reason: 'not-found', message: 'declaration.errors.notFound' });

  app.get(
    '/api/v1/declarations',
    { schema: { ...doc('listDeclarations', 'Declarations that are open or have closed'), ...anyone, response: { 200: schema.DeclarationList } } },
    async (req) =>
      (await declarations.list(req.lang)).map((d) => ({
        slug: d.slug,
        title: d.title,
        summary: d.summary,
        language: d.language,
        languages: d.languages,
        opensAt: d.opensAt.toISOString(),
        closesAt: d.closesAt?.toISOString() ?? null,
        open: d.open,
      })),
  );

  app.post(
    '/api/v1/declarations/:slug/signatures',
    {
      config: { ...signLimit, csrf: 'anonymous-ok' },
      schema: {
        ...doc(
          'signDeclaration',
          'Sign a declaration (no account needed)',
          'The signature counts once the link sent by e-mail is followed. One signature per address (normalised: case, +tags, Gmail dots) per declaration; signing again is answered by e-mail only, so the answer is always the same.',
        ),
        ...anyone,
        params: schema.SlugParams,
        body: schema.SignBody,
        response: { 202: schema.SignAccepted, 403: E, 404: E, 409: E, 422: E, 429: E },
      },
    },
    async (req: FastifyRequest<{ Params: { slug: string }; Body: SignatureInput }>, reply) => {
      const declaration = await found(req.params.slug, req.lang);
      const outcome = await signing.sign(declaration, req.body, { ip: req.ip, lang: req.lang });
      if (!outcome.ok) throwApiFailure(outcome);
      return reply.status(202).send({ status: outcome.value.status, message: req.t('declaration.checkEmail.short') });
    },
  );

  app.post(
    '/api/v1/declaration-signatures/confirm',
    {
      config: { ...confirmLimit, csrf: 'anonymous-ok' },
      schema: {
        ...doc('confirmSignature', 'Confirm a signature with the token from the e-mail', 'Using the token again answers already-confirmed and counts nothing twice. An expired token answers 409; an unknown or replaced one 404.'),
        ...anyone,
        body: schema.ConfirmBody,
        response: { 200: schema.Confirmed, 404: E, 409: E, 422: E, 429: E },
      },
    },
    async (req: FastifyRequest<{ Body: { token: string } }>) => {
      const outcome = await signing.confirm(req.body.token);
      if (!outcome.ok) throwApiFailure(outcome);
      return { status: outcome.value.status, declaration: outcome.value.slug };
    },
  );

  app.get(
    '/api/v1/declarations/:slug/counts',
    {
      schema: {
        ...doc('getDeclarationCounts', 'The live total and the totals per country', 'Only confirmed signatures that were not marked count. Computed in batches; never more than a few seconds old.'),
        ...anyone,
        params: schema.SlugParams,
        response: { 200: schema.Counts, 404: E },
      },
    },
    async (req: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      const declaration = await found(req.params.slug, req.lang);
      const figures = await counts.read(declaration.id);
      void reply.header('cache-control', 'public, max-age=2');
      return { declaration: declaration.slug, ...figures };
    },
  );
}
