/**
 * Authorisation matrix rows of the chocolate campaign. Its public pages and API need no account;
 * the editors' pages and `upsertAssessment` are for campaign editors and administrators only (no
 * caller here is an editor: `admin` stands for the allowed side). Rows send input the service
 * refuses once the caller is allowed (422), or name things that do not exist (404), so they change
 * nothing.
 */
import { randomUUID } from 'node:crypto';
import type { MatrixPart, Row } from './types.ts';

export const matrix: MatrixPart = {
  rows() {
    const someone = randomUUID();
    const token = 'x'.repeat(43);
    const editorPage = (allowed: number) => ({ anonymous: 303, token: 303, admin: allowed, 'signed-in': 403 });
    const editorForm = (allowed: number) => ({ anonymous: 303, token: 403, admin: allowed, 'signed-in': 403 });
    const rows: Row[] = [
      // ---------------------------------------------------------------- public pages
      { method: 'GET', route: '/chocolate', path: '/chocolate?sort=average&grade=B&page=2', expect: 200 },
      { method: 'GET', route: '/chocolate/companies/:slug', path: '/chocolate/companies/no-such-company', expect: 404 },
      { method: 'GET', route: '/chocolate/commitments', path: '/chocolate/commitments', expect: 200 },
      { method: 'GET', route: '/chocolate/guide', path: '/chocolate/guide', expect: 200 },
      { method: 'GET', route: '/chocolate/action', path: '/chocolate/action', expect: 200 },
      { method: 'POST', route: '/chocolate/action', path: '/chocolate/action', form: { message: 'short' }, expect: { token: 403, default: 422 } },
      { method: 'GET', route: '/chocolate/action/check-email', path: '/chocolate/action/check-email', expect: 200 },
      { method: 'GET', route: '/chocolate/action/confirm/:token', path: `/chocolate/action/confirm/${token}`, expect: 404 },
      { method: 'POST', route: '/chocolate/action/confirm/:token', path: `/chocolate/action/confirm/${token}`, form: {}, expect: { token: 403, default: 404 } },
      { method: 'GET', route: '/chocolate/replies/:token', path: `/chocolate/replies/${token}`, expect: 404 },
      { method: 'POST', route: '/chocolate/replies/:token', path: `/chocolate/replies/${token}`, form: { reply: 'yes' }, expect: { token: 403, default: 404 } },

      // ---------------------------------------------------------------- editors' pages
      { method: 'GET', route: '/chocolate/manage', path: '/chocolate/manage', expect: editorPage(200) },
      { method: 'POST', route: '/chocolate/manage/assessments', path: '/chocolate/manage/assessments', form: { company: 'nobody', criterion: 'traceability', year: '2025', grade: 'Z', sourceUrl: 'x' }, expect: editorForm(422) },
      { method: 'POST', route: '/chocolate/manage/import', path: '/chocolate/manage/import', form: { dataset: 'companies', csv: 'slug' }, expect: editorForm(422) },
      { method: 'GET', route: '/chocolate/manage/export/:dataset', path: '/chocolate/manage/export/criteria', expect: editorPage(200) },
      { method: 'POST', route: '/chocolate/manage/commitments', path: '/chocolate/manage/commitments', form: { slug: 'Not A Slug' }, expect: editorForm(422) },
      { method: 'POST', route: '/chocolate/manage/commitments/:id/events', path: `/chocolate/manage/commitments/${someone}/events`, form: { kind: 'rumour' }, expect: editorForm(422) },
      { method: 'GET', route: '/chocolate/manage/held', path: '/chocolate/manage/held', expect: editorPage(200) },
      // One record at a time: a form to add, a form per record (unknown keys: 404), bad fields: 422.
      ...(['companies', 'criteria', 'guide', 'campaigns'] as const).flatMap((kind): Row[] => {
        const unknown = kind === 'guide' ? someone : 'no-such-record';
        return [
          { method: 'GET', route: `/chocolate/manage/${kind}/new`, path: `/chocolate/manage/${kind}/new`, expect: editorPage(200) },
          { method: 'GET', route: `/chocolate/manage/${kind}/:key`, path: `/chocolate/manage/${kind}/${unknown}`, expect: editorPage(404) },
          { method: 'POST', route: `/chocolate/manage/${kind}`, path: `/chocolate/manage/${kind}`, form: { slug: 'Not A Slug', brand: '' }, expect: editorForm(422) },
          { method: 'POST', route: `/chocolate/manage/${kind}/:key`, path: `/chocolate/manage/${kind}/${unknown}`, form: { name: 'x' }, expect: editorForm(404) },
        ];
      }),
      { method: 'POST', route: '/chocolate/manage/guide/:key/delete', path: `/chocolate/manage/guide/${someone}/delete`, form: {}, expect: editorForm(404) },
      { method: 'GET', route: '/chocolate/manage/commitments/:id', path: `/chocolate/manage/commitments/${someone}`, expect: editorPage(404) },
      { method: 'POST', route: '/chocolate/manage/commitments/:id', path: `/chocolate/manage/commitments/${someone}`, form: { title: 'x' }, expect: editorForm(404) },
      { method: 'POST', route: '/chocolate/manage/held/:id', path: `/chocolate/manage/held/${someone}`, form: { decision: 'send' }, expect: editorForm(404) },

      // ---------------------------------------------------------------- API
      { method: 'GET', route: '/api/v1/chocolate/companies', path: '/api/v1/chocolate/companies', expect: 200 },
      { method: 'GET', route: '/api/v1/chocolate/companies/:slug', path: '/api/v1/chocolate/companies/no-such-company', expect: 404 },
      // Only editors and administrators; a token needs chocolate:write and an editor behind it.
      {
        method: 'PUT',
        route: '/api/v1/chocolate/assessments',
        path: '/api/v1/chocolate/assessments',
        json: { company: 'nobody', criterion: 'traceability', year: 2025, grade: 'Z', sourceUrl: 'x' },
        expect: { anonymous: 401, admin: 422, default: 403 },
      },
      { method: 'GET', route: '/api/v1/chocolate/commitments', path: '/api/v1/chocolate/commitments', expect: 200 },
      { method: 'POST', route: '/api/v1/chocolate/action-emails', path: '/api/v1/chocolate/action-emails', json: { companies: [], name: '', email: '', subject: '', message: '' }, expect: 422 },
      { method: 'POST', route: '/api/v1/chocolate/action-emails/confirmation', path: '/api/v1/chocolate/action-emails/confirmation', json: { token }, expect: 404 },
      { method: 'GET', route: '/api/v1/chocolate/action-emails/totals', path: '/api/v1/chocolate/action-emails/totals', expect: 200 },
    ];
    return rows;
  },
};
