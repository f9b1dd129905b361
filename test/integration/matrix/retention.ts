/** Authorisation matrix rows of retention and rights: the privacy notice and a person's own account export. */
import type { MatrixPart, Row } from './types.ts';

export const matrix: MatrixPart = {
  rows: () => ROWS,
};

const ROWS: Row[] = [
  { method: 'GET', route: '/privacy', path: '/privacy', expect: 200 },
  // Pages ignore API tokens: a token caller is anonymous there, and its form post carries no CSRF token.
  { method: 'POST', route: '/account/export', path: '/account/export', form: {}, expect: { anonymous: 303, token: 403, 'signed-in': 200 } },
  // Anyone signed in gets their own account's data, and only theirs: there is no id in the path to change.
  { method: 'GET', route: '/api/v1/me/export', path: '/api/v1/me/export', expect: { anonymous: 401, token: 200, 'signed-in': 200 } },
];
