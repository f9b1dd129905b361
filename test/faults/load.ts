/**
 * Load for the fault tests: anonymous reports (several identifiers each), declaration signatures and
 * their confirmations, sent to whichever CAST processes are up, a few requests at a time. It records
 * what every answer promised — a 2xx means "stored" — so the tests can check afterwards that nothing
 * promised is missing, and it flags every answer a fault must never produce: a 5xx other than 503
 * with Retry-After, or a stack trace or SQL text in a body.
 */
import { linkFrom } from '../support/client.ts';
import type { Mailbox } from '../support/mailbox.ts';
import { A_REPORT } from '../support/reports.ts';
import { sleep } from './settings.ts';

export const SLUG = 'stop-the-traffik';
const LEAKS = /at .*\.[jt]s:\d+|\bselect\b.*\bfrom\b|\binsert into\b|\bupdate\b.*\bset\b|syntax error|relation "/i;

export interface LoadRecord {
  sent: number;
  /** Answers with a 2xx. */
  ok: number;
  /** Requests that got no answer (the process was killed, or refused the connection). */
  unanswered: number;
  /** Non-2xx answers by status. */
  statuses: Record<string, number>;
  reports: { reference: string; receiptCode: string }[];
  /** Addresses whose signature was accepted (202). */
  signatures: string[];
  /** Addresses whose confirmation link was answered "confirmed". */
  confirmed: string[];
  /** Answers that broke the rules, described. */
  violations: string[];
}

export interface Load {
  record: LoadRecord;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<LoadRecord>;
}

export interface LoadOptions {
  /** The base URLs of the processes that are up now (asked before every request). */
  targets: () => string[];
  mailbox: Mailbox;
  /** Requests in flight at once. */
  concurrency: number;
  /** Distinguishes this run's addresses and identifiers from any other's. */
  run: string;
}

/** A report with identifiers of its own (phone, plate, e-mail, handle), so each one is linked only to itself. */
function reportBody(run: string, i: number): Record<string, unknown> {
  const n = String(i).padStart(4, '0');
  return {
    ...A_REPORT,
    identifiers: [
      { kind: 'phone', value: `07700 9${n.slice(-4)}${run.length % 10}` },
      { kind: 'plate', value: `FT${n} ${run.slice(0, 3)}` },
      { kind: 'email', value: `seller.${run}.${i}@example.net` },
      { kind: 'handle', value: `@ft_${run}_${i}` },
    ],
  };
}

export function startLoad(options: LoadOptions): Load {
  const record: LoadRecord = { sent: 0, ok: 0, unanswered: 0, statuses: {}, reports: [], signatures: [], confirmed: [], violations: [] };
  const confirming = new Set<string>();
  let stopped = false;
  let next = 0;
  let turn = 0;

  async function send(path: string, body: unknown): Promise<{ status: number; json: () => unknown } | undefined> {
    const targets = options.targets();
    if (targets.length === 0) {
      await sleep(50);
      return undefined;
    }
    const target = targets[turn++ % targets.length]!;
    record.sent += 1;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${target}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      text = await response.text();
    } catch {
      record.unanswered += 1;
      return undefined;
    }
    if (response.status >= 200 && response.status < 300) record.ok += 1;
    else record.statuses[response.status] = (record.statuses[response.status] ?? 0) + 1;
    if (response.status >= 500 && !(response.status === 503 && Number(response.headers.get('retry-after')) > 0)) record.violations.push(`${path}: ${response.status} ${text.slice(0, 200)}`);
    else if (response.status >= 400 && response.status !== 503) record.violations.push(`${path}: unexpected ${response.status} ${text.slice(0, 200)}`);
    if (LEAKS.test(text)) record.violations.push(`${path}: ${response.status} leaks internals: ${text.slice(0, 200)}`);
    return { status: response.status, json: () => JSON.parse(text) };
  }

  /** A confirmation e-mail that arrived and has not been followed yet. */
  function nextConfirmation(): { email: string; token: string } | undefined {
    for (const mail of options.mailbox.messages) {
      const email = mail.to[0];
      if (!email || confirming.has(email) || !email.includes(options.run) || !/Confirm your signature/.test(mail.subject)) continue;
      confirming.add(email);
      return { email, token: linkFrom(mail.text, '/declarations/confirm/').split('/').pop()! };
    }
    return undefined;
  }

  async function one(i: number): Promise<void> {
    const kind = i % 3;
    if (kind === 2) {
      const confirmation = nextConfirmation();
      if (confirmation) {
        const answer = await send('/api/v1/declaration-signatures/confirm', { token: confirmation.token });
        if (answer?.status === 200 && (answer.json() as { status: string }).status === 'confirmed') record.confirmed.push(confirmation.email);
        // Unanswered: the link is still good and is followed again later.
        else if (!answer) confirming.delete(confirmation.email);
        return;
      }
    }
    if (kind === 0) {
      const answer = await send('/api/v1/reports', reportBody(options.run, i));
      if (answer?.status === 201) record.reports.push(answer.json() as { reference: string; receiptCode: string });
      return;
    }
    const email = `signer.${options.run}.${i}@example.org`;
    const answer = await send(`/api/v1/declarations/${SLUG}/signatures`, { name: `Signer ${i}`, email, country: i % 2 ? 'GB' : 'FR' });
    if (answer?.status === 202) record.signatures.push(email);
  }

  const lanes = Array.from({ length: options.concurrency }, async () => {
    while (!stopped) await one(next++);
  });
  return {
    record,
    async stop() {
      stopped = true;
      await Promise.all(lanes);
      return record;
    },
  };
}

/** Follows the confirmation links that arrived after the load stopped (none may be left unfollowed). */
export async function confirmRemaining(load: LoadRecord, mailbox: Mailbox, target: string, run: string): Promise<void> {
  const done = new Set(load.confirmed);
  for (const mail of mailbox.messages) {
    const email = mail.to[0];
    if (!email || done.has(email) || !email.includes(run) || !/Confirm your signature/.test(mail.subject)) continue;
    const token = linkFrom(mail.text, '/declarations/confirm/').split('/').pop()!;
    const response = await fetch(`${target}/api/v1/declaration-signatures/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    const body = (await response.json()) as { status?: string };
    if (response.status === 200 && body.status === 'confirmed') load.confirmed.push(email);
    done.add(email);
  }
}
