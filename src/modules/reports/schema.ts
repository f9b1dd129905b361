/**
 * API schemas of the reports module; they also make the OpenAPI document. Shapes only: ranges,
 * taxonomy ids and the "says nothing at all" rule are checked in report-input.ts, so the API and the
 * form give the same specific messages.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { IDENTIFIER_KINDS, OBSERVED_TIMES } from './tables.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Country = Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2 code' });
const Countries = Type.Array(Country, { maxItems: 20 });
const Ids = (description: string) => Type.Array(Type.String({ maxLength: 80 }), { maxItems: 200, description });

export const Identifier = Type.Object(
  { kind: Type.String({ enum: [...IDENTIFIER_KINDS] }), value: Type.String({ maxLength: 500 }) },
  { additionalProperties: false },
);

export const SubmitReportBody = Type.Object(
  {
    country: Type.String({ maxLength: 2, description: 'Country where it happened (ISO 3166-1 alpha-2): decides who reviews the report' }),
    location: Type.Optional(Nullable(Type.Object({ lat: Type.Number(), lon: Type.Number() }, { additionalProperties: false, description: 'The point on a map; kept encrypted, only a coarse cell is kept in clear' }))),
    place: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'An address or place name' }))),
    placeType: Type.Optional(Nullable(Type.String({ maxLength: 80, description: 'A place type id from getIndicatorTaxonomy' }))),
    observedFrom: Type.Optional(Nullable(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, not in the future' }))),
    observedTo: Type.Optional(Nullable(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, for a range' }))),
    observedTime: Type.Optional(Nullable(Type.String({ enum: [...OBSERVED_TIMES] }))),
    exploitationTypes: Type.Optional(Ids('Exploitation type ids from getIndicatorTaxonomy')),
    indicators: Type.Optional(Ids('Indicator ids from getIndicatorTaxonomy')),
    peopleCount: Type.Optional(Nullable(Type.Integer({ description: 'Approximate number of people, 1 to 10,000' }))),
    ageBands: Type.Optional(Ids('Apparent age band ids')),
    genders: Type.Optional(Ids('Apparent gender ids')),
    vehicles: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    identifiers: Type.Optional(Type.Array(Identifier, { maxItems: 200 })),
    names: Type.Optional(
      Type.Array(Type.String({ maxLength: 400 }), {
        maxItems: 100,
        description: 'Names heard or seen: a person’s name or nickname, a business name (up to 20, 200 characters each). Kept encrypted; used to find similar names in other reports without revealing them',
      }),
    ),
    route: Type.Optional(Type.Object({ origin: Type.Optional(Countries), transit: Type.Optional(Countries), destination: Type.Optional(Countries) }, { additionalProperties: false })),
    account: Type.Optional(Nullable(Type.String({ maxLength: 40_000, description: 'What you saw, in your own words (up to 20,000 characters)' }))),
    contact: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'How a coordinator may contact you; only with contactConsent' }))),
    contactConsent: Type.Optional(Type.Boolean()),
  },
  {
    additionalProperties: false,
    examples: [
      {
        country: 'GB',
        location: { lat: 51.4545, lon: -2.5879 },
        placeType: 'car-wash',
        observedFrom: '2026-11-20',
        observedTime: 'evening',
        exploitationTypes: ['labour'],
        indicators: ['labour.group-transport', 'person.spoken-for'],
        peopleCount: 6,
        identifiers: [{ kind: 'plate', value: 'AB12 CDE' }],
        names: ['Jon Smyth', 'Sparkle Hand Car Wash'],
        account: 'Workers are dropped off by one van at 6am and collected after 10pm.',
      },
    ],
  },
);

export const Receipt = Type.Object({
  reference: Type.String({ description: 'A non-secret reference for the report' }),
  receiptCode: Type.String({ description: 'Shown once: CAST keeps only its hash. With it you can add information and see the status' }),
  status: Type.String({ enum: ['received', 'being-reviewed', 'passed-to-partners', 'closed'] }),
});

export const ReceiptBody = Type.Object(
  { receipt: Type.String({ maxLength: 64, description: 'The receipt code shown when the report was sent' }) },
  { additionalProperties: false, examples: [{ receipt: '7KQX-3M9P-T2VA-8HCN-J4RW' }] },
);

export const AdditionBody = Type.Object(
  {
    receipt: Type.String({ maxLength: 64 }),
    account: Type.Optional(Nullable(Type.String({ maxLength: 40_000 }))),
    identifiers: Type.Optional(Type.Array(Identifier, { maxItems: 200 })),
  },
  { additionalProperties: false, examples: [{ receipt: '7KQX-3M9P-T2VA-8HCN-J4RW', account: 'The van came back on Sunday; the phone number on its side was different.', identifiers: [{ kind: 'phone', value: '07700 900123' }] }] },
);

export const ReporterView = Type.Object({
  reference: Type.String(),
  receivedOn: Type.String({ description: 'The day only' }),
  status: Type.String({ enum: ['received', 'being-reviewed', 'passed-to-partners', 'closed'] }),
  additions: Type.Integer({ description: 'How many times information was added' }),
  reducedToStatistics: Type.Boolean({ description: 'True once the report has been reduced to statistics under the retention policy (see /privacy): its details are deleted and nothing more can be added to it' }),
});

export const ReportParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const Str = Type.String();
export const ReviewView = Type.Object({
  id: Str,
  reference: Str,
  groupId: Nullable(Str),
  country: Str,
  receivedOn: Str,
  status: Str,
  duplicateOf: Nullable(Str),
  assignedTo: Nullable(Str),
  placeType: Nullable(Str),
  observedFrom: Nullable(Str),
  observedTo: Nullable(Str),
  observedTime: Nullable(Str),
  exploitationTypes: Type.Array(Str),
  indicators: Type.Array(Str),
  peopleCount: Nullable(Type.Integer()),
  ageBands: Type.Array(Str),
  genders: Type.Array(Str),
  route: Type.Object({ origin: Type.Array(Str), transit: Type.Array(Str), destination: Type.Array(Str) }),
  h3Cell: Nullable(Str),
  location: Nullable(Type.Object({ lat: Type.Optional(Type.Number()), lon: Type.Optional(Type.Number()), place: Type.Optional(Str) })),
  account: Nullable(Str),
  vehicles: Nullable(Str),
  contact: Nullable(Str),
  contactConsent: Type.Boolean(),
  names: Type.Array(Str, { description: 'Names heard or seen (restricted)' }),
  identifiers: Type.Array(Type.Object({ id: Str, kind: Str, value: Str, normalised: Str, unparsed: Type.Boolean(), addedLater: Type.Boolean() })),
  additions: Type.Array(Type.Object({ id: Str, addedOn: Str, account: Nullable(Str) })),
  grade: Nullable(
    Type.Object({ source: Type.Integer(), assessment: Str, handling: Str, conditions: Nullable(Str), priority: Nullable(Str), summary: Nullable(Str), gradedAt: Nullable(Str) }),
  ),
  unreadAdditions: Type.Boolean(),
  reporterHasAccount: Type.Boolean(),
  purgedOn: Nullable(Type.String({ description: 'The day the report was reduced to statistics under the retention policy (its restricted fields are gone and it can no longer change); null until then' })),
});

export { ErrorResponse } from '../../core/http/error-response.ts';
