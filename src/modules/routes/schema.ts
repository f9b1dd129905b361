/** Request and response schemas of the routes API (they also make its OpenAPI document). */
import { Type } from '@sinclair/typebox';

// additionalProperties: an unknown parameter reaches the service, which names it in a 422.
export const RouteFlowsQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 7, description: 'First month received (YYYY-MM), inclusive; 11 months before `to` when absent' })),
    to: Type.Optional(Type.String({ maxLength: 7, description: 'Last month received (YYYY-MM), inclusive; this month when absent. At most 120 months in all' })),
    type: Type.Optional(Type.String({ maxLength: 40, description: 'Only reports of this exploitation type (an id from getIndicatorTaxonomy)' })),
  },
  { additionalProperties: true },
);

export const PublicStatisticsQuery = Type.Object(
  {
    year: Type.Optional(Type.String({ maxLength: 4, description: 'One year (YYYY); all years when absent' })),
    type: Type.Optional(Type.String({ maxLength: 40, description: 'One exploitation type (an id from getIndicatorTaxonomy); all types when absent' })),
  },
  { additionalProperties: true },
);

export const GroupParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const CountryParams = Type.Object({ cc: Type.String({ maxLength: 8, description: 'ISO 3166-1 alpha-2 country code' }) });

const code = (description: string) => Type.String({ pattern: '^[A-Z]{2}$', description });

const ContextLayer = Type.Union(
  [
    Type.Object({
      source: Type.Literal('CTDC'),
      label: Type.String({ description: 'The name the operator gave the import' }),
      importedAt: Type.String({ format: 'date-time' }),
      k: Type.Integer({ description: 'Counts below k records are left out' }),
      flows: Type.Array(Type.Object({ from: code('Citizenship'), to: code('Country of exploitation'), records: Type.Integer({ description: 'CTDC records (victims), at least k' }) })),
    }),
    Type.Null(),
  ],
  { description: 'The CTDC data set as context, flows into or out of the scope’s country in the years of the period; null when none was imported. Never mixed into CAST’s numbers' },
);

export const RouteFlows = Type.Object(
  {
    from: Type.String({ description: 'YYYY-MM' }),
    to: Type.String({ description: 'YYYY-MM' }),
    type: Type.Union([Type.String(), Type.Null()]),
    flows: Type.Array(
      Type.Object({ from: code('Origin or transit country'), to: code('Transit or destination country'), reports: Type.Integer({ description: 'Reports naming this leg' }) }),
      { description: 'Legs named by the scope’s reports (not rejected, not duplicate): origin → transit → destination; origin → destination without transit; the country a report was made in is its destination when none is given' },
    ),
    legs: Type.Integer({ description: 'The sum of the flows (a report naming two legs counts on each)' }),
    context: ContextLayer,
  },
  {
    examples: [
      {
        from: '2025-12',
        to: '2026-11',
        type: null,
        flows: [
          { from: 'RO', to: 'GB', reports: 14 },
          { from: 'VN', to: 'FR', reports: 6 },
          { from: 'FR', to: 'GB', reports: 6 },
        ],
        legs: 26,
        context: { source: 'CTDC', label: 'CTDC global synthetic 2024', importedAt: '2026-11-20T09:00:00.000Z', k: 11, flows: [{ from: 'AL', to: 'GB', records: 312 }] },
      },
    ],
  },
);

export const PublicStatistics = Type.Object(
  {
    k: Type.Integer({ description: 'No number describes fewer than k reports or records (11, as CTDC)' }),
    year: Type.Union([Type.Integer(), Type.Null()]),
    type: Type.Union([Type.String(), Type.Null()]),
    cast: Type.Object(
      {
        fromMonth: Type.Union([Type.String(), Type.Null()], { description: 'First month counted (YYYY-MM)' }),
        toMonth: Type.Union([Type.String(), Type.Null()], { description: 'Last month counted: the last whole month that ended at least the public delay ago' }),
        flows: Type.Array(Type.Object({ from: code('From'), to: code('To'), reports: Type.Integer({ description: 'Reviewed reports naming this leg; a sum of counts of at least k' }) })),
      },
      { description: 'CAST’s own reviewed reports' },
    ),
    ctdc: Type.Union(
      [
        Type.Object({
          label: Type.String(),
          importedAt: Type.String({ format: 'date-time' }),
          years: Type.Array(Type.Integer(), { description: 'Years the data set covers' }),
          flows: Type.Array(Type.Object({ from: code('Citizenship'), to: code('Country of exploitation'), records: Type.Integer() })),
          byCountry: Type.Array(Type.Object({ country: code('Country of exploitation'), records: Type.Integer() })),
          byType: Type.Array(Type.Object({ type: Type.String(), records: Type.Integer({ description: 'A record of two types counts under each' }) })),
          records: Type.Integer({ description: 'Records counted in all' }),
        }),
        Type.Null(),
      ],
      { description: 'The CTDC data set, a separate context layer; null when none was imported' },
    ),
  },
  {
    examples: [
      {
        k: 11,
        year: 2025,
        type: null,
        cast: { fromMonth: '2025-01', toMonth: '2025-12', flows: [{ from: 'RO', to: 'GB', reports: 23 }] },
        ctdc: {
          label: 'CTDC global synthetic 2024',
          importedAt: '2026-11-20T09:00:00.000Z',
          years: [2019, 2020, 2021],
          flows: [{ from: 'AL', to: 'GB', records: 312 }],
          byCountry: [{ country: 'GB', records: 1204 }],
          byType: [{ type: 'sexual', records: 804 }],
          records: 1204,
        },
      },
    ],
  },
);

export { ErrorResponse } from '../../core/http/error-response.ts';
