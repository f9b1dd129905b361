/**
 * Authorisation matrix rows of the partners module. Fixtures: a verified police partner P in GB
 * whose partner user is the `partner` caller; two unverified partners (verified by the rows);
 * groups coordinated by `group-coordinator`, each with one partnership with P in the state its row
 * needs (proposed to accept or decline, active to end).
 *
 * Who sees what: P is seen by GB's national coordinator, admins and its partner user; partnerships
 * by GB's national coordinator, the group's coordinator and P's partner user. Everyone else gets
 * 404; those who see a thing but may not do what the row does get 403.
 */
import { createAccount } from '../../support/accounts.ts';
import { sessionCall as call } from '../../support/session-call.ts';
import type { Expect, MatrixPart, Row } from './types.ts';

const police = { kind: 'police', country: 'GB', area: 'Matrixshire', contactEmail: 'matrix@police.example' };
const area = { kind: 'school', country: 'GB', locality: 'Matrixton', lat: 51.5, lon: -0.1, radiusKm: 4 };
const signedOn = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

export const matrix: MatrixPart = {
  async rows({ server, callers }) {
    const national = callers.get('national-coordinator')!.client;
    const coordinator = callers.get('group-coordinator')!.client;
    const partnerUser = callers.get('partner')!;

    const p = (await call(national, 'POST', '/api/v1/partners', { ...police, name: 'Matrix Police' })).id!;
    await call(national, 'POST', `/api/v1/partners/${p}/verification`);
    await call(national, 'POST', `/api/v1/partners/${p}/users`, { email: partnerUser.email });
    const unverifiedApi = (await call(national, 'POST', '/api/v1/partners', { ...police, name: 'Matrix Unverified 1' })).id!;
    const unverifiedPage = (await call(national, 'POST', '/api/v1/partners', { ...police, name: 'Matrix Unverified 2' })).id!;
    const newUserApi = await createAccount(server.cast.database);
    const newUserPage = await createAccount(server.cast.database);

    const group = async (name: string) => (await call(coordinator, 'POST', '/api/v1/groups', { ...area, name })).id!;
    const partnership = async (name: string, state: 'proposed' | 'active') => {
      const groupId = await group(name);
      const id = (await call(coordinator, 'POST', '/api/v1/partnerships', { groupId, partnerId: p, agreementReference: `ISA ${name}`, signedOn, contacts: 'Matrix contacts', handlingCodes: ['P'] })).id!;
      if (state === 'active') await call(partnerUser.client, 'POST', `/api/v1/partnerships/${id}/acceptance`);
      return id;
    };
    const acceptApi = await partnership('Matrix P1', 'proposed');
    const declineApi = await partnership('Matrix P2', 'proposed');
    const endApi = await partnership('Matrix P3', 'active');
    const acceptPage = await partnership('Matrix P4', 'proposed');
    const declinePage = await partnership('Matrix P5', 'proposed');
    const endPage = await partnership('Matrix P6', 'active');
    const proposeApiGroup = await group('Matrix P7');
    const proposePageGroup = await group('Matrix P8');
    const proposal = (groupId: string) => ({ groupId, partnerId: p, agreementReference: 'ISA matrix', signedOn, contacts: 'Matrix contacts', handlingCodes: ['P'] });

    // Pages: anonymous (and token callers, who are anonymous on pages) are sent to sign in; a token's form post has no CSRF token (403).
    const page = (signedIn: Expect & object): Expect => ({ anonymous: 303, token: 403, ...signedIn });
    const api = (signedIn: Expect & object): Expect => ({ anonymous: 401, ...signedIn });
    // Acting on P: its national coordinator acts; admins and its partner user see it (403); others do not (404).
    const onP = (allowed: number) => ({ default: 404, admin: 403, 'national-coordinator': allowed, partner: 403 });
    const onUnverified = (allowed: number) => ({ default: 404, admin: 403, 'national-coordinator': allowed });
    // Answering a proposal: only P's partner user; GB's national coordinator and the group's coordinator see it (403).
    const answer = (allowed: number) => ({ default: 404, 'national-coordinator': 403, 'group-coordinator': 403, partner: allowed });
    // Ending: the group's coordinator ends it first, so P's partner user then finds it no longer active (409).
    const end = (allowed: number) => ({ default: 404, 'national-coordinator': 403, 'group-coordinator': allowed, partner: 409 });
    // Proposing: only the group's coordinator.
    const propose = (allowed: number) => ({ default: 403, 'group-coordinator': allowed });

    const rows: Row[] = [
      { method: 'GET', route: '/partners', path: '/partners', expect: { anonymous: 303, token: 303, 'signed-in': 200 } },
      // The admin creates it; the national coordinator, later, finds the name taken (422), FR's a GB partner refused as not theirs (422). Others may not create partners.
      { method: 'POST', route: '/partners', path: '/partners', form: { ...police, name: 'Matrix Page Partner' }, expect: page({ default: 403, admin: 303, 'national-coordinator': 422, 'foreign-national-coordinator': 422 }) },
      { method: 'POST', route: '/partners/:id/verification', path: `/partners/${unverifiedPage}/verification`, form: {}, expect: page(onUnverified(303)) },
      { method: 'POST', route: '/partners/:id/users', path: `/partners/${p}/users`, form: { email: newUserPage.email }, expect: page(onP(303)) },
      { method: 'GET', route: '/partnerships', path: '/partnerships', expect: { anonymous: 303, token: 303, 'signed-in': 200 } },
      { method: 'POST', route: '/partnerships', path: '/partnerships', form: proposal(proposePageGroup), expect: page(propose(303)) },
      { method: 'POST', route: '/partnerships/:id/acceptance', path: `/partnerships/${acceptPage}/acceptance`, form: {}, expect: page(answer(303)) },
      { method: 'POST', route: '/partnerships/:id/decline', path: `/partnerships/${declinePage}/decline`, form: {}, expect: page(answer(303)) },
      { method: 'POST', route: '/partnerships/:id/end', path: `/partnerships/${endPage}/end`, form: {}, expect: page(end(303)) },

      { method: 'GET', route: '/api/v1/partners', path: '/api/v1/partners', expect: { anonymous: 401, 'signed-in': 200, token: 200 } },
      { method: 'POST', route: '/api/v1/partners', path: '/api/v1/partners', json: { ...police, name: 'Matrix API Partner' }, expect: api({ default: 403, admin: 201, 'national-coordinator': 422, 'foreign-national-coordinator': 422 }) },
      { method: 'POST', route: '/api/v1/partners/:id/verification', path: `/api/v1/partners/${unverifiedApi}/verification`, expect: api(onUnverified(200)) },
      { method: 'POST', route: '/api/v1/partners/:id/users', path: `/api/v1/partners/${p}/users`, json: { email: newUserApi.email }, expect: api(onP(201)) },
      { method: 'GET', route: '/api/v1/partnerships', path: '/api/v1/partnerships', expect: { anonymous: 401, 'signed-in': 200, token: 200 } },
      { method: 'POST', route: '/api/v1/partnerships', path: '/api/v1/partnerships', json: proposal(proposeApiGroup), expect: api(propose(201)) },
      { method: 'POST', route: '/api/v1/partnerships/:id/acceptance', path: `/api/v1/partnerships/${acceptApi}/acceptance`, expect: api(answer(200)) },
      { method: 'POST', route: '/api/v1/partnerships/:id/decline', path: `/api/v1/partnerships/${declineApi}/decline`, expect: api(answer(200)) },
      { method: 'POST', route: '/api/v1/partnerships/:id/end', path: `/api/v1/partnerships/${endApi}/end`, json: {}, expect: api(end(200)) },
    ];
    return rows;
  },
};
