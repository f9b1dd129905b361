/**
 * Connection requests: a coordinator whose report is linked to reports they may not see asks a
 * national coordinator of their report's country to connect them with those reports' holders. An
 * approval lets the requester see those linked reports' facts and sanitised summaries (each showing
 * audited, links.ts); a refusal changes nothing. No content crosses a group boundary without this
 * decision. The country's national coordinators are e-mailed that a request waits, and the requester
 * when it is decided (connection-mail.ts: a link, no content). A requester has at most one pending
 * request per report, however many identical requests arrive at once: one is stored and e-mailed,
 * the others are answered "already pending".
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { decide } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import { conflict, forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { reportBasics } from '../reports/index.ts';
import { nationalDecision, sightOf } from './access.ts';
import { mailRequestDecided, mailRequestWaiting } from './connection-mail.ts';
import { reportForReviewer, toLinkedReport, TWO_FACTOR, type CorrelationDeps, type LinkedReport } from './links.ts';
import * as store from './store.ts';

export const MAX_REASON = 2000;

export interface ConnectionRequestView {
  id: string;
  status: string;
  country: string;
  reason: string;
  createdAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  /** The requester's report, and the linked reports they asked to be connected to (for the national coordinator, who may see them). */
  report: LinkedReport | null;
  linkedReports: LinkedReport[];
  requester: { id: string };
}

export async function requestConnection(deps: CorrelationDeps, actor: UserActor, reportId: string, input: { reason?: unknown }): Promise<Outcome<{ id: string; status: string; reports: number }>> {
  const found = await reportForReviewer(deps, actor, reportId, 'reports.grade');
  if (!found.ok) return found;
  const report = found.value;
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  const errors: FieldErrors = {};
  if (reason === '') errors.reason = 'correlation.errors.reasonRequired';
  else if (reason.length > MAX_REASON) errors.reason = 'correlation.errors.reasonTooLong';
  if (Object.keys(errors).length > 0) return invalid(errors);
  const links = await store.linksOf(deps.db, report.id);
  const others = await reportBasics(
    deps.db,
    links.filter((l) => l.status !== 'dismissed').map((l) => (l.report_a === report.id ? l.report_b : l.report_a)),
  );
  const sights = await sightOf(deps.db, actor, others);
  // Only reports of the requester's country: its national coordinators decide the request, and they
  // may neither see nor open another country's reports (those stay a count).
  const hidden = others.filter((o) => sights.get(o.id)!.via === 'none' && o.country === report.country).map((o) => o.id);
  if (hidden.length === 0) return conflict('correlation.errors.nothingHidden');
  const mine = await store.requestsBy(deps.db, actor.userId, report.id);
  if (mine.some((r) => r.status === 'pending')) return conflict('correlation.errors.requestPending');
  try {
    const row = await deps.db.transaction().execute(async (trx) => {
      const inserted = await store.insertRequest(trx, { requesterId: actor.userId, reportId: report.id, linkedReports: hidden, country: report.country, reason });
      await appendAudit(trx, { actorId: actor.userId, action: 'correlation.connection-requested', subject: `connection-request:${inserted.id}`, detail: { report: report.id, reports: hidden.length } });
      await mailRequestWaiting(deps, trx, { country: report.country, requesterId: actor.userId });
      return inserted;
    });
    return ok({ id: row.id, status: row.status, reports: hidden.length });
  } catch (error) {
    // Two identical requests at once both pass the check above; the database lets one in (migration
    // 0027) and the other's transaction rolls back before its audit entry and e-mail, so it is
    // answered exactly as the check answers it.
    if (isSecondPending(error)) return conflict('correlation.errors.requestPending');
    throw error;
  }
}

const ONE_PENDING = 'connection_requests_one_pending';

/** A unique violation of the one-pending-request index (both drivers name the index in the message). */
function isSecondPending(error: unknown): boolean {
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  return code === '23505' && (constraint === ONE_PENDING || (typeof message === 'string' && message.includes(ONE_PENDING)));
}

async function toView(deps: CorrelationDeps, actor: UserActor, row: store.RequestRow): Promise<ConnectionRequestView> {
  const found = await reportBasics(deps.db, [row.report_id, ...row.linked_reports]);
  // Shown only as far as the reader may review them (a request never shows another country's report).
  const sights = await sightOf(deps.db, actor, found);
  const reports = found.filter((r) => sights.get(r.id)?.via === 'reviewer');
  const byId = new Map(reports.map((r) => [r.id, r]));
  const own = byId.get(row.report_id);
  return {
    id: row.id,
    status: row.status,
    country: row.country,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
    decisionNote: row.decision_note,
    report: own ? await toLinkedReport(deps.db, own, 'reviewer') : null,
    linkedReports: await Promise.all(row.linked_reports.filter((id) => byId.has(id)).map((id) => toLinkedReport(deps.db, byId.get(id)!, 'reviewer'))),
    requester: { id: row.requester_id },
  };
}

/** A country's connection requests, for its national coordinators (pending first when `status` is not given). */
export async function listConnectionRequests(deps: CorrelationDeps, actor: UserActor, country: string, status?: string): Promise<Outcome<ConnectionRequestView[]>> {
  const cc = country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(cc)) return notFound();
  const verdict = nationalDecision(actor, cc);
  // Reading requests is reading (reports:read is enough for a token); the decision needs reports:write.
  const readVerdict = verdict === 'allowed' ? verdict : decide(actor, 'reports.review', { country: cc });
  if (readVerdict === 'needs-two-factor') return forbidden(TWO_FACTOR);
  if (readVerdict !== 'allowed') return notFound();
  if (status !== undefined && status !== '' && !['pending', 'approved', 'refused'].includes(status)) return invalid({ status: 'correlation.errors.requestStatus' });
  const rows = await store.requestsOfCountry(deps.db, cc, (status || undefined) as 'pending' | undefined);
  return ok(await Promise.all(rows.map((row) => toView(deps, actor, row))));
}

export async function decideConnection(deps: CorrelationDeps, actor: UserActor, requestId: string, input: { decision?: unknown; note?: unknown }): Promise<Outcome<{ id: string; status: string }>> {
  if (!isUuid(requestId)) return notFound();
  const decision = input.decision;
  const note = typeof input.note === 'string' && input.note.trim() !== '' ? input.note.trim() : null;
  return deps.db.transaction().execute(async (trx): Promise<Outcome<{ id: string; status: string }>> => {
    const request = await store.findRequest(trx, requestId, { forUpdate: true });
    if (!request) return notFound();
    const verdict = nationalDecision(actor, request.country);
    if (verdict === 'needs-two-factor') return forbidden(TWO_FACTOR);
    if (verdict !== 'allowed') return notFound();
    if (decision !== 'approve' && decision !== 'refuse') return invalid({ decision: 'correlation.errors.decision' });
    if (note !== null && note.length > MAX_REASON) return invalid({ note: 'correlation.errors.reasonTooLong' });
    if (request.status !== 'pending') return conflict('correlation.errors.alreadyDecided');
    const status = decision === 'approve' ? 'approved' : 'refused';
    await store.decideRequest(trx, request.id, status, actor.userId, note);
    await appendAudit(trx, { actorId: actor.userId, action: `correlation.connection-${status}`, subject: `connection-request:${request.id}`, detail: { requester: request.requester_id, reports: request.linked_reports.length } });
    await mailRequestDecided(deps, trx, { requesterId: request.requester_id, reportId: request.report_id, status });
    return ok({ id: request.id, status });
  });
}
