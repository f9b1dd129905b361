/** The roles of CAST and what follows from holding them. */
export const ROLES = ['admin', 'national-coordinator', 'group-coordinator', 'member', 'partner', 'editor', 'finance'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  role: Role;
  /** Set for national coordinators: the country they answer for. */
  country: string | null;
}

/** Roles that can see or release sensitive data must sign in with a second factor. */
export const TWO_FACTOR_ROLES: ReadonlySet<Role> = new Set(['admin', 'national-coordinator', 'group-coordinator', 'partner', 'finance']);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function requiresTwoFactor(grants: readonly RoleGrant[]): boolean {
  return grants.some((grant) => TWO_FACTOR_ROLES.has(grant.role));
}
