// SQL for groups, their members and message keys. Plain functions of (db, params); no
// permission checks — callers pass the visibility scope the service decided on.
import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { groupMembers, groupMessageKeys, groups } from '../../../schema/groups.js';
import { memberships, organizations } from '../../../schema/organizations.js';
import { users } from '../../../schema/users.js';
import { rowsOf, sqlUuidArray, uuidArrayLiteral, type Database } from '../../core/db.js';
import { slot, SqlShapes } from '../../core/sql-shape.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfter, keysetOrder, type Keyset } from '../../core/pagination.js';
import { findRowsByIds, jsonColumns, jsonColumnsPicked, selectJsonArrays, type JsonColumns } from '../../core/json-rows.js';
import { USER_COLUMNS, type UserRow } from '../users/user.repo.js';
import { organizationsWithRole, tenantRow } from '../../core/auth/tenant.sql.js';
import type { TenantRowKey, TenantScope } from '../../core/auth/tenant.js';

export type GroupRow = typeof groups.$inferSelect;
export type NewGroup = typeof groups.$inferInsert;
export type GroupMemberRow = typeof groupMembers.$inferSelect;

const groupColumns = jsonColumns(groups, 'g');
/** A group as a page read it: the columns the query asked for (all when none were named). */
export type PageGroupRow = Pick<GroupRow, 'id' | 'organizationId' | 'name'> & Partial<GroupRow>;
// Shapes for the column sets queries asked for, by their sorted list.
const pickedGroupColumns = new Map<string, JsonColumns<PageGroupRow>>();
function groupShape(columns: readonly (keyof GroupRow)[] | null): JsonColumns<PageGroupRow> {
  if (!columns) return groupColumns;
  const key = columns.join(',');
  let shape = pickedGroupColumns.get(key);
  if (!shape) pickedGroupColumns.set(key, (shape = jsonColumnsPicked(groups, 'g', columns) as JsonColumns<PageGroupRow>));
  return shape;
}

function scopeWhere(scope: TenantScope): SQL | undefined {
  return scope.all ? undefined : sql`${groups.organizationId} in ${organizationsWithRole(scope, 'member')}`;
}

export interface GroupFilter {
  organizationId?: string | null;
  nameContains?: string | null;
}

function filterWhere(f: GroupFilter): SQL | undefined {
  return and(
    f.organizationId ? eq(groups.organizationId, f.organizationId) : undefined,
    f.nameContains ? sql`${groups.name} ilike ${'%' + f.nameContains.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}` : undefined,
  );
}

export type GroupOrderField = 'name' | 'createdAt';

export function groupKeyset(field: GroupOrderField, direction: 'asc' | 'desc'): Keyset {
  return { columns: [field === 'name' ? groups.name : groups.createdAt, groups.id], direction };
}

export async function insertGroup(db: Database, values: NewGroup): Promise<GroupRow> {
  const [row] = await db.insert(groups).values(values).returning();
  return row!;
}

// Writes match the group's organization too (core/auth/tenant.ts): undefined, or nothing
// deleted, when the group is not in that organization.
export async function updateGroup(db: Database, group: TenantRowKey, values: Partial<Omit<NewGroup, 'organizationId'>>): Promise<GroupRow | undefined> {
  const [row] = await db.update(groups).set(values).where(tenantRow(groups, group)).returning();
  return row;
}

export async function deleteGroup(db: Database, group: TenantRowKey): Promise<GroupRow | undefined> {
  const [row] = await db.delete(groups).where(tenantRow(groups, group)).returning();
  return row;
}

/** `group_id in (…)`: the group's members, only while the group is in the given organization. */
const membersOf = (group: TenantRowKey) => inArray(groupMembers.groupId, sql`(select ${groups.id} from ${groups} where ${tenantRow(groups, group)})`);

export const findGroupsByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, groups, ids);

export const findGroupsByDatabaseIds = (db: Database, databaseIds: readonly number[]) => db.select().from(groups).where(inArray(groups.databaseId, [...databaseIds]));

export async function listGroups(db: Database, scope: TenantScope, filter: GroupFilter, keyset: Keyset, page: PageRequest, offset = 0): Promise<GroupRow[]> {
  const q = db
    .select()
    .from(groups)
    .where(and(scopeWhere(scope), filterWhere(filter), keysetAfter(keyset, page)))
    .orderBy(...keysetOrder(keyset, page))
    .limit(page.size + 1);
  // OFFSET only for page-number clients (the REST dialects); cursors never need it.
  return offset > 0 ? q.offset(offset) : q;
}

export async function countGroups(db: Database, scope: TenantScope, filter: GroupFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(groups)
    .where(and(scopeWhere(scope), filterWhere(filter)));
  return Number(row!.n);
}

/**
 * The first N groups by name (id breaks ties) of each organization, in ONE statement:
 * top-N-per-parent via row_number(), as one json value (core/json-rows.ts). The cursor is a
 * [name, id] position shared by the batch. The ranked subquery carries every column, so nothing
 * joins back to the table (joins back by id made the planner scan it whole). `columns`: the
 * columns to read (id, organization and name at least), null for all.
 */
const groupPageShapes = new SqlShapes<{ ids: string; name: string | null; id: string | null; limit: number }>();

export async function findGroupPagesByOrganizationIds(
  db: Database,
  organizationIds: readonly string[],
  page: PageRequest,
  columns: readonly (keyof GroupRow)[] | null = null,
): Promise<PageGroupRow[]> {
  const shape = groupShape(columns);
  const forward = page.direction === 'forward';
  // A cursor of another list never matches: an empty page, not an error.
  const cursor = !page.cursor ? 'none' : page.cursor.length !== 2 ? 'foreign' : 'after';
  const statement = groupPageShapes.get(`${columns?.join(',') ?? '*'}|${forward}|${cursor}`, () => {
    const dir = sql.raw(forward ? 'asc' : 'desc');
    const where = [sql`organization_id = any(${slot('ids')}::uuid[])`];
    if (cursor === 'foreign') where.push(sql`false`);
    if (cursor === 'after') where.push(sql`(name, id) ${sql.raw(forward ? '>' : '<')} (${slot('name')}, ${slot('id')}::uuid)`);
    return sql`
      select json_agg(json_build_array(${shape.sql}) order by g.organization_id, g.rn)
      from (
        select *, row_number() over (partition by organization_id order by name ${dir}, id ${dir}) as rn
        from ${groups}
        where ${sql.join(where, sql` and `)}
      ) g
      where g.rn <= ${slot('limit')}`;
  });
  const after = cursor === 'after' ? page.cursor! : null;
  const rows = await selectJsonArrays(
    db,
    statement.bind({ ids: uuidArrayLiteral(organizationIds), name: after ? String(after[0]) : null, id: after ? String(after[1]) : null, limit: page.size + 1 }),
  );
  return rows.map((r) => shape.decode(r));
}

export async function countGroupsByOrganizationIds(db: Database, organizationIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ organizationId: groups.organizationId, n: count() })
    .from(groups)
    .where(inArray(groups.organizationId, [...organizationIds]))
    .groupBy(groups.organizationId);
  return new Map(rows.map((r) => [r.organizationId, Number(r.n)]));
}

// ---- members ----

export interface GroupMemberWithUser {
  member: GroupMemberRow;
  user: UserRow;
}

/** Members of each group with their users (joined, so the user loader can be primed), admins first then by joining order. */
export const findGroupMembersByGroupIds = (db: Database, groupIds: readonly string[]): Promise<GroupMemberWithUser[]> =>
  db
    .select({ member: groupMembers, user: USER_COLUMNS })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(inArray(groupMembers.groupId, [...groupIds]))
    .orderBy(groupMembers.groupId, sql`${groupMembers.isAdmin} desc`, groupMembers.id);

/** The groups each user belongs to (by group name), for User.groups. */
export const findGroupsByMemberUserIds = (db: Database, userIds: readonly string[]): Promise<{ userId: string; group: GroupRow }[]> =>
  db
    .select({ userId: groupMembers.userId, group: groups })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(inArray(groupMembers.userId, [...userIds]))
    .orderBy(groups.name, groups.id);

export async function insertGroupMembers(db: Database, groupId: string, members: { userId: string; isAdmin: boolean }[]): Promise<GroupMemberRow[]> {
  if (members.length === 0) return [];
  return db
    .insert(groupMembers)
    .values(members.map((m) => ({ groupId, userId: m.userId, isAdmin: m.isAdmin })))
    .returning();
}

export async function deleteGroupMembers(db: Database, group: TenantRowKey, userIds: readonly string[]): Promise<GroupMemberRow[]> {
  return db
    .delete(groupMembers)
    .where(and(membersOf(group), inArray(groupMembers.userId, [...userIds])))
    .returning();
}

export async function setGroupMemberAdmin(db: Database, group: TenantRowKey, userId: string, isAdmin: boolean): Promise<GroupMemberRow | undefined> {
  const [row] = await db
    .update(groupMembers)
    .set({ isAdmin })
    .where(and(membersOf(group), eq(groupMembers.userId, userId)))
    .returning();
  return row;
}

/** Current members of one group, read inside a write transaction (rows locked so concurrent changes serialize). */
export const findGroupMembersForUpdate = (db: Database, groupId: string): Promise<GroupMemberRow[]> =>
  db.select().from(groupMembers).where(eq(groupMembers.groupId, groupId)).for('update');

export async function insertGroupMessageKeys(
  db: Database,
  groupId: string,
  keys: { createdForDeviceId: string | null; createdForKeyHash: string | null; encryptedMessageKey: string }[],
): Promise<void> {
  if (keys.length === 0) return;
  await db.insert(groupMessageKeys).values(keys.map((k) => ({ groupId, ...k })));
}

/**
 * Which of the users are members of the organization (directly or through an ancestor, as
 * roles are inherited): group members must belong to the group's organization.
 */
export async function findOrganizationMemberIds(db: Database, organizationId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = rowsOf<{ user_id: string }>(
    await db.execute(sql`
      with recursive chain(id, depth) as (
        select ${organizationId}::uuid, 0
        union all
        select o.parent_id, chain.depth + 1 from chain join ${organizations} o on o.id = chain.id where o.parent_id is not null and chain.depth < 100
      )
      select distinct m.user_id from ${memberships} m join chain on m.organization_id = chain.id where m.user_id = any(${sqlUuidArray(userIds)})`),
  );
  return new Set(rows.map((r) => r.user_id));
}

/** Which of the ids are existing users. */
export async function findExistingUserIds(db: Database, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(inArray(users.id, [...userIds]));
  return new Set(rows.map((r) => r.id));
}
