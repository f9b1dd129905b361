/** The shared vocabulary of the authorisation matrix: who calls, and what a row says. */
import type { Client } from '../../support/client.ts';
import type { TestServer } from '../../support/server.ts';

/**
 * Every caller the matrix tries. Module fixtures give them standing: e.g. the groups part makes
 * `group-coordinator` coordinate group A, `member` a member of A, and `outsider` a member of group B.
 */
export const CALLERS = ['anonymous', 'member', 'outsider', 'admin', 'national-coordinator', 'group-coordinator', 'partner', 'token-read', 'token-write'] as const;
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
}

/** One module's rows. `setup` creates the rows' fixtures (ids in paths) once, before any row runs. */
export interface MatrixPart {
  rows(context: MatrixContext): Promise<Row[]> | Row[];
}
