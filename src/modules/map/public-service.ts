/**
 * The public map's use cases: the cells in a view (getPublicMapCells) and what the page needs around
 * them. Public data only, so no actor and no authorisation: whatever is asked, the answer comes from
 * public_map_cells, which holds nothing below the threshold (public-cells.ts). A filter that matches
 * only suppressed data gets an empty list, exactly like one that matches nothing.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldErrors } from '../../core/outcome.ts';
import { taxonomy } from '../indicators/index.ts';
import { ALL_TYPES, ALL_YEARS, CELL_REACH_DEGREES, UNSPECIFIED_TYPE, resolutionForZoom, type PublicResolution } from './public-cells.ts';
import { readPublicMapState, selectPublicCells, selectPublicYears } from './public-store.ts';

/** More cells than a map can usefully draw: the caller should zoom in. */
export const MAX_CELLS = 10_000;
const ERRORS = 'map.public.errors';

export interface PublicCellsQuery {
  bbox?: string | undefined;
  zoom?: string | undefined;
  type?: string | undefined;
  year?: string | undefined;
}

export interface PublicView {
  west: number;
  south: number;
  east: number;
  north: number;
  zoom: number;
  /** undefined: all types. */
  type: string | undefined;
  /** undefined: all years. */
  year: number | undefined;
}

export interface PublicCellsAnswer {
  resolution: PublicResolution;
  k: number | null;
  receivedUpTo: string | null;
  truncated: boolean;
  cells: { h3: string; count: number; lat: number; lon: number }[];
}

/** The exploitation types one may filter by: the taxonomy's, and reports that named none. */
export function publicTypes(): string[] {
  return [...taxonomy().exploitationTypes, UNSPECIFIED_TYPE];
}

const NUMBER = /^-?\d{1,3}(\.\d{1,20})?$/;

/** Reads and checks the view and filters; every problem is named by its field. */
export function parsePublicView(query: PublicCellsQuery, defaults: { zoom: number } = { zoom: 2 }): { ok: true; value: PublicView } | { ok: false; reason: 'invalid'; errors: FieldErrors } {
  const errors: FieldErrors = {};
  let box: number[] = [-180, -90, 180, 90];
  if (query.bbox !== undefined && query.bbox !== '') {
    const parts = query.bbox.split(',');
    const numbers = parts.map((p) => (NUMBER.test(p.trim()) ? Number(p) : Number.NaN));
    const [w = Number.NaN, s = Number.NaN, e = Number.NaN, n = Number.NaN] = numbers;
    if (parts.length !== 4 || numbers.some((x) => !Number.isFinite(x))) errors.bbox = `${ERRORS}.bboxFormat`;
    else if (Math.abs(w) > 180 || Math.abs(e) > 180 || Math.abs(s) > 90 || Math.abs(n) > 90) errors.bbox = `${ERRORS}.bboxRange`;
    else if (w > e || s > n) errors.bbox = `${ERRORS}.bboxInverted`;
    else box = [w, s, e, n];
  }
  let zoom = defaults.zoom;
  if (query.zoom !== undefined && query.zoom !== '') {
    zoom = /^\d{1,2}$/.test(query.zoom) ? Number(query.zoom) : Number.NaN;
    if (!(zoom >= 0 && zoom <= 20)) errors.zoom = `${ERRORS}.zoom`;
  }
  let type: string | undefined;
  if (query.type !== undefined && query.type !== '' && query.type !== ALL_TYPES) {
    if (publicTypes().includes(query.type)) type = query.type;
    else errors.type = `${ERRORS}.type`;
  }
  let year: number | undefined;
  if (query.year !== undefined && query.year !== '') {
    if (/^\d{4}$/.test(query.year) && Number(query.year) >= 2000 && Number(query.year) <= 2999) year = Number(query.year);
    else errors.year = `${ERRORS}.year`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
  const [west = -180, south = -90, east = 180, north = 90] = box;
  return { ok: true, value: { west, south, east, north, zoom, type, year } };
}

/** getPublicMapCells: the published cells whose hexagon may touch the view, at the zoom's resolution. */
export async function publicMapCells(db: Kysely<Tables>, view: PublicView): Promise<PublicCellsAnswer> {
  const resolution = resolutionForZoom(view.zoom);
  const reach = CELL_REACH_DEGREES[resolution];
  const south = Math.max(-90, view.south - reach);
  const north = Math.min(90, view.north + reach);
  // Longitude degrees shrink towards the poles: a cell reaches further in them there.
  const cosine = Math.max(Math.cos((Math.min(89, Math.max(Math.abs(south), Math.abs(north))) * Math.PI) / 180), 0.02);
  const west = Math.max(-180, view.west - reach / cosine);
  const east = Math.min(180, view.east + reach / cosine);
  const [state, rows] = await Promise.all([
    readPublicMapState(db),
    selectPublicCells(db, { resolution, exploitationType: view.type ?? ALL_TYPES, year: view.year ?? ALL_YEARS, south, north, west, east }),
  ]);
  const truncated = rows.length > MAX_CELLS;
  return {
    resolution,
    k: state?.k ?? null,
    receivedUpTo: state?.receivedUpTo ?? null,
    truncated,
    cells: (truncated ? rows.slice(0, MAX_CELLS) : rows).map((r) => ({ h3: r.cell, count: r.count, lat: round(r.lat, 2), lon: round(r.lon, 2) })),
  };
}

/** Cell centres to two decimals (about a kilometre): enough to place a cell, no false precision. */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export async function publicYears(db: Kysely<Tables>): Promise<number[]> {
  return selectPublicYears(db);
}

export async function publicMapState(db: Kysely<Tables>) {
  return readPublicMapState(db);
}

/** Colour classes of the legend, as lower bounds in multiples of k (k, 2k, 5k, 20k). */
export function legendBounds(k: number): number[] {
  return [k, 2 * k, 5 * k, 20 * k];
}
