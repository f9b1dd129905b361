/** Authorisation matrix rows of the indicators module: the taxonomy is public content. */
import type { MatrixPart, Row } from './types.ts';

const ROWS: Row[] = [
  // Served without identifying the caller, so every caller (an API token too) gets the same public answer.
  { method: 'GET', route: '/api/v1/indicators', path: '/api/v1/indicators?lang=fr', expect: { default: 200, 'revoked-token': 200 } },
];

export const matrix: MatrixPart = {
  rows: () => ROWS,
};
