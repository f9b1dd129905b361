/**
 * Shared drawing for the map islands (the public map; the group map may reuse it): a Leaflet map with
 * the offline Natural Earth basemap from this site, or the operator's tiles, and zoom buttons in the
 * reader's language. Not an island itself: islands import it and esbuild bundles it into each.
 *
 * Contract (engineer A owns it; add, do not change what exists without telling its users):
 * - createBaseMap(container, options) → L.Map with the basemap in a pane under everything else.
 * - unwrapRing(points) keeps a ring of [lat, lon] from jumping across the antimeridian.
 * - keepOutOfTabOrder(container) for maps whose content has a keyboard alternative on the page.
 * - viewBox(map) → "west,south,east,north" as the map APIs take it; viewportQuery(map) → "bbox=…&zoom=…".
 *
 * Used by the map picker, the public map and the group map.
 */
import * as L from 'leaflet';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

export interface BaseMapOptions {
  label: string;
  zoomIn: string;
  zoomOut: string;
  tiles: string | undefined;
  attribution: string | undefined;
  minZoom?: number;
  maxZoom?: number;
}

/** Past this zoom the coarse basemap looks blocky, so the finer one is fetched (once). */
const FINE_FROM_ZOOM = 4;
const BASEMAP_PANE = 'basemap';
const LAND = { color: '#6b6b6b', weight: 0, fillColor: '#f4f1e8', fillOpacity: 1, interactive: false };
const BORDERS = { color: '#6b6b6b', weight: 1, fill: false, interactive: false };

async function fetchTopology(url: string): Promise<Topology> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`basemap ${response.status}`);
  return (await response.json()) as Topology;
}

/** Moves each position by whole turns to stay within 180° of the one before it (GeoJSON order: lon, lat). */
function unwrapPositions<T>(coordinates: T): T {
  if (!Array.isArray(coordinates)) return coordinates;
  if (typeof coordinates[0] === 'number') return coordinates;
  if (Array.isArray(coordinates[0]) && typeof coordinates[0][0] === 'number') {
    let previous: number | undefined;
    return (coordinates as number[][]).map(([lon = 0, lat = 0]) => {
      let next = lon;
      if (previous !== undefined) while (next - previous > 180) next -= 360;
      if (previous !== undefined) while (next - previous < -180) next += 360;
      previous = next;
      return [next, lat];
    }) as T;
  }
  return coordinates.map((inner: unknown) => unwrapPositions(inner)) as T;
}

function unwrapped(geojson: GeoJSON.GeoJSON): GeoJSON.GeoJSON {
  if (geojson.type === 'FeatureCollection') return { ...geojson, features: geojson.features.map((f) => unwrapped(f) as GeoJSON.Feature) };
  if (geojson.type === 'Feature') return { ...geojson, geometry: unwrapped(geojson.geometry) as GeoJSON.Geometry };
  if (geojson.type === 'GeometryCollection') return { ...geojson, geometries: geojson.geometries.map((g) => unwrapped(g) as GeoJSON.Geometry) };
  return { ...geojson, coordinates: unwrapPositions(geojson.coordinates) } as GeoJSON.Geometry;
}

/** A ring of [lat, lon] (h3-js order) without a jump across the antimeridian. */
export function unwrapRing(points: [number, number][]): [number, number][] {
  let previous: number | undefined;
  return points.map(([lat, lon]) => {
    let next = lon;
    if (previous !== undefined) while (next - previous > 180) next -= 360;
    if (previous !== undefined) while (next - previous < -180) next += 360;
    previous = next;
    return [lat, next];
  });
}

function basemapLayer(topology: Topology): L.LayerGroup {
  const countries = topology.objects.countries as GeometryCollection;
  const land = unwrapped(feature(topology, topology.objects.land!));
  const borders = unwrapped(mesh(topology, countries, (a, b) => a !== b));
  return L.layerGroup([L.geoJSON(land, { style: LAND, pane: BASEMAP_PANE }), L.geoJSON(borders, { style: BORDERS, pane: BASEMAP_PANE })]);
}

function addVectorBasemap(map: L.Map): void {
  map.createPane(BASEMAP_PANE).style.zIndex = '200';
  let current: L.LayerGroup | undefined;
  let fineRequested = false;
  const show = (topology: Topology) => {
    const next = basemapLayer(topology).addTo(map);
    current?.remove();
    current = next;
  };
  fetchTopology(__CAST_BASEMAP__.coarse).then(show, () => undefined);
  const maybeFine = () => {
    if (fineRequested || map.getZoom() < FINE_FROM_ZOOM) return;
    fineRequested = true;
    fetchTopology(__CAST_BASEMAP__.fine).then(show, () => undefined);
  };
  map.on('zoomend', maybeFine);
  maybeFine();
}

/** Maps whose content the page also offers another way (inputs, a table) keep focus out of the map. */
export function keepOutOfTabOrder(container: HTMLElement): void {
  for (const element of container.querySelectorAll<HTMLElement>('a, button, [tabindex]')) element.tabIndex = -1;
}

export function createBaseMap(container: HTMLElement, options: BaseMapOptions): L.Map {
  container.setAttribute('role', 'region');
  container.setAttribute('aria-label', options.label);
  const map = L.map(container, { keyboard: false, zoomControl: false, attributionControl: Boolean(options.tiles), worldCopyJump: true, minZoom: options.minZoom ?? 1, maxZoom: options.maxZoom ?? 18 });
  L.control.zoom({ zoomInTitle: options.zoomIn, zoomOutTitle: options.zoomOut }).addTo(map);
  if (options.tiles) {
    map.attributionControl.setPrefix(false);
    // Leaflet writes attribution as HTML; the operator's text is escaped so it stays text.
    const text = document.createElement('span');
    text.textContent = options.attribution ?? '';
    L.tileLayer(options.tiles, { attribution: text.innerHTML, maxZoom: 19 }).addTo(map);
  } else addVectorBasemap(map);
  return map;
}

/** The view as the map APIs take it: within ±180/±90; a view wider than the world asks for all of it. */
export function viewBox(map: L.Map): string {
  const bounds = map.getBounds();
  let west = bounds.getWest();
  let east = bounds.getEast();
  if (east - west >= 360 || west < -180 || east > 180) [west, east] = [-180, 180];
  const south = Math.max(-90, bounds.getSouth());
  const north = Math.min(90, bounds.getNorth());
  return [west, south, east, north].map((value) => value.toFixed(4)).join(',');
}

/** `bbox=…&zoom=…` of the current view. */
export function viewportQuery(map: L.Map): string {
  return new URLSearchParams({ bbox: viewBox(map), zoom: String(map.getZoom()) }).toString();
}
