/**
 * One schema per command. Forms are checked with the *Form schemas; the API ones also make the
 * OpenAPI document. Ranges (area, dates, people reached) are checked by the service, so forms and
 * the API give the same specific messages.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ACTIVITY_KINDS, AUDIENCES, GROUP_KINDS, GROUP_ROLES } from './service.ts';

const choice = (values: readonly string[], errorKey: string) => Type.Union(values.map((value) => Type.Literal(value)), { errorKey });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Name = Type.String({ minLength: 1, maxLength: 120, errorKey: 'groups.errors.name' });
const Locality = Type.String({ minLength: 1, maxLength: 120, errorKey: 'groups.errors.locality' });
const Country = Type.String({ minLength: 2, maxLength: 2, errorKey: 'groups.errors.country', description: 'ISO 3166-1 alpha-2 code' });
const NumberText = (errorKey: string) => Type.String({ maxLength: 32, pattern: '^-?\\d+(\\.\\d+)?$', errorKey });

// ---------------------------------------------------------------- forms (text fields)

export const CreateGroupForm = Type.Object({
  name: Name,
  kind: choice(GROUP_KINDS, 'groups.errors.kind'),
  country: Country,
  locality: Locality,
  lat: NumberText('groups.errors.latitude'),
  lon: NumberText('groups.errors.longitude'),
  radiusKm: NumberText('groups.errors.radius'),
  boundary: Type.Optional(Type.String({ maxLength: 100_000, errorKey: 'groups.errors.boundary' })),
});

export const JoinForm = Type.Object({ message: Type.Optional(Type.String({ maxLength: 1000, errorKey: 'groups.errors.message' })) });
export const DecisionForm = Type.Object({ decision: choice(['approve', 'decline'], 'groups.errors.decision') });
export const InviteForm = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 254, errorKey: 'errors.email' })),
  role: choice(GROUP_ROLES, 'groups.errors.role'),
});
export const RoleForm = Type.Object({ role: choice(GROUP_ROLES, 'groups.errors.role') });
export const ActivityForm = Type.Object({
  occurredOn: Type.String({ maxLength: 10, errorKey: 'groups.errors.date' }),
  kind: choice(ACTIVITY_KINDS, 'groups.errors.activityKind'),
  audience: choice(AUDIENCES, 'groups.errors.audience'),
  peopleReached: Type.String({ maxLength: 12, pattern: '^-?\\d+$', errorKey: 'groups.errors.peopleReached' }),
  actionPack: Type.Optional(Type.String({ maxLength: 200, errorKey: 'groups.errors.actionPack' })),
  notes: Type.Optional(Type.String({ maxLength: 2000, errorKey: 'groups.errors.notes' })),
});

// ---------------------------------------------------------------- API bodies

export const CreateGroupBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    kind: Type.String({ enum: [...GROUP_KINDS] }),
    country: Type.String({ description: 'ISO 3166-1 alpha-2 code' }),
    locality: Type.String({ minLength: 1, maxLength: 120 }),
    lat: Type.Number({ description: 'Latitude of the centre of the area, -90 to 90' }),
    lon: Type.Number({ description: 'Longitude of the centre of the area, -180 to 180' }),
    radiusKm: Type.Number({ description: 'Radius of the area in kilometres, more than 0 and at most 200' }),
    boundary: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true, description: 'A GeoJSON Polygon: closed rings of [longitude, latitude]' }))),
  },
  {
    additionalProperties: false,
    examples: [{ name: 'St Mary’s School CAST group', kind: 'school', country: 'GB', locality: 'Bristol', lat: 51.4545, lon: -2.5879, radiusKm: 5 }],
  },
);

export const JoinBody = Type.Object({ message: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false, examples: [{ message: 'I teach at the school and would like to help.' }] });
export const DecisionBody = Type.Object({ decision: Type.String({ enum: ['approve', 'decline'] }) }, { additionalProperties: false, examples: [{ decision: 'approve' }] });
export const InviteBody = Type.Object(
  { email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))), role: Type.Optional(Type.String({ enum: [...GROUP_ROLES] })) },
  { additionalProperties: false, examples: [{ email: 'new.member@example.org', role: 'member' }, { role: 'member' }] },
);
export const RoleBody = Type.Object({ role: Type.String({ enum: [...GROUP_ROLES] }) }, { additionalProperties: false, examples: [{ role: 'coordinator' }] });
export const ActivityBody = Type.Object(
  {
    occurredOn: Type.String({ description: 'The day, YYYY-MM-DD; not in the future' }),
    kind: Type.String({ enum: [...ACTIVITY_KINDS] }),
    audience: Type.String({ enum: [...AUDIENCES] }),
    peopleReached: Type.Integer({ description: '0 to 1,000,000' }),
    actionPack: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'Id of the Action Pack used (see listActionPacks), e.g. `schools-sex-trafficking`' }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false, examples: [{ occurredOn: '2026-10-18', kind: 'assembly', audience: 'school', peopleReached: 240, actionPack: 'schools-sex-trafficking', notes: 'Year 10 assembly' }] },
);

// ---------------------------------------------------------------- parameters and responses

export const GroupParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const RequestParams = Type.Object({ id: Type.String({ maxLength: 64 }), requestId: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({ id: Type.String({ maxLength: 64 }), userId: Type.String({ maxLength: 64 }) });
export const InvitationParams = Type.Object({ id: Type.String({ maxLength: 64 }), invitationId: Type.String({ maxLength: 64 }) });
export const TokenParams = Type.Object({ token: Type.String({ maxLength: 128 }) });
export const CountryParams = Type.Object({ country: Type.String({ maxLength: 8 }) });
export const DirectoryQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the name or locality' })),
  country: Type.Optional(Type.String({ maxLength: 2 })),
  after: Type.Optional(Type.String({ maxLength: 700, pattern: '^[\\w-]+$', description: 'The `next` value of the previous page' })),
});

const Point = Type.Object({ lat: Type.Number(), lon: Type.Number() });
export const PublicGroup = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), locality: Type.String(), country: Type.String(), point: Point });
export const MemberGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  locality: Type.String(),
  country: Type.String(),
  centre: Point,
  radiusKm: Type.Number(),
  boundary: Type.Unknown(),
  listed: Type.Boolean(),
  listingRequested: Type.Boolean(),
  createdAt: Type.String(),
});
export const Directory = Type.Object(
  {
    groups: Type.Array(PublicGroup),
    pageSize: Type.Integer(),
    next: Nullable(Type.String({ description: 'Pass as `after` to get the next page; null on the last page' })),
    count: Type.Integer({ description: 'Groups matching the filter, exact up to 200; above that 200 with countExact false' }),
    countExact: Type.Boolean(),
  },
  { examples: [{ groups: [{ id: '8f14e45f-ceea-4e7a-9b1d-2c3a4b5c6d7e', name: 'Clifton CAST', kind: 'community', locality: 'Bristol', country: 'GB', point: { lat: 51.5, lon: -2.6 } }], pageSize: 20, next: null, count: 1, countExact: true }] },
);
export const GroupResponse = Type.Object({
  audience: Type.String({ enum: ['public', 'member'] }),
  role: Type.Optional(Nullable(Type.String())),
  group: Type.Union([MemberGroup, PublicGroup]),
});
export const Created = Type.Object({ id: Type.String() });
export const Member = Type.Object({ userId: Type.String(), displayName: Type.String(), role: Type.String(), joinedAt: Type.String() });
export const JoinRequest = Type.Object({ id: Type.String(), userId: Type.String(), displayName: Type.String(), message: Nullable(Type.String()), createdAt: Type.String() });
export const Invitation = Type.Object({ id: Type.String(), link: Type.String({ description: 'Shown once: the token is stored hashed' }), expiresAt: Type.String(), email: Nullable(Type.String()) });
export const OpenInvitation = Type.Object(
  { id: Type.String(), email: Nullable(Type.String({ description: 'Null for a link invitation' })), role: Type.String(), expiresAt: Type.String(), createdAt: Type.String() },
  { examples: [{ id: '5d0c1a7e-2f4b-4e8a-9c3d-7b6a5e4f3d2c', email: 'new.member@example.org', role: 'member', expiresAt: '2026-12-08T10:00:00.000Z', createdAt: '2026-12-01T10:00:00.000Z' }] },
);
export const Accepted = Type.Object({ groupId: Type.String(), role: Type.String() });
export const Activity = Type.Object({
  id: Type.String(),
  occurredOn: Type.String(),
  kind: Type.String(),
  audience: Type.String(),
  peopleReached: Type.Integer(),
  actionPack: Nullable(Type.String({ description: 'Id of the Action Pack used; older activities may hold the free text logged before packs existed' })),
  notes: Nullable(Type.String()),
});
const Tally = { activities: Type.Integer(), peopleReached: Type.Integer() };
export const Totals = Type.Object({
  ...Tally,
  byAudience: Type.Array(Type.Object({ audience: Type.String(), ...Tally })),
  byMonth: Type.Array(Type.Object({ month: Type.String({ description: 'YYYY-MM' }), ...Tally })),
});
export const CountryGroups = Type.Object({ groups: Type.Array(MemberGroup), pendingListing: Type.Array(MemberGroup) });
export { ErrorResponse } from '../../core/http/error-response.ts';
