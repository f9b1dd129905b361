/** Scopes a personal API token can carry. Each module adds the scopes its API needs. */
export const SCOPES = ['account:read', 'account:write', 'groups:read', 'groups:write', 'partners:read', 'partners:write', 'reports:read', 'reports:write', 'chocolate:write', 'sharing:read', 'sharing:write', 'newsletter:read', 'newsletter:write', 'donations:read', 'events:write'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}
