// SQL for messages and message accesses. Plain functions of (db, params); no permission
// checks — callers pass the visibility scope the service decided on. Pages are ordered by
// created_at DESC, id DESC; their cursors carry created_at as PostgreSQL's own text (micro-
// seconds), because a JavaScript Date would round to milliseconds and skip rows.
import { and, count, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { messageAccesses, messages } from '../../../schema/messages.js';
import { users } from '../../../schema/users.js';
import { sqlUuidArray, type Database } from '../../core/db.js';
import { jsonColumns, selectJsonArrays } from '../../core/json-rows.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfter, keysetOrder, type Keyset } from '../../core/pagination.js';
import { organizationsWithRole, tenantRow, tokenSubtree } from '../../core/auth/tenant.sql.js';
import type { TenantRowKey, TenantScope } from '../../core/auth/tenant.js';
import { USER_COLUMNS, type UserRow } from '../users/user.repo.js';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type MessageAccessRow = typeof messageAccesses.$inferSelect;

/** A message with its owner (joined, so the user loader can be primed) and its keyset position. */
export interface MessageWithOwner {
  message: MessageRow;
  owner: UserRow;
  key: string;
}

const createdKey = sql<string>`${messages.createdAt}::text`;

export const MESSAGE_KEYSET: Keyset = { columns: [messages.createdAt, messages.id], direction: 'desc' };

/** Messages the scope may read: its own, those it received (not revoked), and those of organizations it administers — inside its token's subtree. */
export function visibleMessagesWhere(scope: TenantScope): SQL | undefined {
  if (scope.all) return undefined;
  const visible = sql`(${messages.ownerId} = ${scope.userId}
    or exists (select 1 from ${messageAccesses} va where va.message_id = ${messages.id} and va.user_id = ${scope.userId} and not va.revoked)
    or ${messages.organizationId} in ${organizationsWithRole(scope, 'admin')})`;
  // A token bound to an organization reaches only the messages created in its subtree, its
  // holder's own included (as readableMessage decides for one message).
  return scope.withinOrganizationId ? sql`(${visible} and ${messages.organizationId} in ${tokenSubtree(scope.withinOrganizationId)})` : visible;
}

export interface MessageFilter {
  messageId?: string | null;
  recipientId?: string | null;
  ownerId?: string | null;
  metadataContains?: Record<string, unknown> | null;
  onlyVisible?: boolean | null;
}

export function filterWhere(f: MessageFilter): SQL | undefined {
  return and(
    f.messageId ? eq(messages.id, f.messageId) : undefined,
    f.ownerId ? eq(messages.ownerId, f.ownerId) : undefined,
    f.recipientId
      ? sql`exists (select 1 from ${messageAccesses} fa where fa.message_id = ${messages.id} and fa.user_id = ${f.recipientId} and not fa.revoked)`
      : undefined,
    f.metadataContains ? sql`${messages.metadata} @> ${JSON.stringify(f.metadataContains)}::jsonb` : undefined,
    f.onlyVisible ? eq(messages.isService, false) : undefined,
  );
}

export async function insertMessage(db: Database, values: NewMessage): Promise<MessageRow> {
  const [row] = await db.insert(messages).values(values).returning();
  return row!;
}

/** Matches the message's organization too (core/auth/tenant.ts); null: a message outside any organization. */
export async function updateMessage(db: Database, message: TenantRowKey<string | null>, values: Partial<Omit<NewMessage, 'organizationId'>>): Promise<MessageRow | undefined> {
  const [row] = await db.update(messages).set(values).where(tenantRow(messages, message)).returning();
  return row;
}

const messageColumns = jsonColumns(messages, 'm');
// No password hash: nothing reachable from a message reads it.
const ownerColumns = jsonColumns(users, 'u', ['passwordHash']);

/** Messages by id with their owners, as one json value (core/json-rows.ts): the by-id loader's read. */
export async function findMessagesWithOwnersByIds(db: Database, ids: readonly string[]): Promise<MessageWithOwner[]> {
  const rows = await selectJsonArrays(
    db,
    sql`select json_agg(json_build_array(${messageColumns.sql}, ${ownerColumns.sql}, m.created_at::text))
      from ${messages} m join ${users} u on u.id = m.owner_id where m.id = any(${sqlUuidArray(ids)})`,
  );
  const keyAt = messageColumns.width + ownerColumns.width;
  return rows.map((r) => ({ message: messageColumns.decode(r), owner: ownerColumns.decode(r, messageColumns.width), key: r[keyAt] as string }));
}

export async function listMessages(db: Database, scope: TenantScope, filter: MessageFilter, page: PageRequest): Promise<MessageWithOwner[]> {
  return db
    .select({ message: messages, owner: USER_COLUMNS, key: createdKey })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.ownerId))
    .where(and(visibleMessagesWhere(scope), filterWhere(filter), keysetAfter(MESSAGE_KEYSET, page)))
    .orderBy(...keysetOrder(MESSAGE_KEYSET, page))
    .limit(page.size + 1);
}

export async function countMessages(db: Database, scope: TenantScope, filter: MessageFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(messages)
    .where(and(visibleMessagesWhere(scope), filterWhere(filter)));
  return Number(row!.n);
}

/**
 * The first N visible messages owned by each user, or received by each user (a non-revoked
 * access), newest first, in ONE statement: top-N-per-parent via row_number().
 */
export async function findMessagePagesByUserIds(
  db: Database,
  relation: 'owned' | 'received',
  userIds: readonly string[],
  scope: TenantScope,
  page: PageRequest,
): Promise<(MessageWithOwner & { parentId: string })[]> {
  const dir = sql.raw(page.direction === 'forward' ? 'desc' : 'asc');
  const ids = sql`${`{${userIds.join(',')}}`}::uuid[]`;
  const base =
    relation === 'owned'
      ? db
          .select({
            id: sql<string>`${messages.id}`.as('message_id'),
            parentId: sql<string>`${messages.ownerId}`.as('parent_id'),
            rn: sql<number>`row_number() over (partition by ${messages.ownerId} order by ${messages.createdAt} ${dir}, ${messages.id} ${dir})`.as('rn'),
          })
          .from(messages)
          .where(and(sql`${messages.ownerId} = any(${ids})`, visibleMessagesWhere(scope), keysetAfter(MESSAGE_KEYSET, page)))
      : // Received goes through the accesses: one row per (recipient, message).
        db
          .select({
            id: sql<string>`${messages.id}`.as('message_id'),
            parentId: sql<string>`ra.user_id`.as('parent_id'),
            rn: sql<number>`row_number() over (partition by ra.user_id order by ${messages.createdAt} ${dir}, ${messages.id} ${dir})`.as('rn'),
          })
          .from(messages)
          .innerJoin(sql`${messageAccesses} ra`, sql`ra.message_id = ${messages.id} and not ra.revoked and ra.user_id = any(${ids})`)
          .where(and(visibleMessagesWhere(scope), keysetAfter(MESSAGE_KEYSET, page)));
  const ranked = db.$with('ranked').as(base);
  const rows = await db
    .with(ranked)
    .select({ parentId: ranked.parentId, message: messages, owner: USER_COLUMNS, key: createdKey })
    .from(ranked)
    .innerJoin(messages, eq(messages.id, ranked.id))
    .innerJoin(users, eq(users.id, messages.ownerId))
    .where(sql`${ranked.rn} <= ${page.size + 1}`)
    .orderBy(ranked.parentId, ranked.rn);
  return rows;
}

// ---- accesses ----

export interface AccessWithUser {
  access: MessageAccessRow;
  user: UserRow | null;
}

/** Accesses of each message, in the order they were granted, with the recipient users joined. */
export const findAccessesByMessageIds = (db: Database, messageIds: readonly string[]): Promise<AccessWithUser[]> =>
  db
    .select({ access: messageAccesses, user: USER_COLUMNS })
    .from(messageAccesses)
    .leftJoin(users, eq(users.id, messageAccesses.userId))
    .where(inArray(messageAccesses.messageId, [...messageIds]))
    .orderBy(messageAccesses.messageId, messageAccesses.createdAt, messageAccesses.id);

export async function insertAccesses(db: Database, values: (typeof messageAccesses.$inferInsert)[]): Promise<MessageAccessRow[]> {
  if (values.length === 0) return [];
  return db.insert(messageAccesses).values(values).returning();
}

/** Revokes the matching accesses that are not revoked yet; returns those it revoked. */
export async function revokeAccesses(db: Database, messageId: string, who: { userId?: string; email?: string; everyone?: boolean }, at: Date): Promise<MessageAccessRow[]> {
  const target = who.everyone
    ? undefined
    : who.userId
      ? eq(messageAccesses.userId, who.userId)
      : and(isNotNull(messageAccesses.email), sql`lower(${messageAccesses.email}) = lower(${who.email!})`);
  return db
    .update(messageAccesses)
    .set({ revoked: true, revokedAt: at })
    .where(and(eq(messageAccesses.messageId, messageId), eq(messageAccesses.revoked, false), target))
    .returning();
}

/** Counts one read of the user's access, atomically (concurrent reads each count). */
export async function recordAccessRead(db: Database, messageId: string, userId: string, at: Date): Promise<MessageAccessRow | undefined> {
  const [row] = await db
    .update(messageAccesses)
    .set({ readFirstAt: sql`coalesce(${messageAccesses.readFirstAt}, ${at.toISOString()}::timestamptz)`, readLastAt: at, readCount: sql`${messageAccesses.readCount} + 1` })
    .where(and(eq(messageAccesses.messageId, messageId), eq(messageAccesses.userId, userId), eq(messageAccesses.revoked, false)))
    .returning();
  return row;
}
