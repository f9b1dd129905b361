/**
 * The public map through HTTP on a real database: what the refresh counts, what the route shows and
 * refuses, and that the route answers from the precomputed cells alone.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { cellToParent, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import { Client } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { ConfigError, loadConfig } from '../../core/config.ts';
import { refreshPublicMap } from './public-refresh.ts';

const OLD = '2025-06-02';
const LONDON = { lat: 51.5072, lon: -0.1276 };
const LEEDS = { lat: 53.8008, lon: -1.5491 };
const BRISTOL = { lat: 51.4545, lon: -2.5879 };
const YORK = { lat: 53.96, lon: -1.0873 };
const HULL = { lat: 53.7676, lon: -0.3274 };

interface Cells {
  resolution: number;
  k: number | null;
  receivedUpTo: string | null;
  truncated: boolean;
  cells: { h3: string; count: number; lat: number; lon: number }[];
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

async function insertReports(server: TestServer, n: number, at: { lat: number; lon: number }, options: { status?: string; types?: string[]; receivedOn?: string } = {}) {
  const cell = latLngToCell(at.lat, at.lon, 7);
  for (let i = 0; i < n; i += 1) {
    const reference = `R-${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    await sql`insert into reports (reference, receipt_hash, country, received_on, status, exploitation_types, h3_cell, narrative_sealed)
      values (${reference}, ${crypto.randomBytes(32)}, 'GB', ${options.receivedOn ?? OLD}, ${options.status ?? 'triaged'}, ${options.types ?? ['labour']}, ${cell}, 'sealed-narrative-never-public')`.execute(server.cast.database.db);
  }
}

describe('public map', () => {
  let server: TestServer;
  let client: Client;
  const get = async (path: string) => client.get(path);
  const cells = async (query: string) => {
    const response = await get(`/api/v1/map/cells${query}`);
    assert.equal(response.status, 200, response.text);
    return response.json<Cells>();
  };

  before(async () => {
    server = await startTestServer();
    client = new Client(server.url);
    // The refresh asked for at start-up runs first, so it cannot land between a test's refresh and its reads.
    while ((await server.cast.jobs.pending('map.public-refresh')) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await insertReports(server, 6, LONDON); // shown: 6 ≥ 5
    await insertReports(server, 4, LEEDS); // below k: never shown, at no zoom, under no filter
    await insertReports(server, 5, BRISTOL, { receivedOn: daysAgo(1) }); // too recent
    await insertReports(server, 5, BRISTOL, { status: 'received' }); // not reviewed yet
    await insertReports(server, 5, BRISTOL, { status: 'rejected' });
    await insertReports(server, 5, YORK, { types: ['sexual', 'child'] }); // one leaf, two types
    await insertReports(server, 3, HULL, { types: ['sexual'] }); // 3 + 2 in another year: never 5 together
    await insertReports(server, 2, HULL, { types: ['sexual'], receivedOn: '2024-03-04' });
    await refreshPublicMap(server.cast.database.db, { k: server.config.publicMapK, delayDays: server.config.publicMapDelayDays });
  });
  after(async () => server?.close());

  test('shows only cells of at least k reviewed reports older than the delay, at resolution 6 at most', async () => {
    const answer = await cells('?zoom=12');
    assert.equal(answer.resolution, 6);
    assert.equal(answer.k, 5);
    const byCell = new Map(answer.cells.map((c) => [c.h3, c.count]));
    assert.deepEqual([...byCell.keys()].sort(), [cellToParent(latLngToCell(LONDON.lat, LONDON.lon, 7), 6), cellToParent(latLngToCell(YORK.lat, YORK.lon, 7), 6)].sort());
    assert.equal(byCell.get(cellToParent(latLngToCell(LONDON.lat, LONDON.lon, 7), 6)), 6);
    assert.ok(answer.cells.every((c) => c.count >= 5));
    assert.ok(answer.receivedUpTo! <= daysAgo(7));
  });

  test('coarser zooms add up the same published cells; nothing suppressed joins them', async () => {
    const world = await cells('?zoom=1');
    assert.equal(world.resolution, 2);
    // London and York share no resolution-2 cell with Leeds' or Hull's suppressed reports' extra weight.
    assert.equal(world.cells.reduce((sum, c) => sum + c.count, 0), 11);
    const country = await cells('?zoom=5&bbox=-6,49,2,56');
    assert.equal(country.resolution, 4);
    assert.equal(country.cells.reduce((sum, c) => sum + c.count, 0), 11);
  });

  test('filters by type and year; a report of two types counts under each, once under all types', async () => {
    assert.equal((await cells('?zoom=12&type=labour')).cells.length, 1);
    const sexual = await cells('?zoom=12&type=sexual');
    assert.deepEqual(sexual.cells.map((c) => c.count), [5]);
    assert.deepEqual((await cells('?zoom=12&type=child')).cells.map((c) => c.count), [5]);
    assert.equal((await cells('?zoom=12&year=2025')).cells.length, 2);
    assert.deepEqual((await cells('?zoom=12&year=2024')).cells, []);
    assert.deepEqual((await cells('?zoom=12&type=domestic-servitude')).cells, []);
  });

  test('a view holding only suppressed data answers an empty list, like a view holding nothing', async () => {
    const leeds = await cells(`?zoom=12&bbox=${LEEDS.lon - 0.05},${LEEDS.lat - 0.05},${LEEDS.lon + 0.05},${LEEDS.lat + 0.05}`);
    const sea = await cells('?zoom=12&bbox=-30,40,-29.9,40.1');
    assert.deepEqual(leeds.cells, []);
    assert.deepEqual({ ...leeds, cells: [] }, { ...sea, cells: [] });
  });

  test('the answer holds counts and cells only, and may be cached', async () => {
    const response = await get('/api/v1/map/cells?zoom=12');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
    assert.doesNotMatch(response.text, /sealed|narrative|R-[0-9A-F]{8}/);
    for (const cell of response.json<Cells>().cells) assert.deepEqual(Object.keys(cell).sort(), ['count', 'h3', 'lat', 'lon']);
    // A stray token does not turn the public answer into a 401.
    assert.equal((await client.get('/api/v1/map/cells', { authorization: 'Bearer cast_not-a-token' })).status, 200);
  });

  test('refuses bad input with a message naming the field', async () => {
    const refused = async (query: string, field: string) => {
      const response = await get(`/api/v1/map/cells${query}`);
      assert.equal(response.status, 422, `${query}: ${response.text}`);
      const body = response.json<{ error: { fields: Record<string, string> } }>();
      assert.ok(body.error.fields[field], `${query} names ${field}: ${response.text}`);
      return body.error.fields[field];
    };
    assert.match(await refused('?bbox=10,40,-10,60', 'bbox'), /inverted/);
    assert.match(await refused('?bbox=-10,60,10,40', 'bbox'), /inverted/);
    assert.match(await refused('?bbox=-190,40,10,60', 'bbox'), /-180 to 180/);
    assert.match(await refused('?bbox=-10,-95,10,60', 'bbox'), /-90 to 90/);
    assert.match(await refused('?bbox=1,2,3', 'bbox'), /four numbers/);
    assert.match(await refused('?bbox=a,b,c,d', 'bbox'), /four numbers/);
    assert.match(await refused('?zoom=21', 'zoom'), /0 to 20/);
    assert.match(await refused('?zoom=-1', 'zoom'), /0 to 20/);
    assert.match(await refused('?type=smuggling', 'type'), /kind of exploitation/);
    assert.match(await refused('?year=25', 'year'), /four digits/);
    assert.match(await refused('?year=2O25', 'year'), /four digits/);
    assert.equal((await get('/api/v1/map/cells?colour=red')).status, 422);
    const french = await client.get('/api/v1/map/cells?zoom=99', { 'accept-language': 'fr' });
    assert.match(french.json<{ error: { fields: Record<string, string> } }>().error.fields.zoom!, /nombre entier/);
  });

  test('answers from the precomputed cells alone: deleting every report changes nothing until the next refresh', async () => {
    const before = await cells('?zoom=3');
    await sql`delete from reports`.execute(server.cast.database.db);
    assert.deepEqual(await cells('?zoom=3'), before);
    await refreshPublicMap(server.cast.database.db, { k: 5, delayDays: 7 });
    assert.deepEqual((await cells('?zoom=3')).cells, []);
    await insertReports(server, 6, LONDON);
    await insertReports(server, 6, BRISTOL);
    await refreshPublicMap(server.cast.database.db, { k: 5, delayDays: 7 });
  });

  test('a higher k hides cells below it', async () => {
    await refreshPublicMap(server.cast.database.db, { k: 10, delayDays: 7 });
    assert.deepEqual((await cells('?zoom=12')).cells, []);
    assert.equal((await cells('?zoom=12')).k, 10);
    await refreshPublicMap(server.cast.database.db, { k: 5, delayDays: 7 });
    assert.equal((await cells('?zoom=12')).cells.length, 2);
  });

  test('the map page and its table view show the same cells; filters work without JavaScript', async () => {
    const page = await get('/map');
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>Map of reports<\/h1>/);
    assert.match(page.text, /data-public-map[\s=>]/);
    assert.match(page.text, /at least 5 reports/);
    const table = await get('/map/table?zoom=12');
    assert.equal(table.status, 200);
    const rows = [...table.text.matchAll(/<tr data-h3="([0-9a-f]+)"><td><code>[0-9a-f]+<\/code><\/td><td>[^<]*<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2])]);
    const api = (await cells('?zoom=12')).cells.map((c) => [c.h3, c.count]);
    assert.deepEqual(new Map(rows as [string, number][]), new Map(api as [string, number][]));
    const filtered = await get('/map/table?zoom=12&type=sexual');
    assert.match(filtered.text, /No area to show/);
    const bad = await get('/map?type=smuggling');
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Choose a kind of exploitation/);
    assert.equal((await get('/map/table?bbox=5,5,1,1')).status, 422);
    const french = await client.get('/map/table', { 'accept-language': 'fr' });
    assert.match(french.text, /Signalements par zone/);
  });

  test('is in the OpenAPI document, public, with an example', async () => {
    interface Operation { operationId: string; security: unknown[]; responses: Record<string, { content: Record<string, { example?: unknown; examples?: Record<string, unknown> }> }> }
    const doc = (await get('/api/openapi.json')).json<{ paths: Record<string, Record<string, Operation>> }>();
    const operation = doc.paths['/api/v1/map/cells']!.get!;
    assert.equal(operation.operationId, 'getPublicMapCells');
    assert.deepEqual(operation.security, []);
    const content = operation.responses['200']!.content['application/json']!;
    assert.ok(content.example ?? Object.values(content.examples ?? {})[0]);
    assert.ok(operation.responses['422']);
  });
});

describe('public map settings', () => {
  test('k and the delay may only be raised', () => {
    assert.throws(() => loadConfig({ CAST_PUBLIC_MAP_K: '4' }), (error: unknown) => error instanceof ConfigError && /CAST_PUBLIC_MAP_K may only raise/.test(error.message));
    assert.throws(() => loadConfig({ CAST_PUBLIC_MAP_DELAY_DAYS: '6' }), (error: unknown) => error instanceof ConfigError && /CAST_PUBLIC_MAP_DELAY_DAYS may only lengthen/.test(error.message));
    assert.throws(() => loadConfig({ CAST_PUBLIC_MAP_K: 'five' }), ConfigError);
    const raised = loadConfig({ CAST_PUBLIC_MAP_K: '10', CAST_PUBLIC_MAP_DELAY_DAYS: '30' });
    assert.equal(raised.publicMapK, 10);
    assert.equal(raised.publicMapDelayDays, 30);
    assert.equal(loadConfig({}).publicMapK, 5);
    assert.equal(loadConfig({}).publicMapDelayDays, 7);
  });
});
