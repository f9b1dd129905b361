/**
 * What is measured. Each scenario prepares one request source per virtual connection before the
 * clock starts (so set-up such as fetching a CSRF token is not timed), then repeats the same request.
 */
import type { Credentials } from './server.ts';
import type { NextRequest, Target } from './load.ts';

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
    // The public directory's first page over 10,000 listed groups: filter, order, page and count.
    fixed('listGroups', '/api/v1/groups'),
    // National totals over 100,000 activities: token lookup, then count/sum by audience and by month in SQL.
    {
      name: 'getActivityTotals',
      prepare: async () => () => ({ method: 'GET', path: '/api/v1/countries/GB/activity-totals', headers: { authorization: `Bearer ${credentials.nationalToken}` } }),
    },
  ];
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
