/**
 * Authorisation matrix rows of the group map, the national map, hotspots and their pages. Fixtures:
 * group M (GB, listed) coordinated by `group-coordinator`, with `member` as a plain member (who gets
 * the members' view: 200), and one report inside M's area. Everyone else gets 404 (the group's
 * reports are not revealed); a country's map and hotspots are for GB's national coordinator only.
 */
import { Client } from '../../support/client.ts';
import { sessionCall as call } from '../../support/session-call.ts';
import type { MatrixPart, Row } from './types.ts';

const AREA = { kind: 'community', country: 'GB', locality: 'Mapton', lat: 56.0, lon: -4.0, radiusKm: 5 };

export const matrix: MatrixPart = {
  async rows({ server, callers, coCoordinate }) {
    const coordinator = callers.get('group-coordinator')!;
    const national = callers.get('national-coordinator')!;
    const member = callers.get('member')!;
    const m = (await call(coordinator.client, 'POST', '/api/v1/groups', { ...AREA, name: 'Matrix M' })).id!;
    await call(national.client, 'POST', `/api/v1/groups/${m}/listing`);
    await coCoordinate(m);
    const invitation = await call(coordinator.client, 'POST', `/api/v1/groups/${m}/invitations`, { role: 'member' });
    await call(member.client, 'POST', `/api/v1/invitations/${invitation.link!.split('/').pop()}/accept`);
    const sent = await new Client(server.url).json('POST', '/api/v1/reports', { country: 'GB', location: { lat: 56.001, lon: -4.001 }, exploitationTypes: ['labour'] });
    if (sent.status !== 201) throw new Error(`fixture report: ${sent.status} ${sent.text}`);

    // The co-coordinator without two-factor is told to set it up (403, decision 0006), shown nothing.
    const groupApi = (coordinators: number, members: number) => ({ anonymous: 401, 'group-coordinator': coordinators, 'national-coordinator': coordinators, member: members, 'coordinator-without-2fa': 403, default: 404 });
    const countryApi = { anonymous: 401, 'national-coordinator': 200, default: 404 };
    const groupPage = { anonymous: 303, token: 303, 'group-coordinator': 200, 'national-coordinator': 200, member: 200, 'coordinator-without-2fa': 403, default: 404 };
    const countryPage = { anonymous: 303, token: 303, 'national-coordinator': 200, default: 404 };

    const rows: Row[] = [
      { method: 'GET', route: '/api/v1/groups/:id/map', path: `/api/v1/groups/${m}/map?zoom=4`, expect: groupApi(200, 200) },
      { method: 'GET', route: '/api/v1/countries/:cc/map', path: '/api/v1/countries/GB/map?zoom=4', expect: countryApi },
      { method: 'GET', route: '/api/v1/groups/:id/hotspots', path: `/api/v1/groups/${m}/hotspots`, expect: groupApi(200, 404) },
      { method: 'GET', route: '/api/v1/countries/:cc/hotspots', path: '/api/v1/countries/GB/hotspots', expect: countryApi },
      { method: 'GET', route: '/groups/:id/map', path: `/groups/${m}/map`, expect: groupPage },
      { method: 'GET', route: '/countries/:cc/map', path: '/countries/GB/map', expect: countryPage },
    ];
    return rows;
  },
};
