/**
 * The live route table, for the web security tests: they enumerate what the server really
 * registered, so a new route is checked without anyone adding it to a list.
 */
import type { RegisteredRoute } from '../../src/app.ts';
import type { TestServer } from '../support/server.ts';

export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/** Each route once (Fastify registers some twice, e.g. with and without a trailing slash). */
export function routesOf(server: TestServer): RegisteredRoute[] {
  const seen = new Map<string, RegisteredRoute>();
  for (const route of server.cast.app.registeredRoutes) seen.set(`${route.method} ${route.url}`, route);
  return [...seen.values()];
}

export function unsafeRoutes(server: TestServer): RegisteredRoute[] {
  return routesOf(server).filter((route) => UNSAFE_METHODS.has(route.method));
}

export const label = (route: { method: string; url: string }): string => `${route.method} ${route.url}`;

/**
 * A path that reaches the route, with plausible parameter values (ids as UUIDs, countries as codes),
 * so that parameter checks let the request through to what is being tested.
 */
export function samplePath(url: string): string {
  return url
    .replace(/:(\w+)/g, (_match, name: string) => {
      if (/id$/i.test(name)) return SAMPLE_ID;
      if (name === 'country' || name === 'cc') return 'GB';
      if (name === 'lang') return 'en';
      return `sample-${name.toLowerCase()}`;
    })
    .replace(/\*$/, 'sample');
}
