/**
 * `cast user create`: makes an account from the terminal, for the first administrator on a server
 * nobody can reach yet, and for scripted provisioning. The password comes on stdin, never as an argument.
 */
import { isRole, ROLES } from '../core/auth/roles.ts';
import { translator } from '../core/i18n.ts';
import { isEmail } from '../core/validation.ts';
import { optional, parse, required } from './args.ts';
import { withDatabase } from './context.ts';
import { CommandFailure, UsageError } from './errors.ts';
import { readFirstLine } from './stdin.ts';

const NAME = 'user create';

export async function run(args: string[]): Promise<number> {
  const parsed = parse(NAME, args, {
    email: { type: 'string' },
    role: { type: 'string' },
    country: { type: 'string' },
    name: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  const email = required(parsed, 'email', NAME);
  if (!isEmail(email)) throw new UsageError(`"${email}" is not an e-mail address`, NAME);
  const role = required(parsed, 'role', NAME);
  if (!isRole(role)) throw new UsageError(`unknown role "${role}" (one of: ${ROLES.join(', ')})`, NAME);
  const country = optional(parsed, 'country');
  if (role === 'national-coordinator') {
    if (country === undefined) throw new UsageError('--country is required for a national-coordinator', NAME);
    if (!/^[A-Z]{2}$/.test(country)) throw new UsageError(`--country must be two upper-case letters such as GB (got "${country}")`, NAME);
  } else if (country !== undefined) {
    throw new UsageError('--country is only for a national-coordinator', NAME);
  }
  const displayName = optional(parsed, 'name');
  if (displayName === '') throw new UsageError('--name must not be empty', NAME);
  if (!parsed.values['password-stdin']) throw new UsageError('--password-stdin is required: give the password on standard input', NAME);

  const password = await readFirstLine();
  if (password === '') throw new UsageError('no password on standard input', NAME);

  const { createAccountAsOperator } = await import('../modules/accounts/index.ts');
  const outcome = await withDatabase((database) =>
    createAccountAsOperator(database.db, { email, role, country: country ?? null, password, ...(displayName ? { displayName } : {}) }),
  );
  if (!outcome.ok) {
    const t = translator('en');
    const reasons = outcome.reason === 'invalid' ? Object.entries(outcome.errors).map(([field, key]) => `${field}: ${t(key)}`) : [outcome.reason];
    throw new CommandFailure(`account not created: ${reasons.join('; ')}`);
  }
  console.log(outcome.value.userId);
  return 0;
}
