import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport, type Person } from '../../../test/support/reports.ts';

type Problem = { error: { code: string; message: string; fields?: Record<string, string> } };

describe('reports: submitting, routing, receipts, and who may open a report', () => {
  let server: TestServer;
  let national: Person;
  let coordinator: Person;
  let groupId: string;
  const anonymous = () => new Client(server.url);
  const db = () => server.cast.database.db;
  const reportRow = async (reference: string) => (await db().selectFrom('reports' as never).selectAll().where('reference' as never, '=', reference as never).executeTakeFirstOrThrow()) as Record<string, unknown>;
  const countReports = async () => Number(((await db().selectFrom('reports' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()) as { n: number }).n);

  before(async () => {
    server = await startTestServer();
    national = await person(server, { role: 'national-coordinator', country: 'GB' });
    coordinator = await person(server);
    // Bristol: the area holds A_REPORT's point.
    groupId = await listedGroup(coordinator, national, { lat: 51.45, lon: -2.59, radiusKm: 10 });
  });
  after(async () => {
    await server.close();
  });

  test('an anonymous report is accepted, routed to the listed group whose area holds it, and its receipt code is shown once', async () => {
    const response = await anonymous().json('POST', '/api/v1/reports', A_REPORT);
    assert.equal(response.status, 201, response.text);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const receipt = response.json<{ reference: string; receiptCode: string; status: string }>();
    assert.match(receipt.reference, /^R-[0-9A-Z]{8}$/);
    assert.match(receipt.receiptCode, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    assert.equal(receipt.status, 'received');

    const row = await reportRow(receipt.reference);
    assert.equal(row.group_id, groupId);
    assert.equal(row.reporter_id, null);
    assert.equal(row.status, 'received');
    assert.deepEqual(row.indicators, A_REPORT.indicators);
    assert.match(String(row.h3_cell), /^87[0-9a-f]{13}$/, 'a resolution-7 H3 cell in clear');
    for (const column of ['narrative_sealed', 'location_sealed']) {
      assert.ok(row[column], `${column} is stored`);
      assert.doesNotMatch(row[column] as string, /white van|51\.45|-2\.58/, `${column} holds no clear text`);
    }
    assert.ok(!JSON.stringify(row).includes(receipt.receiptCode.replace(/-/g, '')), 'the receipt code itself is not stored');
  });

  test('a report outside every listed group goes to the national inbox; an unlisted group does not draw reports', async () => {
    const founder = await person(server);
    const unlisted = await founder.api.json('POST', '/api/v1/groups', { name: 'Unlisted', kind: 'other', country: 'GB', locality: 'Leeds', lat: 53.8, lon: -1.55, radiusKm: 20 }, founder.token);
    assert.equal(unlisted.status, 201);
    const sent = await sendReport(server, { ...A_REPORT, location: { lat: 53.8, lon: -1.55 } });
    const row = await reportRow(sent.reference);
    assert.equal(row.group_id, null);
    assert.equal(row.country, 'GB');
    const noPoint = await sendReport(server, { country: 'FR', place: 'Rue de la Paix, Lyon', account: 'Un salon de massage ouvert toute la nuit.' });
    assert.equal((await reportRow(noPoint.reference)).group_id, null);
  });

  test('overlapping areas: the nearest centre wins, and a boundary polygon decides over the radius', async () => {
    const near = await listedGroup(coordinator, national, { lat: 51.456, lon: -2.59, radiusKm: 3 });
    const sent = await sendReport(server, { ...A_REPORT, location: { lat: 51.457, lon: -2.591 } });
    assert.equal((await reportRow(sent.reference)).group_id, near);
    // A square boundary around (52, 0); a point inside its radius but outside the square is not its report.
    const square = { type: 'Polygon', coordinates: [[[-0.01, 51.99], [0.01, 51.99], [0.01, 52.01], [-0.01, 52.01], [-0.01, 51.99]]] };
    const bounded = await listedGroup(coordinator, national, { lat: 52, lon: 0, radiusKm: 50, boundary: square });
    assert.equal((await reportRow((await sendReport(server, { ...A_REPORT, location: { lat: 52.0, lon: 0.0 } })).reference)).group_id, bounded);
    assert.equal((await reportRow((await sendReport(server, { ...A_REPORT, location: { lat: 52.2, lon: 0.0 } })).reference)).group_id, null);
  });

  test('a group never holds a report of another country, however far its area reaches', async () => {
    // The Bristol group's 10 km circle holds this point, but the report says it happened in France.
    const sent = await sendReport(server, { ...A_REPORT, country: 'FR' });
    assert.equal((await reportRow(sent.reference)).group_id, null, 'it goes to the French national inbox');
  });

  test('identifiers are stored sealed with blind indexes that match however they were written', async () => {
    const first = await sendReport(server, { ...A_REPORT, identifiers: [{ kind: 'phone', value: '07700 900123' }, { kind: 'plate', value: 'AB12 CDE' }] });
    const second = await sendReport(server, { ...A_REPORT, identifiers: [{ kind: 'phone', value: '+44 7700-900123' }, { kind: 'plate', value: 'ab12-cde' }, { kind: 'phone', value: 'ring 12' }] });
    const rows = async (reference: string) =>
      (await db()
        .selectFrom('report_identifiers' as never)
        .selectAll()
        .where('report_id' as never, '=', (await reportId(server, reference)) as never)
        .execute()) as { kind: string; blind_index: Buffer; value_sealed: string; unparsed: boolean }[];
    const a = await rows(first.reference);
    const b = await rows(second.reference);
    assert.equal(a.length, 2);
    assert.equal(b.length, 3);
    for (const row of [...a, ...b]) assert.doesNotMatch(row.value_sealed, /7700|AB12|ab12|ring/i);
    const index = (list: typeof a, kind: string) => list.filter((r) => r.kind === kind && !r.unparsed).map((r) => r.blind_index.toString('hex'));
    assert.deepEqual(index(a, 'phone'), index(b, 'phone'));
    assert.deepEqual(index(a, 'plate'), index(b, 'plate'));
    assert.equal(b.filter((r) => r.unparsed).length, 1, 'the odd phone number is kept, flagged');
  });

  test('bad input gets a clear message per field and stores nothing', async () => {
    const before = await countReports();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...A_REPORT, location: { lat: 91, lon: 0 } }, 'location', /on Earth/],
      [{ ...A_REPORT, observedFrom: '2999-01-01' }, 'observedFrom', /in the future/],
      [{ ...A_REPORT, observedFrom: '2026-02-30' }, 'observedFrom', /real date/],
      [{ ...A_REPORT, indicators: ['sex.many-visitors', 'made.up'] }, 'indicators', /not in the list of signs/],
      [{ ...A_REPORT, account: 'x'.repeat(20_001) }, 'account', /longer than 20,000/],
      [{ country: 'GB' }, 'form', /report is empty/],
      [{ ...A_REPORT, country: 'XX' }, 'country', /country/],
      [{ ...A_REPORT, contact: 'call me on 0123', contactConsent: false }, 'contactConsent', /agree to be contacted/],
      [{ ...A_REPORT, peopleCount: 0 }, 'peopleCount', /between 1 and 10,000/],
      [{ ...A_REPORT, route: { origin: ['ZZ'] } }, 'route.origin', /countries/],
      [{ ...A_REPORT, names: ['Jon Smyth', 'x'.repeat(201)] }, 'names', /name is too long/],
      [{ ...A_REPORT, names: Array.from({ length: 21 }, (_, i) => `Name ${i}`) }, 'names', /more than 20 names/],
    ];
    for (const [body, field, message] of cases) {
      const response = await anonymous().json('POST', '/api/v1/reports', body);
      assert.equal(response.status, 422, `${field}: ${response.text}`);
      const problem = response.json<Problem>();
      assert.match(problem.error.fields?.[field] ?? '', message, `${field}: ${response.text}`);
    }
    const malformed = await anonymous().json('POST', '/api/v1/reports', { ...A_REPORT, surprise: true });
    assert.equal(malformed.status, 422, 'unknown properties are refused');
    assert.equal(await countReports(), before);
  });

  test('the receipt code shows the status and lets the reporter add information — and nothing else', async () => {
    const sent = await sendReport(server);
    const status = await anonymous().json('POST', '/api/v1/reports/by-receipt', { receipt: sent.receiptCode.toLowerCase().replace(/-/g, ' ') });
    assert.equal(status.status, 200, status.text);
    assert.deepEqual(Object.keys(status.json<object>()).sort(), ['additions', 'receivedOn', 'reducedToStatistics', 'reference', 'status']);
    assert.equal(status.json<{ status: string }>().status, 'received');
    assert.equal(status.json<{ reducedToStatistics: boolean }>().reducedToStatistics, false, 'a purged report says so (retention.test.ts)');

    const added = await anonymous().json('POST', '/api/v1/reports/by-receipt/additions', { receipt: sent.receiptCode, account: 'The van came back on Sunday.', identifiers: [{ kind: 'phone', value: '07700 900999' }] });
    assert.equal(added.status, 200, added.text);
    assert.equal(added.json<{ additions: number }>().additions, 1);
    assert.equal((await reportRow(sent.reference)).unread_additions, true);
    const opened = await coordinator.api.json('GET', `/api/v1/reports/${await reportId(server, sent.reference)}`, undefined, coordinator.token);
    assert.deepEqual(
      opened.json<{ additions: { account: string }[] }>().additions.map((a) => a.account),
      ['The van came back on Sunday.'],
    );
    assert.equal((await reportRow(sent.reference)).unread_additions, false, 'a reviewer has seen the addition');

    const empty = await anonymous().json('POST', '/api/v1/reports/by-receipt/additions', { receipt: sent.receiptCode, account: '  ' });
    assert.equal(empty.status, 422);

    const malformed = await anonymous().json('POST', '/api/v1/reports/by-receipt', { receipt: 'ABCD-1234' });
    assert.equal(malformed.status, 422);
    assert.match(malformed.json<Problem>().error.fields?.receipt ?? '', /does not look like a receipt code/);
    const unknown = await anonymous().json('POST', '/api/v1/reports/by-receipt', { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.json<Problem>().error.message, /No report matches this receipt code/);
    const unknownAddition = await anonymous().json('POST', '/api/v1/reports/by-receipt/additions', { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE', account: 'more' });
    assert.equal(unknownAddition.status, 404);
  });

  test('members reporting under their account see their own reports; a read-only token cannot report', async () => {
    const member = await person(server);
    const sent = await sendReport(server, A_REPORT, member);
    assert.equal((await reportRow(sent.reference)).reporter_id, member.userId);
    const mine = await member.api.json('GET', '/api/v1/my/reports', undefined, member.token);
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.json<{ reference: string }[]>().map((r) => r.reference), [sent.reference]);
    const other = await person(server);
    assert.deepEqual((await other.api.json('GET', '/api/v1/my/reports', undefined, other.token)).json<unknown[]>(), []);
    assert.equal((await anonymous().json('GET', '/api/v1/my/reports')).status, 401);
    const reader = await person(server, { scopes: ['reports:read'] });
    assert.equal((await reader.api.json('POST', '/api/v1/reports', A_REPORT, reader.token)).status, 403);
    // A browser session must send the CSRF token: another site cannot file reports in someone's name.
    assert.equal((await member.browser.json('POST', '/api/v1/reports', A_REPORT)).status, 403);
  });

  test('only the group’s coordinators and the country’s national coordinators open a report, and every opening is audited', async () => {
    const sent = await sendReport(server);
    const id = await reportId(server, sent.reference);
    const opened = await coordinator.api.json('GET', `/api/v1/reports/${id}`, undefined, coordinator.token);
    assert.equal(opened.status, 200, opened.text);
    const view = opened.json<{ account: string; location: { lat: number }; identifiers: { kind: string; value: string; normalised: string }[]; grade: unknown }>();
    assert.equal(view.account, A_REPORT.account);
    assert.equal(view.location.lat, A_REPORT.location.lat);
    assert.deepEqual(view.identifiers.map((i) => i.normalised).sort(), ['+447700900123', 'AB12CDE']);
    assert.equal(view.grade, null);
    const audit = await db().selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('subject', '=', `report:${id}`).execute();
    assert.deepEqual(audit.map((a) => [a.action, a.actor_id]), [['report.read', coordinator.userId]]);
    assert.doesNotMatch(JSON.stringify(audit), /white van|7700/, 'the audit log names the report, never its content');

    assert.equal((await national.api.json('GET', `/api/v1/reports/${id}`, undefined, national.token)).status, 200);
    const otherCountry = await person(server, { role: 'national-coordinator', country: 'FR' });
    const admin = await person(server, { role: 'admin' });
    const otherCoordinator = await person(server);
    await listedGroup(otherCoordinator, national, { lat: 40, lon: -3, radiusKm: 5 });
    for (const outsider of [otherCountry, admin, otherCoordinator]) {
      const response = await outsider.api.json('GET', `/api/v1/reports/${id}`, undefined, outsider.token);
      assert.equal(response.status, 404, 'not-found, so the report’s existence is not revealed');
    }
    assert.equal((await coordinator.api.json('GET', '/api/v1/reports/not-a-uuid', undefined, coordinator.token)).status, 404);
  });

  test('a coordinator without two-factor authentication is told to set it up before reviewing; older tokens of people given a two-factor role stop working', async () => {
    const founder = await person(server, { twoFactor: false });
    const group = await listedGroup(founder, national, { lat: 45, lon: 5, radiusKm: 5 });
    const sent = await sendReport(server, { ...A_REPORT, location: { lat: 45.001, lon: 5.001 } });
    const id = await reportId(server, sent.reference);
    const refused = await founder.api.json('GET', `/api/v1/reports/${id}`, undefined, founder.token);
    assert.equal(refused.status, 403);
    assert.match(refused.json<Problem>().error.message, /needs two-factor authentication/);
    assert.equal((await founder.api.json('GET', `/api/v1/groups/${group}/reports`, undefined, founder.token)).status, 403);
    assert.equal((await db().selectFrom('audit_log').select('id').where('subject', '=', `report:${id}`).execute()).length, 0, 'nothing was opened');

    const promoted = await person(server, { twoFactor: false });
    await db().insertInto('user_roles').values({ user_id: promoted.userId, role: 'national-coordinator', country: 'GB' }).execute();
    assert.equal((await promoted.api.json('GET', '/api/v1/my/reports', undefined, promoted.token)).status, 401, 'the token no longer stands in for its holder');
  });
});
