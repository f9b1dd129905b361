/** One schema per command: forms are checked with the *Form schemas, the API with the *Body schemas (which also make the OpenAPI document). */
import { Type } from '@sinclair/typebox';
import { DISCLOSURE_STATUSES, IDENTIFIER_KINDS, MARKINGS, OUTCOME_KINDS } from './tables.ts';

const Id = Type.String({ format: 'uuid' });
const FormId = (errorKey: string) => Type.String({ minLength: 1, maxLength: 64, errorKey });
const Marking = Type.Union(MARKINGS.map((marking) => Type.Literal(marking)), { errorKey: 'sharing.errors.marking', description: 'A government security marking, if one applies' });
const OutcomeKind = Type.Union(OUTCOME_KINDS.map((kind) => Type.Literal(kind)), { errorKey: 'sharing.errors.outcomeKind' });
const Note = Type.String({ maxLength: 2000, errorKey: 'sharing.errors.noteTooLong' });
const Code = Type.Union([Type.Literal('P'), Type.Literal('C')]);
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

// ---------------------------------------------------------------- forms (every value a string)

export const DisclosureForm = Type.Object({
  partnershipId: FormId('sharing.errors.partnershipUnknown'),
  reportIds: Type.Optional(Type.Union([FormId('sharing.errors.reportUnknown'), Type.Array(FormId('sharing.errors.reportUnknown'), { minItems: 1, maxItems: 200 })], { errorKey: 'sharing.errors.reportsRequired' })),
  networkId: Type.Optional(FormId('sharing.errors.networkUnknown')),
  marking: Type.Optional(Marking),
});

export const OutcomeForm = Type.Object({
  kind: OutcomeKind,
  count: Type.Optional(Type.String({ pattern: '^\\d{1,6}$', errorKey: 'sharing.errors.outcomeCount' })),
  note: Type.Optional(Note),
});

export const TermsForm = Type.Object({
  identifierKinds: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 6 })], { errorKey: 'sharing.errors.identifierKinds' })),
  preciseLocation: Type.Optional(Type.Literal('on')),
});

export const SettingsForm = Type.Object({ secondApproval: Type.Optional(Type.Literal('on')) });

// ---------------------------------------------------------------- API

export const DisclosureBody = Type.Object(
  {
    partnershipId: Id,
    reportIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true, description: 'Graded reports to disclose; give these or networkId, not both' })),
    networkId: Type.Optional(Type.String({ format: 'uuid', description: "A network (correlation module) whose graded reports to disclose, with the identifiers that link them" })),
    marking: Type.Optional(Marking),
  },
  {
    additionalProperties: false,
    examples: [
      { partnershipId: '3b1f6c2e-8d4a-4f5b-9c6d-7e8f9a0b1c2d', reportIds: ['5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b'], marking: 'OFFICIAL-SENSITIVE' },
      { partnershipId: '3b1f6c2e-8d4a-4f5b-9c6d-7e8f9a0b1c2d', networkId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' },
    ],
  },
);

export const OutcomeBody = Type.Object(
  {
    kind: OutcomeKind,
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Number of people, for victims-identified and arrests only' })),
    note: Type.Optional(Note),
  },
  { additionalProperties: false, examples: [{ kind: 'victims-identified', count: 3, note: 'Three women safeguarded after a joint visit on 2 December.' }, { kind: 'investigation-opened' }] },
);

export const IdParams = Type.Object({ id: Id });

export const TotalsQuery = Type.Object(
  {
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2; one of the countries you coordinate' })),
    from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'First month, YYYY-MM' })),
    to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'Last month, YYYY-MM' })),
  },
  { additionalProperties: false },
);

export const DisclosureSummary = Type.Object({
  id: Id,
  reference: Type.String({ examples: ['D-7K2M9QXA'] }),
  status: Type.Union(DISCLOSURE_STATUSES.map((status) => Type.Literal(status))),
  groupId: Id,
  partnerId: Id,
  country: Type.String(),
  marking: Type.Union([Marking, Type.Null()]),
  handlingCodes: Type.Array(Code),
  reportCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Nullable(Type.String({ format: 'date-time' })),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
});

const Location = Type.Union([
  Type.Object({ precision: Type.Literal('coarse'), cell: Type.String({ description: 'H3 cell, resolution 7' }), lat: Type.Number(), lon: Type.Number() }),
  Type.Object({ precision: Type.Literal('precise'), lat: Type.Number(), lon: Type.Number() }),
  Type.Null(),
]);

const PackageReport = Type.Object({
  reference: Type.String(),
  receivedOn: Type.String(),
  country: Type.String(),
  grade: Type.String({ description: 'UK 3x5x2, written source/assessment/handling', examples: ['2/B/P'] }),
  source: Type.Integer(),
  assessment: Type.String(),
  handling: Code,
  conditions: Nullable(Type.String()),
  priority: Nullable(Type.String()),
  summary: Type.String({ description: 'The coordinator’s sanitised summary: the only text that leaves the group' }),
  placeType: Nullable(Type.String()),
  observedFrom: Nullable(Type.String()),
  observedTo: Nullable(Type.String()),
  exploitationTypes: Type.Array(Type.String()),
  indicators: Type.Array(Type.String()),
  peopleCount: Type.Union([Type.Integer(), Type.Null()]),
  location: Location,
  identifiers: Type.Array(Type.Object({ kind: Type.Union(IDENTIFIER_KINDS.map((kind) => Type.Literal(kind))), value: Nullable(Type.String({ description: 'null: withheld (the agreement does not cover this kind)' })) })),
});

export const DisclosureView = Type.Composite([
  DisclosureSummary,
  Type.Object({
    package: Type.Object({
      group: Type.Object({ id: Id, name: Type.String() }),
      network: Type.Union([Type.Object({ id: Id, name: Type.String() }), Type.Null()]),
      partner: Type.Object({ id: Id, name: Type.String() }),
      country: Type.String(),
      agreementReference: Type.String(),
      handlingCodes: Type.Array(Code),
      conditions: Nullable(Type.String()),
      marking: Type.Union([Marking, Type.Null()]),
      reports: Type.Array(PackageReport),
      linkedIdentifiers: Type.Array(
        Type.Object({ kind: Type.Union(IDENTIFIER_KINDS.map((kind) => Type.Literal(kind))), value: Nullable(Type.String()), reports: Type.Array(Type.String({ description: 'References of the reports that hold it' })) }),
        { description: 'Identifiers two or more of the reports hold (in clear only where the agreement covers the kind)' },
      ),
    }),
    outcomes: Type.Array(Type.Object({ id: Id, kind: OutcomeKind, count: Type.Union([Type.Integer(), Type.Null()]), note: Nullable(Type.String()), recordedOn: Type.String() })),
  }),
]);

export const OutcomeView = Type.Object({ id: Id, kind: OutcomeKind, count: Type.Union([Type.Integer(), Type.Null()]), note: Nullable(Type.String()), recordedOn: Type.String() });

const KindCounts = Type.Object(Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, Type.Integer()])));

export const OutcomeTotals = Type.Object(
  {
    countries: Type.Array(
      Type.Object({
        country: Type.String(),
        months: Type.Array(Type.Object({ month: Type.String({ examples: ['2026-11'] }), outcomes: KindCounts, victimsIdentified: Type.Integer(), arrests: Type.Integer() })),
      }),
    ),
  },
  {
    examples: [
      {
        countries: [
          {
            country: 'GB',
            months: [{ month: '2026-11', outcomes: { 'safeguarding-visit': 2, 'victims-identified': 1, arrests: 1, 'investigation-opened': 1, 'no-further-action': 0, other: 0 }, victimsIdentified: 3, arrests: 2 }],
          },
        ],
      },
    ],
  },
);

export const GroupOutcomeSummary = Type.Object({
  group: Type.Object({ id: Id, name: Type.String() }),
  disclosuresSent: Type.Integer(),
  disclosuresAcknowledged: Type.Integer(),
  outcomes: KindCounts,
  victimsIdentified: Type.Integer(),
  arrests: Type.Integer(),
});

export { ErrorResponse } from '../../core/http/error-response.ts';
