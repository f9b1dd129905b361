/**
 * Authorisation matrix rows of routes and public statistics. Fixture: group R (GB, listed)
 * coordinated by `group-coordinator`. A group's flows are for its coordinators and GB's national
 * coordinator; a country's for its national coordinator; everyone else gets 404 (the group's reports
 * are not revealed, even as counts). Public statistics are the same for everyone.
 */
import { sessionCall as call } from '../../support/session-call.ts';
import type { MatrixPart, Row } from './types.ts';

const AREA = { kind: 'community', country: 'GB', locality: 'Routeton', lat: 55.0, lon: -3.0, radiusKm: 5 };

export const matrix: MatrixPart = {
  async rows({ callers, coCoordinate }) {
    const coordinator = callers.get('group-coordinator')!;
    const national = callers.get('national-coordinator')!;
    const r = (await call(coordinator.client, 'POST', '/api/v1/groups', { ...AREA, name: 'Matrix R' })).id!;
    await call(national.client, 'POST', `/api/v1/groups/${r}/listing`);
    await coCoordinate(r);

    // The co-coordinator without two-factor is told to set it up (403, decision 0006), shown nothing.
    const groupApi = { anonymous: 401, 'group-coordinator': 200, 'national-coordinator': 200, 'coordinator-without-2fa': 403, default: 404 };
    const countryApi = { anonymous: 401, 'national-coordinator': 200, default: 404 };
    const groupPage = { anonymous: 303, token: 303, 'group-coordinator': 200, 'national-coordinator': 200, 'coordinator-without-2fa': 403, default: 404 };
    const countryPage = { anonymous: 303, token: 303, 'national-coordinator': 200, default: 404 };
    const rows: Row[] = [
      { method: 'GET', route: '/api/v1/groups/:id/routes', path: `/api/v1/groups/${r}/routes`, expect: groupApi },
      { method: 'GET', route: '/api/v1/countries/:cc/routes', path: '/api/v1/countries/GB/routes', expect: countryApi },
      { method: 'GET', route: '/groups/:id/routes', path: `/groups/${r}/routes`, expect: groupPage },
      { method: 'GET', route: '/countries/:cc/routes', path: '/countries/GB/routes', expect: countryPage },
      { method: 'GET', route: '/api/v1/statistics', path: '/api/v1/statistics?type=labour', expect: { default: 200, 'revoked-token': 200 } },
      { method: 'GET', route: '/statistics', path: '/statistics', expect: 200 },
    ];
    return rows;
  },
};
