/**
 * The map of signatures per country, drawn on the server as SVG from the same offline Natural Earth
 * basemap the map islands use (world-atlas countries-110m): it needs no JavaScript and no tiles, and
 * the table beside it carries the same figures for screen readers and text browsers.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import countries from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { countryName } from '../../../core/countries.ts';
import type { Language } from '../../../core/i18n.ts';

const require = createRequire(import.meta.url);
const WIDTH = 720;
const TOP_LAT = 84;
const BOTTOM_LAT = -58;
const SCALE = WIDTH / 360;
const HEIGHT = Math.round((TOP_LAT - BOTTOM_LAT) * SCALE);
const ANTARCTICA = '010';
const SHADES = ['#f4f1e8', '#f2c9d3', '#e08ea4', '#c04d6f', '#8a1538'];

interface Shape {
  code: string | undefined;
  path: string;
}

let shapes: Shape[] | undefined;

/** Whole units (half a degree) are plenty at this size, and keep the page small: points that round to the one before are dropped. */
function ringPath(ring: number[][]): string {
  const points: string[] = [];
  let previous: number | undefined;
  for (const [lon = 0, lat = 0] of ring) {
    // A ring across the antimeridian (Chukotka, Fiji) stays in one piece; what passes the edge is cut off by the view box.
    let x = lon;
    if (previous !== undefined) while (x - previous > 180) x -= 360;
    if (previous !== undefined) while (x - previous < -180) x += 360;
    previous = x;
    const point = `${Math.round((x + 180) * SCALE)} ${Math.round((TOP_LAT - lat) * SCALE)}`;
    if (point !== points.at(-1)) points.push(point);
  }
  return points.length < 3 ? '' : `M${points.join('L')}Z`;
}

function loadShapes(): Shape[] {
  if (shapes) return shapes;
  const topology = JSON.parse(fs.readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as Topology;
  const collection = feature(topology, topology.objects.countries as GeometryCollection);
  shapes = collection.features.flatMap((f) => {
    const geometry = f.geometry;
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
    const path = polygons.map((polygon) => polygon.map(ringPath).join('')).join('');
    if (path === '') return [];
    const numeric = f.id === undefined ? undefined : String(f.id).padStart(3, '0');
    // Antarctica lies below the map's southern edge.
    if (numeric === ANTARCTICA) return [];
    const code = numeric ? countries.numericToAlpha2(numeric) : (f.properties as { name?: string } | null)?.name === 'Kosovo' ? 'XK' : undefined;
    return [{ code, path }];
  });
  return shapes;
}

/** Which of five shades a count gets: none, then four steps on a logarithmic scale up to the largest. */
function shade(count: number, max: number): string {
  if (count <= 0 || max <= 0) return SHADES[0]!;
  const step = Math.ceil((Math.log10(count + 1) / Math.log10(max + 1)) * 4);
  return SHADES[Math.min(4, Math.max(1, step))]!;
}

export function CountryMap({ counts, lang, label }: { counts: readonly { country: string; total: number }[]; lang: Language; label: string }) {
  const byCountry = new Map(counts.map((c) => [c.country, c.total]));
  const max = Math.max(0, ...counts.map((c) => c.total));
  return (
    <svg class="country-map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} width="100%" preserveAspectRatio="xMidYMid meet">
      <rect width={WIDTH} height={HEIGHT} fill="#dbe8f0" />
      {loadShapes().map((s, i) => {
        const count = s.code ? (byCountry.get(s.code) ?? 0) : 0;
        return (
          <path key={i} d={s.path} fill={shade(count, max)} stroke="#6b6b6b" stroke-width="0.4">
            {s.code && <title>{`${countryName(s.code, lang)}: ${count.toLocaleString(lang)}`}</title>}
          </path>
        );
      })}
    </svg>
  );
}
