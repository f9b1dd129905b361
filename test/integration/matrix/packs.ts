/**
 * Authorisation matrix rows of the packs module: Action Packs, "what to look for" and the self-check
 * are public, so everyone gets the same answer. The self-check rows send an option the scenario
 * does not have, so once the request is let through it is refused (422) and nothing is counted; the
 * page form needs its CSRF token, which a program with only an API token does not have (403).
 */
import type { MatrixPart, Row } from './types.ts';

const ROWS: Row[] = [
  { method: 'GET', route: '/packs', path: '/packs?audience=schools', expect: 200 },
  { method: 'GET', route: '/packs/:slug', path: '/packs/schools-sex-trafficking?lang=fr', expect: 200 },
  { method: 'GET', route: '/what-to-look-for', path: '/what-to-look-for', expect: 200 },
  { method: 'GET', route: '/what-to-look-for/:type', path: '/what-to-look-for/labour?country=GB', expect: 200 },
  { method: 'GET', route: '/self-check', path: '/self-check', expect: 200 },
  { method: 'GET', route: '/self-check/:scenario', path: '/self-check/the-car-wash', expect: 200 },
  { method: 'POST', route: '/self-check/:scenario', path: '/self-check/the-car-wash', form: { picked: 'made-up' }, expect: { token: 403, default: 422 } },
  { method: 'GET', route: '/self-check/:scenario/result', path: '/self-check/the-car-wash/result?picked=price', expect: 200 },
  // Content reads are served without identifying the caller: a token, valid or not, changes nothing.
  { method: 'GET', route: '/api/v1/packs', path: '/api/v1/packs?topic=chocolate', expect: { default: 200, 'revoked-token': 200 } },
  { method: 'GET', route: '/api/v1/packs/:slug', path: '/api/v1/packs/schools-sex-trafficking?lang=en', expect: { default: 200, 'revoked-token': 200 } },
  { method: 'GET', route: '/api/v1/packs/:slug/pdf', path: '/api/v1/packs/individuals-sex-trafficking/pdf?lang=en', expect: { default: 200, 'revoked-token': 200 } },
  { method: 'GET', route: '/api/v1/what-to-look-for/:type', path: '/api/v1/what-to-look-for/sexual', expect: { default: 200, 'revoked-token': 200 } },
  { method: 'POST', route: '/api/v1/self-check/:scenario', path: '/api/v1/self-check/the-car-wash', json: { picked: ['made-up'] }, expect: 422 },
  { method: 'GET', route: '/api/v1/self-check/:scenario/totals', path: '/api/v1/self-check/the-car-wash/totals', expect: { default: 200, 'revoked-token': 200 } },
];

export const matrix: MatrixPart = {
  rows: () => ROWS,
};
