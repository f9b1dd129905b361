/**
 * Which group covers a place: used to route a report to the group whose area holds its point.
 * Only listed groups count — a group a national coordinator has not yet approved must not be able
 * to draw reports to itself by drawing its area over somewhere.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { parseBoundary } from './area.ts';
import type { GroupsTables } from './tables.ts';

const EARTH_RADIUS_KM = 6371.0088;

export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Ray casting over the polygon's rings: inside the outer ring and outside every hole. */
export function polygonContains(rings: number[][][], point: { lat: number; lon: number }): boolean {
  const inRing = (ring: number[][]) => {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > point.lat !== yj > point.lat && point.lon < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  const [outer, ...holes] = rings;
  return outer !== undefined && inRing(outer) && !holes.some(inRing);
}

/** A group's box reaches at most ~10° of longitude past ±180° (200 km at the 84th parallel and below). */
const longitudesToTry = (lon: number) => (Math.abs(lon) < 170 ? [lon] : [lon, lon + 360, lon - 360]);

/**
 * The listed group whose area holds the point — within its radius and, when it has a boundary,
 * inside the boundary (a boundary narrows the circle) — the nearest centre first when areas overlap. The GiST index on each group's bounding
 * box (migrations/0006) finds the few candidates; the exact tests run here.
 */
export async function groupCovering(db: Kysely<Tables>, point: { lat: number; lon: number }): Promise<{ id: string; country: string } | undefined> {
  // A box near the antimeridian may reach past ±180°: there, try the point shifted by a turn as well.
  const candidates = await db
    .withTables<GroupsTables>()
    .selectFrom('groups')
    .select(['id', 'country', 'centre_lat', 'centre_lon', 'radius_km', 'boundary'])
    .where('listed', '=', true)
    .where((eb) =>
      eb.or(
        longitudesToTry(point.lon).map(
          // A box against a one-point box: the GiST box operator class has no box-contains-point.
          (lon) => sql<boolean>`group_area_box(centre_lat, centre_lon, radius_km) @> box(point(${lon}::float8, ${point.lat}::float8), point(${lon}::float8, ${point.lat}::float8))`,
        ).map((condition) => eb(condition, '=', true)),
      ),
    )
    .execute();
  const covering = candidates
    .map((group) => ({ group, distance: distanceKm(point, { lat: group.centre_lat, lon: group.centre_lon }) }))
    .filter(({ group, distance }) => {
      const boundary = group.boundary ? parseBoundary(group.boundary) : undefined;
      return distance <= Number(group.radius_km) && (!boundary || polygonContains(boundary.coordinates, point));
    })
    .sort((a, b) => a.distance - b.distance);
  const nearest = covering[0]?.group;
  return nearest ? { id: nearest.id, country: nearest.country } : undefined;
}
