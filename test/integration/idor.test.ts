/**
 * Insecure direct object references: people with standing somewhere else — the coordinator, a
 * member and a partner user of group B2, a national coordinator of another country, and for objects
 * that belong to one person, that person's own colleagues — ask for group V's objects by their real
 * ids (in the path, the query or the body) and must get 404 or 403 (422 where an id in a body is
 * refused as input), see none of V's words, and change nothing: every table's rows and the audit
 * chain are compared before and after each case (test/support/db-fingerprint.ts, plus a hash of
 * every row). Each GET case is first made by the object's rightful holder (all of them before any
 * attacker, as holders' reads are audited), so the id is known to be real and the route to work.
 *
 * Cases are checked against the live route table and the OpenAPI document: a route with an id in
 * its path, or an API operation with an id in its body or query, that has no case here and no
 * stated reason fails the test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Client, csrfFrom } from '../support/client.ts';
import { fingerprint, fingerprintChanges, UNFINGERPRINTED_TABLES, type Fingerprint } from '../support/db-fingerprint.ts';
import { testEngine } from '../support/database.ts';
import { reportId } from '../support/reports.ts';
import { sessionCall as call } from '../support/session-call.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { foreignNationalCoordinator, joinGroup, otherGroup, signedIn } from './matrix/standing.ts';
import type { CallerAccount } from './matrix/types.ts';

/** Path parameters that name an object (or a country, which scopes national data). */
const ID_PARAMS = new Set(['id', 'userId', 'requestId', 'invitationId', 'groupId', 'key', 'country', 'cc']);
/** Body or query fields that name an object. */
const ID_FIELD = /(?:Id|Ids)$|^partnership$/;

/** Routes with an id that are not one group's or person's objects, each with the reason. */
const NOT_OWNED: Record<string, string> = {
  'GET /events/:id': 'published events are public',
  'GET /api/v1/events/:id': 'published events are public',
  'GET /events/:id/calendar.ics': 'published events are public',
  'GET /events/groups/:groupId/calendar.ics': "a group's published events are public",
  'POST /events/:id/registrations': 'anyone may sign up for a published event',
  'POST /api/v1/events/:id/registrations': 'anyone may sign up for a published event',
  'GET /events/:id/registrations/cancel': "a sign-up is cancelled by its person's signed link, not by an id",
  'POST /events/:id/registrations/cancel': "a sign-up is cancelled by its person's signed link, not by an id",
  'POST /api/v1/events/:id/registrations/cancel': "a sign-up is cancelled by its person's signed link, not by an id",
  'POST /groups/:id/join-requests': 'anyone signed in may ask to join a listed group',
  'POST /api/v1/groups/:id/join-requests': 'anyone signed in may ask to join a listed group',
  'GET /donate/checkout/:id': "a donation's id is its donor's capability (122 random bits, shown only to them)",
  'GET /donate/thanks/:id': "a donation's id is its donor's capability (122 random bits, shown only to them)",
  'POST /donate/thanks/:id/gift-aid': "a donation's id is its donor's capability (122 random bits, shown only to them)",
  'POST /api/v1/donations/:id/gift-aid-declaration': "a donation's id is its donor's capability (122 random bits, shown only to them)",
  'GET /chocolate/manage/commitments/:id': "campaign content: editors' role, not ownership (authorisation matrix)",
  'POST /chocolate/manage/commitments/:id': "campaign content: editors' role, not ownership (authorisation matrix)",
  'POST /chocolate/manage/commitments/:id/events': "campaign content: editors' role, not ownership (authorisation matrix)",
  'POST /chocolate/manage/guide/:key/delete': "campaign content: editors' role, not ownership (authorisation matrix)",
  'POST /chocolate/manage/held/:id': "campaign content: editors' role, not ownership (authorisation matrix)",
  'GET /declarations/manage/:id': "campaign content: editors' role, not ownership (authorisation matrix)",
  'POST /declarations/manage/:id': "campaign content: editors' role, not ownership (authorisation matrix)",
  ...Object.fromEntries(
    ['companies', 'criteria', 'guide', 'campaigns'].flatMap((kind) => [
      [`GET /chocolate/manage/${kind}/:key`, "campaign content: editors' role, not ownership (authorisation matrix)"],
      [`POST /chocolate/manage/${kind}/:key`, "campaign content: editors' role, not ownership (authorisation matrix)"],
    ]),
  ),
};

type Attacker = 'other-coordinator' | 'other-member' | 'other-partner' | 'foreign-national-coordinator' | 'victim-member' | 'victim-national-coordinator';
type Holder = 'coordinator' | 'national-coordinator' | 'partner' | 'admin';
const ELSEWHERE: Attacker[] = ['other-coordinator', 'other-member', 'other-partner', 'foreign-national-coordinator'];

interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  route: string;
  path: string;
  json?: unknown;
  form?: Record<string, string | string[]>;
  /** Who else tries, beyond the callers with standing elsewhere. */
  also?: Attacker[];
  /** What the attackers may get; [403, 404] unless the route answers everyone by design. */
  refused?: number[];
  /** For GET cases: who holds the object, and what they get. */
  holder?: Holder;
  held?: number;
}

interface Fixture {
  attackers: Map<Attacker, Client>;
  holders: Map<Holder, Client>;
  secrets: string[];
  /** The ids of V's objects and of its people, which no list may show to the callers elsewhere. */
  ids: string[];
  /** What lists may show anyway: a country's verified partners are offered to every coordinator there, to propose a partnership. */
  offered: string[];
  cases: Case[];
  receipts: { victim: string; own: string; ownReference: string };
}

const V_AREA = { kind: 'community', country: 'GB', locality: 'Idorbury', lat: 53.4, lon: -2.9, radiusKm: 5 };
const G_AREA = { kind: 'community', country: 'GB', locality: 'Idorford', lat: 52.6, lon: 1.3, radiusKm: 5 };
const PHONE = '+44 7700 900456';
const NARRATIVE = 'IDOR narrative: a van collects workers at the Idorbury depot.';
const SUMMARY = 'IDOR graded summary of the Idorbury depot.';

async function anonymousReport(server: TestServer, at: { lat: number; lon: number }): Promise<{ id: string; reference: string; receipt: string }> {
  const sent = await new Client(server.url).json('POST', '/api/v1/reports', { country: 'GB', location: at, identifiers: [{ kind: 'phone', value: PHONE }], account: NARRATIVE });
  if (sent.status !== 201) throw new Error(`fixture report: ${sent.status} ${sent.text}`);
  const { reference, receiptCode } = sent.json<{ reference: string; receiptCode: string }>();
  return { id: await reportId(server, reference), reference, receipt: receiptCode };
}

async function member(server: TestServer, coordinator: Client, groupId: string): Promise<CallerAccount> {
  const person = await signedIn(server);
  await joinGroup(coordinator, person.client, groupId, 'member');
  return person;
}

/** Group V with one of each of its objects, and the people around it. */
async function buildFixture(server: TestServer): Promise<Fixture> {
  const admin = await signedIn(server, { role: 'admin' });
  const national = await signedIn(server, { role: 'national-coordinator', country: 'GB' });
  const coordinator = await signedIn(server, { role: 'group-coordinator' });
  const partner = await signedIn(server, { role: 'partner' });
  const cV = coordinator.client;
  const nc = national.client;

  const v = (await call(cV, 'POST', '/api/v1/groups', { ...V_AREA, name: 'IDOR Victim V' })).id!;
  await call(nc, 'POST', `/api/v1/groups/${v}/listing`);
  const mV = await member(server, cV, v);
  const joiner = await signedIn(server);
  const joinRequest = (await call(joiner.client, 'POST', `/api/v1/groups/${v}/join-requests`, { message: 'Let me in' })).id!;
  const invitation = (await call(cV, 'POST', `/api/v1/groups/${v}/invitations`, { role: 'member' })).id!;
  await call(cV, 'POST', `/api/v1/groups/${v}/activities`, { occurredOn: '2026-01-10', kind: 'talk', audience: 'public', peopleReached: 12 });

  // Report R in V, and S in the national coordinator's group G with the same phone number: linked.
  const g = (await call(nc, 'POST', '/api/v1/groups', { ...G_AREA, name: 'IDOR Group G' })).id!;
  await call(nc, 'POST', `/api/v1/groups/${g}/listing`);
  const r = await anonymousReport(server, { lat: 53.401, lon: -2.901 });
  const s = await anonymousReport(server, { lat: 52.601, lon: 1.301 });
  const link = ((await call(nc, 'GET', `/api/v1/reports/${r.id}/links`)) as unknown as { links: { id: string }[] }).links[0]!.id;
  await call(nc, 'POST', `/api/v1/links/${link}/confirm`);
  const connection = (await call(cV, 'POST', `/api/v1/reports/${r.id}/connection-requests`, { reason: 'Same phone as ours' })).id!;
  const network = (await call(nc, 'POST', '/api/v1/networks', { reportId: r.id, name: 'IDOR network' })).id!;
  await call(cV, 'POST', `/api/v1/reports/${r.id}/triage`);
  await call(cV, 'POST', `/api/v1/reports/${r.id}/grade`, { source: 2, assessment: 'B', handling: 'P', priority: 'low', summary: SUMMARY });

  const p = (await call(nc, 'POST', '/api/v1/partners', { kind: 'police', name: 'IDOR Police', country: 'GB', area: 'Idorshire', contactEmail: 'idor@police.example' })).id!;
  await call(nc, 'POST', `/api/v1/partners/${p}/verification`);
  await call(nc, 'POST', `/api/v1/partners/${p}/users`, { email: partner.email });
  const signedOn = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const partnership = (await call(cV, 'POST', '/api/v1/partnerships', { groupId: v, partnerId: p, agreementReference: 'ISA IDOR V', signedOn, contacts: 'IDOR', handlingCodes: ['P'] })).id!;
  await call(partner.client, 'POST', `/api/v1/partnerships/${partnership}/acceptance`);
  const disclosure = (await call(cV, 'POST', '/api/v1/disclosures', { partnershipId: partnership, reportIds: [r.id] })).id!;
  await call(nc, 'POST', `/api/v1/disclosures/${disclosure}/approval`);

  const exportJob = (await call(cV, 'POST', '/api/v1/exports', { groupId: v, format: 'csv' })).id!;
  const year = new Date().getUTCFullYear() + 1;
  const event = (await call(cV, 'POST', '/api/v1/events', { title: 'IDOR group event', start: `${year}-03-02 18:00`, end: `${year}-03-02 20:00`, place: 'Idorbury Hall', groupId: v })).id!;
  const edition = (await call(admin.client, 'POST', '/api/v1/newsletter/editions', { subject: 'IDOR edition', body: 'IDOR edition body', lists: ['general'] })).id!;
  const token = (await call(cV, 'POST', '/api/v1/tokens', { name: 'IDOR token', scopes: ['account:read'] })).id!;

  // The other side: B2 with its coordinator, a member and its partner's user; a national coordinator of FR.
  const other = await otherGroup(server, nc);
  const mB = await member(server, other.coordinator.client, other.groupId);
  const ownReport = await anonymousReport(server, { lat: 50.401, lon: -4.101 });

  const attackers = new Map<Attacker, Client>([
    ['other-coordinator', other.coordinator.client],
    ['other-member', mB.client],
    ['other-partner', other.partner.client],
    ['foreign-national-coordinator', (await foreignNationalCoordinator(server)).client],
    ['victim-member', mV.client],
    ['victim-national-coordinator', nc],
  ]);
  const holders = new Map<Holder, Client>([
    ['coordinator', cV],
    ['national-coordinator', nc],
    ['partner', partner.client],
    ['admin', admin.client],
  ]);

  const year2 = `${year}-04-01`;
  const grade = { source: 1, assessment: 'A', handling: 'P', priority: 'high', summary: 'IDOR regrade.' };
  const cases: Case[] = [
    // ---------------------------------------------------------------- the group
    // V is listed, so its directory entry is public; its members and everything below are not.
    { method: 'GET', route: '/groups/:id', path: `/groups/${v}`, holder: 'coordinator', refused: [200] },
    { method: 'GET', route: '/api/v1/groups/:id', path: `/api/v1/groups/${v}`, holder: 'coordinator', refused: [200] },
    { method: 'POST', route: '/groups/:id/join-requests/:requestId', path: `/groups/${v}/join-requests/${joinRequest}`, form: { decision: 'approve' } },
    { method: 'PUT', route: '/api/v1/groups/:id/join-requests/:requestId', path: `/api/v1/groups/${v}/join-requests/${joinRequest}`, json: { decision: 'approve' } },
    { method: 'GET', route: '/api/v1/groups/:id/join-requests', path: `/api/v1/groups/${v}/join-requests`, holder: 'coordinator' },
    { method: 'POST', route: '/groups/:id/invitations', path: `/groups/${v}/invitations`, form: { email: 'idor.invitee@example.org', role: 'coordinator' } },
    { method: 'POST', route: '/api/v1/groups/:id/invitations', path: `/api/v1/groups/${v}/invitations`, json: { role: 'coordinator' } },
    { method: 'GET', route: '/api/v1/groups/:id/invitations', path: `/api/v1/groups/${v}/invitations`, holder: 'coordinator' },
    { method: 'POST', route: '/groups/:id/invitations/:invitationId/cancel', path: `/groups/${v}/invitations/${invitation}/cancel`, form: {} },
    { method: 'DELETE', route: '/api/v1/groups/:id/invitations/:invitationId', path: `/api/v1/groups/${v}/invitations/${invitation}` },
    { method: 'GET', route: '/api/v1/groups/:id/members', path: `/api/v1/groups/${v}/members`, holder: 'coordinator' },
    { method: 'POST', route: '/groups/:id/members/:userId/role', path: `/groups/${v}/members/${mV.userId}/role`, form: { role: 'coordinator' }, also: ['victim-member'] },
    { method: 'PUT', route: '/api/v1/groups/:id/members/:userId', path: `/api/v1/groups/${v}/members/${mV.userId}`, json: { role: 'coordinator' }, also: ['victim-member'] },
    { method: 'POST', route: '/groups/:id/members/:userId/remove', path: `/groups/${v}/members/${mV.userId}/remove`, form: {} },
    { method: 'DELETE', route: '/api/v1/groups/:id/members/:userId', path: `/api/v1/groups/${v}/members/${mV.userId}` },
    { method: 'POST', route: '/groups/:id/activities', path: `/groups/${v}/activities`, form: { occurredOn: '2026-01-11', kind: 'talk', audience: 'public', peopleReached: '5' } },
    { method: 'POST', route: '/api/v1/groups/:id/activities', path: `/api/v1/groups/${v}/activities`, json: { occurredOn: '2026-01-11', kind: 'talk', audience: 'public', peopleReached: 5 } },
    { method: 'GET', route: '/api/v1/groups/:id/activities', path: `/api/v1/groups/${v}/activities`, holder: 'coordinator' },
    { method: 'GET', route: '/api/v1/groups/:id/activity-totals', path: `/api/v1/groups/${v}/activity-totals`, holder: 'coordinator' },
    { method: 'POST', route: '/groups/:id/listing-request', path: `/groups/${v}/listing-request`, form: {} },
    { method: 'POST', route: '/api/v1/groups/:id/listing-request', path: `/api/v1/groups/${v}/listing-request` },
    { method: 'POST', route: '/groups/:id/listing', path: `/groups/${v}/listing`, form: {} },
    { method: 'POST', route: '/api/v1/groups/:id/listing', path: `/api/v1/groups/${v}/listing` },
    { method: 'POST', route: '/groups/:id/sharing-settings', path: `/groups/${v}/sharing-settings`, form: { secondApproval: 'on' } },
    { method: 'GET', route: '/api/v1/groups/:id/map', path: `/api/v1/groups/${v}/map?zoom=4`, holder: 'coordinator' },
    { method: 'GET', route: '/api/v1/groups/:id/hotspots', path: `/api/v1/groups/${v}/hotspots`, holder: 'coordinator' },
    { method: 'GET', route: '/api/v1/groups/:id/routes', path: `/api/v1/groups/${v}/routes`, holder: 'coordinator' },
    { method: 'GET', route: '/api/v1/groups/:id/reports', path: `/api/v1/groups/${v}/reports`, holder: 'coordinator' },
    { method: 'GET', route: '/api/v1/groups/:id/export.:format', path: `/api/v1/groups/${v}/export.csv`, holder: 'coordinator' },
    { method: 'GET', route: '/api/v1/groups/:id/outcome-summary', path: `/api/v1/groups/${v}/outcome-summary`, holder: 'coordinator' },
    { method: 'GET', route: '/groups/:id/map', path: `/groups/${v}/map`, holder: 'coordinator' },
    { method: 'GET', route: '/groups/:id/routes', path: `/groups/${v}/routes`, holder: 'coordinator' },
    { method: 'GET', route: '/groups/:id/reports', path: `/groups/${v}/reports`, holder: 'coordinator' },
    { method: 'GET', route: '/groups/:id/outcomes', path: `/groups/${v}/outcomes`, holder: 'coordinator' },
    // ---------------------------------------------------------------- a report
    { method: 'GET', route: '/api/v1/reports/:id', path: `/api/v1/reports/${r.id}`, holder: 'coordinator', also: ['victim-member'] },
    { method: 'GET', route: '/reports/:id', path: `/reports/${r.id}`, holder: 'coordinator', also: ['victim-member'] },
    { method: 'GET', route: '/api/v1/reports/:id/history', path: `/api/v1/reports/${r.id}/history`, holder: 'coordinator' },
    { method: 'GET', route: '/api/v1/reports/:id/links', path: `/api/v1/reports/${r.id}/links`, holder: 'coordinator' },
    { method: 'GET', route: '/reports/:id/links', path: `/reports/${r.id}/links`, holder: 'coordinator' },
    { method: 'POST', route: '/api/v1/reports/:id/triage', path: `/api/v1/reports/${r.id}/triage` },
    { method: 'POST', route: '/reports/:id/triage', path: `/reports/${r.id}/triage`, form: {} },
    { method: 'POST', route: '/api/v1/reports/:id/grade', path: `/api/v1/reports/${r.id}/grade`, json: grade },
    { method: 'POST', route: '/reports/:id/grade', path: `/reports/${r.id}/grade`, form: { source: '1', assessment: 'A', handling: 'P', priority: 'high', summary: 'IDOR regrade.' } },
    { method: 'PUT', route: '/api/v1/reports/:id/assignee', path: `/api/v1/reports/${r.id}/assignee`, json: { assignee: other.coordinator.userId } },
    { method: 'POST', route: '/reports/:id/assign', path: `/reports/${r.id}/assign`, form: { assignee: other.coordinator.userId } },
    { method: 'POST', route: '/api/v1/reports/:id/notes', path: `/api/v1/reports/${r.id}/notes`, json: { note: 'IDOR note' } },
    { method: 'POST', route: '/reports/:id/notes', path: `/reports/${r.id}/notes`, form: { note: 'IDOR note' } },
    { method: 'POST', route: '/api/v1/reports/:id/merge', path: `/api/v1/reports/${r.id}/merge`, json: { target: s.reference } },
    { method: 'POST', route: '/reports/:id/merge', path: `/reports/${r.id}/merge`, form: { target: s.reference } },
    { method: 'POST', route: '/api/v1/reports/:id/reject', path: `/api/v1/reports/${r.id}/reject`, json: {} },
    { method: 'POST', route: '/reports/:id/reject', path: `/reports/${r.id}/reject`, form: {} },
    { method: 'POST', route: '/api/v1/reports/:id/close', path: `/api/v1/reports/${r.id}/close`, json: {} },
    { method: 'POST', route: '/reports/:id/close', path: `/reports/${r.id}/close`, form: {} },
    { method: 'POST', route: '/api/v1/reports/:id/reopen', path: `/api/v1/reports/${r.id}/reopen`, json: {} },
    { method: 'POST', route: '/reports/:id/reopen', path: `/reports/${r.id}/reopen`, form: {} },
    { method: 'POST', route: '/api/v1/reports/:id/connection-requests', path: `/api/v1/reports/${r.id}/connection-requests`, json: { reason: 'IDOR' } },
    { method: 'POST', route: '/reports/:id/connection-requests', path: `/reports/${r.id}/connection-requests`, form: { reason: 'IDOR' } },
    // ---------------------------------------------------------------- links, connection requests, networks
    { method: 'POST', route: '/api/v1/links/:id/dismiss', path: `/api/v1/links/${link}/dismiss` },
    { method: 'POST', route: '/links/:id/dismiss', path: `/links/${link}/dismiss`, form: { report: r.id } },
    { method: 'POST', route: '/api/v1/links/:id/confirm', path: `/api/v1/links/${link}/confirm` },
    { method: 'POST', route: '/links/:id/confirm', path: `/links/${link}/confirm`, form: { report: r.id } },
    { method: 'POST', route: '/api/v1/connection-requests/:id/decision', path: `/api/v1/connection-requests/${connection}/decision`, json: { decision: 'approve' } },
    { method: 'POST', route: '/connection-requests/:id/decision', path: `/connection-requests/${connection}/decision`, form: { decision: 'approve', country: 'GB' } },
    { method: 'GET', route: '/api/v1/networks/:id', path: `/api/v1/networks/${network}`, holder: 'national-coordinator' },
    { method: 'GET', route: '/networks/:id', path: `/networks/${network}`, holder: 'national-coordinator' },
    { method: 'POST', route: '/networks/:id', path: `/networks/${network}`, form: { name: 'IDOR renamed' } },
    { method: 'POST', route: '/api/v1/networks', path: '/api/v1/networks', json: { reportId: r.id, name: 'IDOR stolen network' }, refused: [403, 404, 422] },
    { method: 'POST', route: '/networks', path: '/networks', form: { reportId: r.id, name: 'IDOR stolen network' }, refused: [403, 404, 422] },
    // ---------------------------------------------------------------- partners and partnerships
    { method: 'POST', route: '/api/v1/partners/:id/verification', path: `/api/v1/partners/${p}/verification` },
    { method: 'POST', route: '/partners/:id/verification', path: `/partners/${p}/verification`, form: {} },
    { method: 'POST', route: '/api/v1/partners/:id/users', path: `/api/v1/partners/${p}/users`, json: { email: mB.email } },
    { method: 'POST', route: '/partners/:id/users', path: `/partners/${p}/users`, form: { email: mB.email } },
    { method: 'POST', route: '/api/v1/partnerships/:id/acceptance', path: `/api/v1/partnerships/${partnership}/acceptance` },
    { method: 'POST', route: '/partnerships/:id/acceptance', path: `/partnerships/${partnership}/acceptance`, form: {} },
    { method: 'POST', route: '/api/v1/partnerships/:id/decline', path: `/api/v1/partnerships/${partnership}/decline` },
    { method: 'POST', route: '/partnerships/:id/decline', path: `/partnerships/${partnership}/decline`, form: {} },
    { method: 'POST', route: '/api/v1/partnerships/:id/end', path: `/api/v1/partnerships/${partnership}/end`, json: {} },
    { method: 'POST', route: '/partnerships/:id/end', path: `/partnerships/${partnership}/end`, form: {} },
    { method: 'POST', route: '/partnerships/:id/disclosure-terms', path: `/partnerships/${partnership}/disclosure-terms`, form: { identifierKinds: 'phone', preciseLocation: 'on' } },
    // An attacker's own partner, partnered with V by V's id: refused.
    { method: 'POST', route: '/api/v1/partnerships', path: '/api/v1/partnerships', json: { groupId: v, partnerId: other.partnerId, agreementReference: 'ISA IDOR stolen', signedOn, contacts: 'IDOR', handlingCodes: ['P'] }, refused: [403, 404, 422] },
    { method: 'POST', route: '/partnerships', path: '/partnerships', form: { groupId: v, partnerId: other.partnerId, agreementReference: 'ISA IDOR stolen', signedOn, contacts: 'IDOR', handlingCodes: 'P' }, refused: [403, 404, 422] },
    // ---------------------------------------------------------------- disclosures
    { method: 'GET', route: '/api/v1/disclosures/:id', path: `/api/v1/disclosures/${disclosure}`, holder: 'partner' },
    { method: 'GET', route: '/disclosures/:id', path: `/disclosures/${disclosure}`, holder: 'partner' },
    { method: 'GET', route: '/disclosures/:id/pdf', path: `/disclosures/${disclosure}/pdf`, holder: 'partner' },
    { method: 'GET', route: '/disclosures/:id/json', path: `/disclosures/${disclosure}/json`, holder: 'partner' },
    { method: 'POST', route: '/api/v1/disclosures/:id/approval', path: `/api/v1/disclosures/${disclosure}/approval` },
    { method: 'POST', route: '/disclosures/:id/approval', path: `/disclosures/${disclosure}/approval`, form: {} },
    { method: 'POST', route: '/api/v1/disclosures/:id/acknowledgement', path: `/api/v1/disclosures/${disclosure}/acknowledgement` },
    { method: 'POST', route: '/disclosures/:id/acknowledgement', path: `/disclosures/${disclosure}/acknowledgement`, form: {} },
    { method: 'POST', route: '/api/v1/disclosures/:id/outcomes', path: `/api/v1/disclosures/${disclosure}/outcomes`, json: { kind: 'safeguarding-visit' } },
    { method: 'POST', route: '/disclosures/:id/outcomes', path: `/disclosures/${disclosure}/outcomes`, form: { kind: 'safeguarding-visit' } },
    // V's report through V's partnership, and through the attacker's own partnership: refused either way.
    { method: 'POST', route: '/api/v1/disclosures', path: '/api/v1/disclosures', json: { partnershipId: partnership, reportIds: [r.id] }, refused: [403, 404, 422] },
    { method: 'POST', route: '/api/v1/disclosures', path: '/api/v1/disclosures', json: { partnershipId: other.partnershipId, reportIds: [r.id] }, refused: [403, 404, 422] },
    { method: 'POST', route: '/disclosures', path: '/disclosures', form: { partnershipId: other.partnershipId, reportIds: r.id }, refused: [403, 404, 422] },
    // The builder only offers the caller's own partnerships: another's id shows nothing of it.
    { method: 'GET', route: '/disclosures/new', path: `/disclosures/new?partnership=${partnership}`, refused: [200, 403, 404], holder: 'coordinator' },
    // ---------------------------------------------------------------- exports: another person's, even in the same group
    { method: 'GET', route: '/api/v1/exports/:id', path: `/api/v1/exports/${exportJob}`, holder: 'coordinator', also: ['victim-member', 'victim-national-coordinator'] },
    { method: 'GET', route: '/api/v1/exports/:id/file', path: `/api/v1/exports/${exportJob}/file`, holder: 'coordinator', held: 409, also: ['victim-member', 'victim-national-coordinator'] },
    { method: 'GET', route: '/exports/:id/file', path: `/exports/${exportJob}/file`, holder: 'coordinator', held: 409, also: ['victim-member', 'victim-national-coordinator'] },
    { method: 'POST', route: '/api/v1/exports', path: '/api/v1/exports', json: { groupId: v, format: 'csv' }, refused: [403, 404, 422] },
    { method: 'POST', route: '/exports', path: '/exports', form: { groupId: v, format: 'csv' }, refused: [403, 404, 422] },
    { method: 'GET', route: '/exports/new', path: `/exports/new?groupId=${v}`, holder: 'coordinator' },
    // ---------------------------------------------------------------- a group's event: its organisers only
    { method: 'POST', route: '/api/v1/events', path: '/api/v1/events', json: { title: 'IDOR stolen event', start: `${year2} 18:00`, end: `${year2} 19:00`, place: 'Nowhere', groupId: v }, refused: [403, 404, 422] },
    { method: 'POST', route: '/events', path: '/events', form: { title: 'IDOR stolen event', start: `${year2} 18:00`, end: `${year2} 19:00`, place: 'Nowhere', groupId: v }, refused: [403, 404, 422] },
    { method: 'GET', route: '/events/:id/edit', path: `/events/${event}/edit`, holder: 'coordinator' },
    { method: 'POST', route: '/events/:id/edit', path: `/events/${event}/edit`, form: { title: 'IDOR changed', start: `${year}-03-02 18:00`, end: `${year}-03-02 21:00`, place: 'Elsewhere' } },
    { method: 'PATCH', route: '/api/v1/events/:id', path: `/api/v1/events/${event}`, json: { title: 'IDOR changed' } },
    { method: 'GET', route: '/events/:id/cancel', path: `/events/${event}/cancel`, holder: 'coordinator' },
    { method: 'POST', route: '/events/:id/cancel', path: `/events/${event}/cancel`, form: { reason: 'IDOR' } },
    { method: 'POST', route: '/api/v1/events/:id/cancel', path: `/api/v1/events/${event}/cancel`, json: { reason: 'IDOR' } },
    { method: 'GET', route: '/events/:id/registrations', path: `/events/${event}/registrations`, holder: 'coordinator' },
    // ---------------------------------------------------------------- an edition: editors only
    { method: 'GET', route: '/newsletter/editions/:id', path: `/newsletter/editions/${edition}`, holder: 'admin' },
    { method: 'POST', route: '/newsletter/editions/:id', path: `/newsletter/editions/${edition}`, form: { subject: 'IDOR changed', body: 'x', lists: 'general' } },
    { method: 'POST', route: '/newsletter/editions/:id/test', path: `/newsletter/editions/${edition}/test`, form: {} },
    { method: 'POST', route: '/newsletter/editions/:id/schedule', path: `/newsletter/editions/${edition}/schedule`, form: { at: `${year}-01-01T10:00` } },
    { method: 'POST', route: '/newsletter/editions/:id/send', path: `/newsletter/editions/${edition}/send`, form: {} },
    { method: 'GET', route: '/api/v1/newsletter/editions/:id', path: `/api/v1/newsletter/editions/${edition}`, holder: 'admin' },
    { method: 'PUT', route: '/api/v1/newsletter/editions/:id', path: `/api/v1/newsletter/editions/${edition}`, json: { subject: 'IDOR changed', body: 'x', lists: ['general'] } },
    { method: 'POST', route: '/api/v1/newsletter/editions/:id/test', path: `/api/v1/newsletter/editions/${edition}/test` },
    { method: 'POST', route: '/api/v1/newsletter/editions/:id/send', path: `/api/v1/newsletter/editions/${edition}/send`, json: {} },
    { method: 'GET', route: '/api/v1/newsletter/editions/:id/progress', path: `/api/v1/newsletter/editions/${edition}/progress`, holder: 'admin' },
    // ---------------------------------------------------------------- a person's token; a national coordinator's appointment
    { method: 'POST', route: '/account/tokens/:id/revoke', path: `/account/tokens/${token}/revoke`, form: {}, also: ['victim-member', 'victim-national-coordinator'] },
    { method: 'DELETE', route: '/api/v1/tokens/:id', path: `/api/v1/tokens/${token}`, also: ['victim-member', 'victim-national-coordinator'] },
    { method: 'POST', route: '/admin/national-coordinators/:userId/:country/remove', path: `/admin/national-coordinators/${national.userId}/GB/remove`, form: {} },
    { method: 'DELETE', route: '/api/v1/national-coordinators/:userId/:country', path: `/api/v1/national-coordinators/${national.userId}/GB` },
  ];
  const ids = [v, joinRequest, invitation, mV.userId, r.id, r.reference, link, connection, network, p, partnership, disclosure, exportJob, token];
  return { attackers, holders, secrets: [NARRATIVE, SUMMARY, mV.email, 'IDOR network', 'ISA IDOR V', 'IDOR Police'], ids, offered: [p, 'IDOR Police'], cases: [...cases, ...countryCases(server)], receipts: { victim: r.receipt, own: ownReport.receipt, ownReference: ownReport.reference } };
}

/** Every GB-scoped route from the live route table: national data, for GB's national coordinator only. */
function countryCases(server: TestServer): Case[] {
  return server.cast.app.registeredRoutes
    .filter((route) => route.method === 'GET' && /:(country|cc)\b/.test(route.url) && !route.url.startsWith('/groups/national'))
    .map((route) => ({ method: 'GET' as const, route: route.url, path: route.url.replace(/:(country|cc)\b/, 'GB').replace(':format', 'csv'), holder: 'national-coordinator' as const }))
    .concat([{ method: 'GET', route: '/groups/national/:country', path: '/groups/national/GB', holder: 'national-coordinator' }]);
}

/** Row counts, the audit head and queued jobs, plus a hash of every row of every table but sessions (touched by the callers' own requests). */
async function snapshot(server: TestServer): Promise<Fingerprint> {
  const db = server.cast.database.db;
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const hashed = tables.rows.map((row) => row.table_name).filter((name) => name !== 'sessions' && !(name in UNFINGERPRINTED_TABLES));
  const query = hashed.map((name) => `select '${name}' as item, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as value from "${name}" t`).join(' union all ');
  const rows = await sql<{ item: string; value: string }>`${sql.raw(query)}`.execute(db);
  return { ...(await fingerprint(db as never)), ...Object.fromEntries(rows.rows.map((row) => [`rows of ${row.item}`, row.value])) };
}

const csrfOf = new WeakMap<Client, string>();
async function send(client: Client, kase: Pick<Case, 'method' | 'path' | 'json' | 'form'>) {
  if (!csrfOf.has(client)) csrfOf.set(client, csrfFrom((await client.get('/signup')).text));
  const csrf = csrfOf.get(client)!;
  if (kase.form) return client.postForm(kase.path, { _csrf: csrf, ...kase.form });
  if (kase.method === 'GET') return client.get(kase.path);
  return client.request(kase.method, kase.path, {
    ...(kase.json === undefined ? {} : { body: JSON.stringify(kase.json) }),
    headers: { 'x-csrf-token': csrf, ...(kase.json === undefined ? {} : { 'content-type': 'application/json' }) },
  });
}

describe(`insecure direct object references (${testEngine()})`, () => {
  let server: TestServer;
  let fixture: Fixture;

  before(async () => {
    // Jobs do not run, so only the requests under test change the database.
    server = await startTestServer({ env: { CAST_RUN_JOBS: 'false', RATE_LIMIT_SCALE: '1000' } });
    fixture = await buildFixture(server);
  });
  after(async () => {
    await server.close();
  });

  test('every route with an id in its path, body or query has a case or a stated reason', async () => {
    const covered = new Set([...fixture.cases.map((kase) => `${kase.method} ${kase.route}`), ...Object.keys(NOT_OWNED)]);
    const pathIds = server.cast.app.registeredRoutes
      .filter((route) => [...route.url.matchAll(/:(\w+)/g)].some((match) => ID_PARAMS.has(match[1]!)))
      .map((route) => `${route.method} ${route.url}`);
    const document = (await new Client(server.url).get('/api/openapi.json')).json<{ paths: Record<string, Record<string, OpenApiOperation>> }>();
    const fieldIds = Object.entries(document.paths).flatMap(([route, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => idFields(operation).length > 0)
        .map(([method]) => `${method.toUpperCase()} ${route.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const pageFieldIds = ['GET /disclosures/new', 'GET /exports/new', 'POST /disclosures', 'POST /exports', 'POST /networks', 'POST /partnerships', 'POST /events'];
    const missing = [...new Set([...pathIds, ...fieldIds, ...pageFieldIds])].filter((route) => !covered.has(route)).sort();
    assert.deepEqual(missing, []);
    // The enumeration itself must see what it is meant to see.
    assert.ok(pathIds.includes('GET /api/v1/reports/:id') && fieldIds.includes('POST /api/v1/disclosures') && fieldIds.includes('POST /api/v1/events'), 'the route enumeration found nothing');
  });

  test('the holder of each object reaches it by the same request (the ids are real, the routes work)', async () => {
    const problems: string[] = [];
    for (const kase of fixture.cases.filter((each) => each.holder)) {
      const held = await send(fixture.holders.get(kase.holder!)!, kase);
      if (held.status !== (kase.held ?? 200)) problems.push(`${kase.method} ${kase.route} as ${kase.holder}: got ${held.status}, expected ${kase.held ?? 200}`);
    }
    assert.deepEqual(problems, []);
  });

  test("callers with standing elsewhere get nothing of group V's objects by id and change nothing", async (t) => {
    let before = await snapshot(server);
    let requests = 0;
    for (const kase of fixture.cases) {
      await t.test(`${kase.method} ${kase.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')}`, async () => {
        const problems: string[] = [];
        for (const attacker of [...ELSEWHERE, ...(kase.also ?? [])]) {
          const answer = await send(fixture.attackers.get(attacker)!, kase);
          requests += 1;
          if (!(kase.refused ?? [403, 404]).includes(answer.status)) problems.push(`${attacker}: got ${answer.status}`);
          for (const secret of fixture.secrets) if (answer.text.includes(secret)) problems.push(`${attacker}: the answer shows "${secret}"`);
        }
        const now = await snapshot(server);
        problems.push(...fingerprintChanges(before, now));
        before = now;
        assert.deepEqual(problems, []);
      });
    }
    t.diagnostic(`IDOR (${testEngine()}): ${fixture.cases.length} cases, ${requests} refused requests, each case's database compared before and after`);
  });

  test("lists show callers with standing elsewhere none of V's objects or people", async () => {
    const lists = ['/api/v1/exports', '/api/v1/disclosures', '/api/v1/partnerships', '/api/v1/partners', '/api/v1/networks', '/api/v1/tokens', '/api/v1/my/reports', '/exports', '/disclosures', '/partnerships', '/partners', '/networks', '/account', '/my/reports'];
    const problems: string[] = [];
    for (const attacker of ELSEWHERE) {
      for (const list of lists) {
        const answer = await fixture.attackers.get(attacker)!.get(list);
        if (answer.status >= 500) problems.push(`${attacker} ${list}: ${answer.status}`);
        for (const leak of [...fixture.ids, ...fixture.secrets]) if (answer.text.includes(leak) && !fixture.offered.includes(leak)) problems.push(`${attacker} ${list}: shows ${leak}`);
      }
    }
    // The same lists do show them to V's coordinator, so the check looks at the right text.
    const own = await fixture.holders.get('coordinator')!.get('/api/v1/exports');
    assert.ok(fixture.ids.some((id) => own.text.includes(id)), "V's coordinator does not see their own export");
    assert.deepEqual(problems, []);
  });

  test("a receipt code opens only its own report; a near miss of another's opens nothing and adds nothing", async () => {
    const client = new Client(server.url);
    const own = await client.json('POST', '/api/v1/reports/by-receipt', { receipt: fixture.receipts.own });
    assert.equal(own.status, 200);
    assert.equal(own.json<{ reference: string }>().reference, fixture.receipts.ownReference);
    for (const secret of fixture.secrets) assert.ok(!own.text.includes(secret), `the attacker's own report shows "${secret}"`);
    const victim = fixture.receipts.victim;
    const nearMiss = `${victim.slice(0, -1)}${victim.endsWith('0') ? '1' : '0'}`;
    const before = await snapshot(server);
    assert.equal((await client.json('POST', '/api/v1/reports/by-receipt', { receipt: nearMiss })).status, 404);
    assert.equal((await client.json('POST', '/api/v1/reports/by-receipt/additions', { receipt: nearMiss, account: 'IDOR addition' })).status, 404);
    assert.deepEqual(fingerprintChanges(before, await snapshot(server)), []);
  });

  test("a token stays usable after others tried to revoke it by its id", async () => {
    const tokens = await call(fixture.holders.get('coordinator')!, 'GET', '/api/v1/tokens');
    assert.ok((tokens as unknown as { name: string; revokedAt: string | null }[]).some((token) => token.name === 'IDOR token' && token.revokedAt === null));
  });
});

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

function idFields(operation: OpenApiOperation): string[] {
  const query = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
  const body = Object.values(operation.requestBody?.content ?? {}).flatMap((content) => Object.keys(content.schema?.properties ?? {}));
  return [...query, ...body].filter((name) => ID_FIELD.test(name));
}
