/**
 * API schemas of the declaration module (they make the OpenAPI document). Lengths are loose here on
 * purpose: the service checks every field (signature-input.ts) and says specifically what is wrong,
 * the same way for the form and the API.
 */
import { Type } from '@sinclair/typebox';

export { ErrorResponse } from '../../core/http/error-response.ts';

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100 }) });

export const SignBody = Type.Object(
  {
    name: Type.String({ maxLength: 20_000, description: 'The signer’s name, up to 100 characters' }),
    email: Type.String({ maxLength: 20_000, description: 'Internationalised and plus-addresses are accepted; a confirmation link is sent there' }),
    country: Type.String({ maxLength: 100, description: 'ISO 3166-1 alpha-2 code' }),
    postcode: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
    optIn: Type.Optional(Type.Boolean({ description: 'Keep me informed: subscribes to the newsletter once the signature is confirmed. False unless given' })),
    website: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()], { description: 'Leave empty (a field for robots)' })),
  },
  {
    additionalProperties: false,
    examples: [{ name: 'Amélie Dupont', email: 'amelie+declaration@exemple.fr', country: 'FR', postcode: '75011', optIn: false }],
  },
);

export const SignAccepted = Type.Object(
  { status: Type.Literal('check-your-email'), message: Type.String() },
  { description: 'The same answer whether the address is new or has signed before: the e-mail says which.', examples: [{ status: 'check-your-email', message: 'Check your e-mail: your signature counts once you follow the link we sent.' }] },
);

export const ConfirmBody = Type.Object(
  { token: Type.String({ maxLength: 200, description: 'The token at the end of the link in the confirmation e-mail' }) },
  { additionalProperties: false, examples: [{ token: 'q3Z0s1mH8pX2vB7nK4cW9yR6tJ5fL0aE1dG3hU8iO2w' }] },
);

export const Confirmed = Type.Object(
  {
    status: Type.Union([Type.Literal('confirmed'), Type.Literal('already-confirmed')]),
    declaration: Type.String({ description: 'The declaration’s slug' }),
  },
  { examples: [{ status: 'confirmed', declaration: 'stop-the-traffik' }] },
);

export const Counts = Type.Object(
  {
    declaration: Type.String(),
    total: Type.Integer({ description: 'Confirmed signatures that count' }),
    countries: Type.Array(Type.Object({ country: Type.String({ description: 'ISO 3166-1 alpha-2 code' }), total: Type.Integer() })),
    countedAt: Type.String({ format: 'date-time', description: 'When the figures were read; never more than a few seconds old' }),
  },
  { examples: [{ declaration: 'stop-the-traffik', total: 1523, countries: [{ country: 'GB', total: 1200 }, { country: 'CI', total: 323 }], countedAt: '2026-11-29T01:00:00.000Z' }] },
);

export const DeclarationSummary = Type.Object({
  slug: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  language: Type.String(),
  languages: Type.Array(Type.String()),
  opensAt: Type.String({ format: 'date-time' }),
  closesAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  open: Type.Boolean(),
});

export const DeclarationList = Type.Array(DeclarationSummary, {
  examples: [[{ slug: 'stop-the-traffik', title: 'Stop the traffik: our declaration', summary: 'Add your name.', language: 'en', languages: ['en', 'fr'], opensAt: '2026-01-01T00:00:00.000Z', closesAt: null, open: true }]],
});
