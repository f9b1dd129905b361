/** The API schema of the account export (it also produces the OpenAPI document). */
import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Str = Type.String();

export const AccountExport = Type.Object(
  {
    format: Type.Literal('cast-account-export'),
    version: Type.Literal(1),
    exportedAt: Str,
    account: Type.Object({
      id: Str,
      email: Str,
      displayName: Str,
      language: Str,
      createdAt: Str,
      emailConfirmedAt: Nullable(Str),
      twoFactorEnabledAt: Nullable(Str),
      roles: Type.Array(Type.Object({ role: Str, country: Nullable(Str), grantedAt: Str })),
      tokens: Type.Array(Type.Object({ name: Str, prefix: Str, scopes: Type.Array(Str), createdAt: Str, lastUsedAt: Nullable(Str), revokedAt: Nullable(Str) }), { description: 'Names and prefixes only, never a token' }),
      openSessions: Type.Integer(),
    }),
    groups: Type.Array(Type.Object({ groupId: Str, groupName: Str, country: Str, role: Str, joinedAt: Str })),
    partnerOrganisations: Type.Array(Str, { description: 'Ids of the partner organisations the account acts for' }),
    reports: Type.Array(
      Type.Object({ reference: Str, receivedOn: Type.String({ description: 'The day only' }), status: Type.String({ enum: ['received', 'being-reviewed', 'passed-to-partners', 'closed'] }), additions: Type.Integer() }),
      { description: 'Reports made under this account, as their reporter is told of them: never their content. Reports reduced to statistics are no longer tied to the account.' },
    ),
    notes: Type.Array(Str),
  },
  {
    examples: [
      {
        format: 'cast-account-export',
        version: 1,
        exportedAt: '2026-11-29T08:00:00.000Z',
        account: {
          id: '0b6f9c1e-4d2a-4c8e-9a51-3f7d2e1b0c4a',
          email: 'ama@example.org',
          displayName: 'Ama',
          language: 'en',
          createdAt: '2026-03-02T10:15:00.000Z',
          emailConfirmedAt: '2026-03-02T10:20:00.000Z',
          twoFactorEnabledAt: null,
          roles: [{ role: 'member', country: null, grantedAt: '2026-03-02T10:15:00.000Z' }],
          tokens: [],
          openSessions: 1,
        },
        groups: [{ groupId: '7d3c1e2a-9b4f-4e6a-8c2d-1f0e9a8b7c6d', groupName: 'Bristol Harbourside CAST', country: 'GB', role: 'member', joinedAt: '2026-03-05T18:00:00.000Z' }],
        partnerOrganisations: [],
        reports: [{ reference: 'R-7K2M9QXA', receivedOn: '2026-10-14', status: 'being-reviewed', additions: 1 }],
        notes: ['Reports list what a reporter is told (reference, day received, status, additions), not what was written: that stays with the group that reviews it.'],
      },
    ],
  },
);

export { ErrorResponse } from '../../core/http/error-response.ts';
