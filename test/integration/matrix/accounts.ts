/** Authorisation matrix rows of the foundation: operations, accounts, tokens. */
import { randomUUID } from 'node:crypto';
import type { MatrixPart, Row } from './types.ts';

export const matrix: MatrixPart = {
  rows: () => ROWS,
};

const someone = randomUUID();
const ROWS: Row[] = [
  { method: 'GET', route: '/', path: '/', expect: 200 },
  { method: 'GET', route: '/static/*', path: '/static/cast.css', expect: 200 },
  { method: 'GET', route: '/healthz', path: '/healthz', expect: 200 },
  { method: 'GET', route: '/metrics', path: '/metrics', expect: 200 },
  // Served without identifying the caller: a token, even a revoked one, is not read.
  { method: 'GET', route: '/api/openapi.json', path: '/api/openapi.json', expect: { default: 200, 'revoked-token': 200 } },
  { method: 'GET', route: '/api/v1/ping', path: '/api/v1/ping', expect: { default: 200, 'revoked-token': 200 } },
  { method: 'GET', route: '/language/:lang', path: '/language/en?next=/', expect: 303 },
  // Pages ignore API tokens: a token caller is anonymous there, and its form posts carry no CSRF token.
  { method: 'GET', route: '/setup/:token', path: '/setup/not-a-token', expect: 404 },
  { method: 'POST', route: '/setup/:token', path: '/setup/not-a-token', form: { displayName: 'X', email: 'x@example.org', password: 'long enough password' }, expect: { default: 404, token: 403 } },
  { method: 'GET', route: '/signup', path: '/signup', expect: 200 },
  { method: 'POST', route: '/signup', path: '/signup', form: { email: 'broken' }, expect: { default: 422, token: 403 } },
  { method: 'GET', route: '/confirm-email/:token', path: '/confirm-email/not-a-token', expect: 404 },
  { method: 'GET', route: '/signin', path: '/signin', expect: { anonymous: 200, token: 200, 'signed-in': 303 } },
  // One unknown address per caller: failed sign-ins to one account are throttled after ten, whatever the caller.
  { method: 'POST', route: '/signin', path: '/signin', form: { email: 'nobody.{caller}@example.org', password: 'wrong password here' }, expect: { default: 422, token: 403 } },
  { method: 'GET', route: '/signin/code', path: '/signin/code', expect: 303 },
  { method: 'POST', route: '/signin/code', path: '/signin/code', form: { code: '123456' }, expect: { default: 303, token: 403 } },
  { method: 'GET', route: '/password/forgot', path: '/password/forgot', expect: 200 },
  { method: 'POST', route: '/password/forgot', path: '/password/forgot', form: { email: 'nobody@example.org' }, expect: { default: 200, token: 403 } },
  { method: 'GET', route: '/password/reset/:token', path: '/password/reset/not-a-token', expect: 404 },
  { method: 'POST', route: '/password/reset/:token', path: '/password/reset/not-a-token', form: { password: 'long enough password' }, expect: { default: 404, token: 403 } },
  { method: 'GET', route: '/account', path: '/account', expect: { anonymous: 303, token: 303, 'signed-in': 200 } },
  { method: 'POST', route: '/account/password', path: '/account/password', form: { currentPassword: 'wrong password here', newPassword: 'long enough password' }, expect: { anonymous: 303, token: 403, 'signed-in': 422 } },
  { method: 'POST', route: '/account/tokens', path: '/account/tokens', form: { name: '' }, expect: { anonymous: 303, token: 403, 'signed-in': 422 } },
  { method: 'POST', route: '/account/tokens/:id/revoke', path: `/account/tokens/${someone}/revoke`, form: {}, expect: { anonymous: 303, token: 403, 'signed-in': 404 } },
  // Enrolled roles already have two-factor, so the set-up page sends them back to the account page.
  { method: 'GET', route: '/account/two-factor', path: '/account/two-factor', expect: { anonymous: 303, token: 303, member: 200, outsider: 200, 'coordinator-without-2fa': 200, 'signed-in': 303 } },
  { method: 'POST', route: '/account/two-factor', path: '/account/two-factor', form: { code: '000000' }, expect: { anonymous: 303, token: 403, member: 422, outsider: 422, 'coordinator-without-2fa': 422, 'signed-in': 303 } },
  { method: 'POST', route: '/account/two-factor/disable', path: '/account/two-factor/disable', form: { currentPassword: 'wrong password here', code: '000000' }, expect: { anonymous: 303, token: 403, member: 404, outsider: 404, 'coordinator-without-2fa': 404, 'signed-in': 403 } },
  { method: 'GET', route: '/api/v1/me', path: '/api/v1/me', expect: { anonymous: 401, token: 200, 'signed-in': 200 } },
  { method: 'GET', route: '/api/v1/tokens', path: '/api/v1/tokens', expect: { anonymous: 401, 'signed-in': 200, token: 200 } },
  { method: 'POST', route: '/api/v1/tokens', path: '/api/v1/tokens', json: { name: 'matrix', scopes: ['account:read'] }, expect: { anonymous: 401, 'signed-in': 201, 'token-read': 403, 'token-write': 201 } },
  // Administrators only; API tokens carry no admin scope. Rows use input the service refuses once the caller is allowed.
  { method: 'GET', route: '/admin/national-coordinators', path: '/admin/national-coordinators', expect: { anonymous: 303, token: 303, admin: 200, 'signed-in': 403 } },
  { method: 'POST', route: '/admin/national-coordinators', path: '/admin/national-coordinators', form: { email: 'nobody.matrix@example.org', country: 'GB' }, expect: { anonymous: 303, token: 403, admin: 422, 'signed-in': 403 } },
  { method: 'POST', route: '/admin/national-coordinators/:userId/:country/remove', path: `/admin/national-coordinators/${someone}/GB/remove`, form: {}, expect: { anonymous: 303, token: 403, admin: 404, 'signed-in': 403 } },
  { method: 'GET', route: '/api/v1/national-coordinators', path: '/api/v1/national-coordinators', expect: { anonymous: 401, token: 403, admin: 200, 'signed-in': 403 } },
  { method: 'POST', route: '/api/v1/national-coordinators', path: '/api/v1/national-coordinators', json: { email: 'nobody.matrix@example.org', country: 'GB' }, expect: { anonymous: 401, token: 403, admin: 422, 'signed-in': 403 } },
  { method: 'DELETE', route: '/api/v1/national-coordinators/:userId/:country', path: `/api/v1/national-coordinators/${someone}/GB`, expect: { anonymous: 401, token: 403, admin: 404, 'signed-in': 403 } },
  { method: 'DELETE', route: '/api/v1/tokens/:id', path: `/api/v1/tokens/${someone}`, expect: { anonymous: 401, 'signed-in': 404, 'token-read': 403, 'token-write': 404 } },
];
