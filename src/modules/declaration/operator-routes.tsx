/**
 * Pages for the people who run the declaration: editors manage declarations (`/declarations/manage`),
 * administrators the abuse controls (`/declarations/moderation`). Pages only: no API token reaches them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { pageUser } from '../../core/http/guards.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import { LANGUAGES } from '../../core/i18n.ts';
import type { Failure, FieldErrors } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import type { Module } from './module.ts';
import * as moderation from './moderation.ts';
import * as service from './service.ts';
import { EditPage, ManageListPage, valuesOf, type DeclarationFormValues } from './views/manage-pages.tsx';
import { ModerationPage } from './views/moderation-page.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Body: Form; Params: { id: string }; Querystring: { notice?: string; declaration?: string; hours?: string } }>;

const STATUS = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 } as const;
const MANAGE_NOTICES = new Set(['created', 'updated']);
const MODERATION_NOTICES = new Set(['settingsSaved', 'domainAdded', 'domainRemoved', 'invalidated']);

function text(body: Form | undefined): DeclarationFormValues {
  return Object.fromEntries(Object.entries(body ?? {}).flatMap(([k, v]) => (typeof v === 'string' && k !== '_csrf' ? [[k, v]] : [])));
}

function declarationInput(body: Form | undefined): service.DeclarationInput {
  const v = text(body);
  return {
    slug: v.slug,
    opensOn: v.opensOn,
    closesOn: v.closesOn,
    texts: Object.fromEntries(LANGUAGES.map((lang) => [lang, { title: v[`title_${lang}`], summary: v[`summary_${lang}`], body: v[`body_${lang}`] }])),
  };
}

export function operatorRoutes(app: FastifyInstance, module: Module): void {
  const { db } = module.deps;

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const key = failure.reason === 'invalid' ? 'errors.invalidRequest' : (failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`);
    return sendPage(req, reply, { status: STATUS[failure.reason], title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t(key)} /> });
  };

  // ------------------------------------------------------------ editors

  app.get('/declarations/manage', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await service.listForEditors(db, actor);
    if (!outcome.ok) return refuse(req, reply, outcome);
    const notice = req.query.notice && MANAGE_NOTICES.has(req.query.notice) ? `declaration.manage.notices.${req.query.notice}` : undefined;
    return sendPage(req, reply, {
      title: req.t('declaration.manage.title'),
      body: (view) => <ManageListPage view={view} declarations={outcome.value} notice={notice} canModerate={can(actor, 'declarations.moderate')} />,
    });
  });

  app.get('/declarations/manage/new', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    if (!can(actor, 'declarations.manage')) return refuse(req, reply, { ok: false, reason: 'forbidden' });
    return sendPage(req, reply, { title: req.t('declaration.manage.new'), body: (view) => <EditPage view={view} id={undefined} values={{ opensOn: new Date().toISOString().slice(0, 10) }} /> });
  });

  app.post('/declarations/manage', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await service.createDeclaration(db, actor, declarationInput(req.body));
    if (outcome.ok) {
      module.declarations.forget();
      return redirect(reply, '/declarations/manage?notice=created');
    }
    if (outcome.reason === 'invalid') return sendPage(req, reply, { status: 422, title: req.t('declaration.manage.new'), body: (view) => <EditPage view={view} id={undefined} values={text(req.body)} errors={outcome.errors} /> });
    return refuse(req, reply, outcome);
  });

  app.get('/declarations/manage/:id', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await service.getForEditors(db, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, { title: req.t('declaration.manage.edit'), body: (view) => <EditPage view={view} id={outcome.value.row.id} values={valuesOf(outcome.value)} /> });
  });

  app.post('/declarations/manage/:id', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await service.updateDeclaration(db, actor, req.params.id, declarationInput(req.body));
    if (outcome.ok) {
      module.declarations.forget();
      return redirect(reply, '/declarations/manage?notice=updated');
    }
    if (outcome.reason === 'invalid') return sendPage(req, reply, { status: 422, title: req.t('declaration.manage.edit'), body: (view) => <EditPage view={view} id={req.params.id} values={text(req.body)} errors={outcome.errors} /> });
    return refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ administrators

  async function moderationPage(req: Req, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors; values?: Record<string, string | undefined>; notice?: string } = {}) {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await moderation.moderationView(db, actor, { declarationId: req.query.declaration, hours: req.query.hours ? Number(req.query.hours) : undefined });
    if (!outcome.ok) return refuse(req, reply, outcome);
    const all = await service.listForEditors(db, actor);
    const declarations = all.ok ? all.value.map((d) => ({ id: d.row.id, slug: d.row.slug })) : [];
    const notice = extra.notice ?? (req.query.notice && MODERATION_NOTICES.has(req.query.notice) ? `declaration.moderation.notices.${req.query.notice}` : undefined);
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: req.t('declaration.moderation.title'),
      body: (view) => <ModerationPage view={view} model={outcome.value} declarations={declarations} errors={extra.errors} values={extra.values} notice={notice} />,
    });
  }

  app.get('/declarations/moderation', (req: Req, reply) => moderationPage(req, reply));

  /** Runs an operator action from a form: success back to the page with a notice, bad input the page again with messages. */
  const action =
    (run: (actor: UserActor, req: Req) => Promise<{ ok: true; value: unknown } | Failure>, notice: string, back: (req: Req) => string = () => '/declarations/moderation') =>
    async (req: Req, reply: FastifyReply) => {
      const actor = pageUser(req, reply);
      if (!actor) return reply;
      const outcome = await run(actor, req);
      if (outcome.ok) {
        module.abuse.forget();
        const target = back(req);
        return redirect(reply, `${target}${target.includes('?') ? '&' : '?'}notice=${notice}`);
      }
      if (outcome.reason === 'invalid') return moderationPage(req, reply, { status: 422, errors: outcome.errors, values: text(req.body) });
      return refuse(req, reply, outcome);
    };

  app.post('/declarations/moderation/settings', action((actor, req) => moderation.updateSettings(db, actor, text(req.body)), 'settingsSaved'));
  app.post('/declarations/moderation/domains', action((actor, req) => moderation.addDomainRule(db, actor, text(req.body)), 'domainAdded'));
  app.post('/declarations/moderation/domains/remove', action((actor, req) => moderation.removeDomainRule(db, actor, text(req.body)), 'domainRemoved'));
  app.post(
    '/declarations/moderation/invalidate',
    action(
      (actor, req) => moderation.invalidateSignatures(db, actor, text(req.body)),
      'invalidated',
      (req) => {
        const v = text(req.body);
        return `/declarations/moderation?declaration=${encodeURIComponent(v.declarationId ?? '')}&hours=${encodeURIComponent(v.hours ?? '24')}`;
      },
    ),
  );
}
