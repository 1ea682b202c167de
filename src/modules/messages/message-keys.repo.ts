// SQL of a team's messages as the Seald dashboard pages them (by page number) and of their key
// material: per-device encrypted message keys and entrusted keys. No permission checks: the
// service passes the team (organization) it decided on, and every read names it or a message
// the service already checked.
import { and, asc, count, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { messageAccesses, messages } from '../../../schema/messages.js';
import { entrustedMessageKeys, lostAccounts, messageKeys } from '../../../schema/seald-msgs.js';
import { devices } from '../../../schema/users.js';
import { rowsOf, sqlUuidArray, type Database } from '../../core/db.js';
import { filterWhere, type MessageAccessRow, type MessageFilter, type MessageRow } from './message.repo.js';

export type MessageKeyRow = typeof messageKeys.$inferSelect;
export type EntrustedKeyRow = typeof entrustedMessageKeys.$inferSelect;
export type DeviceRow = typeof devices.$inferSelect;

const teamWhere = (organizationId: string, f: MessageFilter): SQL | undefined => and(eq(messages.organizationId, organizationId), filterWhere(f));

/** One page of the team's messages, newest first (created_at, id). */
export const listTeamMessages = (db: Database, organizationId: string, f: MessageFilter, limit: number, offset: number): Promise<MessageRow[]> =>
  db.select().from(messages).where(teamWhere(organizationId, f)).orderBy(desc(messages.createdAt), desc(messages.id)).limit(limit).offset(offset);

export async function countTeamMessages(db: Database, organizationId: string, f: MessageFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(messages).where(teamWhere(organizationId, f));
  return Number(row?.n ?? 0);
}

/** The same page (limit, offset) of each message's accesses, in the order they were granted: one statement for many messages. */
export async function findAccessPages(db: Database, messageIds: readonly string[], limit: number, offset: number): Promise<MessageAccessRow[]> {
  if (messageIds.length === 0) return [];
  const ranked = db
    .select({ id: messageAccesses.id, rn: sql<number>`row_number() over (partition by ${messageAccesses.messageId} order by ${messageAccesses.createdAt}, ${messageAccesses.id})`.as('rn') })
    .from(messageAccesses)
    .where(inArray(messageAccesses.messageId, [...messageIds]))
    .as('ranked');
  const rows = await db
    .select({ access: messageAccesses })
    .from(ranked)
    .innerJoin(messageAccesses, eq(messageAccesses.id, ranked.id))
    .where(sql`${ranked.rn} > ${offset} and ${ranked.rn} <= ${offset + limit}`)
    .orderBy(messageAccesses.messageId, ranked.rn);
  return rows.map((r) => r.access);
}

/** The same page (limit, offset) of each message's entrusted keys, in the order they were added: one statement for many messages. */
export async function findEntrustedPages(db: Database, messageIds: readonly string[], limit: number, offset: number): Promise<EntrustedKeyRow[]> {
  if (messageIds.length === 0) return [];
  const ranked = db
    .select({ id: entrustedMessageKeys.id, rn: sql<number>`row_number() over (partition by ${entrustedMessageKeys.messageId} order by ${entrustedMessageKeys.createdAt}, ${entrustedMessageKeys.id})`.as('rn') })
    .from(entrustedMessageKeys)
    .where(inArray(entrustedMessageKeys.messageId, [...messageIds]))
    .as('ranked');
  const rows = await db
    .select({ key: entrustedMessageKeys })
    .from(ranked)
    .innerJoin(entrustedMessageKeys, eq(entrustedMessageKeys.id, ranked.id))
    .where(sql`${ranked.rn} > ${offset} and ${ranked.rn} <= ${offset + limit}`)
    .orderBy(entrustedMessageKeys.messageId, ranked.rn);
  return rows.map((r) => r.key);
}

/** How many entrusted keys each message has (messages with none are absent). */
export async function countEntrustedByMessageIds(db: Database, messageIds: readonly string[]): Promise<{ messageId: string; n: number }[]> {
  if (messageIds.length === 0) return [];
  const rows = await db
    .select({ messageId: entrustedMessageKeys.messageId, n: count() })
    .from(entrustedMessageKeys)
    .where(inArray(entrustedMessageKeys.messageId, [...messageIds]))
    .groupBy(entrustedMessageKeys.messageId);
  return rows.map((r) => ({ messageId: r.messageId, n: Number(r.n) }));
}

export async function findDevicesByIds(db: Database, ids: readonly string[]): Promise<DeviceRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(devices).where(inArray(devices.id, [...ids]));
}

/** Devices of `messageId` that already hold a key, among `deviceIds`. */
export async function findKeyedDevices(db: Database, messageId: string, deviceIds: readonly string[]): Promise<Set<string>> {
  if (deviceIds.length === 0) return new Set();
  const rows = await db
    .select({ deviceId: messageKeys.deviceId })
    .from(messageKeys)
    .where(and(eq(messageKeys.messageId, messageId), inArray(messageKeys.deviceId, [...deviceIds])));
  return new Set(rows.map((r) => r.deviceId));
}

/** Inserts keys; a (message, device) pair that already has one is left as it is (returns only the new ones). */
export async function insertMessageKeys(db: Database, values: (typeof messageKeys.$inferInsert)[]): Promise<MessageKeyRow[]> {
  if (values.length === 0) return [];
  return db.insert(messageKeys).values(values).onConflictDoNothing().returning();
}

/**
 * The keys of `userId`'s devices for each message, only where the user's access is live (not
 * revoked) or the user owns the message: revoking an access hides the keys at the next read.
 */
export async function findReadableKeys(db: Database, userId: string, messageIds: readonly string[]): Promise<MessageKeyRow[]> {
  if (messageIds.length === 0) return [];
  return db
    .select({ key: messageKeys })
    .from(messageKeys)
    .innerJoin(messages, eq(messages.id, messageKeys.messageId))
    .where(
      and(
        eq(messageKeys.userId, userId),
        inArray(messageKeys.messageId, [...messageIds]),
        sql`(${messages.ownerId} = ${userId} or exists (select 1 from ${messageAccesses} ka where ka.message_id = ${messageKeys.messageId} and ka.user_id = ${userId} and not ka.revoked))`,
      ),
    )
    .orderBy(messageKeys.messageId, messageKeys.createdAt)
    .then((rows) => rows.map((r) => r.key));
}

export async function insertEntrustedKey(db: Database, values: typeof entrustedMessageKeys.$inferInsert): Promise<EntrustedKeyRow | undefined> {
  const [row] = await db.insert(entrustedMessageKeys).values(values).onConflictDoNothing().returning();
  return row;
}

/** Revokes the live entrusted keys of a message that match (all of them when `who` is null). */
export async function revokeEntrustedKeys(db: Database, messageId: string, who: { type: string; value: string } | null, at: Date): Promise<EntrustedKeyRow[]> {
  return db
    .update(entrustedMessageKeys)
    .set({ revoked: true, revokedAt: at })
    .where(
      and(
        eq(entrustedMessageKeys.messageId, messageId),
        eq(entrustedMessageKeys.revoked, false),
        who ? and(eq(entrustedMessageKeys.createdForType, who.type), sql`lower(${entrustedMessageKeys.createdForValue}) = lower(${who.value})`) : undefined,
      ),
    )
    .returning();
}

/** Revokes every live access of `userId` to the messages of an organization (a full revoke). */
export async function revokeAccessesInOrganization(db: Database, organizationId: string, userId: string, at: Date): Promise<number> {
  const rows = await db
    .update(messageAccesses)
    .set({ revoked: true, revokedAt: at })
    .where(
      and(
        eq(messageAccesses.userId, userId),
        eq(messageAccesses.revoked, false),
        isNotNull(messageAccesses.userId),
        sql`${messageAccesses.messageId} in (select ${messages.id} from ${messages} where ${messages.organizationId} = ${organizationId})`,
      ),
    )
    .returning({ id: messageAccesses.id });
  return rows.length;
}

/** Per message: how many accesses, how many revoked, total reads (the retrieve's counters). */
export async function accessStats(db: Database, messageIds: readonly string[]): Promise<{ messageId: string; total: number; revoked: number; reads: number }[]> {
  if (messageIds.length === 0) return [];
  const rows = await db
    .select({
      messageId: messageAccesses.messageId,
      total: count(),
      revoked: sql<number>`count(*) filter (where ${messageAccesses.revoked})`,
      reads: sql<number>`coalesce(sum(${messageAccesses.readCount}), 0)`,
    })
    .from(messageAccesses)
    .where(inArray(messageAccesses.messageId, [...messageIds]))
    .groupBy(messageAccesses.messageId);
  return rows.map((r) => ({ messageId: r.messageId, total: Number(r.total), revoked: Number(r.revoked), reads: Number(r.reads) }));
}

/** Team messages the user owns or holds a live access to, and `deviceId` has no key of (the recovery's "missing"). */
const lacksKey = (organizationId: string, userId: string, deviceId: string) => sql`m.organization_id = ${organizationId}
      and (m.owner_id = ${userId} or exists (select 1 from ${messageAccesses} a where a.message_id = m.id and a.user_id = ${userId} and not a.revoked))
      and not exists (select 1 from ${messageKeys} nk where nk.message_id = m.id and nk.device_id = ${deviceId})`;

/** Which of `messageIds` the device still lacks a key of. */
export async function findMissingAmong(db: Database, organizationId: string, userId: string, deviceId: string, messageIds: readonly string[]): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const rows = await db.execute(sql`select m.id from ${messages} m where m.id = any(${sqlUuidArray(messageIds)}) and ${lacksKey(organizationId, userId, deviceId)}`);
  return rowsOf<{ id: string }>(rows).map((r) => r.id);
}

export async function countMissingKeys(db: Database, organizationId: string, userId: string, deviceId: string): Promise<number> {
  const rows = await db.execute(sql`select count(*)::int as n from ${messages} m where ${lacksKey(organizationId, userId, deviceId)}`);
  return Number(rowsOf<{ n: number }>(rows)[0]?.n ?? 0);
}

/**
 * For each lost account (lost_accounts rows by id): the first `limit` team messages its new device
 * lacks a key of, each with the user's key for another device — one statement for many accounts.
 */
export async function findMissingKeysForLostAccounts(
  db: Database,
  lostAccountIds: readonly string[],
  limit: number,
): Promise<{ lostAccountId: string; messageId: string; token: string | null; createdForKey: string | null }[]> {
  if (lostAccountIds.length === 0) return [];
  const rows = await db.execute(sql`
    select la.id as lost_account_id, x.message_id, x.token, x.created_for_key
    from ${lostAccounts} la
    cross join lateral (
      select m.id as message_id, k.encrypted_key as token, k.device_id as created_for_key, m.created_at
      from ${messages} m
      left join lateral (
        select mk.encrypted_key, mk.device_id from ${messageKeys} mk
        where mk.message_id = m.id and mk.user_id = la.user_id and mk.device_id <> la.created_device_id
        order by mk.created_at limit 1
      ) k on true
      where m.organization_id = la.organization_id
        and (m.owner_id = la.user_id or exists (select 1 from ${messageAccesses} a where a.message_id = m.id and a.user_id = la.user_id and not a.revoked))
        and not exists (select 1 from ${messageKeys} nk where nk.message_id = m.id and nk.device_id = la.created_device_id)
      order by m.created_at, m.id
      limit ${limit}
    ) x
    where la.id = any(${sqlUuidArray(lostAccountIds)}) and la.created_device_id is not null
    order by la.id, x.created_at, x.message_id`);
  return rowsOf<{ lost_account_id: string; message_id: string; token: string | null; created_for_key: string | null }>(rows).map((r) => ({
    lostAccountId: r.lost_account_id,
    messageId: r.message_id,
    token: r.token,
    createdForKey: r.created_for_key,
  }));
}
