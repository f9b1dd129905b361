/**
 * getPublicStatistics, and the CTDC layer as coordinators see it.
 *
 * Guarantees (assume a trafficker reads every answer, with every filter, over time):
 * - No published number describes fewer than k = 11 reports or records. Numbers are built from
 *   **leaves** — CAST: reviewed reports sharing a leg, an exact set of exploitation types and a year;
 *   CTDC: records sharing a year, citizenship, country of exploitation and exact set of types. A leaf
 *   below k is dropped whole, in the database, and every published number is a sum of kept leaves.
 *   So subtracting published numbers (all types − one type, all years − one year, a country's total
 *   − its flows) only ever yields sums of kept leaves, never a dropped one.
 * - Only countries and counts: never a place finer than a country, a narrative, an identifier or a
 *   report. CAST counts only reviewed reports (triaged, graded, shared, closed: invented reports
 *   could otherwise pad a leaf up to k) received in months that ended at least the public map's
 *   delay ago.
 * - The CTDC layer is labelled with its source and kept apart from CAST's numbers.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { invalid, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { taxonomy } from '../indicators/index.ts';
import { publicRouteLeaves } from '../reports/index.ts';
import { ctdcLeaves, ctdcYears, newestCtdcLayer } from './store.ts';

export const PUBLIC_K = 11;

export interface ContextLayer {
  source: 'CTDC';
  label: string;
  importedAt: string;
  k: number;
  flows: { from: string; to: string; records: number }[];
}

export interface PublicStatistics {
  k: number;
  year: number | null;
  type: string | null;
  cast: { fromMonth: string | null; toMonth: string | null; flows: { from: string; to: string; reports: number }[] };
  ctdc: {
    label: string;
    importedAt: string;
    years: number[];
    flows: { from: string; to: string; records: number }[];
    byCountry: { country: string; records: number }[];
    byType: { type: string; records: number }[];
    records: number;
  } | null;
}

export interface PublicQuery {
  year: number | undefined;
  type: string | undefined;
}

/** Sums kept leaves by a key, those of `type` only when given. */
export function sumLeaves<L extends { types: string[] }>(leaves: readonly L[], type: string | undefined, key: (leaf: L) => string | undefined, count: (leaf: L) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const leaf of leaves) {
    if (type && !leaf.types.includes(type)) continue;
    const name = key(leaf);
    if (name === undefined) continue;
    sums.set(name, (sums.get(name) ?? 0) + count(leaf));
  }
  return sums;
}

const pairs = (sums: Map<string, number>) =>
  [...sums].map(([key, n]) => ({ from: key.slice(0, 2), to: key.slice(3, 5), n })).sort((a, b) => b.n - a.n || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));

/** The CTDC flows into or out of `country` (every flow when absent), from leaves of at least k records. */
export async function contextFlows(db: Kysely<Tables>, options: { fromYear?: number | undefined; toYear?: number | undefined; type?: string | undefined; country?: string | undefined; k: number }): Promise<ContextLayer | null> {
  const layer = await newestCtdcLayer(db);
  if (!layer) return null;
  const leaves = await ctdcLeaves(db, layer.id, options);
  const sums = sumLeaves(leaves, options.type, (l) => (l.citizenship && l.exploitationCountry ? `${l.citizenship}>${l.exploitationCountry}` : undefined), (l) => l.records);
  return { source: 'CTDC', label: layer.label, importedAt: layer.importedAt.toISOString(), k: options.k, flows: pairs(sums).map((p) => ({ from: p.from, to: p.to, records: p.n })) };
}

const one = (value: unknown): string | undefined => (Array.isArray(value) ? (value.length === 1 ? String(value[0]) : '\u0000') : typeof value === 'string' ? value : undefined);

export function parsePublicQuery(query: Record<string, unknown>, today: Date = new Date()): Outcome<PublicQuery> {
  const errors: FieldErrors = {};
  for (const name of Object.keys(query)) if (!['year', 'type'].includes(name)) errors[name] = 'routes.errors.unknownParameter';
  const rawYear = one(query.year) || undefined;
  const year = rawYear !== undefined && /^\d{4}$/.test(rawYear) ? Number(rawYear) : undefined;
  if (rawYear !== undefined && (year === undefined || year < 1990 || year > today.getUTCFullYear())) errors.year = 'routes.errors.year';
  const type = one(query.type) || undefined;
  if (type !== undefined && !taxonomy().exploitationTypes.includes(type)) errors.type = 'routes.errors.type';
  if (Object.keys(errors).length > 0) return invalid(errors);
  return ok({ year, type });
}

/** The last month CAST's public numbers count: the last whole month that ended at least `delayDays` ago. */
export function lastPublicMonth(today: Date, delayDays: number): string {
  const edge = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - delayDays));
  // The month before `edge`'s month has ended by `edge`; `edge`'s own month only if edge is its last day.
  const lastDay = new Date(Date.UTC(edge.getUTCFullYear(), edge.getUTCMonth() + 1, 0)).getUTCDate();
  const month = edge.getUTCDate() === lastDay ? edge.getUTCMonth() : edge.getUTCMonth() - 1;
  const date = new Date(Date.UTC(edge.getUTCFullYear(), month, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** getPublicStatistics: public, the same for everyone. */
export async function publicStatistics(db: Kysely<Tables>, query: PublicQuery, settings: { delayDays: number; today?: Date }): Promise<PublicStatistics> {
  const k = PUBLIC_K;
  const last = lastPublicMonth(settings.today ?? new Date(), settings.delayDays);
  const fromMonth = query.year ? `${query.year}-01` : '2000-01';
  const toMonth = query.year ? (`${query.year}-12` < last ? `${query.year}-12` : last) : last;
  const castLeaves = fromMonth <= toMonth ? await publicRouteLeaves(db, `${fromMonth}-01`, `${toMonth}-01`, k) : [];
  const castFlows = pairs(sumLeaves(castLeaves, query.type, (l) => `${l.from}>${l.to}`, (l) => l.reports)).map((p) => ({ from: p.from, to: p.to, reports: p.n }));

  let ctdc: PublicStatistics['ctdc'] = null;
  const layer = await newestCtdcLayer(db);
  if (layer) {
    const leaves = await ctdcLeaves(db, layer.id, { fromYear: query.year, toYear: query.year, k });
    const flows = pairs(sumLeaves(leaves, query.type, (l) => (l.citizenship && l.exploitationCountry ? `${l.citizenship}>${l.exploitationCountry}` : undefined), (l) => l.records));
    const byCountry = [...sumLeaves(leaves, query.type, (l) => l.exploitationCountry || undefined, (l) => l.records)]
      .map(([country, records]) => ({ country, records }))
      .sort((a, b) => b.records - a.records || a.country.localeCompare(b.country));
    const byType = new Map<string, number>();
    for (const leaf of leaves) if (!query.type || leaf.types.includes(query.type)) for (const type of leaf.types) if (!query.type || type === query.type) byType.set(type, (byType.get(type) ?? 0) + leaf.records);
    const records = [...sumLeaves(leaves, query.type, () => '*', (l) => l.records).values()][0] ?? 0;
    ctdc = {
      label: layer.label,
      importedAt: layer.importedAt.toISOString(),
      years: await ctdcYears(db, layer.id),
      flows: flows.map((p) => ({ from: p.from, to: p.to, records: p.n })),
      byCountry,
      byType: [...byType].map(([type, n]) => ({ type, records: n })).sort((a, b) => b.records - a.records || a.type.localeCompare(b.type)),
      records,
    };
  }
  return {
    k,
    year: query.year ?? null,
    type: query.type ?? null,
    cast: { fromMonth: fromMonth <= toMonth ? fromMonth : null, toMonth: fromMonth <= toMonth ? toMonth : null, flows: castFlows },
    ctdc,
  };
}

/** The years offered on the public page: the last five and any the CTDC layer covers, newest first. */
export function publicYears(statistics: PublicStatistics | undefined, today: Date = new Date()): number[] {
  const now = today.getUTCFullYear();
  const years = new Set([now, now - 1, now - 2, now - 3, now - 4, ...(statistics?.ctdc?.years ?? [])]);
  return [...years].sort((a, b) => b - a);
}
