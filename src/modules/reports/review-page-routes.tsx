/** The reviewers' pages: work queues and the report page with its forms (post-redirect-get, CSRF on every form). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserActor } from '../../core/auth/actor.ts';
import { countryName } from '../../core/countries.ts';
import { pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure, FieldErrors } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { localisedTaxonomy } from '../indicators/index.ts';
import * as review from './review.ts';
import type { ReportsDeps } from './submission.ts';
import { QueuePage } from './views/review/queue-page.tsx';
import { ReportPage } from './views/review/report-page.tsx';
import type { ActionValues } from './views/review/report-actions.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Params: { id: string; country: string }; Body: Form | undefined; Querystring: Record<string, string | undefined> }>;

const formLimit = perAddressLimit(60, 60_000);
const NOTICES = new Set(['triaged', 'graded', 'assigned', 'noted', 'merged', 'rejected', 'closed', 'reopened']);
const QUERY_FIELDS = ['status', 'exploitationType', 'indicator', 'receivedFrom', 'receivedTo', 'placeType', 'assigned', 'unread', 'after'] as const;

const text = (body: Form | undefined): ActionValues => Object.fromEntries(Object.entries(body ?? {}).flatMap(([k, v]) => (typeof v === 'string' && k !== '_csrf' ? [[k, v]] : [])));

function queueQuery(query: Record<string, string | undefined>): review.QueueQuery {
  const picked: review.QueueQuery = {};
  for (const field of QUERY_FIELDS) if (typeof query[field] === 'string' && query[field] !== '') picked[field] = query[field];
  return picked;
}

export function reviewPageRoutes(app: FastifyInstance, service: ReportsDeps): void {
  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key =
      failure.reason === 'invalid' ? (Object.values(failure.errors)[0] ?? 'errors.invalidRequest') : (failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`);
    return sendPage(req, reply, { status, title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t(key)} /> });
  };

  const queuePage = (req: Req, reply: FastifyReply, title: string, path: string, outcome: { ok: true; value: review.QueuePage } | Failure, intro?: string) => {
    const query = queueQuery(req.query);
    if (!outcome.ok && outcome.reason !== 'invalid') return refuse(req, reply, outcome);
    const page = outcome.ok ? outcome.value : { items: [], next: null };
    return sendPage(req, reply, {
      status: outcome.ok ? 200 : 422,
      title,
      body: (view) => <QueuePage view={view} title={title} intro={intro} path={path} items={page.items} next={page.next} query={query} errors={outcome.ok ? undefined : outcome.errors} taxonomy={localisedTaxonomy(view.lang)} />,
    });
  };

  app.get('/groups/:id/reports', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await review.listGroupReports(service, actor, req.params.id, queueQuery(req.query));
    if (!outcome.ok && outcome.reason !== 'invalid') return refuse(req, reply, outcome);
    // A filter that does not parse: the caller may review this group (that was checked first), so ask again without filters for its name.
    const unfiltered = outcome.ok ? outcome : await review.listGroupReports(service, actor, req.params.id, {});
    const title = req.t('reports.review.queue.title', { name: unfiltered.ok ? unfiltered.value.group.name : '' });
    return queuePage(req, reply, title, `/groups/${req.params.id}/reports`, outcome);
  });

  app.get('/countries/:country/reports', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const country = req.params.country.toUpperCase();
    const outcome = await review.listNationalInbox(service, actor, country, queueQuery(req.query));
    const title = req.t('reports.review.queue.nationalTitle', { country: /^[A-Z]{2}$/.test(country) ? countryName(country, req.lang) : country });
    return queuePage(req, reply, title, `/countries/${country}/reports`, outcome, req.t('reports.review.queue.nationalIntro'));
  });

  async function reportPage(req: Req, reply: FastifyReply, actor: UserActor, extra: { status?: number; errors?: FieldErrors; values?: ActionValues; warnings?: review.SummaryWarning[] } = {}) {
    const opened = await review.openReport(service, actor, req.params.id);
    if (!opened.ok) return refuse(req, reply, opened);
    const notice = typeof req.query.notice === 'string' && NOTICES.has(req.query.notice) ? `reports.review.notices.${req.query.notice}` : undefined;
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: req.t('reports.review.page.title', { reference: opened.value.report.reference }),
      body: (view) => (
        <ReportPage view={view} opened={opened.value} taxonomy={localisedTaxonomy(view.lang)} notice={extra.status ? undefined : notice} errors={extra.errors} values={extra.values} warnings={extra.warnings} />
      ),
    });
  }

  app.get('/reports/:id', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    return reportPage(req, reply, actor);
  });

  /** A form on the report page: on success back to the page with a notice; on bad input the page again with messages and what was typed. */
  const action = (path: string, notice: string, run: (actor: UserActor, req: Req, form: ActionValues) => Promise<{ ok: true; value: review.ReportState } | Failure | review.SummaryWarnings>, errorField?: string) =>
    app.post(`/reports/:id/${path}`, { config: formLimit }, async (req: Req, reply) => {
      const actor = pageUser(req, reply);
      if (!actor) return reply;
      const form = text(req.body);
      const outcome = await run(actor, req, form);
      if (outcome.ok) return redirect(reply, `/reports/${outcome.value.id}?notice=${notice}`);
      if (outcome.reason === 'warnings') return reportPage(req, reply, actor, { status: 422, values: form, warnings: outcome.warnings, errors: { summary: 'reports.review.errors.summaryWarnings' } });
      if (outcome.reason === 'invalid') {
        const errors = errorField && outcome.errors.note ? { [errorField]: outcome.errors.note } : outcome.errors;
        return reportPage(req, reply, actor, { status: 422, errors, values: form });
      }
      return refuse(req, reply, outcome);
    });

  action('triage', 'triaged', (actor, req) => review.triageReport(service, actor, req.params.id));
  action('assign', 'assigned', (actor, req, form) => review.assignReport(service, actor, req.params.id, form.assignee === 'me' ? actor.userId : form.assignee?.trim() || null));
  action('notes', 'noted', (actor, req, form) => review.addNote(service, actor, req.params.id, form.note ?? ''));
  action('grade', 'graded', (actor, req, form) =>
    review.gradeReport(service, actor, req.params.id, {
      source: form.source,
      assessment: form.assessment,
      handling: form.handling,
      conditions: form.conditions,
      priority: form.priority,
      summary: form.summary,
      acknowledgeWarnings: form.acknowledgeWarnings === 'true',
    }),
  );
  action('merge', 'merged', (actor, req, form) => review.mergeReport(service, actor, req.params.id, form.target ?? ''));
  action('reject', 'rejected', (actor, req, form) => review.rejectReport(service, actor, req.params.id, form.rejectNote), 'rejectNote');
  action('close', 'closed', (actor, req, form) => review.closeReport(service, actor, req.params.id, form.closeNote), 'closeNote');
  action('reopen', 'reopened', (actor, req, form) => review.reopenReport(service, actor, req.params.id, form.reopenNote), 'reopenNote');
}
