/**
 * Who stands where towards a disclosure: a coordinator of its group or a national coordinator of its
 * country (the sending side), or a partner user of its partner (the receiving side). One place turns
 * that standing into allowed / needs-two-factor / wrong-scope / denied for every use case.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { decide, ruleOf, type Membership, type Permission } from '../../core/auth/authorise.ts';
import type { Tables } from '../../core/db/tables.ts';
import { forbidden, notFound, type Failure } from '../../core/outcome.ts';
import { membershipOf } from '../groups/index.ts';
import { partnersOfUser } from '../partners/index.ts';

export const TWO_FACTOR = 'sharing.errors.twoFactor';
export const WRONG_SCOPE = 'sharing.errors.scope';

export type Verdict = 'allowed' | 'needs-two-factor' | 'wrong-scope' | 'denied';

/** A token without the permission's scope is told so (403), instead of being told the thing does not exist. */
export function lacksScope(actor: UserActor, permission: Permission): boolean {
  const scope = ruleOf(permission).scope;
  return actor.via === 'token' && (!scope || !actor.scopes?.includes(scope));
}

/** The verdict for `permission` given the memberships the actor holds (tried one by one) and the resource's country. */
export function verdictFor(actor: UserActor, permission: Permission, memberships: readonly Membership[], country: string): Verdict {
  const tries = [undefined, ...memberships].map((membership) => decide(actor, permission, { membership, country }));
  if (tries.includes('allowed')) return 'allowed';
  if (tries.includes('needs-two-factor')) return 'needs-two-factor';
  // Would the actor have standing with a session? Then only the token's scope is missing.
  if (lacksScope(actor, permission) && [undefined, ...memberships].some((membership) => decide({ ...actor, via: 'session', scopes: undefined }, permission, { membership, country }) !== 'denied')) return 'wrong-scope';
  return 'denied';
}

/** The failure for a verdict other than allowed: not-found hides what the actor may not know exists. */
export function refusal(verdict: Exclude<Verdict, 'allowed'>, visible = false): Failure {
  if (verdict === 'needs-two-factor') return forbidden(TWO_FACTOR);
  if (verdict === 'wrong-scope') return forbidden(WRONG_SCOPE);
  return visible ? forbidden() : notFound();
}

export interface Standing {
  /** A coordinator of the group (not national coordinators: their standing is their role). */
  coordinator: boolean;
  /** A partner user of the partner. */
  partnerUser: boolean;
  memberships: Membership[];
}

export async function standingOf(db: Kysely<Tables>, actor: UserActor, target: { groupId: string; partnerId: string }): Promise<Standing> {
  const [role, partners] = await Promise.all([membershipOf(db, target.groupId, actor.userId), partnersOfUser(db, actor.userId)]);
  const coordinator = role === 'coordinator';
  const partnerUser = partners.includes(target.partnerId);
  return { coordinator, partnerUser, memberships: [...(coordinator ? (['group-coordinator'] as const) : []), ...(partnerUser ? (['partner-user'] as const) : [])] };
}

/** National coordinators' countries. */
export const nationalCountries = (actor: UserActor): string[] => actor.roles.flatMap((grant) => (grant.role === 'national-coordinator' && grant.country ? [grant.country] : []));
