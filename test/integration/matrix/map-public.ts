/**
 * Authorisation matrix rows of the public map: public for everyone, signed in or not, with or
 * without a token — the same answer for all (it holds nothing that is not public).
 */
import type { MatrixPart, Row } from './types.ts';

export const matrix: MatrixPart = {
  rows(): Row[] {
    return [
      { method: 'GET', route: '/api/v1/map/cells', path: '/api/v1/map/cells?bbox=-10,40,10,60&zoom=5', expect: { default: 200, 'revoked-token': 200 } },
      { method: 'GET', route: '/map', path: '/map', expect: 200 },
      { method: 'GET', route: '/map/table', path: '/map/table?zoom=3', expect: 200 },
    ];
  },
};
