/**
 * CAST's service worker, so the report form opens without a connection. Served at /sw.js (scope /)
 * by src/core/http/pwa-routes.tsx, which first sets `CAST_PRECACHE` (the form page and the hashed
 * assets it needs) and `CAST_VERSION`, then loads this bundle with importScripts. It is installed
 * only when the person asks to keep a draft (report-draft.ts), and "leave no trace" removes it.
 *
 * - /report and /leave-no-trace: network first, the cached copy when offline.
 * - /assets/ (immutable, content-hashed), /static/, the manifest: cache first.
 * - Everything else (the API, every other page, anything sent): not touched, never cached.
 */

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  CAST_PRECACHE: string[];
  CAST_VERSION: string;
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const CACHE = `cast-${worker.CAST_VERSION}`;
const PAGES = new Set(['/report', '/leave-no-trace']);

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // One by one: a page that is missing (or a failed request) must not stop the rest.
      .then((cache) => Promise.allSettled(worker.CAST_PRECACHE.map((url) => cache.add(new Request(url, { credentials: 'same-origin', cache: 'no-store' })))))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('cast-') && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => worker.clients.claim()),
  );
});

async function networkFirst(request: Request, path: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(path, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(path);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate' && PAGES.has(url.pathname) && url.search === '') event.respondWith(networkFirst(request, url.pathname));
  else if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/static/') || url.pathname === '/manifest.webmanifest') event.respondWith(cacheFirst(request));
});
export {};
