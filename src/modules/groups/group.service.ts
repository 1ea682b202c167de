// Rules for groups: visible to members of the group's organization ('group:read'), managed by
// its admins/owners ('group:manage') or by the group's own admins; members must belong to the
// organization; a group that has admins keeps at least one. Each change commits with its
// event-log row.
import type { Context, ServiceContext } from '../../context.js';
import type { Database } from '../../core/db.js';
import { DomainError, conflict, notFound, validation } from '../../core/errors.js';
import { emptyConnection, pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { offsetPage, MAX_OFFSET } from '../../core/offset.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../core/sql-errors.js';
import { recordEvent } from '../logs/event-log.service.js';
import { checkKeyMaterial, isBase64, KEY_LIMITS, KEY_MIN } from '../../core/key-material.js';
import { requireActiveDevices } from '../dashboard/devices.service.js';
import { deleteKeyCopiesOfUsers } from './group-keys.repo.js';
import { readableOrganization } from '../organizations/organization.service.js';
import type { OrganizationRow } from '../organizations/organization.repo.js';
import {
  countGroups,
  deleteGroup,
  deleteGroupMembers,
  findExistingUserIds,
  findGroupMembersForUpdate,
  findGroupsByDatabaseIds,
  findGroupsByIds,
  findOrganizationMemberIds,
  groupKeyset,
  insertGroup,
  insertGroupMembers,
  insertGroupMessageKeys,
  listGroups,
  setGroupMemberAdmin,
  updateGroup,
  type GroupFilter,
  type GroupMemberRow,
  type GroupOrderField,
  type GroupRow,
} from './group.repo.js';
import { tenantScopeOf } from '../../core/auth/tenant.js';
import { WHOLE_GROUPS, type GroupPagePlan, type GroupRead } from './group.read.js';

type Ctx = ServiceContext;

const MAX_MEMBERS_PER_CALL = 100;

function checkName(name: string, field = 'name'): string {
  const n = name.trim();
  if (n.length < 1 || n.length > 64) throw validation(field, 'Group name must be 1 to 64 characters');
  return n;
}

/** Key material is base64 of Seald's documented lengths (core/key-material.ts); over the maximum is PAYLOAD_TOO_LARGE. */
function checkKey(value: string | null | undefined, field: string, max: number): string | null {
  if (value == null) return null;
  return checkKeyMaterial(value, field, max, KEY_MIN);
}

function checkUserIds(ids: readonly string[], field: string): string[] {
  const unique = [...new Set(ids)];
  if (unique.length > MAX_MEMBERS_PER_CALL) throw validation(field, `At most ${MAX_MEMBERS_PER_CALL} users at once`);
  return unique;
}

/** A group the caller may read; missing and unreadable answer alike (null). */
export async function readableGroup(ctx: Ctx, id: string): Promise<GroupRow | null> {
  const row = await ctx.loaders.groupById.load(id);
  if (!row || !(await ctx.authz.can('group:read', { organizationId: row.organizationId }))) return null;
  return row;
}

async function requireGroup(ctx: Ctx, id: string): Promise<GroupRow> {
  const row = await readableGroup(ctx, id);
  if (!row) throw notFound('Group not found');
  return row;
}

/** Members of a group (admins first), with their users primed into the user loader. */
export async function membersOfGroup(ctx: Ctx, group: Pick<GroupRow, 'id'>): Promise<GroupMemberRow[]> {
  const rows = await ctx.loaders.groupMembersByGroupId.load(group.id);
  for (const r of rows) ctx.loaders.userById.prime(r.user.id, r.user);
  return rows.map((r) => r.member);
}

/**
 * The recipients of a message sent to groups: each group's members at this moment, with the
 * group that brought them in (a user in several groups: the first). Every group must be one the
 * caller can read ("Unknown group" otherwise). Members are taken when the message is created, so
 * a member removed earlier never gets an access to a later group message.
 */
export async function groupRecipients(ctx: Ctx, groupIds: readonly string[], field: string): Promise<{ userId: string; groupId: string }[]> {
  const out = new Map<string, string>();
  for (const id of groupIds) {
    const group = await readableGroup(ctx, id);
    if (!group) throw validation(field, 'Unknown group');
    for (const m of await membersOfGroup(ctx, group)) if (!out.has(m.userId)) out.set(m.userId, group.id);
  }
  return [...out].map(([userId, groupId]) => ({ userId, groupId }));
}

/** Whether the caller is a member of the group (who alone gets the encrypted private keys). */
export async function isGroupMember(ctx: Ctx, group: Pick<GroupRow, 'id'>): Promise<boolean> {
  const me = ctx.authz.userId;
  if (!me) return false;
  return (await membersOfGroup(ctx, group)).some((m) => m.userId === me);
}

export async function canManageGroup(ctx: Ctx, group: Pick<GroupRow, 'id' | 'organizationId'>): Promise<boolean> {
  if (await ctx.authz.can('group:manage', { organizationId: group.organizationId })) return true;
  const me = ctx.authz.userId;
  // Group admins manage their group, but only while they still can see it.
  if (!me || !(await ctx.authz.can('group:read', { organizationId: group.organizationId }))) return false;
  return (await membersOfGroup(ctx, group)).some((m) => m.userId === me && m.isAdmin);
}

export async function requireManageableGroup(ctx: Ctx, id: string): Promise<GroupRow> {
  if (!ctx.authz.userId) throw new DomainError('UNAUTHENTICATED');
  const group = await requireGroup(ctx, id);
  if (!(await canManageGroup(ctx, group))) throw new DomainError('FORBIDDEN', 'Only organization admins and group admins manage a group');
  return group;
}

export async function listVisibleGroups(
  ctx: Ctx,
  args: ConnectionArgs,
  filter: GroupFilter,
  order: { field: GroupOrderField; direction: 'asc' | 'desc' },
  /** Rows to skip, for page-number clients (forward pages without a cursor only). */
  offset?: number | null,
): Promise<Connection<GroupRow>> {
  const page = offsetPage(pageRequest(args), offset, MAX_OFFSET);
  const skip = page.skipped;
  const scope = tenantScopeOf(ctx.principal);
  if (!scope) return emptyConnection(page);
  const keyset = groupKeyset(order.field, order.direction);
  const rows = await listGroups(ctx.db, scope, filter, keyset, page, skip);
  for (const r of rows) ctx.loaders.groupById.prime(r.id, r);
  // createdAt keys travel as ISO strings; ids are time-ordered, so the id settles equal milliseconds.
  const keyOf = (r: GroupRow) => [order.field === 'name' ? r.name : r.createdAt.toISOString(), r.id];
  return toConnection(rows, page, keyOf, (r) => r, () => countGroups(ctx.db, scope, filter));
}

/**
 * The group page of one organization, by name (batched across organizations by the loader).
 * `plan`: what the caller reads of each group (group.read.ts groupPagePlan); whole rows when absent.
 */
export async function groupsOfOrganization(ctx: Ctx, org: OrganizationRow, args: ConnectionArgs, plan: GroupPagePlan = WHOLE_GROUPS): Promise<Connection<GroupRead>> {
  const page = pageRequest(args);
  if (!(await ctx.authz.can('group:read', { organizationId: org.id }))) return emptyConnection(page);
  const rows = await ctx.loaders.groupPage({ page, plan }).load(org.id);
  return toConnection(rows, page, (r) => [r.name, r.id], (r) => r, () => ctx.loaders.groupCountByOrganizationId.load(org.id));
}

/** The groups a user belongs to, only those the caller can see. */
export async function groupsOfUser(ctx: Ctx, userId: string): Promise<GroupRow[]> {
  const rows = await ctx.loaders.groupsByMemberUserId.load(userId);
  const visible = await Promise.all(rows.map(async (r) => ((await ctx.authz.can('group:read', { organizationId: r.group.organizationId })) ? r.group : null)));
  return visible.filter((g): g is GroupRow => g !== null);
}

/** Refuses users that do not exist or are not members of the organization. */
export async function checkOrganizationMembers(db: Database, organizationId: string, userIds: string[], field: string): Promise<void> {
  if (userIds.length === 0) return;
  const inOrg = await findOrganizationMemberIds(db, organizationId, userIds);
  const outside = userIds.filter((id) => !inOrg.has(id));
  if (outside.length === 0) return;
  const existing = await findExistingUserIds(db, outside);
  if (outside.some((id) => !existing.has(id))) throw validation(field, 'Unknown user');
  throw validation(field, 'Group members must be members of the group’s organization');
}

/**
 * Key copies name devices: each must be active (requireActiveDevices), belong to one of
 * `memberIds` and appear once.
 */
export async function checkMemberDevices(ctx: Ctx, memberIds: readonly string[], refs: { id: string; field: string; userId?: string }[]): Promise<void> {
  const seen = new Set<string>();
  for (const r of refs) {
    if (seen.has(r.id)) throw validation(r.field, 'The device appears twice');
    seen.add(r.id);
  }
  // One batched load for every device named; `userId` on a ref: that device must be this member's.
  const found = await requireActiveDevices(ctx, refs);
  for (const r of refs) {
    const owner = found.get(r.id)!.userId;
    if (r.userId ? owner !== r.userId : !memberIds.includes(owner)) throw validation(r.field, 'The device is not a member’s');
  }
}

export async function withMemberConstraints<T>(run: () => Promise<T>, field: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err, 'group_members_group_user_key')) throw conflict(field, 'The user is already a member of the group');
    if (isForeignKeyViolation(err)) throw validation(field, 'Refers to something that does not exist');
    throw err;
  }
}

/** Changed groups must not answer from the request's caches (payloads read them back). */
export function forget(ctx: Ctx, group: GroupRow): void {
  ctx.loaders.groupById.clear(group.id).prime(group.id, group);
  ctx.loaders.groupMembersByGroupId.clear(group.id);
}

export interface CreateGroupInput {
  organizationId: string;
  name: string;
  encryptionPublicKey?: string | null;
  signingPublicKey?: string | null;
  encryptedEncryptionPrivateKey?: string | null;
  encryptedSigningPrivateKey?: string | null;
  memberIds?: string[] | null;
  adminIds?: string[] | null;
  messageKeys?: { createdForDeviceId?: string | null; createdForKeyHash?: string | null; encryptedMessageKey: string }[] | null;
}

export async function createGroupService(ctx: Ctx, input: CreateGroupInput): Promise<GroupRow> {
  if (!ctx.authz.userId) throw new DomainError('UNAUTHENTICATED');
  const org = await readableOrganization(ctx, input.organizationId);
  if (!org) throw notFound('Organization not found');
  await ctx.authz.assert('group:manage', { organizationId: org.id }, { message: 'Only organization admins create groups' });
  const name = checkName(input.name);
  const keys = {
    encryptionPublicKey: checkKey(input.encryptionPublicKey, 'encryptionPublicKey', KEY_LIMITS.publicKey),
    signingPublicKey: checkKey(input.signingPublicKey, 'signingPublicKey', KEY_LIMITS.publicKey),
    encryptedEncryptionPrivateKey: checkKey(input.encryptedEncryptionPrivateKey, 'encryptedEncryptionPrivateKey', KEY_LIMITS.encryptedKey),
    encryptedSigningPrivateKey: checkKey(input.encryptedSigningPrivateKey, 'encryptedSigningPrivateKey', KEY_LIMITS.encryptedKey),
  };
  const admins = checkUserIds(input.adminIds ?? [], 'adminIds');
  const members = checkUserIds([...(input.memberIds ?? []), ...admins], 'memberIds');
  const messageKeys = (input.messageKeys ?? []).map((k, i) => {
    checkKeyMaterial(k.encryptedMessageKey, `messageKeys.${i}.encryptedMessageKey`, KEY_LIMITS.encryptedKey);
    if (k.createdForKeyHash != null && (k.createdForKeyHash.length > 256 || !isBase64(k.createdForKeyHash))) throw validation(`messageKeys.${i}.createdForKeyHash`, 'Must be base64 of at most 256 characters');
    return { createdForDeviceId: k.createdForDeviceId ?? null, createdForKeyHash: k.createdForKeyHash ?? null, encryptedMessageKey: k.encryptedMessageKey };
  });
  await checkOrganizationMembers(ctx.db, org.id, members, input.adminIds?.length ? 'adminIds' : 'memberIds');
  // Each key copy is for an active device of one of the members, once (a revoked device never acts again).
  await checkMemberDevices(ctx, members, messageKeys.flatMap((k, i) => (k.createdForDeviceId ? [{ id: k.createdForDeviceId, field: `messageKeys.${i}.createdForDeviceId` }] : [])));
  const group = await withMemberConstraints(
    () =>
      ctx.db.transaction(async (tx) => {
        const g = await insertGroup(tx, { organizationId: org.id, name, ...keys });
        await insertGroupMembers(
          tx,
          g.id,
          members.map((userId) => ({ userId, isAdmin: admins.includes(userId) })),
        );
        await insertGroupMessageKeys(tx, g.id, messageKeys);
        await recordEvent(tx, ctx, { action: 'group.create', organizationId: org.id, data: { groupId: g.id, name, memberIds: members, adminIds: admins } });
        return g;
      }),
    'messageKeys',
  );
  forget(ctx, group);
  return group;
}

export async function renameGroupService(ctx: Ctx, id: string, newName: string): Promise<GroupRow> {
  const group = await requireManageableGroup(ctx, id);
  const name = checkName(newName);
  if (name === group.name) return group;
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await updateGroup(tx, group, { name });
    if (!row) throw notFound('Group not found');
    await recordEvent(tx, ctx, { action: 'group.rename', organizationId: group.organizationId, data: { groupId: group.id, from: group.name, to: name } });
    return row;
  });
  forget(ctx, updated);
  return updated;
}

export async function deleteGroupService(ctx: Ctx, id: string): Promise<void> {
  const group = await requireManageableGroup(ctx, id);
  await ctx.db.transaction(async (tx) => {
    // The group has no column in the event log: its id and name go into the event's data.
    await recordEvent(tx, ctx, { action: 'group.delete', organizationId: group.organizationId, data: { groupId: group.id, name: group.name } });
    await deleteGroup(tx, group);
  });
  ctx.loaders.groupById.clear(group.id);
  ctx.loaders.groupMembersByGroupId.clear(group.id);
}

export async function addGroupMembersService(ctx: Ctx, groupId: string, userIds: string[], isAdmin: boolean): Promise<GroupRow> {
  const group = await requireManageableGroup(ctx, groupId);
  const ids = checkUserIds(userIds, 'userIds');
  if (ids.length === 0) throw validation('userIds', 'Give at least one user');
  await checkOrganizationMembers(ctx.db, group.organizationId, ids, 'userIds');
  await withMemberConstraints(
    () =>
      ctx.db.transaction(async (tx) => {
        await insertGroupMembers(
          tx,
          group.id,
          ids.map((userId) => ({ userId, isAdmin })),
        );
        await recordEvent(tx, ctx, {
          action: 'group.addMembers',
          organizationId: group.organizationId,
          user2Id: ids.length === 1 ? ids[0] : null,
          data: { groupId: group.id, userIds: ids, isAdmin },
        });
      }),
    'userIds',
  );
  forget(ctx, group);
  return group;
}

/** Refuses a change that would leave a group that had admins without any. */
export function keepAnAdmin(before: GroupMemberRow[], after: GroupMemberRow[], field: string): void {
  if (before.some((m) => m.isAdmin) && !after.some((m) => m.isAdmin)) throw new DomainError('PRECONDITION_FAILED', 'A group keeps at least one admin', field);
}

export async function removeGroupMembersService(ctx: Ctx, groupId: string, userIds: string[]): Promise<GroupRow> {
  // A member may always leave a group (remove only themselves); anything else takes a manager.
  const leaving = userIds.length === 1 && userIds[0] === ctx.authz.userId;
  const group = leaving ? await requireGroup(ctx, groupId) : await requireManageableGroup(ctx, groupId);
  const ids = checkUserIds(userIds, 'userIds');
  if (ids.length === 0) throw validation('userIds', 'Give at least one user');
  await ctx.db.transaction(async (tx) => {
    const before = await findGroupMembersForUpdate(tx, group.id);
    const missing = ids.filter((id) => !before.some((m) => m.userId === id));
    if (missing.length > 0) throw validation('userIds', 'Not a member of the group');
    keepAnAdmin(
      before,
      before.filter((m) => !ids.includes(m.userId)),
      'userIds',
    );
    await deleteGroupMembers(tx, group, ids);
    // Removed members keep no copy of any group key: the next request of their devices finds none,
    // and keys renewed later are never given to them (group-keys.service.ts).
    await deleteKeyCopiesOfUsers(tx, group.id, ids);
    await recordEvent(tx, ctx, {
      action: 'group.removeMembers',
      organizationId: group.organizationId,
      user2Id: ids.length === 1 ? ids[0] : null,
      data: { groupId: group.id, userIds: ids },
    });
  });
  forget(ctx, group);
  return group;
}

export async function setGroupAdminService(ctx: Ctx, groupId: string, userId: string, isAdmin: boolean): Promise<GroupRow> {
  const group = await requireManageableGroup(ctx, groupId);
  await ctx.db.transaction(async (tx) => {
    const before = await findGroupMembersForUpdate(tx, group.id);
    const member = before.find((m) => m.userId === userId);
    if (!member) throw validation('userId', 'Not a member of the group');
    if (member.isAdmin === isAdmin) return;
    keepAnAdmin(
      before,
      before.map((m) => (m.userId === userId ? { ...m, isAdmin } : m)),
      'isAdmin',
    );
    await setGroupMemberAdmin(tx, group, userId, isAdmin);
    await recordEvent(tx, ctx, { action: 'group.setAdmin', organizationId: group.organizationId, user2Id: userId, data: { groupId: group.id, isAdmin } });
  });
  forget(ctx, group);
  return group;
}

/** Which groups a user should be in: global ids (uuids) or integer ids, as the REST dialects give them. */
export type GroupRefs = { ids: readonly string[] } | { databaseIds: readonly number[] };

/** The membership changes setGroupsOfUser decided, to apply inside the caller's transaction. */
export interface GroupsPlan {
  added: GroupRow[];
  removed: GroupRow[];
}

/**
 * Decides how to make the user a member of exactly the given groups among those the caller
 * manages. Memberships of groups the caller cannot manage stay as they are, so sending back the
 * list one read is no change. Every group given must exist and be visible (else "Unknown group"),
 * every group added manageable (else FORBIDDEN). Reads and permission checks happen here, before
 * the caller's transaction: the permission lookups use their own connection, which an open
 * transaction on a one-connection database (PGlite) would keep waiting. `userId` null: a user
 * about to be created (no memberships yet).
 */
export async function planGroupsOfUser(ctx: Ctx, userId: string | null, refs: GroupRefs, field = 'groups'): Promise<GroupsPlan> {
  const given = 'ids' in refs ? [...new Set(refs.ids)] : [...new Set(refs.databaseIds)];
  if (given.length > MAX_MEMBERS_PER_CALL) throw validation(field, `At most ${MAX_MEMBERS_PER_CALL} groups`);
  const wanted = given.length === 0 ? [] : 'ids' in refs ? await findGroupsByIds(ctx.db, given as string[]) : await findGroupsByDatabaseIds(ctx.db, given as number[]);
  if (wanted.length !== given.length) throw validation(field, 'Unknown group');
  // A group of an organization the caller cannot read does not exist for them.
  for (const g of wanted) if (!(await ctx.authz.can('group:read', { organizationId: g.organizationId }))) throw validation(field, 'Unknown group');
  const current = userId ? (await ctx.loaders.groupsByMemberUserId.load(userId)).map((r) => r.group) : [];
  const added = wanted.filter((g) => !current.some((c) => c.id === g.id));
  for (const g of added) if (!(await canManageGroup(ctx, g))) throw new DomainError('FORBIDDEN', 'You may add members only to groups you manage', field);
  const removable = await Promise.all(current.filter((c) => !wanted.some((g) => g.id === c.id)).map(async (c) => ((await canManageGroup(ctx, c)) ? c : null)));
  return { added, removed: removable.filter((g): g is GroupRow => g !== null) };
}

/**
 * Applies a plan inside the caller's transaction (the user change and its group changes commit
 * together): the user must belong to each new group's organization, and a group keeps an admin.
 */
export async function applyGroupsOfUser(tx: Database, ctx: Ctx, userId: string, plan: GroupsPlan, field = 'groups'): Promise<void> {
  const { added, removed } = plan;
  for (const g of added) await checkOrganizationMembers(tx, g.organizationId, [userId], field);
  for (const g of removed) {
    const before = await findGroupMembersForUpdate(tx, g.id);
    keepAnAdmin(before, before.filter((m) => m.userId !== userId), field);
  }
  await withMemberConstraints(async () => {
    for (const g of added) {
      await insertGroupMembers(tx, g.id, [{ userId, isAdmin: false }]);
      await recordEvent(tx, ctx, { action: 'group.addMembers', organizationId: g.organizationId, user2Id: userId, data: { groupId: g.id, userIds: [userId], isAdmin: false } });
    }
  }, field);
  for (const g of removed) {
    await deleteGroupMembers(tx, g, [userId]);
    await deleteKeyCopiesOfUsers(tx, g.id, [userId]);
    await recordEvent(tx, ctx, { action: 'group.removeMembers', organizationId: g.organizationId, user2Id: userId, data: { groupId: g.id, userIds: [userId] } });
  }
  for (const g of [...added, ...removed]) ctx.loaders.groupMembersByGroupId.clear(g.id);
  ctx.loaders.groupsByMemberUserId.clear(userId);
}
