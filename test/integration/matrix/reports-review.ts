/**
 * Authorisation matrix rows of the review loop (queues, report page, changes). Fixtures: group E
 * (GB, listed) coordinated by `group-coordinator`, with `member` as a plain member; report R
 * (received) and report Rc (closed) inside E's area. Only E's coordinator and GB's national
 * coordinator may review; everyone else gets 404, never 403, so a report's existence is not revealed.
 *
 * Rows change nothing later rows depend on: allowed callers send a transition Rc's status refuses
 * (409) or input the service refuses (422).
 */
import { Client } from '../../support/client.ts';
import { sessionCall as call } from '../../support/session-call.ts';
import type { MatrixPart, Row } from './types.ts';

const AREA = { kind: 'community', country: 'GB', locality: 'Reviewham', lat: 55.0, lon: -3.0, radiusKm: 5 };

export const matrix: MatrixPart = {
  async rows({ server, callers, coCoordinate }) {
    const coordinator = callers.get('group-coordinator')!;
    const national = callers.get('national-coordinator')!;
    const member = callers.get('member')!;
    const e = (await call(coordinator.client, 'POST', '/api/v1/groups', { ...AREA, name: 'Matrix E' })).id!;
    await call(national.client, 'POST', `/api/v1/groups/${e}/listing`);
    await coCoordinate(e);
    const invitation = await call(coordinator.client, 'POST', `/api/v1/groups/${e}/invitations`, { role: 'member' });
    await call(member.client, 'POST', `/api/v1/invitations/${invitation.link!.split('/').pop()}/accept`);
    const report = async () => {
      const sent = await new Client(server.url).json('POST', '/api/v1/reports', { country: 'GB', location: { lat: 55.001, lon: -3.001 }, account: 'Matrix review fixture' });
      if (sent.status !== 201) throw new Error(`fixture report: ${sent.status} ${sent.text}`);
      const { reference } = sent.json<{ reference: string }>();
      const row = await server.cast.database.db.selectFrom('reports' as never).select('id' as never).where('reference' as never, '=', reference as never).executeTakeFirstOrThrow();
      return (row as { id: string }).id;
    };
    const r = await report();
    const rc = await report();
    await call(coordinator.client, 'POST', `/api/v1/reports/${rc}/triage`);
    await call(coordinator.client, 'POST', `/api/v1/reports/${rc}/close`, {});

    // The co-coordinator without two-factor is told to set it up (403, decision 0006), shown nothing.
    const api = (allowed: number) => ({ anonymous: 401, 'group-coordinator': allowed, 'national-coordinator': allowed, 'coordinator-without-2fa': 403, default: 404 });
    const page = (allowed: number, post: boolean) => ({ anonymous: 303, token: post ? 403 : 303, 'group-coordinator': allowed, 'national-coordinator': allowed, 'coordinator-without-2fa': 403, default: 404 });
    const inbox = (allowed: number, isPage: boolean) => (isPage ? { anonymous: 303, token: 303, 'national-coordinator': allowed, default: 404 } : { anonymous: 401, 'national-coordinator': allowed, default: 404 });
    const grade = { source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: 'Matrix summary.' };

    const rows: Row[] = [
      // ---------------------------------------------------------------- API
      { method: 'GET', route: '/api/v1/groups/:id/reports', path: `/api/v1/groups/${e}/reports`, expect: api(200) },
      { method: 'GET', route: '/api/v1/countries/:country/reports', path: '/api/v1/countries/GB/reports', expect: inbox(200, false) },
      { method: 'GET', route: '/api/v1/reports/:id/history', path: `/api/v1/reports/${r}/history`, expect: api(200) },
      { method: 'POST', route: '/api/v1/reports/:id/triage', path: `/api/v1/reports/${rc}/triage`, expect: api(409) },
      { method: 'POST', route: '/api/v1/reports/:id/grade', path: `/api/v1/reports/${rc}/grade`, json: grade, expect: api(409) },
      { method: 'PUT', route: '/api/v1/reports/:id/assignee', path: `/api/v1/reports/${r}/assignee`, json: { assignee: 'nobody' }, expect: api(422) },
      { method: 'POST', route: '/api/v1/reports/:id/notes', path: `/api/v1/reports/${r}/notes`, json: { note: '  ' }, expect: api(422) },
      { method: 'POST', route: '/api/v1/reports/:id/merge', path: `/api/v1/reports/${rc}/merge`, json: { target: 'R-00000000' }, expect: api(409) },
      { method: 'POST', route: '/api/v1/reports/:id/reject', path: `/api/v1/reports/${rc}/reject`, json: {}, expect: api(409) },
      { method: 'POST', route: '/api/v1/reports/:id/close', path: `/api/v1/reports/${rc}/close`, json: {}, expect: api(409) },
      { method: 'POST', route: '/api/v1/reports/:id/reopen', path: `/api/v1/reports/${r}/reopen`, json: {}, expect: api(409) },
      // ---------------------------------------------------------------- pages
      { method: 'GET', route: '/groups/:id/reports', path: `/groups/${e}/reports`, expect: page(200, false) },
      { method: 'GET', route: '/countries/:country/reports', path: '/countries/GB/reports', expect: inbox(200, true) },
      { method: 'GET', route: '/reports/:id', path: `/reports/${r}`, expect: page(200, false) },
      { method: 'POST', route: '/reports/:id/triage', path: `/reports/${rc}/triage`, form: {}, expect: page(409, true) },
      { method: 'POST', route: '/reports/:id/assign', path: `/reports/${r}/assign`, form: { assignee: 'nobody' }, expect: page(422, true) },
      { method: 'POST', route: '/reports/:id/notes', path: `/reports/${r}/notes`, form: { note: '' }, expect: page(422, true) },
      { method: 'POST', route: '/reports/:id/grade', path: `/reports/${rc}/grade`, form: { source: '2', assessment: 'B', handling: 'P', priority: 'high', summary: 'Matrix summary.' }, expect: page(409, true) },
      { method: 'POST', route: '/reports/:id/merge', path: `/reports/${rc}/merge`, form: { target: 'R-00000000' }, expect: page(409, true) },
      { method: 'POST', route: '/reports/:id/reject', path: `/reports/${rc}/reject`, form: {}, expect: page(409, true) },
      { method: 'POST', route: '/reports/:id/close', path: `/reports/${rc}/close`, form: {}, expect: page(409, true) },
      { method: 'POST', route: '/reports/:id/reopen', path: `/reports/${r}/reopen`, form: {}, expect: page(409, true) },
    ];
    return rows;
  },
};
