import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { assetUrl } from './assets.ts';

describe('client assets', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  test('an island bundle is served at its content-hashed URL with immutable caching', async () => {
    const url = assetUrl('map-picker.js');
    assert.match(url, /^\/assets\/map-picker\.[0-9a-f]{12}\.js$/);
    const response = await fetch(`${server.url}${url}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(response.headers.get('content-encoding'), null);
    const body = await response.text();
    assert.match(body, /leaflet/i, 'Leaflet is bundled with the island');
    assert.ok(body.includes(assetUrl('basemap/countries-110m.json')), 'the bundle names the hashed basemap');
  });

  test('the stylesheet carries Leaflet’s rules and no third-party URL', async () => {
    const response = await fetch(`${server.url}${assetUrl('map-picker.css')}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/css; charset=utf-8');
    const css = await response.text();
    assert.match(css, /\.leaflet-container/);
    assert.doesNotMatch(css, /url\(["']?(https?:)?\/\//);
  });

  test('the basemap is TopoJSON, gzipped for browsers that accept it', async () => {
    const raw = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      // fetch() always decompresses; http.get shows what is on the wire.
      void import('node:http').then(({ get }) =>
        get(`${server.url}${assetUrl('basemap/countries-50m.json')}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject),
      );
    });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(raw.headers['content-encoding'], 'gzip');
    assert.equal(raw.headers['vary'], 'accept-encoding');
    const topology = JSON.parse(gunzipSync(raw.body).toString('utf8')) as { type: string; objects: Record<string, unknown> };
    assert.equal(topology.type, 'Topology');
    assert.ok(topology.objects.countries && topology.objects.land);
  });

  test('unknown assets and stale hashes are 404', async () => {
    for (const path of ['/assets/map-picker.js', '/assets/map-picker.000000000000.js', '/assets/../package.json', '/assets/basemap/countries-10m.json']) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 404, path);
    }
  });

  test('without a tile server the CSP names no other origin', async () => {
    const response = await fetch(`${server.url}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /img-src 'self' data:;/);
    assert.match(csp, /script-src 'self';/);
  });
});

describe('client assets with an operator tile server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { CAST_MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png' } });
  });
  after(async () => {
    await server.close();
  });

  test('the CSP img-src gains exactly the tile origin', async () => {
    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
    assert.match(csp, /img-src 'self' data: https:\/\/tiles\.example\.org;/);
  });
});
