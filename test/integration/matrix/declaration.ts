/**
 * Authorisation matrix rows of the declaration. Reading, signing, confirming and the counts are for
 * everyone; managing declarations is for editors and administrators (no editor among the callers:
 * only the admin is allowed here), the abuse controls for administrators. Page forms with a token
 * and no session fail the CSRF check (403); pages treat token callers as anonymous.
 *
 * Rows that would change something send input the service refuses (422) or an unknown token (404),
 * so they change nothing.
 */
import type { MatrixPart, Row } from './types.ts';

const SLUG = 'stop-the-traffik';
const SEEDED = '6d1c0a52-7f3e-4a8e-9c1b-2f5d7e9a0b11';
const UNKNOWN_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const everyone = 200;
const adminPage = { anonymous: 303, token: 303, admin: 200, default: 403 };
const adminForm = { anonymous: 303, token: 403, admin: 422, default: 403 };

export const matrix: MatrixPart = {
  rows(): Row[] {
    return [
      // ---------------------------------------------------------------- public pages
      { method: 'GET', route: '/declarations', path: '/declarations', expect: everyone },
      { method: 'GET', route: '/declarations/:slug', path: `/declarations/${SLUG}`, expect: everyone },
      { method: 'POST', route: '/declarations/:slug/signatures', path: `/declarations/${SLUG}/signatures`, form: { name: '', email: 'not an address', country: 'GB' }, expect: { token: 403, default: 422 } },
      { method: 'GET', route: '/declarations/:slug/check-email', path: `/declarations/${SLUG}/check-email`, expect: everyone },
      { method: 'GET', route: '/declarations/confirm/:token', path: `/declarations/confirm/${UNKNOWN_TOKEN}`, expect: everyone },
      { method: 'POST', route: '/declarations/confirm/:token', path: `/declarations/confirm/${UNKNOWN_TOKEN}`, form: {}, expect: { token: 403, default: 404 } },
      { method: 'GET', route: '/declarations/:slug/confirmed', path: `/declarations/${SLUG}/confirmed`, expect: everyone },
      { method: 'GET', route: '/declarations/:slug/counts', path: `/declarations/${SLUG}/counts`, expect: everyone },
      { method: 'GET', route: '/declarations/:slug/counts.csv', path: `/declarations/${SLUG}/counts.csv`, expect: everyone },
      // ---------------------------------------------------------------- JSON API (anyone)
      { method: 'GET', route: '/api/v1/declarations', path: '/api/v1/declarations', expect: everyone },
      { method: 'POST', route: '/api/v1/declarations/:slug/signatures', path: `/api/v1/declarations/${SLUG}/signatures`, json: { name: '', email: 'not an address', country: 'GB' }, expect: 422 },
      { method: 'POST', route: '/api/v1/declaration-signatures/confirm', path: '/api/v1/declaration-signatures/confirm', json: { token: UNKNOWN_TOKEN }, expect: 404 },
      { method: 'GET', route: '/api/v1/declarations/:slug/counts', path: `/api/v1/declarations/${SLUG}/counts`, expect: everyone },
      // ---------------------------------------------------------------- editors (and administrators)
      { method: 'GET', route: '/declarations/manage', path: '/declarations/manage', expect: adminPage },
      { method: 'GET', route: '/declarations/manage/new', path: '/declarations/manage/new', expect: adminPage },
      { method: 'POST', route: '/declarations/manage', path: '/declarations/manage', form: { slug: 'Not A Slug' }, expect: adminForm },
      { method: 'GET', route: '/declarations/manage/:id', path: `/declarations/manage/${SEEDED}`, expect: adminPage },
      { method: 'POST', route: '/declarations/manage/:id', path: `/declarations/manage/${SEEDED}`, form: { slug: 'Not A Slug' }, expect: adminForm },
      // ---------------------------------------------------------------- administrators
      { method: 'GET', route: '/declarations/moderation', path: '/declarations/moderation', expect: adminPage },
      { method: 'POST', route: '/declarations/moderation/settings', path: '/declarations/moderation/settings', form: { burstMax: '0' }, expect: adminForm },
      { method: 'POST', route: '/declarations/moderation/domains', path: '/declarations/moderation/domains', form: { domain: 'not a domain', kind: 'blocked' }, expect: adminForm },
      { method: 'POST', route: '/declarations/moderation/domains/remove', path: '/declarations/moderation/domains/remove', form: { domain: 'not a domain' }, expect: adminForm },
      { method: 'POST', route: '/declarations/moderation/invalidate', path: '/declarations/moderation/invalidate', form: { by: 'domain', value: '' }, expect: adminForm },
    ];
  },
};
