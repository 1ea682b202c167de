// SQL for organizations, their tree, and memberships. Plain functions of (db, params); no
// permission checks — callers pass the visibility scope the service decided on.
import { and, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { memberships, organizationMemberships, organizations } from '../../../schema/organizations.js';
import { users } from '../../../schema/users.js';
import { outranks, type Role } from '../../core/auth/policy.js';
import type { TenantRowKey, TenantScope } from '../../core/auth/tenant.js';
import { subtreeOf, tenantRow } from '../../core/auth/tenant.sql.js';
import { rowsOf, sqlUuidArray, uuidArrayLiteral, type Database } from '../../core/db.js';
import { slot, SqlShapes } from '../../core/sql-shape.js';
import { findRowsByIds, jsonColumns, jsonColumnsPicked, selectJson, selectJsonArrays, type JsonColumns } from '../../core/json-rows.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfterSlots, keysetOrder, keysetShapeKey, keysetSlotValues, type Keyset } from '../../core/pagination.js';
import type { UserRow } from '../users/user.repo.js';

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

export const findChildrenByParentIds = (db: Database, parentIds: readonly string[]) =>
  db
    .select()
    .from(organizations)
    .where(inArray(organizations.parentId, [...parentIds]))
    .orderBy(organizations.slug, organizations.id);

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
 * (core/sql-shape.ts): `whereKey` names the conditions present, `whereSql` builds them with
 * slots, `whereValues` gives the slots' values.
 */
const whereKey = (scope: TenantScope, f: OrganizationFilter) =>
  [scope.all, !!scope.withinOrganizationId, !!f.slugContains, !!f.search, !!f.id, !!f.slug, !!f.name, f.parentId === null ? 'root' : f.parentId === undefined ? 'any' : 'parent'].join(',');

function whereSql(scope: TenantScope, f: OrganizationFilter): SQL[] {
  const parts: SQL[] = [];
  if (!scope.all) parts.push(sql`${organizations.id} in ${subtreeOf(sql`select organization_id from ${memberships} where user_id = ${slot('userId')}`)}`);
  if (scope.withinOrganizationId) parts.push(sql`${organizations.id} in ${subtreeOf(sql`select ${slot('within')}::uuid`)}`);
  if (f.slugContains) parts.push(sql`${organizations.slug} ilike ${slot('slugLike')}`);
  if (f.search) parts.push(sql`(${organizations.slug} ilike ${slot('searchLike')} or ${organizations.name} ilike ${slot('searchLike')})`);
  if (f.id) parts.push(sql`${organizations.id} = ${slot('id')}`);
  if (f.slug) parts.push(sql`lower(${organizations.slug}) = lower(${slot('slug')})`);
  if (f.name) parts.push(sql`${organizations.name} = ${slot('name')}`);
  if (f.parentId === null) parts.push(isNull(organizations.parentId));
  else if (f.parentId !== undefined) parts.push(sql`${organizations.parentId} = ${slot('parentId')}`);
  return parts;
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

/**
 * A page of organizations. `createdAtKey` is created_at as PostgreSQL prints it (microseconds):
 * a cursor built from the JS Date (milliseconds) would repeat or skip rows.
 */
const organizationPageShapes = new SqlShapes<Record<string, unknown>>();
const organizationCountShapes = new SqlShapes<Record<string, unknown>>();

export async function listOrganizations(
  db: Database,
  scope: TenantScope,
  filter: OrganizationFilter,
  keyset: Keyset,
  page: PageRequest,
  /** Rows to skip (page-number clients; only without a cursor). */
  offset = 0,
): Promise<{ org: OrganizationRow; createdAtKey: string }[]> {
  // One json value (core/json-rows.ts); row_number() carries the page's order into json_agg.
  const key = `${whereKey(scope, filter)}|${keyset.columns[0]!.name}|${keyset.direction}|${page.direction}|${keysetShapeKey(keyset, page)}`;
  const shape = organizationPageShapes.get(key, () => {
    const order = sql.join(keysetOrder(keyset, page), sql`, `);
    const where = [...whereSql(scope, filter)];
    const after = keysetAfterSlots(keyset, page);
    if (after) where.push(after);
    return sql`
      select json_agg(json_build_array(${organizationColumns.sql}, o.created_at::text) order by o.ord)
      from (
        select *, row_number() over (order by ${order}) as ord
        from ${organizations}
        where ${where.length ? and(...where) : sql`true`}
        order by ${order}
        limit ${slot('limit')} offset ${slot('offset')}
      ) o`;
  });
  const rows = await selectJsonArrays(db, shape.bind({ ...whereValues(scope, filter), ...keysetSlotValues(page), limit: page.size + 1, offset }));
  return rows.map((r) => ({ org: organizationColumns.decode(r), createdAtKey: r[organizationColumns.width] as string }));
}

export async function countOrganizations(db: Database, scope: TenantScope, filter: OrganizationFilter): Promise<number> {
  const shape = organizationCountShapes.get(whereKey(scope, filter), () => {
    const where = whereSql(scope, filter);
    return sql`select count(*)::int as n from ${organizations} where ${where.length ? and(...where) : sql`true`}`;
  });
  const [row] = rowsOf<{ n: number }>(await db.execute(shape.bind(whereValues(scope, filter))));
  return Number(row!.n);
}

/** Roles of a user in each organization, inherited from ancestors: the strongest along the chain. */
export async function findEffectiveRoles(db: Database, userId: string, organizationIds: readonly string[]): Promise<Map<string, Role>> {
  const rows = rowsOf<{ target: string; role: Role }>(
    await db.execute(sql`
      with recursive chain(target, id, depth) as (
        select o.id, o.id, 0 from ${organizations} o where o.id = any(${sqlUuidArray(organizationIds)})
        union all
        select chain.target, o.parent_id, chain.depth + 1 from chain join ${organizations} o on o.id = chain.id where o.parent_id is not null and chain.depth < 100
      )
      select chain.target, m.role from chain join ${memberships} m on m.organization_id = chain.id and m.user_id = ${userId}`),
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

/** A member's user row as the membership page carries it: a UserRow (no password hash). */
export type MemberUserRow = UserRow;
/** The columns of a member's user a page can be asked to read. */
export type MemberUserColumn = keyof MemberUserRow;
/** A member's user as a page read it: the columns it was asked for (all when none were named). */
export type MemberUser = Partial<MemberUserRow>;

/**
 * A membership as a page read it: `createdAt` only when the selection asked for it, `id` only
 * when it reads ids or cursors, `userId` only when it reads the user's id (MemberSelection).
 */
export type PageMembershipRow = Omit<MembershipRow, 'createdAt' | 'id' | 'userId'> & Partial<Pick<MembershipRow, 'createdAt' | 'id' | 'userId'>>;

export interface MembershipWithUser {
  membership: PageMembershipRow;
  user: MemberUser;
}

/** What a membership page reads besides each membership's user id, organization and role. */
export interface MemberSelection {
  /** The user columns to read (the user's id only when named); null: all of them. */
  userColumns: readonly MemberUserColumn[] | null;
  /** Whether to read the membership's createdAt. */
  createdAt: boolean;
  /** Whether to read the membership's id: for its node id and for cursors (the keyset). */
  ids: boolean;
}

/** Everything: for callers that hand the rows on (and prime the user loaders with them). */
export const WHOLE_MEMBER: MemberSelection = { userColumns: null, createdAt: true, ids: true };

// Every user column but the password hash: nothing reachable from a membership reads it (sign-in
// reads users through user.repo).
const memberUserColumns = jsonColumns(users, 'u', ['passwordHash']);
// Shapes for the column sets queries asked for, by their sorted list; a handful in practice
// (one per distinct member selection in the documents the gateway serves). The user's id, when
// a field needs it (userColumnsFor), comes first and stands for the membership's user id (the
// join's key): read once, and decoded into the user's own literal rather than added to it
// afterwards (a map transition per member).
const pickedUserColumns = new Map<string, JsonColumns<MemberUser>>();
function memberUserShape(columns: readonly MemberUserColumn[] | null): JsonColumns<MemberUser> {
  if (!columns) return memberUserColumns as JsonColumns<MemberUser>;
  const key = columns.join(',');
  let shape = pickedUserColumns.get(key);
  if (!shape) {
    const ordered = columns.includes('id') ? ['id' as const, ...columns.filter((c) => c !== 'id')] : columns;
    pickedUserColumns.set(key, (shape = jsonColumnsPicked(users, 'u', ordered) as JsonColumns<MemberUser>));
  }
  return shape;
}

/**
 * The first N memberships (by id, i.e. creation: ids are time-ordered) of each organization,
 * with their users, in ONE statement: per organization, a LIMIT read straight off the
 * (organization_id, id) index with each member's user joined inside it (a row_number() over
 * every membership of the batch cost PostgreSQL ~25 % more; the user join outside the limit
 * ~20 % more, PostgreSQL then memoizing 400 lookups that never repeat).
 *
 * Reads only what `select` names: building json costs PostgreSQL per value (a uuid or a
 * timestamp more than a short text), so a page of usernames and emails reads 3 values per
 * member instead of 27 (the organization is its position in the batch; the user's id, which
 * stands for the membership's user id, only when a field needs it). A member's email is
 * users.primary_email: no lookup in contacts.
 *
 * Hand-written SQL returning one json value (core/json-rows.ts): this is the hottest read of the
 * dashboard page (20 × 20 rows); decoding it as one JSON.parse took ~20 % off that request's
 * CPU. The value is one array per organization, in the batch's order (`ordinality`), of its
 * members' arrays (null when it has none), each aggregated in its 21 rows' order: sorting the
 * batch's 420 rows as one list cost more. That order is the subquery's: an ORDER BY inside
 * json_agg sorted each organization's rows again (PostgreSQL 15: a sort per group, ~8 % of the
 * statement), and PostgreSQL's documentation gives "supplying the input values from a sorted
 * subquery" as the way that works when the aggregating level adds no join that could reorder
 * them — here it adds nothing: the aggregate reads the LIMIT straight. `unnest(uuid[])` keeps
 * ONE statement text for any batch size, so the prepared statement is reused.
 */
const membershipPageShapes = new SqlShapes<{ ids: string; role: Role | null; cursor: string | null; limit: number }>();

export async function findMembershipPagesByOrganizationIds(
  db: Database,
  organizationIds: readonly string[],
  opts: { role?: Role | null; page: PageRequest; select?: MemberSelection },
): Promise<MembershipWithUser[]> {
  const { page } = opts;
  const select = opts.select ?? WHOLE_MEMBER;
  const userShape = memberUserShape(select.userColumns);
  // Per member: role, then createdAt and id when asked for, then the user (id first).
  const userAt = 1 + (select.createdAt ? 1 : 0) + (select.ids ? 1 : 0);
  const forward = page.direction === 'forward';
  const cursorId = page.cursor ? String(page.cursor[0]) : null;
  const key = `${select.userColumns?.join(',') ?? '*'}|${select.createdAt}|${select.ids}|${forward}|${!!opts.role}|${cursorId !== null}`;
  const shape = membershipPageShapes.get(key, () => {
    const values = [sql`m.role`];
    if (select.createdAt) values.push(sql`m.created_at`);
    if (select.ids) values.push(sql`m.id`);
    // No user columns for a page that reads none of its users' fields (ids or counts only).
    if (userShape.width > 0) values.push(userShape.sql);
    const dir = sql.raw(forward ? 'asc' : 'desc');
    const where = [sql`m.organization_id = p.id`];
    if (opts.role) where.push(sql`m.role = ${slot('role')}`);
    if (cursorId !== null) where.push(sql`m.id ${sql.raw(forward ? '>' : '<')} ${slot('cursor')}::uuid`);
    return sql`
      select json_agg(x.members order by p.ord)
      from unnest(${slot('ids')}::uuid[]) with ordinality as p(id, ord)
      cross join lateral (
        select json_agg(r.v) as members
        from (
          select json_build_array(${sql.join(values, sql`, `)}) as v
          from ${memberships} m
          join ${users} u on u.id = m.user_id
          where ${sql.join(where, sql` and `)}
          order by m.id ${dir}
          limit ${slot('limit')}
        ) r
      ) x`;
  });
  const perOrganization = await selectJson<(unknown[][] | null)[]>(
    db,
    shape.bind({ ids: uuidArrayLiteral(organizationIds), role: opts.role ?? null, cursor: cursorId, limit: page.size + 1 }),
  );
  const createdAt = select.createdAt;
  const idAt = select.ids ? userAt - 1 : -1;
  const out: MembershipWithUser[] = [];
  perOrganization?.forEach((rows, i) => {
    const organizationId = organizationIds[i]!;
    for (const r of rows ?? []) {
      const user = userShape.decode(r, userAt);
      // One literal, always the same keys: the json is decoded by position (core/json-rows.ts).
      const membership: PageMembershipRow = {
        id: idAt < 0 ? undefined : (r[idAt] as string),
        userId: user.id,
        organizationId,
        role: r[0] as MembershipRow['role'],
        createdAt: createdAt ? new Date(r[1] as string) : undefined,
      };
      out.push({ membership, user });
    }
  });
  return out;
}

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
