/** Time-based one-time passwords (RFC 6238): 6 digits, 30-second steps, one step of clock drift. */
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, account: string, issuer = 'CAST'): string {
  return new TOTP({ issuer, label: account, secret: Secret.fromBase32(secret), period: PERIOD }).toString();
}

/**
 * Checks a code and returns the time step it belongs to, or undefined. The caller stores the step
 * and refuses any code whose step is not later, so a code seen over someone's shoulder cannot be
 * used again.
 */
export function verifyTotp(secret: string, code: string, lastStep: number | null, now = Date.now()): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD });
  const delta = totp.validate({ token, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  const step = Math.floor(now / 1000 / PERIOD) + delta;
  if (lastStep !== null && step <= lastStep) return undefined;
  return step;
}

export function totpCodeAt(secret: string, timestamp: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD }).generate({ timestamp });
}
