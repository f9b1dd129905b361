/**
 * The four export formats, as text pieces a stream writes one after another: a head, one piece per
 * report, a tail. Pure functions, no I/O, so every format is tested by parsing its output back.
 *
 * - CSV: RFC 4180 (CRLF, fields quoted when they hold a comma, quote or line break), UTF-8 with a
 *   byte-order mark so spreadsheet programs read accents right. A text cell that starts with = + - @
 *   (or a tab or carriage return) is prefixed with a quote, so a spreadsheet never runs it as a
 *   formula; numbers we write ourselves are left as they are.
 * - HXL: the same CSV with a second row of HXL hashtags (https://hxlstandard.org), chosen in TAGS.
 * - GeoJSON: an RFC 7946 FeatureCollection, [lon, lat]; the point is the precise place only in a
 *   restricted export, otherwise the centre of the report's coarse H3 cell; null geometry when the
 *   report has neither.
 * - KML 2.2: one Placemark per report, every value XML-escaped, characters XML forbids dropped.
 */
import { cellToLatLng } from 'h3-js';

export const FORMATS = ['csv', 'hxl', 'geojson', 'kml'] as const;
export type ExportFormat = (typeof FORMATS)[number];

export const isFormat = (value: unknown): value is ExportFormat => typeof value === 'string' && (FORMATS as readonly string[]).includes(value);

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  hxl: 'text/csv; charset=utf-8; header=present',
  geojson: 'application/geo+json; charset=utf-8',
  kml: 'application/vnd.google-earth.kml+xml; charset=utf-8',
};

export const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', hxl: 'hxl.csv', geojson: 'geojson', kml: 'kml' };

/** What every export holds: nothing restricted. */
export interface ExportRow {
  reference: string;
  receivedOn: string;
  status: string;
  gradeSource: number | null;
  gradeAssessment: string | null;
  gradeHandling: string | null;
  priority: string | null;
  placeType: string | null;
  exploitationTypes: string[];
  indicators: string[];
  peopleCount: number | null;
  identifierCount: number;
  h3Cell: string | null;
  /** The sanitised summary: the text written to leave the group. */
  summary: string | null;
  /** Only in a restricted export. */
  restricted?: RestrictedFields;
}

export interface RestrictedFields {
  lat: number | null;
  lon: number | null;
  place: string | null;
  account: string | null;
  identifiers: { kind: string; value: string }[];
  /** Names heard or seen (people, businesses). */
  names: string[];
  vehicles: string | null;
  contact: string | null;
}

type Cell = string | number | null;

interface Column {
  name: string;
  hxl: string;
  value: (row: ExportRow, centre: [number, number] | null) => Cell;
}

const list = (values: string[]) => values.join(';');
const round = (value: number, places: number) => Number(value.toFixed(places));

/** Columns of every export, and the HXL hashtag of each (documented in the module's CONTEXT.md). */
const COLUMNS: Column[] = [
  { name: 'reference', hxl: '#meta +id', value: (r) => r.reference },
  { name: 'received_on', hxl: '#date +reported', value: (r) => r.receivedOn },
  { name: 'status', hxl: '#status', value: (r) => r.status },
  { name: 'grade_source', hxl: '#meta +grade +source', value: (r) => r.gradeSource },
  { name: 'grade_assessment', hxl: '#meta +grade +assessment', value: (r) => r.gradeAssessment },
  { name: 'grade_handling', hxl: '#meta +grade +handling', value: (r) => r.gradeHandling },
  { name: 'priority', hxl: '#severity', value: (r) => r.priority },
  { name: 'place_type', hxl: '#loc +type', value: (r) => r.placeType },
  { name: 'exploitation_types', hxl: '#event +type +list', value: (r) => list(r.exploitationTypes) },
  { name: 'indicators', hxl: '#indicator +code +list', value: (r) => list(r.indicators) },
  { name: 'people_count', hxl: '#affected +num', value: (r) => r.peopleCount },
  { name: 'identifier_count', hxl: '#meta +identifiers +num', value: (r) => r.identifierCount },
  { name: 'h3_cell', hxl: '#loc +code +h3', value: (r) => r.h3Cell },
  { name: 'cell_lat', hxl: '#geo +lat +coarse', value: (_r, c) => (c ? c[0] : null) },
  { name: 'cell_lon', hxl: '#geo +lon +coarse', value: (_r, c) => (c ? c[1] : null) },
  { name: 'summary', hxl: '#description +summary', value: (r) => r.summary },
];

const RESTRICTED_COLUMNS: Column[] = [
  { name: 'lat', hxl: '#geo +lat', value: (r) => r.restricted?.lat ?? null },
  { name: 'lon', hxl: '#geo +lon', value: (r) => r.restricted?.lon ?? null },
  { name: 'place', hxl: '#loc +name', value: (r) => r.restricted?.place ?? null },
  { name: 'account', hxl: '#description +account', value: (r) => r.restricted?.account ?? null },
  { name: 'identifiers', hxl: '#meta +identifiers +list', value: (r) => (r.restricted ? list(r.restricted.identifiers.map((i) => `${i.kind}:${i.value}`)) : null) },
  { name: 'names', hxl: '#description +names +list', value: (r) => (r.restricted ? list(r.restricted.names) : null) },
  { name: 'vehicles', hxl: '#description +vehicles', value: (r) => r.restricted?.vehicles ?? null },
  { name: 'contact', hxl: '#contact', value: (r) => r.restricted?.contact ?? null },
];

const columnsFor = (restricted: boolean) => (restricted ? [...COLUMNS, ...RESTRICTED_COLUMNS] : COLUMNS);

// Reports crowd into few cells (an export of a million rows meets a few thousand), so each centre is
// worked out once; the bound keeps a pathological export from growing the map without limit.
const centres = new Map<string, [number, number] | null>();
const MAX_CENTRES = 50_000;

/** The centre of a coarse cell, to 5 decimals (about a metre: the cell, not the report, is the location). */
export function cellCentre(cell: string | null): [number, number] | null {
  if (!cell) return null;
  let centre = centres.get(cell);
  if (centre === undefined) {
    try {
      const [lat, lon] = cellToLatLng(cell);
      centre = [round(lat, 5), round(lon, 5)];
    } catch {
      centre = null;
    }
    if (centres.size >= MAX_CENTRES) centres.clear();
    centres.set(cell, centre);
  }
  return centre;
}

// ---------------------------------------------------------------- CSV and HXL

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line, built by appending: this runs once per report of a large export. */
function csvLine(cells: Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i += 1) line += i === 0 ? csvField(cells[i]!) : `,${csvField(cells[i]!)}`;
  return `${line}\r\n`;
}

// ---------------------------------------------------------------- KML

// Characters XML 1.0 does not allow at all, even escaped.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlText(value: string): string {
  return value.replace(XML_FORBIDDEN, '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
}

// ---------------------------------------------------------------- the writer

export interface ExportWriter {
  head(): string;
  row(row: ExportRow): string;
  tail(): string;
}

/** The precise point of a restricted export, else the cell centre: [lat, lon]. */
function pointOf(row: ExportRow, centre: [number, number] | null): [number, number] | null {
  const r = row.restricted;
  if (r && r.lat !== null && r.lon !== null) return [r.lat, r.lon];
  return centre;
}

/** A column's value as JSON, as JSON.stringify writes it (a number that is not finite is null). */
const jsonCell = (value: Cell) => (value === null ? 'null' : typeof value === 'number' ? (Number.isFinite(value) ? String(value) : 'null') : JSON.stringify(value));

export function exportWriter(format: ExportFormat, options: { restricted: boolean; title: string }): ExportWriter {
  const columns = columnsFor(options.restricted);
  const cellsOf = (row: ExportRow, centre: [number, number] | null) => columns.map((column) => column.value(row, centre));
  switch (format) {
    case 'csv':
    case 'hxl':
      return {
        head: () => `\uFEFF${csvLine(columns.map((c) => c.name))}${format === 'hxl' ? csvLine(columns.map((c) => c.hxl)) : ''}`,
        row: (row) => csvLine(cellsOf(row, cellCentre(row.h3Cell))),
        tail: () => '',
      };
    case 'geojson': {
      // Each feature is written as text, value by value, without an object per row for
      // JSON.stringify to walk: half the cost of a large export's formatting.
      const keys = columns.map((column, i) => `${i === 0 ? '' : ','}${JSON.stringify(column.name)}:`);
      let first = true;
      return {
        head: () => `{"type":"FeatureCollection","features":[\n`,
        row: (row) => {
          const centre = cellCentre(row.h3Cell);
          const point = pointOf(row, centre);
          const geometry = point ? `{"type":"Point","coordinates":[${point[1]},${point[0]}]}` : 'null';
          let text = `${first ? '' : ',\n'}{"type":"Feature","geometry":${geometry},"properties":{`;
          for (let i = 0; i < columns.length; i += 1) text += keys[i] + jsonCell(columns[i]!.value(row, centre));
          first = false;
          return `${text}}}`;
        },
        tail: () => '\n]}\n',
      };
    }
    case 'kml':
      return {
        head: () => `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${xmlText(options.title)}</name>\n`,
        row: (row) => {
          const centre = cellCentre(row.h3Cell);
          const point = pointOf(row, centre);
          let data = '';
          for (const column of columns) {
            const cell = column.value(row, centre);
            if (cell !== null && cell !== undefined) data += `<Data name="${column.name}"><value>${xmlText(String(cell))}</value></Data>`;
          }
          const geometry = point ? `<Point><coordinates>${point[1]},${point[0]}</coordinates></Point>` : '';
          return `<Placemark><name>${xmlText(row.reference)}</name><ExtendedData>${data}</ExtendedData>${geometry}</Placemark>\n`;
        },
        tail: () => '</Document></kml>\n',
      };
  }
}
