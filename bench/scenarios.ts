/**
 * What is measured. Each scenario prepares one request source per virtual connection before the
 * clock starts (so set-up such as fetching a CSRF token is not timed), then repeats the same request.
 */
import type { Credentials } from './server.ts';
import type { NextRequest, Target } from './load.ts';
import { chocolateScenarios } from './chocolate-scenarios.ts';

export interface Scenario {
  name: string;
  prepare(target: Target, connection: number): Promise<NextRequest>;
}

const fixed = (name: string, path: string): Scenario => ({
  name,
  prepare: async () => () => ({ method: 'GET', path }),
});

export function scenarios(credentials: Credentials): Scenario[] {
  return [
    // A route with no database access and no session lookup: the ceiling of this server on this machine.
    fixed('baseline', '/api/v1/ping'),
    // One `select 1` round trip: the cost of reaching the database.
    fixed('healthz', '/healthz'),
    // Session lookup (none: anonymous), translation and server-side JSX rendering of a full page.
    fixed('home', '/'),
    signIn(credentials),
    // The public directory's first page over 10,000 listed groups: filter, keyset page by name, count capped at 200.
    fixed('listGroups', '/api/v1/groups'),
    // National totals over 100,000 activities: token lookup, then count/sum by audience and by month in SQL.
    {
      name: 'getActivityTotals',
      prepare: async () => () => ({ method: 'GET', path: '/api/v1/countries/GB/activity-totals', headers: { authorization: `Bearer ${credentials.nationalToken}` } }),
    },
    submitReport(),
    // A group's work queue, first page of 50, over 100,000 reports in the group: token lookup, coordinator check, keyset page with identifier counts.
    {
      name: 'listGroupReports',
      prepare: async () => () => ({ method: 'GET', path: `/api/v1/groups/${credentials.reportsGroupId}/reports`, headers: { authorization: `Bearer ${credentials.coordinatorToken}` } }),
    },
    ...mapScenarios(credentials),
    ...publicMapScenarios(credentials),
    ...routeScenarios(credentials),
    ...chocolateScenarios(credentials.chocolate),
    // An Action Pack's page: content read at start-up, "what to look for" from the taxonomy, the pack's article drawn once and kept, the layout around it.
    fixed('getActionPack-page', '/packs/schools-sex-trafficking?lang=en&version=1'),
    // The same pack's PDF once cached: ETag and a ~40 KB body from memory (the first request draws it with pdfkit).
    fixed('getActionPackPdf-cached', '/api/v1/packs/schools-sex-trafficking/pdf?lang=en&version=1'),
  ];
}

/** Scenarios over the 1,000,000 map reports of bench/seed-map.ts (seeded only when one is chosen). */
export const MAP_SCENARIOS = ['getGroupMapClusters-world', 'getGroupMapClusters-country', 'getGroupMapClusters-city', 'getPublicMapCells-world', 'getPublicMapCells-country'];

/**
 * A GB national coordinator's map of the whole country (950,000 of the million reports, 20 cities,
 * groups' and national inbox's): at world zoom, at country zoom over Great Britain, and at city zoom
 * over London. Clusters come from the per-cell counts; no sealed point is opened below zoom 12.
 */
function mapScenarios(credentials: Credentials): Scenario[] {
  const map = credentials.map;
  if (!map) return [];
  const views: [string, string][] = [
    ['getGroupMapClusters-world', 'bbox=-180,-85,180,85&zoom=2'],
    ['getGroupMapClusters-country', 'bbox=-8.5,49.8,2.1,59&zoom=6'],
    ['getGroupMapClusters-city', 'bbox=-0.35,51.4,0.1,51.62&zoom=11'],
  ];
  return views.map(([name, query]) => ({
    name,
    async prepare(target, connection) {
      const spec = { method: 'GET' as const, path: `/api/v1/countries/GB/map?${query}`, headers: { authorization: `Bearer ${map.nationalToken}` } };
      if (connection === 0) {
        const answer = await target.send(spec);
        if (answer.status !== 200) throw new Error(`${name} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      }
      return () => spec;
    },
  }));
}

/**
 * The public map (anonymous; the bench sends no cache headers, so the server answers every request)
 * over the precomputed cells of the million map reports, refreshed once after seeding: at world zoom
 * (resolution 2, the whole world) and at country zoom over Great Britain (resolution 5) with the type
 * and year filters. (Engineer A's lines.)
 */
function publicMapScenarios(credentials: Credentials): Scenario[] {
  if (!credentials.map) return [];
  const views: [string, string][] = [
    ['getPublicMapCells-world', 'bbox=-180,-85,180,85&zoom=2'],
    ['getPublicMapCells-country', 'bbox=-8.5,49.8,2.1,59&zoom=6&type=labour&year=2025'],
  ];
  return views.map(([name, query]) => ({
    name,
    async prepare(target, connection) {
      const spec = { method: 'GET' as const, path: `/api/v1/map/cells?${query}` };
      if (connection === 0) {
        const answer = await target.send(spec, true);
        if (answer.status !== 200 || !answer.body.includes('"h3"')) throw new Error(`${name} answered ${answer.status} without cells: ${answer.body.slice(0, 300)}`);
      }
      return () => spec;
    },
  }));
}

/**
 * getRouteFlows over the 1,000,000 route reports of bench/seed-routes.ts (a year of GB reports): a
 * national coordinator's flows for the whole country, and for one group, over the default period
 * (the last twelve months). Both read the per-month leg counts, never the reports.
 */
function routeScenarios(credentials: Credentials): Scenario[] {
  const routes = credentials.routes;
  if (!routes) return [];
  const views: [string, string][] = [
    ['getRouteFlows-country', '/api/v1/countries/GB/routes'],
    ['getRouteFlows-group', `/api/v1/groups/${routes.groupId}/routes`],
  ];
  return views.map(([name, path]) => ({
    name,
    async prepare(target, connection) {
      const spec = { method: 'GET' as const, path, headers: { authorization: `Bearer ${routes.nationalToken}` } };
      if (connection === 0) {
        const answer = await target.send(spec, true);
        if (answer.status !== 200 || !answer.body.includes('"reports"')) throw new Error(`${name} answered ${answer.status} without flows: ${answer.body.slice(0, 300)}`);
      }
      return () => spec;
    },
  }));
}

/**
 * An anonymous report with 8 indicators and 5 identifiers, as the issue sets it: validation against
 * the taxonomy, routing (a search of listed groups near the point), sealing of the account, place
 * and identifiers, five blind indexes, exact, fuzzy and place-time linking, and one transaction that
 * commits before the answer. Every report's identifiers are its own (as most reports' are): until
 * 2026-11-29 every connection sent the same sequence of numbers and each connection one plate and
 * handle, so each report was linked to ~150 others and the bench measured link fan-out instead.
 * Points spread over the seeded groups' area (England and Wales), so place-time links stay local.
 */
function submitReport(): Scenario {
  const indicators = ['person.fearful', 'person.spoken-for', 'person.no-documents', 'labour.group-transport', 'labour.cheap-cash-only', 'labour.long-hours', 'place.living-at-work', 'place.overcrowded-house'];
  return {
    name: 'submitReport',
    async prepare(target, connection) {
      let n = 0;
      const next = () => {
        n += 1;
        const body = {
          country: 'GB',
          location: { lat: 50.5 + (connection % 32) * 0.12, lon: -2.9 + (n % 300) * 0.01 },
          placeType: 'car-wash',
          observedFrom: '2026-11-20',
          observedTime: 'evening',
          exploitationTypes: ['labour'],
          indicators,
          peopleCount: 6,
          identifiers: [
            { kind: 'phone', value: `074${String(connection % 100).padStart(2, '0')} ${String(n % 1000000).padStart(6, '0')}` },
            { kind: 'plate', value: `AB${connection % 100} ${n % 100000}` },
            { kind: 'website', value: `https://example.com/ads/${connection}-${n}?utm_source=x` },
            { kind: 'handle', value: `@worker_${connection}_${n}` },
            { kind: 'email', value: `jobs${connection}-${n}@example.com` },
          ],
          account: 'Workers are dropped off by one white van at 6am and collected after 10pm; they look exhausted and never speak to customers.',
        };
        return { method: 'POST' as const, path: '/api/v1/reports', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
      };
      if (connection === 0) {
        const answer = await target.send(next());
        if (answer.status !== 201) throw new Error(`a bench report answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      }
      return next;
    },
  };
}

/**
 * A full password sign-in: CSRF check, rate-limit counter, account lookup, argon2id verification,
 * session insert and audit entry. The CSRF cookie and token come from one GET /signin per connection.
 */
function signIn(credentials: Credentials): Scenario {
  return {
    name: 'sign-in',
    async prepare(target, connection) {
      const page = await target.send({ method: 'GET', path: '/signin' }, true);
      const cookie = /^cast_csrf=[^;]+/.exec(([] as string[]).concat(page.headers['set-cookie'] ?? []).find((line) => line.startsWith('cast_csrf=')) ?? '')?.[0];
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      if (!cookie || !token) throw new Error(`GET /signin gave no CSRF cookie or token (status ${page.status})`);
      const spec = {
        method: 'POST' as const,
        path: '/signin',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, email: credentials.email, password: credentials.password }).toString(),
      };
      if (connection === 0) {
        // One checked sign-in, so a broken set-up fails loudly instead of measuring 403s or 422s.
        const answer = await target.send(spec);
        if (answer.status !== 303 || answer.headers.location !== '/') throw new Error(`a bench sign-in answered ${answer.status} → ${answer.headers.location ?? 'nowhere'}, expected 303 → /`);
      }
      return () => spec;
    },
  };
}
