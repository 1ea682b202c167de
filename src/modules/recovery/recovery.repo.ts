// SQL of a team's recovery material: backup admin keys, users' encrypted backup keys, lost-
// account recoveries, and the one sigchain append the recovery needs. No permission checks;
// every team-owned read and write names the team (organization) in its WHERE.
import { and, asc, count, desc, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import { sigchainTransactions } from '../../../schema/dashboard.js';
import { messageAccesses, messages } from '../../../schema/messages.js';
import { memberships } from '../../../schema/organizations.js';
import { adminKeys, encryptedBackupKeys, lostAccounts, messageKeys } from '../../../schema/seald-msgs.js';
import { devices, users } from '../../../schema/users.js';
import { rowsOf, sqlUuidArray, type Database } from '../../core/db.js';

export type AdminKeyRow = typeof adminKeys.$inferSelect;
export type BackupKeyRow = typeof encryptedBackupKeys.$inferSelect;
export type LostAccountRow = typeof lostAccounts.$inferSelect;

// ---- admin keys ----

export async function insertAdminKey(db: Database, values: typeof adminKeys.$inferInsert): Promise<AdminKeyRow> {
  const [row] = await db.insert(adminKeys).values(values).returning();
  return row!;
}

export async function findAdminKey(db: Database, organizationId: string, id: string): Promise<AdminKeyRow | undefined> {
  const [row] = await db.select().from(adminKeys).where(and(eq(adminKeys.organizationId, organizationId), eq(adminKeys.id, id)));
  return row;
}

export const listAdminKeys = (db: Database, organizationId: string, limit: number, offset: number): Promise<AdminKeyRow[]> =>
  db.select().from(adminKeys).where(eq(adminKeys.organizationId, organizationId)).orderBy(desc(adminKeys.createdAt), desc(adminKeys.id)).limit(limit).offset(offset);

export async function countAdminKeys(db: Database, organizationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(adminKeys).where(eq(adminKeys.organizationId, organizationId));
  return Number(row?.n ?? 0);
}

/** Per admin key: the direct members of its team, and how many of them have a backup key under it (one statement for many keys). */
export async function adminKeyStatsByIds(db: Database, adminKeyIds: readonly string[]): Promise<{ adminKeyId: string; members: number; backedUp: number }[]> {
  if (adminKeyIds.length === 0) return [];
  const rows = await db.execute(sql`
    select k.id as admin_key_id, count(ms.user_id)::int as members,
      count(ms.user_id) filter (where exists (select 1 from ${encryptedBackupKeys} b where b.admin_key_id = k.id and b.user_id = ms.user_id))::int as backed_up
    from ${adminKeys} k left join ${memberships} ms on ms.organization_id = k.organization_id
    where k.id = any(${sqlUuidArray(adminKeyIds)})
    group by k.id`);
  return rowsOf<{ admin_key_id: string; members: number; backed_up: number }>(rows).map((r) => ({ adminKeyId: r.admin_key_id, members: Number(r.members), backedUp: Number(r.backed_up) }));
}

/**
 * Per message: its team's admin keys under which its owner or a recipient with a live access has
 * a backup key, oldest first (one statement for many messages).
 */
export async function adminKeysBackingUpMessages(db: Database, messageIds: readonly string[]): Promise<{ messageId: string; key: AdminKeyRow }[]> {
  if (messageIds.length === 0) return [];
  return db
    .select({ messageId: messages.id, key: adminKeys })
    .from(messages)
    .innerJoin(adminKeys, eq(adminKeys.organizationId, messages.organizationId))
    .where(
      and(
        inArray(messages.id, [...messageIds]),
        sql`exists (select 1 from ${encryptedBackupKeys} b where b.admin_key_id = ${adminKeys.id} and (b.user_id = ${messages.ownerId}
          or exists (select 1 from ${messageAccesses} a where a.message_id = ${messages.id} and a.user_id = b.user_id and not a.revoked)))`,
      ),
    )
    .orderBy(messages.id, asc(adminKeys.createdAt), asc(adminKeys.id));
}

/** Direct members of the team without a backup key under the admin key (at most `limit`), with their address. */
export const membersMissingBackup = (db: Database, organizationId: string, adminKeyId: string, limit: number) =>
  db
    .select({ id: users.id, username: users.username, email: users.primaryEmail })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.organizationId, organizationId),
        sql`not exists (select 1 from ${encryptedBackupKeys} b where b.admin_key_id = ${adminKeyId} and b.user_id = ${memberships.userId})`,
      ),
    )
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(limit);

// ---- encrypted backup keys ----

export async function insertBackupKey(db: Database, values: typeof encryptedBackupKeys.$inferInsert): Promise<BackupKeyRow | undefined> {
  const [row] = await db.insert(encryptedBackupKeys).values(values).onConflictDoNothing().returning();
  return row;
}

export async function findBackupKey(db: Database, organizationId: string, where: { id: string } | { adminKeyId: string; userId: string }): Promise<BackupKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(encryptedBackupKeys)
    .where(
      and(
        eq(encryptedBackupKeys.organizationId, organizationId),
        'id' in where ? eq(encryptedBackupKeys.id, where.id) : and(eq(encryptedBackupKeys.adminKeyId, where.adminKeyId), eq(encryptedBackupKeys.userId, where.userId)),
      ),
    );
  return row;
}

export async function updateBackupKey(db: Database, organizationId: string, id: string, values: Partial<typeof encryptedBackupKeys.$inferInsert>): Promise<BackupKeyRow | undefined> {
  const [row] = await db
    .update(encryptedBackupKeys)
    .set(values)
    .where(and(eq(encryptedBackupKeys.organizationId, organizationId), eq(encryptedBackupKeys.id, id)))
    .returning();
  return row;
}

/** The user's key of a message: the backed-up device's when given, else their oldest. */
export async function findUserMessageKey(db: Database, messageId: string, userId: string, deviceId: string | null) {
  const [row] = await db
    .select()
    .from(messageKeys)
    .where(and(eq(messageKeys.messageId, messageId), eq(messageKeys.userId, userId), deviceId ? eq(messageKeys.deviceId, deviceId) : undefined))
    .orderBy(asc(messageKeys.createdAt))
    .limit(1);
  return row;
}

/** Whether the user owns the message or holds a live access to it. */
export async function hasLiveAccess(db: Database, messageId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.id, messageId),
        sql`(${messages.ownerId} = ${userId} or exists (select 1 from ${messageAccesses} a where a.message_id = ${messages.id} and a.user_id = ${userId} and not a.revoked))`,
      ),
    );
  return !!row;
}

// ---- lost accounts ----

export async function insertLostAccount(db: Database, values: typeof lostAccounts.$inferInsert): Promise<LostAccountRow> {
  const [row] = await db.insert(lostAccounts).values(values).returning();
  return row!;
}

export async function findLostAccount(db: Database, organizationId: string, id: string): Promise<LostAccountRow | undefined> {
  const [row] = await db.select().from(lostAccounts).where(and(eq(lostAccounts.organizationId, organizationId), eq(lostAccounts.id, id)));
  return row;
}

const lostWhere = (organizationId: string, states: readonly number[] | null) =>
  and(eq(lostAccounts.organizationId, organizationId), states ? inArray(lostAccounts.state, [...states]) : undefined);

export const listLostAccounts = (db: Database, organizationId: string, states: readonly number[] | null, limit: number, offset: number): Promise<LostAccountRow[]> =>
  db.select().from(lostAccounts).where(lostWhere(organizationId, states)).orderBy(desc(lostAccounts.createdAt), desc(lostAccounts.id)).limit(limit).offset(offset);

export async function countLostAccounts(db: Database, organizationId: string, states: readonly number[] | null): Promise<number> {
  const [row] = await db.select({ n: count() }).from(lostAccounts).where(lostWhere(organizationId, states));
  return Number(row?.n ?? 0);
}

/**
 * Moves a lost account from one of `from` to `to` (with other changes): the WHERE holds the
 * expected states, so two concurrent actions cannot both move it; undefined when it was not in them.
 */
export async function moveLostAccount(
  db: Database,
  organizationId: string,
  id: string,
  from: readonly number[],
  values: Partial<typeof lostAccounts.$inferInsert> & { state: number },
): Promise<LostAccountRow | undefined> {
  const [row] = await db
    .update(lostAccounts)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(lostAccounts.organizationId, organizationId), eq(lostAccounts.id, id), inArray(lostAccounts.state, [...from])))
    .returning();
  return row;
}

/** The user's open recoveries in the team (states `open`). */
export const findOpenLostAccounts = (db: Database, organizationId: string, userId: string, open: readonly number[]) =>
  db.select().from(lostAccounts).where(and(eq(lostAccounts.organizationId, organizationId), eq(lostAccounts.userId, userId), inArray(lostAccounts.state, [...open])));

export async function revokeDevice(db: Database, id: string, at: Date): Promise<void> {
  await db.update(devices).set({ state: 'revoked', revokedAt: at }).where(and(eq(devices.id, id), isNull(devices.revokedAt)));
}
