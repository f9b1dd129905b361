/**
 * The viewport of a group map request: a bounding box and a zoom, plus the report filters. Bad
 * input is a 422 naming the field (an inverted box, a latitude past ±90, a zoom outside 0–20).
 */
import { invalid, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { parseReportFilters, type ReportFilters } from './filters.ts';

/** West, south, east, north in degrees. */
export type Bbox = readonly [number, number, number, number];

export interface MapViewport {
  bbox: Bbox;
  zoom: number;
  filters: ReportFilters;
}

export const WORLD: Bbox = [-180, -90, 180, 90];
export const VIEWPORT_FIELDS = ['bbox', 'zoom'] as const;

const single = (raw: unknown): string | undefined => (typeof raw === 'string' ? raw : Array.isArray(raw) && raw.length === 1 && typeof raw[0] === 'string' ? raw[0] : undefined);

export function parseBbox(raw: unknown): Bbox | undefined {
  const text = single(raw);
  if (text === undefined) return undefined;
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 4 || parts.some((p) => p === '' || !/^-?\d+(\.\d+)?$/.test(p))) return undefined;
  const [w, s, e, n] = parts.map(Number) as [number, number, number, number];
  if (Math.abs(w) > 180 || Math.abs(e) > 180 || Math.abs(s) > 90 || Math.abs(n) > 90) return undefined;
  if (w >= e || s >= n) return undefined;
  return [w, s, e, n];
}

/** Parses `bbox` (w,s,e,n; the world when absent), `zoom` (0–20; 2 when absent) and the filters. */
export function parseViewport(query: Record<string, unknown> | undefined, extraFields: readonly string[] = []): Outcome<MapViewport> {
  const errors: FieldErrors = {};
  const source = query ?? {};
  let bbox: Bbox = WORLD;
  if (source.bbox !== undefined && source.bbox !== '') {
    const parsed = parseBbox(source.bbox);
    if (parsed) bbox = parsed;
    else errors.bbox = 'mapGroup.errors.bbox';
  }
  let zoom = 2;
  if (source.zoom !== undefined && source.zoom !== '') {
    const text = single(source.zoom);
    const value = text !== undefined && /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    if (Number.isInteger(value) && value >= 0 && value <= 20) zoom = value;
    else errors.zoom = 'mapGroup.errors.zoom';
  }
  const filters = parseReportFilters(source, [...VIEWPORT_FIELDS, ...extraFields]);
  if (!filters.ok) Object.assign(errors, filters.reason === 'invalid' ? filters.errors : {});
  if (Object.keys(errors).length || !filters.ok) return invalid(errors);
  return ok({ bbox, zoom, filters: filters.value });
}

export const inBbox = (bbox: Bbox, lat: number, lon: number): boolean => lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];

/** The box grown by `degrees` on every side, clamped to the world. */
export const grow = (bbox: Bbox, degrees: number): Bbox => [Math.max(-180, bbox[0] - degrees), Math.max(-90, bbox[1] - degrees), Math.min(180, bbox[2] + degrees), Math.min(90, bbox[3] + degrees)];
