import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { cellToLatLng } from 'h3-js';
import { sql } from 'kysely';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport, type Person } from '../../../test/support/reports.ts';
import { exportDirect, exportsDir } from './export-service.ts';
import { sweepExports } from './export-jobs.ts';
import { exportChunks } from './export-stream.ts';
import { exportBatch } from '../reports/index.ts';

type Problem = { error: { code: string; message: string; fields?: Record<string, string> } };
type ExportView = { id: string; status: string; rowsDone: number; rowsTotal: number | null; download: string | null; format: string };
type Feature = { type: string; geometry: { type: string; coordinates: [number, number] } | null; properties: Record<string, unknown> };

const csv = (text: string): string[][] => parseCsv(text, { bom: true, relax_column_count: false });
const GRADE = { source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: '=HYPERLINK("http://evil") workers moved, "quoted", <b>&amp;</b>' };
const TRICKY = { ...A_REPORT, location: { lat: 51.4601, lon: -2.6011 }, place: 'Behind the <depot> & "yard"', placeType: 'farm', account: '+44 says, "hello"\nsecond line', identifiers: [{ kind: 'phone', value: '07700 900456' }], names: ['Jon Smyth', 'Star "Nails"'] };

describe('map: exports (CSV, HXL, GeoJSON, KML)', () => {
  let server: TestServer;
  let national: Person;
  let coordinator: Person;
  let otherCoordinator: Person;
  let outsider: Person;
  let groupId: string;
  const ids: string[] = [];
  const db = () => server.cast.database.db;
  const get = (who: Person, url: string) => who.api.json('GET', url, undefined, who.token);

  before(async () => {
    server = await startTestServer();
    national = await person(server, { role: 'national-coordinator', country: 'GB' });
    coordinator = await person(server);
    otherCoordinator = await person(server);
    outsider = await person(server);
    groupId = await listedGroup(coordinator, national, { lat: 51.45, lon: -2.59, radiusKm: 10 });
    await listedGroup(otherCoordinator, national, { lat: 53.48, lon: -2.24, radiusKm: 10 });
    for (const report of [A_REPORT, TRICKY, { ...A_REPORT, placeType: 'hotel', exploitationTypes: ['sexual'], indicators: [] }]) ids.push(await reportId(server, (await sendReport(server, report)).reference));
    // One report in another group: never in this group's export.
    await sendReport(server, { ...A_REPORT, location: { lat: 53.48, lon: -2.24 } });
    const first = `/api/v1/reports/${ids[0]}`;
    assert.equal((await coordinator.api.json('POST', `${first}/triage`, undefined, coordinator.token)).status, 200);
    const graded = await coordinator.api.json('POST', `${first}/grade`, GRADE, coordinator.token);
    assert.equal(graded.status, 200, graded.text);
  });
  after(async () => {
    await server.close();
  });

  test('CSV: RFC 4180 parsed back, one line per report of the group, no restricted column, formulas defused', async () => {
    const response = await get(coordinator, `/api/v1/groups/${groupId}/export.csv`);
    assert.equal(response.status, 200, response.text);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="cast-reports-group-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = csv(response.text);
    assert.deepEqual(header, ['reference', 'received_on', 'status', 'grade_source', 'grade_assessment', 'grade_handling', 'priority', 'place_type', 'exploitation_types', 'indicators', 'people_count', 'identifier_count', 'h3_cell', 'cell_lat', 'cell_lon', 'summary']);
    assert.equal(rows.length, 3);
    for (const secret of ['07700', 'white van', 'hello', 'depot', 'Smyth', '51.4601', '51.4545']) assert.ok(!response.text.includes(secret), `no restricted value (${secret})`);
    const graded = rows.find((row) => row[2] === 'graded')!;
    assert.deepEqual(graded.slice(3, 8), ['2', 'B', 'P', 'high', 'car-wash']);
    assert.equal(graded[8], 'labour');
    assert.equal(graded[9], 'labour.group-transport;person.spoken-for');
    assert.equal(graded[11], '2', 'identifiers counted, not shown');
    assert.equal(graded[15], `'${GRADE.summary}`, 'a cell starting with = gets a quote in front');
    const [lat, lon] = cellToLatLng(graded[12]!);
    assert.ok(Math.abs(Number(graded[13]) - lat) < 1e-4 && Math.abs(Number(graded[14]) - lon) < 1e-4, 'the coarse cell centre');
  });

  test('HXL: the second line holds the hashtags; filters narrow the export; bad filters are 4xx', async () => {
    const response = await get(coordinator, `/api/v1/groups/${groupId}/export.hxl?status=graded`);
    assert.equal(response.status, 200, response.text);
    const [header, tags, ...rows] = csv(response.text);
    assert.equal(header!.length, tags!.length);
    assert.equal(tags![1], '#date +reported');
    assert.equal(tags![12], '#loc +code +h3');
    assert.ok(tags!.every((tag) => tag.startsWith('#')));
    assert.equal(rows.length, 1);

    const placed = csv((await get(coordinator, `/api/v1/groups/${groupId}/export.csv?placeType=hotel,farm`)).text);
    assert.equal(placed.length - 1, 2);
    const typed = csv((await get(coordinator, `/api/v1/groups/${groupId}/export.csv?type=sexual&grade=*/*/*`)).text);
    assert.equal(typed.length - 1, 0, 'grade "*/*/*" means graded');
    const bad = await get(coordinator, `/api/v1/groups/${groupId}/export.csv?status=lost`);
    assert.equal(bad.status, 422);
    assert.ok(bad.json<Problem>().error.fields?.status);
    assert.equal((await get(coordinator, `/api/v1/groups/${groupId}/export.csv?colour=red`)).status, 422, 'an unknown filter is refused, not ignored');
    assert.equal((await get(coordinator, `/api/v1/groups/${groupId}/export.xls`)).status, 422, 'an unknown format');
  });

  test('GeoJSON: a FeatureCollection of points at the cell centre, [lon, lat]', async () => {
    const response = await get(coordinator, `/api/v1/groups/${groupId}/export.geojson`);
    assert.equal(response.status, 200, response.text);
    assert.match(response.headers.get('content-type') ?? '', /^application\/geo\+json/);
    const collection = response.json<{ type: string; features: Feature[] }>();
    assert.equal(collection.type, 'FeatureCollection');
    assert.equal(collection.features.length, 3);
    for (const feature of collection.features) {
      assert.equal(feature.type, 'Feature');
      assert.equal(feature.geometry?.type, 'Point');
      const [lon, lat] = feature.geometry.coordinates;
      const [cellLat, cellLon] = cellToLatLng(feature.properties.h3_cell as string);
      assert.ok(Math.abs(lat - cellLat) < 1e-4 && Math.abs(lon - cellLon) < 1e-4);
      assert.ok(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90);
      assert.equal(feature.properties.lat, undefined);
    }
  });

  test('KML: well-formed XML, one Placemark per report, text escaped', async () => {
    const response = await get(coordinator, `/api/v1/groups/${groupId}/export.kml`);
    assert.equal(response.status, 200, response.text);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(response.text, true) as { kml: { '@_xmlns': string; Document: { Placemark: { name: string; Point: { coordinates: string } }[] } } };
    assert.equal(parsed.kml['@_xmlns'], 'http://www.opengis.net/kml/2.2');
    const placemarks = parsed.kml.Document.Placemark;
    assert.equal(placemarks.length, 3);
    for (const placemark of placemarks) {
      assert.match(placemark.name, /^R-[0-9A-Z]{8}$/);
      const [lon, lat] = placemark.Point.coordinates.split(',').map(Number);
      assert.ok(Math.abs(lat! - 51.45) < 0.1 && Math.abs(lon! + 2.59) < 0.1);
    }
    assert.ok(response.text.includes('&lt;b&gt;&amp;amp;&lt;/b&gt;'), 'the summary is escaped');
  });

  test('only the reviewers of the reports may export them: others get 404, without a session 401', async () => {
    for (const who of [otherCoordinator, outsider]) {
      assert.equal((await get(who, `/api/v1/groups/${groupId}/export.csv`)).status, 404);
      assert.equal((await get(who, '/api/v1/countries/GB/export.csv')).status, 404);
    }
    assert.equal((await get(coordinator, '/api/v1/countries/GB/export.csv')).status, 404, 'a group coordinator does not export the country');
    assert.equal((await new Client(server.url).get(`/api/v1/groups/${groupId}/export.csv`)).status, 401);
    const nationalGroup = await get(national, `/api/v1/groups/${groupId}/export.csv`);
    assert.equal(nationalGroup.status, 200);
    const country = await get(national, '/api/v1/countries/GB/export.csv');
    assert.equal(country.status, 200);
    assert.equal(csv(country.text).length - 1, 4, "the country's reports, every group's");
    const noTwoFactor = await person(server, { twoFactor: false });
    const ownGroup = await listedGroup(noTwoFactor, national, { lat: 52.2, lon: 0.12, radiusKm: 5 });
    const told = await get(noTwoFactor, `/api/v1/groups/${ownGroup}/export.csv`);
    assert.equal(told.status, 403, 'a coordinator without two-factor authentication is told to set it up');
    assert.match(told.json<Problem>().error.message, /two-factor/i);
  });

  test('restricted fields: refused without a reason; with one, precise points and opened fields, and one audit entry', async () => {
    const refused = await get(coordinator, `/api/v1/groups/${groupId}/export.csv?restricted=true`);
    assert.equal(refused.status, 422);
    assert.ok(refused.json<Problem>().error.fields?.reason);
    const before = await db().selectFrom('audit_log').select('id').where('action', '=', 'reports.export-restricted').execute();
    assert.equal(before.length, 0, 'a refused export writes nothing');

    const reason = 'Police referral 2026/114 asked for the places';
    const response = await get(coordinator, `/api/v1/groups/${groupId}/export.geojson?restricted=true&reason=${encodeURIComponent(reason)}&placeType=farm`);
    assert.equal(response.status, 200, response.text);
    const [feature] = response.json<{ features: Feature[] }>().features;
    assert.deepEqual(feature!.geometry!.coordinates, [-2.6011, 51.4601], 'the precise point, [lon, lat]');
    assert.equal(feature!.properties.place, TRICKY.place);
    assert.equal(feature!.properties.account, TRICKY.account);
    assert.equal(feature!.properties.identifiers, 'phone:07700 900456');
    assert.equal(feature!.properties.names, 'Jon Smyth;Star "Nails"', 'names heard or seen, opened');

    const restrictedCsv = csv((await get(coordinator, `/api/v1/groups/${groupId}/export.csv?restricted=true&reason=${encodeURIComponent(reason)}&placeType=farm`)).text);
    assert.equal(restrictedCsv[1]![restrictedCsv[0]!.indexOf('account')], `'${TRICKY.account}`, 'a restricted text starting with + is defused too');

    const entries = await db().selectFrom('audit_log').select(['actor_id', 'subject', 'detail']).where('action', '=', 'reports.export-restricted').orderBy('id').execute();
    assert.equal(entries.length, 2, 'one entry per export, not per report');
    const detail = (typeof entries[0]!.detail === 'string' ? JSON.parse(entries[0]!.detail) : entries[0]!.detail) as Record<string, unknown>;
    assert.equal(entries[0]!.actor_id, coordinator.userId);
    assert.equal(entries[0]!.subject, `group:${groupId}`);
    assert.deepEqual([detail.reason, detail.count, detail.format, detail.filters], [reason, 1, 'geojson', { placeTypes: ['farm'] }]);
  });

  test('a long export runs as a job: progress, a download only for whoever started it, restricted refused, expiry and sweep', async () => {
    const started = await coordinator.api.json('POST', '/api/v1/exports', { groupId, format: 'kml', status: ['received', 'graded'] }, coordinator.token);
    assert.equal(started.status, 202, started.text);
    const job = started.json<ExportView>();
    assert.equal(job.rowsTotal, 3);
    let view = job;
    for (let i = 0; i < 100 && view.status !== 'done' && view.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = (await get(coordinator, `/api/v1/exports/${job.id}`)).json<ExportView>();
    }
    assert.equal(view.status, 'done');
    assert.equal(view.rowsDone, 3);
    assert.equal(view.download, `/api/v1/exports/${job.id}/file`);
    const file = await get(coordinator, view.download);
    assert.equal(file.status, 200);
    assert.equal((new XMLParser().parse(file.text, true) as { kml: { Document: { Placemark: unknown[] } } }).kml.Document.Placemark.length, 3);

    assert.equal((await get(national, `/api/v1/exports/${job.id}`)).status, 404, "someone else's export");
    assert.equal((await get(national, `/api/v1/exports/${job.id}/file`)).status, 404);
    assert.equal((await get(outsider, `/api/v1/exports/${job.id}/file`)).status, 404);
    assert.ok((await get(coordinator, '/api/v1/exports')).json<{ items: ExportView[] }>().items.some((item) => item.id === job.id));
    const noOutsider = await outsider.api.json('POST', '/api/v1/exports', { groupId, format: 'csv' }, outsider.token);
    assert.equal(noOutsider.status, 404);
    const restricted = await coordinator.api.json('POST', '/api/v1/exports', { groupId, format: 'csv', restricted: true, reason: 'A long enough reason here' }, coordinator.token);
    assert.equal(restricted.status, 422);

    const stored = path.join(exportsDir(server.dataDir), `${job.id}.kml`);
    assert.ok(fs.existsSync(stored));
    await db().updateTable('exports' as never).set({ expires_at: new Date(Date.now() - 1000) } as never).where('id' as never, '=', job.id as never).execute();
    assert.equal((await get(coordinator, `/api/v1/exports/${job.id}`)).status, 404, 'expired');
    assert.ok((await sweepExports({ db: db(), dataDir: server.dataDir })) >= 1);
    assert.ok(!fs.existsSync(stored), 'the sweep deletes the file');
    assert.equal(await db().selectFrom('exports' as never).select('id' as never).where('id' as never, '=', job.id as never).executeTakeFirst(), undefined);
  });

  test('a direct export above the threshold is refused with a conflict (start a job instead)', async () => {
    const actor = { kind: 'user', userId: coordinator.userId, roles: [], stage: 'full', via: 'session', twoFactorEnabled: true } as const;
    const refused = await exportDirect({ db: db(), sealer: undefined as never, engine: server.cast.database.engine, jobs: server.cast.jobs, dataDir: server.dataDir, directLimit: 2 }, actor as never, { groupId }, {}, 'csv');
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.reason, 'conflict');
  });

  test('the work queue links to the export form with its filters; posting it downloads a small export; bad input re-shows the form', async () => {
    const queue = await coordinator.browser.get(`/groups/${groupId}/reports?status=graded`);
    assert.equal(queue.status, 200);
    const link = /href="(\/exports\/new\?[^"]+)"/.exec(queue.text)?.[1]?.replaceAll('&amp;', '&');
    assert.equal(link, `/exports/new?groupId=${groupId}&status=graded`);
    const form = await coordinator.browser.get(link);
    assert.equal(form.status, 200, form.text);
    assert.match(form.text, /<input type="hidden" name="status" value="graded"/);
    const posted = await coordinator.browser.postForm('/exports', { _csrf: csrfFrom(form.text), groupId, status: 'graded', format: 'csv', reason: '' });
    assert.equal(posted.status, 200, posted.text);
    assert.match(posted.headers.get('content-disposition') ?? '', /attachment/);
    assert.equal(csv(posted.text).length - 1, 1);
    const noReason = await coordinator.browser.postForm('/exports', { _csrf: csrfFrom(form.text), groupId, format: 'csv', restricted: 'true', reason: 'short' });
    assert.equal(noReason.status, 422);
    assert.match(noReason.text, /Give a reason of 10 to 500 characters/);
    assert.equal((await coordinator.browser.postForm('/exports', { groupId, format: 'csv' })).status, 403, 'CSRF');
    assert.equal((await outsider.browser.get(`/exports/new?groupId=${groupId}`)).status, 404);
    const list = await coordinator.browser.get('/exports');
    assert.equal(list.status, 200);
    assert.match(list.text, /<h1>Your exports<\/h1>/);
  });
  test('the OpenAPI document describes the exports, with an example for startExport', async () => {
    const document = (await new Client(server.url).get('/api/openapi.json')).json<{ paths: Record<string, Record<string, { operationId?: string; requestBody?: { content: Record<string, { schema: { examples?: unknown[] } }> } }>> }>();
    const ids = new Map(Object.entries(document.paths).flatMap(([route, methods]) => Object.entries(methods).map(([method, op]) => [op.operationId, `${method} ${route}`] as const)));
    assert.equal(ids.get('exportGroupReports'), 'get /api/v1/groups/{id}/export.{format}');
    assert.equal(ids.get('exportCountryReports'), 'get /api/v1/countries/{country}/export.{format}');
    assert.equal(ids.get('startExport'), 'post /api/v1/exports');
    assert.equal(ids.get('getExport'), 'get /api/v1/exports/{id}');
    assert.equal(ids.get('downloadExport'), 'get /api/v1/exports/{id}/file');
    const body = document.paths['/api/v1/exports']!.post!.requestBody!.content['application/json'] as { schema: { examples?: unknown[] }; example?: unknown; examples?: unknown };
    assert.ok(body.schema.examples?.length || body.example || body.examples);
  });
  test('batches follow the keyset across days with many reports each: every report once, in order, progress per batch', async () => {
    const national2 = await person(server, { role: 'national-coordinator', country: 'FR' });
    const bulk = await listedGroup(national2, national2, { country: 'FR', lat: 48.85, lon: 2.35, radiusKm: 5 });
    await sql`
      insert into reports (reference, receipt_hash, group_id, country, received_on, status, h3_cell)
      select 'R-' || lpad(upper(to_hex(1000000 + i)), 8, '0'), decode(md5('export-test-' || i), 'hex'), ${bulk}::uuid, 'FR', date '2026-01-01' + (i % 3), 'received', '871fb4670ffffff'
      from generate_series(1, 2500) as i`.execute(db());
    const progress: number[] = [];
    let text = '';
    for await (const piece of exportChunks({ db: db(), sealer: undefined as never, engine: server.cast.database.engine }, { scope: { groupId: bulk }, filters: {}, format: 'csv', restricted: false, title: 'bulk', batchSize: 1000 }, async (done) => {
      progress.push(done);
    }))
      text += piece;
    assert.deepEqual(progress, [1000, 2000, 2500]);
    const [, ...rows] = csv(text);
    assert.equal(rows.length, 2500);
    assert.equal(new Set(rows.map((row) => row[0])).size, 2500, 'no report twice, none missed');
    const days = rows.map((row) => row[1]!);
    assert.deepEqual(days, [...days].sort().reverse(), 'newest day first');
  });

  test('a batch read the PGlite way (one JSON text) and the PostgreSQL way (text columns) gives the same rows, restricted ones too', async () => {
    // Both ways run on either engine, so each engine's test run compares them on its own database:
    // nulls, lists, a count of identifiers, an awkward summary and the sealed columns.
    const readBoth = async (restricted: boolean) =>
      Promise.all((['pglite', 'postgres'] as const).map((engine) => exportBatch(db(), { groupId }, {}, undefined, 100, { restricted, engine })));
    for (const restricted of [false, true]) {
      const [packed, columns] = await readBoth(restricted);
      assert.equal(packed!.length, 3);
      assert.deepEqual(columns, packed, restricted ? 'restricted batch' : 'plain batch');
      assert.equal(packed!.some((row) => row.sealed !== undefined), restricted, 'sealed values only in a restricted batch');
    }
    const [plain] = await readBoth(false);
    const graded = plain!.find((row) => row.status === 'graded')!;
    assert.deepEqual([graded.exploitation_types, graded.indicators, graded.identifier_count, graded.summary], [['labour'], ['labour.group-transport', 'person.spoken-for'], 2, GRADE.summary]);
    assert.deepEqual(plain!.find((row) => row.place_type === 'hotel')!.indicators, [], 'an empty list stays empty');
    assert.match(graded.received_on, /^\d{4}-\d{2}-\d{2}$/);
  });
});
