/**
 * Authorisation matrix rows of the reporters' API and the reviewers' full view. Fixtures: group D
 * (GB, listed) coordinated by `group-coordinator`, and an anonymous report inside D's area. Only
 * D's coordinator and GB's national coordinator may open it; everyone else — members, other groups,
 * partners, administrators, tokens of people outside D — gets 404, never 403, so a report's existence
 * is not revealed.
 */
import { Client } from '../../support/client.ts';
import { sessionCall as call } from '../../support/session-call.ts';
import type { MatrixPart, Row } from './types.ts';

export const MATRIX_GROUP_AREA = { kind: 'community', country: 'GB', locality: 'Reportham', lat: 54.0, lon: -2.0, radiusKm: 5 };

export const matrix: MatrixPart = {
  async rows({ server, callers, coCoordinate }) {
    const coordinator = callers.get('group-coordinator')!;
    const national = callers.get('national-coordinator')!;
    const d = (await call(coordinator.client, 'POST', '/api/v1/groups', { ...MATRIX_GROUP_AREA, name: 'Matrix D' })).id!;
    await call(national.client, 'POST', `/api/v1/groups/${d}/listing`);
    await coCoordinate(d);
    const sent = await new Client(server.url).json('POST', '/api/v1/reports', { country: 'GB', location: { lat: 54.001, lon: -2.001 }, account: 'Matrix fixture' });
    if (sent.status !== 201) throw new Error(`fixture report: ${sent.status} ${sent.text}`);
    const { reference } = sent.json<{ reference: string }>();
    const row = await server.cast.database.db.selectFrom('reports' as never).select('id' as never).where('reference' as never, '=', reference as never).executeTakeFirstOrThrow();
    const reportId = (row as { id: string }).id;

    // The co-coordinator without two-factor is told to set it up (403, decision 0006), shown nothing.
    const reviewers = { anonymous: 401, 'group-coordinator': 200, 'national-coordinator': 200, 'coordinator-without-2fa': 403, default: 404 };
    const rows: Row[] = [
      // Anyone may report; an empty report is refused (422) once the caller is allowed. A read-only token may not report.
      { method: 'POST', route: '/api/v1/reports', path: '/api/v1/reports', json: { country: 'GB' }, expect: { 'token-read': 403, default: 422 } },
      { method: 'POST', route: '/api/v1/reports/by-receipt', path: '/api/v1/reports/by-receipt', json: { receipt: 'not a code' }, expect: 422 },
      { method: 'POST', route: '/api/v1/reports/by-receipt/additions', path: '/api/v1/reports/by-receipt/additions', json: { receipt: 'not a code', account: 'more' }, expect: 422 },
      { method: 'GET', route: '/api/v1/my/reports', path: '/api/v1/my/reports', expect: { anonymous: 401, default: 200 } },
      { method: 'GET', route: '/api/v1/reports/:id', path: `/api/v1/reports/${reportId}`, expect: reviewers },
    ];
    return rows;
  },
};
