/**
 * The standing of the callers that are the same in every part of the matrix (see types.ts): a
 * coordinator and a partner user of another group, a national coordinator of another country, a
 * coordinator without two-factor, a session that has expired and a token that was revoked. Each is
 * checked once before the rows run, so a caller that silently lost (or kept) its standing cannot
 * pass rows for the wrong reason.
 */
import { sql } from 'kysely';
import { createAccount, signIn } from '../../support/accounts.ts';
import { Client } from '../../support/client.ts';
import { sessionCall as call } from '../../support/session-call.ts';
import type { TestServer } from '../../support/server.ts';
import { SCOPES } from '../../../src/core/auth/scopes.ts';
import type { CallerAccount } from './types.ts';

const B2 = { kind: 'community', country: 'GB', locality: 'Otherport', lat: 50.4, lon: -4.1, radiusKm: 5, name: 'Matrix B2' };
const OTHER_POLICE = { kind: 'police', country: 'GB', area: 'Othershire', contactEmail: 'matrix@other-police.example', name: 'Matrix Other Police' };

export async function signedIn(server: TestServer, options: { role?: 'member' | 'admin' | 'group-coordinator' | 'partner' | 'national-coordinator'; country?: string } = {}): Promise<CallerAccount> {
  const { email, userId } = await createAccount(server.cast.database, options);
  const client = new Client(server.url);
  await signIn(client, email);
  return { email, userId, client };
}

async function status(client: Client, path: string, token?: string): Promise<number> {
  return (await client.json('GET', path, undefined, token)).status;
}

/** Group B2 and its coordinator; a verified partner, partnered with B2 only, and its user. */
export async function otherGroup(server: TestServer, national: Client): Promise<{ coordinator: CallerAccount; partner: CallerAccount; groupId: string; partnerId: string; partnershipId: string }> {
  const coordinator = await signedIn(server, { role: 'group-coordinator' });
  const partner = await signedIn(server, { role: 'partner' });
  const b2 = (await call(coordinator.client, 'POST', '/api/v1/groups', B2)).id!;
  await call(national, 'POST', `/api/v1/groups/${b2}/listing`);
  const q2 = (await call(national, 'POST', '/api/v1/partners', OTHER_POLICE)).id!;
  await call(national, 'POST', `/api/v1/partners/${q2}/verification`);
  await call(national, 'POST', `/api/v1/partners/${q2}/users`, { email: partner.email });
  const signedOn = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const partnership = (await call(coordinator.client, 'POST', '/api/v1/partnerships', { groupId: b2, partnerId: q2, agreementReference: 'ISA matrix B2', signedOn, contacts: 'Matrix', handlingCodes: ['P'] })).id!;
  await call(partner.client, 'POST', `/api/v1/partnerships/${partnership}/acceptance`);
  return { coordinator, partner, groupId: b2, partnerId: q2, partnershipId: partnership };
}

export async function foreignNationalCoordinator(server: TestServer): Promise<CallerAccount> {
  return signedIn(server, { role: 'national-coordinator', country: 'FR' });
}

/** A person who coordinates groups by membership only, so sign-in never made them set up two-factor. */
export async function coordinatorWithoutTwoFactor(server: TestServer): Promise<CallerAccount> {
  const account = await signedIn(server);
  if ((await call(account.client, 'GET', '/api/v1/me')).twoFactorEnabled) throw new Error('the coordinator without two-factor has it');
  return account;
}

/** `person` joins the group through an invitation link of one of its coordinators. */
export async function joinGroup(coordinator: Client, person: Client, groupId: string, role: 'member' | 'coordinator'): Promise<void> {
  const invitation = await call(coordinator, 'POST', `/api/v1/groups/${groupId}/invitations`, { role });
  await call(person, 'POST', `/api/v1/invitations/${invitation.link!.split('/').pop()}/accept`);
}

export const coCoordinate = (coordinator: Client, coCoordinator: Client, groupId: string): Promise<void> => joinGroup(coordinator, coCoordinator, groupId, 'coordinator');

/** A GB national coordinator, signed in, whose session then expires: moved into the past, not deleted. */
export async function expiredSession(server: TestServer): Promise<CallerAccount> {
  const account = await signedIn(server, { role: 'national-coordinator', country: 'GB' });
  if ((await status(account.client, '/api/v1/me')) !== 200) throw new Error('the session to expire does not work to begin with');
  await sql`update sessions set expires_at = now() - interval '1 minute' where user_id = ${account.userId}`.execute(server.cast.database.db);
  if ((await status(account.client, '/api/v1/me')) !== 401) throw new Error('the expired session still signs its person in');
  return account;
}

/** A token of `owner` with every scope, revoked through DELETE /api/v1/tokens/:id by its owner. */
export async function revokedToken(server: TestServer, owner: CallerAccount): Promise<string> {
  const { id, token } = await call(owner.client, 'POST', '/api/v1/tokens', { name: 'matrix revoked', scopes: SCOPES });
  const probe = new Client(server.url);
  if ((await status(probe, '/api/v1/me', token)) !== 200) throw new Error('the token to revoke does not work to begin with');
  await call(owner.client, 'DELETE', `/api/v1/tokens/${id}`);
  if ((await status(probe, '/api/v1/me', token)) !== 401) throw new Error('the revoked token still works');
  return token!;
}
