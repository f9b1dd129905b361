/**
 * The public map's arithmetic, as plain functions: which reports are old enough, which counts may be
 * published, and how they add up across resolutions, types and years. No database, no HTTP: the
 * guarantees in CONTEXT.md ("The public map") are properties of these functions, tested with
 * fast-check in public-cells.test.ts.
 */
import { cellToLatLng, cellToParent, getResolution } from 'h3-js';

/** Stored report cells are resolution 7; the public map never goes finer than this. */
export const LEAF_RESOLUTION = 6;
export const PUBLIC_RESOLUTIONS = [2, 3, 4, 5, 6] as const;
export type PublicResolution = (typeof PUBLIC_RESOLUTIONS)[number];
/** The type key of "all exploitation types" and of reports that named none. */
export const ALL_TYPES = '*';
export const UNSPECIFIED_TYPE = 'unspecified';
/** The year key of "all years". */
export const ALL_YEARS = 0;

/** One group of reports as the reports module counts them (see reports/map-queries.ts). */
export interface ReportCount {
  /** An H3 cell of resolution 7 or finer. */
  cell: string;
  exploitationTypes: readonly string[];
  year: number;
  count: number;
}

export interface PublicCell {
  resolution: PublicResolution;
  cell: string;
  exploitationType: string;
  year: number;
  count: number;
  lat: number;
  lon: number;
}

/**
 * The last day whose reports the public map may count: `delayDays` before `today`, then back to the
 * Sunday ending that week. The published set then grows a whole week at a time, so comparing two
 * refreshes tells an observer at most "these reports arrived that week", never which day.
 */
export function receivedUpTo(today: Date, delayDays: number): string {
  const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - delayDays));
  // getUTCDay: Sunday is 0.
  day.setUTCDate(day.getUTCDate() - day.getUTCDay());
  return day.toISOString().slice(0, 10);
}

/** The cell resolution drawn at a map zoom: about a dozen pixels or more per cell, never finer than 6. */
export function resolutionForZoom(zoom: number): PublicResolution {
  if (zoom <= 2) return 2;
  if (zoom <= 4) return 3;
  if (zoom <= 5) return 4;
  if (zoom <= 7) return 5;
  return 6;
}

/** How far (degrees of latitude) a cell of this resolution reaches from its centre, with a margin. */
export const CELL_REACH_DEGREES: Record<PublicResolution, number> = { 2: 2.2, 3: 0.85, 4: 0.32, 5: 0.12, 6: 0.05 };

/**
 * The leaf of a report group: its resolution-6 cell, its exact set of exploitation types, and its
 * year. Every report lies in exactly one leaf.
 */
function leafKey(cell6: string, types: readonly string[], year: number): string {
  return `${cell6}|${[...new Set(types)].sort().join(',')}|${year}`;
}

/**
 * Everything the public map may show, from report counts and the threshold k.
 *
 * 1. Reports are counted into leaves (resolution-6 cell × exact set of types × year).
 * 2. A leaf with fewer than k reports is dropped whole: it contributes to no number at all.
 * 3. Every published number — any resolution 2–6, one type or all ('*'), one year or all (0) — is
 *    the sum of the kept leaves it covers. A leaf counts under each type of its set, once under '*'.
 *
 * So every published number is a sum of counts each at least k, and no difference between published
 * numbers (parent minus children, all types minus one type, all years minus one year) involves a
 * dropped leaf.
 */
export function publicCells(counts: Iterable<ReportCount>, k: number): PublicCell[] {
  if (!Number.isInteger(k) || k < 5) throw new Error('The public map threshold k must be a whole number of at least 5');
  const parents = new Map<string, string>();
  const leaves = new Map<string, { cell6: string; types: string[]; year: number; count: number }>();
  for (const group of counts) {
    if (group.count <= 0) continue;
    let cell6 = parents.get(group.cell);
    if (cell6 === undefined) {
      cell6 = getResolution(group.cell) === LEAF_RESOLUTION ? group.cell : cellToParent(group.cell, LEAF_RESOLUTION);
      parents.set(group.cell, cell6);
    }
    const key = leafKey(cell6, group.exploitationTypes, group.year);
    const leaf = leaves.get(key);
    if (leaf) leaf.count += group.count;
    else leaves.set(key, { cell6, types: [...new Set(group.exploitationTypes)].sort(), year: group.year, count: group.count });
  }

  const totals = new Map<string, PublicCell>();
  const add = (resolution: PublicResolution, cell: string, exploitationType: string, year: number, count: number) => {
    const key = `${resolution}|${cell}|${exploitationType}|${year}`;
    const existing = totals.get(key);
    if (existing) existing.count += count;
    else totals.set(key, { resolution, cell, exploitationType, year, count, lat: 0, lon: 0 });
  };
  for (const leaf of leaves.values()) {
    if (leaf.count < k) continue;
    const typeKeys = [ALL_TYPES, ...(leaf.types.length > 0 ? leaf.types : [UNSPECIFIED_TYPE])];
    for (const resolution of PUBLIC_RESOLUTIONS) {
      const cell = resolution === LEAF_RESOLUTION ? leaf.cell6 : cellToParent(leaf.cell6, resolution);
      for (const type of typeKeys) {
        add(resolution, cell, type, leaf.year, leaf.count);
        add(resolution, cell, type, ALL_YEARS, leaf.count);
      }
    }
  }
  const centres = new Map<string, [number, number]>();
  for (const row of totals.values()) {
    let centre = centres.get(row.cell);
    if (!centre) {
      centre = cellToLatLng(row.cell);
      centres.set(row.cell, centre);
    }
    [row.lat, row.lon] = centre;
  }
  return [...totals.values()];
}
