/** People for integration tests: an account in a role, signed in with a browser session, with an API token. */
import type { Role } from '../../src/core/auth/roles.ts';
import type { Scope } from '../../src/core/auth/scopes.ts';
import { createAccount, enrolTwoFactor, signIn } from './accounts.ts';
import { Client } from './client.ts';
import type { TestServer } from './server.ts';

export interface Person {
  email: string;
  userId: string;
  /** Signed in with a browser session. */
  browser: Client;
  token: string;
  /** A client with no cookies, for calls with the token. */
  api: Client;
}

export interface PersonOptions {
  role?: Role;
  country?: string;
  /** The token's scopes. */
  scopes: Scope[];
  /** Enrol in two-factor authentication even when the role does not require it. */
  twoFactor?: boolean;
}

export async function person(server: TestServer, options: PersonOptions): Promise<Person> {
  const { email, userId } = await createAccount(server.cast.database, options);
  const browser = new Client(server.url);
  const { secret } = await signIn(browser, email);
  if (!secret && options.twoFactor) await enrolTwoFactor(browser);
  const page = await browser.submit('/account', '/account/tokens', { name: 'tests', scopes: options.scopes });
  const token = /<code class="token">(cast_[\w-]+)<\/code>/.exec(page.text)?.[1];
  if (!token) throw new Error(`no token made: ${page.status}`);
  return { email, userId, browser, token, api: new Client(server.url) };
}
