/**
 * Administrators appoint and remove national coordinators: existing accounts, found by e-mail, who
 * answer for one country each.
 *
 * Guarantees: only administrators (with a signed-in session; API tokens carry no admin scope) may
 * act; bad input (unknown address, unknown country, already appointed, not appointed) changes
 * nothing; every appointment and removal is in the audit log, in the same transaction. National
 * coordinators must use two-factor: an appointee without it loses their sessions and API tokens
 * (made without a second factor), so their next sign-in asks them to set it up before anything else.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import * as auth from '../../core/auth/store.ts';
import { appendAudit } from '../../core/audit.ts';
import { isCountryCode } from '../../core/countries.ts';
import type { Tables } from '../../core/db/tables.ts';
import { forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isEmail, isUuid, normaliseEmail } from '../../core/validation.ts';
import * as store from './store.ts';

export interface NationalCoordinatorsDeps {
  db: Kysely<Tables>;
}

export interface NationalCoordinator {
  userId: string;
  displayName: string;
  email: string;
  country: string;
  appointedAt: string;
  twoFactorEnabled: boolean;
}


export async function listNationalCoordinators(deps: NationalCoordinatorsDeps, actor: UserActor): Promise<Outcome<NationalCoordinator[]>> {
  if (!can(actor, 'admin.console')) return forbidden();
  const rows = await store.holdersOfRole(deps.db, 'national-coordinator');
  return ok(
    rows.map((row) => ({
      userId: row.user_id,
      displayName: row.display_name,
      email: row.email,
      country: row.country ?? '',
      appointedAt: new Date(row.granted_at).toISOString(),
      twoFactorEnabled: row.totp_enabled_at !== null,
    })),
  );
}

/** Makes an existing, confirmed account national coordinator of a country. */
export async function appointNationalCoordinator(
  deps: NationalCoordinatorsDeps,
  actor: UserActor,
  input: { email: string; country: string },
): Promise<Outcome<{ userId: string; country: string }>> {
  if (!can(actor, 'admin.console')) return forbidden();
  const email = normaliseEmail(input.email);
  const country = input.country.trim().toUpperCase();
  const errors: FieldErrors = {};
  if (!isEmail(email)) errors.email = 'errors.email';
  if (!isCountryCode(country)) errors.country = 'accounts.admin.errors.country';
  if (Object.keys(errors).length > 0) return invalid(errors);
  return deps.db.transaction().execute(async (trx) => {
    const user = await store.findUserByEmail(trx, email);
    // An unconfirmed or disabled account cannot sign in, so it cannot be appointed either.
    if (!user || !user.email_confirmed_at || user.disabled_at) return invalid({ email: 'accounts.admin.errors.accountUnknown' });
    if (!(await store.addRoleGrant(trx, user.id, { role: 'national-coordinator', country }))) return invalid({ country: 'accounts.admin.errors.alreadyAppointed' });
    if (!user.totp_enabled_at) {
      await auth.deleteUserSessions(trx, user.id);
      for (const token of await auth.listApiTokens(trx, user.id)) await auth.revokeApiToken(trx, user.id, token.id);
    }
    await appendAudit(trx, { actorId: actor.userId, action: 'account.role-granted', subject: `user:${user.id}`, detail: { role: 'national-coordinator', country } });
    return ok({ userId: user.id, country });
  });
}

/** Ends someone's appointment as national coordinator of one country. */
export async function removeNationalCoordinator(deps: NationalCoordinatorsDeps, actor: UserActor, userId: string, country: string): Promise<Outcome> {
  if (!can(actor, 'admin.console')) return forbidden();
  const code = country.trim().toUpperCase();
  if (!isUuid(userId) || !isCountryCode(code)) return notFound('accounts.admin.errors.notAppointed');
  return deps.db.transaction().execute(async (trx) => {
    if (!(await store.removeRoleGrant(trx, userId, { role: 'national-coordinator', country: code }))) return notFound('accounts.admin.errors.notAppointed');
    await appendAudit(trx, { actorId: actor.userId, action: 'account.role-revoked', subject: `user:${userId}`, detail: { role: 'national-coordinator', country: code } });
    return ok(undefined);
  });
}
