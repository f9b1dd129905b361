/**
 * The map picker: progressive enhancement of a fieldset of latitude/longitude (and optional radius
 * and boundary) inputs. The inputs stay the source of truth and stay usable; the map only reads and
 * writes them. Markup contract: web/islands/README.md.
 */
import * as L from 'leaflet';
import { createBaseMap, keepOutOfTabOrder, type BaseMapOptions } from './map-base.ts';

type Settings = BaseMapOptions;

const DECIMALS = 5;
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
  container.dataset.mapPickerMap = '';
  // Above the first input, after the legend and hint.
  const firstField = lat.closest('.field') ?? lat;
  firstField.parentElement!.insertBefore(container, firstField);
  const map = createBaseMap(container, options);

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
