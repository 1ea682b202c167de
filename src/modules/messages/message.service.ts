// Rules for messages: who sees one (the owner, recipients with a live access, admins of the
// message's organization, instance admins — everyone else gets "not found"), who manages one
// (the owner, organization admins, instance admins), and the changes: create, revoke, allow
// download, self-destruct date, read. Each change commits with its event-log row.
import type { Context, ServiceContext } from '../../context.js';
import { DomainError, notFound, validation } from '../../core/errors.js';
import { emptyConnection, pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { isEmail, isUuid } from '../../core/validation.js';
import { confiningOrganizationOf, tenantScopeOf } from '../../core/auth/tenant.js';
import { recordEvent } from '../logs/event-log.service.js';
import { readableOrganization } from '../organizations/organization.service.js';
import type { UserRow } from '../users/user.repo.js';
import {
  countMessages,
  insertAccesses,
  insertMessage,
  listMessages,
  recordAccessRead,
  revokeAccesses,
  updateMessage,
  type MessageAccessRow,
  type MessageFilter,
  type MessageRow,
  type MessageWithOwner,
} from './message.repo.js';
import { findExistingUserIds } from '../groups/group.repo.js';
import { groupRecipients } from '../groups/group.service.js';
import { findDevicesByIds, insertMessageKeys, revokeEntrustedKeys } from './message-keys.repo.js';
import { checkKeyMaterial, KEY_LIMITS } from '../../core/key-material.js';

type Ctx = ServiceContext;

const MAX_RECIPIENTS = 100;
/** Groups one message may be sent to (their members are not counted in MAX_RECIPIENTS). */
const MAX_GROUP_RECIPIENTS = 20;
const MAX_METADATA_BYTES = 64 * 1024;

/** Hands the joined owners to the user loader, so `owner { … }` costs no statement. */
function primeOwners(ctx: Ctx, rows: MessageWithOwner[]): void {
  for (const r of rows) {
    ctx.loaders.userById.prime(r.owner.id, r.owner);
    ctx.loaders.messageById.prime(r.message.id, r);
  }
}

/** The accesses of a message, recipients primed into the user loader. */
async function accessesWithUsers(ctx: Ctx, messageId: string) {
  const rows = await ctx.loaders.accessesByMessageId.load(messageId);
  for (const r of rows) if (r.user) ctx.loaders.userById.prime(r.user.id, r.user);
  return rows;
}

export async function canManageMessage(ctx: Ctx, m: MessageRow): Promise<boolean> {
  const me = ctx.authz.userId;
  if (!me) return false;
  if (ctx.authz.isInstanceAdmin || m.ownerId === me) return true;
  return m.organizationId !== null && (await ctx.authz.can('message:manageInOrganization', { organizationId: m.organizationId }));
}

export async function canReadMessage(ctx: Ctx, m: MessageRow): Promise<boolean> {
  const me = ctx.authz.userId;
  if (!me) return false;
  if (ctx.authz.isInstanceAdmin || m.ownerId === me) return true;
  const accesses = await accessesWithUsers(ctx, m.id);
  if (accesses.some((a) => a.access.userId === me && !a.access.revoked)) return true;
  return canManageMessage(ctx, m);
}

/** A message the caller may read (with its owner primed); missing and unreadable answer alike (null). */
export async function readableMessage(ctx: Ctx, id: string): Promise<MessageRow | null> {
  const found = await ctx.loaders.messageById.load(id);
  if (!found) return null;
  // The tenant rule (core/auth/tenant.ts): a token bound to an organization reaches only the
  // messages created in that organization's subtree, even the caller's own (a team's API key
  // must not touch its holder's messages of another team).
  if (confiningOrganizationOf(ctx.principal) && !(found.message.organizationId && (await ctx.authz.withinTokenSubtree(found.message.organizationId)))) return null;
  ctx.loaders.userById.prime(found.owner.id, found.owner);
  return (await canReadMessage(ctx, found.message)) ? found.message : null;
}

async function requireManageableMessage(ctx: Ctx, id: string): Promise<MessageRow> {
  if (!ctx.authz.userId) throw new DomainError('UNAUTHENTICATED');
  const m = await readableMessage(ctx, id);
  if (!m) throw notFound('Message not found');
  if (!(await canManageMessage(ctx, m))) throw new DomainError('FORBIDDEN', 'Only the owner and organization admins manage a message');
  return m;
}

const emptyPage = <T>(args: ConnectionArgs): Connection<T> => emptyConnection(pageRequest(args));

export async function listVisibleMessages(ctx: Ctx, args: ConnectionArgs, filter: MessageFilter): Promise<Connection<MessageRow>> {
  const page = pageRequest(args);
  const scope = tenantScopeOf(ctx.principal);
  if (!scope) return emptyPage(args);
  const rows = await listMessages(ctx.db, scope, filter, page);
  primeOwners(ctx, rows);
  return toConnection(rows, page, (r) => [r.key, r.message.id], (r) => r.message, () => countMessages(ctx.db, scope, filter));
}

/** Messages a user owns or received, newest first, as far as the caller may see them (batched across users). */
export async function messagesOfUser(ctx: Ctx, relation: 'owned' | 'received', userId: string, args: ConnectionArgs): Promise<Connection<MessageRow>> {
  const page = pageRequest(args);
  const scope = tenantScopeOf(ctx.principal);
  if (!scope) return emptyPage(args);
  const rows = await ctx.loaders.messagePageByUserId({ relation, scope, page }).load(userId);
  primeOwners(ctx, rows);
  const filter: MessageFilter = relation === 'owned' ? { ownerId: userId } : { recipientId: userId };
  return toConnection(rows, page, (r) => [r.key, r.message.id], (r) => r.message, () => countMessages(ctx.db, scope, filter));
}

/** Every access for those who manage the message; a recipient sees only their own. */
export async function accessesOf(ctx: Ctx, m: MessageRow): Promise<MessageAccessRow[]> {
  const rows = (await accessesWithUsers(ctx, m.id)).map((r) => r.access);
  if (await canManageMessage(ctx, m)) return rows;
  return rows.filter((a) => a.userId === ctx.authz.userId);
}

/** User recipients whose access is not revoked (for those who manage the message; else yourself). */
export async function recipientsOf(ctx: Ctx, m: MessageRow): Promise<UserRow[]> {
  const rows = await accessesWithUsers(ctx, m.id);
  const manage = await canManageMessage(ctx, m);
  return rows.filter((r) => r.user && !r.access.revoked && (manage || r.user.id === ctx.authz.userId)).map((r) => r.user!);
}

export interface CreateMessageInput {
  metadata?: Record<string, unknown> | null;
  recipientIds?: string[] | null;
  recipientEmails?: string[] | null;
  /** Groups whose current members become recipients (access path: the group). */
  recipientGroupIds?: string[] | null;
  organizationId?: string | null;
  allowDownload?: boolean | null;
  selfDestructAt?: Date | null;
  isService?: boolean | null;
  /** Per-device encrypted copies of the message key, for the owner's and the user recipients' devices. */
  keys?: { deviceId: string; encryptedMessageKey: string; createdForKeyHash?: string | null }[] | null;
}

/** The keys of a new message checked: active devices of the owner or of its user recipients, each once. */
async function checkNewMessageKeys(ctx: Ctx, owner: string, recipients: string[], keys: NonNullable<CreateMessageInput['keys']>) {
  if (keys.length > MAX_RECIPIENTS * 4) throw validation('keys', `At most ${MAX_RECIPIENTS * 4} keys at once`);
  const allowed = new Set([owner, ...recipients]);
  const ids = keys.map((k, i) => {
    if (!isUuid(k.deviceId)) throw validation(`keys.${i}.deviceId`, 'Not a device id');
    checkKeyMaterial(k.encryptedMessageKey, `keys.${i}.encryptedMessageKey`, KEY_LIMITS.messageKey);
    if (k.createdForKeyHash != null && k.createdForKeyHash.length > 128) throw validation(`keys.${i}.createdForKeyHash`, 'At most 128 characters');
    return k.deviceId.toLowerCase();
  });
  if (new Set(ids).size !== ids.length) throw validation('keys', 'A device appears twice');
  const devices = new Map((await findDevicesByIds(ctx.db, ids)).map((d) => [d.id, d]));
  return ids.map((id, i) => {
    const d = devices.get(id);
    if (!d || d.state !== 'active' || !allowed.has(d.userId)) throw validation(`keys.${i}.deviceId`, 'Not an active device of the owner or of a recipient');
    return { deviceId: id, userId: d.userId, encryptedKey: keys[i]!.encryptedMessageKey, createdForKeyHash: keys[i]!.createdForKeyHash || null };
  });
}

function checkFuture(date: Date | null | undefined, field: string): Date | null {
  if (date == null) return null;
  if (Number.isNaN(date.getTime()) || date.getTime() <= Date.now()) throw validation(field, 'Must be in the future');
  return date;
}

export async function createMessageService(ctx: Ctx, input: CreateMessageInput): Promise<MessageRow> {
  const me = ctx.authz.userId;
  if (!me) throw new DomainError('UNAUTHENTICATED');
  if (input.isService && !ctx.authz.isInstanceAdmin) throw new DomainError('FORBIDDEN', 'Only instance admins create service messages');
  if (input.organizationId) {
    const org = await readableOrganization(ctx, input.organizationId);
    if (!org) throw notFound('Organization not found');
  }
  const metadata = input.metadata ?? {};
  if (Buffer.byteLength(JSON.stringify(metadata), 'utf8') > MAX_METADATA_BYTES) throw validation('metadata', 'Metadata must be at most 64 KiB of JSON');
  const userIds = [...new Set(input.recipientIds ?? [])];
  const emails = [...new Map((input.recipientEmails ?? []).map((e) => [e.trim().toLowerCase(), e.trim()])).values()];
  if (userIds.length + emails.length > MAX_RECIPIENTS) throw validation('recipientIds', `At most ${MAX_RECIPIENTS} recipients at once`);
  const badEmail = emails.findIndex((e) => !isEmail(e));
  if (badEmail >= 0) throw validation(`recipientEmails.${badEmail}`, 'Not an email address');
  const selfDestructAt = checkFuture(input.selfDestructAt, 'selfDestructAt');
  const existing = await findExistingUserIds(ctx.db, userIds);
  if (userIds.some((id) => !existing.has(id))) throw validation('recipientIds', 'Unknown user');
  const groupIds = [...new Set(input.recipientGroupIds ?? [])];
  if (groupIds.length > MAX_GROUP_RECIPIENTS) throw validation('recipientGroupIds', `At most ${MAX_GROUP_RECIPIENTS} groups at once`);
  // Members as of now (a member removed before this message gets no access to it); direct recipients keep their direct access.
  const throughGroups = (await groupRecipients(ctx, groupIds, 'recipientGroupIds')).filter((r) => !userIds.includes(r.userId));
  // Keys may be for the devices of the owner, of direct recipients and of recipients through groups.
  const keys = input.keys?.length ? await checkNewMessageKeys(ctx, me, [...userIds, ...throughGroups.map((r) => r.userId)], input.keys) : [];

  try {
    return await ctx.db.transaction(async (tx) => {
      const m = await insertMessage(tx, {
        ownerId: me,
        organizationId: input.organizationId ?? null,
        metadata,
        allowDownload: input.allowDownload ?? true,
        selfDestructAt,
        isService: input.isService ?? false,
      });
      await insertAccesses(tx, [
        ...userIds.map((userId) => ({ messageId: m.id, userId, addedById: me })),
        ...emails.map((email) => ({ messageId: m.id, email, addedById: me })),
        ...throughGroups.map((r) => ({ messageId: m.id, userId: r.userId, addedById: me, path: [r.groupId] })),
      ]);
      await insertMessageKeys(tx, keys.map((k) => ({ ...k, messageId: m.id, addedById: me })));
      await recordEvent(tx, ctx, {
        action: 'message.create',
        messageId: m.id,
        organizationId: m.organizationId,
        data: { recipientIds: userIds, recipientEmails: emails, ...(groupIds.length > 0 ? { recipientGroupIds: groupIds } : {}), keyDevices: keys.map((k) => k.deviceId) },
      });
      return m;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validation('recipientEmails', 'A recipient appears twice');
    throw err;
  }
}

/** Changed messages must not answer from the request's caches (payloads read them back). */
export function forget(ctx: Ctx, id: string): void {
  ctx.loaders.messageById.clear(id);
  ctx.loaders.accessesByMessageId.clear(id);
  ctx.loaders.accessStatsByMessageId.clear(id);
  if (ctx.authz.userId) ctx.loaders.readableKeysByMessageId({ userId: ctx.authz.userId }).clear(id);
}

export interface RevokeInput {
  messageId: string;
  userId?: string | null;
  email?: string | null;
  /** An entrusted key's recipient (Seald's entrusted_created_for_type/_value). */
  entrusted?: { type: string; value: string } | null;
  everyone?: boolean | null;
}

/**
 * Revokes one user's access, one email's (its access and the keys entrusted to it), one
 * entrusted recipient's keys, or everyone's (every access and every entrusted key). Revoked
 * users stop getting the message's keys at their next request (message-keys.repo findReadableKeys).
 */
export async function revokeMessageAccessService(ctx: Ctx, input: RevokeInput): Promise<{ message: MessageRow; revoked: MessageAccessRow[]; revokedEntrusted: number }> {
  const m = await requireManageableMessage(ctx, input.messageId);
  const given = [input.userId != null, input.email != null, input.entrusted != null, input.everyone === true].filter(Boolean).length;
  if (given !== 1) throw validation('userId', 'Give exactly one of userId, email, entrusted and everyone');
  const who = { userId: input.userId ?? undefined, email: input.email?.trim() ?? undefined, everyone: input.everyone === true };
  const entrusted = input.entrusted ?? (who.email !== undefined ? { type: 'EM', value: who.email } : who.everyone ? null : undefined);
  const { revoked, revokedEntrusted } = await ctx.db.transaction(async (tx) => {
    const rows = input.entrusted ? [] : await revokeAccesses(tx, m.id, who, new Date());
    const keys = entrusted === undefined ? [] : await revokeEntrustedKeys(tx, m.id, entrusted, new Date());
    if (rows.length === 0 && keys.length === 0 && !who.everyone) {
      throw new DomainError('PRECONDITION_FAILED', 'No access to revoke for this recipient', who.userId ? 'userId' : input.entrusted ? 'entrusted' : 'email');
    }
    await recordEvent(tx, ctx, {
      action: 'message.revoke',
      messageId: m.id,
      organizationId: m.organizationId,
      user2Id: who.userId ?? null,
      email: who.email ?? null,
      data: { everyone: who.everyone, revoked: rows.length, revokedEntrustedKeys: keys.length, ...(input.entrusted ? { entrusted: input.entrusted } : {}) },
    });
    return { revoked: rows, revokedEntrusted: keys.length };
  });
  forget(ctx, m.id);
  return { message: m, revoked, revokedEntrusted };
}

export async function setMessageAllowDownloadService(ctx: Ctx, id: string, allowDownload: boolean): Promise<MessageRow> {
  const m = await requireManageableMessage(ctx, id);
  if (m.allowDownload === allowDownload) return m;
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await updateMessage(tx, m, { allowDownload });
    if (!row) throw notFound('Message not found');
    await recordEvent(tx, ctx, { action: 'message.setAllowDownload', messageId: m.id, organizationId: m.organizationId, data: { allowDownload } });
    return row;
  });
  forget(ctx, m.id);
  return updated;
}

export async function setMessageSelfDestructDateService(ctx: Ctx, id: string, date: Date | null): Promise<MessageRow> {
  const m = await requireManageableMessage(ctx, id);
  const selfDestructAt = checkFuture(date, 'date');
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await updateMessage(tx, m, { selfDestructAt });
    if (!row) throw notFound('Message not found');
    await recordEvent(tx, ctx, {
      action: 'message.setSelfDestructDate',
      messageId: m.id,
      organizationId: m.organizationId,
      data: { selfDestructAt: selfDestructAt?.toISOString() ?? null },
    });
    return row;
  });
  forget(ctx, m.id);
  return updated;
}

export async function recordMessageReadService(ctx: Ctx, id: string): Promise<{ message: MessageRow; access: MessageAccessRow }> {
  const me = ctx.authz.userId;
  if (!me) throw new DomainError('UNAUTHENTICATED');
  const m = await readableMessage(ctx, id);
  if (!m) throw notFound('Message not found');
  if (m.selfDestructAt && m.selfDestructAt.getTime() <= Date.now()) throw new DomainError('PRECONDITION_FAILED', 'The message has self-destructed', 'messageId');
  const access = await ctx.db.transaction(async (tx) => {
    const row = await recordAccessRead(tx, m.id, me, new Date());
    // Owners and admins can see a message without being recipients: only recipients read it.
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'You are not a recipient of this message', 'messageId');
    await recordEvent(tx, ctx, { action: 'message.read', messageId: m.id, organizationId: m.organizationId, data: { readCount: row.readCount } });
    return row;
  });
  forget(ctx, m.id);
  return { message: m, access };
}
