// The Seald dashboard's side of messages: a team's messages (by page number), their accesses and
// entrusted keys, and the key material recipients' devices need — per-device encrypted message
// keys and keys entrusted to recipients outside the team. Rules:
// - A dashboard caller sees and changes only the messages created in its team (dashboard
//   teamOf: a team API key or session of a team admin); any other message is "not found".
// - A per-device key is accepted only for an active device of the owner or of a user with a live
//   access: the server never widens who can read a message by storing a key.
// - Keys are stored as given (core/key-material.ts checks their form); a revoked access hides
//   the user's keys at their next read (findReadableKeys).
// Each change commits with its event-log row.
import type { ServiceContext } from '../../context.js';
import { checkKeyMaterial, KEY_LIMITS } from '../../core/key-material.js';
import { DomainError, notFound, validation } from '../../core/errors.js';
import { isEmail, isUuid } from '../../core/validation.js';
import { teamOf } from '../dashboard/dashboard.service.js';
import { recordEvent } from '../logs/event-log.service.js';
import type { MessageAccessRow, MessageFilter, MessageRow } from './message.repo.js';
import { forget } from './message.service.js';
import {
  countTeamMessages,
  findDevicesByIds,
  findKeyedDevices,
  insertEntrustedKey,
  insertMessageKeys,
  listTeamMessages,
  type EntrustedKeyRow,
  type MessageKeyRow,
} from './message-keys.repo.js';

type Ctx = ServiceContext;

/** At most this many keys in one add_encrypted_message_key call. */
export const MAX_KEYS_PER_CALL = 100;
const MAX_VALUE = 254;
const MAX_FACTOR_BYTES = 4 * 1024;

export interface Page<T> {
  rows: T[];
  count: () => Promise<number>;
}

/** Whether the caller administers `team` through its credential (the dashboard's read rule). */
async function administers(ctx: Ctx, team: string): Promise<boolean> {
  return ctx.authz.can('membership:manage', { organizationId: team });
}

/** The team's messages with the dashboard's filters; empty for anyone but the team's admins. */
export async function teamMessages(ctx: Ctx, team: string, filter: MessageFilter, limit: number, offset: number): Promise<Page<MessageRow>> {
  if (!(await administers(ctx, team))) return { rows: [], count: async () => 0 };
  return { rows: await listTeamMessages(ctx.db, team, filter, limit, offset), count: () => countTeamMessages(ctx.db, team, filter) };
}

/** A message of the team the caller administers through its credential; null when missing or another team's. */
export async function teamMessage(ctx: Ctx, id: string): Promise<MessageRow | null> {
  const team = await teamOf(ctx);
  const found = await ctx.loaders.messageById.load(id);
  return found && found.message.organizationId === team ? found.message : null;
}

async function requireTeamMessage(ctx: Ctx, id: string): Promise<MessageRow & { organizationId: string }> {
  const m = await teamMessage(ctx, id);
  // (A team message always has its team: teamMessage matched it.)
  if (!m?.organizationId) throw notFound('Message not found');
  return { ...m, organizationId: m.organizationId };
}

/** Accesses of a team message, by page; the caller must administer the message's team. */
export async function messageAccessPage(ctx: Ctx, m: MessageRow, limit: number, offset: number): Promise<Page<MessageAccessRow>> {
  if (!m.organizationId || !(await administers(ctx, m.organizationId))) return { rows: [], count: async () => 0 };
  return {
    rows: await ctx.loaders.accessPageByMessageId({ limit, offset }).load(m.id),
    count: async () => (await ctx.loaders.accessStatsByMessageId.load(m.id))?.total ?? 0,
  };
}

/** Entrusted keys of a message, by page: for its team's admins and its owner. */
export async function entrustedKeyPage(ctx: Ctx, m: MessageRow, limit: number, offset: number): Promise<Page<EntrustedKeyRow>> {
  const owner = m.ownerId === ctx.authz.userId;
  if (!owner && !(m.organizationId && (await administers(ctx, m.organizationId)))) return { rows: [], count: async () => 0 };
  return {
    rows: await ctx.loaders.entrustedPageByMessageId({ limit, offset }).load(m.id),
    count: async () => (await ctx.loaders.entrustedCountByMessageId.load(m.id))?.n ?? 0,
  };
}

/** Whether every access of the message is revoked (false when it has none), and how many reads in all. */
export async function messageCounters(ctx: Ctx, m: MessageRow): Promise<{ everyoneRevoked: boolean; reads: number }> {
  const s = await ctx.loaders.accessStatsByMessageId.load(m.id);
  return { everyoneRevoked: !!s && s.total > 0 && s.revoked === s.total, reads: s?.reads ?? 0 };
}

/** The caller's own devices' keys of a message: none once their access is revoked. */
export async function viewerMessageKeys(ctx: Ctx, m: MessageRow): Promise<MessageKeyRow[]> {
  const me = ctx.authz.userId;
  return me ? ctx.loaders.readableKeysByMessageId({ userId: me }).load(m.id) : [];
}

export interface MessageKeyInput {
  deviceId: string;
  encryptedMessageKey: string;
  createdForKeyHash?: string | null;
}

/**
 * Adds recipient devices' encrypted copies of a message key: each device must be active and
 * belong to the owner or a user with a live access; a device that already holds a key of the
 * message is refused (keys are never silently replaced).
 */
export async function addMessageKeys(ctx: Ctx, messageId: string, keys: MessageKeyInput[]): Promise<{ message: MessageRow; keys: MessageKeyRow[] }> {
  const m = await requireTeamMessage(ctx, messageId);
  if (keys.length === 0) throw validation('encryptedMessageKeys', 'Give at least one key');
  if (keys.length > MAX_KEYS_PER_CALL) throw validation('encryptedMessageKeys', `At most ${MAX_KEYS_PER_CALL} keys per call`);
  const ids = keys.map((k, i) => {
    if (!isUuid(k.deviceId)) throw validation(`encryptedMessageKeys.${i}.createdForKey`, 'Not a device id');
    checkKeyMaterial(k.encryptedMessageKey, `encryptedMessageKeys.${i}.encryptedMessageKey`, KEY_LIMITS.messageKey);
    if (k.createdForKeyHash != null && k.createdForKeyHash.length > 128) throw validation(`encryptedMessageKeys.${i}.createdForKeyHash`, 'At most 128 characters');
    return k.deviceId.toLowerCase();
  });
  if (new Set(ids).size !== ids.length) throw validation('encryptedMessageKeys', 'A device appears twice');
  const devices = new Map((await findDevicesByIds(ctx.db, ids)).map((d) => [d.id, d]));
  const recipients = new Set((await ctx.loaders.accessesByMessageId.load(m.id)).filter((a) => a.access.userId && !a.access.revoked).map((a) => a.access.userId!));
  ids.forEach((id, i) => {
    const d = devices.get(id);
    if (!d || d.state !== 'active') throw validation(`encryptedMessageKeys.${i}.createdForKey`, 'No active device with this id');
    if (d.userId !== m.ownerId && !recipients.has(d.userId)) throw validation(`encryptedMessageKeys.${i}.createdForKey`, 'This device’s user is no recipient of the message');
  });
  const keyed = await findKeyedDevices(ctx.db, m.id, ids);
  const dup = ids.findIndex((id) => keyed.has(id));
  if (dup >= 0) throw new DomainError('CONFLICT', 'This device already has a key of the message', `encryptedMessageKeys.${dup}.createdForKey`);
  const me = ctx.authz.userId;
  const rows = await ctx.db.transaction(async (tx) => {
    const inserted = await insertMessageKeys(
      tx,
      ids.map((id, i) => ({ messageId: m.id, deviceId: id, userId: devices.get(id)!.userId, encryptedKey: keys[i]!.encryptedMessageKey, createdForKeyHash: keys[i]!.createdForKeyHash || null, addedById: me })),
    );
    if (inserted.length !== ids.length) throw new DomainError('CONFLICT', 'A device already has a key of the message', 'encryptedMessageKeys');
    await recordEvent(tx, ctx, { action: 'message.addKeys', messageId: m.id, organizationId: m.organizationId, data: { devices: ids } });
    return inserted;
  });
  forget(ctx, m.id);
  return { message: m, keys: rows };
}

export interface EntrustedKeyInput {
  email?: string | null;
  createdForType?: string | null;
  createdForValue?: string | null;
  messageKey: string;
  additionalFactor?: Record<string, unknown> | null;
}

/**
 * Entrusts a message key to a recipient outside the team: by `email` (type "EM"), or by a
 * (createdForType, createdForValue) pair of the recipient's connector. One per recipient.
 */
export async function addEntrustedMessageKey(ctx: Ctx, messageId: string, input: EntrustedKeyInput): Promise<{ message: MessageRow; key: EntrustedKeyRow }> {
  const m = await requireTeamMessage(ctx, messageId);
  const email = input.email?.trim() ?? null;
  if (email !== null && !isEmail(email)) throw validation('email', 'Enter a valid email address.');
  if (email === null && (input.createdForType == null || input.createdForValue == null)) throw validation('email', 'Give email, or created_for_type with created_for_value.');
  if (email !== null && (input.createdForType != null || input.createdForValue != null)) throw validation('email', 'Give email or created_for_type with created_for_value, not both.');
  const type = email !== null ? 'EM' : input.createdForType!.trim();
  const value = email ?? input.createdForValue!.trim();
  if (!/^[A-Z]{2}$/.test(type)) throw validation('createdForType', 'Two capital letters (EM, PH, …).');
  if (value.length === 0 || value.length > MAX_VALUE) throw validation('createdForValue', `1 to ${MAX_VALUE} characters.`);
  checkKeyMaterial(input.messageKey, 'messageKey', KEY_LIMITS.messageKey);
  if (input.additionalFactor && JSON.stringify(input.additionalFactor).length > MAX_FACTOR_BYTES) throw validation('additionalFactor', `At most ${MAX_FACTOR_BYTES} bytes.`);
  const key = await ctx.db.transaction(async (tx) => {
    const row = await insertEntrustedKey(tx, {
      messageId: m.id,
      createdForType: type,
      createdForValue: value,
      messageKey: input.messageKey,
      additionalFactor: input.additionalFactor ?? null,
      addedById: ctx.authz.userId,
    });
    if (!row) throw new DomainError('CONFLICT', 'This recipient already has an entrusted key of the message', email !== null ? 'email' : 'createdForValue');
    await recordEvent(tx, ctx, { action: 'message.addEntrustedKey', messageId: m.id, organizationId: m.organizationId, email, data: { type, value } });
    return row;
  });
  return { message: m, key };
}
