/** Factories for accounts in named states, through the same service the CLI uses. */
import { Secret, TOTP } from 'otpauth';
import type { Database } from '../../src/core/db/database.ts';
import type { Role } from '../../src/core/auth/roles.ts';
import { createAccountAsOperator } from '../../src/modules/accounts/index.ts';
import { Client, csrfFrom } from './client.ts';

export const PASSWORD = 'correct horse battery staple';

let counter = 0;
export function uniqueEmail(prefix = 'person'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${counter}.${Date.now()}@example.org`;
}

export async function createAccount(database: Database, options: { role?: Role; country?: string; email?: string } = {}) {
  const email = options.email ?? uniqueEmail(options.role ?? 'person');
  const outcome = await createAccountAsOperator(database.db, {
    email,
    role: options.role ?? 'member',
    country: options.country ?? (options.role === 'national-coordinator' ? 'GB' : null),
    password: PASSWORD,
  });
  if (!outcome.ok) throw new Error(`could not create account: ${JSON.stringify(outcome)}`);
  return { email, userId: outcome.value.userId };
}

/** Reads the TOTP secret from the set-up page, as a person would type it into their app. */
export function secretFrom(html: string): string {
  const match = /data-secret="([A-Z2-7]+)"/.exec(html);
  if (!match) throw new Error('No two-factor secret on this page');
  return match[1]!;
}

export function codeFor(secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), period: 30 }).generate({ timestamp: at });
}

/** Sets up two-factor authentication for a signed-in person who has none yet; returns the secret. */
export async function enrolTwoFactor(client: Client): Promise<string> {
  const page = await client.get('/account/two-factor');
  const secret = secretFrom(page.text);
  const done = await client.postForm('/account/two-factor', { _csrf: csrfFrom(page.text), code: codeFor(secret) });
  if (done.status !== 303) throw new Error(`two-factor enrolment failed with ${done.status}`);
  return secret;
}

/**
 * Signs a client in all the way. Roles that need two-factor are enrolled on first sign-in; the
 * secret is returned so later sign-ins can produce codes.
 */
export async function signIn(client: Client, email: string, options: { secret?: string } = {}): Promise<{ secret: string | undefined }> {
  const response = await client.submit('/signin', '/signin', { email, password: PASSWORD });
  if (response.status !== 303) throw new Error(`sign-in failed with ${response.status}`);
  if (response.location === '/account/two-factor') return { secret: await enrolTwoFactor(client) };
  if (response.location?.startsWith('/signin/code')) {
    if (!options.secret) throw new Error('this account needs a two-factor secret');
    // A code's time step can be used once; wait for the next step if this one was just used.
    const page = await client.get('/signin/code');
    let result = await client.postForm('/signin/code', { _csrf: csrfFrom(page.text), code: codeFor(options.secret) });
    if (result.status === 422) {
      await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 100));
      result = await client.postForm('/signin/code', { _csrf: csrfFrom(page.text), code: codeFor(options.secret) });
    }
    if (result.status !== 303) throw new Error(`code step failed with ${result.status}`);
    return { secret: options.secret };
  }
  return { secret: undefined };
}
