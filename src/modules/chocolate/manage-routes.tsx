/** Editors' pages: grades, CSV import and export, commitments, and the review of held messages. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../../core/auth/authorise.ts';
import type { UserActor } from '../../core/auth/actor.ts';
import { pageUser } from '../../core/http/guards.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { FieldErrors, Outcome } from '../../core/outcome.ts';
import { checkForm } from '../../core/validation.ts';
import type { ChocolateDeps } from './deps.ts';
import * as data from './editor-data.ts';
import * as editing from './editing.ts';
import { formLimit, refuse } from './page-routes.tsx';
import * as review from './review.ts';
import * as schema from './schema.ts';
import * as scorecard from './scorecard.ts';
import { HeldPage, ManagePage, type ManageProps } from './views/manage-pages.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Body: Form; Params: { id: string; dataset: string }; Querystring: { notice?: string; rows?: string } }>;

const NOTICES = new Set(['assessment', 'imported', 'commitment', 'event', 'saved', 'deleted']);

/** The signed-in editor, or undefined after answering (sign-in redirect, or 403). */
export function editorActor(req: FastifyRequest, reply: FastifyReply, permission: 'chocolate.edit' | 'chocolate.review' = 'chocolate.edit'): UserActor | undefined {
  const actor = pageUser(req, reply);
  if (!actor) return undefined;
  if (!can(actor, permission)) {
    void refuse(req, reply, { ok: false, reason: 'forbidden' });
    return undefined;
  }
  return actor;
}

/** A form's text fields (a repeated field counts as absent). */
export const text = (values: Form | undefined): Record<string, string | undefined> => Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));

export async function chocolateManageRoutes(app: FastifyInstance, deps: ChocolateDeps): Promise<void> {
  async function managePage(req: Req, reply: FastifyReply, extra: Partial<ManageProps> & { status?: number } = {}) {
    const [lists, commitments] = await Promise.all([editing.editorLists(deps), scorecard.commitments(deps)]);
    const { status, ...props } = extra;
    const notice = typeof req.query.notice === 'string' && NOTICES.has(req.query.notice) ? req.t(`chocolate.manage.notices.${req.query.notice}`, { count: Number(req.query.rows ?? 0) }) : undefined;
    return sendPage(req, reply, {
      status: status ?? 200,
      title: req.t('chocolate.manage.title'),
      body: (view) => <ManagePage view={view} lists={lists} companies={lists.companies} criteria={lists.criteria} commitments={commitments} notice={notice} {...props} />,
    });
  }

  /** Runs an editor's form: success redirects with a notice; bad input shows the page again with that form's messages (422). */
  const editorForm =
    (formName: (req: Req) => NonNullable<ManageProps['form']>, run: (actor: UserActor, req: Req) => Promise<Outcome<unknown>>, done: (req: Req, value: unknown) => string) => async (req: Req, reply: FastifyReply) => {
      const actor = editorActor(req, reply);
      if (!actor) return reply;
      const outcome = await run(actor, req);
      if (outcome.ok) return redirect(reply, done(req, outcome.value));
      if (outcome.reason === 'invalid') return managePage(req, reply, { status: 422, form: formName(req), errors: outcome.errors, values: text(req.body) });
      return refuse(req, reply, outcome);
    };
  const formErrors = (errors: FieldErrors) => ({ ok: false as const, reason: 'invalid' as const, errors });

  app.get('/chocolate/manage', async (req: Req, reply) => {
    if (!editorActor(req, reply)) return reply;
    return managePage(req, reply);
  });

  app.post(
    '/chocolate/manage/assessments',
    { config: formLimit },
    editorForm(
      () => 'assessment',
      async (actor, req) => {
        const form = checkForm(schema.AssessmentForm, req.body);
        return form.ok ? scorecard.upsertAssessment(deps, actor, form.value) : formErrors(form.errors);
      },
      () => '/chocolate/manage?notice=assessment',
    ),
  );

  app.post(
    '/chocolate/manage/import',
    { config: formLimit },
    editorForm(
      () => 'import',
      async (actor, req) => {
        const form = checkForm(schema.ImportForm, req.body);
        return form.ok ? data.importCsv(deps, actor, form.value.dataset, form.value.csv) : formErrors(form.errors);
      },
      (_req, value) => `/chocolate/manage?notice=imported&rows=${(value as { rows: number }).rows}`,
    ),
  );

  app.get('/chocolate/manage/export/:dataset', async (req: Req, reply) => {
    const actor = editorActor(req, reply);
    if (!actor) return reply;
    const outcome = await data.exportCsv(deps, actor, req.params.dataset);
    if (!outcome.ok) return refuse(req, reply, outcome.reason === 'invalid' ? { ok: false, reason: 'not-found' } : outcome);
    return reply
      .header('content-type', 'text/csv; charset=utf-8; header=present')
      .header('content-disposition', `attachment; filename="chocolate-${req.params.dataset}.csv"`)
      .header('cache-control', 'no-store')
      .send(outcome.value);
  });

  app.post(
    '/chocolate/manage/commitments',
    { config: formLimit },
    editorForm(
      () => 'commitment',
      async (actor, req) => {
        const form = checkForm(schema.CommitmentForm, req.body);
        return form.ok ? scorecard.addCommitment(deps, actor, form.value) : formErrors(form.errors);
      },
      () => '/chocolate/manage?notice=commitment',
    ),
  );

  app.post(
    '/chocolate/manage/commitments/:id/events',
    { config: formLimit },
    editorForm(
      (req) => `event-${req.params.id}`,
      async (actor, req) => {
        const form = checkForm(schema.CommitmentEventForm, req.body);
        return form.ok ? scorecard.addCommitmentEvent(deps, actor, req.params.id, form.value) : formErrors(form.errors);
      },
      () => '/chocolate/manage?notice=event',
    ),
  );

  app.get('/chocolate/manage/held', async (req: Req, reply) => {
    const actor = editorActor(req, reply, 'chocolate.review');
    if (!actor) return reply;
    const outcome = await review.heldRequests(deps, actor);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, { title: req.t('chocolate.held.title'), body: (view) => <HeldPage view={view} held={outcome.value} /> });
  });

  app.post('/chocolate/manage/held/:id', async (req: Req, reply) => {
    const actor = editorActor(req, reply, 'chocolate.review');
    if (!actor) return reply;
    const form = checkForm(schema.DecisionForm, req.body);
    const outcome = form.ok ? await review.decideHeld(deps, actor, req.params.id, form.value.decision) : formErrors(form.errors);
    if (outcome.ok) return redirect(reply, '/chocolate/manage/held');
    return refuse(req, reply, outcome);
  });
}
