import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport, type Person } from '../../../test/support/reports.ts';

type Problem = { error: { code: string; message: string; fields?: Record<string, string> }; warnings?: { kind: string; match: string }[] };
type State = { id: string; reference: string; status: string; assignedTo: string | null; duplicateOf: string | null };
type Page = { items: { id: string; reference: string; status: string; grade: string | null; unreadAdditions: boolean; identifierCount: number; indicatorCount: number }[]; next: string | null };

const GRADE = { source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: 'Workers at a car wash are moved together early and late; signs of control.' };

describe('reports: the review and grading loop', () => {
  let server: TestServer;
  let national: Person;
  let coordinator: Person;
  let otherCoordinator: Person;
  let groupId: string;
  const db = () => server.cast.database.db;
  const auditOf = async (subject: string) =>
    (await db().selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('subject', '=', subject).orderBy('id').execute()).map((row) => ({ ...row, detail: row.detail }));
  const newReport = async (report: Record<string, unknown> = A_REPORT) => {
    const sent = await sendReport(server, report);
    return { ...sent, id: await reportId(server, sent.reference) };
  };
  const act = (who: Person, path: string, body?: unknown, method = 'POST') => who.api.json(method, path, body, who.token);

  before(async () => {
    server = await startTestServer();
    national = await person(server, { role: 'national-coordinator', country: 'GB' });
    coordinator = await person(server);
    otherCoordinator = await person(server);
    // Bristol holds A_REPORT's point; Manchester is another group's.
    groupId = await listedGroup(coordinator, national, { lat: 51.45, lon: -2.59, radiusKm: 10 });
    await listedGroup(otherCoordinator, national, { lat: 53.48, lon: -2.24, radiusKm: 10 });
  });
  after(async () => {
    await server.close();
  });

  test('a report goes received → triaged → graded → closed → triaged, each change in the history and the audit log, ids only', async () => {
    const report = await newReport();
    const base = `/api/v1/reports/${report.id}`;

    const graded0 = await act(coordinator, `${base}/grade`, GRADE);
    assert.equal(graded0.status, 409, 'a received report cannot be graded');
    assert.match(graded0.json<Problem>().error.message, /Triage it first/);

    const triaged = await act(coordinator, `${base}/triage`);
    assert.equal(triaged.status, 200, triaged.text);
    assert.equal(triaged.json<State>().status, 'triaged');
    assert.equal((await act(coordinator, `${base}/triage`)).status, 409, 'triaged twice');
    assert.equal((await act(coordinator, `${base}/reopen`, {})).status, 409, 'only closed or rejected reports reopen');

    const assigned = await act(coordinator, `${base}/assignee`, { assignee: coordinator.userId }, 'PUT');
    assert.equal(assigned.status, 200, assigned.text);
    assert.equal(assigned.json<State>().assignedTo, coordinator.userId);
    assert.equal((await act(coordinator, `${base}/assignee`, { assignee: otherCoordinator.userId }, 'PUT')).status, 422, 'only a coordinator of the group');
    assert.equal((await act(coordinator, `${base}/assignee`, { assignee: national.userId }, 'PUT')).status, 422, 'a national coordinator does not hold group reports');

    const noted = await act(coordinator, `${base}/notes`, { note: 'Asked the council about the site licence.' });
    assert.equal(noted.status, 201, noted.text);
    assert.equal((await act(coordinator, `${base}/notes`, { note: '   ' })).status, 422);

    const graded = await act(coordinator, `${base}/grade`, GRADE);
    assert.equal(graded.status, 200, graded.text);
    assert.equal(graded.json<State>().status, 'graded');
    const row = (await db().selectFrom('reports' as never).selectAll().where('id' as never, '=', report.id as never).executeTakeFirstOrThrow()) as Record<string, unknown>;
    assert.deepEqual([row.grade_source, row.grade_assessment, row.grade_handling, row.priority, row.summary], [2, 'B', 'P', 'high', GRADE.summary]);
    assert.ok(row.updated_at, 'updated_at is set by a change');

    assert.equal((await act(coordinator, `${base}/close`, { note: 'Passed on by phone.' })).json<State>().status, 'closed');
    assert.equal((await act(coordinator, `${base}/triage`)).status, 409);
    const reopened = await act(coordinator, `${base}/reopen`, {});
    assert.equal(reopened.status, 200, reopened.text);
    assert.equal(reopened.json<State>().status, 'triaged');

    const history = await act(coordinator, `${base}/history`, undefined, 'GET');
    assert.equal(history.status, 200, history.text);
    const entries = history.json<{ kind: string; fromStatus: string | null; toStatus: string | null; actorId: string; note: string | null; detail: Record<string, unknown> | null }[]>();
    assert.deepEqual(
      entries.map((entry) => [entry.kind, entry.fromStatus, entry.toStatus]),
      [
        ['triaged', 'received', 'triaged'],
        ['assigned', null, null],
        ['noted', null, null],
        ['graded', 'triaged', 'graded'],
        ['closed', 'graded', 'closed'],
        ['reopened', 'closed', 'triaged'],
      ],
    );
    assert.ok(entries.every((entry) => entry.actorId === coordinator.userId));
    assert.equal(entries[2]!.note, 'Asked the council about the site licence.');
    assert.equal(entries[3]!.detail?.grade, '2/B/P');

    const events = await db().selectFrom('report_events' as never).select('note_sealed' as never).where('report_id' as never, '=', report.id as never).execute();
    assert.ok(!JSON.stringify(events).includes('council'), 'notes are sealed at rest');

    const audit = await auditOf(`report:${report.id}`);
    const actions = audit.map((entry) => entry.action);
    for (const action of ['report.triaged', 'report.assigned', 'report.noted', 'report.summary-checked', 'report.graded', 'report.closed', 'report.reopened', 'report.history-read']) {
      assert.ok(actions.includes(action), `${action} is audited`);
    }
    assert.ok(audit.every((entry) => entry.actor_id === coordinator.userId));
    const text = JSON.stringify(audit);
    for (const content of ['council', 'car wash', 'Passed on', '2/B/P', '07700']) assert.ok(!text.includes(content), `no content (${content}) in the audit log`);
  });

  test('bad grades change nothing: no summary, C without conditions, out-of-range values', async () => {
    const report = await newReport();
    const base = `/api/v1/reports/${report.id}`;
    await act(coordinator, `${base}/triage`);
    const noSummary = await act(coordinator, `${base}/grade`, { ...GRADE, summary: '  ' });
    assert.equal(noSummary.status, 422);
    assert.ok(noSummary.json<Problem>().error.fields?.summary);
    const noConditions = await act(coordinator, `${base}/grade`, { ...GRADE, handling: 'C' });
    assert.equal(noConditions.status, 422);
    assert.match(noConditions.json<Problem>().error.fields?.conditions ?? '', /conditions/);
    assert.equal((await act(coordinator, `${base}/grade`, { ...GRADE, source: 4 })).status, 422);
    assert.equal((await act(coordinator, `${base}/grade`, { ...GRADE, assessment: 'F' })).status, 422);
    const row = (await db().selectFrom('reports' as never).selectAll().where('id' as never, '=', report.id as never).executeTakeFirstOrThrow()) as Record<string, unknown>;
    assert.equal(row.status, 'triaged');
    assert.equal(row.grade_source, null);
    const withConditions = await act(coordinator, `${base}/grade`, { ...GRADE, handling: 'C', conditions: 'Police only; not to be shared onwards.' });
    assert.equal(withConditions.status, 200, withConditions.text);
  });

  test('a summary holding an identifier or the contact is a warning; saved only once acknowledged', async () => {
    const report = await newReport({ ...A_REPORT, contact: 'call me on 07700 900999', contactConsent: true });
    const base = `/api/v1/reports/${report.id}`;
    await act(coordinator, `${base}/triage`);
    const leaky = { ...GRADE, summary: 'Van AB12-CDE seen daily; the number on the van is +44 7700 900123. Reporter: 07700900999.' };
    const warned = await act(coordinator, `${base}/grade`, leaky);
    assert.equal(warned.status, 422, warned.text);
    const problem = warned.json<Problem>();
    assert.equal(problem.error.code, 'summary-warnings');
    assert.deepEqual(problem.warnings?.map((w) => w.kind).sort(), ['contact', 'phone', 'plate']);
    assert.equal(((await db().selectFrom('reports' as never).select('status' as never).where('id' as never, '=', report.id as never).executeTakeFirstOrThrow()) as { status: string }).status, 'triaged');
    // Case and spacing do not hide a plate.
    assert.equal((await act(coordinator, `${base}/grade`, { ...GRADE, summary: 'A van ab12 cde.' })).status, 422);
    const saved = await act(coordinator, `${base}/grade`, { ...leaky, acknowledgeWarnings: true });
    assert.equal(saved.status, 200, saved.text);
    const history = (await act(coordinator, `${base}/history`, undefined, 'GET')).json<{ kind: string; detail: Record<string, unknown> | null }[]>();
    assert.equal(history.find((entry) => entry.kind === 'graded')?.detail?.warningsAcknowledged, 3);
    const clean = await newReport();
    await act(coordinator, `/api/v1/reports/${clean.id}/triage`);
    assert.equal((await act(coordinator, `/api/v1/reports/${clean.id}/grade`, GRADE)).status, 200, 'a clean summary needs no acknowledgement');
  });

  test('merging: into another report of the group; never into itself, an unknown reference or a report the coordinator cannot see', async () => {
    const first = await newReport();
    const second = await newReport();
    const elsewhere = await newReport({ ...A_REPORT, location: { lat: 53.48, lon: -2.24 } });
    const base = `/api/v1/reports/${second.id}`;
    assert.equal((await act(coordinator, `${base}/merge`, { target: second.reference })).status, 422, 'itself');
    assert.match((await act(coordinator, `${base}/merge`, { target: second.id })).json<Problem>().error.fields?.target ?? '', /itself/);
    assert.equal((await act(coordinator, `${base}/merge`, { target: 'R-00000000' })).status, 422, 'unknown reference');
    const hidden = await act(coordinator, `${base}/merge`, { target: elsewhere.reference });
    assert.equal(hidden.status, 422, 'another group’s report');
    assert.deepEqual(hidden.json<Problem>().error.fields, (await act(coordinator, `${base}/merge`, { target: 'R-00000000' })).json<Problem>().error.fields, 'answered like an unknown reference');
    const merged = await act(coordinator, `${base}/merge`, { target: first.reference.toLowerCase() });
    assert.equal(merged.status, 200, merged.text);
    assert.deepEqual([merged.json<State>().status, merged.json<State>().duplicateOf], ['duplicate', first.id]);
    assert.equal((await act(coordinator, `/api/v1/reports/${first.id}/merge`, { target: second.reference })).status, 422, 'not into a duplicate');
    assert.equal((await act(coordinator, `${base}/merge`, { target: first.reference })).status, 409, 'a duplicate is an exit');
    const identifiers = await db().selectFrom('report_identifiers' as never).select('report_id' as never).where('report_id' as never, '=', second.id as never).execute();
    assert.equal(identifiers.length, 2, 'the duplicate keeps its identifiers');
    assert.equal((await act(coordinator, `/api/v1/reports/${elsewhere.id}/reject`, { note: 'Not ours' })).status, 404);
    assert.equal((await act(otherCoordinator, `/api/v1/reports/${elsewhere.id}/reject`, { note: 'No signs of exploitation.' })).json<State>().status, 'rejected');
    assert.equal((await act(otherCoordinator, `/api/v1/reports/${elsewhere.id}/close`, {})).status, 409);
  });

  test('who sees what: the reporter sees status only; other coordinators, members, partners and administrators get 404; a read-only token may list but not change', async () => {
    const reporter = await person(server);
    const sent = await sendReport(server, A_REPORT, reporter);
    const id = await reportId(server, sent.reference);
    await act(coordinator, `/api/v1/reports/${id}/triage`);
    await act(coordinator, `/api/v1/reports/${id}/notes`, { note: 'Internal: the owner is known to police.' });
    await act(coordinator, `/api/v1/reports/${id}/grade`, GRADE);

    const byReceipt = await new Client(server.url).json('POST', '/api/v1/reports/by-receipt', { receipt: sent.receiptCode });
    assert.equal(byReceipt.status, 200);
    assert.deepEqual(Object.keys(byReceipt.json<object>()).sort(), ['additions', 'receivedOn', 'reducedToStatistics', 'reference', 'status']);
    assert.equal(byReceipt.json<{ status: string }>().status, 'being-reviewed');
    const mine = await act(reporter, '/api/v1/my/reports', undefined, 'GET');
    for (const text of [byReceipt.text, mine.text]) {
      for (const hidden of ['2/B/P', 'Internal', 'car wash', 'high', coordinator.userId, 'graded']) assert.ok(!text.includes(hidden), `the reporter does not see ${hidden}`);
    }

    const member = await person(server);
    const invitation = await act(coordinator, `/api/v1/groups/${groupId}/invitations`, { role: 'member' });
    assert.equal((await act(member, `/api/v1/invitations/${invitation.json<{ link: string }>().link.split('/').pop()}/accept`)).status < 300, true);
    const partner = await person(server, { role: 'partner' });
    const admin = await person(server, { role: 'admin' });
    for (const [who, outsider] of [
      ['another group’s coordinator', otherCoordinator],
      ['a member of the group', member],
      ['a partner', partner],
      ['an administrator', admin],
      ['the reporter', reporter],
    ] as const) {
      for (const [method, path, body] of [
        ['GET', `/api/v1/reports/${id}`],
        ['GET', `/api/v1/reports/${id}/history`],
        ['POST', `/api/v1/reports/${id}/close`, {}],
        ['POST', `/api/v1/reports/${id}/notes`, { note: 'x' }],
        ['GET', `/api/v1/groups/${groupId}/reports`],
      ] as const) {
        const response = await act(outsider, path, body, method);
        assert.equal(response.status, 404, `${who}: ${method} ${path} → ${response.status}`);
      }
      const page = await outsider.browser.get(`/reports/${id}`);
      assert.equal(page.status, 404, `${who}: the report page`);
      assert.ok(!page.text.includes(sent.reference));
    }

    // A second coordinator of the group whose token may read reports but not change them.
    const readOnly = await person(server, { scopes: ['reports:read', 'groups:write'] });
    const promote = await act(coordinator, `/api/v1/groups/${groupId}/invitations`, { role: 'coordinator' });
    assert.equal((await act(readOnly, `/api/v1/invitations/${promote.json<{ link: string }>().link.split('/').pop()}/accept`)).status < 300, true);
    assert.equal((await act(readOnly, `/api/v1/groups/${groupId}/reports`, undefined, 'GET')).status, 200, 'a read-only token lists');
    assert.equal((await act(readOnly, `/api/v1/reports/${id}/close`, {})).status, 403, 'but may not change');
  });

  test('the work queue: filters, keyset pages of 50, no restricted field; the national inbox', async () => {
    const fresh = await person(server);
    const queueGroup = await listedGroup(fresh, national, { lat: 50.37, lon: -4.14, radiusKm: 5 });
    const here = { ...A_REPORT, location: { lat: 50.371, lon: -4.141 } };
    const sent: string[] = [];
    for (let i = 0; i < 53; i += 1) sent.push((await sendReport(server, i % 2 === 0 ? here : { ...here, exploitationTypes: ['sexual'], placeType: 'hotel', identifiers: [] })).reference);
    const first = await act(fresh, `/api/v1/groups/${queueGroup}/reports`, undefined, 'GET');
    assert.equal(first.status, 200, first.text);
    const page1 = first.json<Page>();
    assert.equal(page1.items.length, 50);
    assert.ok(page1.next);
    const page2 = (await act(fresh, `/api/v1/groups/${queueGroup}/reports?after=${encodeURIComponent(page1.next)}`, undefined, 'GET')).json<Page>();
    assert.equal(page2.items.length, 3);
    assert.equal(page2.next, null);
    assert.deepEqual(new Set([...page1.items, ...page2.items].map((item) => item.reference)), new Set(sent), 'every report once');
    for (const forbidden of ['white van', '07700', 'AB12', '51.45', 'account', 'contact', 'location']) assert.ok(!first.text.includes(forbidden), `no ${forbidden} in the queue`);

    const sexual = (await act(fresh, `/api/v1/groups/${queueGroup}/reports?exploitationType=sexual`, undefined, 'GET')).json<Page>();
    assert.equal(sexual.items.length, 26);
    assert.ok(sexual.items.every((item) => item.identifierCount === 0));
    assert.equal((await act(fresh, `/api/v1/groups/${queueGroup}/reports?placeType=car-wash`, undefined, 'GET')).json<Page>().items.length, 27);
    assert.equal((await act(fresh, `/api/v1/groups/${queueGroup}/reports?indicator=person.spoken-for&status=received`, undefined, 'GET')).json<Page>().items.length, 50);
    const one = await reportId(server, sent[0]!);
    await act(fresh, `/api/v1/reports/${one}/triage`);
    await act(fresh, `/api/v1/reports/${one}/assignee`, { assignee: fresh.userId }, 'PUT');
    assert.deepEqual((await act(fresh, `/api/v1/groups/${queueGroup}/reports?status=triaged`, undefined, 'GET')).json<Page>().items.map((i) => i.id), [one]);
    assert.deepEqual((await act(fresh, `/api/v1/groups/${queueGroup}/reports?assigned=me`, undefined, 'GET')).json<Page>().items.map((i) => i.id), [one]);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await act(fresh, `/api/v1/groups/${queueGroup}/reports?receivedFrom=${today}&receivedTo=${today}`, undefined, 'GET')).json<Page>().items.length, 50);
    assert.equal((await act(fresh, `/api/v1/groups/${queueGroup}/reports?receivedTo=2000-01-01`, undefined, 'GET')).json<Page>().items.length, 0);
    assert.equal((await act(fresh, `/api/v1/groups/${queueGroup}/reports?after=nonsense`, undefined, 'GET')).status, 422);
    assert.equal((await act(fresh, `/api/v1/groups/${queueGroup}/reports?receivedFrom=2026-02-30`, undefined, 'GET')).status, 422);

    const inbox = await newReport({ ...A_REPORT, location: { lat: 57.0, lon: -3.0 } });
    const nationalPage = await act(national, '/api/v1/countries/GB/reports', undefined, 'GET');
    assert.equal(nationalPage.status, 200, nationalPage.text);
    assert.ok(nationalPage.json<Page>().items.some((item) => item.id === inbox.id));
    assert.ok(!nationalPage.json<Page>().items.some((item) => sent.includes(item.reference)), 'group reports are not in the national inbox');
    assert.equal((await act(coordinator, '/api/v1/countries/GB/reports', undefined, 'GET')).status, 404);
    assert.equal((await act(national, '/api/v1/countries/FR/reports', undefined, 'GET')).status, 404);
    assert.equal((await act(national, `/api/v1/reports/${inbox.id}/assignee`, { assignee: national.userId }, 'PUT')).status, 200, 'a national coordinator takes an inbox report');
    assert.equal((await act(national, `/api/v1/groups/${queueGroup}/reports`, undefined, 'GET')).status, 200, 'a national coordinator reads group queues of the country');
  });

  test('the pages: queue, report page (opening clears unread additions), forms with CSRF, grade warnings then confirm', async () => {
    const sent = await sendReport(server, A_REPORT);
    const id = await reportId(server, sent.reference);
    const added = await new Client(server.url).json('POST', '/api/v1/reports/by-receipt/additions', { receipt: sent.receiptCode, account: 'The van came back on Sunday.' });
    assert.equal(added.status, 200);
    const browser = coordinator.browser;

    const queue = await browser.get(`/groups/${groupId}/reports?status=received`);
    assert.equal(queue.status, 200);
    assert.ok(queue.text.includes(sent.reference));
    assert.equal((await browser.get(`/groups/${groupId}/reports?status=nonsense`)).status, 422);

    const page = await browser.get(`/reports/${id}`);
    assert.equal(page.status, 200);
    for (const text of ['white van', 'The van came back on Sunday.', '+447700900123', 'AB12CDE']) assert.ok(page.text.includes(text), `the page shows ${text}`);
    const unread = (await db().selectFrom('reports' as never).select('unread_additions' as never).where('id' as never, '=', id as never).executeTakeFirstOrThrow()) as { unread_additions: boolean };
    assert.equal(unread.unread_additions, false, 'opening the report cleared the flag');
    assert.ok((await auditOf(`report:${id}`)).some((entry) => entry.action === 'report.read'), 'the read is audited');

    assert.equal((await browser.postForm(`/reports/${id}/triage`, {})).status, 403, 'no CSRF token, no change');
    const triaged = await browser.submit(`/reports/${id}`, `/reports/${id}/triage`, {});
    assert.equal(triaged.status, 303);
    assert.equal(triaged.location, `/reports/${id}?notice=triaged`);
    const grade = { source: '2', assessment: 'B', handling: 'P', priority: 'medium', summary: 'The plate ab12cde appears.' };
    const warned = await browser.submit(`/reports/${id}`, `/reports/${id}/grade`, grade);
    assert.equal(warned.status, 422);
    assert.ok(warned.text.includes('acknowledgeWarnings'), 'the confirm box is offered');
    assert.ok(warned.text.includes('The plate ab12cde appears.'), 'what was typed is kept');
    const saved = await browser.submit(`/reports/${id}`, `/reports/${id}/grade`, { ...grade, acknowledgeWarnings: 'true' });
    assert.equal(saved.status, 303, saved.text.slice(0, 500));
    const noSummary = await browser.submit(`/reports/${id}`, `/reports/${id}/grade`, { ...grade, summary: '' });
    assert.equal(noSummary.status, 422);
    const graded = await browser.get(`/reports/${id}?notice=graded`);
    assert.ok(graded.text.includes('2/B/P'));
    const rejected = await browser.submit(`/reports/${id}`, `/reports/${id}/reject`, { rejectNote: 'Not enough to act on.' });
    assert.equal(rejected.status, 303);
    const reopenForm = await browser.get(`/reports/${id}`);
    assert.ok(reopenForm.text.includes(`/reports/${id}/reopen`));
    assert.ok(!reopenForm.text.includes(`/reports/${id}/triage"`), 'only allowed transitions are offered');
    assert.ok(reopenForm.text.includes('Not enough to act on.'), 'the history shows the note');
    assert.equal((await browser.postForm(`/reports/${id}/triage`, { _csrf: csrfFrom(reopenForm.text) })).status, 409);
  });
});
