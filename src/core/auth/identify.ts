/** Turns a session cookie or an API token into the person behind it, or nothing. */
import type { Kysely } from 'kysely';
import { sha256 } from '../crypto.ts';
import type { Tables } from '../db/tables.ts';
import type { UserActor } from './actor.ts';
import { findApiToken, findSession, loadUserActor } from './store.ts';

export async function actorFromApiToken(db: Kysely<Tables>, token: string): Promise<UserActor | undefined> {
  const found = await findApiToken(db, token);
  return found && loadUserActor(db, found.userId, { stage: 'full', via: 'token', scopes: found.scopes, credentialId: found.id });
}

export async function actorFromSession(db: Kysely<Tables>, sessionToken: string): Promise<UserActor | undefined> {
  const session = await findSession(db, sessionToken);
  return (
    session &&
    loadUserActor(db, session.user_id, { stage: session.stage, via: 'session', scopes: undefined, credentialId: sha256(sessionToken).toString('hex') })
  );
}
