/** Request and response schemas of the public map API (they also make its OpenAPI document). */
import { Type } from '@sinclair/typebox';

/** Strings, as query strings arrive; the service checks ranges and gives field messages. */
export const PublicCellsQuery = Type.Object(
  {
    bbox: Type.Optional(Type.String({ maxLength: 100, description: 'west,south,east,north in degrees (west ≤ east, south ≤ north, within ±180/±90); the whole world when absent' })),
    zoom: Type.Optional(Type.String({ maxLength: 2, description: 'Map zoom 0–20: chooses the cell resolution (2 at world zoom … 6 from zoom 8; never finer)' })),
    type: Type.Optional(Type.String({ maxLength: 40, description: 'An exploitation type id from getIndicatorTaxonomy, or `unspecified`; all types when absent' })),
    year: Type.Optional(Type.String({ maxLength: 4, description: 'The year reports were received (YYYY); all years when absent' })),
  },
  { additionalProperties: false },
);

const EXAMPLE = {
  resolution: 4,
  k: 5,
  receivedUpTo: '2026-11-15',
  truncated: false,
  cells: [
    { h3: '84195dbffffffff', count: 12, lat: 51.5, lon: -0.12 },
    { h3: '84194adffffffff', count: 7, lat: 53.48, lon: -2.24 },
  ],
};

export const PublicCells = Type.Object(
  {
    resolution: Type.Integer({ description: 'H3 resolution of the cells (2–6)' }),
    k: Type.Union([Type.Integer(), Type.Null()], { description: 'The fewest reports a shown cell holds; null before the first refresh' }),
    receivedUpTo: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'Reports received on or before this day are counted; null before the first refresh' }),
    truncated: Type.Boolean({ description: 'More than 10,000 cells matched: zoom in to see them all' }),
    cells: Type.Array(
      Type.Object({
        h3: Type.String({ description: 'H3 cell index; its hexagon is h3.cellToBoundary(h3)' }),
        count: Type.Integer({ description: 'Reports in the cell (at least k)' }),
        lat: Type.Number({ description: "The cell's centre, two decimals" }),
        lon: Type.Number(),
      }),
    ),
  },
  { examples: [EXAMPLE] },
);

export { ErrorResponse } from '../../core/http/error-response.ts';
