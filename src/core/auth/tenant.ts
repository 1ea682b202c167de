// The tenant rule, once: an organization-bound API token confines its user to that
// organization's subtree (the organization and its sub-organizations), for reads and writes
// alike; instance admins are never confined. Authz applies it to single decisions (policy.ts),
// lists apply it in SQL through a TenantScope (tenant.sql.ts), so a list and a by-id read of the
// same row always agree.
import { isUser, type Principal } from './principal.js';

/**
 * What a list may show: everything (instance admins), or what one user reaches through their
 * organization roles, inside `withinOrganizationId`'s subtree when their token is bound to it.
 */
export type TenantScope =
  | { all: true; withinOrganizationId?: null }
  | { all: false; userId: string; withinOrganizationId: string | null };

/** The organization the caller's API token is bound to; null for login tokens, unbound tokens and anonymous callers. */
export function tokenOrganizationOf(p: Principal): string | null {
  return isUser(p) && p.credential.type === 'personal_access_token' ? p.credential.organizationId : null;
}

/** The organization whose subtree confines the caller: the token's, except for instance admins. */
export function confiningOrganizationOf(p: Principal): string | null {
  return isUser(p) && !p.isInstanceAdmin ? tokenOrganizationOf(p) : null;
}

/** The caller's scope for lists; null for anonymous callers, who see nothing. */
export function tenantScopeOf(p: Principal): TenantScope | null {
  if (!isUser(p)) return null;
  if (p.isInstanceAdmin) return { all: true };
  return { all: false, userId: p.userId, withinOrganizationId: confiningOrganizationOf(p) };
}

/**
 * The key of a tenant-owned row (a group, a membership, an invitation, a message): its id and the
 * organization the service read it in (null for a message outside any organization). Writes
 * match both (tenant.sql.ts `tenantRow`), so a write never reaches a row of another organization
 * even if a caller passes an id it did not check.
 */
export interface TenantRowKey<Org extends string | null = string> {
  id: string;
  organizationId: Org;
}
