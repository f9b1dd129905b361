/**
 * Authorisation matrix rows of the donations module. The matrix server has no payment keys, so
 * starting a donation answers "not taken online" to everyone and nothing is recorded; the Gift Aid
 * claim (restricted personal data) is for administrators and finance staff only (finance is not a
 * matrix caller: its own test is in src/modules/donations/donations.test.ts).
 */
import { randomUUID } from 'node:crypto';
import type { MatrixPart, Row } from './types.ts';

const declaration = { firstName: 'Ada', lastName: 'Lovelace', address: '1 High Street, York', postcode: 'YO1 7HH', scope: 'this-donation', statementVersion: 'gift-aid-2026-1' };

export const matrix: MatrixPart = {
  rows() {
    const someone = randomUUID();
    const range = 'from=2026-01-01&to=2026-01-31';
    const claimPage = { anonymous: 303, token: 303, admin: 200, 'signed-in': 403 };
    const rows: Row[] = [
      { method: 'GET', route: '/donate', path: '/donate', expect: 200 },
      { method: 'POST', route: '/donate', path: '/donate', form: { amount: '10', currency: 'GBP', frequency: 'one-off' }, expect: { token: 403, default: 409 } },
      { method: 'GET', route: '/donate/checkout/:id', path: `/donate/checkout/${someone}`, expect: 404 },
      { method: 'GET', route: '/donate/thanks/:id', path: `/donate/thanks/${someone}`, expect: 404 },
      { method: 'POST', route: '/donate/thanks/:id/gift-aid', path: `/donate/thanks/${someone}/gift-aid`, form: declaration, expect: { token: 403, default: 404 } },
      { method: 'GET', route: '/donations/gift-aid', path: '/donations/gift-aid', expect: claimPage },
      { method: 'GET', route: '/donations/gift-aid/claim.csv', path: `/donations/gift-aid/claim.csv?${range}`, expect: claimPage },
      { method: 'GET', route: '/api/v1/donations/options', path: '/api/v1/donations/options', expect: 200 },
      { method: 'POST', route: '/api/v1/donations', path: '/api/v1/donations', json: { amount: '10', currency: 'GBP', frequency: 'one-off' }, expect: 503 },
      { method: 'POST', route: '/api/v1/donations/:id/gift-aid-declaration', path: `/api/v1/donations/${someone}/gift-aid-declaration`, json: declaration, expect: 404 },
      { method: 'GET', route: '/api/v1/donations/gift-aid-claim', path: `/api/v1/donations/gift-aid-claim?${range}`, expect: { anonymous: 401, admin: 200, default: 403 } },
      // Authenticated by Stripe's signature only: without one (and here without keys), 400 for everyone.
      { method: 'POST', route: '/api/v1/donations/webhooks/stripe', path: '/api/v1/donations/webhooks/stripe', json: {}, expect: { default: 400, 'revoked-token': 400 } },
    ];
    return rows;
  },
};
