/** The sharing module's pages: parse, call the service, render or redirect (post-redirect-get). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserActor } from '../../core/auth/actor.ts';
import { pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure } from '../../core/outcome.ts';
import { checkForm } from '../../core/validation.ts';
import { groupsCoordinatedBy } from '../groups/index.ts';
import { partnersOfUser } from '../partners/index.ts';
import { groupOutcomeSummary, outcomeTotals } from './outcomes.ts';
import { disclosurePdf } from './pdf.ts';
import * as schema from './schema.ts';
import * as sharing from './service.ts';
import { builderChoices, groupSettings, setDisclosureTerms, setSecondApproval } from './settings.ts';
import { BuilderPage, type BuilderPageProps } from './views/builder-page.tsx';
import { DisclosurePage, type DisclosurePageProps } from './views/disclosure-page.tsx';
import { DisclosuresPage } from './views/disclosures-page.tsx';
import { GroupOutcomesPage, NationalOutcomesPage } from './views/outcomes-pages.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Body: Form; Params: { id: string; country: string }; Querystring: { notice?: string; partnership?: string } }>;

const formLimit = perAddressLimit(30, 60_000);
const LIST_NOTICES = new Set(['settingsSaved']);
const DISCLOSURE_NOTICES = new Set(['created', 'sent', 'approved', 'acknowledged', 'outcomeRecorded']);
const BUILDER_NOTICES = new Set(['termsSaved']);
const all = (value: string | string[] | undefined) => ([] as string[]).concat(value ?? []);
const text = (values: Form | undefined) => Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
const noticeOf = (value: unknown, allowed: Set<string>) => (typeof value === 'string' && allowed.has(value) ? `sharing.notices.${value}` : undefined);

export function sharingPageRoutes(app: FastifyInstance, service: sharing.SharingDeps): void {
  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key = failure.reason !== 'invalid' && failure.message ? failure.message : `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason === 'invalid' ? 'invalidRequest' : failure.reason}`;
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

  app.get('/disclosures', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const [groupIds, partnerIds] = await Promise.all([groupsCoordinatedBy(service.db, actor.userId), partnersOfUser(service.db, actor.userId)]);
    const [listed, received] = await Promise.all([sharing.listDisclosures(service, actor, groupIds, []), sharing.listPartnerDisclosures(service, actor, partnerIds)]);
    if (!listed.ok) return refuse(req, reply, listed);
    const groups: { groupId: string; groupName: string; secondApproval: boolean }[] = [];
    for (const groupId of groupIds) {
      const settings = await groupSettings(service, actor, groupId);
      if (settings.ok) groups.push(settings.value);
    }
    const choices = await builderChoices(service, actor);
    return sendPage(req, reply, {
      title: req.t('sharing.list.title'),
      body: (view) => (
        <DisclosuresPage view={view} sent={listed.value} received={received.ok ? received.value : []} groups={groups} canBuild={choices.ok && choices.value.partnerships.length > 0} notice={noticeOf(req.query.notice, LIST_NOTICES)} />
      ),
    });
  });

  app.post('/groups/:id/sharing-settings', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.SettingsForm, req.body);
    if (!form.ok) return refuse(req, reply, { ok: false, reason: 'invalid', errors: form.errors });
    const outcome = await setSecondApproval(service, actor, req.params.id, form.value.secondApproval === 'on');
    if (!outcome.ok) return refuse(req, reply, outcome);
    return redirect(reply, '/disclosures?notice=settingsSaved');
  });

  async function builderPage(req: Req, reply: FastifyReply, actor: UserActor, partnershipId: string | undefined, extra: Omit<BuilderPageProps, 'view' | 'choices'> & { status?: number } = {}) {
    const choices = await builderChoices(service, actor, partnershipId);
    if (!choices.ok) return refuse(req, reply, choices);
    const { status, ...props } = extra;
    return sendPage(req, reply, { status: status ?? 200, title: req.t('sharing.builder.title'), body: (view) => <BuilderPage view={view} choices={choices.value} {...props} /> });
  }

  app.get('/disclosures/new', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const partnership = typeof req.query.partnership === 'string' && req.query.partnership !== '' ? req.query.partnership : undefined;
    return builderPage(req, reply, actor, partnership, { notice: noticeOf(req.query.notice, BUILDER_NOTICES) });
  });

  app.post('/partnerships/:id/disclosure-terms', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.TermsForm, req.body);
    if (!form.ok) return refuse(req, reply, { ok: false, reason: 'invalid', errors: form.errors });
    const outcome = await setDisclosureTerms(service, actor, req.params.id, { identifierKinds: all(form.value.identifierKinds), preciseLocation: form.value.preciseLocation === 'on' });
    if (!outcome.ok) {
      if (outcome.reason === 'invalid') return builderPage(req, reply, actor, req.params.id, { status: 422, errors: outcome.errors });
      return refuse(req, reply, outcome);
    }
    return redirect(reply, `/disclosures/new?partnership=${req.params.id}&notice=termsSaved`);
  });

  app.post('/disclosures', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.DisclosureForm, req.body);
    const outcome = form.ok ? await sharing.createDisclosure(service, actor, { partnershipId: form.value.partnershipId, reportIds: all(form.value.reportIds), networkId: form.value.networkId, marking: form.value.marking }) : form;
    if (outcome.ok) return redirect(reply, `/disclosures/${outcome.value.id}?notice=${outcome.value.status === 'awaiting-approval' ? 'created' : 'sent'}`);
    if ('errors' in outcome) {
      const partnershipId = typeof req.body?.partnershipId === 'string' ? req.body.partnershipId : undefined;
      const marking = typeof req.body?.marking === 'string' ? req.body.marking : undefined;
      const networkId = typeof req.body?.networkId === 'string' ? req.body.networkId : undefined;
      return builderPage(req, reply, actor, partnershipId, { status: 422, errors: outcome.errors, values: { reportIds: all(req.body?.reportIds), networkId, marking } });
    }
    return refuse(req, reply, outcome);
  });

  async function disclosurePage(req: Req, reply: FastifyReply, actor: UserActor, extra: Omit<DisclosurePageProps, 'view' | 'disclosure'> & { status?: number } = {}) {
    const found = await sharing.getDisclosure(service, actor, req.params.id, 'page');
    if (!found.ok) return refuse(req, reply, found);
    const { status, ...props } = extra;
    return sendPage(req, reply, { status: status ?? 200, title: req.t('sharing.disclosure.title', { reference: found.value.reference }), body: (view) => <DisclosurePage view={view} disclosure={found.value} {...props} /> });
  }

  app.get('/disclosures/:id', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    return disclosurePage(req, reply, actor, { notice: noticeOf(req.query.notice, DISCLOSURE_NOTICES) });
  });

  app.post('/disclosures/:id/approval', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await sharing.approveDisclosure(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return redirect(reply, `/disclosures/${outcome.value.id}?notice=approved`);
  });

  app.post('/disclosures/:id/acknowledgement', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await sharing.acknowledgeDisclosure(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return redirect(reply, `/disclosures/${outcome.value.id}?notice=acknowledged`);
  });

  app.post('/disclosures/:id/outcomes', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.OutcomeForm, req.body);
    const outcome = form.ok ? await sharing.recordOutcome(service, actor, req.params.id, form.value) : form;
    if (outcome.ok) return redirect(reply, `/disclosures/${req.params.id}?notice=outcomeRecorded`);
    if ('errors' in outcome) {
      // Only someone who may record outcomes sees the form again with its errors.
      const allowed = await sharing.getDisclosure(service, actor, req.params.id, 'page');
      if (!allowed.ok || !allowed.value.canRecordOutcome) return refuse(req, reply, allowed.ok ? { ok: false, reason: 'forbidden' } : allowed);
      return sendPage(req, reply, {
        status: 422,
        title: req.t('sharing.disclosure.title', { reference: allowed.value.reference }),
        body: (view) => <DisclosurePage view={view} disclosure={allowed.value} outcomeErrors={outcome.errors} outcomeValues={text(req.body)} />,
      });
    }
    return refuse(req, reply, outcome);
  });

  app.get('/disclosures/:id/pdf', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const found = await sharing.getDisclosure(service, actor, req.params.id, 'pdf');
    if (!found.ok) return refuse(req, reply, found);
    const pdf = await disclosurePdf(found.value, req.t);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${found.value.reference}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  app.get('/disclosures/:id/json', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const found = await sharing.getDisclosure(service, actor, req.params.id, 'json');
    if (!found.ok) return refuse(req, reply, found);
    const { canApprove: _a, canAcknowledge: _k, canRecordOutcome: _r, ...body } = found.value;
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${found.value.reference}.json"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(body, null, 2));
  });

  app.get('/groups/:id/outcomes', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const summary = await groupOutcomeSummary(service, actor, req.params.id);
    if (!summary.ok) return refuse(req, reply, summary);
    return sendPage(req, reply, { title: req.t('sharing.outcomes.groupTitle', { group: summary.value.group.name }), body: (view) => <GroupOutcomesPage view={view} summary={summary.value} /> });
  });

  app.get('/countries/:country/outcomes', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const totals = await outcomeTotals(service, actor, { country: req.params.country });
    if (!totals.ok) return refuse(req, reply, totals.reason === 'invalid' ? { ok: false, reason: 'not-found' } : totals);
    return sendPage(req, reply, { title: req.t('sharing.outcomes.nationalTitle'), body: (view) => <NationalOutcomesPage view={view} totals={totals.value} /> });
  });
}
