// Tenant scopes as SQL, for lists whose visibility depends on the caller's organization roles
// (groups, messages, event logs). Roles hold in every sub-organization, so a scope is the
// subtree below the organizations where the caller has the role. Lists filter in SQL (rather
// than per row with authz.can) so that pages keep their size and batched pages stay one statement.
import { sql, type SQL } from 'drizzle-orm';
import { memberships } from '../../../schema/organizations.js';
import { subtreeOf } from '../organizations/organization.repo.js';
import type { Context } from '../../context.js';
import type { Role } from '../../core/auth/policy.js';

/** Everything (instance admins), or what one user reaches through their roles. */
export type TenantScope = { all: true } | { all: false; userId: string; withinOrganizationId: string | null };

/** The caller's scope; null for anonymous callers (who see nothing). */
export function tenantScopeOf(ctx: Pick<Context, 'principal'>): TenantScope | null {
  const p = ctx.principal;
  if (p.kind !== 'user') return null;
  if (p.isInstanceAdmin) return { all: true };
  // Organization-bound API tokens act only inside their organization's subtree (as Authz does).
  const within = p.credential.type === 'personal_access_token' ? (p.credential.organizationId ?? null) : null;
  return { all: false, userId: p.userId, withinOrganizationId: within };
}

const ROLES_AT_LEAST: Record<Role, Role[]> = { member: ['member', 'admin', 'owner'], admin: ['admin', 'owner'], owner: ['owner'] };


/** `(select id …)`: organizations where the user has at least `role`, sub-organizations included. */
export function organizationsWithRole(scope: Extract<TenantScope, { all: false }>, role: Role): SQL {
  const roles = sql.join(
    ROLES_AT_LEAST[role].map((r) => sql`${r}`),
    sql`, `,
  );
  const reached = subtreeOf(sql`select organization_id from ${memberships} where user_id = ${scope.userId} and role in (${roles})`);
  if (!scope.withinOrganizationId) return reached;
  return sql`(select id from ${reached} as r(id) where id in ${subtreeOf(sql`select ${scope.withinOrganizationId}::uuid`)})`;
}
