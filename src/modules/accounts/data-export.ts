/**
 * An account's own data, for the account holder's export (the retention module assembles the file).
 * What the account holds about its owner: profile, roles, API tokens (names and prefixes, never the
 * secret or its hash), how many sessions are open. Not the password hash or the two-factor secret:
 * a file on a device should not help anyone sign in.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';

export interface AccountData {
  id: string;
  email: string;
  displayName: string;
  language: string;
  createdAt: string;
  emailConfirmedAt: string | null;
  twoFactorEnabledAt: string | null;
  roles: { role: string; country: string | null; grantedAt: string }[];
  tokens: { name: string; prefix: string; scopes: string[]; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }[];
  openSessions: number;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export async function accountDataOf(db: Kysely<Tables>, userId: string, now = new Date()): Promise<AccountData | undefined> {
  const user = await db.selectFrom('users').select(['id', 'email', 'display_name', 'language', 'created_at', 'email_confirmed_at', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!user) return undefined;
  const roles = await db.selectFrom('user_roles').select(['role', 'country', 'granted_at']).where('user_id', '=', userId).orderBy('granted_at').execute();
  const tokens = await db.selectFrom('api_tokens').select(['name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', userId).orderBy('created_at').execute();
  const sessions = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).where('expires_at', '>', now).executeTakeFirstOrThrow();
  return {
    id: user.id,
    email: user.email,
    displayName: user.display_name,
    language: user.language,
    createdAt: iso(user.created_at)!,
    emailConfirmedAt: iso(user.email_confirmed_at),
    twoFactorEnabledAt: iso(user.totp_enabled_at),
    roles: roles.map((r) => ({ role: r.role, country: r.country, grantedAt: iso(r.granted_at)! })),
    tokens: tokens.map((t) => ({ name: t.name, prefix: t.prefix, scopes: t.scopes, createdAt: iso(t.created_at)!, lastUsedAt: iso(t.last_used_at), revokedAt: iso(t.revoked_at) })),
    openSessions: Number(sessions.n),
  };
}
