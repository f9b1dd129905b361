/**
 * CAST as an installable web app, and the way to remove it from a device again:
 * - /manifest.webmanifest: named just "CAST" (a home-screen icon must not say what it is for);
 *   starts at the report form.
 * - /sw.js: the service worker (web/islands/sw.ts) at a stable root URL, told which hashed assets
 *   to keep; its bytes change with every build, so browsers update it.
 * - /leave-no-trace: what "leave no trace" removes; its POST answers `Clear-Site-Data` (for
 *   browsers without JavaScript, and for the HTTP cache that scripts cannot reach).
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { DeviceIslands } from '../views/device-islands.tsx';
import { CsrfField } from '../views/form.tsx';
import { Island } from '../views/island.tsx';
import { assetUrl, hasAsset } from './assets.ts';
import { redirect, sendPage } from './render.tsx';

/** From web/cast.css (--brand, --paper). */
const THEME = '#8a1538';
const BACKGROUND = '#ffffff';

/** What the report form needs to open offline (islands bundle their imports, so no chunks). */
const OFFLINE_ASSETS = ['quick-exit.js', 'report-offline.js', 'report-draft.js', 'leave-no-trace.js', 'map-picker.js', 'map-picker.css', 'basemap/countries-110m.json'];
const OFFLINE_FILES = ['/report', '/leave-no-trace', '/static/cast.css', '/manifest.webmanifest', '/static/icons/cast.svg'];

export function manifest() {
  return {
    name: 'CAST',
    short_name: 'CAST',
    id: '/report',
    start_url: '/report',
    scope: '/',
    display: 'standalone',
    theme_color: THEME,
    background_color: BACKGROUND,
    icons: [
      { src: '/static/icons/cast.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      { src: '/static/icons/cast-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/static/icons/cast-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/static/icons/cast-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}

function workerScript(): string {
  const precache = [...OFFLINE_FILES, ...OFFLINE_ASSETS.filter(hasAsset).map(assetUrl)];
  const version = crypto.createHash('sha256').update(JSON.stringify([precache, assetUrl('sw.js')])).digest('hex').slice(0, 12);
  return `self.CAST_PRECACHE=${JSON.stringify(precache)};self.CAST_VERSION=${JSON.stringify(version)};importScripts(${JSON.stringify(assetUrl('sw.js'))});\n`;
}

export function registerPwaRoutes(app: FastifyInstance, deps: { config: Config }): void {
  const { config } = deps;
  const body = JSON.stringify(manifest());

  // Browsers fetch these around a reporter's visits: no request line (with its time) is logged.
  app.get('/manifest.webmanifest', { logLevel: 'warn', config: { identify: false } }, async (_req, reply) =>
    reply.header('content-type', 'application/manifest+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body),
  );

  app.get('/sw.js', { logLevel: 'warn', config: { identify: false } }, async (_req, reply) =>
    // no-cache: the browser asks each time whether the worker changed (the spec caps it at 24 h anyway).
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(workerScript()),
  );

  // Quiet, like the reporters' routes: a log line would record the moment someone covered their tracks.
  app.get('/leave-no-trace', { logLevel: 'warn' }, async (req, reply) =>
    sendPage(req, reply, {
      title: req.t('pwa.leaveNoTrace.title'),
      body: (view) => (
        <section class="narrow">
          <p>
            <a href={config.quickExitUrl} data-quick-exit="" rel="noreferrer" class="button">
              {view.t('pwa.leaveNoTrace.quickExit')}
            </a>
          </p>
          <DeviceIslands view={view} />
          <h1>{view.t('pwa.leaveNoTrace.title')}</h1>
          <p>{view.t('pwa.leaveNoTrace.intro')}</p>
          <p>{view.t('pwa.leaveNoTrace.what', { site: new URL(config.quickExitUrl).host })}</p>
          <p>{view.t('pwa.leaveNoTrace.notWhat')}</p>
          <form method="post" action="/leave-no-trace" data-leave-no-trace data-neutral={config.quickExitUrl}>
            <CsrfField view={view} />
            <button type="submit" class="button">
              {view.t('pwa.leaveNoTrace.button')}
            </button>
          </form>
          <Island name="leave-no-trace" />
        </section>
      ),
    }),
  );

  app.post('/leave-no-trace', { logLevel: 'warn' }, async (req, reply) => {
    void reply.header('clear-site-data', '"cache", "storage", "cookies"').header('cache-control', 'no-store');
    // The island asks with fetch and leaves by itself (replacing the history entry); a plain form is sent on.
    if (/\bapplication\/json\b/.test(req.headers.accept ?? '')) return reply.status(204).send();
    return redirect(reply, config.quickExitUrl);
  });
}
