/**
 * Editors' forms for one record at a time: companies, criteria, guide entries and campaigns (a
 * form to add, a form per record to change it), a guide entry's removal, and a commitment's own
 * fields. Saving redirects to the editors' page with a notice; bad input shows the form again with
 * what was typed and a message per field (422).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserActor } from '../../core/auth/actor.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { FieldErrors } from '../../core/outcome.ts';
import { checkForm } from '../../core/validation.ts';
import type { ChocolateDeps } from './deps.ts';
import * as editing from './editing.ts';
import { editorActor, text } from './manage-routes.tsx';
import { formLimit, refuse } from './page-routes.tsx';
import * as schema from './schema.ts';
import * as scorecard from './scorecard.ts';
import * as store from './store.ts';
import { CommitmentEditPage, EditPage } from './views/edit-pages.tsx';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Body: Form; Params: { key: string; id: string } }>;

export async function chocolateEditRoutes(app: FastifyInstance, deps: ChocolateDeps): Promise<void> {
  const companies = async () => (await store.listCompanies(deps.db)).map((c) => ({ slug: c.slug, name: c.name }));

  async function editPage(req: Req, reply: FastifyReply, kind: editing.Kind, key: string | undefined, values: editing.Values, status = 200, errors?: FieldErrors) {
    const list = kind === 'guide' ? await companies() : [];
    const title = key === undefined ? req.t(`chocolate.edit.add.${kind}`) : req.t('chocolate.edit.change', { name: values.name ?? values.title ?? values.brand ?? key });
    return sendPage(req, reply, { status, title, body: (view) => <EditPage view={view} kind={kind} recordKey={key} values={values} errors={errors} companies={list} /> });
  }

  async function save(req: Req, reply: FastifyReply, actor: UserActor, kind: editing.Kind, key: string | undefined) {
    const values = text(req.body);
    const outcome = await editing.saveRecord(deps, actor, kind, key, values);
    if (outcome.ok) return redirect(reply, `/chocolate/manage?notice=saved#${kind}`);
    if (outcome.reason === 'invalid') return editPage(req, reply, kind, key, values, 422, outcome.errors);
    return refuse(req, reply, outcome);
  }

  for (const kind of editing.KINDS) {
    app.get(`/chocolate/manage/${kind}/new`, async (req: Req, reply) => {
      if (!editorActor(req, reply)) return reply;
      return editPage(req, reply, kind, undefined, kind === 'criteria' ? { position: '0' } : {});
    });

    app.get(`/chocolate/manage/${kind}/:key`, async (req: Req, reply) => {
      const actor = editorActor(req, reply);
      if (!actor) return reply;
      const outcome = await editing.recordValues(deps, actor, kind, req.params.key);
      if (!outcome.ok) return refuse(req, reply, outcome);
      return editPage(req, reply, kind, req.params.key, outcome.value);
    });

    app.post(`/chocolate/manage/${kind}`, { config: formLimit }, async (req: Req, reply) => {
      const actor = editorActor(req, reply);
      if (!actor) return reply;
      return save(req, reply, actor, kind, undefined);
    });

    app.post(`/chocolate/manage/${kind}/:key`, { config: formLimit }, async (req: Req, reply) => {
      const actor = editorActor(req, reply);
      if (!actor) return reply;
      return save(req, reply, actor, kind, req.params.key);
    });
  }

  app.post('/chocolate/manage/guide/:key/delete', { config: formLimit }, async (req: Req, reply) => {
    const actor = editorActor(req, reply);
    if (!actor) return reply;
    const outcome = await editing.deleteGuideEntry(deps, actor, req.params.key);
    if (outcome.ok) return redirect(reply, '/chocolate/manage?notice=deleted#guide');
    return refuse(req, reply, outcome);
  });

  // ---------------------------------------------------------------- a commitment's own fields

  async function commitmentPage(req: Req, reply: FastifyReply, values: editing.Values | undefined, status = 200, errors?: FieldErrors) {
    const found = (await scorecard.commitments(deps)).find((m) => m.id === req.params.id);
    if (!found) return refuse(req, reply, { ok: false, reason: 'not-found' });
    const shown = values ?? { title: found.title, text: found.text, madeBy: found.madeBy, company: found.company ?? '', madeOn: found.madeOn, deadline: found.deadline ?? '', status: found.status, sourceUrl: found.sourceUrl };
    const list = await companies();
    return sendPage(req, reply, { status, title: req.t('chocolate.edit.change', { name: found.title }), body: (view) => <CommitmentEditPage view={view} id={found.id} slug={found.slug} values={shown} errors={errors} companies={list} /> });
  }

  app.get('/chocolate/manage/commitments/:id', async (req: Req, reply) => {
    if (!editorActor(req, reply)) return reply;
    return commitmentPage(req, reply, undefined);
  });

  app.post('/chocolate/manage/commitments/:id', { config: formLimit }, async (req: Req, reply) => {
    const actor = editorActor(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.CommitmentUpdateForm, req.body);
    const outcome = form.ok ? await scorecard.updateCommitment(deps, actor, req.params.id, form.value) : ({ ok: false, reason: 'invalid', errors: form.errors } as const);
    if (outcome.ok) return redirect(reply, '/chocolate/manage?notice=saved#commitment');
    if (outcome.reason === 'invalid') return commitmentPage(req, reply, text(req.body), 422, outcome.errors);
    return refuse(req, reply, outcome);
  });
}
