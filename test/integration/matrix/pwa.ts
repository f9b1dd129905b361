/**
 * Authorisation matrix rows of the installable web app: the manifest, the service worker and the
 * "leave no trace" page are for everyone. Its POST needs the CSRF token like any form (token callers,
 * who have no form, get 403); then it clears the device and sends the person to the neutral site.
 */
import type { MatrixPart } from './types.ts';

export const matrix: MatrixPart = {
  rows: () => [
    { method: 'GET', route: '/manifest.webmanifest', path: '/manifest.webmanifest', expect: 200 },
    { method: 'GET', route: '/sw.js', path: '/sw.js', expect: 200 },
    { method: 'GET', route: '/leave-no-trace', path: '/leave-no-trace', expect: 200 },
    { method: 'POST', route: '/leave-no-trace', path: '/leave-no-trace', form: {}, expect: { token: 403, default: 303 } },
  ],
};
