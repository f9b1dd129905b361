/** Password hashing with argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane). */
import { hash, verify, Algorithm } from '@node-rs/argon2';

const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified against when the account does not exist, so that sign-in
 * takes as long for an unknown e-mail as for a known one.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomUUID());
  return decoy;
}

/** Returns an i18n error key, or undefined when the password is acceptable. */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return 'errors.passwordTooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'errors.passwordTooLong';
  if (new Set(password).size < 4) return 'errors.passwordTooSimple';
  if (email && password.toLowerCase().includes(email.toLowerCase().split('@')[0] ?? '\u0000')) return 'errors.passwordContainsEmail';
  return undefined;
}
