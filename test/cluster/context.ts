/** What every cluster journey shares: the cluster, the SMTP receiver, and small helpers for both. */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Response } from '../support/client.ts';
import type { Mailbox, ReceivedMail } from '../support/mailbox.ts';
import type { Cluster } from './cluster.ts';

export interface Context {
  cluster: Cluster;
  mailbox: Mailbox;
  /** A shorter round (CI): fewer signatures, subscribers and supporters. */
  short: boolean;
  /** Figures each journey records for the run's summary. */
  figures: Record<string, string | number>;
}

/** Which process answered a request through the balancer (nginx's X-Cast-Upstream header). */
export function upstreamOf(response: Response): string {
  const upstream = response.headers.get('x-cast-upstream');
  assert.ok(upstream, 'the balancer names the process that answered');
  return upstream;
}

/** Asserts every process answered at least one of these responses: the journey really crossed processes. */
export function assertEveryProcess(context: Context, responses: Response[], what: string): void {
  const seen = new Set(responses.map(upstreamOf));
  assert.deepEqual([...seen].sort(), context.cluster.processes.map((p) => p.address).sort(), `${what}: every process answered some requests`);
}

export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Messages to an address whose subject matches. */
export function mailsTo(mailbox: Mailbox, to: string, subject: RegExp): ReceivedMail[] {
  return mailbox.messages.filter((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject));
}

/**
 * Waits until no job that sends mail is pending, then a little longer: a message sent twice would
 * arrive within that time, so "exactly once" is checked after it, not while mail is still moving.
 */
export async function mailSettled(context: Context): Promise<void> {
  const pending = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') and name in ('mail.send', 'chocolate.send')`.execute(context.cluster.database.db)).rows[0]!.n);
  await until(async () => (await pending()) === 0, 'mail jobs to finish');
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

/** A run of many similar requests, a few at a time (a crowd, not a flood of sockets). */
export async function inBatches<T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += size) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, j) => make(start + j)))));
  }
  return results;
}
