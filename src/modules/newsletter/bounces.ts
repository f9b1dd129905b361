/**
 * Addresses that must not be mailed again: hard bounces and complaints, from a mail provider's
 * webhook or from messages arriving at the bounce address (delivery status notifications, RFC 3464;
 * abuse feedback reports, RFC 5965). Also the mailto: unsubscribe of List-Unsubscribe: a message whose
 * subject carries an unsubscribe token. Soft bounces (4.x.x, delayed) suppress nothing.
 */
import { appendAudit } from '../../core/audit.ts';
import { ok, type Outcome } from '../../core/outcome.ts';
import { checkAddress } from './address.ts';
import { prepare, type NewsletterDeps } from './deps.ts';
import * as store from './store.ts';
import { unsubscribe } from './subscription.ts';
import type { SuppressionReason } from './tables.ts';

export interface BounceEvent {
  type: 'hard-bounce' | 'soft-bounce' | 'complaint';
  email: string;
}

/** Suppresses the addresses of hard bounces and complaints; returns how many were suppressed and ignored. */
export async function recordBounces(base: NewsletterDeps, events: BounceEvent[]): Promise<Outcome<{ suppressed: number; ignored: number }>> {
  const deps = prepare(base);
  let suppressed = 0;
  let ignored = 0;
  for (const event of events) {
    const address = checkAddress(event.email);
    if (event.type === 'soft-bounce' || !address.ok) {
      ignored += 1;
      continue;
    }
    await deps.db.transaction().execute(async (trx) => {
      await store.suppress(trx, deps.emailHash(address.address), event.type as SuppressionReason);
      // The audit entry names no address: only that one was suppressed, and why.
      await appendAudit(trx, { actorId: null, action: 'newsletter.suppressed', subject: null, detail: { reason: event.type } });
    });
    suppressed += 1;
  }
  return ok({ suppressed, ignored });
}

// ---------------------------------------------------------------- reading inbound messages

interface Part {
  headers: Map<string, string>;
  body: string;
}

function splitHeaders(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = (end === -1 ? text : text.slice(0, end)).replace(/\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    }
  }
  return { headers, body: end === -1 ? '' : text.slice(end + 2) };
}

function parameter(header: string | undefined, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header ?? '');
  return match ? (match[1] ?? match[2]) : undefined;
}

/** The parts of a multipart body, nested multiparts flattened; a single part for anything else. */
function parts(part: Part, depth = 0): Part[] {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const boundary = parameter(type, 'boundary');
  if (!/^multipart\//i.test(type) || !boundary || depth > 5) return [part];
  const pieces = part.body.split(`--${boundary}`).slice(1);
  return pieces.filter((piece) => !piece.startsWith('--')).flatMap((piece) => parts(splitHeaders(piece.replace(/^[ \t]*\n/, '')), depth + 1));
}

/** Field blocks of a message/delivery-status or feedback-report body (blank-line separated). */
function fieldBlocks(body: string): Map<string, string>[] {
  return body
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((block) => splitHeaders(`${block}\n\n`).headers)
    .filter((fields) => fields.size > 0);
}

const addressIn = (value: string | undefined) => {
  const match = /(?:rfc822\s*;\s*)?<?([^\s<>;]+@[^\s<>;]+)>?/i.exec(value ?? '');
  return match?.[1];
};

export type InboundMeaning =
  | { kind: 'bounce'; events: BounceEvent[] }
  | { kind: 'unsubscribe'; token: string }
  | { kind: 'unknown' };

/**
 * What an inbound message means: a delivery status notification (its failed recipients with a 5.x.x
 * status are hard bounces), an abuse report (a complaint about the original recipient), or a mailto:
 * unsubscribe (subject "unsubscribe <token>").
 */
export function readInbound(raw: string): InboundMeaning {
  const top = splitHeaders(raw);
  const unsubscribeMatch = /^\s*unsubscribe\s+([pu]\d{1,9}\.[0-9a-f-]{36}\.\d{1,7}\.[\w-]{24})\s*$/i.exec(top.headers.get('subject') ?? '');
  if (unsubscribeMatch) return { kind: 'unsubscribe', token: unsubscribeMatch[1]! };
  const all = parts(top);
  const status = all.find((p) => /^message\/(global-)?delivery-status/i.test(p.headers.get('content-type') ?? ''));
  if (status) {
    const events: BounceEvent[] = [];
    for (const fields of fieldBlocks(status.body)) {
      const recipient = addressIn(fields.get('final-recipient') ?? fields.get('original-recipient'));
      const action = (fields.get('action') ?? '').toLowerCase();
      const code = /^\s*([245])\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '')?.[1];
      if (!recipient || !action) continue;
      events.push({ type: action === 'failed' && code === '5' ? 'hard-bounce' : 'soft-bounce', email: recipient });
    }
    return events.length > 0 ? { kind: 'bounce', events } : { kind: 'unknown' };
  }
  const feedback = all.find((p) => /^message\/feedback-report/i.test(p.headers.get('content-type') ?? ''));
  if (feedback) {
    const fields = fieldBlocks(feedback.body)[0];
    const original = all.find((p) => /^(message\/rfc822|text\/rfc822-headers)/i.test(p.headers.get('content-type') ?? ''));
    const recipient = addressIn(fields?.get('original-rcpt-to')) ?? addressIn(original ? splitHeaders(original.body).headers.get('to') : undefined);
    if (recipient && /abuse|fraud/i.test(fields?.get('feedback-type') ?? '')) return { kind: 'bounce', events: [{ type: 'complaint', email: recipient }] };
  }
  return { kind: 'unknown' };
}

/** Acts on an inbound message; returns what it was taken for. */
export async function handleInbound(deps: NewsletterDeps, raw: string): Promise<Outcome<{ kind: InboundMeaning['kind']; suppressed: number }>> {
  const meaning = readInbound(raw);
  if (meaning.kind === 'bounce') {
    const outcome = await recordBounces(deps, meaning.events);
    return ok({ kind: 'bounce', suppressed: outcome.ok ? outcome.value.suppressed : 0 });
  }
  if (meaning.kind === 'unsubscribe') {
    await unsubscribe(deps, meaning.token);
    return ok({ kind: 'unsubscribe', suppressed: 0 });
  }
  return ok({ kind: 'unknown', suppressed: 0 });
}
