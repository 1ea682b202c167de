// SQL of groups' key side: the members' device key copies by generation, earlier key sets, pages
// of members and of member devices. Plain functions of (db, params), no permission checks.
// Writes match the group's organization (core/auth/tenant.ts) as the other group writes do.
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { groupMembers, groupMessageKeys, groups } from '../../../schema/groups.js';
import { groupKeySets } from '../../../schema/sealdkeys.js';
import { devices } from '../../../schema/users.js';
import type { Database } from '../../core/db.js';
import type { TenantRowKey } from '../../core/auth/tenant.js';
import { tenantRow } from '../../core/auth/tenant.sql.js';
import type { DeviceRow } from '../users/user.repo.js';
import type { GroupMemberRow, GroupRow } from './group.repo.js';

export type GroupKeySetRow = typeof groupKeySets.$inferSelect;
export type GroupMessageKeyRow = typeof groupMessageKeys.$inferSelect;

export interface DeviceKeyCopy {
  createdForDeviceId: string;
  createdForKeyHash: string | null;
  encryptedMessageKey: string;
}

/** The group's row, locked until the transaction ends (renewals of one group serialize). */
export async function lockGroup(tx: Database, group: TenantRowKey): Promise<GroupRow | undefined> {
  const [row] = await tx.select().from(groups).where(tenantRow(groups, group)).for('update');
  return row;
}

/** Stores device key copies of one generation. */
export async function insertKeyCopies(tx: Database, groupId: string, generation: number, copies: DeviceKeyCopy[]): Promise<void> {
  if (copies.length === 0) return;
  await tx.insert(groupMessageKeys).values(copies.map((c) => ({ groupId, generation, ...c })));
}

/** Removes the copies of one generation held for these devices (they are replaced). */
export async function deleteKeyCopiesOfDevices(tx: Database, groupId: string, generation: number, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await tx.delete(groupMessageKeys).where(and(eq(groupMessageKeys.groupId, groupId), eq(groupMessageKeys.generation, generation), inArray(groupMessageKeys.createdForDeviceId, [...deviceIds])));
}

/** Removes every copy (every generation) held for the users' devices: removed members keep no group key. */
export async function deleteKeyCopiesOfUsers(tx: Database, groupId: string, userIds: readonly string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const rows = await tx
    .delete(groupMessageKeys)
    .where(and(eq(groupMessageKeys.groupId, groupId), inArray(groupMessageKeys.createdForDeviceId, sql`(select ${devices.id} from ${devices} where ${inArray(devices.userId, [...userIds])})`)))
    .returning({ id: groupMessageKeys.id });
  return rows.length;
}

export async function insertKeySet(tx: Database, values: typeof groupKeySets.$inferInsert): Promise<GroupKeySetRow> {
  const [row] = await tx.insert(groupKeySets).values(values).returning();
  return row!;
}

/** When the group's current keys were set: the newest replaced set's replacement time, else the group's creation. */
export async function findCurrentKeysSince(tx: Database, group: GroupRow): Promise<Date> {
  const [row] = await tx.select({ at: groupKeySets.replacedAt }).from(groupKeySets).where(eq(groupKeySets.groupId, group.id)).orderBy(desc(groupKeySets.generation)).limit(1);
  return row?.at ?? group.createdAt;
}

/** The group's replaced key sets, newest first, at most `limit`. */
export const listKeySets = (db: Database, groupId: string, limit: number): Promise<GroupKeySetRow[]> =>
  db.select().from(groupKeySets).where(eq(groupKeySets.groupId, groupId)).orderBy(desc(groupKeySets.generation)).limit(limit);

/** One page of a group's members, admins first then by joining order (as Group.members). */
export const listMemberPage = (db: Database, groupId: string, limit: number, offset: number): Promise<GroupMemberRow[]> =>
  db
    .select()
    .from(groupMembers)
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(sql`${groupMembers.isAdmin} desc`, asc(groupMembers.id))
    .limit(limit)
    .offset(offset);

export async function countMembers(db: Database, groupId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(groupMembers).where(eq(groupMembers.groupId, groupId));
  return Number(row!.n);
}

export interface GroupDeviceRow {
  device: DeviceRow;
  isAdmin: boolean;
  /** The member device's copy of the group's current key, if it has one. */
  keyCopy: string | null;
}

/** One page of the devices of a group's members (by member, then device age), each with its copy of the current key. */
export async function listGroupDevicePage(db: Database, group: Pick<GroupRow, 'id' | 'keyGeneration'>, limit: number, offset: number): Promise<GroupDeviceRow[]> {
  const rows = await db
    .select({ device: devices, isAdmin: groupMembers.isAdmin, keyCopy: groupMessageKeys.encryptedMessageKey })
    .from(groupMembers)
    .innerJoin(devices, eq(devices.userId, groupMembers.userId))
    .leftJoin(
      groupMessageKeys,
      and(eq(groupMessageKeys.groupId, groupMembers.groupId), eq(groupMessageKeys.createdForDeviceId, devices.id), eq(groupMessageKeys.generation, group.keyGeneration)),
    )
    .where(eq(groupMembers.groupId, group.id))
    .orderBy(asc(groupMembers.id), asc(devices.createdAt), asc(devices.id), asc(groupMessageKeys.id))
    .limit(limit)
    .offset(offset);
  return rows;
}

export async function countGroupDevices(db: Database, groupId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(groupMembers)
    .innerJoin(devices, eq(devices.userId, groupMembers.userId))
    .where(eq(groupMembers.groupId, groupId));
  return Number(row!.n);
}

/** The copies (every generation) held for one user's devices in a group. */
export const listKeyCopiesOfUser = (db: Database, groupId: string, userId: string): Promise<{ generation: number; deviceId: string | null; encryptedMessageKey: string }[]> =>
  db
    .select({ generation: groupMessageKeys.generation, deviceId: groupMessageKeys.createdForDeviceId, encryptedMessageKey: groupMessageKeys.encryptedMessageKey })
    .from(groupMessageKeys)
    .innerJoin(devices, eq(devices.id, groupMessageKeys.createdForDeviceId))
    .where(and(eq(groupMessageKeys.groupId, groupId), eq(devices.userId, userId)))
    .orderBy(asc(groupMessageKeys.generation), asc(devices.createdAt), asc(devices.id));
