/** Helpers for the reports tests: people with API tokens, listed groups, and reports sent through the API. */
import { person as peoplePerson, type Person } from './people.ts';
import { Client, type Response } from './client.ts';
import type { TestServer } from './server.ts';
import type { Role } from '../../src/core/auth/roles.ts';
import type { Scope } from '../../src/core/auth/scopes.ts';

export type { Person };

const ALL_SCOPES: Scope[] = ['groups:read', 'groups:write', 'partners:read', 'reports:read', 'reports:write'];

/**
 * A signed-in person with an API token for groups, partners and reports. Everyone here uses
 * two-factor authentication (reviewing reports needs it) unless `twoFactor: false`.
 */
export const person = (server: TestServer, options: { role?: Role; country?: string; scopes?: Scope[]; twoFactor?: boolean } = {}): Promise<Person> =>
  peoplePerson(server, { ...options, scopes: options.scopes ?? ALL_SCOPES, twoFactor: options.twoFactor ?? true });

/** A group listed by a national coordinator of its country, so reports inside its area are routed to it. */
export async function listedGroup(coordinator: Person, national: Person, area: { country?: string; lat: number; lon: number; radiusKm: number; boundary?: unknown }): Promise<string> {
  const created = await coordinator.api.json('POST', '/api/v1/groups', { name: `Group ${area.lat},${area.lon}`, kind: 'community', locality: 'Somewhere', country: 'GB', ...area }, coordinator.token);
  if (created.status !== 201) throw new Error(`group not created: ${created.status} ${created.text}`);
  const { id } = created.json<{ id: string }>();
  const listed = await national.api.json('POST', `/api/v1/groups/${id}/listing`, undefined, national.token);
  if (listed.status !== 204) throw new Error(`group not listed: ${listed.status} ${listed.text}`);
  return id;
}

export const A_REPORT = {
  country: 'GB',
  location: { lat: 51.4545, lon: -2.5879 },
  placeType: 'car-wash',
  observedFrom: '2026-11-20',
  observedTime: 'evening',
  exploitationTypes: ['labour'],
  indicators: ['labour.group-transport', 'person.spoken-for'],
  peopleCount: 6,
  identifiers: [
    { kind: 'phone', value: '07700 900123' },
    { kind: 'plate', value: 'ab12 cde' },
  ],
  account: 'Workers are dropped off by one white van at 6am and collected after 10pm.',
};

export interface Sent {
  reference: string;
  receiptCode: string;
  status: string;
}

/** Sends a report through the API, anonymously (no token) or as `who`. */
export async function sendReport(server: TestServer, report: Record<string, unknown> = A_REPORT, who?: Person): Promise<Sent> {
  const client = who?.api ?? new Client(server.url);
  const response: Response = await client.json('POST', '/api/v1/reports', report, who?.token);
  if (response.status !== 201) throw new Error(`report not accepted: ${response.status} ${response.text}`);
  return response.json<Sent>();
}

/** The id of a report from its reference, straight from the database (tests only). */
export async function reportId(server: TestServer, reference: string): Promise<string> {
  const row = await server.cast.database.db.selectFrom('reports' as never).select('id' as never).where('reference' as never, '=', reference as never).executeTakeFirstOrThrow();
  return (row as { id: string }).id;
}
