/**
 * The public map: hexagons of the public cells in view, coloured by count, over the offline basemap.
 * Progressive enhancement of /map: the filters are an ordinary GET form and the table view shows the
 * same numbers without JavaScript. The island keeps the table link pointing at the current view, so
 * the table lists exactly the cells drawn.
 */
import * as L from 'leaflet';
import { cellToBoundary } from 'h3-js';
import { createBaseMap, keepOutOfTabOrder, unwrapRing, viewBox } from './map-base.ts';

interface Cell {
  h3: string;
  count: number;
}
interface Answer {
  resolution: number;
  truncated: boolean;
  cells: Cell[];
}

const script = document.querySelector<HTMLScriptElement>('script[data-island="public-map"]');
const text = script?.dataset ?? {};
const frame = document.querySelector<HTMLElement>('[data-public-map]');
const status = document.querySelector<HTMLElement>('[data-public-map-status]');
const tableLink = document.querySelector<HTMLAnchorElement>('[data-public-map-table-link]');

/** A translated sentence with {{name}} placeholders filled in. */
function say(template: string | undefined, values: Record<string, string | number> = {}): string {
  return (template ?? '').replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** The legend class (1…) of a count: the last lower bound it reaches. */
function classOf(count: number, bounds: number[]): number {
  let index = 1;
  bounds.forEach((low, i) => {
    if (count >= low) index = i + 1;
  });
  return index;
}

function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  return params.toString();
}

function start(container: HTMLElement): void {
  const type = container.dataset.type || undefined;
  const year = container.dataset.year || undefined;
  const bounds = (container.dataset.legend ?? '').split(',').map(Number).filter((n) => n > 0);
  container.replaceChildren();
  const mapElement = document.createElement('div');
  mapElement.className = 'public-map-map';
  container.append(mapElement);
  const map = createBaseMap(mapElement, { label: text.label ?? 'Map', zoomIn: text.zoomIn ?? 'Zoom in', zoomOut: text.zoomOut ?? 'Zoom out', tiles: text.tiles || undefined, attribution: text.attribution || undefined, maxZoom: 12 });
  const layer = L.layerGroup().addTo(map);
  let inFlight: AbortController | undefined;

  const draw = (answer: Answer) => {
    layer.clearLayers();
    let total = 0;
    for (const cell of answer.cells) {
      total += cell.count;
      const ring = unwrapRing(cellToBoundary(cell.h3));
      L.polygon(ring, { className: `public-map-cell public-map-class-${classOf(cell.count, bounds)}`, weight: 1, fillOpacity: 0.75, interactive: true })
        .bindTooltip(say(text.cell, { count: cell.count }))
        .addTo(layer);
    }
    mapElement.dataset.cells = answer.cells.map((cell) => `${cell.h3}:${cell.count}`).join(' ');
    mapElement.dataset.resolution = String(answer.resolution);
    if (status) status.textContent = answer.cells.length === 0 ? say(text.none) : `${say(text.shown, { cells: answer.cells.length, total })}${answer.truncated ? ` ${say(text.truncated)}` : ''}`;
    keepOutOfTabOrder(mapElement);
  };

  const load = () => {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    const params = query({ bbox: viewBox(map), zoom: String(map.getZoom()), type, year });
    if (tableLink) tableLink.href = `/map/table?${params}`;
    mapElement.dataset.state = 'loading';
    if (status) status.textContent = say(text.loading);
    fetch(`/api/v1/map/cells?${params}`, { credentials: 'same-origin', signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`cells ${response.status}`);
        return (await response.json()) as Answer;
      })
      .then((answer) => {
        if (controller.signal.aborted) return;
        draw(answer);
        mapElement.dataset.state = 'ready';
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        mapElement.dataset.state = 'failed';
        if (status) status.textContent = say(text.failed);
        console.error(error);
      });
  };

  map.on('moveend', load);
  map.setView([20, 0], 2);
  keepOutOfTabOrder(mapElement);
}

if (frame) start(frame);
