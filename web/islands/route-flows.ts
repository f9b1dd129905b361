/**
 * The flow map of the routes pages: a curved line per row of the flow tables on the page (CAST's
 * reports and the CTDC layer in two styles), its width by count, over the offline basemap. It reads
 * the tables themselves — their rows carry the countries' map points — so the map shows exactly what
 * the tables say and needs no request of its own. The page works without it.
 */
import * as L from 'leaflet';
import { createBaseMap, keepOutOfTabOrder } from './map-base.ts';

const script = document.querySelector<HTMLScriptElement>('script[data-island="route-flows"]');
const text = script?.dataset ?? {};
const frame = document.querySelector<HTMLElement>('[data-route-map]');

interface Flow {
  layer: string;
  from: string;
  to: string;
  count: number;
  a: L.LatLng;
  b: L.LatLng;
}

function say(template: string | undefined, values: Record<string, string | number>): string {
  return (template ?? '').replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

function flowsOnPage(): Flow[] {
  const flows: Flow[] = [];
  for (const table of document.querySelectorAll<HTMLTableElement>('table[data-route-flows]')) {
    for (const row of table.querySelectorAll<HTMLTableRowElement>('tbody tr')) {
      const d = row.dataset;
      if (!d.fromLat || !d.fromLon || !d.toLat || !d.toLon) continue;
      flows.push({ layer: table.dataset.routeFlows ?? 'cast', from: d.from ?? '', to: d.to ?? '', count: Number(d.count ?? 0), a: L.latLng(Number(d.fromLat), Number(d.fromLon)), b: L.latLng(Number(d.toLat), Number(d.toLon)) });
    }
  }
  return flows;
}

/** Points along a gentle arc from a to b (bending left of the direction of travel, so A→B and B→A part). */
function arc(a: L.LatLng, b: L.LatLng): L.LatLng[] {
  const dx = b.lng - a.lng;
  const dy = b.lat - a.lat;
  const control = L.latLng((a.lat + b.lat) / 2 + dx * 0.2, (a.lng + b.lng) / 2 - dy * 0.2);
  const points: L.LatLng[] = [];
  for (let i = 0; i <= 24; i += 1) {
    const t = i / 24;
    const u = 1 - t;
    points.push(L.latLng(u * u * a.lat + 2 * u * t * control.lat + t * t * b.lat, u * u * a.lng + 2 * u * t * control.lng + t * t * b.lng));
  }
  return points;
}

function start(container: HTMLElement): void {
  const flows = flowsOnPage();
  container.replaceChildren();
  const mapElement = document.createElement('div');
  mapElement.className = 'route-map';
  container.append(mapElement);
  const map = createBaseMap(mapElement, { label: text.label ?? 'Map', zoomIn: text.zoomIn ?? 'Zoom in', zoomOut: text.zoomOut ?? 'Zoom out', tiles: text.tiles || undefined, attribution: text.attribution || undefined, maxZoom: 8 });
  const max = Math.max(1, ...flows.map((flow) => flow.count));
  const bounds = L.latLngBounds([]);
  for (const flow of flows) {
    const weight = 2 + 8 * Math.sqrt(flow.count / max);
    const title = say(text.flow, { from: flow.from, to: flow.to, count: flow.count });
    if (flow.from === flow.to) {
      L.circleMarker(flow.a, { radius: 4 + weight, className: `route-flow route-flow-${flow.layer}`, fillOpacity: 0.3 }).bindTooltip(title).addTo(map);
    } else {
      L.polyline(arc(flow.a, flow.b), { weight, className: `route-flow route-flow-${flow.layer}`, opacity: 0.8 }).bindTooltip(title).addTo(map);
      L.circleMarker(flow.b, { radius: 3, className: `route-end route-flow-${flow.layer}`, fillOpacity: 1 }).addTo(map);
    }
    bounds.extend(flow.a).extend(flow.b);
  }
  mapElement.dataset.flows = flows.map((flow) => `${flow.layer}:${flow.from}>${flow.to}:${flow.count}`).join(' ');
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.2), { maxZoom: 5 });
  else map.setView([30, 10], 2);
  mapElement.dataset.state = 'ready';
  keepOutOfTabOrder(mapElement);
}

if (frame) start(frame);
