/** Request and response schemas of the group map API (they also make its OpenAPI document). */
import { Type } from '@sinclair/typebox';

const list = (description: string) => Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })], { description }));

/** The report filters, as query strings carry them (repeat a key or separate values with commas). */
export const filterProperties = {
  from: Type.Optional(Type.String({ maxLength: 10, description: 'First day received (YYYY-MM-DD), inclusive' })),
  to: Type.Optional(Type.String({ maxLength: 10, description: 'Last day received (YYYY-MM-DD), inclusive' })),
  status: list('Any of these statuses (received, triaged, graded, shared, closed, rejected, duplicate); all but rejected and duplicate when absent'),
  grade: list('Any of these grades, e.g. `2/B/P`; a part may be `*` (`*/A/*`)'),
  type: list('Reports of any of these exploitation types (taxonomy ids)'),
  indicator: list('Reports with any of these indicators (taxonomy ids)'),
  placeType: list('Reports at any of these place types (taxonomy ids)'),
};

// additionalProperties: an unknown parameter reaches the service, which names it in a 422
// instead of a generic schema message.
export const GroupMapQuery = Type.Object(
  {
    bbox: Type.Optional(Type.String({ maxLength: 100, description: 'west,south,east,north in degrees (west < east, south < north, within ±180/±90); the whole world when absent' })),
    zoom: Type.Optional(Type.String({ maxLength: 2, description: 'Map zoom 0–20 (2 when absent). From 12, precise points (at most 500) instead of clusters' })),
    ...filterProperties,
  },
  { additionalProperties: true },
);

export const HotspotQuery = Type.Object(
  {
    ...filterProperties,
    from: Type.Optional(Type.String({ maxLength: 10, description: 'First day of the period (default: 27 days before `to`); at most 121 days long' })),
    to: Type.Optional(Type.String({ maxLength: 10, description: 'Last day of the period (default: today)' })),
    resolution: Type.Optional(Type.String({ maxLength: 1, description: 'H3 resolution of the cells: 6 (default, ~36 km²) or 7 (~5 km²)' })),
  },
  { additionalProperties: true },
);

export const GroupParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const CountryParams = Type.Object({ cc: Type.String({ maxLength: 8, description: 'ISO 3166-1 alpha-2 country code' }) });

const Point = Type.Object({
  reportId: Type.String({ format: 'uuid' }),
  reference: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  type: Type.String({ description: 'The first exploitation type reported, or `unspecified`' }),
});

export const GroupMap = Type.Object(
  {
    view: Type.Union([Type.Literal('coordinator'), Type.Literal('member')], { description: 'coordinator: clusters or points; member: own points and the group’s cells (at least 3 reports each)' }),
    zoom: Type.Integer(),
    resolution: Type.Union([Type.Integer(), Type.Null()], { description: 'H3 resolution counted at; null when points are returned' }),
    clusters: Type.Array(
      Type.Object({
        lat: Type.Number(),
        lon: Type.Number(),
        count: Type.Integer({ description: 'Reports in the cluster' }),
        byType: Type.Record(Type.String(), Type.Integer(), { description: 'Reports per exploitation type (a report of two types counts under both)' }),
      }),
    ),
    points: Type.Array(Point, { description: 'Coordinators from zoom 12 (each opening audited); members: their own reports' }),
    cells: Type.Optional(
      Type.Array(
        Type.Object({ cell: Type.String(), lat: Type.Number(), lon: Type.Number(), count: Type.Integer(), boundary: Type.Array(Type.Array(Type.Number())) }),
        { description: 'Members only: the group’s reports per cell, cells holding fewer than 3 left out' },
      ),
    ),
    truncated: Type.Boolean({ description: 'More than 500 points matched: zoom in or filter' }),
  },
  {
    examples: [
      { view: 'coordinator', zoom: 6, resolution: 5, clusters: [{ lat: 51.51, lon: -0.12, count: 42, byType: { sexual: 30, labour: 14 } }], points: [], truncated: false },
      { view: 'coordinator', zoom: 14, resolution: null, clusters: [], points: [{ reportId: '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', reference: 'R-7K2M9Q4X', lat: 51.5142, lon: -0.1231, type: 'sexual' }], truncated: false },
    ],
  },
);

export const Hotspots = Type.Object(
  {
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    historyPeriods: Type.Integer({ description: 'Periods of the same length before `from` (the year before) that make each cell’s history' }),
    resolution: Type.Integer(),
    hotspots: Type.Array(
      Type.Object({
        cell: Type.String(),
        lat: Type.Number(),
        lon: Type.Number(),
        boundary: Type.Array(Type.Array(Type.Number())),
        count: Type.Integer({ description: 'Reports in the period' }),
        mean: Type.Number({ description: 'Mean reports per history period' }),
        sd: Type.Number({ description: 'Standard deviation of the history counts' }),
        z: Type.Number({ description: '(count − mean) / max(sd, 1); hotspots have z ≥ 2 and count ≥ 3' }),
      }),
    ),
  },
  { examples: [{ from: '2026-11-01', to: '2026-11-28', historyPeriods: 13, resolution: 6, hotspots: [{ cell: '86195da4fffffff', lat: 51.51, lon: -0.12, boundary: [[51.5, -0.1]], count: 9, mean: 1.2, sd: 1.1, z: 7.09 }] }] },
);

export { ErrorResponse } from '../../core/http/error-response.ts';
