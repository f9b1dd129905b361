/**
 * Authorisation matrix rows of the sharing module. Fixtures: group S (GB, listed) coordinated by
 * `group-coordinator`, with `member` as a plain member; a verified police partner Q whose partner
 * user is the `partner` caller; an active partnership S–Q covering handling code P; a graded
 * report of S; disclosures built by S's coordinator — some waiting for approval, some approved (sent)
 * by GB's national coordinator.
 *
 * Who sees a disclosure: S's coordinator and GB's national coordinator (the senders), and Q's partner
 * user once it is sent. Everyone else gets 404; those who see it but may not do what the row does get
 * 403. Outcome counts: S's people and GB's national coordinator; national totals: national
 * coordinators only.
 */
import { sessionCall as call } from '../../support/session-call.ts';
import type { Expect, MatrixPart, Row } from './types.ts';

const AREA = { kind: 'community', country: 'GB', locality: 'Sharingford', lat: 57.5, lon: -4.5, radiusKm: 5 };
const signedOn = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

export const matrix: MatrixPart = {
  async rows({ server, callers, coCoordinate }) {
    const national = callers.get('national-coordinator')!.client;
    const coordinator = callers.get('group-coordinator')!.client;
    const member = callers.get('member')!.client;
    const partnerUser = callers.get('partner')!;

    const s = (await call(coordinator, 'POST', '/api/v1/groups', { ...AREA, name: 'Matrix S' })).id!;
    await call(national, 'POST', `/api/v1/groups/${s}/listing`);
    await coCoordinate(s);
    const invitation = await call(coordinator, 'POST', `/api/v1/groups/${s}/invitations`, { role: 'member' });
    await call(member, 'POST', `/api/v1/invitations/${invitation.link!.split('/').pop()}/accept`);
    const q = (await call(national, 'POST', '/api/v1/partners', { kind: 'police', name: 'Matrix Sharing Police', country: 'GB', area: 'Sharingshire', contactEmail: 'matrix@sharing.example' })).id!;
    await call(national, 'POST', `/api/v1/partners/${q}/verification`);
    await call(national, 'POST', `/api/v1/partners/${q}/users`, { email: partnerUser.email });
    const partnership = (await call(coordinator, 'POST', '/api/v1/partnerships', { groupId: s, partnerId: q, agreementReference: 'ISA matrix sharing', signedOn, contacts: 'Matrix', handlingCodes: ['P'] })).id!;
    await call(partnerUser.client, 'POST', `/api/v1/partnerships/${partnership}/acceptance`);

    const sent = await server.cast.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { country: 'GB', location: { lat: 57.501, lon: -4.501 }, account: 'Matrix sharing fixture' } });
    if (sent.statusCode !== 201) throw new Error(`fixture report: ${sent.statusCode} ${sent.body}`);
    const reference = (JSON.parse(sent.body) as { reference: string }).reference;
    const row = await server.cast.database.db.selectFrom('reports' as never).select('id' as never).where('reference' as never, '=', reference as never).executeTakeFirstOrThrow();
    const r = (row as { id: string }).id;
    await call(coordinator, 'POST', `/api/v1/reports/${r}/triage`);
    await call(coordinator, 'POST', `/api/v1/reports/${r}/grade`, { source: 2, assessment: 'B', handling: 'P', priority: 'low', summary: 'Matrix summary.' });

    const build = async () => (await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId: partnership, reportIds: [r] })).id!;
    const sentDisclosure = async () => {
      const id = await build();
      await call(national, 'POST', `/api/v1/disclosures/${id}/approval`);
      return id;
    };
    const [approveApi, approvePage] = [await build(), await build()];
    const [readable, ackApi, ackPage] = [await sentDisclosure(), await sentDisclosure(), await sentDisclosure()];

    const page = (signedIn: Expect & object, post: boolean): Expect => ({ anonymous: 303, token: post ? 403 : 303, ...signedIn });
    const api = (signedIn: Expect & object): Expect => ({ anonymous: 401, ...signedIn });
    // Reading a sent disclosure: its senders and its partner's user.
    // S's co-coordinator without two-factor is told to set it up (403, decision 0006) wherever graded
    // intelligence is involved; outcome counts need none. FR's national coordinator has FR's totals.
    const read = (allowed: number) => ({ default: 404, 'national-coordinator': allowed, 'group-coordinator': allowed, partner: allowed, 'coordinator-without-2fa': 403 });
    // Approving: GB's national coordinator approves first; S's coordinator then finds it sent (409); Q's user sees it but may not (403).
    const approve = (allowed: number) => ({ default: 404, 'national-coordinator': allowed, 'group-coordinator': 409, partner: 403, 'coordinator-without-2fa': 403 });
    // Acknowledging and recording outcomes: Q's user; the senders see it (403).
    const partnerAct = (allowed: number) => ({ default: 404, 'national-coordinator': 403, 'group-coordinator': 403, partner: allowed });
    // Building: S's coordinator and GB's national coordinator; for anyone else the partnership is not one they may use (422).
    const buildAs = (allowed: number) => ({ default: 422, 'national-coordinator': allowed, 'group-coordinator': allowed, 'coordinator-without-2fa': 403 });
    const groupSummary = (allowed: number) => ({ default: 404, member: allowed, 'national-coordinator': allowed, 'group-coordinator': allowed, 'coordinator-without-2fa': allowed });

    const rows: Row[] = [
      // ---------------------------------------------------------------- API
      { method: 'POST', route: '/api/v1/disclosures', path: '/api/v1/disclosures', json: { partnershipId: partnership, reportIds: [r] }, expect: api({ ...buildAs(201), 'token-read': 403 }) },
      { method: 'POST', route: '/api/v1/disclosures/:id/approval', path: `/api/v1/disclosures/${approveApi}/approval`, expect: api(approve(200)) },
      { method: 'GET', route: '/api/v1/disclosures', path: '/api/v1/disclosures', expect: api({ default: 200 }) },
      { method: 'GET', route: '/api/v1/disclosures/:id', path: `/api/v1/disclosures/${readable}`, expect: api(read(200)) },
      { method: 'POST', route: '/api/v1/disclosures/:id/acknowledgement', path: `/api/v1/disclosures/${ackApi}/acknowledgement`, expect: api(partnerAct(200)) },
      { method: 'POST', route: '/api/v1/disclosures/:id/outcomes', path: `/api/v1/disclosures/${readable}/outcomes`, json: { kind: 'safeguarding-visit' }, expect: api(partnerAct(201)) },
      { method: 'GET', route: '/api/v1/outcome-totals', path: '/api/v1/outcome-totals', expect: api({ default: 403, 'national-coordinator': 200, 'foreign-national-coordinator': 200 }) },
      { method: 'GET', route: '/api/v1/groups/:id/outcome-summary', path: `/api/v1/groups/${s}/outcome-summary`, expect: api(groupSummary(200)) },
      // ---------------------------------------------------------------- pages
      { method: 'GET', route: '/disclosures', path: '/disclosures', expect: page({ default: 200 }, false) },
      { method: 'GET', route: '/disclosures/new', path: `/disclosures/new?partnership=${partnership}`, expect: page({ default: 200, 'coordinator-without-2fa': 403 }, false) },
      { method: 'POST', route: '/disclosures', path: '/disclosures', form: { partnershipId: partnership, reportIds: r }, expect: page(buildAs(303), true) },
      { method: 'GET', route: '/disclosures/:id', path: `/disclosures/${readable}`, expect: page(read(200), false) },
      { method: 'POST', route: '/disclosures/:id/approval', path: `/disclosures/${approvePage}/approval`, form: {}, expect: page(approve(303), true) },
      { method: 'POST', route: '/disclosures/:id/acknowledgement', path: `/disclosures/${ackPage}/acknowledgement`, form: {}, expect: page(partnerAct(303), true) },
      { method: 'POST', route: '/disclosures/:id/outcomes', path: `/disclosures/${readable}/outcomes`, form: { kind: 'other' }, expect: page(partnerAct(303), true) },
      { method: 'GET', route: '/disclosures/:id/pdf', path: `/disclosures/${readable}/pdf`, expect: page(read(200), false) },
      { method: 'GET', route: '/disclosures/:id/json', path: `/disclosures/${readable}/json`, expect: page(read(200), false) },
      { method: 'POST', route: '/partnerships/:id/disclosure-terms', path: `/partnerships/${partnership}/disclosure-terms`, form: { identifierKinds: 'phone' }, expect: page({ default: 404, 'national-coordinator': 303, 'group-coordinator': 303, 'coordinator-without-2fa': 403 }, true) },
      { method: 'POST', route: '/groups/:id/sharing-settings', path: `/groups/${s}/sharing-settings`, form: { secondApproval: 'on' }, expect: page({ default: 404, 'national-coordinator': 403, 'group-coordinator': 303, 'coordinator-without-2fa': 403 }, true) },
      { method: 'GET', route: '/groups/:id/outcomes', path: `/groups/${s}/outcomes`, expect: page(groupSummary(200), false) },
      { method: 'GET', route: '/countries/:country/outcomes', path: '/countries/GB/outcomes', expect: page({ default: 403, 'national-coordinator': 200, 'foreign-national-coordinator': 404 }, false) },
    ];
    return rows;
  },
};
