/**
 * Authorisation matrix rows of the groups module. Fixtures: group A (GB, unlisted) coordinated by
 * `group-coordinator` with `member` as a member; group B coordinated by `outsider`; group C (GB,
 * listed) coordinated by someone else. Token callers and `partner` belong to no group.
 *
 * Rows that change something are built so that they change nothing that later rows depend on:
 * most send input the service refuses once the caller is allowed (422), so "allowed" and "refused"
 * show as different statuses.
 */
import { randomUUID } from 'node:crypto';
import { createAccount, signIn } from '../../support/accounts.ts';
import { Client } from '../../support/client.ts';
import { sessionCall as call } from '../../support/session-call.ts';
import type { MatrixPart, Row } from './types.ts';

const area = { kind: 'community', country: 'GB', locality: 'Matrixton', lat: 51.5, lon: -0.1, radiusKm: 4 };

export const matrix: MatrixPart = {
  async rows({ server, callers }) {
    const coordinator = callers.get('group-coordinator')!;
    const member = callers.get('member')!;
    const outsider = callers.get('outsider')!;
    const national = callers.get('national-coordinator')!;

    const a = (await call(coordinator.client, 'POST', '/api/v1/groups', { ...area, name: 'Matrix A' })).id!;
    const invitation = await call(coordinator.client, 'POST', `/api/v1/groups/${a}/invitations`, { role: 'member' });
    await call(member.client, 'POST', `/api/v1/invitations/${invitation.link!.split('/').pop()}/accept`);
    await call(outsider.client, 'POST', '/api/v1/groups', { ...area, name: 'Matrix B' });
    const founderOfC = await createAccount(server.cast.database);
    const cClient = new Client(server.url);
    await signIn(cClient, founderOfC.email);
    const c = (await call(cClient, 'POST', '/api/v1/groups', { ...area, name: 'Matrix C' })).id!;
    await call(national.client, 'POST', `/api/v1/groups/${c}/listing`);

    const gc = coordinator.userId;
    const someone = randomUUID();
    const token = 'not-a-real-invitation-token';
    const goodActivity = { occurredOn: '2026-01-10', kind: 'talk', audience: 'public' };
    // Who can see group A: its members, admins and GB's national coordinator. Others (callers with
    // standing in other groups or countries too: the default) get 404.
    const seeA = { anonymous: 404, member: 200, outsider: 404, admin: 200, 'national-coordinator': 200, 'group-coordinator': 200, partner: 404, default: 404, token: 404 };
    const readA = { ...seeA, anonymous: 401 };
    // Coordinator-only writes on A: 403 for those who can see A, 404 for those who cannot.
    const manageA = (allowed: number, page: boolean) => ({
      anonymous: page ? 303 : 401,
      member: 403,
      outsider: 404,
      admin: allowed,
      'national-coordinator': 403,
      'group-coordinator': allowed,
      partner: 404,
      default: 404,
      ...(page ? { token: 403 } : { 'token-read': 403, 'token-write': 404 }),
    });
    const memberWriteA = (page: boolean) => ({
      anonymous: page ? 303 : 401,
      member: 422,
      outsider: 404,
      admin: 403,
      'national-coordinator': 403,
      'group-coordinator': 422,
      partner: 404,
      default: 404,
      ...(page ? { token: 403 } : { 'token-read': 403, 'token-write': 404 }),
    });
    const national403 = { anonymous: 401, admin: 200, 'national-coordinator': 200, default: 403 };

    const rows: Row[] = [
      // ---------------------------------------------------------------- pages
      { method: 'GET', route: '/groups', path: '/groups', expect: 200 },
      { method: 'GET', route: '/groups/new', path: '/groups/new', expect: { anonymous: 303, token: 303, 'signed-in': 200 } },
      { method: 'POST', route: '/groups', path: '/groups', form: { name: '' }, expect: { anonymous: 303, token: 403, 'signed-in': 422 } },
      { method: 'GET', route: '/groups/:id', path: `/groups/${a}`, expect: seeA },
      // Admin and the national coordinator may ask to join (they are not members): their requests stay pending.
      { method: 'POST', route: '/groups/:id/join-requests', path: `/groups/${a}/join-requests`, form: { message: 'matrix' }, expect: { anonymous: 303, member: 409, outsider: 404, admin: 303, 'national-coordinator': 303, 'group-coordinator': 409, partner: 404, default: 404, token: 403 } },
      { method: 'POST', route: '/groups/:id/join-requests/:requestId', path: `/groups/${a}/join-requests/${someone}`, form: { decision: 'approve' }, expect: manageA(404, true) },
      { method: 'POST', route: '/groups/:id/invitations', path: `/groups/${a}/invitations`, form: { email: 'not-an-address', role: 'member' }, expect: manageA(422, true) },
      // An unknown invitation id: 404 once allowed, so the row changes nothing.
      { method: 'POST', route: '/groups/:id/invitations/:invitationId/cancel', path: `/groups/${a}/invitations/${someone}/cancel`, form: {}, expect: manageA(404, true) },
      { method: 'POST', route: '/groups/:id/members/:userId/role', path: `/groups/${a}/members/${gc}/role`, form: { role: 'member' }, expect: manageA(422, true) },
      { method: 'POST', route: '/groups/:id/members/:userId/remove', path: `/groups/${a}/members/${gc}/remove`, form: {}, expect: manageA(422, true) },
      { method: 'POST', route: '/groups/:id/activities', path: `/groups/${a}/activities`, form: { ...goodActivity, peopleReached: '-1' }, expect: memberWriteA(true) },
      { method: 'POST', route: '/groups/:id/listing-request', path: `/groups/${a}/listing-request`, form: {}, expect: manageA(303, true) },
      // C is listed, so everyone may know it exists: 409 (already listed) for those allowed, 403 for the rest.
      { method: 'POST', route: '/groups/:id/listing', path: `/groups/${c}/listing`, form: {}, expect: { anonymous: 303, token: 403, admin: 409, 'national-coordinator': 409, 'signed-in': 403 } },
      { method: 'GET', route: '/groups/invitations/:token', path: `/groups/invitations/${token}`, expect: 404 },
      { method: 'POST', route: '/groups/invitations/:token', path: `/groups/invitations/${token}`, form: {}, expect: { anonymous: 303, token: 403, 'signed-in': 404 } },
      { method: 'GET', route: '/groups/national/:country', path: '/groups/national/GB', expect: { anonymous: 303, token: 303, admin: 200, 'national-coordinator': 200, 'signed-in': 403 } },

      // ---------------------------------------------------------------- API
      { method: 'GET', route: '/api/v1/groups', path: '/api/v1/groups?q=matrix', expect: 200 },
      { method: 'POST', route: '/api/v1/groups', path: '/api/v1/groups', json: { ...area, name: 'Nowhere', country: 'ZZ' }, expect: { anonymous: 401, 'signed-in': 422, 'token-read': 403, 'token-write': 422 } },
      { method: 'GET', route: '/api/v1/groups/:id', path: `/api/v1/groups/${a}`, expect: seeA },
      { method: 'POST', route: '/api/v1/groups/:id/join-requests', path: `/api/v1/groups/${a}/join-requests`, json: {}, expect: { anonymous: 401, member: 409, outsider: 404, admin: 409, 'national-coordinator': 409, 'group-coordinator': 409, partner: 404, default: 404, 'token-read': 403, 'token-write': 404 } },
      { method: 'GET', route: '/api/v1/groups/:id/join-requests', path: `/api/v1/groups/${a}/join-requests`, expect: manageA(200, false) },
      { method: 'PUT', route: '/api/v1/groups/:id/join-requests/:requestId', path: `/api/v1/groups/${a}/join-requests/${someone}`, json: { decision: 'approve' }, expect: manageA(404, false) },
      { method: 'POST', route: '/api/v1/groups/:id/invitations', path: `/api/v1/groups/${a}/invitations`, json: { role: 'member' }, expect: manageA(201, false) },
      { method: 'GET', route: '/api/v1/groups/:id/invitations', path: `/api/v1/groups/${a}/invitations`, expect: manageA(200, false) },
      { method: 'DELETE', route: '/api/v1/groups/:id/invitations/:invitationId', path: `/api/v1/groups/${a}/invitations/${someone}`, expect: manageA(404, false) },
      { method: 'POST', route: '/api/v1/invitations/:token/accept', path: `/api/v1/invitations/${token}/accept`, expect: { anonymous: 401, 'signed-in': 404, 'token-read': 403, 'token-write': 404 } },
      { method: 'GET', route: '/api/v1/groups/:id/members', path: `/api/v1/groups/${a}/members`, expect: readA },
      { method: 'PUT', route: '/api/v1/groups/:id/members/:userId', path: `/api/v1/groups/${a}/members/${gc}`, json: { role: 'member' }, expect: manageA(422, false) },
      { method: 'DELETE', route: '/api/v1/groups/:id/members/:userId', path: `/api/v1/groups/${a}/members/${gc}`, expect: manageA(422, false) },
      { method: 'POST', route: '/api/v1/groups/:id/activities', path: `/api/v1/groups/${a}/activities`, json: { ...goodActivity, peopleReached: -1 }, expect: memberWriteA(false) },
      { method: 'GET', route: '/api/v1/groups/:id/activities', path: `/api/v1/groups/${a}/activities`, expect: readA },
      { method: 'GET', route: '/api/v1/groups/:id/activity-totals', path: `/api/v1/groups/${a}/activity-totals`, expect: readA },
      { method: 'POST', route: '/api/v1/groups/:id/listing-request', path: `/api/v1/groups/${a}/listing-request`, expect: manageA(204, false) },
      { method: 'POST', route: '/api/v1/groups/:id/listing', path: `/api/v1/groups/${c}/listing`, expect: { anonymous: 401, admin: 409, 'national-coordinator': 409, default: 403 } },
      { method: 'GET', route: '/api/v1/countries/:country/groups', path: '/api/v1/countries/GB/groups', expect: national403 },
      { method: 'GET', route: '/api/v1/countries/:country/activity-totals', path: '/api/v1/countries/GB/activity-totals', expect: national403 },
    ];
    return rows;
  },
};
