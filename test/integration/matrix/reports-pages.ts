/**
 * Authorisation matrix rows of the reporter's pages. Anyone may open the form and the follow-up
 * form; posting them needs the page's CSRF token, so token callers (programs without a browser
 * session or the token) get 403 and everyone else reaches the checks (422 for the empty report and
 * the malformed receipt code the rows send). "Your reports" is for people signed in; others are sent
 * to sign in (303).
 */
import type { MatrixPart, Row } from './types.ts';

export const matrix: MatrixPart = {
  rows() {
    const rows: Row[] = [
      { method: 'GET', route: '/report', path: '/report', expect: 200 },
      { method: 'POST', route: '/report', path: '/report', form: { country: 'GB' }, expect: { token: 403, default: 422 } },
      { method: 'GET', route: '/report/follow-up', path: '/report/follow-up', expect: 200 },
      { method: 'POST', route: '/report/follow-up', path: '/report/follow-up', form: { receipt: 'not a code' }, expect: { token: 403, default: 422 } },
      { method: 'POST', route: '/report/follow-up/add', path: '/report/follow-up/add', form: { receipt: 'not a code', account: 'more' }, expect: { token: 403, default: 422 } },
      { method: 'GET', route: '/my/reports', path: '/my/reports', expect: { anonymous: 303, token: 303, default: 200 } },
    ];
    return rows;
  },
};
