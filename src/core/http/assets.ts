/**
 * Client islands and the offline basemap, served by CAST itself at content-hashed URLs
 * (`/assets/map-picker.3f2a1c9e0b.js`) with a year of immutable caching: a new build has new URLs,
 * so no browser ever runs a stale bundle. Islands (web/islands/*.ts and *.css) are bundled with
 * esbuild in memory once per process, when the app is built: no build step, nothing written to
 * disk, `npm install && npm start` just works. Why: docs/decisions/0004-client-islands.md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

export const ISLANDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/islands');
const require = createRequire(import.meta.url);

/** Natural Earth at 1:110m (drawn first, ~100 KB) and 1:50m (fetched when someone zooms in). */
const BASEMAPS = { coarse: 'countries-110m.json', fine: 'countries-50m.json' } as const;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

interface Asset {
  type: string;
  body: Buffer;
  /** Kept only when it saves something; sent to browsers that accept gzip. */
  gzip: Buffer | undefined;
}

interface Catalogue {
  /** Logical name (`map-picker.js`, `basemap/countries-50m.json`) → hashed URL. */
  urls: Map<string, string>;
  byUrl: Map<string, Asset>;
}

let building: Promise<Catalogue> | undefined;
let built: Catalogue | undefined;

function add(catalogue: Catalogue, name: string, body: Buffer): string {
  const extension = path.extname(name);
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 12);
  const url = `/assets/${name.slice(0, -extension.length)}.${hash}${extension}`;
  const gzip = gzipSync(body, { level: 9 });
  catalogue.urls.set(name, url);
  catalogue.byUrl.set(url, { type: TYPES[extension] ?? 'application/octet-stream', body, gzip: gzip.length < body.length ? gzip : undefined });
  return url;
}

async function build(): Promise<Catalogue> {
  const catalogue: Catalogue = { urls: new Map(), byUrl: new Map() };
  const basemap = {
    coarse: add(catalogue, `basemap/${BASEMAPS.coarse}`, fs.readFileSync(require.resolve(`world-atlas/${BASEMAPS.coarse}`))),
    fine: add(catalogue, `basemap/${BASEMAPS.fine}`, fs.readFileSync(require.resolve(`world-atlas/${BASEMAPS.fine}`))),
  };
  const entryPoints = fs
    .readdirSync(ISLANDS_DIR)
    .filter((file) => (file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts')) || file.endsWith('.css'))
    .map((file) => path.join(ISLANDS_DIR, file));
  const result = await esbuild.build({
    entryPoints,
    bundle: true,
    format: 'esm',
    target: ['es2020'],
    minify: true,
    write: false,
    outdir: '/islands',
    entryNames: '[name]',
    // Leaflet's CSS names a few small images: inlined, so the stylesheet is the only request.
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    define: { __CAST_BASEMAP__: JSON.stringify(basemap) },
    tsconfig: path.join(ISLANDS_DIR, 'tsconfig.json'),
    logLevel: 'silent',
  });
  for (const file of result.outputFiles) add(catalogue, path.relative('/islands', file.path), Buffer.from(file.contents));
  return catalogue;
}

/** Builds the assets once per process; the app awaits it before it serves a page. */
export function loadAssets(): Promise<Catalogue> {
  building ??= build().then((catalogue) => (built = catalogue));
  return building;
}

/** The content-hashed URL of an asset, for views. Throws for a name that is not an asset (a bug). */
export function assetUrl(name: string): string {
  if (!built) throw new Error('assets are not built yet: await loadAssets() before rendering');
  const url = built.urls.get(name);
  if (!url) throw new Error(`no asset named ${name}`);
  return url;
}

export function hasAsset(name: string): boolean {
  return built?.urls.has(name) ?? false;
}

/**
 * The operator's map tiles (CAST_MAP_TILE_URL), for the map picker's script tag. Like the assets,
 * one per process: a process serves one configuration (tests that start servers with different
 * tile settings run in separate processes, as node:test runs each file).
 */
let tiles: { url: string | undefined; attribution: string | undefined } = { url: undefined, attribution: undefined };

export function mapTiles(): { url: string | undefined; attribution: string | undefined } {
  return tiles;
}

export async function registerAssets(app: FastifyInstance, config: Config): Promise<void> {
  const catalogue = await loadAssets();
  tiles = { url: config.mapTileUrl, attribution: config.mapTileAttribution };
  app.get('/assets/*', { config: { identify: false } }, async (req, reply) => {
    const asset = catalogue.byUrl.get(req.url.split('?')[0]!);
    if (!asset) return reply.callNotFound();
    const gzip = asset.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? asset.gzip : undefined;
    void reply.header('content-type', asset.type).header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
    if (gzip) void reply.header('content-encoding', 'gzip');
    return reply.send(gzip ?? asset.body);
  });
}
