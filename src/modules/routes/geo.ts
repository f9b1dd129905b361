/**
 * Where to draw a country on the flow map: a point inside its largest landmass (the centroid of that
 * polygon's outer ring), from the same Natural Earth data as the offline basemap. Worked out once per
 * process from a file in node_modules: pure data, not state.
 */
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

const require = createRequire(import.meta.url);

type Ring = number[][];

function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
  return sum / 2;
}

function ringCentroid(ring: Ring): [number, number] {
  let x = 0;
  let y = 0;
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const cross = ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
    area += cross;
    x += (ring[j]![0]! + ring[i]![0]!) * cross;
    y += (ring[j]![1]! + ring[i]![1]!) * cross;
  }
  if (area === 0) return [ring[0]![0]!, ring[0]![1]!];
  return [x / (3 * area), y / (3 * area)];
}

let centres: Map<string, { lat: number; lon: number }> | undefined;

function load(): Map<string, { lat: number; lon: number }> {
  const topology = require('world-atlas/countries-50m.json') as Topology;
  const collection = feature(topology, topology.objects.countries as GeometryCollection) as GeoJSON.FeatureCollection;
  const out = new Map<string, { lat: number; lon: number }>();
  for (const country of collection.features) {
    const name = (country.properties as { name?: string } | null)?.name;
    const code = name === 'Kosovo' ? 'XK' : country.id !== undefined ? countries.numericToAlpha2(String(country.id)) : undefined;
    if (!code || out.has(code) || !country.geometry) continue;
    const polygons: Ring[][] = country.geometry.type === 'Polygon' ? [country.geometry.coordinates] : country.geometry.type === 'MultiPolygon' ? country.geometry.coordinates : [];
    const largest = polygons.map((p) => p[0]!).sort((a, b) => Math.abs(ringArea(b)) - Math.abs(ringArea(a)))[0];
    if (!largest) continue;
    const [lon, lat] = ringCentroid(largest);
    out.set(code, { lat: Math.round(lat * 100) / 100, lon: Math.round(lon * 100) / 100 });
  }
  return out;
}

/** The point to draw a country at, or undefined for a code the basemap has no shape for. */
export function countryCentre(code: string): { lat: number; lon: number } | undefined {
  centres ??= load();
  return centres.get(code);
}
