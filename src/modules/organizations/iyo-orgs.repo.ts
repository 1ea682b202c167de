// SQL for what Itsyouonline adds to organizations: DNS names, required scopes, the whole
// subtree (tree and delete), org-membership changes and the grants members gave the
// organization. Plain functions of (db, params); no permission checks.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { authorizations, organizationDnsNames, organizationMemberships, organizationRequiredScopes, organizations, type AuthorizationGrants } from '../../../schema/index.js';
import { subtreeOf } from '../../core/auth/tenant.sql.js';
import { rowsOf, sqlUuidArray, type Database } from '../../core/db.js';
import type { OrganizationMembershipRow } from './organization.repo.js';

export type DnsNameRow = typeof organizationDnsNames.$inferSelect;
export type RequiredScopeRow = typeof organizationRequiredScopes.$inferSelect;

// ---- DNS names ----

export const findDnsNamesByOrganizationIds = (db: Database, ids: readonly string[]) =>
  db.select().from(organizationDnsNames).where(inArray(organizationDnsNames.organizationId, [...ids])).orderBy(asc(organizationDnsNames.id));

export async function insertDnsName(db: Database, organizationId: string, name: string): Promise<DnsNameRow> {
  const [row] = await db.insert(organizationDnsNames).values({ organizationId, name }).returning();
  return row!;
}

const dnsRow = (organizationId: string, name: string) => and(eq(organizationDnsNames.organizationId, organizationId), sql`lower(${organizationDnsNames.name}) = lower(${name})`);

export async function renameDnsName(db: Database, organizationId: string, name: string, to: string): Promise<DnsNameRow | undefined> {
  const [row] = await db.update(organizationDnsNames).set({ name: to }).where(dnsRow(organizationId, name)).returning();
  return row;
}

export async function deleteDnsName(db: Database, organizationId: string, name: string): Promise<DnsNameRow | undefined> {
  const [row] = await db.delete(organizationDnsNames).where(dnsRow(organizationId, name)).returning();
  return row;
}

// ---- required scopes ----

export const findRequiredScopesByOrganizationIds = (db: Database, ids: readonly string[]) =>
  db.select().from(organizationRequiredScopes).where(inArray(organizationRequiredScopes.organizationId, [...ids])).orderBy(asc(organizationRequiredScopes.id));

export async function insertRequiredScope(db: Database, organizationId: string, scope: string, accessScopes: string[]): Promise<RequiredScopeRow> {
  const [row] = await db.insert(organizationRequiredScopes).values({ organizationId, scope, accessScopes }).returning();
  return row!;
}

const scopeRow = (organizationId: string, scope: string) => and(eq(organizationRequiredScopes.organizationId, organizationId), eq(organizationRequiredScopes.scope, scope));

export async function updateRequiredScope(db: Database, organizationId: string, scope: string, values: { scope: string; accessScopes: string[] }): Promise<RequiredScopeRow | undefined> {
  const [row] = await db.update(organizationRequiredScopes).set(values).where(scopeRow(organizationId, scope)).returning();
  return row;
}

export async function deleteRequiredScope(db: Database, organizationId: string, scope: string): Promise<RequiredScopeRow | undefined> {
  const [row] = await db.delete(organizationRequiredScopes).where(scopeRow(organizationId, scope)).returning();
  return row;
}

// ---- the subtree ----

export interface SubtreeRow {
  id: string;
  slug: string;
  parentId: string | null;
  depth: number;
}

/**
 * The organization and every descendant (depth 0 is the root), shallowest first then by slug,
 * at most `limit` rows: one recursive statement whatever the tree's size.
 */
export async function findSubtree(db: Database, rootId: string, limit: number): Promise<SubtreeRow[]> {
  const rows = rowsOf<{ id: string; slug: string; parent_id: string | null; depth: number }>(
    await db.execute(sql`
      with recursive sub(id, slug, parent_id, depth) as (
        select o.id, o.slug, o.parent_id, 0 from ${organizations} o where o.id = ${rootId}
        union all
        select c.id, c.slug, c.parent_id, sub.depth + 1 from ${organizations} c join sub on c.parent_id = sub.id where sub.depth < 100
      ) select id, slug, parent_id, depth from sub order by depth, slug, id limit ${limit}`),
  );
  return rows.map((r) => ({ id: r.id, slug: r.slug, parentId: r.parent_id, depth: Number(r.depth) }));
}

/**
 * Deletes the organization and all its descendants; their memberships, org-memberships (both
 * ways), invitations, DNS names, required scopes, grants, … go by their foreign keys' cascades.
 * The tree's own parent links are cut first (parent_id is ON DELETE RESTRICT so that a plain
 * delete never takes a subtree by accident). Three statements, whatever the tree's size.
 */
export async function deleteSubtree(db: Database, rootId: string): Promise<string[]> {
  const ids = rowsOf<{ id: string }>(await db.execute(sql`select id from ${subtreeOf(sql`select ${rootId}::uuid`)} as s(id)`)).map((r) => r.id);
  await db.update(organizations).set({ parentId: null }).where(sql`${organizations.id} = any(${sqlUuidArray(ids)})`);
  await db.delete(organizations).where(sql`${organizations.id} = any(${sqlUuidArray(ids)})`);
  return ids;
}

// ---- organizations as members ----

export async function updateOrganizationMembership(
  db: Database,
  organizationId: string,
  memberOrganizationId: string,
  values: Partial<Pick<OrganizationMembershipRow, 'role' | 'includeSubOrganizations'>>,
): Promise<OrganizationMembershipRow | undefined> {
  const [row] = await db
    .update(organizationMemberships)
    .set(values)
    .where(and(eq(organizationMemberships.organizationId, organizationId), eq(organizationMemberships.memberOrganizationId, memberOrganizationId)))
    .returning();
  return row;
}

// ---- grants the members gave ----

export interface GrantRow {
  userId: string;
  organizationId: string;
  grants: AuthorizationGrants;
}

/** The grants users gave each organization (one statement per batch). */
export const findGrantsByOrganizationIds = (db: Database, ids: readonly string[]): Promise<GrantRow[]> =>
  db
    .select({ userId: authorizations.userId, organizationId: authorizations.organizationId, grants: authorizations.grants })
    .from(authorizations)
    .where(inArray(authorizations.organizationId, [...ids]));
