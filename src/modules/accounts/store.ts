/** SQL for accounts, their roles, e-mail tokens and setup tokens. */
import { sql, type Kysely } from 'kysely';
import type { RoleGrant } from '../../core/auth/roles.ts';
import { randomToken, sha256 } from '../../core/crypto.ts';
import type { Tables } from '../../core/db/tables.ts';

type Db = Kysely<Tables>;

export async function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserById(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: Db,
  user: { email: string; displayName: string; passwordHash: string; language: string; confirmed: boolean },
): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({
      email: user.email,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      language: user.language,
      email_confirmed_at: user.confirmed ? new Date() : null,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? '';
}

/** The names people chose to show, for the given accounts; unknown ids are left out. */
export async function displayNames(db: Db, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(userIds)]).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

export async function grantRole(db: Db, userId: string, grant: RoleGrant): Promise<void> {
  await db
    .insertInto('user_roles')
    .values({ user_id: userId, role: grant.role, country: grant.country })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Adds a role; false when the account already holds it (for that country). */
export async function addRoleGrant(db: Db, userId: string, grant: RoleGrant): Promise<boolean> {
  const row = await db
    .insertInto('user_roles')
    .values({ user_id: userId, role: grant.role, country: grant.country })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Takes a role away; false when the account did not hold it (for that country). */
export async function removeRoleGrant(db: Db, userId: string, grant: RoleGrant): Promise<boolean> {
  let query = db.deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', grant.role);
  query = grant.country === null ? query.where('country', 'is', null) : query.where('country', '=', grant.country);
  const rows = await query.returning('user_id').execute();
  return rows.length > 0;
}

/** Everyone holding a role, with the account fields an administrator needs to recognise them. */
export async function holdersOfRole(db: Db, role: RoleGrant['role']) {
  return db
    .selectFrom('user_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.user_id', 'r.country', 'r.granted_at', 'u.display_name', 'u.email', 'u.totp_enabled_at'])
    .where('r.role', '=', role)
    .orderBy('r.country')
    .orderBy('u.display_name')
    .limit(1000)
    .execute();
}

export async function countAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('user_roles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateUser(
  db: Db,
  id: string,
  changes: Partial<{
    password_hash: string;
    email_confirmed_at: Date;
    language: string;
    totp_secret_sealed: string | null;
    totp_enabled_at: Date | null;
    totp_last_step: number | null;
  }>,
): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/** Moves the last-used TOTP step forward only if it is later, so two racing requests cannot both pass. */
export async function advanceTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function createEmailToken(db: Db, userId: string, purpose: 'confirm-email' | 'reset-password', ttlHours: number): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('email_tokens')
    .values({ token_hash: sha256(token), user_id: userId, purpose, expires_at: new Date(Date.now() + ttlHours * 3_600_000) })
    .execute();
  return token;
}

/** Uses a token once: returns its account, or undefined if unknown, expired or already used. */
export async function consumeEmailToken(db: Db, token: string, purpose: 'confirm-email' | 'reset-password'): Promise<string | undefined> {
  const row = await db
    .updateTable('email_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', sha256(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

export async function isEmailTokenUsable(db: Db, token: string, purpose: 'confirm-email' | 'reset-password'): Promise<boolean> {
  const row = await db
    .selectFrom('email_tokens')
    .select('user_id')
    .where('token_hash', '=', sha256(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row !== undefined;
}

/** Replaces any earlier setup link: only the newest printed link works. */
export async function createSetupToken(db: Db, ttlHours: number): Promise<string> {
  const token = randomToken();
  await db.deleteFrom('setup_tokens').where('used_at', 'is', null).execute();
  await db.insertInto('setup_tokens').values({ token_hash: sha256(token), expires_at: new Date(Date.now() + ttlHours * 3_600_000) }).execute();
  return token;
}

export async function isSetupTokenUsable(db: Db, token: string): Promise<boolean> {
  const row = await db
    .selectFrom('setup_tokens')
    .select('created_at')
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row !== undefined;
}

export async function consumeSetupToken(db: Db, token: string): Promise<boolean> {
  const result = await db
    .updateTable('setup_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function sweepExpiredCredentials(db: Db): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
  await db.deleteFrom('email_tokens').where('expires_at', '<', sql<Date>`now() - interval '1 day'`).execute();
  await db.deleteFrom('setup_tokens').where('expires_at', '<', sql<Date>`now() - interval '1 day'`).execute();
}
