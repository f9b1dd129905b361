/**
 * Who may see and act on a report, and the full view a reviewer gets.
 *
 * A report belongs to its group (its coordinators review it) or, when no group covers the place, to
 * the national inbox of its country (national coordinators of that country review it). National
 * coordinators may also read group reports of their country. Anyone else — members, other groups'
 * coordinators, partners, administrators — gets not-found, so a report's existence is not revealed.
 * Opening a report reads restricted fields, so it writes an audit entry (who, which report, when).
 */
import { isUuid } from '../../core/validation.ts';
import type { UserActor } from '../../core/auth/actor.ts';
import { decide, type Permission } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import { forbidden, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { membershipOf } from '../groups/index.ts';
import { markAdditionsRead } from './review-store.ts';
import * as store from './store.ts';
import type { ReportsDeps } from './submission.ts';
import type { IdentifierKind, ReportStatus } from './tables.ts';

export { isUuid };

export type ReportRow = NonNullable<Awaited<ReturnType<typeof store.findReport>>>;

/** Why two-factor matters here, in the answer a coordinator without it gets. */
export const TWO_FACTOR_FOR_REPORTS = 'reports.errors.twoFactor';

/** The actor's standing for `permission` on reports held by this group, or by this country's national inbox. */
export async function reviewDecision(deps: Pick<ReportsDeps, 'db'>, actor: UserActor, holder: { groupId: string | null; country: string }, permission: Permission) {
  const role = holder.groupId ? await membershipOf(deps.db, holder.groupId, actor.userId) : undefined;
  return decide(actor, permission, { membership: role === 'coordinator' ? 'group-coordinator' : undefined, country: holder.country });
}

export async function mayReview(deps: Pick<ReportsDeps, 'db'>, actor: UserActor, holder: { groupId: string | null; country: string }, permission: Permission): Promise<boolean> {
  return (await reviewDecision(deps, actor, holder, permission)) === 'allowed';
}

/**
 * Loads a report the actor may act on. Not-found both for a report that does not exist and for one
 * the actor may not see; forbidden only when they may read it but not do `permission` (a read-only
 * token), or when they would be allowed but have not set up two-factor authentication.
 */
export async function reportFor(deps: Pick<ReportsDeps, 'db'>, actor: UserActor, reportId: string, permission: Permission, options: { forUpdate?: boolean } = {}): Promise<Outcome<ReportRow>> {
  if (!isUuid(reportId)) return notFound();
  const report = await store.findReport(deps.db, reportId, options);
  if (!report) return notFound();
  const holder = { groupId: report.group_id, country: report.country };
  const verdict = await reviewDecision(deps, actor, holder, permission);
  if (verdict === 'allowed') return ok(report);
  if (verdict === 'needs-two-factor') return forbidden(TWO_FACTOR_FOR_REPORTS);
  if (permission !== 'reports.review' && (await reviewDecision(deps, actor, holder, 'reports.review')) !== 'denied') return forbidden();
  return notFound();
}

export interface ReviewIdentifier {
  id: string;
  kind: IdentifierKind;
  value: string;
  normalised: string;
  unparsed: boolean;
  /** Added later by the reporter with their receipt code. */
  addedLater: boolean;
}

export interface ReviewView {
  id: string;
  reference: string;
  groupId: string | null;
  country: string;
  receivedOn: string;
  status: ReportStatus;
  duplicateOf: string | null;
  assignedTo: string | null;
  placeType: string | null;
  observedFrom: string | null;
  observedTo: string | null;
  observedTime: string | null;
  exploitationTypes: string[];
  indicators: string[];
  peopleCount: number | null;
  ageBands: string[];
  genders: string[];
  route: { origin: string[]; transit: string[]; destination: string[] };
  h3Cell: string | null;
  location: { lat?: number; lon?: number; place?: string } | null;
  account: string | null;
  vehicles: string | null;
  contact: string | null;
  contactConsent: boolean;
  /** Names heard or seen (restricted, opened here and audited with the rest). */
  names: string[];
  identifiers: ReviewIdentifier[];
  additions: { id: string; addedOn: string; account: string | null }[];
  grade: { source: number; assessment: string; handling: string; conditions: string | null; priority: string | null; summary: string | null; gradedAt: string | null } | null;
  unreadAdditions: boolean;
  reporterHasAccount: boolean;
  /** The day it was reduced to statistics (retention): its restricted fields are gone. Null until then. */
  purgedOn: string | null;
}

/** The full report for its reviewers, restricted fields opened. Writes the audit entry for the read; clears "unread additions". */
export async function getReport(deps: ReportsDeps, actor: UserActor, reportId: string): Promise<Outcome<ReviewView>> {
  const found = await reportFor(deps, actor, reportId, 'reports.review');
  if (!found.ok) return found;
  const report = found.value;
  const open = async (sealed: string | null) => (sealed === null ? null : deps.sealer.unseal(sealed));
  const [identifierRows, additionRows] = await Promise.all([store.identifiersOf(deps.db, report.id), store.additionsOf(deps.db, report.id)]);
  const identifiers = await Promise.all(
    identifierRows.map(async (row) => {
      const opened = JSON.parse(await deps.sealer.unseal(row.value_sealed)) as { value: string; normalised: string };
      return { id: row.id, kind: row.kind, value: opened.value, normalised: opened.normalised, unparsed: row.unparsed, addedLater: row.addition_id !== null };
    }),
  );
  const additions = await Promise.all(additionRows.map(async (row) => ({ id: row.id, addedOn: row.added_on, account: await open(row.narrative_sealed) })));
  const location = report.location_sealed ? (JSON.parse(await deps.sealer.unseal(report.location_sealed)) as ReviewView['location']) : null;
  await appendAudit(deps.db, { actorId: actor.userId, action: 'report.read', subject: `report:${report.id}`, detail: { fields: 'restricted' } });
  // A reviewer has now seen what the reporter added. Not a change by a coordinator: updated_at stays.
  if (report.unread_additions) await markAdditionsRead(deps.db, report.id);
  return ok({
    id: report.id,
    reference: report.reference,
    groupId: report.group_id,
    country: report.country,
    receivedOn: report.received_day,
    status: report.status,
    duplicateOf: report.duplicate_of,
    assignedTo: report.assigned_to,
    placeType: report.place_type,
    observedFrom: report.observed_from_day,
    observedTo: report.observed_to_day,
    observedTime: report.observed_time,
    exploitationTypes: report.exploitation_types,
    indicators: report.indicators,
    peopleCount: report.people_count,
    ageBands: report.age_bands,
    genders: report.genders,
    route: { origin: report.route_origin, transit: report.route_transit, destination: report.route_destination },
    h3Cell: report.h3_cell,
    location,
    account: await open(report.narrative_sealed),
    vehicles: await open(report.vehicles_sealed),
    contact: await open(report.contact_sealed),
    contactConsent: report.contact_consent,
    names: report.names_sealed ? (JSON.parse(await deps.sealer.unseal(report.names_sealed)) as string[]) : [],
    identifiers,
    additions,
    grade:
      report.grade_source !== null
        ? {
            source: report.grade_source,
            assessment: report.grade_assessment!,
            handling: report.grade_handling!,
            conditions: report.handling_conditions,
            priority: report.priority,
            summary: report.summary,
            gradedAt: report.graded_at ? new Date(report.graded_at).toISOString() : null,
          }
        : null,
    unreadAdditions: report.unread_additions,
    reporterHasAccount: report.reporter_id !== null,
    purgedOn: report.purged_day,
  });
}
