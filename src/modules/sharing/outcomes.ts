/**
 * What came of the group's work, in counts only: a group's outcome summary (for its members and
 * coordinators, so they see their reports mattered) and national totals by country and month (for
 * national coordinators). No notes, no references, no partner names: nothing operational.
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { forbidden, invalid, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { groupBasics, membershipOf } from '../groups/index.ts';
import { lacksScope, nationalCountries, refusal, verdictFor, WRONG_SCOPE } from './access.ts';
import type { SharingDeps } from './service.ts';
import * as store from './store.ts';
import { OUTCOME_KINDS, type OutcomeKind } from './tables.ts';

export type KindCounts = Record<OutcomeKind, number>;

export interface GroupOutcomeSummary {
  group: { id: string; name: string };
  disclosuresSent: number;
  disclosuresAcknowledged: number;
  /** How many outcomes of each kind partners recorded. */
  outcomes: KindCounts;
  victimsIdentified: number;
  arrests: number;
}

export interface MonthTotals {
  month: string;
  outcomes: KindCounts;
  victimsIdentified: number;
  arrests: number;
}

export interface OutcomeTotals {
  countries: { country: string; months: MonthTotals[] }[];
}

const zero = (): KindCounts => Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, 0])) as KindCounts;

/** A group's outcome summary, for the group's members and coordinators and national coordinators of its country. */
export async function groupOutcomeSummary(deps: Pick<SharingDeps, 'db'>, actor: UserActor, groupId: string): Promise<Outcome<GroupOutcomeSummary>> {
  const group = await groupBasics(deps.db, groupId);
  if (!group) return notFound();
  const role = await membershipOf(deps.db, group.id, actor.userId);
  const verdict = verdictFor(actor, 'outcomes.group-summary', role === 'coordinator' ? ['group-coordinator'] : role ? ['group-member'] : [], group.country);
  if (verdict !== 'allowed') return refusal(verdict);
  const counts = await store.groupOutcomeCounts(deps.db, group.id);
  const outcomes = zero();
  let victimsIdentified = 0;
  let arrests = 0;
  for (const row of counts.outcomes) {
    outcomes[row.kind] = Number(row.outcomes);
    if (row.kind === 'victims-identified') victimsIdentified = Number(row.people ?? 0);
    if (row.kind === 'arrests') arrests = Number(row.people ?? 0);
  }
  return ok({
    group: { id: group.id, name: group.name },
    disclosuresSent: Number(counts.disclosures.sent),
    disclosuresAcknowledged: Number(counts.disclosures.acknowledged),
    outcomes,
    victimsIdentified,
    arrests,
  });
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Outcome totals by country and month, for national coordinators (their countries only); `from`/`to` are months (YYYY-MM). */
export async function outcomeTotals(deps: Pick<SharingDeps, 'db'>, actor: UserActor, query: { country?: string | undefined; from?: string | undefined; to?: string | undefined }): Promise<Outcome<OutcomeTotals>> {
  if (lacksScope(actor, 'outcomes.national-totals')) return forbidden(WRONG_SCOPE);
  const mine = nationalCountries(actor);
  if (mine.length === 0 || verdictFor(actor, 'outcomes.national-totals', [], mine[0]!) !== 'allowed') return forbidden();
  const errors: Record<string, string> = {};
  const country = query.country?.trim().toUpperCase() || undefined;
  if (country !== undefined && !mine.includes(country)) errors.country = 'sharing.errors.countryNotYours';
  for (const field of ['from', 'to'] as const) if (query[field] !== undefined && query[field] !== '' && !MONTH.test(query[field])) errors[field] = 'sharing.errors.month';
  if (Object.keys(errors).length > 0) return invalid(errors);
  const from = query.from ? `${query.from}-01` : undefined;
  // The last day of the `to` month: the first of the next month, minus one day.
  const to = query.to ? new Date(Date.UTC(Number(query.to.slice(0, 4)), Number(query.to.slice(5, 7)), 0)).toISOString().slice(0, 10) : undefined;
  const countries = country ? [country] : mine;
  const rows = await store.outcomeTotals(deps.db, countries, { from, to });
  const byCountry = new Map<string, Map<string, MonthTotals>>(countries.map((code) => [code, new Map()]));
  for (const row of rows) {
    const months = byCountry.get(row.country)!;
    const month = months.get(row.month) ?? { month: row.month, outcomes: zero(), victimsIdentified: 0, arrests: 0 };
    month.outcomes[row.kind] = Number(row.outcomes);
    if (row.kind === 'victims-identified') month.victimsIdentified = Number(row.people ?? 0);
    if (row.kind === 'arrests') month.arrests = Number(row.people ?? 0);
    months.set(row.month, month);
  }
  return ok({ countries: [...byCountry].map(([code, months]) => ({ country: code, months: [...months.values()] })) });
}
