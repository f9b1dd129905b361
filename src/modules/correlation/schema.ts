/** API schemas of the correlation module; they also make the OpenAPI document. Rules live in the services. */
import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Str = Type.String();
const ID = '3f1c7a52-9d4e-4b8e-a1c2-6f0e9b7d2a11';
const ID2 = '8a6e0f3c-1b2d-4c5e-9f7a-0b1c2d3e4f50';

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const CountryParams = Type.Object({ country: Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2 code' }) });

const Reason = Type.Object(
  {
    method: Type.String({ enum: ['exact', 'fuzzy', 'place-time'] }),
    kind: Type.Optional(Type.String({ description: 'exact: the identifier kind (phone, plate, address, website, handle, email)' })),
    identifier: Type.Optional(Type.String({ description: 'exact: an opaque tag, the same for every link through one identifier; never the value' })),
    field: Type.Optional(Type.String({ description: 'fuzzy: name, address or place' })),
    dice: Type.Optional(Type.Number({ description: 'fuzzy: Dice coefficient of the two Bloom-filter encodings' })),
    placeType: Type.Optional(Str),
    days: Type.Optional(Type.Integer({ description: 'place-time: days between the two reports' })),
    near: Type.Optional(Type.String({ enum: ['same-area', 'next-area'] })),
  },
  { additionalProperties: false },
);

const LinkedReport = Type.Object({
  id: Str,
  reference: Str,
  group: Nullable(Type.Object({ id: Str, name: Str })),
  country: Str,
  status: Str,
  placeType: Nullable(Str),
  receivedOn: Str,
  observedFrom: Nullable(Str),
  exploitationTypes: Type.Array(Str),
  grade: Nullable(Type.String({ description: 'Written as 2/B/P' })),
  summary: Nullable(Type.String({ description: 'The sanitised summary: the only text that may leave a group' })),
  access: Type.String({ enum: ['reviewer', 'connection'], description: 'connection: shown through an approved connection request (audited)' }),
});

const linkedExample = { id: ID2, reference: 'R-7KQX3M9P', group: { id: ID, name: 'Leeds CAST' }, country: 'GB', status: 'graded', placeType: 'car-wash', receivedOn: '2026-11-21', observedFrom: '2026-11-20', exploitationTypes: ['labour'], grade: '2/B/P', summary: 'Workers collected by one van late at night.', access: 'reviewer' };

export const ReportLinks = Type.Object(
  {
    report: Type.Object({ id: Str, reference: Str, country: Str }),
    links: Type.Array(Type.Object({ id: Str, score: Type.Number(), status: Type.String({ enum: ['proposed', 'confirmed', 'dismissed'] }), exact: Type.Boolean(), reasons: Type.Array(Reason), other: LinkedReport, canDecide: Type.Boolean() })),
    hidden: Type.Array(
      Type.Object({ method: Type.String({ enum: ['exact', 'fuzzy', 'place-time'] }), what: Str, identifier: Nullable(Str), reports: Type.Integer({ description: 'Linked reports held elsewhere that you may not see' }) }),
      { description: '"This identifier also appears in N reports held by other groups"' },
    ),
    hiddenReports: Type.Integer(),
    requests: Type.Array(Type.Object({ id: Str, status: Str, createdAt: Str, reports: Type.Integer() })),
    canRequest: Type.Boolean(),
    canCreateNetwork: Type.Boolean(),
  },
  {
    examples: [
      {
        report: { id: ID, reference: 'R-2M4N6P8Q', country: 'GB' },
        links: [{ id: ID2, score: 1, status: 'proposed', exact: true, reasons: [{ method: 'exact', kind: 'phone', identifier: '9f3a61c2' }], other: linkedExample, canDecide: true }],
        hidden: [{ method: 'exact', what: 'phone', identifier: '9f3a61c2', reports: 2 }],
        hiddenReports: 2,
        requests: [],
        canRequest: true,
        canCreateNetwork: false,
      },
    ],
  },
);

export const LinkState = Type.Object({ id: Str, status: Type.String({ enum: ['proposed', 'confirmed', 'dismissed'] }) }, { examples: [{ id: ID2, status: 'confirmed' }] });

export const ConnectionRequestBody = Type.Object(
  { reason: Type.String({ maxLength: 2000, description: 'Why you need to be connected; read by the national coordinator' }) },
  { additionalProperties: false, examples: [{ reason: 'The same phone number is in our report of a car wash; we are about to share it with the police.' }] },
);
export const ConnectionRequestCreated = Type.Object({ id: Str, status: Str, reports: Type.Integer({ description: 'Linked reports the request covers' }) }, { examples: [{ id: ID, status: 'pending', reports: 2 }] });

export const DecisionBody = Type.Object(
  { decision: Type.String({ enum: ['approve', 'refuse'] }), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false, examples: [{ decision: 'approve', note: 'Connected: both groups work with West Yorkshire Police.' }] },
);
export const DecisionResult = Type.Object({ id: Str, status: Str }, { examples: [{ id: ID, status: 'approved' }] });

export const RequestsQuery = Type.Object({ status: Type.Optional(Type.String({ enum: ['pending', 'approved', 'refused', ''] })) }, { additionalProperties: false });
export const ConnectionRequests = Type.Array(
  Type.Object({
    id: Str,
    status: Str,
    country: Str,
    reason: Str,
    createdAt: Str,
    decidedAt: Nullable(Str),
    decisionNote: Nullable(Str),
    report: Nullable(LinkedReport),
    linkedReports: Type.Array(LinkedReport),
    requester: Type.Object({ id: Str }),
  }),
  { examples: [[{ id: ID, status: 'pending', country: 'GB', reason: 'Same phone number as our car-wash report.', createdAt: '2026-11-28T10:12:00.000Z', decidedAt: null, decisionNote: null, report: linkedExample, linkedReports: [linkedExample], requester: { id: ID2 } }]] },
);

const NetworkSummary = Type.Object({ id: Str, country: Str, name: Str, summary: Str, reports: Type.Integer(), createdAt: Str });
const networkExample = { id: ID, country: 'GB', name: 'M62 car washes', summary: 'Four car washes sharing two phone numbers and one van.', reports: 4, createdAt: '2026-11-28T10:12:00.000Z' };
export const NetworkList = Type.Array(NetworkSummary, { examples: [[networkExample]] });
export const NetworkCreated = Type.Object(NetworkSummary.properties, { examples: [networkExample] });

export const CreateNetworkBody = Type.Object(
  {
    reportId: Type.String({ maxLength: 64, description: 'A report of the network: its confirmed links, followed from report to report, make the network' }),
    name: Type.String({ maxLength: 200 }),
    summary: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false, examples: [{ reportId: ID, name: 'M62 car washes', summary: 'Four car washes sharing two phone numbers and one van.' }] },
);

export const Network = Type.Object(
  {
    ...NetworkSummary.properties,
    canEdit: Type.Boolean(),
    nodes: Type.Array(
      Type.Object({
        id: Str,
        type: Type.String({ enum: ['report', 'hidden-report', 'identifier', 'place'] }),
        report: Type.Optional(LinkedReport),
        kind: Type.Optional(Str),
        tag: Type.Optional(Str),
        cell: Type.Optional(Type.String({ description: 'H3 cell, resolution 7 (about 5 km²)' })),
      }),
    ),
    edges: Type.Array(Type.Object({ from: Str, to: Str, type: Type.String({ enum: ['link', 'holds', 'in-area'] }), reasons: Type.Optional(Type.Array(Reason)), status: Type.Optional(Str) })),
    timeline: Type.Array(Type.Object({ day: Str, report: LinkedReport })),
    hiddenReports: Type.Integer({ description: 'Reports of the network held by groups you may not see' }),
  },
  {
    examples: [
      {
        ...networkExample,
        canEdit: false,
        nodes: [
          { id: 'r1', type: 'report', report: linkedExample },
          { id: 'r2', type: 'hidden-report' },
          { id: 'i:9f3a61c2', type: 'identifier', kind: 'phone', tag: '9f3a61c2' },
          { id: 'p:87195da49ffffff', type: 'place', cell: '87195da49ffffff' },
        ],
        edges: [
          { from: 'r1', to: 'r2', type: 'link', status: 'confirmed' },
          { from: 'r1', to: 'i:9f3a61c2', type: 'holds' },
          { from: 'r1', to: 'p:87195da49ffffff', type: 'in-area' },
        ],
        timeline: [{ day: '2026-11-20', report: linkedExample }],
        hiddenReports: 1,
      },
    ],
  },
);
