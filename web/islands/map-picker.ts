/**
 * The map picker: progressive enhancement of a fieldset of latitude/longitude (and optional radius
 * and boundary) inputs. The inputs stay the source of truth and stay usable; the map only reads and
 * writes them. Markup contract: web/islands/README.md.
 */
import * as L from 'leaflet';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

interface Settings {
  label: string;
  zoomIn: string;
  zoomOut: string;
  tiles: string | undefined;
  attribution: string | undefined;
}

const DECIMALS = 5;
/** Past this zoom the coarse basemap looks blocky, so the finer one is fetched (once). */
const FINE_FROM_ZOOM = 4;
const BASEMAP_PANE = 'basemap';
const LAND = { color: '#6b6b6b', weight: 0, fillColor: '#f4f1e8', fillOpacity: 1, interactive: false };
const BORDERS = { color: '#6b6b6b', weight: 1, fill: false, interactive: false };
const AREA = { color: '#b10e1e', weight: 2, fillOpacity: 0.08, interactive: false };
const BOUNDARY = { color: '#1d70b8', weight: 2, dashArray: '6 4', fillOpacity: 0.05, interactive: false };

function settings(): Settings {
  const data = document.querySelector<HTMLScriptElement>('script[data-island="map-picker"]')?.dataset ?? {};
  return {
    label: data.label ?? 'Map',
    zoomIn: data.zoomIn ?? 'Zoom in',
    zoomOut: data.zoomOut ?? 'Zoom out',
    tiles: data.tiles || undefined,
    attribution: data.attribution || undefined,
  };
}

/** A number typed in an input, or undefined when the input is empty or not a number in range. */
function numberIn(input: HTMLInputElement | null, limit: number): number | undefined {
  if (!input) return undefined;
  const text = input.value.trim().replace(',', '.');
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && Math.abs(value) <= limit ? value : undefined;
}

function write(input: HTMLInputElement, value: number): void {
  input.value = String(Number(value.toFixed(DECIMALS)));
  // Other scripts (and the picker itself) listen for what a person would cause by typing.
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function fetchTopology(url: string): Promise<Topology> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`basemap ${response.status}`);
  return (await response.json()) as Topology;
}

/**
 * Natural Earth cuts shapes at the antimeridian, but a few rings still step from 180° to -180° in
 * one edge, which Leaflet would draw as a line across the whole world. Each position is moved by
 * whole turns to stay within 180° of the one before it.
 */
function unwrap<T>(coordinates: T): T {
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
  return coordinates.map((inner: unknown) => unwrap(inner)) as T;
}

function unwrapped(geojson: GeoJSON.GeoJSON): GeoJSON.GeoJSON {
  if (geojson.type === 'FeatureCollection') return { ...geojson, features: geojson.features.map((f) => unwrapped(f) as GeoJSON.Feature) };
  if (geojson.type === 'Feature') return { ...geojson, geometry: unwrapped(geojson.geometry) as GeoJSON.Geometry };
  if (geojson.type === 'GeometryCollection') return { ...geojson, geometries: geojson.geometries.map((g) => unwrapped(g) as GeoJSON.Geometry) };
  return { ...geojson, coordinates: unwrap(geojson.coordinates) } as GeoJSON.Geometry;
}

function basemapLayer(topology: Topology): L.LayerGroup {
  const countries = topology.objects.countries as GeometryCollection;
  const land = unwrapped(feature(topology, topology.objects.land!));
  const borders = unwrapped(mesh(topology, countries, (a, b) => a !== b));
  return L.layerGroup([L.geoJSON(land, { style: LAND, pane: BASEMAP_PANE }), L.geoJSON(borders, { style: BORDERS, pane: BASEMAP_PANE })]);
}

/** Offline vector basemap from this site: coarse at once, the finer one when someone zooms in. */
function addVectorBasemap(map: L.Map): void {
  // Where tiles would be: under the marker, circle and boundary however late the basemap arrives.
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

/** The map is for pointer users; keyboard users have the inputs, so nothing in the map takes focus. */
function keepOutOfTabOrder(container: HTMLElement): void {
  for (const element of container.querySelectorAll<HTMLElement>('a, button, [tabindex]')) element.tabIndex = -1;
}

function parseBoundary(text: string): L.GeoJSON | undefined {
  if (text.trim() === '') return undefined;
  try {
    return L.geoJSON(JSON.parse(text) as GeoJSON.GeoJsonObject, { style: BOUNDARY });
  } catch {
    return undefined;
  }
}

function enhance(wrapper: HTMLElement, options: Settings): void {
  const lat = wrapper.querySelector<HTMLInputElement>('[data-map-lat]');
  const lon = wrapper.querySelector<HTMLInputElement>('[data-map-lon]');
  if (!lat || !lon) return;
  const radius = wrapper.querySelector<HTMLInputElement>('[data-map-radius-km]');
  const boundaryInput = wrapper.querySelector<HTMLTextAreaElement>('[data-map-boundary]');

  const container = document.createElement('div');
  container.className = 'map-picker-map';
  container.setAttribute('role', 'region');
  container.setAttribute('aria-label', options.label);
  container.dataset.mapPickerMap = '';
  // Above the first input, after the legend and hint.
  const firstField = lat.closest('.field') ?? lat;
  firstField.parentElement!.insertBefore(container, firstField);

  const map = L.map(container, { keyboard: false, zoomControl: false, attributionControl: Boolean(options.tiles), worldCopyJump: true, minZoom: 1 });
  L.control.zoom({ zoomInTitle: options.zoomIn, zoomOutTitle: options.zoomOut }).addTo(map);
  if (options.tiles) {
    map.attributionControl.setPrefix(false);
    // Leaflet writes attribution as HTML; the operator's text is escaped so it stays text.
    const text = document.createElement('span');
    text.textContent = options.attribution ?? '';
    L.tileLayer(options.tiles, { attribution: text.innerHTML, maxZoom: 19 }).addTo(map);
  } else addVectorBasemap(map);

  const marker = L.marker([0, 0], { draggable: true, keyboard: false, icon: L.divIcon({ className: 'map-picker-marker', iconSize: undefined, html: '' }) });
  const circle = L.circle([0, 0], { ...AREA, radius: 1 });
  let boundary: L.GeoJSON | undefined;

  const point = (): L.LatLng | undefined => {
    const la = numberIn(lat, 90);
    const lo = numberIn(lon, 180);
    return la === undefined || lo === undefined ? undefined : L.latLng(la, lo);
  };
  const radiusMetres = (): number | undefined => {
    const km = numberIn(radius, 20_000);
    return km !== undefined && km > 0 ? km * 1000 : undefined;
  };

  const sync = () => {
    const at = point();
    if (!at) {
      marker.remove();
      circle.remove();
      return;
    }
    marker.setLatLng(at).addTo(map);
    const metres = radiusMetres();
    if (metres === undefined) circle.remove();
    else circle.setLatLng(at).setRadius(metres).addTo(map);
    keepOutOfTabOrder(container);
  };
  const syncBoundary = () => {
    boundary?.remove();
    boundary = boundaryInput ? parseBoundary(boundaryInput.value)?.addTo(map) : undefined;
  };

  const place = (at: L.LatLng) => {
    const wrapped = at.wrap();
    write(lat, wrapped.lat);
    write(lon, wrapped.lng);
  };
  map.on('click', (event: L.LeafletMouseEvent) => place(event.latlng));
  marker.on('dragend', () => place(marker.getLatLng()));
  for (const input of [lat, lon, radius]) input?.addEventListener('input', sync);
  // Once a typed point is complete (the field is left), bring it into view if it is off the map.
  for (const input of [lat, lon]) {
    input.addEventListener('change', () => {
      const at = point();
      if (at && !map.getBounds().contains(at)) map.panTo(at);
    });
  }
  boundaryInput?.addEventListener('input', syncBoundary);

  // The view first: Leaflet projects layers only once the map has one.
  const at = point();
  const metres = radiusMetres();
  // The whole area in view: the circle and the boundary together.
  const bounds = L.latLngBounds([]);
  if (at && metres !== undefined) bounds.extend(at.toBounds(metres * 2));
  const drawn = boundaryInput ? parseBoundary(boundaryInput.value)?.getBounds() : undefined;
  if (drawn?.isValid()) bounds.extend(drawn);
  if (bounds.isValid()) map.fitBounds(bounds);
  else if (at) map.setView(at, 10);
  else map.setView([20, 0], 1);
  sync();
  syncBoundary();
  keepOutOfTabOrder(container);
}

const options = settings();
for (const wrapper of document.querySelectorAll<HTMLElement>('[data-map-picker]')) enhance(wrapper, options);
