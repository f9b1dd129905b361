/**
 * The one authorisation decision point. Every service asks `can(actor, permission, resource)` as its
 * first step; anything not granted here is denied. Each permission names the roles that hold it, the
 * API scope a token needs for it, and whether the actor must own the resource.
 */
import type { Actor, UserActor } from './actor.ts';
import type { Role } from './roles.ts';
import type { Scope } from './scopes.ts';

/**
 * A person's standing towards one resource, worked out by the module that owns it (e.g. the groups
 * module knows who coordinates a group) and passed in with the resource.
 */
export type Membership = 'group-coordinator' | 'group-member' | 'partner-user';

interface Rule {
  /** 'signed-in' means any user with a completed sign-in. */
  roles: readonly Role[] | 'signed-in';
  /** Also allowed for these memberships of the resource, whatever the global roles. */
  memberships?: readonly Membership[];
  scope: Scope | undefined;
  ownOnly: boolean;
  /** Allowed while the session waits for two-factor enrolment. */
  duringEnrolment?: boolean;
  /**
   * Only for people who use two-factor authentication, whatever gave them the standing: restricted
   * data must not be one stolen password away, and a group coordinator is a membership, not a role
   * that sign-in would make enrol.
   */
  twoFactor?: boolean;
}

const RULES = {
  'account.read': { roles: 'signed-in', scope: 'account:read', ownOnly: true },
  'account.write': { roles: 'signed-in', scope: 'account:write', ownOnly: true },
  'account.enrol-two-factor': { roles: 'signed-in', scope: undefined, ownOnly: true, duringEnrolment: true },
  'admin.console': { roles: ['admin'], scope: undefined, ownOnly: false },
  // Partners: what a caller sees is narrowed in the partners service; these say who may act at all.
  'partners.list': { roles: 'signed-in', scope: 'partners:read', ownOnly: false },
  'partners.read': { roles: ['admin', 'national-coordinator'], memberships: ['partner-user'], scope: 'partners:read', ownOnly: false },
  'partners.create': { roles: ['admin', 'national-coordinator'], scope: 'partners:write', ownOnly: false },
  'partners.verify': { roles: ['national-coordinator'], scope: 'partners:write', ownOnly: false },
  'partners.add-user': { roles: ['national-coordinator'], scope: 'partners:write', ownOnly: false },
  'partnerships.read': { roles: ['national-coordinator'], memberships: ['group-coordinator', 'partner-user'], scope: 'partners:read', ownOnly: false },
  'partnerships.propose': { roles: [], memberships: ['group-coordinator'], scope: 'partners:write', ownOnly: false },
  'partnerships.respond': { roles: [], memberships: ['partner-user'], scope: 'partners:write', ownOnly: false },
  'partnerships.end': { roles: [], memberships: ['group-coordinator', 'partner-user'], scope: 'partners:write', ownOnly: false },
  'groups.create': { roles: 'signed-in', scope: 'groups:write', ownOnly: false },
  'groups.join': { roles: 'signed-in', scope: 'groups:write', ownOnly: false },
  'groups.read': { roles: ['admin', 'national-coordinator'], memberships: ['group-coordinator', 'group-member'], scope: 'groups:read', ownOnly: false },
  'groups.leave': { roles: [], memberships: ['group-coordinator', 'group-member'], scope: 'groups:write', ownOnly: false },
  'groups.log-activity': { roles: [], memberships: ['group-coordinator', 'group-member'], scope: 'groups:write', ownOnly: false },
  'groups.manage': { roles: ['admin'], memberships: ['group-coordinator'], scope: 'groups:write', ownOnly: false },
  'groups.approve-listing': { roles: ['admin', 'national-coordinator'], scope: 'groups:write', ownOnly: false },
  'groups.national-read': { roles: ['admin', 'national-coordinator'], scope: 'groups:read', ownOnly: false },
  // Reports: anyone may submit without an account; these rules cover signed-in callers. Reports are
  // group-confidential: the group's coordinators and national coordinators of the country, never
  // administrators, who run the instance but have no need to know.
  'reports.submit': { roles: 'signed-in', scope: 'reports:write', ownOnly: false },
  'reports.read-own': { roles: 'signed-in', scope: 'reports:read', ownOnly: true },
  'reports.review': { roles: ['national-coordinator'], memberships: ['group-coordinator'], scope: 'reports:read', ownOnly: false, twoFactor: true },
  'reports.grade': { roles: ['national-coordinator'], memberships: ['group-coordinator'], scope: 'reports:write', ownOnly: false, twoFactor: true },
  // The chocolate campaign: its public pages need no rule; editors (and administrators) maintain the
  // scorecard, commitments and guide, and review held action e-mails (which hold supporters' words).
  'chocolate.edit': { roles: ['admin', 'editor'], scope: 'chocolate:write', ownOnly: false },
  'chocolate.review': { roles: ['admin', 'editor'], scope: undefined, ownOnly: false },
  // Sharing: disclosures to partners and their outcomes. Building and approving a disclosure belongs to
  // coordinators (the group's, or national coordinators of its country); reading, acknowledging and
  // recording outcomes to the partner's users. All of it needs two-factor: disclosures hold graded
  // intelligence. Outcome counts are for the group's people and national coordinators.
  'disclosures.build': { roles: ['national-coordinator'], memberships: ['group-coordinator'], scope: 'sharing:write', ownOnly: false, twoFactor: true },
  'disclosures.read': { roles: ['national-coordinator'], memberships: ['group-coordinator', 'partner-user'], scope: 'sharing:read', ownOnly: false, twoFactor: true },
  'disclosures.acknowledge': { roles: [], memberships: ['partner-user'], scope: 'sharing:write', ownOnly: false, twoFactor: true },
  'outcomes.record': { roles: [], memberships: ['partner-user'], scope: 'sharing:write', ownOnly: false, twoFactor: true },
  'outcomes.group-summary': { roles: ['national-coordinator'], memberships: ['group-coordinator', 'group-member'], scope: 'sharing:read', ownOnly: false },
  'outcomes.national-totals': { roles: ['national-coordinator'], scope: 'sharing:read', ownOnly: false },
  // Donations: anyone gives without an account. Gift Aid declarations are restricted personal data,
  // read only for a claim by finance staff or administrators, with two-factor.
  'donations.gift-aid-export': { roles: ['admin', 'finance'], scope: 'donations:read', ownOnly: false, twoFactor: true },
  // Events: editors publish any event; a group's coordinators publish the group's events.
  'events.publish': { roles: ['admin', 'editor'], memberships: ['group-coordinator'], scope: 'events:write', ownOnly: false },
  // The declaration: anyone signs without an account. Editors write declarations; administrators run
  // the abuse controls (address hashes, domains, bulk invalidation). Pages only, so no API scope.
  'declarations.manage': { roles: ['admin', 'editor'], scope: undefined, ownOnly: false },
  'declarations.moderate': { roles: ['admin'], scope: undefined, ownOnly: false },
  // Newsletter: anyone subscribes without an account (a signed link is their key); editors write and send editions.
  'newsletter.read': { roles: ['admin', 'editor'], scope: 'newsletter:read', ownOnly: false },
  'newsletter.edit': { roles: ['admin', 'editor'], scope: 'newsletter:write', ownOnly: false },
} satisfies Record<string, Rule>;

export type Permission = keyof typeof RULES;

/** The rules, for tests and documentation: which roles, scope and memberships each permission needs. */
export function ruleOf(permission: Permission): Readonly<Rule> {
  return RULES[permission];
}

export interface Resource {
  ownerId?: string;
  /** The actor's membership of the resource, if any. */
  membership?: Membership | undefined;
  /** For country-scoped roles: the country the resource belongs to. */
  country?: string;
}

function holdsRole(actor: UserActor, roles: Rule['roles'], resource: Resource): boolean {
  if (roles === 'signed-in') return true;
  return actor.roles.some(
    (grant) =>
      roles.includes(grant.role) &&
      (grant.role !== 'national-coordinator' || resource.country === undefined || grant.country === resource.country),
  );
}

export function can(actor: Actor, permission: Permission, resource: Resource = {}): boolean {
  return decide(actor, permission, resource) === 'allowed';
}

/**
 * Like `can`, but says when the only thing missing is two-factor authentication, so the caller can
 * tell the person what to do instead of pretending the resource does not exist.
 */
export function decide(actor: Actor, permission: Permission, resource: Resource = {}): 'allowed' | 'needs-two-factor' | 'denied' {
  if (!standing(actor, permission, resource)) return 'denied';
  const rule: Rule = RULES[permission];
  return rule.twoFactor && actor.kind === 'user' && !actor.twoFactorEnabled ? 'needs-two-factor' : 'allowed';
}

function standing(actor: Actor, permission: Permission, resource: Resource): boolean {
  if (actor.kind !== 'user') return false;
  const rule: Rule = RULES[permission];
  const stageAllowed = actor.stage === 'full' || (actor.stage === 'enrol' && rule.duringEnrolment === true);
  if (!stageAllowed) return false;
  if (actor.via === 'token' && (!rule.scope || !actor.scopes?.includes(rule.scope))) return false;
  if (rule.ownOnly && resource.ownerId !== undefined && resource.ownerId !== actor.userId) return false;
  if (rule.memberships && resource.membership && rule.memberships.includes(resource.membership)) return true;
  return holdsRole(actor, rule.roles, resource);
}
