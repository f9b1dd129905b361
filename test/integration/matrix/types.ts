/** The shared vocabulary of the authorisation matrix: who calls, and what a row says. */
import type { Client } from '../../support/client.ts';
import type { TestServer } from '../../support/server.ts';

/**
 * Every caller the matrix tries. Module fixtures give them standing: e.g. the groups part makes
 * `group-coordinator` coordinate group A, `member` a member of A, and `outsider` a member of group B.
 * The callers from `other-coordinator` on have their standing from standing.ts, the same in every part:
 * - `other-coordinator`: coordinates group B2 (GB, listed, with two-factor), none of the parts' groups;
 * - `other-partner`: the user of a verified partner that has an active partnership with B2 only;
 * - `foreign-national-coordinator`: national coordinator of FR (every fixture is in GB);
 * - `coordinator-without-2fa`: a co-coordinator, by membership, of the groups whose parts call
 *   `coCoordinate` (those holding reports), who never set up two-factor authentication;
 * - `expired-session`: a GB national coordinator whose session cookie outlived the session (its
 *   expiry was moved into the past in the database): it must count for nothing, as anonymous;
 * - `revoked-token`: an API token of `group-coordinator` with every scope, revoked through the
 *   product's own route: 401 on every API route that identifies its caller.
 */
export const CALLERS = [
  'anonymous',
  'member',
  'outsider',
  'admin',
  'national-coordinator',
  'group-coordinator',
  'partner',
  'token-read',
  'token-write',
  'other-coordinator',
  'other-partner',
  'foreign-national-coordinator',
  'coordinator-without-2fa',
  'expired-session',
  'revoked-token',
] as const;
export type Caller = (typeof CALLERS)[number];
export type Expect = number | (Partial<Record<Caller | 'signed-in' | 'token', number>> & { default?: number });

export interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route pattern as Fastify registered it. */
  route: string;
  path: string;
  expect: Expect;
  /** Form fields for POST pages (the CSRF token is added). */
  form?: Record<string, string | string[]>;
  json?: unknown;
}

export interface CallerAccount {
  email: string;
  userId: string;
  /** Signed in as this caller (for token callers, the browser session that made the token). */
  client: Client;
}

export interface MatrixContext {
  server: TestServer;
  callers: Map<Exclude<Caller, 'anonymous'>, CallerAccount>;
  /** Makes `coordinator-without-2fa` a coordinator of a group that `group-coordinator` coordinates. */
  coCoordinate: (groupId: string) => Promise<void>;
}

/** One module's rows. `setup` creates the rows' fixtures (ids in paths) once, before any row runs. */
export interface MatrixPart {
  rows(context: MatrixContext): Promise<Row[]> | Row[];
}
