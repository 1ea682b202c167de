// The tenant rule as SQL (tenant.ts states it): organizations reached through roles, which hold
// in every sub-organization, and the subtree an organization-bound token confines its user to.
// Lists filter with these in SQL rather than per row with Authz, so pages keep their size and
// batched pages stay one statement. The statement text each function yields is part of the
// callers' prepared statements: change it and every list using it plans again.
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { memberships, organizations } from '../../../schema/organizations.js';
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

const ROLES: readonly Role[] = ['member', 'admin', 'owner'];
// The roles that satisfy each least role, weakest first (the order is part of the statement text).
const ROLES_AT_LEAST = Object.fromEntries(ROLES.map((needed) => [needed, ROLES.filter((r) => atLeast(r, needed))])) as Record<Role, Role[]>;

/**
 * `(select id …)`: organizations where the scope's user has at least `role`, sub-organizations
 * included, inside the scope's token subtree when it has one.
 */
export function organizationsWithRole(scope: Extract<TenantScope, { all: false }>, role: Role): SQL {
  const roles = sql.join(
    ROLES_AT_LEAST[role].map((r) => sql`${r}`),
    sql`, `,
  );
  const reached = subtreeOf(sql`select organization_id from ${memberships} where user_id = ${scope.userId} and role in (${roles})`);
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
