/**
 * Authorisation matrix rows of the exports. Fixtures: group X (GB, listed) coordinated by
 * `group-coordinator`, one report inside it, and one finished export job of that coordinator. Only
 * the reviewers of X's reports (its coordinator, GB's national coordinator) may export them; a
 * country export only GB's national coordinator; an export job is seen only by whoever started it.
 * Everyone else gets 404, never 403.
 *
 * Rows change nothing later rows depend on: allowed callers ask for restricted fields without a
 * usable reason, or in a job, which the service refuses (422); downloads only read.
 */
import { Client } from '../../support/client.ts';
import { sessionCall as call } from '../../support/session-call.ts';
import type { MatrixPart, Row } from './types.ts';

const AREA = { kind: 'community', country: 'GB', locality: 'Exportham', lat: 54.2, lon: -1.5, radiusKm: 5 };

export const matrix: MatrixPart = {
  async rows({ server, callers, coCoordinate }) {
    const coordinator = callers.get('group-coordinator')!;
    const national = callers.get('national-coordinator')!;
    const x = (await call(coordinator.client, 'POST', '/api/v1/groups', { ...AREA, name: 'Matrix X' })).id!;
    await call(national.client, 'POST', `/api/v1/groups/${x}/listing`);
    await coCoordinate(x);
    const sent = await new Client(server.url).json('POST', '/api/v1/reports', { country: 'GB', location: { lat: 54.201, lon: -1.501 }, account: 'Matrix export fixture' });
    if (sent.status !== 201) throw new Error(`fixture report: ${sent.status} ${sent.text}`);
    const job = (await call(coordinator.client, 'POST', '/api/v1/exports', { groupId: x, format: 'csv' })).id!;
    for (let i = 0; i < 100 && (await call(coordinator.client, 'GET', `/api/v1/exports/${job}`)).status !== 'done'; i++) await new Promise((resolve) => setTimeout(resolve, 100));

    // The co-coordinator without two-factor is told to set it up (403, decision 0006), shown nothing.
    const reviewers = (allowed: number) => ({ anonymous: 401, 'group-coordinator': allowed, 'national-coordinator': allowed, 'coordinator-without-2fa': 403, default: 404 });
    const countryOnly = (allowed: number) => ({ anonymous: 401, 'national-coordinator': allowed, default: 404 });
    const owner = { anonymous: 401, 'group-coordinator': 200, default: 404 };
    const page = (allowed: number, post: boolean) => ({ anonymous: 303, token: post ? 403 : 303, 'group-coordinator': allowed, 'national-coordinator': allowed, 'coordinator-without-2fa': 403, default: 404 });

    const rows: Row[] = [
      { method: 'GET', route: '/api/v1/groups/:id/export.:format', path: `/api/v1/groups/${x}/export.geojson`, expect: reviewers(200) },
      { method: 'GET', route: '/api/v1/countries/:country/export.:format', path: '/api/v1/countries/GB/export.kml', expect: countryOnly(200) },
      { method: 'POST', route: '/api/v1/exports', path: '/api/v1/exports', json: { groupId: x, format: 'csv', restricted: true }, expect: reviewers(422) },
      { method: 'GET', route: '/api/v1/exports', path: '/api/v1/exports', expect: { anonymous: 401, default: 200 } },
      { method: 'GET', route: '/api/v1/exports/:id', path: `/api/v1/exports/${job}`, expect: owner },
      { method: 'GET', route: '/api/v1/exports/:id/file', path: `/api/v1/exports/${job}/file`, expect: owner },
      { method: 'GET', route: '/exports/new', path: `/exports/new?groupId=${x}`, expect: page(200, false) },
      { method: 'GET', route: '/exports', path: '/exports', expect: { anonymous: 303, token: 303, default: 200 } },
      { method: 'POST', route: '/exports', path: '/exports', form: { groupId: x, format: 'csv', restricted: 'true', reason: 'short' }, expect: page(422, true) },
      { method: 'GET', route: '/exports/:id/file', path: `/exports/${job}/file`, expect: { anonymous: 303, token: 303, 'group-coordinator': 200, default: 404 } },
    ];
    return rows;
  },
};
