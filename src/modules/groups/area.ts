/** Checks of a group's area: centre, radius and optional GeoJSON boundary polygon. Pure functions. */
import type { FieldErrors } from '../../core/outcome.ts';

export const MAX_RADIUS_KM = 200;
const MAX_POSITIONS = 2000;

const inRange = (value: unknown, limit: number): value is number => typeof value === 'number' && Number.isFinite(value) && value >= -limit && value <= limit;

export function areaErrors(input: { lat: unknown; lon: unknown; radiusKm: unknown }): FieldErrors {
  const errors: FieldErrors = {};
  if (!inRange(input.lat, 90)) errors.lat = 'groups.errors.latitude';
  if (!inRange(input.lon, 180)) errors.lon = 'groups.errors.longitude';
  const radius = input.radiusKm;
  if (typeof radius !== 'number' || !Number.isFinite(radius) || radius <= 0 || radius > MAX_RADIUS_KM) errors.radiusKm = 'groups.errors.radius';
  return errors;
}

/**
 * A GeoJSON Polygon (or a Feature holding one): rings of [longitude, latitude] positions, each ring
 * closed (first position equals the last) with at least four positions, every position on Earth.
 * Returns the polygon geometry, or undefined when it is not one.
 */
export function parseBoundary(value: unknown): { type: 'Polygon'; coordinates: number[][][] } | undefined {
  let geometry = value;
  if (typeof geometry === 'string') {
    try {
      geometry = JSON.parse(geometry) as unknown;
    } catch {
      return undefined;
    }
  }
  if (geometry && typeof geometry === 'object' && (geometry as { type?: unknown }).type === 'Feature') geometry = (geometry as { geometry?: unknown }).geometry;
  if (!geometry || typeof geometry !== 'object' || (geometry as { type?: unknown }).type !== 'Polygon') return undefined;
  const rings = (geometry as { coordinates?: unknown }).coordinates;
  if (!Array.isArray(rings) || rings.length === 0) return undefined;
  let positions = 0;
  for (const ring of rings as unknown[]) {
    if (!Array.isArray(ring) || ring.length < 4) return undefined;
    positions += ring.length;
    if (positions > MAX_POSITIONS) return undefined;
    for (const position of ring as unknown[]) {
      if (!Array.isArray(position) || position.length < 2 || position.length > 3) return undefined;
      if (!inRange(position[0], 180) || !inRange(position[1], 90)) return undefined;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) return undefined;
  }
  return { type: 'Polygon', coordinates: (rings as number[][][]).map((ring) => ring.map((position) => [position[0]!, position[1]!])) };
}

/** The public point of a group: its centre snapped to a 0.1° grid, so no precise place is shown. */
export function coarsePoint(lat: number, lon: number): { lat: number; lon: number } {
  const snap = (value: number) => Math.round(value * 10) / 10;
  return { lat: snap(lat), lon: snap(lon) };
}
