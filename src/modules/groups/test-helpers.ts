/** Helpers for the groups tests: people with API tokens, and groups made through the API. */
import { createAccount, signIn } from '../../../test/support/accounts.ts';
import { Client } from '../../../test/support/client.ts';
import type { TestServer } from '../../../test/support/server.ts';
import type { Role } from '../../core/auth/roles.ts';

export interface Person {
  email: string;
  userId: string;
  /** Signed in with a browser session. */
  browser: Client;
  /** A token with groups:read and groups:write. */
  token: string;
  api: Client;
}

export async function person(server: TestServer, options: { role?: Role; country?: string } = {}): Promise<Person> {
  const { email, userId } = await createAccount(server.cast.database, options);
  const browser = new Client(server.url);
  await signIn(browser, email);
  const page = await browser.submit('/account', '/account/tokens', { name: 'groups tests', scopes: ['groups:read', 'groups:write'] });
  const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(page.text)?.[1];
  if (!token) throw new Error(`no token made: ${page.status}`);
  return { email, userId, browser, token, api: new Client(server.url) };
}

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
