/** One schema per command: forms are checked with these, and the API ones also make the OpenAPI document. */
import { Type } from '@sinclair/typebox';
import { PASSWORD_MAX_LENGTH } from '../../core/auth/passwords.ts';
import { SCOPES } from '../../core/auth/scopes.ts';

const Email = Type.String({ format: 'email', maxLength: 254, errorKey: 'errors.email' });
const Name = Type.String({ minLength: 1, maxLength: 120, errorKey: 'errors.name' });
const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH, errorKey: 'errors.passwordRequired' });
const Code = Type.String({ pattern: '^\\s*\\d{3}\\s*\\d{3}\\s*$', errorKey: 'errors.code' });

export const SignUpForm = Type.Object({ displayName: Name, email: Email, password: Password });
export const SetupForm = SignUpForm;
export const SignInForm = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254, errorKey: 'errors.email' }), password: Password });
export const CodeForm = Type.Object({ code: Code });
export const ForgotPasswordForm = Type.Object({ email: Email });
export const ResetPasswordForm = Type.Object({ password: Password });
export const ChangePasswordForm = Type.Object({ currentPassword: Password, newPassword: Password });
export const DisableTwoFactorForm = Type.Object({ currentPassword: Password, code: Code });

const ScopeName = Type.Union(SCOPES.map((scope) => Type.Literal(scope)));
// No control characters: a NUL cannot be stored in a text column (PostgreSQL refuses it with an error).
const TokenName = Type.String({ minLength: 1, maxLength: 80, pattern: '^[^\\u0000-\\u001f\\u007f]+$', errorKey: 'errors.tokenName' });

export const CreateTokenForm = Type.Object({
  name: TokenName,
  scopes: Type.Union([ScopeName, Type.Array(ScopeName, { minItems: 1, maxItems: SCOPES.length })], { errorKey: 'errors.scopes' }),
});

export const CreateTokenBody = Type.Object(
  { name: TokenName, scopes: Type.Array(ScopeName, { minItems: 1, maxItems: SCOPES.length, uniqueItems: true }) },
  { additionalProperties: false, examples: [{ name: 'Reporting dashboard', scopes: ['account:read'] }] },
);

export const TokenView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the token, to tell tokens apart' }),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const CreatedToken = Type.Object({
  id: Type.String({ format: 'uuid' }),
  token: Type.String({ description: 'Shown once; store it safely' }),
  scopes: Type.Array(Type.String()),
});

export const Me = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  displayName: Type.String(),
  language: Type.String(),
  roles: Type.Array(Type.Object({ role: Type.String(), country: Type.Union([Type.String(), Type.Null()]) })),
  twoFactorEnabled: Type.Boolean(),
});

export { ErrorResponse } from '../../core/http/error-response.ts';

// ---------------------------------------------------------------- administrators: national coordinators

const CountryCode = Type.String({ minLength: 2, maxLength: 2, errorKey: 'accounts.admin.errors.country', description: 'ISO 3166-1 alpha-2 code' });

export const AppointForm = Type.Object({ email: Email, country: CountryCode });
export const AppointBody = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }), country: Type.String({ minLength: 2, maxLength: 2, description: 'ISO 3166-1 alpha-2 code' }) },
  { additionalProperties: false, examples: [{ email: 'coordinator@example.org', country: 'CI' }] },
);
export const Appointed = Type.Object({ userId: Type.String({ format: 'uuid' }), country: Type.String() }, { examples: [{ userId: '0b6f9c1e-4d2a-4c8e-9a51-3f7d2e1b0c4a', country: 'CI' }] });
export const AppointmentParams = Type.Object({ userId: Type.String({ maxLength: 64 }), country: Type.String({ maxLength: 8 }) });
export const NationalCoordinatorView = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  displayName: Type.String(),
  email: Type.String(),
  country: Type.String(),
  appointedAt: Type.String({ format: 'date-time' }),
  twoFactorEnabled: Type.Boolean({ description: 'False until the person has set up two-factor, which their next sign-in requires' }),
});
