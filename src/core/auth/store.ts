/**
 * SQL for sessions, API tokens and loading the person behind them. Only hashes of session and token
 * values are stored.
 */
import type { Kysely } from 'kysely';
import { randomToken, sha256 } from '../crypto.ts';
import type { Tables } from '../db/tables.ts';
import { isLanguage } from '../i18n.ts';
import type { SessionStage, UserActor } from './actor.ts';
import { isRole, TWO_FACTOR_ROLES, type RoleGrant } from './roles.ts';
import { isScope, type Scope } from './scopes.ts';

type Db = Kysely<Tables>;

/** Sessions are touched at most this often, so reading pages does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export async function createSession(db: Db, userId: string, stage: SessionStage, ttlHours: number): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('sessions')
    .values({ token_hash: sha256(token), user_id: userId, stage, expires_at: new Date(Date.now() + ttlHours * 3_600_000) })
    .execute();
  return token;
}

export async function findSession(db: Db, token: string) {
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'stage', 'last_seen_at', 'expires_at'])
    .where('token_hash', '=', sha256(token))
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  if (row && Date.now() - new Date(row.last_seen_at).getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('token_hash', '=', sha256(token)).execute();
  }
  return row;
}

export async function setSessionStage(db: Db, token: string, stage: SessionStage): Promise<void> {
  await db.updateTable('sessions').set({ stage }).where('token_hash', '=', sha256(token)).execute();
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', sha256(token)).execute();
}

/** Signs a person out everywhere, optionally keeping the session they are using. */
export async function deleteUserSessions(db: Db, userId: string, keepToken?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepToken) query = query.where('token_hash', '!=', sha256(keepToken));
  await query.execute();
}

export async function loadRoles(db: Db, userId: string): Promise<RoleGrant[]> {
  const rows = await db.selectFrom('user_roles').select(['role', 'country']).where('user_id', '=', userId).execute();
  return rows.flatMap((row) => (isRole(row.role) ? [{ role: row.role, country: row.country }] : []));
}

export async function loadUserActor(
  db: Db,
  userId: string,
  credential: { stage: SessionStage; via: 'session' | 'token'; scopes: readonly Scope[] | undefined; credentialId: string },
): Promise<UserActor | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'language', 'totp_enabled_at', 'email_confirmed_at', 'disabled_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.disabled_at || !user.email_confirmed_at) return undefined;
  const roles = await loadRoles(db, userId);
  return {
    kind: 'user',
    userId: user.id,
    email: user.email,
    displayName: user.display_name,
    language: isLanguage(user.language) ? user.language : 'en',
    roles,
    twoFactorEnabled: user.totp_enabled_at !== null,
    ...credential,
  };
}

export const API_TOKEN_PREFIX = 'cast_';

export async function createApiToken(db: Db, userId: string, name: string, scopes: readonly Scope[]) {
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: userId, name, token_hash: sha256(token), prefix: token.slice(0, 12), scopes: [...scopes] })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, token, createdAt: row.created_at };
}

export async function findApiToken(db: Db, token: string) {
  if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'scopes', 'last_used_at', 'created_at'])
    .where('token_hash', '=', sha256(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  return { id: row.id, userId: row.user_id, scopes: row.scopes.filter(isScope), createdAt: new Date(row.created_at) };
}

/** Whether the person was given a role that needs two-factor after `since` (e.g. after a token was made). */
export async function twoFactorRoleGrantedSince(db: Db, userId: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('user_roles')
    .select('role')
    .where('user_id', '=', userId)
    .where('role', 'in', [...TWO_FACTOR_ROLES])
    .where('granted_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listApiTokens(db: Db, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiToken(db: Db, userId: string, tokenId: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
