import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport, type Person } from '../../../test/support/reports.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import type { Scope } from '../../core/auth/scopes.ts';

type Problem = { error: { code: string; message: string; fields?: Record<string, string> } };
type Summary = { id: string; reference: string; status: string; reportCount: number; handlingCodes: string[] };
type View = Summary & {
  package: {
    reports: { reference: string; summary: string; grade: string; location: { precision: string; lat: number; lon: number; cell?: string } | null; identifiers: { kind: string; value: string | null }[] }[];
    conditions: string | null;
    marking: string | null;
  };
  outcomes: { kind: string; count: number | null; note: string | null }[];
};

const SCOPES: Scope[] = ['groups:read', 'groups:write', 'partners:read', 'partners:write', 'reports:read', 'reports:write', 'sharing:read', 'sharing:write'];
const GRADE = { source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: 'Workers at a car wash are moved together early and late by one van.' };
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe('sharing: disclosures to partners and their outcomes', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  let national: Person;
  let coordinator: Person;
  let second: Person;
  let officer: Person;
  let groupId: string;
  let partnershipId: string;
  const db = () => server.cast.database.db;
  const call = (who: Person, method: string, path: string, body?: unknown) => who.api.json(method, path, body, who.token);
  /** A form post from the person's browser session, with its CSRF token. */
  const submit = async (who: Person, page: string, action: string, fields: Record<string, string | string[]>) => who.browser.submit(page, action, fields);
  const count = async (table: string) => Number(((await db().selectFrom(table as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()) as { n: string | number }).n);
  const statusOf = async (id: string) => ((await db().selectFrom('reports' as never).select('status' as never).where('id' as never, '=', id as never).executeTakeFirstOrThrow()) as { status: string }).status;

  async function gradedReport(grade: Record<string, unknown> = GRADE, report: Record<string, unknown> = A_REPORT): Promise<string> {
    const id = await reportId(server, (await sendReport(server, report)).reference);
    assert.equal((await call(coordinator, 'POST', `/api/v1/reports/${id}/triage`)).status, 200);
    const graded = await call(coordinator, 'POST', `/api/v1/reports/${id}/grade`, { ...grade, acknowledgeWarnings: true });
    assert.equal(graded.status, 200, graded.text);
    return id;
  }

  before(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({ smtpUrl: mailbox.url });
    national = await person(server, { role: 'national-coordinator', country: 'GB', scopes: SCOPES });
    coordinator = await person(server, { scopes: SCOPES });
    second = await person(server, { scopes: SCOPES });
    officer = await person(server, { role: 'partner', scopes: ['sharing:read', 'sharing:write', 'partners:read', 'partners:write'] });
    groupId = await listedGroup(coordinator, national, { lat: 51.45, lon: -2.59, radiusKm: 10 });
    const invitation = await call(coordinator, 'POST', `/api/v1/groups/${groupId}/invitations`, { role: 'coordinator' });
    assert.equal(invitation.status, 201, invitation.text);
    const token = invitation.json<{ link: string }>().link.split('/').pop();
    assert.equal((await call(second, 'POST', `/api/v1/invitations/${token}/accept`)).status, 200);

    const partner = await call(national, 'POST', '/api/v1/partners', { kind: 'police', name: 'Avon and Somerset Police', country: 'GB', area: 'Bristol', contactEmail: 'intel@avon.police.example' });
    const partnerId = partner.json<{ id: string }>().id;
    assert.equal((await call(national, 'POST', `/api/v1/partners/${partnerId}/verification`)).status, 200);
    assert.equal((await call(national, 'POST', `/api/v1/partners/${partnerId}/users`, { email: officer.email })).status, 201);
    const proposed = await call(coordinator, 'POST', '/api/v1/partnerships', { groupId, partnerId, agreementReference: 'ISA-BRS-1', signedOn: yesterday(), contacts: 'DS Patel', handlingCodes: ['P'] });
    assert.equal(proposed.status, 201, proposed.text);
    partnershipId = proposed.json<{ id: string }>().id;
    assert.equal((await call(officer, 'POST', `/api/v1/partnerships/${partnershipId}/acceptance`)).status, 200);
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  test('bad disclosures are refused with clear reasons, and nothing is stored, shared or sent', async () => {
    const coded = await gradedReport({ ...GRADE, handling: 'C', conditions: 'Only for safeguarding.' });
    const triagedOnly = await reportId(server, (await sendReport(server)).reference);
    await call(coordinator, 'POST', `/api/v1/reports/${triagedOnly}/triage`);
    const graded = await gradedReport();

    const uncovered = await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId, reportIds: [graded, coded] });
    assert.equal(uncovered.status, 422, uncovered.text);
    assert.match(uncovered.json<Problem>().error.fields!.reportIds!, /does not cover the handling code/);
    const ungraded = await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId, reportIds: [triagedOnly] });
    assert.match(ungraded.json<Problem>().error.fields!.reportIds!, /Only graded reports/);
    const unknown = await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId: crypto.randomUUID(), reportIds: [graded] });
    assert.equal(unknown.status, 422);
    assert.match(unknown.json<Problem>().error.fields!.partnershipId!, /active partnerships/);
    // A coordinator of the group may not send through it what a partner user tries to.
    const byPartner = await call(officer, 'POST', '/api/v1/disclosures', { partnershipId, reportIds: [graded] });
    assert.equal(byPartner.status, 422);

    // A token without the sharing:write scope is told which scope it lacks.
    const page = await coordinator.browser.submit('/account', '/account/tokens', { name: 'reports only', scopes: ['reports:read', 'reports:write'] });
    const narrow = /<code class="token">(cast_[\w-]+)<\/code>/.exec(page.text)![1]!;
    const scoped = await coordinator.api.json('POST', '/api/v1/disclosures', { partnershipId, reportIds: [graded] }, narrow);
    assert.equal(scoped.status, 403);
    assert.match(scoped.json<Problem>().error.message, /needs the sharing:read scope to read disclosures, or sharing:write/);
    assert.equal((await coordinator.api.json('GET', '/api/v1/disclosures', undefined, narrow)).status, 403);

    assert.equal(await count('disclosures'), 0);
    assert.equal(await statusOf(graded), 'graded');
    assert.equal(await statusOf(coded), 'graded');
  });

  test('built by one coordinator, approved by a second, sent with a content-free e-mail; the partner reads, downloads and acknowledges; every read audited', async () => {
    const r1 = await gradedReport();
    const r2 = await gradedReport({ ...GRADE, priority: 'medium', summary: 'A second site where the same van drops workers.' });
    const built = await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId, reportIds: [r1, r2], marking: 'OFFICIAL-SENSITIVE' });
    assert.equal(built.status, 201, built.text);
    const disclosure = built.json<Summary>();
    assert.equal(disclosure.status, 'awaiting-approval');
    assert.match(disclosure.reference, /^D-[0-9A-Z]{8}$/);
    assert.equal(await statusOf(r1), 'graded', 'nothing is shared before approval');

    // Not yet sent: the partner does not know it exists.
    assert.equal((await call(officer, 'GET', `/api/v1/disclosures/${disclosure.id}`)).status, 404);
    assert.deepEqual((await call(officer, 'GET', '/api/v1/disclosures')).json<Summary[]>(), []);
    assert.equal((await call(officer, 'POST', `/api/v1/disclosures/${disclosure.id}/acknowledgement`)).status, 404);

    const self = await call(coordinator, 'POST', `/api/v1/disclosures/${disclosure.id}/approval`);
    assert.equal(self.status, 403);
    assert.match(self.json<Problem>().error.message, /Another coordinator must approve/);
    const approved = await call(second, 'POST', `/api/v1/disclosures/${disclosure.id}/approval`);
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.json<Summary>().status, 'sent');
    assert.equal((await call(second, 'POST', `/api/v1/disclosures/${disclosure.id}/approval`)).status, 409);
    assert.equal(await statusOf(r1), 'shared');
    assert.equal(await statusOf(r2), 'shared');

    const mail = await mailbox.waitFor(officer.email, new RegExp(disclosure.reference));
    assert.match(mail.text, new RegExp(`${server.url}/disclosures/${disclosure.id}`));
    for (const secret of ['car wash', 'van', '07700', 'AB12', 'Avon', r1]) assert.ok(!mail.text.includes(secret), `the e-mail must not carry "${secret}"`);

    const listed = (await call(officer, 'GET', '/api/v1/disclosures')).json<Summary[]>();
    assert.deepEqual(listed.map((item) => item.id), [disclosure.id]);
    const read = await call(officer, 'GET', `/api/v1/disclosures/${disclosure.id}`);
    assert.equal(read.status, 200, read.text);
    const view = read.json<View>();
    assert.equal(view.package.marking, 'OFFICIAL-SENSITIVE');
    assert.equal(view.package.reports.length, 2);
    const first = view.package.reports.find((report) => report.summary === GRADE.summary)!;
    assert.equal(first.grade, '2/B/P');
    assert.equal(first.location?.precision, 'coarse', 'no terms: only the coarse cell');
    assert.deepEqual(first.identifiers.map((identifier) => identifier.value), [null, null], 'no terms: identifiers withheld');
    assert.ok(!read.text.includes('Workers are dropped off'), "the reporter's own words never travel");
    const audits = await db().selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('subject', '=', `disclosure:${disclosure.id}`).orderBy('id').execute();
    assert.deepEqual(audits.map((entry) => entry.action), ['disclosure.created', 'disclosure.sent', 'disclosure.read']);
    assert.equal(audits[2]!.actor_id, officer.userId);

    // Downloads for the partner's signed-in browser: a PDF and a JSON file, each read audited.
    const pdf = await officer.browser.get(`/disclosures/${disclosure.id}/pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.ok(pdf.text.startsWith('%PDF'));
    const json = await officer.browser.get(`/disclosures/${disclosure.id}/json`);
    assert.equal(json.status, 200);
    assert.equal(JSON.parse(json.text).reference, disclosure.reference);
    const formats = (await db().selectFrom('audit_log').select('detail').where('subject', '=', `disclosure:${disclosure.id}`).where('action', '=', 'disclosure.read').execute()).map((entry) => (entry.detail as { format: string }).format);
    assert.deepEqual(formats.sort(), ['api', 'json', 'pdf']);

    const acknowledged = await call(officer, 'POST', `/api/v1/disclosures/${disclosure.id}/acknowledgement`);
    assert.equal(acknowledged.status, 200, acknowledged.text);
    assert.equal(acknowledged.json<Summary>().status, 'acknowledged');
    assert.equal((await call(officer, 'POST', `/api/v1/disclosures/${disclosure.id}/acknowledgement`)).status, 409);
    assert.equal((await call(coordinator, 'POST', `/api/v1/disclosures/${disclosure.id}/acknowledgement`)).status, 403, 'only the partner acknowledges');
  });

  test("the partnership's terms let identifiers and precise places travel; a group may send without a second approval", async () => {
    const terms = await submit(coordinator, `/disclosures/new?partnership=${partnershipId}`, `/partnerships/${partnershipId}/disclosure-terms`, { identifierKinds: ['phone'], preciseLocation: 'on' });
    assert.equal(terms.status, 303, terms.text);
    const setting = await submit(coordinator, '/disclosures', `/groups/${groupId}/sharing-settings`, {});
    assert.equal(setting.status, 303);
    const r = await gradedReport();
    const built = await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId, reportIds: [r] });
    assert.equal(built.status, 201, built.text);
    assert.equal(built.json<Summary>().status, 'sent', 'sent at once');
    const view = (await call(officer, 'GET', `/api/v1/disclosures/${built.json<Summary>().id}`)).json<View>();
    const report = view.package.reports[0]!;
    assert.deepEqual(report.location, { precision: 'precise', lat: A_REPORT.location.lat, lon: A_REPORT.location.lon });
    assert.deepEqual(report.identifiers, [{ kind: 'phone', value: '+447700900123' }, { kind: 'plate', value: null }]);
    // Back to the default for the next tests.
    assert.equal((await submit(coordinator, '/disclosures', `/groups/${groupId}/sharing-settings`, { secondApproval: 'on' })).status, 303);
  });

  test('partners record outcomes; the group sees counts only; national coordinators see totals by country and month', async () => {
    const [disclosure] = (await call(officer, 'GET', '/api/v1/disclosures')).json<Summary[]>();
    const base = `/api/v1/disclosures/${disclosure!.id}/outcomes`;
    const missingCount = await call(officer, 'POST', base, { kind: 'arrests' });
    assert.equal(missingCount.status, 422);
    assert.match(missingCount.json<Problem>().error.fields!.count!, /number of people/);
    const countless = await call(officer, 'POST', base, { kind: 'safeguarding-visit', count: 2 });
    assert.equal(countless.status, 422);
    assert.equal((await call(officer, 'POST', base, { kind: 'promotion' })).status, 422);
    assert.equal((await call(coordinator, 'POST', base, { kind: 'other' })).status, 403, 'coordinators do not record outcomes');

    const victims = await call(officer, 'POST', base, { kind: 'victims-identified', count: 3, note: 'Three women safeguarded after a joint visit.' });
    assert.equal(victims.status, 201, victims.text);
    assert.equal((await call(officer, 'POST', base, { kind: 'arrests', count: 2 })).status, 201);
    assert.equal((await call(officer, 'POST', base, { kind: 'safeguarding-visit' })).status, 201);
    const sealed = await db().selectFrom('disclosure_outcomes' as never).select('note_sealed' as never).where('kind' as never, '=', 'victims-identified' as never).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(sealed).includes('Three women'), 'the note is sealed at rest');

    const sender = (await call(coordinator, 'GET', `/api/v1/disclosures/${disclosure!.id}`)).json<View>();
    assert.equal(sender.outcomes.find((o) => o.kind === 'victims-identified')?.note, 'Three women safeguarded after a joint visit.');

    const summary = await call(coordinator, 'GET', `/api/v1/groups/${groupId}/outcome-summary`);
    assert.equal(summary.status, 200, summary.text);
    const counts = summary.json<{ outcomes: Record<string, number>; victimsIdentified: number; arrests: number; disclosuresSent: number; disclosuresAcknowledged: number }>();
    assert.equal(counts.victimsIdentified, 3);
    assert.equal(counts.arrests, 2);
    assert.equal(counts.outcomes['safeguarding-visit'], 1);
    assert.equal(counts.disclosuresAcknowledged, 1);
    assert.ok(!summary.text.includes('Three women'), 'counts only');
    const page = await coordinator.browser.get(`/groups/${groupId}/outcomes`);
    assert.equal(page.status, 200);
    assert.match(page.text, /People identified as victims<\/dt><dd>3</);
    assert.match((await coordinator.browser.get(`/groups/${groupId}`)).text, new RegExp(`href="/groups/${groupId}/outcomes"`), 'the group page links to it');

    const totals = await call(national, 'GET', '/api/v1/outcome-totals');
    assert.equal(totals.status, 200, totals.text);
    const month = new Date().toISOString().slice(0, 7);
    const gb = totals.json<{ countries: { country: string; months: { month: string; victimsIdentified: number; arrests: number; outcomes: Record<string, number> }[] }[] }>().countries;
    assert.deepEqual(gb.map((c) => c.country), ['GB']);
    assert.deepEqual(gb[0]!.months.map((m) => [m.month, m.victimsIdentified, m.arrests, m.outcomes['safeguarding-visit']]), [[month, 3, 2, 1]]);
    assert.equal((await call(national, 'GET', '/api/v1/outcome-totals?country=FR')).status, 422);
    assert.equal((await call(national, 'GET', '/api/v1/outcome-totals?from=2026-13')).status, 422, 'a month that cannot be');
    assert.equal((await call(coordinator, 'GET', '/api/v1/outcome-totals')).status, 403);
    assert.equal((await national.browser.get('/countries/GB/outcomes')).status, 200);
  });

  test("a national coordinator cannot send another group's reports through this group's partnership (its coordinators would read them)", async () => {
    const coordinatorB = await person(server, { scopes: SCOPES });
    await listedGroup(coordinatorB, national, { lat: 53.8, lon: -1.55, radiusKm: 10 });
    const ours = await gradedReport();
    const theirs = await reportId(server, (await sendReport(server, { ...A_REPORT, location: { lat: 53.8, lon: -1.55 } })).reference);
    assert.equal((await call(coordinatorB, 'POST', `/api/v1/reports/${theirs}/triage`)).status, 200);
    const graded = await call(coordinatorB, 'POST', `/api/v1/reports/${theirs}/grade`, { ...GRADE, summary: 'SECRET-B: held by another group.', acknowledgeWarnings: true });
    assert.equal(graded.status, 200, graded.text);
    const row = (await db().insertInto('networks' as never).values({ country: 'GB', name: 'Across groups', summary: '' } as never).returning('id' as never).executeTakeFirstOrThrow()) as { id: string };
    await db().insertInto('network_reports' as never).values([ours, theirs].map((id) => ({ network_id: row.id, report_id: id }))).execute();
    const built = await call(national, 'POST', '/api/v1/disclosures', { partnershipId, networkId: row.id });
    assert.equal(built.status, 422, built.text);
    const listed = await call(coordinator, 'GET', '/api/v1/disclosures');
    for (const d of listed.json<{ id: string }[]>()) assert.ok(!(await call(coordinator, 'GET', `/api/v1/disclosures/${d.id}`)).text.includes('SECRET-B'), 'group A reads group B\'s summary');
  });

  test('a network is disclosed as its graded reports with the identifiers that link them', async () => {
    const network = async (name: string, reportIds: string[]) => {
      const row = (await db().insertInto('networks' as never).values({ country: 'GB', name, summary: '' } as never).returning('id' as never).executeTakeFirstOrThrow()) as { id: string };
      await db().insertInto('network_reports' as never).values(reportIds.map((id) => ({ network_id: row.id, report_id: id }))).execute();
      return row.id;
    };
    const [n1, n2] = [await gradedReport(), await gradedReport({ ...GRADE, summary: 'The same van seen at a second car wash.' })];
    const ungraded = await reportId(server, (await sendReport(server)).reference);
    const networkId = await network('Car wash van', [n1, n2, ungraded]);

    const both = await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId, networkId, reportIds: [n1] });
    assert.equal(both.status, 422);
    assert.match(both.json<Problem>().error.fields!.reportIds!, /reports or a network, not both/);
    const unknown = await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId, networkId: crypto.randomUUID() });
    assert.equal(unknown.status, 422);
    // A network holding a report of the national inbox: not the group coordinator's to disclose.
    const inbox = await reportId(server, (await sendReport(server, { ...A_REPORT, location: { lat: 58.9, lon: -3.1 } })).reference);
    const foreign = await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId, networkId: await network('Wider', [n1, inbox]) });
    assert.equal(foreign.status, 422);
    assert.match(foreign.json<Problem>().error.fields!.networkId!, /whose reports you all review/);

    // On the builder page, the network is offered beside the reports.
    const builder = await coordinator.browser.get(`/disclosures/new?partnership=${partnershipId}`);
    assert.match(builder.text, /Or a whole network/);
    assert.match(builder.text, /Car wash van/);
    const made = await submit(coordinator, `/disclosures/new?partnership=${partnershipId}`, '/disclosures', { partnershipId, networkId });
    assert.equal(made.status, 303, made.text);
    const id = /^\/disclosures\/([0-9a-f-]{36})\?notice=created$/.exec(made.location ?? '')![1]!;
    const built = await call(coordinator, 'GET', `/api/v1/disclosures/${id}`);
    assert.equal(built.json<Summary>().reportCount, 2, 'the ungraded report stays behind');
    assert.equal((await call(second, 'POST', `/api/v1/disclosures/${id}/approval`)).status, 200);
    const view = (await call(officer, 'GET', `/api/v1/disclosures/${id}`)).json<View & { package: { network: { name: string }; linkedIdentifiers: { kind: string; value: string | null; reports: string[] }[] } }>();
    assert.equal(view.package.network.name, 'Car wash van');
    const references = view.package.reports.map((report) => report.reference).sort();
    // The terms set earlier cover phones, not plates.
    assert.deepEqual(view.package.linkedIdentifiers, [
      { kind: 'phone', value: '+447700900123', reports: references },
      { kind: 'plate', value: null, reports: references },
    ]);
    const page = await officer.browser.get(`/disclosures/${id}`);
    assert.match(page.text, /Identifiers linking these reports/);
    assert.match(page.text, /Car wash van/);
  });

  test('a disclosure waiting for approval is not sent once its partnership has ended', async () => {
    const r = await gradedReport();
    const built = (await call(coordinator, 'POST', '/api/v1/disclosures', { partnershipId, reportIds: [r] })).json<Summary>();
    assert.equal(built.status, 'awaiting-approval');
    assert.equal((await call(coordinator, 'POST', `/api/v1/partnerships/${partnershipId}/end`, {})).status, 200);
    const refused = await call(second, 'POST', `/api/v1/disclosures/${built.id}/approval`);
    assert.equal(refused.status, 409);
    assert.match(refused.json<Problem>().error.message, /not active/);
    assert.equal(await statusOf(r), 'graded');
    const row = await db().selectFrom('disclosures' as never).select('status' as never).where('id' as never, '=', built.id as never).executeTakeFirstOrThrow();
    assert.equal((row as { status: string }).status, 'awaiting-approval');
  });

  test('a partner user who has not set up two-factor authentication reaches no disclosure', async () => {
    const [sent] = (await call(officer, 'GET', '/api/v1/disclosures')).json<Summary[]>();
    // Through HTTP, a partner user who has not enrolled is sent to enrolment before any disclosure page.
    const fresh = await person(server, { scopes: ['sharing:read'], twoFactor: false });
    await call(national, 'POST', `/api/v1/partners/${(await call(officer, 'GET', '/api/v1/partners')).json<{ id: string }[]>()[0]!.id}/users`, { email: fresh.email });
    const page = await fresh.browser.get(`/disclosures/${sent!.id}`);
    assert.equal(page.status, 303);
    assert.equal((await fresh.api.json('GET', `/api/v1/disclosures/${sent!.id}`, undefined, fresh.token)).status, 401, 'a token made before the partner role stands in for nothing');
  });
});
