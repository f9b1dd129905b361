/**
 * Authorisation matrix rows of correlation: a report's links, link decisions, connection requests
 * and networks. Fixtures: group F (GB) coordinated by `group-coordinator` holds report R; group G,
 * started by the national coordinator, holds report S with the same phone number, so R and S are
 * linked. A connection request on R is already approved (so F's coordinator sees S through it and
 * may decide the link), and a network holds R and S. Only F's coordinator and GB's national coordinator may see R's links;
 * everyone else gets 404.
 *
 * Rows change nothing later rows depend on: confirm and dismiss flip the link both ways, and the
 * other allowed calls send input the service refuses (422) or a decided request (409).
 */
import { Client } from '../../support/client.ts';
import { sessionCall as call } from '../../support/session-call.ts';
import type { MatrixPart, Row } from './types.ts';

const F = { kind: 'community', country: 'GB', locality: 'Linkham', lat: 54.2, lon: -1.2, radiusKm: 5 };
const G = { kind: 'community', country: 'GB', locality: 'Otherham', lat: 52.2, lon: 0.1, radiusKm: 5 };

export const matrix: MatrixPart = {
  async rows({ server, callers, coCoordinate }) {
    const coordinator = callers.get('group-coordinator')!;
    const national = callers.get('national-coordinator')!;
    const f = (await call(coordinator.client, 'POST', '/api/v1/groups', { ...F, name: 'Matrix F' })).id!;
    await call(national.client, 'POST', `/api/v1/groups/${f}/listing`);
    await coCoordinate(f);
    const g = (await call(national.client, 'POST', '/api/v1/groups', { ...G, name: 'Matrix G' })).id!;
    await call(national.client, 'POST', `/api/v1/groups/${g}/listing`);
    const report = async (at: { lat: number; lon: number }) => {
      const sent = await new Client(server.url).json('POST', '/api/v1/reports', { country: 'GB', location: at, identifiers: [{ kind: 'phone', value: '+44 7700 900987' }], account: 'Matrix correlation fixture' });
      if (sent.status !== 201) throw new Error(`fixture report: ${sent.status} ${sent.text}`);
      const { reference } = sent.json<{ reference: string }>();
      const row = await server.cast.database.db.selectFrom('reports' as never).select('id' as never).where('reference' as never, '=', reference as never).executeTakeFirstOrThrow();
      return (row as { id: string }).id;
    };
    const r = await report({ lat: 54.2001, lon: -1.2001 });
    await report({ lat: 52.2001, lon: 0.1001 });
    const links = (await call(national.client, 'GET', `/api/v1/reports/${r}/links`)) as unknown as { links: { id: string }[] };
    const link = links.links[0]!.id;
    await call(national.client, 'POST', `/api/v1/links/${link}/confirm`);
    const request = (await call(coordinator.client, 'POST', `/api/v1/reports/${r}/connection-requests`, { reason: 'Matrix fixture' })).id!;
    await call(national.client, 'POST', `/api/v1/connection-requests/${request}/decision`, { decision: 'approve' });
    const network = (await call(national.client, 'POST', '/api/v1/networks', { reportId: r, name: 'Matrix network' })).id!;

    // F's co-coordinator without two-factor is told to set it up (decision 0006), not shown R; on
    // the network and the connection request, which it cannot see without it, it gets 404.
    const needsTwoFactor = { 'coordinator-without-2fa': 403 };
    const api = (coordinatorStatus: number, nationalStatus: number) => ({ anonymous: 401, 'group-coordinator': coordinatorStatus, 'national-coordinator': nationalStatus, default: 404 });
    const page = (coordinatorStatus: number, nationalStatus: number, post: boolean) => ({ anonymous: 303, token: post ? 403 : 303, 'group-coordinator': coordinatorStatus, 'national-coordinator': nationalStatus, default: 404 });

    const rows: Row[] = [
      // ---------------------------------------------------------------- API
      { method: 'GET', route: '/api/v1/reports/:id/links', path: `/api/v1/reports/${r}/links`, expect: { ...api(200, 200), ...needsTwoFactor } },
      { method: 'POST', route: '/api/v1/links/:id/dismiss', path: `/api/v1/links/${link}/dismiss`, expect: { ...api(200, 200), ...needsTwoFactor } },
      { method: 'POST', route: '/api/v1/links/:id/confirm', path: `/api/v1/links/${link}/confirm`, expect: { ...api(200, 200), ...needsTwoFactor } },
      { method: 'POST', route: '/api/v1/reports/:id/connection-requests', path: `/api/v1/reports/${r}/connection-requests`, json: { reason: ' ' }, expect: { ...api(422, 422), ...needsTwoFactor } },
      { method: 'GET', route: '/api/v1/countries/:country/connection-requests', path: '/api/v1/countries/GB/connection-requests', expect: api(404, 200) },
      { method: 'POST', route: '/api/v1/connection-requests/:id/decision', path: `/api/v1/connection-requests/${request}/decision`, json: { decision: 'refuse' }, expect: api(404, 409) },
      { method: 'GET', route: '/api/v1/networks', path: '/api/v1/networks', expect: { anonymous: 401, 'group-coordinator': 200, 'national-coordinator': 200, 'other-coordinator': 200, 'foreign-national-coordinator': 200, default: 403 } },
      { method: 'POST', route: '/api/v1/networks', path: '/api/v1/networks', json: { reportId: r, name: '' }, expect: { ...api(403, 422), ...needsTwoFactor } },
      { method: 'GET', route: '/api/v1/networks/:id', path: `/api/v1/networks/${network}`, expect: api(200, 200) },
      // ---------------------------------------------------------------- pages
      { method: 'GET', route: '/reports/:id/links', path: `/reports/${r}/links`, expect: { ...page(200, 200, false), ...needsTwoFactor } },
      { method: 'POST', route: '/links/:id/dismiss', path: `/links/${link}/dismiss`, form: { report: r }, expect: { ...page(303, 303, true), ...needsTwoFactor } },
      { method: 'POST', route: '/links/:id/confirm', path: `/links/${link}/confirm`, form: { report: r }, expect: { ...page(303, 303, true), ...needsTwoFactor } },
      { method: 'POST', route: '/reports/:id/connection-requests', path: `/reports/${r}/connection-requests`, form: { reason: '' }, expect: { ...page(422, 422, true), ...needsTwoFactor } },
      { method: 'GET', route: '/countries/:country/connection-requests', path: '/countries/GB/connection-requests', expect: page(404, 200, false) },
      { method: 'POST', route: '/connection-requests/:id/decision', path: `/connection-requests/${request}/decision`, form: { decision: 'approve', country: 'GB' }, expect: page(404, 409, true) },
      { method: 'GET', route: '/networks', path: '/networks', expect: { anonymous: 303, token: 303, 'group-coordinator': 200, 'national-coordinator': 200, 'other-coordinator': 200, 'foreign-national-coordinator': 200, default: 403 } },
      { method: 'POST', route: '/networks', path: '/networks', form: { reportId: r, name: '' }, expect: { ...page(403, 422, true), ...needsTwoFactor } },
      { method: 'GET', route: '/networks/:id', path: `/networks/${network}`, expect: page(200, 200, false) },
      { method: 'POST', route: '/networks/:id', path: `/networks/${network}`, form: { name: '' }, expect: page(403, 422, true) },
    ];
    return rows;
  },
};
