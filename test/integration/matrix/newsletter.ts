/**
 * Authorisation matrix rows of the newsletter. Subscribers have no account: their routes are open to
 * everyone and answer by the token in the path, so every caller gets the same status (404 for a
 * forged link, 422 for bad input). Editors' routes are for editors and administrators (the matrix's
 * `admin`; its other callers are not editors). Fixture: one draft edition made by the admin.
 *
 * Rows change nothing later rows depend on: allowed callers send input the service refuses (422),
 * or name an edition that does not exist (404); the only thing that happens is a test-send to the
 * admin's own address.
 */
import { randomUUID } from 'node:crypto';
import { sessionCall as call } from '../../support/session-call.ts';
import type { MatrixPart, Row } from './types.ts';

export const matrix: MatrixPart = {
  async rows({ callers }) {
    const admin = callers.get('admin')!;
    const edition = (await call(admin.client, 'POST', '/api/v1/newsletter/editions', { subject: 'Matrix edition', body: 'Matrix', lists: ['general'] })).id!;
    const nowhere = randomUUID();
    const link = `p1.${randomUUID()}.99999.AAAAAAAAAAAAAAAAAAAAAAAA`;
    const unsubscribeLink = `u1.${randomUUID()}.99999.AAAAAAAAAAAAAAAAAAAAAAAA`;
    // Pages for everyone: token callers are programs with no cookies, so their form posts fail the CSRF check.
    const form = (allowed: number) => ({ token: 403, default: allowed });
    const editorPage = { anonymous: 303, token: 303, admin: 200, default: 403 };
    const editorForm = (allowed: number) => ({ anonymous: 303, token: 403, admin: allowed, default: 403 });
    const editorApi = (allowed: number) => ({ anonymous: 401, admin: allowed, default: 403 });

    const rows: Row[] = [
      // ---------------------------------------------------------------- subscribers' pages
      { method: 'GET', route: '/newsletter', path: '/newsletter', expect: 200 },
      { method: 'POST', route: '/newsletter', path: '/newsletter', form: { email: 'not-an-address', lists: 'general' }, expect: form(422) },
      { method: 'GET', route: '/newsletter/confirm', path: '/newsletter/confirm?t=nc.forged', expect: 200 },
      { method: 'POST', route: '/newsletter/confirm', path: '/newsletter/confirm', form: { token: 'nc.forged.token.here' }, expect: form(404) },
      { method: 'GET', route: '/newsletter/preferences/:token', path: `/newsletter/preferences/${link}`, expect: 404 },
      { method: 'POST', route: '/newsletter/preferences/:token', path: `/newsletter/preferences/${link}`, form: { lists: 'general' }, expect: form(404) },
      { method: 'POST', route: '/newsletter/preferences/:token/export', path: `/newsletter/preferences/${link}/export`, form: {}, expect: form(404) },
      { method: 'POST', route: '/newsletter/preferences/:token/erase', path: `/newsletter/preferences/${link}/erase`, form: { confirm: 'yes' }, expect: form(404) },
      { method: 'POST', route: '/newsletter/preferences/:token/revoke', path: `/newsletter/preferences/${link}/revoke`, form: {}, expect: form(404) },
      { method: 'GET', route: '/newsletter/unsubscribe/:token', path: `/newsletter/unsubscribe/${unsubscribeLink}`, expect: 404 },
      // RFC 8058 one-click carries no CSRF token: every caller reaches it, a forged link unsubscribes nobody.
      { method: 'POST', route: '/newsletter/unsubscribe/:token', path: `/newsletter/unsubscribe/${unsubscribeLink}`, form: { 'List-Unsubscribe': 'One-Click' }, expect: 404 },
      { method: 'GET', route: '/newsletter/manage', path: '/newsletter/manage', expect: 200 },
      { method: 'POST', route: '/newsletter/manage', path: '/newsletter/manage', form: { email: '@' }, expect: form(422) },

      // ---------------------------------------------------------------- editors' pages
      { method: 'GET', route: '/newsletter/editions', path: '/newsletter/editions', expect: editorPage },
      { method: 'POST', route: '/newsletter/editions', path: '/newsletter/editions', form: { subject: '' }, expect: editorForm(422) },
      { method: 'GET', route: '/newsletter/editions/:id', path: `/newsletter/editions/${edition}`, expect: editorPage },
      { method: 'POST', route: '/newsletter/editions/:id', path: `/newsletter/editions/${edition}`, form: { subject: '' }, expect: editorForm(422) },
      { method: 'POST', route: '/newsletter/editions/:id/test', path: `/newsletter/editions/${nowhere}/test`, form: {}, expect: editorForm(404) },
      { method: 'POST', route: '/newsletter/editions/:id/schedule', path: `/newsletter/editions/${edition}/schedule`, form: { at: 'soon' }, expect: editorForm(422) },
      { method: 'POST', route: '/newsletter/editions/:id/send', path: `/newsletter/editions/${nowhere}/send`, form: {}, expect: editorForm(404) },

      // ---------------------------------------------------------------- API: subscribers
      { method: 'GET', route: '/api/v1/newsletter/lists', path: '/api/v1/newsletter/lists', expect: 200 },
      { method: 'POST', route: '/api/v1/newsletter/subscriptions', path: '/api/v1/newsletter/subscriptions', json: { email: 'not-an-address' }, expect: 422 },
      { method: 'POST', route: '/api/v1/newsletter/confirmations', path: '/api/v1/newsletter/confirmations', json: { token: 'nc.forged.token.here' }, expect: 404 },
      { method: 'POST', route: '/api/v1/newsletter/unsubscribe/:token', path: `/api/v1/newsletter/unsubscribe/${unsubscribeLink}`, expect: 404 },
      { method: 'GET', route: '/api/v1/newsletter/preferences/:token', path: `/api/v1/newsletter/preferences/${link}`, expect: 404 },
      { method: 'PUT', route: '/api/v1/newsletter/preferences/:token', path: `/api/v1/newsletter/preferences/${link}`, json: { lists: [] }, expect: 404 },
      { method: 'DELETE', route: '/api/v1/newsletter/preferences/:token', path: `/api/v1/newsletter/preferences/${link}`, expect: 404 },
      { method: 'GET', route: '/api/v1/newsletter/preferences/:token/export', path: `/api/v1/newsletter/preferences/${link}/export`, expect: 404 },

      // ---------------------------------------------------------------- API: editors
      { method: 'POST', route: '/api/v1/newsletter/editions', path: '/api/v1/newsletter/editions', json: { subject: '', body: 'x', lists: [] }, expect: editorApi(422) },
      { method: 'GET', route: '/api/v1/newsletter/editions/:id', path: `/api/v1/newsletter/editions/${edition}`, expect: editorApi(200) },
      { method: 'PUT', route: '/api/v1/newsletter/editions/:id', path: `/api/v1/newsletter/editions/${edition}`, json: { subject: '', body: 'x', lists: ['general'] }, expect: editorApi(422) },
      { method: 'POST', route: '/api/v1/newsletter/editions/:id/test', path: `/api/v1/newsletter/editions/${nowhere}/test`, expect: editorApi(404) },
      { method: 'POST', route: '/api/v1/newsletter/editions/:id/send', path: `/api/v1/newsletter/editions/${nowhere}/send`, json: {}, expect: editorApi(404) },
      { method: 'GET', route: '/api/v1/newsletter/editions/:id/progress', path: `/api/v1/newsletter/editions/${edition}/progress`, expect: editorApi(200) },

      // ---------------------------------------------------------------- the mail provider (shared secret, not set in tests)
      { method: 'POST', route: '/api/v1/newsletter/bounces', path: '/api/v1/newsletter/bounces', json: { events: [] }, expect: 401 },
      { method: 'POST', route: '/api/v1/newsletter/inbound', path: '/api/v1/newsletter/inbound', json: {}, expect: 401 },
    ];
    return rows;
  },
};
