/**
 * `cast token create`: issues a personal API token for an existing account, for automation that
 * cannot sign in through the web. The token is printed alone on stdout so a script can capture it;
 * it is shown this once and only its hash is kept.
 */
import { isScope, SCOPES, type Scope } from '../core/auth/scopes.ts';
import { optional, parse, required } from './args.ts';
import { withDatabase } from './context.ts';
import { CommandFailure, UsageError } from './errors.ts';

const NAME = 'token create';

export async function run(args: string[]): Promise<number> {
  const parsed = parse(NAME, args, { email: { type: 'string' }, scopes: { type: 'string' }, name: { type: 'string' } });
  const email = required(parsed, 'email', NAME);
  const scopes = required(parsed, 'scopes', NAME)
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) throw new UsageError(`unknown scope "${unknown[0]}" (from: ${SCOPES.join(', ')})`, NAME);
  if (scopes.length === 0) throw new UsageError('--scopes needs at least one scope', NAME);
  const name = optional(parsed, 'name') || 'cli';
  if (name.length > 80) throw new UsageError('--name must be at most 80 characters', NAME);

  const { findAccountId, issueToken } = await import('../modules/accounts/index.ts');
  const token = await withDatabase(async (database) => {
    const userId = await findAccountId(database.db, email);
    if (!userId) throw new CommandFailure(`no account with the e-mail address ${email}`);
    return (await issueToken(database.db, userId, name, scopes as Scope[], null)).token;
  });
  console.log(token);
  return 0;
}
