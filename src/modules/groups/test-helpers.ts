/** Helpers for the groups tests: people with API tokens, and groups made through the API. */
import { person as peoplePerson, type Person } from '../../../test/support/people.ts';
import type { TestServer } from '../../../test/support/server.ts';
import type { Role } from '../../core/auth/roles.ts';

export type { Person };

/** A person whose token has groups:read and groups:write. */
export const person = (server: TestServer, options: { role?: Role; country?: string } = {}): Promise<Person> =>
  peoplePerson(server, { ...options, scopes: ['groups:read', 'groups:write'] });

export const GROUP = { name: 'Clifton CAST', kind: 'community', country: 'GB', locality: 'Bristol', lat: 51.45678, lon: -2.61234, radiusKm: 5 };

export async function makeGroup(who: Person, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await who.api.json('POST', '/api/v1/groups', { ...GROUP, ...overrides }, who.token);
  if (response.status !== 201) throw new Error(`group not created: ${response.status} ${response.text}`);
  return response.json<{ id: string }>().id;
}

/** Makes `who` a member of the group through a link invitation from its coordinator. */
export async function addToGroup(coordinator: Person, groupId: string, who: Person, role: 'member' | 'coordinator' = 'member'): Promise<void> {
  const invitation = await coordinator.api.json('POST', `/api/v1/groups/${groupId}/invitations`, { role }, coordinator.token);
  if (invitation.status !== 201) throw new Error(`no invitation: ${invitation.status} ${invitation.text}`);
  const token = invitation.json<{ link: string }>().link.split('/').pop()!;
  const accepted = await who.api.json('POST', `/api/v1/invitations/${token}/accept`, undefined, who.token);
  if (accepted.status !== 200) throw new Error(`invitation not accepted: ${accepted.status} ${accepted.text}`);
}
