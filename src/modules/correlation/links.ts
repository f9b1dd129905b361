/**
 * A report's links, and the coordinator's decision on each (confirm or dismiss).
 *
 * Guarantees: only the report's reviewers list its links (others get not-found, as for the report);
 * a linked report they may not review shows as a count per reason ("this phone number also appears
 * in 2 reports held by other groups"), never its reference, group or content, unless a national
 * coordinator approved a connection for it — and then each showing is audited. A link is decided by
 * someone who may grade one side and see the other.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { Jobs } from '../../core/jobs.ts';
import { appendAudit } from '../../core/audit.ts';
import { forbidden, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { groupBasics } from '../groups/index.ts';
import { reportBasics, reportDecision, type ReportBasics } from '../reports/index.ts';
import { sightOf, type Sight } from './access.ts';
import * as store from './store.ts';
import type { LinkReason, LinkStatus } from './tables.ts';

export interface CorrelationDeps {
  db: Kysely<Tables>;
  /** Connection requests and decisions e-mail the people concerned through the queue. */
  jobs: Jobs;
  /** The site's address, for the links in those e-mails. */
  publicUrl: string;
}

export const TWO_FACTOR = 'correlation.errors.twoFactor';

/** A reason as shown: the blind index becomes a short opaque tag that groups links by identifier. */
export type ShownReason =
  | { method: 'exact'; kind: string; identifier: string }
  | { method: 'fuzzy'; field: string; dice: number }
  | { method: 'place-time'; placeType: string; days: number; near: string };

export const identifierTag = (index: string) => crypto.createHash('sha256').update(`tag:${index}`).digest('hex').slice(0, 8);

export const showReason = (reason: LinkReason): ShownReason => (reason.method === 'exact' ? { method: 'exact', kind: reason.kind, identifier: identifierTag(reason.index) } : reason);

export interface LinkedReport {
  id: string;
  reference: string;
  group: { id: string; name: string } | null;
  country: string;
  status: string;
  placeType: string | null;
  receivedOn: string;
  observedFrom: string | null;
  exploitationTypes: string[];
  grade: string | null;
  summary: string | null;
  /** How the caller may see it: as one of its reviewers, or through an approved connection. */
  access: 'reviewer' | 'connection';
}

export interface ShownLink {
  id: string;
  score: number;
  status: LinkStatus;
  exact: boolean;
  reasons: ShownReason[];
  other: LinkedReport;
  /** Whether the caller may confirm or dismiss it. */
  canDecide: boolean;
}

/** Linked reports the caller may not see, counted per reason. */
export interface HiddenCount {
  method: 'exact' | 'fuzzy' | 'place-time';
  /** Identifier kind (exact), field (fuzzy) or place type (place-time). */
  what: string;
  identifier: string | null;
  reports: number;
}

export interface ReportLinks {
  report: { id: string; reference: string; country: string };
  links: ShownLink[];
  hidden: HiddenCount[];
  /** Distinct linked reports the caller may not see. */
  hiddenReports: number;
  /** The caller's connection requests for this report, newest first. */
  requests: { id: string; status: string; createdAt: string; reports: number }[];
  /** The caller may send a connection request now (something is hidden and nothing is pending). */
  canRequest: boolean;
  /** The caller may make a network from this report's confirmed links (national coordinators). */
  canCreateNetwork: boolean;
}

async function reportForReviewer(deps: CorrelationDeps, actor: UserActor, reportId: string, permission: 'reports.review' | 'reports.grade'): Promise<Outcome<ReportBasics>> {
  if (!isUuid(reportId)) return notFound();
  const [report] = await reportBasics(deps.db, [reportId]);
  if (!report) return notFound();
  const verdict = await reportDecision(deps.db, actor, { groupId: report.groupId, country: report.country }, permission);
  if (verdict === 'allowed') return ok(report);
  if (verdict === 'needs-two-factor') return forbidden(TWO_FACTOR);
  // A reader without the write permission (a read-only token) is told so; others learn nothing.
  if (permission === 'reports.grade' && (await reportDecision(deps.db, actor, { groupId: report.groupId, country: report.country }, 'reports.review')) === 'allowed') return forbidden();
  return notFound();
}
export { reportForReviewer };

const groupNames = new Map<string, string>();
async function groupOf(db: Kysely<Tables>, groupId: string | null): Promise<{ id: string; name: string } | null> {
  if (!groupId) return null;
  let name = groupNames.get(groupId);
  if (name === undefined) {
    name = (await groupBasics(db, groupId))?.name ?? '';
    if (groupNames.size > 10_000) groupNames.clear();
    groupNames.set(groupId, name);
  }
  return { id: groupId, name };
}

export async function toLinkedReport(db: Kysely<Tables>, report: ReportBasics, access: 'reviewer' | 'connection'): Promise<LinkedReport> {
  return {
    id: report.id,
    reference: report.reference,
    group: await groupOf(db, report.groupId),
    country: report.country,
    status: report.status,
    placeType: report.placeType,
    receivedOn: report.receivedOn,
    observedFrom: report.observedFrom,
    exploitationTypes: report.exploitationTypes,
    grade: report.grade,
    summary: report.summary,
    access,
  };
}

/** Writes the audit entries for linked reports shown through a connection. */
async function auditReveals(db: Kysely<Tables>, actor: UserActor, shown: readonly { reportId: string; sight: Sight }[], context: string): Promise<void> {
  for (const { reportId, sight } of shown) {
    if (sight.via === 'connection') await appendAudit(db, { actorId: actor.userId, action: 'correlation.reveal', subject: `report:${reportId}`, detail: { request: sight.requestId, via: context } });
  }
}

export async function listReportLinks(deps: CorrelationDeps, actor: UserActor, reportId: string): Promise<Outcome<ReportLinks>> {
  const found = await reportForReviewer(deps, actor, reportId, 'reports.review');
  if (!found.ok) return found;
  const report = found.value;
  const rows = await store.linksOf(deps.db, report.id);
  const otherIds = rows.map((l) => (l.report_a === report.id ? l.report_b : l.report_a));
  const others = new Map((await reportBasics(deps.db, otherIds)).map((r) => [r.id, r]));
  const sights = await sightOf(deps.db, actor, [...others.values()]);
  const mayGrade = (await reportDecision(deps.db, actor, { groupId: report.groupId, country: report.country }, 'reports.grade')) === 'allowed';
  const links: ShownLink[] = [];
  const hiddenBy = new Map<string, HiddenCount & { ids: Set<string> }>();
  const hiddenIds = new Set<string>();
  for (const row of rows) {
    const otherId = row.report_a === report.id ? row.report_b : row.report_a;
    const other = others.get(otherId);
    if (!other) continue;
    const sight = sights.get(otherId) ?? { via: 'none' };
    if (sight.via === 'none') {
      // A dismissed link says nothing worth counting.
      if (row.status === 'dismissed') continue;
      hiddenIds.add(otherId);
      for (const reason of row.reasons) {
        const what = reason.method === 'exact' ? reason.kind : reason.method === 'fuzzy' ? reason.field : reason.placeType;
        const identifier = reason.method === 'exact' ? identifierTag(reason.index) : null;
        const key = `${reason.method}:${what}:${identifier ?? ''}`;
        const entry = hiddenBy.get(key) ?? { method: reason.method, what, identifier, reports: 0, ids: new Set<string>() };
        entry.ids.add(otherId);
        entry.reports = entry.ids.size;
        hiddenBy.set(key, entry);
      }
      continue;
    }
    links.push({ id: row.id, score: row.score, status: row.status, exact: row.exact, reasons: row.reasons.map(showReason), other: await toLinkedReport(deps.db, other, sight.via), canDecide: mayGrade });
  }
  await auditReveals(deps.db, actor, links.map((l) => ({ reportId: l.other.id, sight: sights.get(l.other.id)! })), `links:${report.id}`);
  const requests = await store.requestsBy(deps.db, actor.userId, report.id);
  const pending = requests.some((r) => r.status === 'pending');
  return ok({
    report: { id: report.id, reference: report.reference, country: report.country },
    links,
    hidden: [...hiddenBy.values()].map(({ ids: _ids, ...count }) => count).sort((a, b) => b.reports - a.reports || a.what.localeCompare(b.what)),
    hiddenReports: hiddenIds.size,
    requests: requests.map((r) => ({ id: r.id, status: r.status, createdAt: r.created_at.toISOString(), reports: r.linked_reports.length })),
    canRequest: mayGrade && hiddenIds.size > 0 && !pending,
    canCreateNetwork: actor.roles.some((g) => g.role === 'national-coordinator' && g.country === report.country) && mayGrade,
  });
}

export interface LinkState {
  id: string;
  status: LinkStatus;
}

/**
 * Confirms or dismisses a link. Allowed to whoever may grade one of its two reports and may see the
 * other (as a reviewer or through an approved connection). Deciding it again the same way is a
 * no-op; changing one's mind is allowed and recorded.
 */
export async function decideLink(deps: CorrelationDeps, actor: UserActor, linkId: string, status: 'confirmed' | 'dismissed'): Promise<Outcome<LinkState>> {
  if (!isUuid(linkId)) return notFound();
  return deps.db.transaction().execute(async (trx): Promise<Outcome<LinkState>> => {
    const link = await store.findLink(trx, linkId, { forUpdate: true });
    if (!link) return notFound();
    const sides = await reportBasics(trx, [link.report_a, link.report_b]);
    if (sides.length < 2) return notFound();
    const sights = await sightOf(trx, actor, sides);
    const verdicts = await Promise.all(sides.map((side) => reportDecision(trx, actor, { groupId: side.groupId, country: side.country }, 'reports.grade')));
    const seesBoth = sides.every((side) => sights.get(side.id)!.via !== 'none');
    if (!seesBoth || !verdicts.includes('allowed')) {
      if (verdicts.includes('needs-two-factor')) return forbidden(TWO_FACTOR);
      // Seeing one side only: the caller knows the link exists (it is counted on their report) but may not decide it.
      return sides.some((side) => sights.get(side.id)!.via !== 'none') ? forbidden('correlation.errors.cannotSeeOtherSide') : notFound();
    }
    if (link.status === status) return ok({ id: link.id, status });
    await store.setLinkStatus(trx, link.id, status, actor.userId);
    await appendAudit(trx, { actorId: actor.userId, action: status === 'confirmed' ? 'correlation.link-confirmed' : 'correlation.link-dismissed', subject: `link:${link.id}`, detail: { from: link.status } });
    return ok({ id: link.id, status });
  });
}

