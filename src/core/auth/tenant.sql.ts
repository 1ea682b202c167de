// The tenant rule as SQL (tenant.ts states it): organizations reached through roles (own, or
// granted to an organization the user belongs to), which hold in every sub-organization, and the subtree an organization-bound token confines its user to.
// Lists filter with these in SQL rather than per row with Authz, so pages keep their size and
// batched pages stay one statement. The statement text each function yields is part of the
// callers' prepared statements: change it and every list using it plans again.
import { and, eq, isNull, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { memberships, organizationMemberships, organizations } from '../../../schema/organizations.js';
import { rowsOf, sqlUuidArray, type Database } from '../db.js';
import { atLeast, type Role } from './policy.js';
import type { TenantRowKey, TenantScope } from './tenant.js';

/** `(select id …)`: organizations in the subtree of the given roots (roots included). */
export const subtreeOf = (roots: SQL) => sql`(
  with recursive sub(id) as (
    ${roots}
    union
    select c.id from ${organizations} c join sub on c.parent_id = sub.id
  ) select id from sub)`;

/** `(select id …)`: the given organizations and all their ancestors. */
export const ancestorsOf = (roots: SQL) => sql`(
  with recursive up(id) as (
    ${roots}
    union
    select o.parent_id from ${organizations} o join up on o.id = up.id where o.parent_id is not null
  ) select id from up)`;

/**
 * `select …`: the organizations where a user holds a role among `roles` (null: any) of their
 * own, or through an organization they belong to that was granted one of those roles there
 * (org-owner / org-member; when the grant includes sub-organizations, a role in one of them
 * counts). Roles then hold in every sub-organization (subtreeOf): the rule findEffectiveRoles
 * applies to single decisions (organization.repo.ts), here for lists.
 */
export function rolesReachedBy(userId: SQL | Placeholder | string, roles: readonly Role[] | null): SQL {
  const inList = (list: readonly string[]) => sql.join(list.map((r) => sql`${r}`), sql`, `);
  const own = sql`select organization_id from ${memberships} where user_id = ${userId}${roles ? sql` and role in (${inList(roles)})` : sql``}`;
  // An organization is granted owner or member, never admin.
  const granted = roles ? roles.filter((r) => r === 'owner' || r === 'member') : null;
  if (granted && granted.length === 0) return own;
  const mine = sql`select organization_id from ${memberships} where user_id = ${userId}`;
  return sql`${own} union select om.organization_id from ${organizationMemberships} om
    where (om.member_organization_id in ${subtreeOf(mine)} or (om.include_sub_organizations and om.member_organization_id in ${ancestorsOf(mine)}))${granted ? sql` and om.role in (${inList(granted)})` : sql``}`;
}

const ROLES: readonly Role[] = ['member', 'admin', 'owner'];
// The roles that satisfy each least role, weakest first (the order is part of the statement text).
const ROLES_AT_LEAST = Object.fromEntries(ROLES.map((needed) => [needed, ROLES.filter((r) => atLeast(r, needed))])) as Record<Role, Role[]>;

/**
 * `(select id …)`: organizations where the scope's user has at least `role`, sub-organizations
 * included, inside the scope's token subtree when it has one.
 */
export function organizationsWithRole(scope: Extract<TenantScope, { all: false }>, role: Role): SQL {
  const reached = subtreeOf(rolesReachedBy(scope.userId, ROLES_AT_LEAST[role]));
  if (!scope.withinOrganizationId) return reached;
  return sql`(select id from ${reached} as r(id) where id in ${tokenSubtree(scope.withinOrganizationId)})`;
}

/** `(select id …)`: the subtree a token bound to `rootId` confines its user to. */
export const tokenSubtree = (rootId: string | SQL) => subtreeOf(sql`select ${rootId}::uuid`);

/** Which of the organizations lie in the subtree of `rootId` (itself included): Authz's batched check. */
export async function findWithinSubtree(db: Database, rootId: string, organizationIds: readonly string[]): Promise<Set<string>> {
  const rows = rowsOf<{ id: string }>(await db.execute(sql`select id from ${tokenSubtree(rootId)} as s(id) where id = any(${sqlUuidArray(organizationIds)})`));
  return new Set(rows.map((r) => r.id));
}

/** `id = $1 and organization_id = $2`: the WHERE of every update and delete of a tenant-owned row. */
export function tenantRow(table: { id: AnyPgColumn; organizationId: AnyPgColumn }, key: TenantRowKey<string | null>): SQL {
  return and(eq(table.id, key.id), key.organizationId === null ? isNull(table.organizationId) : eq(table.organizationId, key.organizationId))!;
}
