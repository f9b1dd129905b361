/** Public pages of the chocolate campaign: scorecard, company pages, commitments, guide, the action e-mail and the reply question. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure } from '../../core/outcome.ts';
import { checkForm } from '../../core/validation.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import * as action from './action.ts';
import type { ChocolateDeps } from './deps.ts';
import * as review from './review.ts';
import * as schema from './schema.ts';
import * as scorecard from './scorecard.ts';
import { ActionPage, ConfirmedPage, ConfirmPage, ReplyPage, type ActionValues } from './views/action-pages.tsx';
import { CommitmentsPage, CompanyPage } from './views/company-pages.tsx';
import { GuidePage } from './views/guide-page.tsx';
import { ScorecardPage } from './views/scorecard-page.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Body: Form; Params: { slug: string; token: string }; Querystring: Record<string, string | string[] | undefined> }>;

export const formLimit = perAddressLimit(20, 60_000);
const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);
const list = (value: string | string[] | undefined) => (value === undefined ? [] : ([] as string[]).concat(value));

export function messagePage(req: FastifyRequest, reply: FastifyReply, status: number, titleKey: string, messageKey: string, action?: { href: string; labelKey: string }) {
  return sendPage(req, reply, {
    status,
    title: req.t(titleKey),
    body: (view) => <MessagePage title={view.t(titleKey)} message={view.t(messageKey)} action={action ? { href: action.href, label: view.t(action.labelKey) } : undefined} />,
  });
}

export function refuse(req: FastifyRequest, reply: FastifyReply, failure: Failure) {
  const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
  const key = failure.reason === 'invalid' ? (Object.values(failure.errors)[0] ?? 'errors.invalidRequest') : (failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`);
  return messagePage(req, reply, status, 'errors.pageTitle', key, { href: '/chocolate', labelKey: 'chocolate.scorecard.title' });
}

export async function chocolatePageRoutes(app: FastifyInstance, deps: ChocolateDeps): Promise<void> {
  app.get('/chocolate', async (req: Req, reply) => {
    const query = {
      country: one(req.query.country),
      q: one(req.query.q),
      year: one(req.query.year),
      sort: one(req.query.sort),
      dir: one(req.query.dir),
      criterion: one(req.query.criterion),
      grade: one(req.query.grade),
      page: one(req.query.page),
      perPage: one(req.query.perPage),
    };
    const outcome = await scorecard.scorecard(deps, query);
    if (outcome.ok) return sendPage(req, reply, { title: req.t('chocolate.scorecard.title'), body: (view) => <ScorecardPage view={view} card={outcome.value} /> });
    if (outcome.reason !== 'invalid') return refuse(req, reply, outcome);
    // Bad filters: the table unfiltered, with the filter form saying what was wrong.
    const plain = await scorecard.scorecard(deps, {});
    if (!plain.ok) return refuse(req, reply, plain);
    return sendPage(req, reply, { status: 422, title: req.t('chocolate.scorecard.title'), body: (view) => <ScorecardPage view={view} card={plain.value} errors={outcome.errors} /> });
  });

  app.get('/chocolate/companies/:slug', async (req: Req, reply) => {
    const outcome = await scorecard.companyPage(deps, req.params.slug);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, { title: outcome.value.company.name, body: (view) => <CompanyPage view={view} data={outcome.value} /> });
  });

  app.get('/chocolate/commitments', async (req, reply) => {
    const commitments = await scorecard.commitments(deps);
    return sendPage(req, reply, { title: req.t('chocolate.commitments.title'), body: (view) => <CommitmentsPage view={view} commitments={commitments} /> });
  });

  app.get('/chocolate/guide', async (req: Req, reply) => {
    const outcome = await scorecard.guide(deps, one(req.query.country));
    if (outcome.ok) return sendPage(req, reply, { title: req.t('chocolate.guide.title'), body: (view) => <GuidePage view={view} data={outcome.value} /> });
    const plain = await scorecard.guide(deps);
    if (outcome.reason !== 'invalid' || !plain.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, { status: 422, title: req.t('chocolate.guide.title'), body: (view) => <GuidePage view={view} data={plain.value} errors={outcome.errors} /> });
  });

  // ---------------------------------------------------------------- the action e-mail

  async function actionPage(req: Req, reply: FastifyReply, values: ActionValues | undefined, status = 200, errors?: Record<string, string>) {
    const [form, totals] = await Promise.all([action.actionForm(deps), action.actionTotals(deps)]);
    if (!form.ok) return refuse(req, reply, form);
    const chosen = one(req.query.company);
    const start: ActionValues = values ?? { companies: chosen ? [chosen] : form.value.companies.filter((c) => c.suggested).map((c) => c.slug) };
    return sendPage(req, reply, {
      status,
      title: req.t('chocolate.action.title'),
      body: (view) => <ActionPage view={view} form={form.value} totals={totals.ok ? totals.value : undefined} values={start} errors={errors} />,
    });
  }

  app.get('/chocolate/action', (req: Req, reply) => actionPage(req, reply, undefined));

  app.post('/chocolate/action', { config: formLimit }, async (req: Req, reply) => {
    const form = checkForm(schema.ActionForm, req.body);
    const values: ActionValues = { companies: list(req.body?.companies), subject: one(req.body?.subject) ?? '', message: one(req.body?.message) ?? '', name: one(req.body?.name), email: one(req.body?.email) };
    if (!form.ok) return actionPage(req, reply, values, 422, form.errors);
    const { value } = form;
    const outcome = await action.startActionEmail(deps, { companies: list(value.companies), name: value.name ?? '', email: value.email ?? '', subject: value.subject ?? '', message: value.message ?? '', language: req.lang });
    if (outcome.ok) return redirect(reply, '/chocolate/action/check-email');
    if (outcome.reason === 'invalid') return actionPage(req, reply, values, 422, outcome.errors);
    return refuse(req, reply, outcome);
  });

  app.get('/chocolate/action/check-email', (req, reply) => messagePage(req, reply, 200, 'chocolate.checkEmail.title', 'chocolate.checkEmail.message', { href: '/chocolate/guide', labelKey: 'chocolate.guide.title' }));

  // The link in the e-mail opens a page; only its button confirms (link scanners follow links, they do not press buttons).
  app.get('/chocolate/action/confirm/:token', async (req: Req, reply) => {
    const outcome = await action.pendingAction(deps, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, { title: req.t('chocolate.confirm.title'), body: (view) => <ConfirmPage view={view} token={req.params.token} pending={outcome.value} /> });
  });

  app.post('/chocolate/action/confirm/:token', { config: formLimit }, async (req: Req, reply) => {
    const outcome = await action.confirmActionEmail(deps, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, { title: req.t('chocolate.confirmed.title'), body: (view) => <ConfirmedPage view={view} result={outcome.value} /> });
  });

  app.get('/chocolate/replies/:token', async (req: Req, reply) => {
    const outcome = await review.replyQuestion(deps, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, { title: req.t('chocolate.reply.title', { company: outcome.value.companyName }), body: (view) => <ReplyPage view={view} token={req.params.token} companyName={outcome.value.companyName} /> });
  });

  app.post('/chocolate/replies/:token', { config: formLimit }, async (req: Req, reply) => {
    const form = checkForm(schema.ReplyForm, req.body);
    const outcome = form.ok ? await review.recordReply(deps, req.params.token, form.value.reply) : ({ ok: false, reason: 'invalid', errors: form.errors } as const);
    if (outcome.ok) return messagePage(req, reply, 200, 'chocolate.reply.thanksTitle', 'chocolate.reply.thanks', { href: '/chocolate/action', labelKey: 'chocolate.totals.title' });
    if (outcome.reason === 'invalid') {
      const question = await review.replyQuestion(deps, req.params.token);
      if (!question.ok) return refuse(req, reply, question);
      return sendPage(req, reply, { status: 422, title: req.t('chocolate.reply.title', { company: question.value.companyName }), body: (view) => <ReplyPage view={view} token={req.params.token} companyName={question.value.companyName} errors={outcome.errors} /> });
    }
    return refuse(req, reply, outcome);
  });
}
