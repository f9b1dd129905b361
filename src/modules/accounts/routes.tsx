/** Pages and API of the accounts module: parse, call the service, map the outcome to a response. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import QRCode from 'qrcode';
import type { UserActor } from '../../core/auth/actor.ts';
import { passwordProblem } from '../../core/auth/passwords.ts';
import { totpUri } from '../../core/auth/totp.ts';
import type { Scope } from '../../core/auth/scopes.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, safeNext, sendPage } from '../../core/http/render.tsx';
import { cookieOptions, SESSION_COOKIE } from '../../core/http/request-context.ts';
import type { Failure } from '../../core/outcome.ts';
import { checkForm } from '../../core/validation.ts';
import type { AppDeps } from '../../core/app-deps.ts';
import * as schema from './schema.ts';
import * as accounts from './service.ts';
import { AccountPage, type AccountPageProps } from './views/account-page.tsx';
import { MessagePage } from '../../core/views/message-page.tsx';
import { CodePage, ForgotPasswordPage, ResetPasswordPage, SetupPage, SignInPage, SignUpPage } from './views/auth-pages.tsx';
import { TwoFactorSetupPage } from './views/two-factor-page.tsx';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { adminRoutes } from './admin-routes.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Body: Form; Params: { token: string; id: string }; Querystring: { next?: string; notice?: string } }>;

/** Password rules as a form check, so a weak password is reported with the form's other problems. */
const passwordRules = (field: string, emailField?: string) => (input: Record<string, unknown>) => {
  const password = input[field];
  const email = emailField ? input[emailField] : undefined;
  const problem = typeof password === 'string' ? passwordProblem(password, typeof email === 'string' ? email : undefined) : undefined;
  return problem ? { [field]: problem } : {};
};

const strictLimit = perAddressLimit(10, 60_000);
const formLimit = perAddressLimit(30, 60_000);

function text(values: Form | undefined): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

export async function accountsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service: accounts.AccountsDeps = { db: deps.database.db, keys: deps.keys, sealer: deps.sealer, jobs: deps.jobs, config: deps.config };
  const ttlSeconds = deps.config.sessionTtlHours * 3600;
  const startSession = (reply: FastifyReply, token: string) => reply.setCookie(SESSION_COOKIE, token, cookieOptions(deps.config, ttlSeconds));

  const message = (req: FastifyRequest, reply: FastifyReply, status: number, titleKey: string, messageKey: string, action?: { href: string; labelKey: string }) =>
    sendPage(req, reply, {
      status,
      title: req.t(titleKey),
      body: (view) => <MessagePage title={view.t(titleKey)} message={view.t(messageKey)} {...(action ? { action: { href: action.href, label: view.t(action.labelKey) } } : {})} />,
    });

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key = failure.reason !== 'invalid' && failure.message ? failure.message : `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`;
    return message(req, reply, status, 'errors.pageTitle', key);
  };

  // ------------------------------------------------------------ first-run setup

  app.get('/setup/:token', async (req: Req, reply) => {
    if (!(await accounts.isSetupLinkValid(service, req.params.token))) return message(req, reply, 404, 'setup.title', 'errors.linkExpired');
    return sendPage(req, reply, { title: req.t('setup.title'), body: (view) => <SetupPage view={view} token={req.params.token} /> });
  });

  app.post('/setup/:token', { config: strictLimit }, async (req: Req, reply) => {
    const form = checkForm(schema.SetupForm, req.body, passwordRules('password', 'email'));
    const outcome = form.ok ? await accounts.completeSetup(service, { ...form.value, token: req.params.token, language: req.lang }) : form;
    if (outcome.ok) {
      startSession(reply, outcome.value.sessionToken);
      return redirect(reply, '/account/two-factor');
    }
    if ('errors' in outcome) {
      return sendPage(req, reply, { status: 422, title: req.t('setup.title'), body: (view) => <SetupPage view={view} token={req.params.token} errors={outcome.errors} values={text(req.body)} /> });
    }
    return refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ sign-up

  app.get('/signup', async (req, reply) => sendPage(req, reply, { title: req.t('signUp.title'), body: (view) => <SignUpPage view={view} /> }));

  app.post('/signup', { config: strictLimit }, async (req: Req, reply) => {
    const form = checkForm(schema.SignUpForm, req.body, passwordRules('password', 'email'));
    const outcome = form.ok ? await accounts.signUp(service, { ...form.value, language: req.lang }) : form;
    if (outcome.ok) return message(req, reply, 200, 'signUp.sentTitle', 'signUp.sent');
    if ('errors' in outcome) {
      return sendPage(req, reply, { status: 422, title: req.t('signUp.title'), body: (view) => <SignUpPage view={view} errors={outcome.errors} values={text(req.body)} /> });
    }
    return refuse(req, reply, outcome);
  });

  app.get('/confirm-email/:token', async (req: Req, reply) => {
    const outcome = await accounts.confirmEmail(service, req.params.token);
    if (!outcome.ok) return message(req, reply, 404, 'confirm.failedTitle', 'errors.linkExpired', { href: '/signin', labelKey: 'nav.signIn' });
    return message(req, reply, 200, 'confirm.title', 'confirm.done', { href: '/signin', labelKey: 'nav.signIn' });
  });

  // ------------------------------------------------------------ sign-in and sign-out

  app.get('/signin', async (req: Req, reply) => {
    if (req.actor.kind === 'user' && req.actor.stage === 'full') return redirect(reply, safeNext(req.query.next));
    return sendPage(req, reply, { title: req.t('signIn.title'), body: (view) => <SignInPage view={view} next={safeNext(req.query.next)} /> });
  });

  app.post('/signin', { config: formLimit }, async (req: Req, reply) => {
    const next = safeNext(req.query.next);
    const form = checkForm(schema.SignInForm, req.body);
    const outcome = form.ok ? await accounts.signIn(service, { ...form.value, address: req.ip }) : form;
    if (outcome.ok) {
      startSession(reply, outcome.value.sessionToken);
      const destination = { full: next, totp: `/signin/code?next=${encodeURIComponent(next)}`, enrol: '/account/two-factor' }[outcome.value.stage];
      return redirect(reply, destination);
    }
    if ('errors' in outcome) {
      return sendPage(req, reply, { status: 422, title: req.t('signIn.title'), body: (view) => <SignInPage view={view} next={next} errors={outcome.errors} values={{ email: text(req.body).email }} /> });
    }
    return refuse(req, reply, outcome);
  });

  app.get('/signin/code', async (req: Req, reply) => {
    if (req.actor.kind !== 'user' || req.actor.stage !== 'totp') return redirect(reply, '/signin');
    return sendPage(req, reply, { title: req.t('signInCode.title'), body: (view) => <CodePage view={view} next={safeNext(req.query.next)} /> });
  });

  app.post('/signin/code', { config: formLimit }, async (req: Req, reply) => {
    const actor = req.actor;
    if (actor.kind !== 'user' || actor.stage !== 'totp' || !req.sessionToken) return redirect(reply, '/signin');
    const next = safeNext(req.query.next);
    const form = checkForm(schema.CodeForm, req.body);
    const outcome = form.ok ? await accounts.verifySignInCode(service, actor, req.sessionToken, form.value.code) : form;
    if (outcome.ok) {
      startSession(reply, outcome.value.sessionToken);
      return redirect(reply, next);
    }
    if ('errors' in outcome) {
      return sendPage(req, reply, { status: 422, title: req.t('signInCode.title'), body: (view) => <CodePage view={view} next={next} errors={outcome.errors} /> });
    }
    return refuse(req, reply, outcome);
  });

  app.post('/signout', async (req, reply) => {
    if (req.actor.kind === 'user' && req.sessionToken) await accounts.signOut(service, req.actor, req.sessionToken);
    void reply.clearCookie(SESSION_COOKIE, cookieOptions(deps.config));
    return redirect(reply, '/');
  });

  // ------------------------------------------------------------ passwords

  app.get('/password/forgot', async (req, reply) => sendPage(req, reply, { title: req.t('forgot.title'), body: (view) => <ForgotPasswordPage view={view} /> }));

  app.post('/password/forgot', { config: strictLimit }, async (req: Req, reply) => {
    const form = checkForm(schema.ForgotPasswordForm, req.body);
    if (!form.ok) {
      return sendPage(req, reply, { status: 422, title: req.t('forgot.title'), body: (view) => <ForgotPasswordPage view={view} errors={form.errors} values={text(req.body)} /> });
    }
    await accounts.requestPasswordReset(service, { email: form.value.email, language: req.lang });
    return message(req, reply, 200, 'forgot.sentTitle', 'forgot.sent');
  });

  app.get('/password/reset/:token', async (req: Req, reply) => {
    if (!(await accounts.isResetLinkValid(service, req.params.token))) return message(req, reply, 404, 'reset.title', 'errors.linkExpired', { href: '/password/forgot', labelKey: 'forgot.title' });
    return sendPage(req, reply, { title: req.t('reset.title'), body: (view) => <ResetPasswordPage view={view} token={req.params.token} /> });
  });

  app.post('/password/reset/:token', { config: strictLimit }, async (req: Req, reply) => {
    const form = checkForm(schema.ResetPasswordForm, req.body, passwordRules('password'));
    const outcome = form.ok ? await accounts.resetPassword(service, { token: req.params.token, password: form.value.password }) : form;
    if (outcome.ok) return message(req, reply, 200, 'reset.doneTitle', 'reset.done', { href: '/signin', labelKey: 'nav.signIn' });
    if ('errors' in outcome) {
      return sendPage(req, reply, { status: 422, title: req.t('reset.title'), body: (view) => <ResetPasswordPage view={view} token={req.params.token} errors={outcome.errors} /> });
    }
    return message(req, reply, 404, 'reset.title', 'errors.linkExpired', { href: '/password/forgot', labelKey: 'forgot.title' });
  });

  // ------------------------------------------------------------ account page

  async function accountPage(req: FastifyRequest, reply: FastifyReply, actor: UserActor, extra: Partial<AccountPageProps> & { status?: number } = {}) {
    const summary = await accounts.accountSummary(service, actor);
    const tokens = await accounts.listTokens(service, actor);
    if (!summary.ok || !tokens.ok) return refuse(req, reply, (summary.ok ? tokens : summary) as Failure);
    const { status, ...props } = extra;
    return sendPage(req, reply, {
      status: status ?? 200,
      title: req.t('account.title'),
      body: (view) => <AccountPage view={view} account={summary.value} tokens={tokens.value} {...props} />,
    });
  }

  app.get('/account', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const notice = typeof req.query.notice === 'string' && /^[a-zA-Z]+$/.test(req.query.notice) ? `account.notices.${req.query.notice}` : undefined;
    return accountPage(req, reply, actor, { notice });
  });

  app.post('/account/password', { config: strictLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.ChangePasswordForm, req.body, passwordRules('newPassword'));
    const outcome = form.ok ? await accounts.changePassword(service, actor, req.sessionToken, form.value) : form;
    if (outcome.ok) return redirect(reply, '/account?notice=passwordChanged');
    if ('errors' in outcome) return accountPage(req, reply, actor, { status: 422, passwordErrors: outcome.errors });
    return refuse(req, reply, outcome);
  });

  app.post('/account/tokens', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.CreateTokenForm, req.body);
    const outcome = form.ok
      ? await accounts.createToken(service, actor, { name: form.value.name, scopes: ([] as Scope[]).concat(form.value.scopes) })
      : form;
    if (outcome.ok) return accountPage(req, reply, actor, { status: 201, newToken: outcome.value.token });
    if ('errors' in outcome) return accountPage(req, reply, actor, { status: 422, tokenErrors: outcome.errors, tokenName: text(req.body).name });
    return refuse(req, reply, outcome);
  });

  app.post('/account/tokens/:id/revoke', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await accounts.revokeToken(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return redirect(reply, '/account?notice=tokenRevoked');
  });

  // ------------------------------------------------------------ two-factor

  async function twoFactorPage(req: FastifyRequest, reply: FastifyReply, actor: UserActor, errors?: Record<string, string>) {
    const pending = await accounts.pendingTwoFactorSecret(service, actor);
    if (!pending.ok) return refuse(req, reply, pending);
    if (pending.value.enabled) return redirect(reply, '/account');
    const qrSvg = await QRCode.toString(totpUri(pending.value.secret, actor.email), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return sendPage(req, reply, {
      status: errors ? 422 : 200,
      title: req.t('twoFactor.title'),
      body: (view) => <TwoFactorSetupPage view={view} secret={pending.value.secret} qrSvg={qrSvg} errors={errors} required={actor.stage === 'enrol'} />,
    });
  }

  app.get('/account/two-factor', async (req, reply) => {
    const actor = pageUser(req, reply, { allowEnrolment: true });
    if (!actor) return reply;
    return twoFactorPage(req, reply, actor);
  });

  app.post('/account/two-factor', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply, { allowEnrolment: true });
    if (!actor) return reply;
    const form = checkForm(schema.CodeForm, req.body);
    const outcome = form.ok ? await accounts.enableTwoFactor(service, actor, req.sessionToken, form.value.code) : form;
    if (outcome.ok) {
      if (outcome.value.sessionToken) startSession(reply, outcome.value.sessionToken);
      return redirect(reply, '/account?notice=twoFactorEnabled');
    }
    if ('errors' in outcome) return twoFactorPage(req, reply, actor, outcome.errors);
    return refuse(req, reply, outcome);
  });

  app.post('/account/two-factor/disable', { config: strictLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.DisableTwoFactorForm, req.body);
    const outcome = form.ok ? await accounts.disableTwoFactor(service, actor, form.value) : form;
    if (outcome.ok) return redirect(reply, '/account?notice=twoFactorDisabled');
    if ('errors' in outcome) return accountPage(req, reply, actor, { status: 422, disableErrors: outcome.errors });
    return refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ JSON API

  const errors = { 401: schema.ErrorResponse, 403: schema.ErrorResponse, 422: schema.ErrorResponse };

  app.get('/api/v1/me', { schema: { operationId: 'getMe', summary: 'The account behind the token', tags: ['accounts'], response: { 200: schema.Me, ...errors } } }, async (req) => {
    const outcome = await accounts.accountSummary(service, apiUser(req));
    if (!outcome.ok) return throwApiFailure(outcome);
    const { twoFactorRequired: _required, ...me } = outcome.value;
    return me;
  });

  app.get('/api/v1/tokens', { schema: { operationId: 'listTokens', summary: 'Your personal API tokens', tags: ['accounts'], response: { 200: Type.Array(schema.TokenView), ...errors } } }, async (req) => {
    const outcome = await accounts.listTokens(service, apiUser(req));
    if (!outcome.ok) return throwApiFailure(outcome);
    return outcome.value.map((token) => ({
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      scopes: token.scopes,
      createdAt: new Date(token.created_at).toISOString(),
      lastUsedAt: token.last_used_at ? new Date(token.last_used_at).toISOString() : null,
      revokedAt: token.revoked_at ? new Date(token.revoked_at).toISOString() : null,
    }));
  });

  app.post<{ Body: { name: string; scopes: Scope[] } }>(
    '/api/v1/tokens',
    { config: formLimit, schema: { operationId: 'createToken', summary: 'Create a personal API token (shown once)', tags: ['accounts'], body: schema.CreateTokenBody, response: { 201: schema.CreatedToken, ...errors } } },
    async (req, reply) => {
      const outcome = await accounts.createToken(service, apiUser(req), req.body);
      if (!outcome.ok) return throwApiFailure(outcome);
      return reply.status(201).send(outcome.value);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/tokens/:id',
    { schema: { operationId: 'revokeToken', summary: 'Revoke a personal API token', tags: ['accounts'], params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null(), ...errors, 404: schema.ErrorResponse } } },
    async (req, reply) => {
      const outcome = await accounts.revokeToken(service, apiUser(req), req.params.id);
      if (!outcome.ok) return throwApiFailure(outcome);
      return reply.status(204).send();
    },
  );

  await adminRoutes(app, { db: deps.database.db });
}
