/**
 * Account use cases: sign-up with e-mail confirmation, sign-in with throttling and two-factor,
 * password reset and change, two-factor enrolment, personal API tokens and the first-run setup.
 *
 * Guarantees: answers never reveal whether an e-mail has an account; every change and its e-mail
 * commit together (the message is a job enqueued in the same transaction); every security-relevant
 * event is in the audit log; secrets (passwords, TOTP seeds, tokens) are never stored in clear.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from '../../core/auth/passwords.ts';
import { isRole, requiresTwoFactor, type Role, type RoleGrant } from '../../core/auth/roles.ts';
import type { Scope } from '../../core/auth/scopes.ts';
import * as auth from '../../core/auth/store.ts';
import { newTotpSecret, verifyTotp } from '../../core/auth/totp.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Config } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import { translator, type Language } from '../../core/i18n.ts';
import type { Jobs } from '../../core/jobs.ts';
import type { Keys } from '../../core/keys.ts';
import { enqueueMail } from '../../core/mail-job.ts';
import { forbidden, invalid, notFound, ok, throttled, type Outcome } from '../../core/outcome.ts';
import { addressKey, clear, hit, peek, valueKey } from '../../core/throttle.ts';
import { isUuid, normaliseEmail } from '../../core/validation.ts';
import * as mail from './mail.ts';
import * as store from './store.ts';

export interface AccountsDeps {
  db: Kysely<Tables>;
  keys: Keys;
  sealer: FieldSealer;
  jobs: Jobs;
  config: Pick<Config, 'publicUrl' | 'sessionTtlHours'>;
}

const CONFIRM_TTL_HOURS = 48;
const RESET_TTL_HOURS = 1;
const SETUP_TTL_HOURS = 24;
const FIFTEEN_MINUTES = 15 * 60_000;
const HOUR = 3_600_000;
/** Failed sign-ins allowed per account, and per address, in fifteen minutes. */
export const SIGN_IN_LIMIT_PER_ACCOUNT = 10;
export const SIGN_IN_LIMIT_PER_ADDRESS = 50;
const CODE_ATTEMPTS_PER_SESSION = 5;
const RESET_REQUESTS_PER_ACCOUNT_HOUR = 3;

const link = (deps: AccountsDeps, path: string) => `${deps.config.publicUrl}${path}`;

// ---------------------------------------------------------------- sign-up and confirmation

export async function signUp(
  deps: AccountsDeps,
  input: { displayName: string; email: string; password: string; language: Language },
): Promise<Outcome<{ email: string }>> {
  const email = normaliseEmail(input.email);
  const problem = passwordProblem(input.password, email);
  if (problem) return invalid({ password: problem });
  const passwordHash = await hashPassword(input.password);
  const t = translator(input.language);
  await deps.db.transaction().execute(async (trx) => {
    const userId = await store.insertUser(trx, { email, displayName: input.displayName, passwordHash, language: input.language, confirmed: false });
    if (!userId) {
      // Same answer on the page; the owner of the address learns by e-mail that someone tried.
      const existing = await store.findUserByEmail(trx, email);
      await enqueueMail(deps.jobs, trx, mail.alreadyRegisteredMessage(translator((existing?.language as Language) ?? input.language), email, link(deps, '/signin'), link(deps, '/password/forgot')));
      return;
    }
    const token = await store.createEmailToken(trx, userId, 'confirm-email', CONFIRM_TTL_HOURS);
    await enqueueMail(deps.jobs, trx, mail.confirmEmailMessage(t, email, input.displayName, link(deps, `/confirm-email/${token}`)));
    await appendAudit(trx, { actorId: userId, action: 'account.created', subject: `user:${userId}` });
  });
  return ok({ email });
}

export async function confirmEmail(deps: AccountsDeps, token: string): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const userId = await store.consumeEmailToken(trx, token, 'confirm-email');
    if (!userId) return notFound('errors.linkExpired');
    await store.updateUser(trx, userId, { email_confirmed_at: new Date() });
    await appendAudit(trx, { actorId: userId, action: 'account.email-confirmed', subject: `user:${userId}` });
    return ok(undefined);
  });
}

// ---------------------------------------------------------------- sign-in

export type SignInResult = { sessionToken: string; stage: 'full' | 'totp' | 'enrol' };

function stageFor(user: { totp_enabled_at: Date | null }, roles: RoleGrant[]): 'full' | 'totp' | 'enrol' {
  if (user.totp_enabled_at) return 'totp';
  return requiresTwoFactor(roles) ? 'enrol' : 'full';
}

export async function signIn(deps: AccountsDeps, input: { email: string; password: string; address: string }): Promise<Outcome<SignInResult>> {
  const email = normaliseEmail(input.email);
  const accountKey = valueKey(deps.keys.throttle, 'signin-account', email);
  const address = addressKey(deps.keys.throttle, 'signin-address', input.address);
  if (
    (await peek(deps.db, accountKey, FIFTEEN_MINUTES)) >= SIGN_IN_LIMIT_PER_ACCOUNT ||
    (await peek(deps.db, address, FIFTEEN_MINUTES)) >= SIGN_IN_LIMIT_PER_ADDRESS
  ) {
    return throttled('errors.signInThrottled');
  }
  const user = await store.findUserByEmail(deps.db, email);
  const passwordOk = await verifyPassword(user?.password_hash ?? (await decoyHash()), input.password);
  if (!user || !passwordOk || user.disabled_at || !user.email_confirmed_at) {
    await hit(deps.db, accountKey, FIFTEEN_MINUTES);
    await hit(deps.db, address, FIFTEEN_MINUTES);
    if (user) await appendAudit(deps.db, { actorId: null, action: 'account.sign-in-failed', subject: `user:${user.id}` });
    const unconfirmed = user && passwordOk && !user.email_confirmed_at && !user.disabled_at;
    return invalid({ form: unconfirmed ? 'errors.emailNotConfirmed' : 'errors.signInFailed' });
  }
  await clear(deps.db, accountKey);
  const roles = await auth.loadRoles(deps.db, user.id);
  const stage = stageFor(user, roles);
  const sessionToken = await deps.db.transaction().execute(async (trx) => {
    const token = await auth.createSession(trx, user.id, stage, deps.config.sessionTtlHours);
    await appendAudit(trx, { actorId: user.id, action: stage === 'full' ? 'account.signed-in' : 'account.password-accepted', subject: `user:${user.id}`, detail: { stage } });
    return token;
  });
  return ok({ sessionToken, stage });
}

/** Second step of sign-in: the TOTP code. A fresh session replaces the half-signed-in one. */
export async function verifySignInCode(deps: AccountsDeps, actor: UserActor, sessionToken: string, code: string): Promise<Outcome<SignInResult>> {
  if (actor.stage !== 'totp') return forbidden();
  const attempts = valueKey(deps.keys.throttle, 'signin-code', sessionToken);
  if ((await peek(deps.db, attempts, FIFTEEN_MINUTES)) >= CODE_ATTEMPTS_PER_SESSION) {
    await auth.deleteSession(deps.db, sessionToken);
    return throttled('errors.codeThrottled');
  }
  const user = await store.findUserById(deps.db, actor.userId);
  const step = user?.totp_secret_sealed && user.totp_enabled_at ? verifyTotp(await deps.sealer.unseal(user.totp_secret_sealed), code, user.totp_last_step) : undefined;
  if (!user || step === undefined || !(await store.advanceTotpStep(deps.db, user.id, step))) {
    await hit(deps.db, attempts, FIFTEEN_MINUTES);
    return invalid({ code: 'errors.codeWrong' });
  }
  const fresh = await deps.db.transaction().execute(async (trx) => {
    await auth.deleteSession(trx, sessionToken);
    const token = await auth.createSession(trx, user.id, 'full', deps.config.sessionTtlHours);
    await appendAudit(trx, { actorId: user.id, action: 'account.signed-in', subject: `user:${user.id}`, detail: { twoFactor: true } });
    return token;
  });
  return ok({ sessionToken: fresh, stage: 'full' });
}

export async function signOut(deps: AccountsDeps, actor: UserActor, sessionToken: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await auth.deleteSession(trx, sessionToken);
    await appendAudit(trx, { actorId: actor.userId, action: 'account.signed-out', subject: `user:${actor.userId}` });
  });
}

// ---------------------------------------------------------------- passwords

export async function requestPasswordReset(deps: AccountsDeps, input: { email: string; language: Language }): Promise<Outcome> {
  const email = normaliseEmail(input.email);
  const user = await store.findUserByEmail(deps.db, email);
  if (!user || user.disabled_at) return ok(undefined);
  const key = valueKey(deps.keys.throttle, 'reset-request', email);
  if ((await hit(deps.db, key, HOUR)).hits > RESET_REQUESTS_PER_ACCOUNT_HOUR) return ok(undefined);
  await deps.db.transaction().execute(async (trx) => {
    const token = await store.createEmailToken(trx, user.id, 'reset-password', RESET_TTL_HOURS);
    await enqueueMail(deps.jobs, trx, mail.resetPasswordMessage(translator(user.language as Language), email, user.display_name, link(deps, `/password/reset/${token}`)));
    await appendAudit(trx, { actorId: null, action: 'account.password-reset-requested', subject: `user:${user.id}` });
  });
  return ok(undefined);
}

export async function isResetLinkValid(deps: AccountsDeps, token: string): Promise<boolean> {
  return store.isEmailTokenUsable(deps.db, token, 'reset-password');
}

export async function resetPassword(deps: AccountsDeps, input: { token: string; password: string }): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const userId = await store.consumeEmailToken(trx, input.token, 'reset-password');
    if (!userId) return notFound('errors.linkExpired');
    const user = await store.findUserById(trx, userId);
    if (!user) return notFound('errors.linkExpired');
    const problem = passwordProblem(input.password, user.email);
    if (problem) {
      // Roll back so the link still works for the next attempt.
      throw new RetryableInvalid({ password: problem });
    }
    // Following the link proves the address, so an unconfirmed account is confirmed too.
    await store.updateUser(trx, userId, { password_hash: await hashPassword(input.password), ...(user.email_confirmed_at ? {} : { email_confirmed_at: new Date() }) });
    await auth.deleteUserSessions(trx, userId);
    await enqueueMail(deps.jobs, trx, mail.passwordChangedMessage(translator(user.language as Language), user.email, user.display_name, link(deps, '/password/forgot')));
    await appendAudit(trx, { actorId: userId, action: 'account.password-reset', subject: `user:${userId}` });
    return ok(undefined);
  }).catch((error: unknown) => {
    if (error instanceof RetryableInvalid) return invalid(error.errors);
    throw error;
  });
}

class RetryableInvalid extends Error {
  constructor(readonly errors: Record<string, string>) {
    super('invalid');
  }
}

export async function changePassword(deps: AccountsDeps, actor: UserActor, sessionToken: string | undefined, input: { currentPassword: string; newPassword: string }): Promise<Outcome> {
  if (!can(actor, 'account.write', { ownerId: actor.userId })) return forbidden();
  const user = await store.findUserById(deps.db, actor.userId);
  if (!user) return notFound();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) return invalid({ currentPassword: 'errors.currentPasswordWrong' });
  const problem = passwordProblem(input.newPassword, user.email);
  if (problem) return invalid({ newPassword: problem });
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await store.updateUser(trx, user.id, { password_hash: passwordHash });
    await auth.deleteUserSessions(trx, user.id, sessionToken);
    await enqueueMail(deps.jobs, trx, mail.passwordChangedMessage(translator(user.language as Language), user.email, user.display_name, link(deps, '/password/forgot')));
    await appendAudit(trx, { actorId: user.id, action: 'account.password-changed', subject: `user:${user.id}` });
  });
  return ok(undefined);
}

// ---------------------------------------------------------------- two-factor

/** The secret being set up: kept (sealed) until confirmed, so reloading the page keeps the same QR code. */
export async function pendingTwoFactorSecret(deps: AccountsDeps, actor: UserActor): Promise<Outcome<{ secret: string; enabled: boolean }>> {
  if (!can(actor, 'account.enrol-two-factor', { ownerId: actor.userId })) return forbidden();
  const user = await store.findUserById(deps.db, actor.userId);
  if (!user) return notFound();
  if (user.totp_enabled_at) return ok({ secret: '', enabled: true });
  if (user.totp_secret_sealed) return ok({ secret: await deps.sealer.unseal(user.totp_secret_sealed), enabled: false });
  const secret = newTotpSecret();
  await store.updateUser(deps.db, user.id, { totp_secret_sealed: deps.sealer.seal(secret), totp_last_step: null });
  return ok({ secret, enabled: false });
}

export async function enableTwoFactor(deps: AccountsDeps, actor: UserActor, sessionToken: string | undefined, code: string): Promise<Outcome<{ sessionToken: string | undefined }>> {
  if (!can(actor, 'account.enrol-two-factor', { ownerId: actor.userId })) return forbidden();
  const user = await store.findUserById(deps.db, actor.userId);
  if (!user || !user.totp_secret_sealed || user.totp_enabled_at) return invalid({ code: 'errors.codeWrong' });
  const step = verifyTotp(await deps.sealer.unseal(user.totp_secret_sealed), code, user.totp_last_step);
  if (step === undefined) return invalid({ code: 'errors.codeWrong' });
  const fresh = await deps.db.transaction().execute(async (trx) => {
    await store.updateUser(trx, user.id, { totp_enabled_at: new Date(), totp_last_step: step });
    await enqueueMail(deps.jobs, trx, mail.twoFactorChangedMessage(translator(user.language as Language), user.email, user.display_name, true));
    await appendAudit(trx, { actorId: user.id, action: 'account.two-factor-enabled', subject: `user:${user.id}` });
    // Signing in for real now: swap the enrolment session for a full one.
    if (actor.stage === 'enrol' && sessionToken) {
      await auth.deleteSession(trx, sessionToken);
      return auth.createSession(trx, user.id, 'full', deps.config.sessionTtlHours);
    }
    return undefined;
  });
  return ok({ sessionToken: fresh });
}

export async function disableTwoFactor(deps: AccountsDeps, actor: UserActor, input: { currentPassword: string; code: string }): Promise<Outcome> {
  if (!can(actor, 'account.write', { ownerId: actor.userId })) return forbidden();
  if (requiresTwoFactor(actor.roles)) return forbidden('errors.twoFactorRequired');
  const user = await store.findUserById(deps.db, actor.userId);
  if (!user || !user.totp_enabled_at || !user.totp_secret_sealed) return notFound();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) return invalid({ currentPassword: 'errors.currentPasswordWrong' });
  const step = verifyTotp(await deps.sealer.unseal(user.totp_secret_sealed), input.code, user.totp_last_step);
  if (step === undefined) return invalid({ code: 'errors.codeWrong' });
  await deps.db.transaction().execute(async (trx) => {
    await store.updateUser(trx, user.id, { totp_enabled_at: null, totp_secret_sealed: null, totp_last_step: null });
    await enqueueMail(deps.jobs, trx, mail.twoFactorChangedMessage(translator(user.language as Language), user.email, user.display_name, false));
    await appendAudit(trx, { actorId: user.id, action: 'account.two-factor-disabled', subject: `user:${user.id}` });
  });
  return ok(undefined);
}

// ---------------------------------------------------------------- API tokens

export async function listTokens(deps: AccountsDeps, actor: UserActor) {
  if (!can(actor, 'account.read', { ownerId: actor.userId })) return forbidden();
  return ok(await auth.listApiTokens(deps.db, actor.userId));
}

export async function createToken(deps: AccountsDeps, actor: UserActor, input: { name: string; scopes: Scope[] }): Promise<Outcome<{ id: string; token: string; scopes: Scope[] }>> {
  if (!can(actor, 'account.write', { ownerId: actor.userId })) return forbidden();
  return ok(await issueToken(deps.db, actor.userId, input.name, input.scopes, actor.userId));
}

/** Creates a token for an account; also used by the command-line tool, where the operator is the actor. */
export async function issueToken(db: Kysely<Tables>, userId: string, name: string, scopes: Scope[], actorId: string | null) {
  const unique = [...new Set(scopes)];
  return db.transaction().execute(async (trx) => {
    const created = await auth.createApiToken(trx, userId, name, unique);
    await appendAudit(trx, { actorId, action: 'token.created', subject: `token:${created.id}`, detail: { userId, scopes: unique } });
    return { id: created.id, token: created.token, scopes: unique };
  });
}

export async function revokeToken(deps: AccountsDeps, actor: UserActor, tokenId: string): Promise<Outcome> {
  if (!can(actor, 'account.write', { ownerId: actor.userId })) return forbidden();
  if (!/^[0-9a-f-]{36}$/i.test(tokenId)) return notFound();
  return deps.db.transaction().execute(async (trx) => {
    if (!(await auth.revokeApiToken(trx, actor.userId, tokenId))) return notFound();
    await appendAudit(trx, { actorId: actor.userId, action: 'token.revoked', subject: `token:${tokenId}` });
    return ok(undefined);
  });
}

// ---------------------------------------------------------------- preferences

export async function setAccountLanguage(db: Kysely<Tables>, userId: string, language: Language): Promise<void> {
  await store.updateUser(db, userId, { language });
}

export async function accountSummary(deps: AccountsDeps, actor: UserActor) {
  if (!can(actor, 'account.read', { ownerId: actor.userId })) return forbidden();
  return ok({
    id: actor.userId,
    email: actor.email,
    displayName: actor.displayName,
    language: actor.language,
    roles: actor.roles,
    twoFactorEnabled: actor.twoFactorEnabled,
    twoFactorRequired: requiresTwoFactor(actor.roles),
  });
}

// ---------------------------------------------------------------- first run and operators

/** On a fresh instance (no administrator yet), makes a one-time setup link; otherwise returns undefined. */
export async function setupLinkIfNeeded(deps: AccountsDeps): Promise<string | undefined> {
  if ((await store.countAdmins(deps.db)) > 0) return undefined;
  const token = await store.createSetupToken(deps.db, SETUP_TTL_HOURS);
  return link(deps, `/setup/${token}`);
}

export async function isSetupLinkValid(deps: AccountsDeps, token: string): Promise<boolean> {
  return (await store.countAdmins(deps.db)) === 0 && (await store.isSetupTokenUsable(deps.db, token));
}

/** Creates the first administrator through the setup link, and signs them in to set up two-factor. */
export async function completeSetup(
  deps: AccountsDeps,
  input: { token: string; displayName: string; email: string; password: string; language: Language },
): Promise<Outcome<{ sessionToken: string }>> {
  const email = normaliseEmail(input.email);
  const problem = passwordProblem(input.password, email);
  if (problem) return invalid({ password: problem });
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    if ((await store.countAdmins(trx)) > 0 || !(await store.consumeSetupToken(trx, input.token))) return notFound('errors.linkExpired');
    const userId = await store.insertUser(trx, { email, displayName: input.displayName, passwordHash, language: input.language, confirmed: true });
    if (!userId) return invalid({ email: 'errors.emailTaken' });
    await store.grantRole(trx, userId, { role: 'admin', country: null });
    await appendAudit(trx, { actorId: userId, action: 'setup.first-admin-created', subject: `user:${userId}` });
    return ok({ sessionToken: await auth.createSession(trx, userId, 'enrol', deps.config.sessionTtlHours) });
  });
}

/** For operators at the command line: creates a confirmed account with a role. */
export async function createAccountAsOperator(
  db: Kysely<Tables>,
  input: { email: string; role: Role; country: string | null; password: string; displayName?: string },
): Promise<Outcome<{ userId: string }>> {
  const email = normaliseEmail(input.email);
  if (!isRole(input.role)) return invalid({ role: 'errors.choice' });
  const problem = passwordProblem(input.password, email);
  if (problem) return invalid({ password: problem });
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const userId = await store.insertUser(trx, { email, displayName: input.displayName ?? email.split('@')[0]!, passwordHash, language: 'en', confirmed: true });
    if (!userId) return invalid({ email: 'errors.emailTaken' });
    await store.grantRole(trx, userId, { role: input.role, country: input.role === 'national-coordinator' ? input.country : null });
    await appendAudit(trx, { actorId: null, action: 'account.created-by-operator', subject: `user:${userId}`, detail: { role: input.role } });
    return ok({ userId });
  });
}

export async function findAccountId(db: Kysely<Tables>, email: string): Promise<string | undefined> {
  return (await store.findUserByEmail(db, normaliseEmail(email)))?.id;
}

/** Display names of accounts by id, for modules that show people (e.g. a group's members); ids that are not uuids are ignored. */
export async function displayNames(db: Kysely<Tables>, userIds: readonly string[]): Promise<Map<string, string>> {
  return store.displayNames(db, userIds.filter((id) => isUuid(id)));
}


export { sweepExpiredCredentials } from './store.ts';
