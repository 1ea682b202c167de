// SQL for organizations, their tree, and memberships. Plain functions of (db, params); no
// permission checks — callers pass the visibility scope the service decided on.
import { and, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { memberships, organizationMemberships, organizations } from '../../../schema/organizations.js';
import { outranks, type Role } from '../../core/auth/policy.js';
import type { TenantRowKey, TenantScope } from '../../core/auth/tenant.js';
import { rolesReachedBy, subtreeOf, tenantRow } from '../../core/auth/tenant.sql.js';
import { rowsOf, sqlUuidArray, uuidArrayLiteral, type Database } from '../../core/db.js';
import { defineShape, slot } from '../../core/sql-shape.js';
import { findRowsByIds, jsonColumns, selectJson, selectJsonArrays } from '../../core/json-rows.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfterSlots, keysetOrder, keysetSlotValues, keysetState, type Keyset, type KeysetState } from '../../core/pagination.js';

export type OrganizationRow = typeof organizations.$inferSelect;

const organizationColumns = jsonColumns(organizations, 'o');
export type MembershipRow = typeof memberships.$inferSelect;

export async function insertOrganization(db: Database, values: typeof organizations.$inferInsert): Promise<OrganizationRow> {
  const [row] = await db.insert(organizations).values(values).returning();
  return row!;
}

export async function updateOrganization(db: Database, id: string, values: Partial<typeof organizations.$inferInsert>): Promise<OrganizationRow | undefined> {
  const [row] = await db.update(organizations).set(values).where(eq(organizations.id, id)).returning();
  return row;
}

export async function deleteOrganization(db: Database, id: string): Promise<void> {
  await db.delete(organizations).where(eq(organizations.id, id));
}

export async function findOrganizationBySlug(db: Database, slug: string): Promise<OrganizationRow | undefined> {
  const [row] = await db
    .select()
    .from(organizations)
    .where(sql`lower(${organizations.slug}) = lower(${slug})`);
  return row;
}

export const findOrganizationsByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, organizations, ids);

/** Sub-organizations page by slug, the id breaking ties. */
const CHILD_KEYSET: Keyset = { columns: [organizations.slug, organizations.id], direction: 'asc', alias: 'c' };
const childColumns = jsonColumns(organizations, 'c');

/**
 * The first N children of each parent (by slug), in ONE statement: per parent, a LIMIT read off
 * the parent_id index, as one json value (core/json-rows.ts): per parent, in the batch's order,
 * [its children's rows (null for none), its number of children when `count` is asked].
 */
export const childPageShape = defineShape((i: { keyset: KeysetState; count: boolean }) => {
  const where = [sql`c.parent_id = p.id`];
  const after = keysetAfterSlots(CHILD_KEYSET, i.keyset);
  if (after) where.push(after);
  const count = i.count ? sql`(select count(*)::int from ${organizations} n where n.parent_id = p.id)` : sql`null`;
  return sql`
    select json_agg(json_build_array(x.children, ${count}) order by p.ord)
    from unnest(${slot('ids')}::uuid[]) with ordinality as p(id, ord)
    cross join lateral (
      select json_agg(json_build_array(${childColumns.sql})) as children
      from (
        select * from ${organizations} c
        where ${sql.join(where, sql` and `)}
        order by ${sql.join(keysetOrder(CHILD_KEYSET, i.keyset), sql`, `)}
        limit ${slot('limit')}
      ) c
    ) x`;
});

/** One parent's page of children, and (when asked) how many children it has in all. */
export interface ChildPage {
  rows: OrganizationRow[];
  count: number | null;
}

export async function findChildPagesByParentIds(db: Database, parentIds: readonly string[], page: PageRequest, count: boolean): Promise<ChildPage[]> {
  const shape = childPageShape({ keyset: keysetState(CHILD_KEYSET, page), count });
  const perParent = await selectJson<[unknown[][] | null, number | null][]>(db, shape.bind({ ids: uuidArrayLiteral(parentIds), limit: page.size + 1, ...keysetSlotValues(page) }));
  return parentIds.map((_, i) => {
    const [rows, n] = perParent?.[i] ?? [null, null];
    return { rows: (rows ?? []).map((r) => childColumns.decode(r)), count: n };
  });
}

export async function countChildren(db: Database, id: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organizations).where(eq(organizations.parentId, id));
  return Number(row!.n);
}

/** Every ancestor of each organization, nearest first, in one recursive query. */
export async function findAncestorsByIds(db: Database, ids: readonly string[]): Promise<{ organizationId: string; depth: number; ancestor: OrganizationRow }[]> {
  const rows = rowsOf<{ start: string; depth: number; id: string }>(
    await db.execute(sql`
      with recursive up(start, id, depth) as (
        select o.id, o.parent_id, 1 from ${organizations} o where o.id = any(${sqlUuidArray(ids)}) and o.parent_id is not null
        union all
        select up.start, p.parent_id, up.depth + 1 from up join ${organizations} p on p.id = up.id where p.parent_id is not null and up.depth < 100
      ) select start, id, depth from up`),
  );
  if (rows.length === 0) return [];
  const byId = new Map((await findOrganizationsByIds(db, [...new Set(rows.map((r) => r.id))])).map((o) => [o.id, o]));
  return rows.map((r) => ({ organizationId: r.start, depth: Number(r.depth), ancestor: byId.get(r.id)! })).filter((r) => r.ancestor);
}

/** Whether `candidateParentId` is `id` itself or one of its descendants (a move there makes a cycle). */
export async function isSelfOrDescendant(db: Database, id: string, candidateParentId: string): Promise<boolean> {
  const rows = rowsOf<{ hit: boolean }>(await db.execute(sql`select ${candidateParentId}::uuid in ${subtreeOf(sql`select ${id}::uuid`)} as hit`));
  return Boolean(rows[0]?.hit);
}

export type OrganizationOrderField = 'slug' | 'name' | 'createdAt';

export interface OrganizationFilter {
  slugContains?: string | null;
  /** Slug or name contains this (case-insensitive). */
  search?: string | null;
  /** Only direct children of this organization; `null` for root organizations only. */
  parentId?: string | null;
  /** Only this organization (uuid). */
  id?: string | null;
  /** Exactly this slug (case-insensitive, as slugs are unique). */
  slug?: string | null;
  /** Exactly this name. */
  name?: string | null;
}

const likePattern = (text: string) => '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/**
 * Which organizations a list reads (the scope, then the filter), as a statement shape's WHERE
 * (core/sql-shape.ts): `whereShape` is what decides the text (which conditions are present),
 * `whereSql` builds them from it with slots, `whereValues` gives the slots' values.
 */
export type OrganizationWhereShape = {
  scope: 'all' | 'user';
  within: boolean;
  slugContains: boolean;
  search: boolean;
  id: boolean;
  slug: boolean;
  name: boolean;
  parent: 'root' | 'any' | 'parent';
};

const whereShape = (scope: TenantScope, f: OrganizationFilter): OrganizationWhereShape => ({
  scope: scope.all ? 'all' : 'user',
  within: !!scope.withinOrganizationId,
  slugContains: !!f.slugContains,
  search: !!f.search,
  id: !!f.id,
  slug: !!f.slug,
  name: !!f.name,
  parent: f.parentId === null ? 'root' : f.parentId === undefined ? 'any' : 'parent',
});

function whereSql(w: OrganizationWhereShape): SQL {
  const parts: SQL[] = [];
  if (w.scope === 'user') parts.push(sql`${organizations.id} in ${subtreeOf(rolesReachedBy(slot('userId'), null))}`);
  if (w.within) parts.push(sql`${organizations.id} in ${subtreeOf(sql`select ${slot('within')}::uuid`)}`);
  if (w.slugContains) parts.push(sql`${organizations.slug} ilike ${slot('slugLike')}`);
  if (w.search) parts.push(sql`(${organizations.slug} ilike ${slot('searchLike')} or ${organizations.name} ilike ${slot('searchLike')})`);
  if (w.id) parts.push(sql`${organizations.id} = ${slot('id')}`);
  if (w.slug) parts.push(sql`lower(${organizations.slug}) = lower(${slot('slug')})`);
  if (w.name) parts.push(sql`${organizations.name} = ${slot('name')}`);
  if (w.parent === 'root') parts.push(isNull(organizations.parentId));
  else if (w.parent === 'parent') parts.push(sql`${organizations.parentId} = ${slot('parentId')}`);
  return parts.length ? and(...parts)! : sql`true`;
}

const whereValues = (scope: TenantScope, f: OrganizationFilter): Record<string, unknown> => ({
  userId: scope.all ? null : scope.userId,
  within: scope.withinOrganizationId ?? null,
  slugLike: f.slugContains ? likePattern(f.slugContains) : null,
  searchLike: f.search ? likePattern(f.search) : null,
  id: f.id ?? null,
  slug: f.slug ?? null,
  name: f.name ?? null,
  parentId: f.parentId ?? null,
});

export function organizationKeyset(field: OrganizationOrderField, direction: 'asc' | 'desc'): Keyset {
  const col = field === 'slug' ? organizations.slug : field === 'name' ? organizations.name : organizations.createdAt;
  return { columns: [col, organizations.id], direction };
}

/** A page of organizations (one json value, core/json-rows.ts); row_number() carries the page's order into json_agg. */
export const organizationPageShape = defineShape((i: { where: OrganizationWhereShape; order: OrganizationOrderField; direction: 'asc' | 'desc'; keyset: KeysetState }) => {
  const keyset = organizationKeyset(i.order, i.direction);
  const order = sql.join(keysetOrder(keyset, i.keyset), sql`, `);
  const after = keysetAfterSlots(keyset, i.keyset);
  return sql`
    select json_agg(json_build_array(${organizationColumns.sql}, o.created_at::text) order by o.ord)
    from (
      select *, row_number() over (order by ${order}) as ord
      from ${organizations}
      where ${after ? and(whereSql(i.where), after) : whereSql(i.where)}
      order by ${order}
      limit ${slot('limit')} offset ${slot('offset')}
    ) o`;
});

export const organizationCountShape = defineShape((i: { where: OrganizationWhereShape }) => sql`select count(*)::int as n from ${organizations} where ${whereSql(i.where)}`);

/**
 * A page of organizations. `createdAtKey` is created_at as PostgreSQL prints it (microseconds):
 * a cursor built from the JS Date (milliseconds) would repeat or skip rows.
 */
export async function listOrganizations(
  db: Database,
  scope: TenantScope,
  filter: OrganizationFilter,
  order: { field: OrganizationOrderField; direction: 'asc' | 'desc' },
  page: PageRequest,
  /** Rows to skip (page-number clients; only without a cursor). */
  offset = 0,
): Promise<{ org: OrganizationRow; createdAtKey: string }[]> {
  const keyset = organizationKeyset(order.field, order.direction);
  const shape = organizationPageShape({ where: whereShape(scope, filter), order: order.field, direction: order.direction, keyset: keysetState(keyset, page) });
  const rows = await selectJsonArrays(db, shape.bind({ ...whereValues(scope, filter), ...keysetSlotValues(page), limit: page.size + 1, offset }));
  return rows.map((r) => ({ org: organizationColumns.decode(r), createdAtKey: r[organizationColumns.width] as string }));
}

export async function countOrganizations(db: Database, scope: TenantScope, filter: OrganizationFilter): Promise<number> {
  const shape = organizationCountShape({ where: whereShape(scope, filter) });
  const [row] = rowsOf<{ n: number }>(await db.execute(shape.bind(whereValues(scope, filter))));
  return Number(row!.n);
}

/**
 * Roles of a user in each organization: the strongest of
 * - the user's own roles in the organization or any ancestor (roles hold down the tree), and
 * - the role an organization X was granted (org-owner / org-member) in the organization or any
 *   ancestor, when the user belongs to X: has a role in X or an ancestor of X, or — when the
 *   grant includes X's sub-organizations — in one of X's descendants.
 * One level of organizations as members (X's own org-memberships do not pass on): the rule the
 * policy states (core/auth/policy.ts). One statement per batch, walks bounded by depth.
 */
export async function findEffectiveRoles(db: Database, userId: string, organizationIds: readonly string[]): Promise<Map<string, Role>> {
  const rows = rowsOf<{ target: string; role: Role }>(
    await db.execute(sql`
      with recursive chain(target, id, depth) as (
        select o.id, o.id, 0 from ${organizations} o where o.id = any(${sqlUuidArray(organizationIds)})
        union all
        select chain.target, o.parent_id, chain.depth + 1 from chain join ${organizations} o on o.id = chain.id where o.parent_id is not null and chain.depth < 100
      ),
      granted as (
        select chain.target, om.role::text as role, om.member_organization_id as x, om.include_sub_organizations as inc
        from chain join ${organizationMemberships} om on om.organization_id = chain.id
      ),
      xup(x, id, depth) as (
        select distinct g.x, g.x, 0 from granted g
        union all
        select xup.x, o.parent_id, xup.depth + 1 from xup join ${organizations} o on o.id = xup.id where o.parent_id is not null and xup.depth < 100
      ),
      mine(id, depth) as (
        select m.organization_id, 0 from ${memberships} m where m.user_id = ${userId} and exists (select 1 from granted where granted.inc)
        union all
        select o.parent_id, mine.depth + 1 from mine join ${organizations} o on o.id = mine.id where o.parent_id is not null and mine.depth < 100
      )
      select chain.target, m.role::text as role from chain join ${memberships} m on m.organization_id = chain.id and m.user_id = ${userId}
      union all
      select g.target, g.role from granted g
      where exists (select 1 from xup join ${memberships} m on m.organization_id = xup.id and m.user_id = ${userId} where xup.x = g.x)
         or (g.inc and exists (select 1 from mine where mine.id = g.x))`),
  );
  const out = new Map<string, Role>();
  for (const r of rows) if (outranks(r.role, out.get(r.target))) out.set(r.target, r.role);
  return out;
}

// ---- memberships ----

export async function insertMembership(db: Database, values: typeof memberships.$inferInsert): Promise<MembershipRow> {
  const [row] = await db.insert(memberships).values(values).returning();
  return row!;
}

export async function findMembership(db: Database, organizationId: string, userId: string): Promise<MembershipRow | undefined> {
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  return row;
}

export const findMembershipsByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, memberships, ids);

// Writes match the membership's organization too (core/auth/tenant.ts).
export async function updateMembershipRole(db: Database, membership: TenantRowKey, role: Role): Promise<MembershipRow | undefined> {
  const [row] = await db.update(memberships).set({ role }).where(tenantRow(memberships, membership)).returning();
  return row;
}

export async function deleteMembership(db: Database, membership: TenantRowKey): Promise<MembershipRow | undefined> {
  const [row] = await db.delete(memberships).where(tenantRow(memberships, membership)).returning();
  return row;
}

export async function countOwners(db: Database, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'owner')));
  return Number(row!.n);
}

export const findMembershipsByUserIds = (db: Database, userIds: readonly string[]) =>
  db
    .select()
    .from(memberships)
    .where(inArray(memberships.userId, [...userIds]))
    .orderBy(memberships.id);

export async function countMembershipsByOrganizationIds(db: Database, organizationIds: readonly string[], role?: Role | null): Promise<Map<string, number>> {
  const rows = await db
    .select({ organizationId: memberships.organizationId, n: count() })
    .from(memberships)
    .where(and(inArray(memberships.organizationId, [...organizationIds]), role ? eq(memberships.role, role) : undefined))
    .groupBy(memberships.organizationId);
  return new Map(rows.map((r) => [r.organizationId, Number(r.n)]));
}


// ---- organizations as members of organizations ----

export type OrganizationMembershipRow = typeof organizationMemberships.$inferSelect;

export const findOrganizationMembershipsByOrganizationIds = (db: Database, ids: readonly string[]) =>
  db
    .select()
    .from(organizationMemberships)
    .where(inArray(organizationMemberships.organizationId, [...ids]))
    .orderBy(organizationMemberships.id);

export async function findOrganizationMembership(db: Database, organizationId: string, memberOrganizationId: string): Promise<OrganizationMembershipRow | undefined> {
  const [row] = await db
    .select()
    .from(organizationMemberships)
    .where(and(eq(organizationMemberships.organizationId, organizationId), eq(organizationMemberships.memberOrganizationId, memberOrganizationId)));
  return row;
}

export async function insertOrganizationMembership(db: Database, values: typeof organizationMemberships.$inferInsert): Promise<OrganizationMembershipRow> {
  const [row] = await db.insert(organizationMemberships).values(values).returning();
  return row!;
}

export async function deleteOrganizationMembership(db: Database, organizationId: string, memberOrganizationId: string): Promise<OrganizationMembershipRow | undefined> {
  const [row] = await db
    .delete(organizationMemberships)
    .where(and(eq(organizationMemberships.organizationId, organizationId), eq(organizationMemberships.memberOrganizationId, memberOrganizationId)))
    .returning();
  return row;
}

/**
 * Adds `amount` to the quota usage in one statement, unless that passes the limit (no limit, or
 * the override, lets it through). Undefined when the quota is exhausted (or no such organization).
 */
export async function incrementQuotaUsage(db: Database, id: string, amount: number): Promise<OrganizationRow | undefined> {
  const [row] = await db
    .update(organizations)
    .set({ quotaUsage: sql`${organizations.quotaUsage} + ${amount}::bigint` })
    .where(
      and(
        eq(organizations.id, id),
        sql`(${organizations.quotaOverride} or ${organizations.quotaLimit} is null or ${organizations.quotaUsage} + ${amount}::bigint <= ${organizations.quotaLimit})`,
      ),
    )
    .returning();
  return row;
}
