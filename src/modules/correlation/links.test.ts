/**
 * Correlation through the real server and database: exact links across groups at submission, the
 * warning list and the common cap, fuzzy and place-and-time proposals, what each coordinator sees,
 * connection requests (and their e-mails, through a real SMTP server), and networks. The point of
 * most of it: group B's coordinator never sees group A's report content, and A's coordinator sees
 * B's only after a national coordinator approved it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport, type Person } from '../../../test/support/reports.ts';
import { openKeyring } from '../../core/data-keys.ts';
import { MIGRATIONS_DIR } from '../../core/db/migrate.ts';
import { loadInstanceKey } from '../../core/keys.ts';
import { rebuildEncodings } from './rebuild.ts';
import { linkerFor } from './setup.ts';

type Links = {
  report: { id: string; reference: string };
  links: { id: string; status: string; exact: boolean; score: number; reasons: { method: string; kind?: string; field?: string }[]; other: { id: string; reference: string; access: string; summary: string | null } }[];
  hidden: { method: string; what: string; reports: number }[];
  hiddenReports: number;
  canRequest: boolean;
};

const BRISTOL = { lat: 51.4545, lon: -2.5879 };
const LEEDS = { lat: 53.8008, lon: -1.5491 };
const GRADE = { source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: 'SECRET-SUMMARY-B: workers moved by one van at night.' };

describe('correlation: links, connections and networks', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  let national: Person;
  let coordinatorA: Person;
  let coordinatorB: Person;
  const db = () => server.cast.database.db;
  const act = (who: Person, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => who.api.json(method, path, body, who.token);
  const report = async (overrides: Record<string, unknown>) => {
    const sent = await sendReport(server, { ...A_REPORT, ...overrides });
    return { ...sent, id: await reportId(server, sent.reference) };
  };
  const linksOf = async (who: Person, id: string) => {
    const response = await act(who, `/api/v1/reports/${id}/links`);
    assert.equal(response.status, 200, response.text);
    return { body: response.json<Links>(), text: response.text };
  };

  before(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({ smtpUrl: mailbox.url });
    national = await person(server, { role: 'national-coordinator', country: 'GB' });
    coordinatorA = await person(server);
    coordinatorB = await person(server);
    await listedGroup(coordinatorA, national, { ...BRISTOL, radiusKm: 10 });
    await listedGroup(coordinatorB, national, { ...LEEDS, radiusKm: 10 });
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  test('the same phone number written two ways links reports of two groups at submission; A sees only a count until a national coordinator connects it', async () => {
    const a = await report({ location: BRISTOL, identifiers: [{ kind: 'phone', value: '07700 900123' }] });
    const b = await report({ location: LEEDS, placeType: 'nail-bar', identifiers: [{ kind: 'phone', value: '+44 7700-900123' }] });
    // B's coordinator grades B's report: its summary must not reach A before a connection.
    assert.equal((await act(coordinatorB, `/api/v1/reports/${b.id}/triage`, {})).status, 200);
    assert.equal((await act(coordinatorB, `/api/v1/reports/${b.id}/grade`, GRADE)).status, 200);

    const seenByA = await linksOf(coordinatorA, a.id);
    assert.deepEqual(seenByA.body.links, [], 'A may not see B’s report');
    assert.deepEqual(seenByA.body.hidden.map((h) => [h.method, h.what, h.reports]), [['exact', 'phone', 1]]);
    for (const secret of [b.id, b.reference, 'SECRET-SUMMARY-B', 'nail-bar']) assert.ok(!seenByA.text.includes(secret), `A's answer holds ${secret}`);
    assert.equal(seenByA.body.canRequest, true);

    // B's coordinator learns nothing of A's report: not even that it exists.
    assert.equal((await act(coordinatorB, `/api/v1/reports/${a.id}/links`)).status, 404);

    // The national coordinator sees both sides and confirms.
    const seenByNational = await linksOf(national, a.id);
    const link = seenByNational.body.links.find((l) => l.other.id === b.id);
    assert.ok(link, 'the national coordinator sees the link');
    assert.equal(link.exact, true);
    assert.deepEqual(link.reasons.map((r) => [r.method, r.kind]), [['exact', 'phone']]);
    assert.ok(!seenByNational.text.includes('7700'), 'no identifier value in a link');
    assert.equal((await act(coordinatorA, `/api/v1/links/${link.id}/confirm`, {})).status, 403, 'A cannot decide a link to a report it may not see');
    assert.equal((await act(coordinatorB, `/api/v1/links/${link.id}/confirm`, {})).status, 403);
    const confirmed = await act(national, `/api/v1/links/${link.id}/confirm`, {});
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.json<{ status: string }>().status, 'confirmed');

    // A asks to be connected; bad input first.
    const empty = await act(coordinatorA, `/api/v1/reports/${a.id}/connection-requests`, { reason: '   ' });
    assert.equal(empty.status, 422);
    const asked = await act(coordinatorA, `/api/v1/reports/${a.id}/connection-requests`, { reason: 'Same phone as our car-wash report; police are interested.' });
    assert.equal(asked.status, 201, asked.text);
    const requestId = asked.json<{ id: string; reports: number }>().id;
    // The national coordinator is told by e-mail that a request waits: a link, nothing of the request.
    const waiting = await mailbox.waitFor(national.email, /connection request is waiting/);
    assert.match(waiting.text, /\/countries\/GB\/connection-requests/);
    for (const secret of [a.id, a.reference, b.id, b.reference, 'car-wash', 'police are interested', '7700', 'SECRET-SUMMARY-B']) assert.ok(!`${waiting.subject}${waiting.text}${waiting.raw}`.includes(secret), `the e-mail holds ${secret}`);
    assert.ok(!mailbox.messages.some((m) => m.to.includes(coordinatorA.email.toLowerCase()) && /connection request/.test(m.subject)), 'the requester is not told of their own request');
    assert.equal((await act(coordinatorA, `/api/v1/reports/${a.id}/connection-requests`, { reason: 'again' })).status, 409, 'one pending request at a time');
    assert.equal((await act(coordinatorB, '/api/v1/countries/GB/connection-requests')).status, 404, 'only national coordinators list requests');
    assert.equal((await act(coordinatorA, `/api/v1/connection-requests/${requestId}/decision`, { decision: 'approve' })).status, 404, 'a requester cannot approve their own request');
    const listed = await act(national, '/api/v1/countries/GB/connection-requests?status=pending');
    assert.equal(listed.status, 200, listed.text);
    assert.ok(listed.json<{ id: string }[]>().some((r) => r.id === requestId));
    assert.equal((await act(national, `/api/v1/connection-requests/${requestId}/decision`, { decision: 'maybe' })).status, 422, 'the schema refuses an unknown decision');

    // Still nothing for A before the decision.
    assert.ok(!(await linksOf(coordinatorA, a.id)).text.includes('SECRET-SUMMARY-B'));
    const approved = await act(national, `/api/v1/connection-requests/${requestId}/decision`, { decision: 'approve', note: 'Connected.' });
    assert.equal(approved.status, 200, approved.text);
    assert.equal((await act(national, `/api/v1/connection-requests/${requestId}/decision`, { decision: 'refuse' })).status, 409, 'decided once');
    // The requester is told it was decided, with a link to where they see what came of it.
    const decided = await mailbox.waitFor(coordinatorA.email, /connection request was decided/);
    assert.match(decided.text, /approved/);
    assert.ok(decided.text.includes(`/reports/${a.id}/links`));
    for (const secret of [b.id, b.reference, 'Connected.', '7700', 'SECRET-SUMMARY-B', 'police are interested']) assert.ok(!`${decided.subject}${decided.text}${decided.raw}`.includes(secret), `the e-mail holds ${secret}`);

    const afterApproval = await linksOf(coordinatorA, a.id);
    const shown = afterApproval.body.links.find((l) => l.other.id === b.id);
    assert.ok(shown, 'A now sees B’s report through the connection');
    assert.equal(shown.other.access, 'connection');
    assert.equal(shown.other.summary, GRADE.summary);
    const reveals = await db().selectFrom('audit_log').select(['action', 'actor_id']).where('subject', '=', `report:${b.id}`).where('action', '=', 'correlation.reveal').execute();
    assert.ok(reveals.some((r) => r.actor_id === coordinatorA.userId), 'the reveal is audited');

    // A network from the confirmed link.
    assert.equal((await act(coordinatorA, '/api/v1/networks', { reportId: a.id, name: 'Phone network' })).status, 403, 'only national coordinators make networks');
    assert.equal((await act(national, '/api/v1/networks', { reportId: a.id, name: '' })).status, 422);
    const made = await act(national, '/api/v1/networks', { reportId: a.id, name: 'Van and phone network', summary: 'Two car washes, one phone.' });
    assert.equal(made.status, 201, made.text);
    const networkId = made.json<{ id: string; reports: number }>().id;
    assert.equal(made.json<{ reports: number }>().reports, 2);

    const whole = await act(national, `/api/v1/networks/${networkId}`);
    assert.equal(whole.status, 200, whole.text);
    const graph = whole.json<{ nodes: { type: string; kind?: string }[]; edges: { type: string }[]; timeline: unknown[]; hiddenReports: number }>();
    assert.equal(graph.nodes.filter((n) => n.type === 'report').length, 2);
    assert.ok(graph.nodes.some((n) => n.type === 'identifier' && n.kind === 'phone'));
    assert.ok(graph.edges.some((e) => e.type === 'link'));
    assert.equal(graph.timeline.length, 2);
    assert.ok(!whole.text.includes('7700'), 'no identifier value in a network');

    // B's coordinator sees the network (it holds B's report) but A's report only as a hidden node.
    const fromB = await act(coordinatorB, `/api/v1/networks/${networkId}`);
    assert.equal(fromB.status, 200, fromB.text);
    assert.equal(fromB.json<{ hiddenReports: number }>().hiddenReports, 1);
    for (const secret of [a.id, a.reference]) assert.ok(!fromB.text.includes(secret), `B's network view holds ${secret}`);
    const listB = await act(coordinatorB, '/api/v1/networks');
    assert.equal(listB.status, 200, listB.text);
    assert.deepEqual(listB.json<{ id: string }[]>().map((n) => n.id), [networkId]);
    const stranger = await person(server);
    assert.equal((await act(stranger, `/api/v1/networks/${networkId}`)).status, 404);
  });

  test('a connection request never shows or opens another country\'s report: its national coordinators did not decide it', async () => {
    const frNational = await person(server, { role: 'national-coordinator', country: 'FR' });
    const phone = { kind: 'phone', value: '+44 7700 900456' };
    const a = await report({ location: BRISTOL, identifiers: [phone] });
    const b = await report({ location: LEEDS, identifiers: [phone] });
    const fr = await report({ country: 'FR', location: { lat: 48.8566, lon: 2.3522 }, identifiers: [phone] });
    assert.equal((await act(frNational, `/api/v1/reports/${fr.id}/triage`, {})).status, 200);
    const frSummary = 'SECRET-SUMMARY-FR: a flat above a bakery.';
    assert.equal((await act(frNational, `/api/v1/reports/${fr.id}/grade`, { ...GRADE, summary: frSummary })).status, 200);
    const seenByA = await linksOf(coordinatorA, a.id);
    assert.equal(seenByA.body.hiddenReports, 2, 'both linked reports are counted for A');

    const asked = await act(coordinatorA, `/api/v1/reports/${a.id}/connection-requests`, { reason: 'Same phone in Leeds and abroad.' });
    assert.equal(asked.status, 201, asked.text);
    assert.equal(asked.json<{ reports: number }>().reports, 1, 'only the report GB national coordinators may decide on is asked for');
    const listed = await act(national, '/api/v1/countries/GB/connection-requests?status=pending');
    assert.equal(listed.status, 200, listed.text);
    for (const secret of [fr.id, fr.reference, 'SECRET-SUMMARY-FR']) assert.ok(!listed.text.includes(secret), `GB's request list holds ${secret}`);
    const requestId = asked.json<{ id: string }>().id;
    assert.equal((await act(national, `/api/v1/connection-requests/${requestId}/decision`, { decision: 'approve' })).status, 200);
    const afterApproval = await linksOf(coordinatorA, a.id);
    assert.ok(afterApproval.body.links.some((l) => l.other.id === b.id), 'the GB report is seen through the connection');
    for (const secret of [fr.id, fr.reference, 'SECRET-SUMMARY-FR']) assert.ok(!afterApproval.text.includes(secret), `A's links hold ${secret}`);
  });

  test('an approved request never shows a report of another country, even if its row names one', async () => {
    const phone = { kind: 'phone', value: '+44 7700 900789' };
    const a = await report({ location: BRISTOL, identifiers: [phone] });
    const fr = await report({ country: 'FR', location: { lat: 48.8566, lon: 2.3522 }, identifiers: [phone] });
    // A request decided by GB's national coordinators, written (as rows were before requests kept to
    // their country) with the French report in it: the country check must still keep it hidden.
    await db()
      .insertInto('connection_requests' as never)
      .values({ requester_id: coordinatorA.userId, report_id: a.id, linked_reports: [fr.id], country: 'GB', reason: 'old row', status: 'approved', decided_by: national.userId, decided_at: new Date() })
      .execute();
    const seen = await linksOf(coordinatorA, a.id);
    assert.ok(!seen.body.links.some((l) => l.other.id === fr.id), 'the French report is not shown through a GB connection');
    for (const secret of [fr.id, fr.reference]) assert.ok(!seen.text.includes(secret), `A's links hold ${secret}`);
    assert.equal(seen.body.hiddenReports, 1, 'it stays a count');
  });

  test('names heard or seen are sealed, shown only to reviewers, and similar names in two groups are proposed as a fuzzy link', async () => {
    const a = await report({ location: BRISTOL, placeType: null, identifiers: [], names: ['Jon Smyth'] });
    const b = await report({ location: LEEDS, placeType: null, identifiers: [], names: ['John Smith', 'Sparkle Hand Car Wash'] });
    const rows = await db().selectFrom('reports' as never).select('names_sealed' as never).where('id' as never, 'in', [a.id, b.id] as never).execute();
    for (const row of rows as { names_sealed: string | null }[]) {
      assert.ok(row.names_sealed, 'names are stored');
      assert.ok(!/Smyth|Smith|Sparkle/i.test(row.names_sealed), 'never in clear');
    }
    // B's coordinator reviews B's report and sees its names; A's coordinator may not open it.
    const asB = await act(coordinatorB, `/api/v1/reports/${b.id}`);
    assert.equal(asB.status, 200, asB.text);
    assert.deepEqual(asB.json<{ names: string[] }>().names, ['John Smith', 'Sparkle Hand Car Wash']);
    assert.equal((await act(coordinatorA, `/api/v1/reports/${b.id}`)).status, 404);

    const seenByNational = await linksOf(national, a.id);
    const link = seenByNational.body.links.find((l) => l.other.id === b.id);
    assert.ok(link, 'similar names are linked');
    assert.equal(link.exact, false);
    assert.equal(link.status, 'proposed');
    assert.ok(link.score >= 0.8 && link.score < 1, `a score (${link.score})`);
    assert.deepEqual(link.reasons.map((r) => [r.method, r.field]), [['fuzzy', 'name']]);
    assert.ok(!/Smyth|Smith/i.test(seenByNational.text), 'no name in a link');
    // A's coordinator learns only that a similar name is held elsewhere.
    const seenByA = await linksOf(coordinatorA, a.id);
    assert.deepEqual(seenByA.body.hidden.map((h) => [h.method, h.what, h.reports]), [['fuzzy', 'name', 1]]);
    assert.ok(!/Smyth|Smith|Sparkle/i.test(seenByA.text));
    // The page says why in words.
    const page = await national.browser.get(`/reports/${a.id}/links`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Similar name \(similarity 0\.\d\d\)/);
  });

  test('relink rebuilds the fuzzy encodings from the sealed fields, in batches, resuming an interrupted run, and proposes the links again', async () => {
    const a = await report({ location: BRISTOL, placeType: null, identifiers: [{ kind: 'address', value: '7 Mill Lane, Bath BA1 2QT' }], names: ['Katarina Petrova'] });
    const b = await report({ location: LEEDS, placeType: null, identifiers: [], names: ['Katerina Petrova'] });
    const c = await report({ location: LEEDS, placeType: null, identifiers: [{ kind: 'address', value: '7 mill ln bath ba1 2qt' }] });
    const before = (await linksOf(national, a.id)).body.links;
    const toB = before.find((l) => l.other.id === b.id);
    const toC = before.find((l) => l.other.id === c.id);
    assert.ok(toB && toC, 'linked at submission');
    assert.equal((await act(national, `/api/v1/links/${toC.id}/confirm`, {})).status, 200);

    // As if the encodings had been made under another key: their filters and bands mean nothing now,
    // and the proposed name link is gone.
    const ids = [a.id, b.id, c.id];
    const encodings = (await db().selectFrom('correlation_encodings' as never).select('id' as never).where('report_id' as never, 'in', ids as never).execute()) as { id: string }[];
    await db().updateTable('correlation_encodings' as never).set({ bloom: Buffer.alloc(128, 0xa5) } as never).where('report_id' as never, 'in', ids as never).execute();
    const staleBands = encodings.map((_, i) => String(-9e15 - i));
    await db().insertInto('correlation_bands' as never).values(encodings.map((e, i) => ({ band: staleBands[i], encoding_id: e.id }))).execute();
    await db().deleteFrom('report_links' as never).where('id' as never, '=', toB.id as never).execute();

    const keyring = await openKeyring(db(), loadInstanceKey(server.config));
    try {
      const linker = linkerFor({ keys: keyring.keys });
      const interrupted = await rebuildEncodings(db(), keyring, linker, { batch: 2, restart: true, maxBatches: 2 });
      assert.equal(interrupted.finished, false, 'stopped part way');
      const running = (await db().selectFrom('correlation_rebuilds' as never).selectAll().where('finished_at' as never, 'is', null).execute()) as { after_report: string | null }[];
      assert.equal(running.length, 1);
      assert.ok(running[0]!.after_report, 'it kept its place');
      const resumed = await rebuildEncodings(db(), keyring, linker, { batch: 50 });
      assert.equal(resumed.finished, true);
      assert.equal(resumed.resumed, true);
      assert.ok(resumed.reports >= 3 && resumed.encodings >= 4, JSON.stringify(resumed));
      assert.ok(resumed.bandsDeleted >= encodings.length, 'the old bands are swept away');
    } finally {
      await keyring.close();
    }
    const stale = (await db().selectFrom('correlation_bands' as never).selectAll().where('band' as never, 'in', staleBands as never).execute()) as unknown[];
    assert.equal(stale.length, 0, 'bands of replaced encodings are gone');
    const orphans = await sql<{ n: number }>`select count(*)::int as n from correlation_bands b where not exists (select 1 from correlation_encodings e where e.id = b.encoding_id)`.execute(db());
    assert.equal(orphans.rows[0]!.n, 0, 'no band without its encoding');
    const fresh = (await db().selectFrom('correlation_encodings' as never).select(['report_id', 'field', 'bloom'] as never).where('report_id' as never, 'in', ids as never).execute()) as { report_id: string; field: string; bloom: Uint8Array }[];
    assert.deepEqual(fresh.map((e) => `${e.report_id === a.id ? 'a' : e.report_id === b.id ? 'b' : 'c'}:${e.field}`).sort(), ['a:address', 'a:name', 'b:name', 'c:address']);
    assert.ok(fresh.every((e) => !Buffer.from(e.bloom).equals(Buffer.alloc(128, 0xa5))), 'every filter was made again');

    const after = (await linksOf(national, a.id)).body.links;
    const again = after.find((l) => l.other.id === b.id);
    assert.ok(again, 'the name link is proposed again');
    assert.deepEqual(again.reasons.map((r) => [r.method, r.field]), [['fuzzy', 'name']]);
    assert.equal(after.find((l) => l.other.id === c.id)?.status, 'confirmed', 'a confirmed link stays confirmed');
    const audit = await db().selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'correlation.encodings-rebuilt').execute();
    assert.equal(audit.length, 1);
    const begun = await db().selectFrom('audit_log').select('action').where('action', 'in', ['correlation.encodings-rebuild-started', 'correlation.encodings-rebuild-abandoned']).execute();
    assert.ok(begun.some((entry) => entry.action === 'correlation.encodings-rebuild-started'), 'a run is audited when it starts, before it opens any sealed field');
    assert.ok(!JSON.stringify(audit).match(/Petrov|Mill/i), 'the audit entry holds counts only');
  });

  test('warning-list numbers never link; an identifier in more than 50 reports becomes common and stops linking', async () => {
    const x = await report({ location: BRISTOL, identifiers: [{ kind: 'phone', value: '999' }] });
    const y = await report({ location: LEEDS, identifiers: [{ kind: 'phone', value: '999' }] });
    assert.equal((await linksOf(national, x.id)).body.links.filter((l) => l.other.id === y.id).length, 0);

    const plate = { kind: 'plate', value: 'CM0N 123' };
    const first = await report({ location: BRISTOL, placeType: null, identifiers: [plate] });
    const second = await report({ location: LEEDS, placeType: null, identifiers: [plate] });
    assert.equal((await linksOf(national, first.id)).body.links.filter((l) => l.other.id === second.id).length, 1);
    for (let i = 0; i < 50; i++) await sendReport(server, { ...A_REPORT, location: LEEDS, placeType: null, identifiers: [plate] });
    const common = await db().selectFrom('correlation_common_identifiers' as never).selectAll().where('kind' as never, '=', 'plate' as never).execute();
    assert.equal(common.length, 1, 'the plate is marked common');
    const remaining = (await linksOf(national, first.id)).body.links.filter((l) => l.reasons.some((r) => r.kind === 'plate'));
    assert.equal(remaining.length, 0, 'its proposed links are taken back');
  });

  test('addresses written differently are proposed as fuzzy links; the same kind of place nearby within a week too', async () => {
    const a = await report({ location: BRISTOL, placeType: null, identifiers: [{ kind: 'address', value: '12 Station Road, Leeds LS1 4DY' }] });
    const b = await report({ location: LEEDS, placeType: null, identifiers: [{ kind: 'address', value: '12 station rd leeds ls1 4dy' }] });
    const c = await report({ location: LEEDS, placeType: null, identifiers: [{ kind: 'address', value: '48 Station Road, Leeds LS1 4DY' }] });
    const links = (await linksOf(national, a.id)).body.links;
    const fuzzy = links.find((l) => l.other.id === b.id);
    assert.ok(fuzzy, 'similar addresses are linked');
    assert.equal(fuzzy.exact, false);
    assert.equal(fuzzy.status, 'proposed');
    assert.deepEqual(fuzzy.reasons.map((r) => [r.method, r.field]), [['fuzzy', 'address']]);
    assert.ok(!links.some((l) => l.other.id === c.id), 'another house number is another place');

    const p = await report({ location: { lat: 51.46, lon: -2.59 }, placeType: 'massage-parlour', observedFrom: '2026-11-10', identifiers: [] });
    const q = await report({ location: { lat: 51.461, lon: -2.591 }, placeType: 'massage-parlour', observedFrom: '2026-11-13', identifiers: [] });
    const far = await report({ location: { lat: 51.461, lon: -2.591 }, placeType: 'massage-parlour', observedFrom: '2026-10-01', identifiers: [] });
    const near = (await linksOf(coordinatorA, p.id)).body.links;
    assert.ok(near.some((l) => l.other.id === q.id && l.reasons.some((r) => r.method === 'place-time')));
    assert.ok(!near.some((l) => l.other.id === far.id), 'six weeks apart is not similar in time');
  });

  // ------------------------------------------------------------ one pending request, even at once

  const pendingOf = async (requesterId: string, reportId: string) =>
    (await sql<{ id: string; linked_reports: string[]; created_at: Date }>`select id, linked_reports, created_at from connection_requests where requester_id = ${requesterId} and report_id = ${reportId} and status = 'pending' order by created_at`.execute(db())).rows;
  /** "A request waits" e-mails queued for an address: queued in the request's transaction, so counted exactly. */
  const waitingMails = async (to: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'mail.send' and lower(data->>'to') = lower(${to}) and data->>'subject' like '%connection request is waiting%'`.execute(db())).rows[0]!.n;

  test('identical connection requests sent at once: one is stored, audited and e-mailed; the others get the already-pending answer', async () => {
    const phone = { kind: 'phone', value: '+44 7700 900321' };
    const a = await report({ location: BRISTOL, identifiers: [phone] });
    await report({ location: LEEDS, identifiers: [phone] });
    const mailsBefore = await waitingMails(national.email);
    const ask = () => act(coordinatorA, `/api/v1/reports/${a.id}/connection-requests`, { reason: 'Same phone as a Leeds report.' });

    const answers = await Promise.all(Array.from({ length: 8 }, ask));
    assert.deepEqual(answers.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409], answers.map((r) => r.text).join('\n'));
    const stored = await pendingOf(coordinatorA.userId, a.id);
    assert.equal(stored.length, 1, 'one request is stored');
    assert.equal(answers.find((r) => r.status === 201)!.json<{ id: string }>().id, stored[0]!.id);
    // The same answer as a request made once the first is pending: same status, code and message.
    const later = await ask();
    assert.equal(later.status, 409);
    const refusal = (r: typeof later) => {
      const { code, message } = r.json<{ error: { code: string; message: string } }>().error;
      return { code, message };
    };
    assert.deepEqual(refusal(later), { code: 'conflict', message: 'You already have a request waiting for this report.' });
    for (const answer of answers.filter((r) => r.status === 409)) assert.deepEqual(refusal(answer), refusal(later));

    const audited = await db().selectFrom('audit_log').select('subject').where('action', '=', 'correlation.connection-requested').where(sql<boolean>`detail->>'report' = ${a.id}`).execute();
    assert.deepEqual(audited.map((entry) => entry.subject), [`connection-request:${stored[0]!.id}`], 'one audit entry, for the stored request');
    assert.equal(await waitingMails(national.email), mailsBefore + 1, 'one e-mail to the national coordinator');
    await mailbox.waitFor(national.email, /connection request is waiting/);
  });

  test('migration 0027 resolves duplicate pending requests already stored (the oldest stays, with every report asked for), then the database refuses a second', async () => {
    const a = await report({ location: BRISTOL, identifiers: [] });
    const other = await report({ location: BRISTOL, identifiers: [] });
    const [r1, r2, r3] = [randomUUID(), randomUUID(), randomUUID()];
    // A database where the race already happened: rows as the old code could leave them, index not yet built.
    await sql`drop index connection_requests_one_pending`.execute(db());
    const base = Date.now() - 60_000;
    const row = (reportId: string, linked: string[], seconds: number, status = 'pending') => ({
      requester_id: coordinatorA.userId,
      report_id: reportId,
      linked_reports: linked,
      country: 'GB',
      reason: `copy ${seconds}`,
      status,
      created_at: new Date(base + seconds * 1000),
      ...(status === 'pending' ? {} : { decided_by: national.userId, decided_at: new Date(base) }),
    });
    await db()
      .insertInto('connection_requests' as never)
      .values([row(a.id, [r2, r1], 2), row(a.id, [r1], 1), row(a.id, [r1, r3], 3), row(a.id, [r1], 0, 'refused'), row(other.id, [r2], 1)] as never)
      .execute();
    const oldest = (await pendingOf(coordinatorA.userId, a.id)).find((r) => new Date(r.created_at).getTime() === base + 1000)!;

    await server.cast.database.runScript(fs.readFileSync(path.join(MIGRATIONS_DIR, '0027_connection_requests_one_pending.sql'), 'utf8'));

    const left = await pendingOf(coordinatorA.userId, a.id);
    assert.deepEqual(left.map((r) => r.id), [oldest.id], 'the oldest pending request stays');
    assert.deepEqual([...left[0]!.linked_reports].sort(), [r1, r2, r3].sort(), 'with every linked report its copies asked for');
    const decided = await sql<{ n: number }>`select count(*)::int as n from connection_requests where report_id = ${a.id} and status = 'refused'`.execute(db());
    assert.equal(decided.rows[0]!.n, 1, 'a decided request is history and stays');
    assert.deepEqual((await pendingOf(coordinatorA.userId, other.id)).map((r) => r.linked_reports), [[r2]], 'a single pending request is untouched');

    const second = db().insertInto('connection_requests' as never).values(row(a.id, [r1], 4)).execute();
    await assert.rejects(second, (error: { code?: string }) => error.code === '23505', 'a second pending request is refused by the database');
  });
});
