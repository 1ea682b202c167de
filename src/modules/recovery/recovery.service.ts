// Recovery material of a Seald team, as services: backup admin keys (the team's key pairs whose
// private half the admins keep encrypted), users' encrypted backup keys (a user's private keys
// encrypted for an admin key), what an admin can recover of a message with them, and the lost-
// account recovery (lost-account.states.ts holds its transition table).
//
// Who: the team's admins through a dashboard credential (dashboard teamOf), for every read and
// change here; a user may also store their own backup key (their SDK does, at sign-up). Nothing
// here decrypts anything: keys are checked for form (core/key-material.ts) and stored as given.
// Every change commits with its event-log row (and its outbox mail) in one transaction.
import type { ServiceContext } from '../../context.js';
import { checkKeyMaterial, KEY_LIMITS } from '../../core/key-material.js';
import { DomainError, forbidden, notFound, validation } from '../../core/errors.js';
import { isUuid } from '../../core/validation.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { requireTeamUser, teamOf } from '../dashboard/dashboard.service.js';
import { insertDevice } from '../dashboard/devices.repo.js';
import { appendToUserSigchain, userSigchainNextPosition } from '../dashboard/sigchain.service.js';
import { recordEvent } from '../logs/event-log.service.js';
import { countMissingKeys, findMissingAmong, findDevicesByIds, insertMessageKeys } from '../messages/message-keys.repo.js';
import { MISSING_KEYS_MAX } from './recovery.loaders.js';
import type { MessageRow } from '../messages/message.repo.js';
import { teamMessage } from '../messages/message-keys.service.js';
import { insertOutbox } from '../outbox/outbox.repo.js';
import { findEffectiveRoles } from '../organizations/organization.repo.js';
import { requireSignedIn } from '../users/user.writes.js';
import { assertTransition, LostAccountState as S, OPEN_STATES } from './lost-account.states.js';
import {
  countAdminKeys,
  countLostAccounts,
  findAdminKey,
  findBackupKey,
  findLostAccount,
  findOpenLostAccounts,
  findUserMessageKey,
  hasLiveAccess,
  insertAdminKey,
  insertBackupKey,
  insertLostAccount,
  listAdminKeys,
  listLostAccounts,
  membersMissingBackup,
  moveLostAccount,
  revokeDevice,
  updateBackupKey,
  type AdminKeyRow,
  type BackupKeyRow,
  type LostAccountRow,
} from './recovery.repo.js';

type Ctx = ServiceContext;

const NAME_MAX = 255;
const DEVICE_NAME_MAX = 255;
/** A sigchain transaction or a renewal's transaction data: at most this much JSON. */
const TRANSACTION_MAX_BYTES = 16 * 1024;
/** notify_missing mails at most this many members per call. */
export const NOTIFY_MAX = 1000;
/** missing_encrypted_message_keys answers and takes at most this many keys per call. */
export { MISSING_KEYS_MAX };

export interface Page<T> {
  rows: T[];
  count: () => Promise<number>;
}

const administers = (ctx: Ctx, team: string) => ctx.authz.can('membership:manage', { organizationId: team });

function checkName(value: string, field: string, max: number): string {
  const v = value.trim();
  if (v.length === 0 || v.length > max) throw validation(field, `Ensure this field has 1 to ${max} characters.`);
  return v;
}

function checkTransaction(value: Record<string, unknown>, field: string): Record<string, unknown> {
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > TRANSACTION_MAX_BYTES) throw validation(field, `At most ${TRANSACTION_MAX_BYTES / 1024} KiB of JSON.`);
  return value;
}

// ---- admin keys ----

export async function teamAdminKeys(ctx: Ctx, team: string, limit: number, offset: number): Promise<Page<AdminKeyRow>> {
  if (!(await administers(ctx, team))) return { rows: [], count: async () => 0 };
  return { rows: await listAdminKeys(ctx.db, team, limit, offset), count: () => countAdminKeys(ctx.db, team) };
}

/** An admin key of the caller's team; null when missing or another team's. */
export async function teamAdminKey(ctx: Ctx, id: string): Promise<AdminKeyRow | null> {
  const team = await teamOf(ctx);
  return isUuid(id) ? ((await findAdminKey(ctx.db, team, id.toLowerCase())) ?? null) : null;
}

async function requireAdminKey(ctx: Ctx, id: string, field = 'adminKeyId'): Promise<AdminKeyRow> {
  const row = await teamAdminKey(ctx, id);
  if (!row) throw field === 'id' ? notFound('Admin key not found') : validation(field, 'No admin key of your team with this id');
  return row;
}

/** "backed-up/members": how many of the team's direct members have a backup key under it. */
export async function adminKeyStatsOf(ctx: Ctx, k: AdminKeyRow): Promise<string> {
  const s = await ctx.loaders.adminKeyStatsById.load(k.id);
  return `${s?.backedUp ?? 0}/${s?.members ?? 0}`;
}

export async function createAdminKey(ctx: Ctx, input: { name: string; encryptedAdminKey: string; publicAdminKey: string }): Promise<AdminKeyRow> {
  const team = await teamOf(ctx);
  const name = checkName(input.name, 'name', NAME_MAX);
  checkKeyMaterial(input.encryptedAdminKey, 'encryptedAdminKey', KEY_LIMITS.privateKey);
  checkKeyMaterial(input.publicAdminKey, 'publicAdminKey', KEY_LIMITS.publicKey);
  return ctx.db.transaction(async (tx) => {
    const row = await insertAdminKey(tx, { organizationId: team, name, encryptedAdminKey: input.encryptedAdminKey, publicAdminKey: input.publicAdminKey, createdById: ctx.authz.userId });
    await recordEvent(tx, ctx, { action: 'adminKey.create', organizationId: team, data: { adminKeyId: row.id, name } });
    return row;
  });
}

/**
 * Mails every direct member of the team who has no backup key under the admin key (through the
 * outbox, in the same transaction as the event): their SDK must add one. Members without an
 * address cannot be mailed and are counted apart. At most NOTIFY_MAX members per call.
 */
export async function notifyMissingAdminKeyCopies(ctx: Ctx, adminKeyId: string): Promise<{ adminKey: AdminKeyRow; notified: number; unreachable: number }> {
  const k = await requireAdminKey(ctx, adminKeyId, 'id');
  const missing = await membersMissingBackup(ctx.db, k.organizationId, k.id, NOTIFY_MAX);
  const reachable = missing.filter((m) => m.email);
  await ctx.db.transaction(async (tx) => {
    for (const m of reachable) {
      await insertOutbox(tx, {
        channel: 'email',
        template: 'adminkey_missing',
        recipient: m.email!,
        organizationId: k.organizationId,
        subject: 'Your team asks you to back up your keys',
        body: `Your team added the backup admin key "${k.name}". Open your application once so that it stores a backup of your keys for it; until then your team cannot recover your messages if you lose your devices.`,
        payload: { adminKeyId: k.id, userId: m.id },
      });
    }
    await recordEvent(tx, ctx, { action: 'adminKey.notifyMissing', organizationId: k.organizationId, data: { adminKeyId: k.id, notified: reachable.length, unreachable: missing.length - reachable.length } });
  });
  return { adminKey: k, notified: reachable.length, unreachable: missing.length - reachable.length };
}

// ---- encrypted backup keys ----

/**
 * Stores a user's private keys encrypted for an admin key of their team: by the user themself
 * (a credential bound to the team, as their SDK uses) or by the team's admins. One per (admin
 * key, user); renew replaces it.
 */
export async function createBackupKey(
  ctx: Ctx,
  input: { organizationId: string; adminKeyId: string; userId?: string | null; deviceId?: string | null; encryptedBackupKey: string },
): Promise<BackupKeyRow> {
  const me = requireSignedIn(ctx);
  const userId = input.userId ?? me;
  const team = input.organizationId;
  if (userId !== me && !(await administers(ctx, team))) throw forbidden('Only the team’s admins store backup keys for others');
  if (!(await ctx.authz.withinTokenSubtree(team)) || !(await findEffectiveRoles(ctx.db, userId, [team])).has(team)) throw notFound('User not found in this team');
  const k = await findAdminKey(ctx.db, team, input.adminKeyId);
  if (!k) throw validation('adminKeyId', 'No admin key of this team with this id');
  checkKeyMaterial(input.encryptedBackupKey, 'encryptedBackupKey', KEY_LIMITS.privateKey);
  if (input.deviceId) {
    const [d] = await findDevicesByIds(ctx.db, [input.deviceId]);
    if (!d || d.userId !== userId || d.state !== 'active') throw validation('deviceId', 'Not an active device of the user');
  }
  return ctx.db.transaction(async (tx) => {
    const row = await insertBackupKey(tx, { organizationId: team, adminKeyId: k.id, userId, deviceId: input.deviceId ?? null, encryptedBackupKey: input.encryptedBackupKey });
    if (!row) throw new DomainError('CONFLICT', 'The user already has a backup key for this admin key (renew it)', 'adminKeyId');
    await recordEvent(tx, ctx, { action: 'backupKey.create', organizationId: team, user2Id: userId, deviceId: input.deviceId ?? null, data: { adminKeyId: k.id, backupKeyId: row.id } });
    return row;
  });
}

/** The backup key of a user of the caller's team for one of its admin keys; null when none. */
export async function findTeamBackupKey(ctx: Ctx, adminKeyId: string, userId: string): Promise<BackupKeyRow | null> {
  const team = await teamOf(ctx);
  return (await findBackupKey(ctx.db, team, { adminKeyId, userId })) ?? null;
}

/**
 * Replaces a backup key of the team (the user's keys changed, or the admin key was renewed).
 * `encryptionPubKey`, when given, is the public key the new backup is encrypted for: it must be
 * the admin key's, unless `force` (a backup for a key the server does not know, taken as is).
 */
export async function renewBackupKey(
  ctx: Ctx,
  input: { id: string; transactionData: Record<string, unknown>; encryptionPubKey?: string | null; force: boolean; encryptedBackupKey: string },
): Promise<BackupKeyRow> {
  const team = await teamOf(ctx);
  const b = isUuid(input.id) ? await findBackupKey(ctx.db, team, { id: input.id.toLowerCase() }) : undefined;
  if (!b) throw notFound('Encrypted backup key not found');
  checkTransaction(input.transactionData, 'transactionData');
  checkKeyMaterial(input.encryptedBackupKey, 'encryptedBackupKey', KEY_LIMITS.privateKey);
  if (input.encryptionPubKey != null) {
    checkKeyMaterial(input.encryptionPubKey, 'encryptionPubKey', KEY_LIMITS.publicKey);
    const k = await findAdminKey(ctx.db, team, b.adminKeyId);
    if (k && k.publicAdminKey !== input.encryptionPubKey && !input.force) throw validation('encryptionPubKey', 'Not the public key of the backup’s admin key (send force: true to store it anyway).');
  }
  return ctx.db.transaction(async (tx) => {
    const row = await updateBackupKey(tx, team, b.id, { encryptedBackupKey: input.encryptedBackupKey, transactionData: input.transactionData, renewedAt: new Date() });
    if (!row) throw notFound('Encrypted backup key not found');
    await recordEvent(tx, ctx, { action: 'backupKey.renew', organizationId: team, user2Id: b.userId, data: { backupKeyId: b.id, adminKeyId: b.adminKeyId, force: input.force } });
    return row;
  });
}

// ---- what admin keys recover of a message ----

/** The team's admin keys under which the owner or a live recipient of the message has a backup key. */
export async function availableAdminKeys(ctx: Ctx, m: MessageRow): Promise<AdminKeyRow[]> {
  if (!m.organizationId || !(await administers(ctx, m.organizationId))) return [];
  return (await ctx.loaders.recoveringAdminKeysByMessageId.load(m.id)).map((r) => r.key);
}

/**
 * What an admin needs to recover a message for a user with an admin key: the user's encrypted
 * message key (the backed-up device's, else their oldest) and their backup key under the admin
 * key. NOT_FOUND when the user has no live access, no backup key there, or no key of the message.
 */
export async function findRecoverableMessageKey(ctx: Ctx, messageId: string, userId: string, adminKeyId: string) {
  const m = await teamMessage(ctx, messageId);
  if (!m) throw notFound('Message not found');
  const team = m.organizationId!;
  if (!(await hasLiveAccess(ctx.db, m.id, userId))) throw notFound('No recoverable message key');
  const backup = await findBackupKey(ctx.db, team, { adminKeyId, userId });
  const key = backup ? await findUserMessageKey(ctx.db, m.id, userId, backup.deviceId) : undefined;
  if (!backup || !key) throw notFound('No recoverable message key');
  return { message: m, key, backup };
}

// ---- lost accounts ----

export async function teamLostAccounts(ctx: Ctx, team: string, states: number[] | null, limit: number, offset: number): Promise<Page<LostAccountRow>> {
  if (!(await administers(ctx, team))) return { rows: [], count: async () => 0 };
  return { rows: await listLostAccounts(ctx.db, team, states, limit, offset), count: () => countLostAccounts(ctx.db, team, states) };
}

export async function teamLostAccount(ctx: Ctx, id: string): Promise<LostAccountRow | null> {
  const team = await teamOf(ctx);
  return isUuid(id) ? ((await findLostAccount(ctx.db, team, id.toLowerCase())) ?? null) : null;
}

async function requireLostAccount(ctx: Ctx, id: string): Promise<LostAccountRow> {
  const row = await teamLostAccount(ctx, id);
  if (!row) throw notFound('Lost account not found');
  return row;
}

/** A state change that another request may have made first: refused as the table says. */
async function move(tx: Ctx['db'], a: LostAccountRow, from: readonly number[], values: Parameters<typeof moveLostAccount>[4]): Promise<LostAccountRow> {
  const row = await moveLostAccount(tx, a.organizationId, a.id, from, values);
  if (!row) {
    const now = await findLostAccount(tx, a.organizationId, a.id);
    throw new DomainError('PRECONDITION_FAILED', `The lost account changed state meanwhile (now ${now?.state ?? 'deleted'}).`, 'state');
  }
  return row;
}

/**
 * Opens a recovery for a member of the team who lost every device, with the public keys their
 * new installation generated. An open recovery of the same user is superseded (state 6).
 */
export async function createLostAccount(ctx: Ctx, input: { userId: string; deviceName: string; encryptionPublicKey: string; signingPublicKey: string }): Promise<LostAccountRow> {
  const team = await teamOf(ctx);
  const user = await requireTeamUser(ctx, team, input.userId);
  const deviceName = checkName(input.deviceName, 'deviceName', DEVICE_NAME_MAX);
  checkKeyMaterial(input.encryptionPublicKey, 'encryptionPublicKey', KEY_LIMITS.publicKey);
  checkKeyMaterial(input.signingPublicKey, 'signingPublicKey', KEY_LIMITS.publicKey);
  if (!user.primaryEmail) throw new DomainError('PRECONDITION_FAILED', 'The user has no email address to recover the account with', 'userId');
  return withOpenRecoveryConflict(() => ctx.db.transaction(async (tx) => {
    for (const open of await findOpenLostAccounts(tx, team, user.id, OPEN_STATES)) {
      await move(tx, open, OPEN_STATES, { state: S.SUPERSEDED });
      if (open.createdDeviceId) await revokeDevice(tx, open.createdDeviceId, new Date());
      await recordEvent(tx, ctx, { action: 'lostAccount.supersede', organizationId: team, user2Id: user.id, data: { lostAccountId: open.id } });
    }
    const row = await insertLostAccount(tx, {
      organizationId: team,
      userId: user.id,
      email: user.primaryEmail!,
      deviceName,
      state: S.OPEN,
      encryptionPublicKey: input.encryptionPublicKey,
      signingPublicKey: input.signingPublicKey,
      createdById: ctx.authz.userId,
    });
    await recordEvent(tx, ctx, { action: 'lostAccount.create', organizationId: team, user2Id: user.id, data: { lostAccountId: row.id } });
    return row;
  }));
}

/** Another request opened a recovery for the same user at the same time (lost_accounts_open_key). */
async function withOpenRecoveryConflict<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('CONFLICT', 'A recovery of this user was opened meanwhile.', 'userId');
    throw err;
  }
}

/** 0 → 1: registers the new device (the account's public keys) for the user. */
export async function lostAccountCreateDevice(ctx: Ctx, id: string, deviceName: string): Promise<LostAccountRow> {
  const a = await requireLostAccount(ctx, id);
  assertTransition('createDevice', a.state);
  const name = checkName(deviceName, 'deviceName', DEVICE_NAME_MAX);
  return ctx.db.transaction(async (tx) => {
    const d = await insertDevice(tx, { userId: a.userId, name, encryptionPublicKey: a.encryptionPublicKey, signingPublicKey: a.signingPublicKey });
    const row = await move(tx, a, [S.OPEN], { state: S.DEVICE_CREATED, createdDeviceId: d.id, deviceName: name });
    await recordEvent(tx, ctx, { action: 'lostAccount.createDevice', organizationId: a.organizationId, user2Id: a.userId, deviceId: d.id, data: { lostAccountId: a.id, name } });
    return row;
  });
}

/**
 * 1 → 2: appends the client-signed transaction adding the new device to the user's sigchain.
 * A transaction that names a `position` must name the chain's next one, unless `force` (the
 * admin accepts it at the next position anyway).
 */
export async function lostAccountValidateSigchain(ctx: Ctx, id: string, transaction: Record<string, unknown>, force: boolean): Promise<LostAccountRow> {
  const a = await requireLostAccount(ctx, id);
  assertTransition('validateSigchain', a.state);
  if (Object.keys(transaction).length === 0) throw validation('sigchainTransaction', 'The transaction is empty.');
  checkTransaction(transaction, 'sigchainTransaction');
  const next = await userSigchainNextPosition(ctx.db, a.userId);
  if ('position' in transaction && transaction.position !== next && !force) {
    throw new DomainError('CONFLICT', `The chain's next position is ${next} (send force: true to append it there anyway).`, 'sigchainTransaction');
  }
  try {
    return await ctx.db.transaction(async (tx) => {
      // The state first: of two concurrent validations, the second stops here (the table's refusal).
      const row = await move(tx, a, [S.DEVICE_CREATED], { state: S.SIGCHAIN_VALIDATED });
      const { position } = await appendToUserSigchain(tx, a.userId, transaction);
      await recordEvent(tx, ctx, { action: 'lostAccount.validateSigchain', organizationId: a.organizationId, user2Id: a.userId, deviceId: a.createdDeviceId, data: { lostAccountId: a.id, position, force } });
      return row;
    });
  } catch (err) {
    // Another transaction took the chain's next position meanwhile (a unique (user, position)).
    if (isUniqueViolation(err)) throw new DomainError('CONFLICT', 'The sigchain changed meanwhile; send the transaction again.', 'sigchainTransaction');
    throw err;
  }
}

/** In 2 or 3: the user's team messages whose key the new device lacks, each with a key of an older device of theirs. */
export async function lostAccountMissingKeys(ctx: Ctx, a: LostAccountRow) {
  assertTransition('readMissingKeys', a.state);
  const rows = await ctx.loaders.missingKeysByLostAccountId.load(a.id);
  return { items: rows.slice(0, MISSING_KEYS_MAX), hasMore: rows.length > MISSING_KEYS_MAX };
}

export async function lostAccountMissingKeysById(ctx: Ctx, id: string) {
  return lostAccountMissingKeys(ctx, await requireLostAccount(ctx, id));
}

/**
 * 2|3 → 3|4: stores the new device's keys of messages it lacked (re-encrypted by the admin from
 * the recovered keys). Each message must be one the device lacks a key of; when none is left
 * the recovery is done (4), else it stays partial (3).
 */
export async function lostAccountAddMissingKeys(ctx: Ctx, id: string, keys: { messageId: string; token: string; createdForKeyHash?: string | null }[]): Promise<LostAccountRow> {
  const a = await requireLostAccount(ctx, id);
  assertTransition('addMissingKeys', a.state);
  if (keys.length > MISSING_KEYS_MAX) throw validation('keys', `At most ${MISSING_KEYS_MAX} keys per call.`);
  const ids = keys.map((k, i) => {
    if (!isUuid(k.messageId)) throw validation(`keys.${i}.messageId`, 'Not a message id.');
    checkKeyMaterial(k.token, `keys.${i}.token`, KEY_LIMITS.messageKey);
    if (k.createdForKeyHash != null && k.createdForKeyHash.length > 128) throw validation(`keys.${i}.createdForKeyHash`, 'At most 128 characters.');
    return k.messageId.toLowerCase();
  });
  if (new Set(ids).size !== ids.length) throw validation('keys', 'A message appears twice.');
  const deviceId = a.createdDeviceId!;
  return ctx.db.transaction(async (tx) => {
    // Read under the transaction: each message must still lack the device's key.
    const missing = new Set(await findMissingAmong(tx, a.organizationId, a.userId, deviceId, ids));
    const bad = ids.findIndex((m) => !missing.has(m));
    if (bad >= 0) throw validation(`keys.${bad}.messageId`, 'No message of the team lacks this device’s key with this id.');
    await insertMessageKeys(tx, ids.map((messageId, i) => ({ messageId, deviceId, userId: a.userId, encryptedKey: keys[i]!.token, createdForKeyHash: keys[i]!.createdForKeyHash || null, addedById: ctx.authz.userId })));
    const left = await countMissingKeys(tx, a.organizationId, a.userId, deviceId);
    const row = await move(tx, a, [S.SIGCHAIN_VALIDATED, S.KEYS_PARTIAL], { state: left === 0 ? S.RECOVERED : S.KEYS_PARTIAL });
    await recordEvent(tx, ctx, { action: 'lostAccount.addMissingKeys', organizationId: a.organizationId, user2Id: a.userId, deviceId, data: { lostAccountId: a.id, added: ids.length, left } });
    return row;
  });
}

/** 0–3 → 5: abandons the recovery; the device it created (if any) is revoked. */
export async function cancelLostAccount(ctx: Ctx, id: string): Promise<LostAccountRow> {
  const a = await requireLostAccount(ctx, id);
  assertTransition('cancel', a.state);
  return ctx.db.transaction(async (tx) => {
    const row = await move(tx, a, OPEN_STATES, { state: S.CANCELLED });
    if (a.createdDeviceId) await revokeDevice(tx, a.createdDeviceId, new Date());
    await recordEvent(tx, ctx, { action: 'lostAccount.cancel', organizationId: a.organizationId, user2Id: a.userId, deviceId: a.createdDeviceId, data: { lostAccountId: a.id } });
    return row;
  });
}
