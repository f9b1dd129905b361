/** Turns a session cookie or an API token into the person behind it, or nothing. */
import type { Kysely } from 'kysely';
import { sha256 } from '../crypto.ts';
import type { Tables } from '../db/tables.ts';
import type { UserActor } from './actor.ts';
import { requiresTwoFactor } from './roles.ts';
import { findApiToken, findSession, loadUserActor, twoFactorRoleGrantedSince } from './store.ts';

export async function actorFromApiToken(db: Kysely<Tables>, token: string): Promise<UserActor | undefined> {
  const found = await findApiToken(db, token);
  const actor = found && (await loadUserActor(db, found.userId, { stage: 'full', via: 'token', scopes: found.scopes, credentialId: found.id }));
  // A token made before its holder was given a role that needs two-factor must not stand in for
  // the two-factor sign-in that role now requires, until they have enrolled.
  if (actor && !actor.twoFactorEnabled && requiresTwoFactor(actor.roles) && (await twoFactorRoleGrantedSince(db, actor.userId, found.createdAt))) return undefined;
  return actor;
}

export async function actorFromSession(db: Kysely<Tables>, sessionToken: string): Promise<UserActor | undefined> {
  const session = await findSession(db, sessionToken);
  return (
    session &&
    loadUserActor(db, session.user_id, { stage: session.stage, via: 'session', scopes: undefined, credentialId: sha256(sessionToken).toString('hex') })
  );
}
