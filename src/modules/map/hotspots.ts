/**
 * getHotspots: cells where more reports arrived in the chosen period than their own history makes
 * usual. Method (the same for every scope):
 * - The period is `from`–`to` (default: the 28 days ending today), at most HOTSPOT_MAX_DAYS long.
 * - Its history is the n = floor(365 / length) periods of the same length just before it — the
 *   year before the period — zero for a period with no report.
 * - For each cell (H3 resolution 6 by default, or the stored 7): the mean and the population
 *   standard deviation of its history counts, and z = (count − mean) / max(sd, 1). The floor of 1
 *   keeps a cell that never had a report from scoring infinity for its first one.
 * - A hotspot has z ≥ 2 and at least 3 reports in the period. The rest of the filters apply to both
 *   the period and its history. Only counts leave the server: no point is opened.
 */
import { cellToBoundary, cellToLatLng, cellToParent } from 'h3-js';
import type { UserActor } from '../../core/auth/actor.ts';
import { invalid, ok, type Outcome } from '../../core/outcome.ts';
import { countReportsByCellAndPeriod } from '../reports/index.ts';
import { parseReportFilters, type ReportFilters } from './filters.ts';
import { DEFAULT_STATUSES, mapAccess, type GroupMapDeps, type MapTarget } from './group-map.ts';

export const HOTSPOT_MIN_Z = 2;
export const HOTSPOT_MIN_REPORTS = 3;
export const HOTSPOT_DEFAULT_DAYS = 28;
/** Longer periods would leave fewer than 3 history periods in a year. */
export const HOTSPOT_MAX_DAYS = 121;
const MAX_HOTSPOTS = 200;

export interface Hotspot {
  cell: string;
  lat: number;
  lon: number;
  boundary: [number, number][];
  count: number;
  mean: number;
  sd: number;
  z: number;
}

export interface Hotspots {
  from: string;
  to: string;
  historyPeriods: number;
  resolution: number;
  hotspots: Hotspot[];
}

const DAY_MS = 86_400_000;
const dayString = (date: Date) => date.toISOString().slice(0, 10);
const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;

/** z-scores for one cell's period count against its history (pure; tested alone). */
export function score(count: number, history: readonly number[]): { mean: number; sd: number; z: number } {
  const mean = history.reduce((a, b) => a + b, 0) / history.length;
  const sd = Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / history.length);
  return { mean, sd, z: (count - mean) / Math.max(sd, 1) };
}

export function parseHotspotQuery(query: Record<string, unknown> | undefined, today = new Date()): Outcome<{ filters: ReportFilters; resolution: 6 | 7; from: string; to: string; days: number }> {
  const parsed = parseReportFilters(query, ['resolution']);
  const errors = parsed.ok ? {} : parsed.reason === 'invalid' ? { ...parsed.errors } : {};
  const rawResolution = query?.resolution;
  let resolution: 6 | 7 = 6;
  if (rawResolution !== undefined && rawResolution !== '') {
    if (rawResolution === '6' || rawResolution === '7') resolution = Number(rawResolution) as 6 | 7;
    else errors.resolution = 'mapGroup.errors.resolution';
  }
  if (!parsed.ok || Object.keys(errors).length) return invalid(errors);
  const filters = parsed.value;
  const to = filters.to ?? dayString(today);
  const from = filters.from ?? dayString(new Date(Date.parse(`${to}T00:00:00Z`) - (HOTSPOT_DEFAULT_DAYS - 1) * DAY_MS));
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
  if (days < 1) return invalid({ from: 'mapFilters.errors.range' });
  if (days > HOTSPOT_MAX_DAYS) return invalid({ from: 'mapGroup.errors.periodTooLong' });
  return ok({ filters, resolution, from, to, days });
}

/** Hotspots of a group's or a country's reports, for their coordinators only (members get not-found). */
export async function hotspots(deps: GroupMapDeps, actor: UserActor, target: MapTarget, query: Record<string, unknown> | undefined, today = new Date()): Promise<Outcome<Hotspots>> {
  const access = await mapAccess(deps, actor, target);
  if (!access.ok) return access;
  if (access.value.view !== 'coordinator') return { ok: false, reason: 'not-found' };
  const parsed = parseHotspotQuery(query, today);
  if (!parsed.ok) return parsed;
  const { filters, resolution, from, to, days } = parsed.value;
  const periods = Math.floor(365 / days);
  const statusFilters = filters.statuses?.length ? filters : { ...filters, statuses: [...DEFAULT_STATUSES] };
  const rows = await countReportsByCellAndPeriod(deps.db, access.value.scope, statusFilters, to, days, periods + 1);
  const byCell = new Map<string, number[]>();
  for (const row of rows) {
    const cell = resolution === 7 ? row.cell : cellToParent(row.cell, resolution);
    let counts = byCell.get(cell);
    if (!counts) byCell.set(cell, (counts = new Array<number>(periods + 1).fill(0)));
    counts[row.period] = (counts[row.period] ?? 0) + row.count;
  }
  const found: Hotspot[] = [];
  for (const [cell, counts] of byCell) {
    const count = counts[0] ?? 0;
    if (count < HOTSPOT_MIN_REPORTS) continue;
    const { mean, sd, z } = score(count, counts.slice(1));
    if (z < HOTSPOT_MIN_Z) continue;
    const [lat, lon] = cellToLatLng(cell);
    found.push({ cell, lat: round(lat, 6), lon: round(lon, 6), boundary: cellToBoundary(cell).map(([a, b]) => [round(a, 6), round(b, 6)] as [number, number]), count, mean: round(mean), sd: round(sd), z: round(z) });
  }
  found.sort((a, b) => b.z - a.z || b.count - a.count);
  return ok({ from, to, historyPeriods: periods, resolution, hotspots: found.slice(0, MAX_HOTSPOTS) });
}
