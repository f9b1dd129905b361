/** One schema per command: forms are checked with the *Form schemas, the API with the *Body schemas (which also make the OpenAPI document). */
import { Type } from '@sinclair/typebox';
import { HANDLING_CODES, PARTNER_KINDS, PARTNERSHIP_STATUSES } from './tables.ts';

const Kind = Type.Union(PARTNER_KINDS.map((kind) => Type.Literal(kind)), { errorKey: 'partners.errors.kind' });
const Name = Type.String({ minLength: 1, maxLength: 200, errorKey: 'partners.errors.name' });
const Country = Type.String({ minLength: 2, maxLength: 2, errorKey: 'partners.errors.countryUnknown', description: 'ISO 3166-1 alpha-2 code, e.g. GB' });
const Area = Type.String({ minLength: 1, maxLength: 200, errorKey: 'partners.errors.area' });
const Email = Type.String({ format: 'email', maxLength: 254, errorKey: 'errors.email' });
const Number_ = (errorKey: string) => Type.String({ pattern: '^-?\\d{1,4}(\\.\\d{1,10})?$', errorKey });
const Reference = Type.String({ minLength: 1, maxLength: 120, errorKey: 'partners.errors.reference' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', errorKey: 'partners.errors.date', description: 'A day, YYYY-MM-DD' });
const Contacts = Type.String({ minLength: 1, maxLength: 2000, errorKey: 'partners.errors.contacts' });
const Conditions = Type.String({ minLength: 1, maxLength: 4000, errorKey: 'partners.errors.conditionsRequired' });
const Code = Type.Union(HANDLING_CODES.map((code) => Type.Literal(code)));
const Id = Type.String({ format: 'uuid' });
const FormId = (errorKey: string) => Type.String({ minLength: 1, maxLength: 64, errorKey });

// ---------------------------------------------------------------- forms (every value a string)

export const PartnerForm = Type.Object({
  kind: Kind,
  name: Name,
  country: Country,
  area: Area,
  latitude: Type.Optional(Number_('partners.errors.latitude')),
  longitude: Type.Optional(Number_('partners.errors.longitude')),
  radiusKm: Type.Optional(Number_('partners.errors.radius')),
  contactEmail: Email,
});

export const PartnerUserForm = Type.Object({ email: Email });

export const ProposalForm = Type.Object({
  groupId: FormId('partners.errors.group'),
  partnerId: FormId('partners.errors.partnerUnknown'),
  agreementReference: Reference,
  signedOn: Day,
  contacts: Contacts,
  handlingCodes: Type.Union([Code, Type.Array(Code, { minItems: 1, maxItems: 2 })], { errorKey: 'partners.errors.handlingCodes' }),
  conditions: Type.Optional(Conditions),
});

export const EndForm = Type.Object({ endedOn: Type.Optional(Day) });

// ---------------------------------------------------------------- API

export const PartnerBody = Type.Object(
  {
    kind: Kind,
    name: Name,
    country: Country,
    area: Area,
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    radiusKm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000 })),
    contactEmail: Email,
  },
  {
    additionalProperties: false,
    examples: [{ kind: 'police', name: 'West Yorkshire Police', country: 'GB', area: 'West Yorkshire', latitude: 53.8, longitude: -1.55, radiusKm: 40, contactEmail: 'safeguarding@westyorkshire.police.example' }],
  },
);

export const PartnerUserBody = Type.Object({ email: Email }, { additionalProperties: false, examples: [{ email: 'officer@westyorkshire.police.example' }] });

export const ProposalBody = Type.Object(
  {
    groupId: Id,
    partnerId: Id,
    agreementReference: Reference,
    signedOn: Day,
    contacts: Contacts,
    handlingCodes: Type.Array(Code, { minItems: 1, maxItems: 2, uniqueItems: true }),
    conditions: Type.Optional(Conditions),
  },
  {
    additionalProperties: false,
    examples: [
      {
        groupId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
        partnerId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        agreementReference: 'ISA-2026-014',
        signedOn: '2026-03-01',
        contacts: 'Jo Smith, group coordinator; DS Sam Patel, safeguarding lead',
        handlingCodes: ['P', 'C'],
        conditions: 'Only for safeguarding; not to be disclosed in court without consent.',
      },
    ],
  },
);

export const EndBody = Type.Object({ endedOn: Type.Optional(Day) }, { additionalProperties: false, examples: [{ endedOn: '2026-11-01' }] });

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const PartnerView = Type.Object({
  id: Id,
  kind: Kind,
  name: Type.String(),
  country: Type.String(),
  area: Type.String(),
  point: Type.Union([Type.Object({ latitude: Type.Number(), longitude: Type.Number(), radiusKm: Type.Number() }), Type.Null()]),
  contactEmail: Type.String(),
  verified: Type.Boolean(),
  verifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  partnerUsers: Type.Integer(),
});

export const PartnershipView = Type.Object({
  id: Id,
  group: Type.Object({ id: Id, name: Type.String() }),
  partner: Type.Object({ id: Id, name: Type.String(), kind: Kind }),
  country: Type.String(),
  status: Type.Union(PARTNERSHIP_STATUSES.map((status) => Type.Literal(status))),
  agreement: Type.Object({
    reference: Type.String(),
    signedOn: Type.String(),
    contacts: Type.String(),
    handlingCodes: Type.Array(Code),
    conditions: Type.Union([Type.String(), Type.Null()]),
  }),
  proposedAt: Type.String({ format: 'date-time' }),
  respondedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  endedOn: Type.Union([Type.String(), Type.Null()]),
});

export const PartnerUserAdded = Type.Object({ userId: Id });

export { ErrorResponse } from '../../core/http/error-response.ts';
