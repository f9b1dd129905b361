/**
 * getRouteFlows: country-to-country flows for coordinators, from their reports' route facts, with
 * the CTDC context layer beside them.
 *
 * Guarantees:
 * - Who: a group's flows are for its coordinators and national coordinators of its country; a
 *   country's flows (every report made there, whoever holds it) for its national coordinators. Both
 *   need two-factor authentication, as reviewing reports does. Anyone else gets not-found, so a
 *   group's reports stay unseen, even as counts.
 * - What: country codes and numbers of reports, never a report, a place finer than a country, a
 *   narrative or an identifier. Read from the per-month leg counts the reports module keeps
 *   (`report_route_flows`), never from the reports.
 * - The CTDC layer is labelled as such and never mixed into CAST's numbers; it shows only CTDC
 *   counts of at least k (11) records, the flows into or out of the scope's country.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { decide } from '../../core/auth/authorise.ts';
import type { Tables } from '../../core/db/tables.ts';
import { forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { groupBasics, membershipOf } from '../groups/index.ts';
import { taxonomy } from '../indicators/index.ts';
import { countRouteLegs, type RouteScope } from '../reports/index.ts';
import { contextFlows, type ContextLayer } from './statistics.ts';

/** The fewest records or reports a published count may describe (as CTDC does). */
export const K = 11;
/** The longest period one request may cover. */
const MAX_MONTHS = 120;
const TWO_FACTOR = 'reports.errors.twoFactor';

export type RouteTarget = { groupId: string } | { country: string };

export interface RouteAccess {
  scope: RouteScope;
  /** The group's name or the country code, for titles. */
  label: string;
  /** The country whose CTDC flows are shown beside. */
  country: string;
}

export interface RouteQuery {
  /** 'YYYY-MM' */
  from: string;
  to: string;
  type: string | undefined;
}

export interface Flow {
  from: string;
  to: string;
  reports: number;
}

export interface RouteFlows {
  from: string;
  to: string;
  type: string | null;
  flows: Flow[];
  /** Reports counted on all legs together (a report naming two legs counts on each). */
  legs: number;
  context: ContextLayer | null;
}

/** Who may see the flows of `target`: not-found for anyone without standing. */
export async function routeAccess(db: Kysely<Tables>, actor: UserActor, target: RouteTarget): Promise<Outcome<RouteAccess>> {
  if ('country' in target) {
    if (!/^[A-Z]{2}$/.test(target.country)) return notFound();
    const verdict = decide(actor, 'reports.review', { country: target.country });
    if (verdict === 'allowed') return ok({ scope: { country: target.country }, label: target.country, country: target.country });
    return verdict === 'needs-two-factor' ? forbidden(TWO_FACTOR) : notFound();
  }
  if (!isUuid(target.groupId)) return notFound();
  const group = await groupBasics(db, target.groupId);
  if (!group) return notFound();
  const role = await membershipOf(db, group.id, actor.userId);
  const verdict = decide(actor, 'reports.review', { membership: role === 'coordinator' ? 'group-coordinator' : undefined, country: group.country });
  if (verdict === 'allowed') return ok({ scope: { groupId: group.id }, label: group.name, country: group.country });
  return verdict === 'needs-two-factor' ? forbidden(TWO_FACTOR) : notFound();
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
const one = (value: unknown): string | undefined => (Array.isArray(value) ? (value.length === 1 ? String(value[0]) : '\u0000') : typeof value === 'string' ? value : undefined);

/** The period and type from a query string; the last twelve months up to `today` when absent. */
export function parseRouteQuery(query: Record<string, unknown>, today: Date = new Date()): Outcome<RouteQuery> {
  const errors: FieldErrors = {};
  for (const name of Object.keys(query)) if (!['from', 'to', 'type'].includes(name)) errors[name] = 'routes.errors.unknownParameter';
  const thisMonth = today.getUTCFullYear() * 12 + today.getUTCMonth();
  const rawTo = one(query.to) || undefined;
  const rawFrom = one(query.from) || undefined;
  if (rawTo !== undefined && !MONTH.test(rawTo)) errors.to = 'routes.errors.month';
  if (rawFrom !== undefined && !MONTH.test(rawFrom)) errors.from = 'routes.errors.month';
  const to = rawTo && MONTH.test(rawTo) ? monthIndex(rawTo) : thisMonth;
  const from = rawFrom && MONTH.test(rawFrom) ? monthIndex(rawFrom) : to - 11;
  if (!errors.from && !errors.to) {
    if (from > to) errors.from = 'routes.errors.order';
    else if (to - from + 1 > MAX_MONTHS) errors.from = 'routes.errors.tooLong';
  }
  const type = one(query.type) || undefined;
  if (type !== undefined && !taxonomy().exploitationTypes.includes(type)) errors.type = 'routes.errors.type';
  if (Object.keys(errors).length > 0) return invalid(errors);
  return ok({ from: monthOf(from), to: monthOf(to), type });
}

const byCount = <T extends { from: string; to: string }>(count: (row: T) => number) => (a: T, b: T) => count(b) - count(a) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to);

/** getRouteFlows: the flows of the target's reports in the period, with the CTDC layer beside them. */
export async function routeFlows(db: Kysely<Tables>, actor: UserActor, target: RouteTarget, query: RouteQuery): Promise<Outcome<RouteFlows>> {
  const access = await routeAccess(db, actor, target);
  if (!access.ok) return access;
  const legs = await countRouteLegs(db, access.value.scope, { fromMonth: `${query.from}-01`, toMonth: `${query.to}-01`, type: query.type });
  const flows = legs.sort(byCount((row) => row.reports));
  const context = await contextFlows(db, { fromYear: Number(query.from.slice(0, 4)), toYear: Number(query.to.slice(0, 4)), type: query.type, country: access.value.country, k: K });
  return ok({ from: query.from, to: query.to, type: query.type ?? null, flows, legs: flows.reduce((sum, flow) => sum + flow.reports, 0), context });
}
