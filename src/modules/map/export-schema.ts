/** API schemas of the exports; they also make the OpenAPI document. Rules live in export-service.ts and filters.ts. */
import { Type, type TSchema } from '@sinclair/typebox';
import { FORMATS } from './export-formats.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const OneOrMany = (description: string) => Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })], { description }));
const EXAMPLE_ID = '7b0e2f4c-1d3a-4c5b-9e8f-2a1b3c4d5e6f';

const filterProperties = {
  from: Type.Optional(Type.String({ maxLength: 10, description: 'Received on or after this day (YYYY-MM-DD)' })),
  to: Type.Optional(Type.String({ maxLength: 10, description: 'Received on or before this day (YYYY-MM-DD)' })),
  status: OneOrMany('Any of these statuses (repeat the key or separate with commas)'),
  grade: OneOrMany('Any of these grades, "source/assessment/handling", "*" for any part, e.g. "2/B/*"'),
  type: OneOrMany('Reports naming any of these exploitation type ids'),
  indicator: OneOrMany('Reports naming any of these indicator ids'),
  placeType: OneOrMany('Reports at any of these place type ids'),
};

const restrictedProperties = {
  restricted: Type.Optional(Type.Union([Type.Boolean(), Type.String({ maxLength: 5 })], { description: 'Include restricted fields (precise place, account, identifiers, names heard or seen, vehicles, contact). Needs `reason`; audited; direct downloads only.' })),
  reason: Type.Optional(Type.String({ maxLength: 1000, description: 'Why restricted fields are needed (10–500 characters); written to the audit log.' })),
};

export const DirectParams = Type.Object({ id: Type.String({ maxLength: 64 }), format: Type.String({ enum: [...FORMATS], description: 'csv, hxl (HXL-tagged CSV), geojson or kml' }) });
export const CountryDirectParams = Type.Object({ country: Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2 code' }), format: DirectParams.properties.format });
export const DirectQuery = Type.Object({ ...filterProperties, ...restrictedProperties }, { additionalProperties: true });

export const StartExportBody = Type.Object(
  {
    groupId: Type.Optional(Type.String({ maxLength: 64, description: "Export this group's reports" })),
    country: Type.Optional(Type.String({ maxLength: 2, description: 'Or every report of this country (national coordinators)' })),
    format: Type.String({ enum: [...FORMATS] }),
    ...filterProperties,
    restricted: Type.Optional(Type.Boolean({ description: 'Refused here: restricted fields are only streamed directly, never stored in a file.' })),
  },
  { additionalProperties: true, examples: [{ groupId: '3f1c7a52-9d4e-4b8e-a1c2-6f0e9b7d2a11', format: 'geojson', from: '2026-01-01', status: ['graded', 'shared'] }] },
);

export const ExportParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const ExportView = Type.Object(
  {
    id: Type.String(),
    scope: Type.Object({ groupId: Nullable(Type.String()), country: Nullable(Type.String()) }),
    format: Type.String({ enum: [...FORMATS] }),
    filters: Type.Record(Type.String(), Type.Unknown()),
    status: Type.String({ enum: ['queued', 'running', 'done', 'failed'] }),
    rowsDone: Type.Integer(),
    rowsTotal: Nullable(Type.Integer()),
    bytes: Nullable(Type.Integer()),
    createdAt: Type.String(),
    finishedAt: Nullable(Type.String()),
    expiresAt: Type.String(),
    download: Nullable(Type.String({ description: 'The file, once done; only for whoever started the export' })),
  },
  {
    examples: [
      {
        id: EXAMPLE_ID,
        scope: { groupId: '3f1c7a52-9d4e-4b8e-a1c2-6f0e9b7d2a11', country: null },
        format: 'geojson',
        filters: { from: '2026-01-01' },
        status: 'running',
        rowsDone: 42000,
        rowsTotal: 120000,
        bytes: null,
        createdAt: '2026-11-28T10:00:00.000Z',
        finishedAt: null,
        expiresAt: '2026-11-29T10:00:00.000Z',
        download: null,
      },
    ],
  },
);

export const ExportList = Type.Object({ items: Type.Array(ExportView) });
