/**
 * The review loop: a group's work queue and a country's national inbox, and what reviewers do to a
 * report — triage, assign, note, grade, merge, reject, close, reopen.
 *
 * Guarantees: access is decided by reportFor (not-found for anyone who may not know the report
 * exists, forbidden for a read-only token); a status only moves along ALLOWED; every change is one
 * transaction holding the change, a report_events row and an audit entry that names ids only; notes
 * are sealed; queue lines carry no restricted field. Reporters' views (submission.ts) never show
 * grades, notes or who holds the report.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { decide } from '../../core/auth/authorise.ts';
import { loadRoles } from '../../core/auth/store.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import { conflict, forbidden, invalid, notFound, ok, type Failure, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { displayNames } from '../accounts/index.ts';
import { groupBasics, membershipOf } from '../groups/index.ts';
import { getReport, isUuid, reportFor, reviewDecision, TWO_FACTOR_FOR_REPORTS, type ReportRow, type ReviewView } from './review-access.ts';
import * as reviewStore from './review-store.ts';
import { summaryWarnings, type SummaryWarning } from './review-summary-check.ts';
import * as store from './store.ts';
import type { ReportsDeps } from './submission.ts';
import { PRIORITIES, STATUSES, type EventKind, type Priority, type ReportStatus } from './tables.ts';

export type { SummaryWarning } from './review-summary-check.ts';

export const QUEUE_PAGE_SIZE = 50;
export const MAX_NOTE_LENGTH = 5000;
export const MAX_SUMMARY_LENGTH = 5000;
export const MAX_CONDITIONS_LENGTH = 2000;

// ---------------------------------------------------------------- work queues

export interface QueueQuery {
  status?: string | undefined;
  exploitationType?: string | undefined;
  indicator?: string | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  placeType?: string | undefined;
  /** 'me': only reports assigned to the caller. */
  assigned?: string | undefined;
  unread?: boolean | string | undefined;
  /** The `next` of the previous page. */
  after?: string | undefined;
}

export interface QueueItem {
  id: string;
  reference: string;
  receivedOn: string;
  status: ReportStatus;
  placeType: string | null;
  exploitationTypes: string[];
  indicatorCount: number;
  identifierCount: number;
  priority: Priority | null;
  /** Written as "2/B/P". */
  grade: string | null;
  assignedTo: string | null;
  unreadAdditions: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TAXONOMY_ID = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/;
const isDay = (value: string) => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

const encodeCursor = (cursor: reviewStore.QueueCursor) => `${cursor.day}_${cursor.id}`;
function decodeCursor(value: string): reviewStore.QueueCursor | undefined {
  const [day, id, ...rest] = value.split('_');
  return rest.length === 0 && day && id && isDay(day) && isUuid(id) ? { day, id: id.toLowerCase() } : undefined;
}

function checkQueueQuery(actor: UserActor, query: QueueQuery): { ok: true; filters: reviewStore.QueueFilters; cursor: reviewStore.QueueCursor | undefined } | Failure {
  const errors: FieldErrors = {};
  const filters: reviewStore.QueueFilters = {};
  const blank = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const status = blank(query.status);
  if (status !== undefined) {
    if ((STATUSES as readonly string[]).includes(status)) filters.status = status as ReportStatus;
    else errors.status = 'reports.review.errors.filterStatus';
  }
  for (const field of ['exploitationType', 'indicator', 'placeType'] as const) {
    const value = blank(query[field]);
    if (value === undefined) continue;
    if (value.length <= 80 && TAXONOMY_ID.test(value)) filters[field] = value;
    else errors[field] = 'reports.review.errors.filterId';
  }
  for (const field of ['receivedFrom', 'receivedTo'] as const) {
    const value = blank(query[field]);
    if (value === undefined) continue;
    if (isDay(value)) filters[field] = value;
    else errors[field] = 'reports.review.errors.filterDate';
  }
  const assigned = blank(query.assigned);
  if (assigned === 'me') filters.assignedTo = actor.userId;
  else if (assigned !== undefined) errors.assigned = 'reports.review.errors.filterAssigned';
  if (query.unread === true || query.unread === 'true' || query.unread === 'on') filters.unreadOnly = true;
  const after = blank(query.after);
  const cursor = after === undefined ? undefined : decodeCursor(after);
  if (after !== undefined && !cursor) errors.after = 'reports.review.errors.cursor';
  return Object.keys(errors).length > 0 ? invalid(errors) : { ok: true, filters, cursor };
}

const gradeText = (row: { grade_source: number | null; grade_assessment: string | null; grade_handling: string | null }) =>
  row.grade_source === null ? null : `${row.grade_source}/${row.grade_assessment}/${row.grade_handling}`;

async function queue(deps: Pick<ReportsDeps, 'db'>, actor: UserActor, holder: { groupId: string } | { country: string }, query: QueueQuery): Promise<Outcome<QueuePage>> {
  const checked = checkQueueQuery(actor, query);
  if (!checked.ok) return checked;
  const rows = await reviewStore.queuePage(deps.db, holder, checked.filters, checked.cursor, QUEUE_PAGE_SIZE + 1);
  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  const last = page.at(-1);
  return ok({
    items: page.map((row) => ({
      id: row.id,
      reference: row.reference,
      receivedOn: row.received_on,
      status: row.status,
      placeType: row.place_type,
      exploitationTypes: row.exploitation_types,
      indicatorCount: row.indicator_count,
      identifierCount: row.identifier_count,
      priority: row.priority,
      grade: gradeText(row),
      assignedTo: row.assigned_to,
      unreadAdditions: row.unread_additions,
    })),
    next: rows.length > QUEUE_PAGE_SIZE && last ? encodeCursor({ day: last.received_on, id: last.id }) : null,
  });
}

/** A group's work queue, for its coordinators and national coordinators of its country; not-found for anyone else. */
export async function listGroupReports(deps: Pick<ReportsDeps, 'db'>, actor: UserActor, groupId: string, query: QueueQuery = {}): Promise<Outcome<QueuePage & { group: { id: string; name: string; country: string } }>> {
  const group = await groupBasics(deps.db, groupId);
  if (!group) return notFound();
  const verdict = await reviewDecision(deps, actor, { groupId: group.id, country: group.country }, 'reports.review');
  if (verdict === 'needs-two-factor') return forbidden(TWO_FACTOR_FOR_REPORTS);
  if (verdict === 'denied') return notFound();
  const page = await queue(deps, actor, { groupId: group.id }, query);
  return page.ok ? ok({ ...page.value, group: { id: group.id, name: group.name, country: group.country } }) : page;
}

/** Reports of a country that no group covers, for that country's national coordinators. */
export async function listNationalInbox(deps: Pick<ReportsDeps, 'db'>, actor: UserActor, country: string, query: QueueQuery = {}): Promise<Outcome<QueuePage>> {
  const code = country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return notFound();
  const verdict = decide(actor, 'reports.review', { country: code });
  if (verdict === 'needs-two-factor') return forbidden(TWO_FACTOR_FOR_REPORTS);
  if (verdict === 'denied') return notFound();
  return queue(deps, actor, { country: code }, query);
}

// ---------------------------------------------------------------- opening a report and its history

export interface HistoryEntry {
  id: string;
  kind: EventKind;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus | null;
  actorId: string | null;
  actorName: string | null;
  detail: Record<string, unknown> | null;
  note: string | null;
  at: string;
}

async function historyOf(deps: ReportsDeps, reportId: string): Promise<HistoryEntry[]> {
  const events = await store.eventsOf(deps.db, reportId);
  const names = await displayNames(deps.db, [...new Set(events.flatMap((event) => (event.actor_id ? [event.actor_id] : [])))]);
  return Promise.all(
    events.map(async (event) => ({
      id: event.id,
      kind: event.kind,
      fromStatus: event.from_status,
      toStatus: event.to_status,
      actorId: event.actor_id,
      actorName: event.actor_id ? (names.get(event.actor_id) ?? null) : null,
      detail: (event.detail as Record<string, unknown> | null) ?? null,
      note: event.note_sealed === null ? null : await deps.sealer.unseal(event.note_sealed),
      at: new Date(event.created_at).toISOString(),
    })),
  );
}

/** A report's review history, notes opened; the read is audited. */
export async function reportHistory(deps: ReportsDeps, actor: UserActor, reportId: string): Promise<Outcome<HistoryEntry[]>> {
  const found = await reportFor(deps, actor, reportId, 'reports.review');
  if (!found.ok) return found;
  const history = await historyOf(deps, found.value.id);
  await appendAudit(deps.db, { actorId: actor.userId, action: 'report.history-read', subject: `report:${found.value.id}` });
  return ok(history);
}

export interface OpenedReport {
  report: ReviewView;
  history: HistoryEntry[];
  /** Display names of the people the page names (the assignee). */
  names: Map<string, string>;
  /** Whether the caller may change the report (a session, or a token with reports:write). */
  canChange: boolean;
  duplicateOfReference: string | null;
}

/** The report page: the full report (getReport audits the read and clears "unread additions"), its history. */
export async function openReport(deps: ReportsDeps, actor: UserActor, reportId: string): Promise<Outcome<OpenedReport>> {
  const viewed = await getReport(deps, actor, reportId);
  if (!viewed.ok) return viewed;
  const report = viewed.value;
  const [history, names, target] = await Promise.all([
    historyOf(deps, report.id),
    displayNames(deps.db, report.assignedTo ? [report.assignedTo] : []),
    report.duplicateOf ? store.findReport(deps.db, report.duplicateOf) : undefined,
  ]);
  const canChange = report.purgedOn === null && (await reportFor(deps, actor, report.id, 'reports.grade')).ok;
  return ok({ report, history, names, canChange, duplicateOfReference: target?.reference ?? null });
}

// ---------------------------------------------------------------- changes

export type ReviewAction = 'triage' | 'grade' | 'merge' | 'reject' | 'close' | 'reopen';

/** Where each action may start. Shared (graded → shared) belongs to the sharing loop. */
export const ALLOWED: Readonly<Record<ReviewAction, readonly ReportStatus[]>> = {
  triage: ['received'],
  grade: ['triaged', 'graded'],
  merge: ['received', 'triaged', 'graded'],
  reject: ['received', 'triaged', 'graded'],
  close: ['triaged', 'graded', 'shared'],
  reopen: ['closed', 'rejected'],
};

export const mayDo = (action: ReviewAction, status: ReportStatus) => ALLOWED[action].includes(status);

/** What a change returns: where the report now stands. */
export interface ReportState {
  id: string;
  reference: string;
  status: ReportStatus;
  assignedTo: string | null;
  duplicateOf: string | null;
}

type Trx = Kysely<Tables>;

const stateOf = (report: ReportRow, change: reviewStore.ReportChange = {}): ReportState => ({
  id: report.id,
  reference: report.reference,
  status: change.status ?? report.status,
  assignedTo: change.assigned_to !== undefined ? change.assigned_to : report.assigned_to,
  duplicateOf: change.duplicate_of !== undefined ? change.duplicate_of : report.duplicate_of,
});

/** Runs a change in one transaction, on the report locked for update, after reportFor has let the actor in. */
function change<R extends { ok: boolean }>(deps: ReportsDeps, actor: UserActor, reportId: string, run: (trx: Trx, report: ReportRow) => Promise<R | Failure>): Promise<R | Failure> {
  return deps.db.transaction().execute(async (trx) => {
    const found = await reportFor({ db: trx }, actor, reportId, 'reports.grade', { forUpdate: true });
    if (!found.ok) return found;
    // Reduced to statistics (retention): it stays as it is, and nothing restricted may be added back.
    if (found.value.purged_on !== null) return conflict('reports.review.errors.purged');
    return run(trx, found.value);
  });
}

/** Writes the change, its history row and its audit entry (ids only). */
async function record(
  deps: ReportsDeps,
  trx: Trx,
  actor: UserActor,
  report: ReportRow,
  kind: EventKind,
  changes: reviewStore.ReportChange,
  options: { detail?: Record<string, unknown>; note?: string | undefined; auditDetail?: Record<string, unknown> } = {},
): Promise<ReportState> {
  const toStatus = changes.status ?? null;
  if (Object.keys(changes).length > 0) await reviewStore.updateReport(trx, report.id, changes);
  const eventId = await reviewStore.insertEvent(trx, {
    reportId: report.id,
    actorId: actor.userId,
    kind,
    fromStatus: toStatus ? report.status : null,
    toStatus,
    detail: options.detail ?? null,
    noteSealed: options.note ? deps.sealer.seal(options.note) : null,
  });
  await appendAudit(trx, {
    actorId: actor.userId,
    action: `report.${kind}`,
    subject: `report:${report.id}`,
    detail: { eventId, ...(toStatus ? { from: report.status, to: toStatus } : {}), ...options.auditDetail },
  });
  return stateOf(report, changes);
}

const notAllowed = (action: ReviewAction) => conflict(`reports.review.errors.notAllowed.${action}`);

/** An optional note given with a decision (reject, close): trimmed, bounded. */
function optionalNote(note: string | undefined, field: string): { ok: true; note: string | undefined } | Failure {
  const text = note?.trim() || undefined;
  if (text && text.length > MAX_NOTE_LENGTH) return invalid({ [field]: 'reports.review.errors.noteTooLong' });
  return { ok: true, note: text };
}

/** received → triaged: someone has looked and the report is worth working on. */
export async function triageReport(deps: ReportsDeps, actor: UserActor, reportId: string): Promise<Outcome<ReportState>> {
  return change(deps, actor, reportId, async (trx, report) => {
    if (!mayDo('triage', report.status)) return notAllowed('triage');
    return ok(await record(deps, trx, actor, report, 'triaged', { status: 'triaged' }));
  });
}

/** Gives the report to a coordinator of its group (or a national coordinator of its country, for the national inbox), or to nobody. */
export async function assignReport(deps: ReportsDeps, actor: UserActor, reportId: string, assignee: string | null): Promise<Outcome<ReportState>> {
  return change(deps, actor, reportId, async (trx, report) => {
    if (assignee !== null) {
      if (!isUuid(assignee)) return invalid({ assignee: 'reports.review.errors.assignee' });
      const eligible = report.group_id
        ? (await membershipOf(trx, report.group_id, assignee)) === 'coordinator'
        : (await loadRoles(trx, assignee)).some((grant) => grant.role === 'national-coordinator' && grant.country === report.country);
      if (!eligible) return invalid({ assignee: 'reports.review.errors.assignee' });
    }
    const to = assignee?.toLowerCase() ?? null;
    if (to === report.assigned_to) return ok(stateOf(report));
    return ok(await record(deps, trx, actor, report, 'assigned', { assigned_to: to }, { detail: { assignee: to }, auditDetail: { assignee: to } }));
  });
}

/** An internal note: sealed, seen only by the report's reviewers, never by the reporter. */
export async function addNote(deps: ReportsDeps, actor: UserActor, reportId: string, note: string): Promise<Outcome<ReportState>> {
  return change(deps, actor, reportId, async (trx, report) => {
    const text = note.trim();
    if (text === '') return invalid({ note: 'reports.review.errors.noteRequired' });
    if (text.length > MAX_NOTE_LENGTH) return invalid({ note: 'reports.review.errors.noteTooLong' });
    return ok(await record(deps, trx, actor, report, 'noted', {}, { note: text }));
  });
}

export interface GradeInput {
  source: number | string | undefined;
  assessment: string | undefined;
  handling: string | undefined;
  conditions?: string | undefined;
  priority: string | undefined;
  summary: string | undefined;
  /** Save even though the summary seems to hold an identifier or the reporter's contact. */
  acknowledgeWarnings?: boolean | undefined;
}

export interface CheckedGrade {
  source: 1 | 2 | 3;
  assessment: 'A' | 'B' | 'C' | 'D' | 'E';
  handling: 'P' | 'C';
  conditions: string | null;
  priority: Priority;
  summary: string;
}

/** The 3x5x2 grade, priority and sanitised summary; the same rules for the form and the API. */
export function checkGrade(input: GradeInput): { ok: true; value: CheckedGrade } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const source = Number(input.source);
  if (![1, 2, 3].includes(source)) errors.source = 'reports.review.errors.source';
  const assessment = input.assessment?.trim().toUpperCase() ?? '';
  if (!['A', 'B', 'C', 'D', 'E'].includes(assessment)) errors.assessment = 'reports.review.errors.assessment';
  const handling = input.handling?.trim().toUpperCase() ?? '';
  if (!['P', 'C'].includes(handling)) errors.handling = 'reports.review.errors.handling';
  const conditions = input.conditions?.trim() || null;
  if (handling === 'C' && !conditions) errors.conditions = 'reports.review.errors.conditionsRequired';
  else if (conditions && conditions.length > MAX_CONDITIONS_LENGTH) errors.conditions = 'reports.review.errors.conditionsTooLong';
  const priority = input.priority?.trim() ?? '';
  if (!(PRIORITIES as readonly string[]).includes(priority)) errors.priority = 'reports.review.errors.priority';
  const summary = input.summary?.trim() ?? '';
  if (summary === '') errors.summary = 'reports.review.errors.summaryRequired';
  else if (summary.length > MAX_SUMMARY_LENGTH) errors.summary = 'reports.review.errors.summaryTooLong';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      source: source as CheckedGrade['source'],
      assessment: assessment as CheckedGrade['assessment'],
      handling: handling as CheckedGrade['handling'],
      conditions: handling === 'C' ? conditions : null,
      priority: priority as Priority,
      summary,
    },
  };
}

/** The summary holds something that may identify a person; nothing was saved. */
export interface SummaryWarnings {
  ok: false;
  reason: 'warnings';
  warnings: SummaryWarning[];
}

/**
 * Grades a triaged (or re-grades a graded) report. A grade is never saved without a summary; a
 * summary that seems to hold the report's identifiers or the reporter's contact comes back as
 * warnings, and is saved only when the coordinator acknowledges them.
 */
export async function gradeReport(deps: ReportsDeps, actor: UserActor, reportId: string, input: GradeInput): Promise<Outcome<ReportState> | SummaryWarnings> {
  return change<Outcome<ReportState> | SummaryWarnings>(deps, actor, reportId, async (trx, report) => {
    if (!mayDo('grade', report.status)) return notAllowed('grade');
    const checked = checkGrade(input);
    if (!checked.ok) return invalid(checked.errors);
    const grade = checked.value;
    const identifiers = await Promise.all(
      (await store.identifiersOf(trx, report.id)).map(async (row) => ({ kind: row.kind, ...(JSON.parse(await deps.sealer.unseal(row.value_sealed)) as { value: string; normalised: string }) })),
    );
    const contact = report.contact_sealed ? await deps.sealer.unseal(report.contact_sealed) : null;
    const names = report.names_sealed ? (JSON.parse(await deps.sealer.unseal(report.names_sealed)) as string[]) : [];
    // Checking opened the identifiers, the names and the contact: a read of restricted fields, audited either way.
    await appendAudit(trx, { actorId: actor.userId, action: 'report.summary-checked', subject: `report:${report.id}` });
    const warnings = summaryWarnings(grade.summary, identifiers, contact, names);
    if (warnings.length > 0 && input.acknowledgeWarnings !== true) return { ok: false, reason: 'warnings', warnings };
    const written = `${grade.source}/${grade.assessment}/${grade.handling}`;
    return ok(
      await record(
        deps,
        trx,
        actor,
        report,
        'graded',
        {
          status: 'graded',
          grade_source: grade.source,
          grade_assessment: grade.assessment,
          grade_handling: grade.handling,
          handling_conditions: grade.conditions,
          priority: grade.priority,
          summary: grade.summary,
          graded_by: actor.userId,
          graded_at: new Date(),
        },
        { detail: { grade: written, priority: grade.priority, ...(warnings.length > 0 ? { warningsAcknowledged: warnings.length } : {}) }, auditDetail: warnings.length > 0 ? { warningsAcknowledged: warnings.length } : {} },
      ),
    );
  });
}

const REFERENCE = /^R-[0-9A-Z]{8}$/;

/**
 * Marks the report as a duplicate of another the actor may also review (by id or reference). The
 * rows stay as they are — identifiers keep pointing at the report they came with — and the report
 * points at its target. A target the actor cannot see is answered like one that does not exist.
 */
export async function mergeReport(deps: ReportsDeps, actor: UserActor, reportId: string, target: string): Promise<Outcome<ReportState>> {
  return change(deps, actor, reportId, async (trx, report) => {
    if (!mayDo('merge', report.status)) return notAllowed('merge');
    const wanted = target.trim();
    const reference = wanted.toUpperCase();
    const targetId = isUuid(wanted) ? wanted.toLowerCase() : REFERENCE.test(reference) ? await reviewStore.findByReference(trx, reference) : undefined;
    if (!targetId) return invalid({ target: 'reports.review.errors.mergeTarget' });
    if (targetId === report.id) return invalid({ target: 'reports.review.errors.mergeSelf' });
    const other = await reportFor({ db: trx }, actor, targetId, 'reports.grade');
    if (!other.ok) return invalid({ target: 'reports.review.errors.mergeTarget' });
    if (other.value.status === 'duplicate') return invalid({ target: 'reports.review.errors.mergeIntoDuplicate' });
    return ok(await record(deps, trx, actor, report, 'merged', { status: 'duplicate', duplicate_of: targetId }, { detail: { duplicateOf: targetId, reference: other.value.reference }, auditDetail: { duplicateOf: targetId } }));
  });
}

/** An exit: not trafficking, not actionable, or malicious. The reporter sees "closed". */
export async function rejectReport(deps: ReportsDeps, actor: UserActor, reportId: string, note?: string): Promise<Outcome<ReportState>> {
  return change(deps, actor, reportId, async (trx, report) => {
    if (!mayDo('reject', report.status)) return notAllowed('reject');
    const checked = optionalNote(note, 'note');
    if (!checked.ok) return checked;
    return ok(await record(deps, trx, actor, report, 'rejected', { status: 'rejected' }, { note: checked.note }));
  });
}

/** The work on the report is done. */
export async function closeReport(deps: ReportsDeps, actor: UserActor, reportId: string, note?: string): Promise<Outcome<ReportState>> {
  return change(deps, actor, reportId, async (trx, report) => {
    if (!mayDo('close', report.status)) return notAllowed('close');
    const checked = optionalNote(note, 'note');
    if (!checked.ok) return checked;
    return ok(await record(deps, trx, actor, report, 'closed', { status: 'closed' }, { note: checked.note }));
  });
}

/** closed or rejected → triaged: new information, or a decision taken too early. The grade, if any, stays. */
export async function reopenReport(deps: ReportsDeps, actor: UserActor, reportId: string, note?: string): Promise<Outcome<ReportState>> {
  return change(deps, actor, reportId, async (trx, report) => {
    if (!mayDo('reopen', report.status)) return notAllowed('reopen');
    const checked = optionalNote(note, 'note');
    if (!checked.ok) return checked;
    return ok(await record(deps, trx, actor, report, 'reopened', { status: 'triaged' }, { note: checked.note }));
  });
}
