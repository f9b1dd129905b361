/** Who is making a request: nobody in particular, or a user signed in by session or by API token. */
import type { Language } from '../i18n.ts';
import type { RoleGrant } from './roles.ts';
import type { Scope } from './scopes.ts';

export type SessionStage = 'full' | 'totp' | 'enrol';

export interface UserActor {
  kind: 'user';
  userId: string;
  email: string;
  displayName: string;
  language: Language;
  roles: RoleGrant[];
  twoFactorEnabled: boolean;
  stage: SessionStage;
  via: 'session' | 'token';
  /** Only for token access: what the token may do. Session access is not narrowed by scope. */
  scopes: readonly Scope[] | undefined;
  /** Identifies the session or token, to revoke it or keep it when others are revoked. */
  credentialId: string;
}

export type Actor = { kind: 'anonymous' } | UserActor;

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

export function isSignedIn(actor: Actor): actor is UserActor {
  return actor.kind === 'user' && actor.stage === 'full';
}
