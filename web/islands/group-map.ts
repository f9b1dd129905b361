/**
 * The group map island: draws what getGroupMapClusters returns for the current view — clusters
 * coloured by their main exploitation type, precise points from zoom 12 (a click opens the report,
 * whose page writes its own audit entry), or, for members, their own points and the group's cells.
 * The page's filter form and tables work without it; the map only adds a picture of the same data.
 */
import * as L from 'leaflet';
import { createBaseMap, keepOutOfTabOrder, viewportQuery } from './map-base.ts';

interface Cluster {
  lat: number;
  lon: number;
  count: number;
  byType: Record<string, number>;
}
interface Point {
  reportId: string;
  reference: string;
  lat: number;
  lon: number;
  type: string;
}
interface Answer {
  view: 'coordinator' | 'member';
  clusters: Cluster[];
  points: Point[];
  cells?: { cell: string; count: number; boundary: [number, number][] }[];
  truncated: boolean;
}

// Colour-blind-safe (Okabe–Ito), with a grey for reports of no type.
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];
const UNSPECIFIED_COLOUR = '#6b6b6b';

const script = document.querySelector<HTMLScriptElement>('script[data-island="group-map"]');
const data = script?.dataset ?? {};
const text = (key: string, values: Record<string, string | number> = {}) => (data[key] ?? '').replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
const typeLabels = JSON.parse(data.types ?? '{}') as Record<string, string>;
const colours = new Map(Object.keys(typeLabels).filter((t) => t !== 'unspecified').map((type, i) => [type, PALETTE[i % PALETTE.length]!]));
const colourOf = (type: string | undefined) => (type ? (colours.get(type) ?? UNSPECIFIED_COLOUR) : UNSPECIFIED_COLOUR);
const mainType = (byType: Record<string, number>) => Object.entries(byType).sort((a, b) => b[1] - a[1])[0]?.[0];

function legend(frame: HTMLElement): void {
  const list = document.createElement('ul');
  list.className = 'group-map-legend';
  list.dataset.groupMapLegend = '';
  for (const [type, label] of Object.entries(typeLabels)) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'group-map-swatch';
    swatch.style.background = type === 'unspecified' ? UNSPECIFIED_COLOUR : colourOf(type);
    item.append(swatch, label);
    list.append(item);
  }
  frame.after(list);
}

function enhance(frame: HTMLElement): void {
  const status = document.querySelector<HTMLElement>('[data-group-map-status]');
  const say = (message: string) => {
    if (status) status.textContent = message;
  };
  frame.replaceChildren();
  const map = createBaseMap(frame, { label: data.label ?? 'Map', zoomIn: data.zoomIn ?? '+', zoomOut: data.zoomOut ?? '-', tiles: data.tiles || undefined, attribution: data.attribution || undefined });
  map.setView([30, 0], 2);
  const layer = L.layerGroup().addTo(map);
  const api = frame.dataset.api ?? '';
  const filters = frame.dataset.query ?? '';
  const coordinator = frame.dataset.view !== 'member';
  let fitted = false;
  let latest = 0;

  const draw = (answer: Answer) => {
    layer.clearLayers();
    const bounds = L.latLngBounds([]);
    for (const c of answer.clusters) {
      const size = Math.round(24 + Math.min(36, Math.log2(c.count + 1) * 5));
      const icon = L.divIcon({ className: 'group-map-cluster', html: String(c.count), iconSize: [size, size] });
      const marker = L.marker([c.lat, c.lon], { icon, keyboard: false, title: text('cellTitle', { count: c.count }) });
      marker.on('add', () => {
        const element = marker.getElement();
        if (element) element.style.background = colourOf(mainType(c.byType));
      });
      marker.bindTooltip(Object.entries(c.byType).map(([t, n]) => `${typeLabels[t] ?? t}: ${n}`).join(' · ') || text('cellTitle', { count: c.count }));
      // A click zooms into the cluster.
      marker.on('click', () => map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, 18)));
      layer.addLayer(marker);
      bounds.extend([c.lat, c.lon]);
    }
    for (const cell of answer.cells ?? []) {
      const polygon = L.polygon(cell.boundary, { color: '#1d70b8', weight: 1, fillOpacity: Math.min(0.7, 0.15 + cell.count / 50) });
      polygon.bindTooltip(text('cellTitle', { count: cell.count }));
      layer.addLayer(polygon);
      bounds.extend(polygon.getBounds());
    }
    for (const p of answer.points) {
      const marker = L.circleMarker([p.lat, p.lon], { radius: 7, color: '#fff', weight: 2, fillColor: colourOf(p.type), fillOpacity: 1 });
      marker.bindTooltip(`${p.reference} — ${typeLabels[p.type] ?? p.type}`);
      if (coordinator) marker.on('click', () => window.location.assign(`/reports/${encodeURIComponent(p.reportId)}`));
      marker.getElement?.()?.setAttribute('data-report', p.reference);
      layer.addLayer(marker);
      bounds.extend([p.lat, p.lon]);
    }
    keepOutOfTabOrder(frame);
    const total = answer.clusters.reduce((n, c) => n + c.count, 0) + answer.points.length + (answer.cells ?? []).reduce((n, c) => n + c.count, 0);
    say(answer.truncated ? text('truncated', { max: answer.points.length }) : text('shown', { count: total }));
    frame.dataset.groupMapTotal = String(total);
    if (!fitted && bounds.isValid()) {
      fitted = true;
      map.fitBounds(bounds.pad(0.2), { maxZoom: 11 });
    }
  };

  const load = async () => {
    const mine = ++latest;
    say(text('loading'));
    try {
      const response = await fetch(`${api}?${viewportQuery(map)}${filters ? `&${filters}` : ''}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      const answer = (await response.json()) as Answer;
      if (mine === latest) draw(answer);
    } catch {
      if (mine === latest) say(text('failed'));
    }
  };
  map.on('moveend', () => void load());
  legend(frame);
  void load();
}

for (const frame of document.querySelectorAll<HTMLElement>('[data-group-map]')) enhance(frame);
