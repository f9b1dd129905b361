/**
 * What the sharing module may take from a report, and the one move it owns: graded → shared.
 *
 * Guarantees: only a reviewer of the report gets it (reportFor: not-found otherwise); only a graded
 * (or already shared) report may be disclosed; what comes out is the sanitised summary and the grade,
 * never the reporter's words, contact or place name. The precise point and identifiers in clear are
 * opened here so the sharing module can decide what its partnership allows; opening them is audited.
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { appendAudit } from '../../core/audit.ts';
import { conflict, ok, type Outcome } from '../../core/outcome.ts';
import { reportFor } from './review-access.ts';
import * as reviewStore from './review-store.ts';
import * as store from './store.ts';
import type { ReportsDeps } from './submission.ts';
import type { IdentifierKind } from './tables.ts';

export interface DisclosableReport {
  id: string;
  reference: string;
  groupId: string | null;
  country: string;
  receivedOn: string;
  status: 'graded' | 'shared';
  grade: { source: number; assessment: string; handling: 'P' | 'C'; conditions: string | null };
  priority: string | null;
  summary: string;
  placeType: string | null;
  observedFrom: string | null;
  observedTo: string | null;
  exploitationTypes: string[];
  indicators: string[];
  peopleCount: number | null;
  h3Cell: string | null;
  /** The precise point, for the sharing module to give only where the partnership allows it. */
  point: { lat: number; lon: number } | null;
  /** Identifiers in their normalised form, for the sharing module to give only where the agreement covers their kind. */
  identifiers: { kind: IdentifierKind; value: string }[];
}

/** A graded report the actor reviews, ready to be disclosed. The read of restricted fields is audited. */
export async function disclosableReport(deps: Pick<ReportsDeps, 'db' | 'sealer'>, actor: UserActor, reportId: string): Promise<Outcome<DisclosableReport>> {
  const found = await reportFor(deps, actor, reportId, 'reports.review');
  if (!found.ok) return found;
  const report = found.value;
  if ((report.status !== 'graded' && report.status !== 'shared') || report.grade_source === null || !report.summary) return conflict();
  const identifiers = await Promise.all(
    (await store.identifiersOf(deps.db, report.id)).map(async (row) => {
      const opened = JSON.parse(await deps.sealer.unseal(row.value_sealed)) as { value: string; normalised: string };
      return { kind: row.kind, value: opened.normalised || opened.value };
    }),
  );
  const location = report.location_sealed ? (JSON.parse(await deps.sealer.unseal(report.location_sealed)) as { lat?: number; lon?: number }) : null;
  await appendAudit(deps.db, { actorId: actor.userId, action: 'report.read', subject: `report:${report.id}`, detail: { fields: 'restricted', for: 'disclosure' } });
  return ok({
    id: report.id,
    reference: report.reference,
    groupId: report.group_id,
    country: report.country,
    receivedOn: report.received_day,
    status: report.status,
    grade: { source: report.grade_source, assessment: report.grade_assessment!, handling: report.grade_handling as 'P' | 'C', conditions: report.handling_conditions },
    priority: report.priority,
    summary: report.summary,
    placeType: report.place_type,
    observedFrom: report.observed_from_day,
    observedTo: report.observed_to_day,
    exploitationTypes: report.exploitation_types,
    indicators: report.indicators,
    peopleCount: report.people_count,
    h3Cell: report.h3_cell,
    point: location && typeof location.lat === 'number' && typeof location.lon === 'number' ? { lat: location.lat, lon: location.lon } : null,
    identifiers,
  });
}

/**
 * graded → shared, inside the sharing module's transaction (pass it as `deps.db`): a history row
 * naming the disclosure and an audit entry, ids only. A report already shared gets the history row
 * only. Anything else is a conflict.
 */
export async function markReportShared(deps: Pick<ReportsDeps, 'db'>, actor: UserActor, reportId: string, disclosureId: string): Promise<Outcome<{ status: 'shared' }>> {
  const found = await reportFor(deps, actor, reportId, 'reports.grade', { forUpdate: true });
  if (!found.ok) return found;
  const report = found.value;
  if (report.status !== 'graded' && report.status !== 'shared') return conflict();
  const moves = report.status === 'graded';
  if (moves) await reviewStore.updateReport(deps.db, report.id, { status: 'shared' });
  const eventId = await reviewStore.insertEvent(deps.db, {
    reportId: report.id,
    actorId: actor.userId,
    kind: 'shared',
    fromStatus: moves ? report.status : null,
    toStatus: moves ? 'shared' : null,
    detail: { disclosureId },
    noteSealed: null,
  });
  await appendAudit(deps.db, { actorId: actor.userId, action: 'report.shared', subject: `report:${report.id}`, detail: { eventId, disclosureId, ...(moves ? { from: 'graded', to: 'shared' } : {}) } });
  return ok({ status: 'shared' });
}
