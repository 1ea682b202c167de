// The key side of groups (Seald groups): members' device copies of the group key, key renewal,
// the group's sigchain, and the pages the dashboard reads (members, member devices, earlier key
// sets). Only the group's admins and the organization's (team's) admins change a group
// (requireManageableGroup); each change commits with its event-log row and, when the client
// sent one, its sigchain transaction.
//
// Invariants:
// - A key copy is for an active device of a current member, at most one per device and
//   generation (checkMemberDevices; PATCH replaces a device's copy).
// - Renewing keeps the replaced set (group_key_sets) and its copies, so messages encrypted under
//   it stay readable to members; the group's row, and so `retrieve`, shows the new keys.
// - A removed member's copies are deleted with the membership (group.service.ts), so they hold
//   no key of the group, and later keys are only given to members.
import type { ServiceContext } from '../../context.js';
import { DomainError, conflict, validation } from '../../core/errors.js';
import { checkKeyMaterial, checkTransaction, isBase64, KEY_LIMITS, KEY_MIN } from '../../core/key-material.js';
import { recordEvent } from '../logs/event-log.service.js';
import { appendToGroupSigchain, groupSigchainStarted } from '../dashboard/sigchain.service.js';
import {
  countGroupDevices,
  countMembers,
  deleteKeyCopiesOfDevices,
  findCurrentKeysSince,
  insertKeyCopies,
  insertKeySet,
  listGroupDevicePage,
  listKeyCopiesOfUser,
  listKeySets,
  listMemberPage,
  lockGroup,
  type DeviceKeyCopy,
  type GroupDeviceRow,
  type GroupKeySetRow,
} from './group-keys.repo.js';
import { findGroupMembersForUpdate, insertGroupMembers, setGroupMemberAdmin, updateGroup, type GroupMemberRow, type GroupRow } from './group.repo.js';
import { checkMemberDevices, checkOrganizationMembers, forget, isGroupMember, keepAnAdmin, membersOfGroup, requireManageableGroup, withMemberConstraints } from './group.service.js';

type Ctx = ServiceContext;

const MAX_MEMBERS_PER_CALL = 100;
const MAX_KEY_COPIES_PER_CALL = 1000;

export interface KeyCopyInput {
  deviceId: string;
  encryptedMessageKey: string;
  keyHash?: string | null;
}

function checkCopies(copies: readonly KeyCopyInput[], field: string): DeviceKeyCopy[] {
  if (copies.length > MAX_KEY_COPIES_PER_CALL) throw validation(field, `At most ${MAX_KEY_COPIES_PER_CALL} key copies at once`);
  return copies.map((c, i) => {
    checkKeyMaterial(c.encryptedMessageKey, `${field}.${i}.encryptedMessageKey`, KEY_LIMITS.encryptedKey);
    if (c.keyHash != null && (c.keyHash.length > 256 || !isBase64(c.keyHash))) throw validation(`${field}.${i}.keyHash`, 'Must be base64 of at most 256 characters');
    return { createdForDeviceId: c.deviceId, createdForKeyHash: c.keyHash ?? null, encryptedMessageKey: c.encryptedMessageKey };
  });
}

export interface MemberKeysInput {
  userId: string;
  /** Set (or, when adding, give) the member's admin flag; null keeps it (adding: not admin). */
  isAdmin?: boolean | null;
  deviceKeys: KeyCopyInput[];
}

/**
 * Adds members with their devices' copies of the group's current key (`add`), or changes
 * existing members' admin flags and replaces their devices' copies (`!add`). `transaction`: the
 * SDK's signed membership transaction, appended to the group's sigchain.
 */
export async function setGroupMemberKeys(ctx: Ctx, groupId: string, input: { members: MemberKeysInput[]; transaction?: Record<string, unknown> | null }, add: boolean): Promise<GroupRow> {
  const group = await requireManageableGroup(ctx, groupId);
  if (input.members.length === 0) throw validation('members', 'Give at least one member');
  if (input.members.length > MAX_MEMBERS_PER_CALL) throw validation('members', `At most ${MAX_MEMBERS_PER_CALL} members at once`);
  const userIds = input.members.map((m) => m.userId);
  if (new Set(userIds).size !== userIds.length) throw validation('members', 'A member appears twice');
  const transaction = input.transaction == null ? null : checkTransaction(input.transaction, 'transaction');
  const copies = input.members.map((m, i) => checkCopies(m.deviceKeys, `members.${i}.deviceKeys`));
  if (add) await checkOrganizationMembers(ctx.db, group.organizationId, userIds, 'members');
  await checkMemberDevices(
    ctx,
    userIds,
    input.members.flatMap((m, i) => m.deviceKeys.map((k, j) => ({ id: k.deviceId, field: `members.${i}.deviceKeys.${j}.deviceId`, userId: m.userId }))),
  );
  await withMemberConstraints(
    () =>
      ctx.db.transaction(async (tx) => {
        const locked = await lockGroup(tx, group);
        if (!locked) throw new DomainError('NOT_FOUND', 'Group not found');
        const before = await findGroupMembersForUpdate(tx, group.id);
        if (add) {
          await insertGroupMembers(tx, group.id, input.members.map((m) => ({ userId: m.userId, isAdmin: m.isAdmin ?? false })));
        } else {
          const missing = input.members.findIndex((m) => !before.some((b) => b.userId === m.userId));
          if (missing >= 0) throw validation(`members.${missing}.userId`, 'Not a member of the group');
          const after: GroupMemberRow[] = before.map((b) => {
            const m = input.members.find((x) => x.userId === b.userId);
            return m && m.isAdmin != null ? { ...b, isAdmin: m.isAdmin } : b;
          });
          keepAnAdmin(before, after, 'members');
          for (const m of input.members) if (m.isAdmin != null) await setGroupMemberAdmin(tx, group, m.userId, m.isAdmin);
        }
        const all = copies.flat();
        // Copies are of the generation current under the lock (a renewal in between is waited for).
        await deleteKeyCopiesOfDevices(tx, group.id, locked.keyGeneration, all.map((c) => c.createdForDeviceId));
        await insertKeyCopies(tx, group.id, locked.keyGeneration, all);
        if (transaction) await appendToGroupSigchain(tx, group.id, transaction);
        await recordEvent(tx, ctx, {
          action: add ? 'group.addMembers' : 'group.updateMembers',
          organizationId: group.organizationId,
          user2Id: userIds.length === 1 ? userIds[0] : null,
          data: { groupId: group.id, userIds, admins: input.members.filter((m) => m.isAdmin).map((m) => m.userId), keyCopies: all.length },
        });
      }),
    'members',
  );
  forget(ctx, group);
  return group;
}

export interface RenewGroupKeysInput {
  encryptionPublicKey: string;
  signingPublicKey: string;
  encryptedEncryptionPrivateKey: string;
  encryptedSigningPrivateKey: string;
  messageKeys: KeyCopyInput[];
  transaction?: Record<string, unknown> | null;
}

/**
 * New keys for the group: the current set moves to group_key_sets (with its copies, kept for
 * the messages encrypted under it), the group's row takes the new one as the next generation,
 * and the copies given are of the new generation (active devices of current members only).
 */
export async function renewGroupKeys(ctx: Ctx, groupId: string, input: RenewGroupKeysInput): Promise<GroupRow> {
  const group = await requireManageableGroup(ctx, groupId);
  const keys = {
    encryptionPublicKey: checkKeyMaterial(input.encryptionPublicKey, 'encryptionPublicKey', KEY_LIMITS.publicKey, KEY_MIN),
    signingPublicKey: checkKeyMaterial(input.signingPublicKey, 'signingPublicKey', KEY_LIMITS.publicKey, KEY_MIN),
    encryptedEncryptionPrivateKey: checkKeyMaterial(input.encryptedEncryptionPrivateKey, 'encryptedEncryptionPrivateKey', KEY_LIMITS.encryptedKey, KEY_MIN),
    encryptedSigningPrivateKey: checkKeyMaterial(input.encryptedSigningPrivateKey, 'encryptedSigningPrivateKey', KEY_LIMITS.encryptedKey, KEY_MIN),
  };
  const transaction = input.transaction == null ? null : checkTransaction(input.transaction, 'transaction');
  const copies = checkCopies(input.messageKeys, 'messageKeys');
  const members = (await membersOfGroup(ctx, group)).map((m) => m.userId);
  await checkMemberDevices(ctx, members, input.messageKeys.map((k, i) => ({ id: k.deviceId, field: `messageKeys.${i}.deviceId` })));
  const renewed = await ctx.db.transaction(async (tx) => {
    const current = await lockGroup(tx, group);
    if (!current) throw new DomainError('NOT_FOUND', 'Group not found');
    // Members may have left since the check above: copies go only to those still members.
    const now = (await findGroupMembersForUpdate(tx, group.id)).map((m) => m.userId);
    const gone = members.filter((m) => !now.includes(m));
    if (gone.length > 0) throw conflict('messageKeys', 'The group’s members changed meanwhile; try again');
    await insertKeySet(tx, {
      groupId: current.id,
      organizationId: current.organizationId,
      generation: current.keyGeneration,
      encryptionPublicKey: current.encryptionPublicKey,
      signingPublicKey: current.signingPublicKey,
      encryptedEncryptionPrivateKey: current.encryptedEncryptionPrivateKey,
      encryptedSigningPrivateKey: current.encryptedSigningPrivateKey,
      createdAt: await findCurrentKeysSince(tx, current),
    });
    const row = await updateGroup(tx, current, { ...keys, keyGeneration: current.keyGeneration + 1 });
    await insertKeyCopies(tx, current.id, current.keyGeneration + 1, copies);
    if (transaction) await appendToGroupSigchain(tx, current.id, transaction);
    await recordEvent(tx, ctx, { action: 'group.renewKeys', organizationId: current.organizationId, data: { groupId: current.id, generation: current.keyGeneration + 1, keyCopies: copies.length } });
    return row!;
  });
  forget(ctx, renewed);
  return renewed;
}

/** Starts the group's sigchain with the SDK's two transactions (the group's, its members'); once. */
export async function initGroupSigchain(ctx: Ctx, groupId: string, input: { transaction: Record<string, unknown>; membersTransaction: Record<string, unknown> }): Promise<GroupRow> {
  const group = await requireManageableGroup(ctx, groupId);
  const first = checkTransaction(input.transaction, 'transaction');
  const second = checkTransaction(input.membersTransaction, 'membersTransaction');
  await ctx.db.transaction(async (tx) => {
    if (!(await lockGroup(tx, group))) throw new DomainError('NOT_FOUND', 'Group not found');
    if (await groupSigchainStarted(tx, group.id)) throw conflict('transaction', 'The group’s sigchain is already initialized');
    await appendToGroupSigchain(tx, group.id, first);
    await appendToGroupSigchain(tx, group.id, second);
    await recordEvent(tx, ctx, { action: 'group.initSigchain', organizationId: group.organizationId, data: { groupId: group.id } });
  });
  return group;
}

// ---- reads ----

export interface Page<T> {
  rows: T[];
  count: () => Promise<number>;
}

/** A page of a readable group's members (admins first). */
export async function groupMemberPage(ctx: Ctx, group: Pick<GroupRow, 'id'>, limit: number, offset: number): Promise<Page<GroupMemberRow>> {
  return { rows: await listMemberPage(ctx.db, group.id, limit, offset), count: () => countMembers(ctx.db, group.id) };
}

/**
 * A page of the devices of a readable group's members with their copy of the current key: the
 * copy itself only to the device's own user (others learn whether there is one).
 */
export async function groupDevicePage(ctx: Ctx, group: Pick<GroupRow, 'id' | 'keyGeneration'>, limit: number, offset: number): Promise<Page<GroupDeviceRow>> {
  const rows = await listGroupDevicePage(ctx.db, group, limit, offset);
  for (const r of rows) ctx.loaders.deviceById.prime(r.device.id, r.device);
  return { rows, count: () => countGroupDevices(ctx.db, group.id) };
}

/**
 * The group's replaced key sets, newest first: public keys for anyone who reads the group; for
 * members also the encrypted private keys and their own devices' copies of each generation (what
 * they decrypt old messages with). A removed member holds no copy (group.service.ts deletes them).
 */
export async function groupKeySets(ctx: Ctx, group: Pick<GroupRow, 'id'>, limit: number): Promise<{ rows: GroupKeySetRow[]; member: boolean; copies: { generation: number; deviceId: string | null; encryptedMessageKey: string }[] }> {
  const member = await isGroupMember(ctx, group);
  const me = ctx.authz.userId;
  const [rows, copies] = await Promise.all([listKeySets(ctx.db, group.id, limit), member && me ? listKeyCopiesOfUser(ctx.db, group.id, me) : []]);
  return { rows, member, copies };
}

