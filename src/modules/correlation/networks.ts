/**
 * Networks: the connected components of confirmed links, made into named networks with a summary by
 * a national coordinator of the country, and shown as a graph (reports, the identifiers that join
 * them, their coarse areas) with a table and a timeline.
 *
 * Guarantees: national coordinators of the network's country see it whole; a group coordinator sees
 * a network holding one of their group's reports, with every report they may not see drawn as "a
 * report held by another group" (no reference, no dates, no area, no grade) unless an approved
 * connection covers it, which is audited. Identifiers are shown by kind and an opaque tag, never
 * their value. Every opening of a network is audited.
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { decide } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import { forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { groupsCoordinatedBy } from '../groups/index.ts';
import { identifierKeysOf, reportBasics } from '../reports/index.ts';
import { nationalCountries, nationalDecision, sightOf, type Sight } from './access.ts';
import { identifierTag, reportForReviewer, showReason, toLinkedReport, TWO_FACTOR, type CorrelationDeps, type LinkedReport, type ShownReason } from './links.ts';
import * as store from './store.ts';

/** A network holds at most this many reports; a bigger component is cut (and says so). */
export const MAX_NETWORK_REPORTS = 500;
export const MAX_NAME = 200;
export const MAX_SUMMARY = 5000;

export interface NetworkSummary {
  id: string;
  country: string;
  name: string;
  summary: string;
  reports: number;
  createdAt: string;
}

export type GraphNode =
  | { id: string; type: 'report'; report: LinkedReport }
  | { id: string; type: 'hidden-report' }
  | { id: string; type: 'identifier'; kind: string; tag: string }
  | { id: string; type: 'place'; cell: string };

export interface GraphEdge {
  from: string;
  to: string;
  type: 'link' | 'holds' | 'in-area';
  reasons?: ShownReason[];
  status?: string;
}

export interface NetworkView extends NetworkSummary {
  canEdit: boolean;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Reports the caller may see, by day (observed, else received); hidden ones are only counted. */
  timeline: { day: string; report: LinkedReport }[];
  hiddenReports: number;
}

const toSummary = (row: store.NetworkRow & { reports: number }): NetworkSummary => ({ id: row.id, country: row.country, name: row.name, summary: row.summary, reports: row.reports, createdAt: row.created_at.toISOString() });

function checkText(input: { name?: unknown; summary?: unknown }): Outcome<{ name: string; summary: string }> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  const summary = typeof input.summary === 'string' ? input.summary.trim() : '';
  const errors: FieldErrors = {};
  if (name === '') errors.name = 'correlation.errors.nameRequired';
  else if (name.length > MAX_NAME) errors.name = 'correlation.errors.nameTooLong';
  if (summary.length > MAX_SUMMARY) errors.summary = 'correlation.errors.summaryTooLong';
  return Object.keys(errors).length > 0 ? invalid(errors) : ok({ name, summary });
}

/** Makes a network of the reports joined to `reportId` by confirmed links. National coordinators of the report's country. */
export async function createNetwork(deps: CorrelationDeps, actor: UserActor, input: { reportId?: unknown; name?: unknown; summary?: unknown }): Promise<Outcome<NetworkSummary>> {
  const reportId = typeof input.reportId === 'string' ? input.reportId : '';
  const found = await reportForReviewer(deps, actor, reportId, 'reports.grade');
  if (!found.ok) return found.reason === 'not-found' && reportId !== '' ? found : found.reason === 'not-found' ? invalid({ reportId: 'correlation.errors.reportRequired' }) : found;
  const report = found.value;
  const verdict = nationalDecision(actor, report.country);
  if (verdict === 'needs-two-factor') return forbidden(TWO_FACTOR);
  if (verdict !== 'allowed') return forbidden('correlation.errors.nationalOnly');
  const text = checkText(input);
  if (!text.ok) return text;
  const members = await store.confirmedComponent(deps.db, report.id, MAX_NETWORK_REPORTS);
  if (members.length < 2) return invalid({ reportId: 'correlation.errors.noConfirmedLinks' });
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await store.insertNetwork(trx, { country: report.country, ...text.value, createdBy: actor.userId, reportIds: members });
    await appendAudit(trx, { actorId: actor.userId, action: 'correlation.network-created', subject: `network:${inserted.id}`, detail: { reports: members.length } });
    return inserted;
  });
  return ok(toSummary({ ...row, reports: members.length }));
}

async function networkFor(deps: CorrelationDeps, actor: UserActor, networkId: string): Promise<Outcome<{ network: store.NetworkRow; memberIds: string[]; national: boolean }>> {
  if (!isUuid(networkId)) return notFound();
  const network = await store.findNetwork(deps.db, networkId);
  if (!network) return notFound();
  const memberIds = await store.networkReportIds(deps.db, network.id);
  const verdict = nationalDecision(actor, network.country);
  const readVerdict = verdict === 'allowed' ? 'allowed' : decide(actor, 'reports.review', { country: network.country });
  if (readVerdict === 'allowed') return ok({ network, memberIds, national: verdict === 'allowed' });
  if (readVerdict === 'needs-two-factor') return forbidden(TWO_FACTOR);
  const members = await reportBasics(deps.db, memberIds);
  const sights = await sightOf(deps.db, actor, members);
  if (members.some((m) => sights.get(m.id)!.via === 'reviewer')) return ok({ network, memberIds, national: false });
  return notFound();
}

/** Renames a network or rewrites its summary; optionally takes in reports confirmed since (national coordinators). */
export async function updateNetwork(deps: CorrelationDeps, actor: UserActor, networkId: string, input: { name?: unknown; summary?: unknown; refresh?: unknown }): Promise<Outcome<NetworkSummary>> {
  const found = await networkFor(deps, actor, networkId);
  if (!found.ok) return found;
  const verdict = nationalDecision(actor, found.value.network.country);
  if (verdict === 'needs-two-factor') return forbidden(TWO_FACTOR);
  if (verdict !== 'allowed') return forbidden('correlation.errors.nationalOnly');
  const text = checkText(input);
  if (!text.ok) return text;
  let members = found.value.memberIds;
  if (input.refresh === true || input.refresh === 'true' || input.refresh === 'on') {
    const grown = new Set<string>();
    for (const id of members) if (!grown.has(id)) for (const m of await store.confirmedComponent(deps.db, id, MAX_NETWORK_REPORTS)) grown.add(m);
    members = [...grown].slice(0, MAX_NETWORK_REPORTS);
  }
  await deps.db.transaction().execute(async (trx) => {
    await store.updateNetwork(trx, networkId, text.value);
    if (members !== found.value.memberIds) await store.setNetworkReports(trx, networkId, members);
    await appendAudit(trx, { actorId: actor.userId, action: 'correlation.network-updated', subject: `network:${networkId}`, detail: { reports: members.length } });
  });
  return ok(toSummary({ ...found.value.network, ...text.value, reports: members.length }));
}

export async function listNetworks(deps: CorrelationDeps, actor: UserActor): Promise<Outcome<NetworkSummary[]>> {
  const countries = nationalCountries(actor);
  const groups = await groupsCoordinatedBy(deps.db, actor.userId);
  if (countries.length === 0 && groups.length === 0) return forbidden('correlation.errors.coordinatorsOnly');
  if (!actor.twoFactorEnabled) return forbidden(TWO_FACTOR);
  if (actor.via === 'token' && !actor.scopes?.includes('reports:read')) return forbidden();
  const national = await store.listNetworks(deps.db, { countries, reportIds: [] });
  const visible = new Map(national.map((n) => [n.id, n]));
  if (groups.length > 0) {
    // Networks are few and curated by hand: read their members and keep those holding a report of the caller's groups.
    const all = await store.listNetworks(deps.db, { countries: await allNetworkCountries(deps), reportIds: [] }, 1000);
    for (const network of all) {
      if (visible.has(network.id)) continue;
      const members = await reportBasics(deps.db, await store.networkReportIds(deps.db, network.id));
      if (members.some((m) => m.groupId !== null && groups.includes(m.groupId))) visible.set(network.id, network);
    }
  }
  return ok([...visible.values()].map(toSummary));
}

async function allNetworkCountries(deps: CorrelationDeps): Promise<string[]> {
  const rows = await store.own(deps.db).selectFrom('networks').select('country').distinct().execute();
  return rows.map((r) => r.country);
}

export async function getNetwork(deps: CorrelationDeps, actor: UserActor, networkId: string): Promise<Outcome<NetworkView>> {
  const found = await networkFor(deps, actor, networkId);
  if (!found.ok) return found;
  const { network, memberIds, national } = found.value;
  const members = await reportBasics(deps.db, memberIds);
  const sights: Map<string, Sight> = await sightOf(deps.db, actor, members);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const nodeOf = new Map<string, string>();
  const shown: LinkedReport[] = [];
  let hidden = 0;
  for (const [i, member] of members.entries()) {
    const sight = sights.get(member.id)!;
    const id = `r${i + 1}`;
    nodeOf.set(member.id, id);
    if (sight.via === 'none') {
      hidden++;
      nodes.push({ id, type: 'hidden-report' });
      continue;
    }
    const report = await toLinkedReport(deps.db, member, sight.via);
    shown.push(report);
    nodes.push({ id, type: 'report', report });
    if (member.h3Cell) {
      const placeId = `p:${member.h3Cell}`;
      if (!nodes.some((n) => n.id === placeId)) nodes.push({ id: placeId, type: 'place', cell: member.h3Cell });
      edges.push({ from: id, to: placeId, type: 'in-area' });
    }
  }
  for (const link of await store.linksAmong(deps.db, memberIds)) {
    if (link.status !== 'confirmed') continue;
    const bothSeen = sights.get(link.report_a)!.via !== 'none' && sights.get(link.report_b)!.via !== 'none';
    edges.push({ from: nodeOf.get(link.report_a)!, to: nodeOf.get(link.report_b)!, type: 'link', status: link.status, ...(bothSeen ? { reasons: link.reasons.map(showReason) } : {}) });
  }
  // Identifiers two or more members share, by kind and tag; attached only to reports the caller sees.
  const byKey = new Map<string, { kind: string; tag: string; reports: Set<string> }>();
  for (const row of await identifierKeysOf(deps.db, memberIds)) {
    const key = store.keyOf(row.kind, row.blindIndex);
    const entry = byKey.get(key) ?? { kind: row.kind, tag: identifierTag(row.blindIndex.toString('hex')), reports: new Set<string>() };
    entry.reports.add(row.reportId);
    byKey.set(key, entry);
  }
  for (const entry of byKey.values()) {
    const seen = [...entry.reports].filter((id) => sights.get(id)!.via !== 'none');
    if (entry.reports.size < 2 || seen.length === 0) continue;
    const id = `i:${entry.tag}`;
    nodes.push({ id, type: 'identifier', kind: entry.kind, tag: entry.tag });
    for (const reportId of seen) edges.push({ from: nodeOf.get(reportId)!, to: id, type: 'holds' });
  }
  for (const member of members) {
    const sight = sights.get(member.id)!;
    if (sight.via === 'connection') await appendAudit(deps.db, { actorId: actor.userId, action: 'correlation.reveal', subject: `report:${member.id}`, detail: { request: sight.requestId, via: `network:${network.id}` } });
  }
  await appendAudit(deps.db, { actorId: actor.userId, action: 'correlation.network-read', subject: `network:${network.id}`, detail: { hidden } });
  const timeline = shown.map((report) => ({ day: report.observedFrom ?? report.receivedOn, report })).sort((a, b) => a.day.localeCompare(b.day) || a.report.reference.localeCompare(b.report.reference));
  return ok({ ...toSummary({ ...network, reports: members.length }), canEdit: national, nodes, edges, timeline, hiddenReports: hidden });
}

