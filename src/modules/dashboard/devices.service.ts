// Devices as Seald's key side sees them: a user registers a device with its public keys (the
// SDK's `registerDevice`), a team's admins list a member's devices and revoke one, a team's admins
// and the team's JWTs with the "retrieve keys" permission look up public keys. Registration and
// revocation commit with their event-log row and a transaction appended to the user's sigchain.
//
// The invariant every device-taking operation keeps: a revoked device never acts again
// (`requireActiveDevices` refuses it with VALIDATION_FAILED on the field that named it).
import type { ServiceContext } from '../../context.js';
import { teamJwtMay } from '../../core/auth/principal.js';
import { tokenOrganizationOf } from '../../core/auth/tenant.js';
import { notFound, validation } from '../../core/errors.js';
import { checkKeyMaterial, checkTransaction, KEY_LIMITS, KEY_MIN } from '../../core/key-material.js';
import { isPlainText } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import { findEffectiveRoles } from '../organizations/organization.repo.js';
import type { DeviceRow } from '../users/user.repo.js';
import { forgetUser, requireSignedIn } from '../users/user.writes.js';
import { teamOf } from './dashboard.service.js';
import { countDevicesOfUser, findNewestActiveDevice, insertDevice, listDevicesOfUser, revokeActiveDevice } from './devices.repo.js';
import { appendToUserSigchain, serverTransaction } from './sigchain.service.js';

type Ctx = ServiceContext;


export interface RegisterDeviceInput {
  name: string;
  encryptionPublicKey: string;
  signingPublicKey: string;
  /** The SDK's signed transaction for this registration; the server records its own without. */
  transaction?: Record<string, unknown> | null;
}

/** Registers a device of the caller with its public keys; the registration goes to their sigchain. */
export async function registerDevice(ctx: Ctx, input: RegisterDeviceInput): Promise<DeviceRow> {
  const userId = requireSignedIn(ctx);
  const name = input.name.trim();
  if (name.length < 1 || name.length > 255 || !isPlainText(name)) throw validation('name', 'Name must be 1 to 255 characters of text');
  const encryptionPublicKey = checkKeyMaterial(input.encryptionPublicKey, 'encryptionPublicKey', KEY_LIMITS.publicKey, KEY_MIN);
  const signingPublicKey = checkKeyMaterial(input.signingPublicKey, 'signingPublicKey', KEY_LIMITS.publicKey, KEY_MIN);
  const given = input.transaction == null ? null : checkTransaction(input.transaction, 'transaction');
  const row = await ctx.db.transaction(async (tx) => {
    const d = await insertDevice(tx, { userId, name, encryptionPublicKey, signingPublicKey, state: 'active' });
    await appendToUserSigchain(tx, userId, given ?? serverTransaction('device.register', { device_id: d.id, encrypt_pubkey: encryptionPublicKey, signing_pubkey: signingPublicKey }));
    await recordEvent(tx, ctx, { action: 'device.register', user2Id: userId, deviceId: d.id, organizationId: tokenOrganizationOf(ctx.principal), data: { name } });
    return d;
  });
  forgetUser(ctx, userId);
  return row;
}

const isTeamMember = async (ctx: Ctx, team: string, userId: string) => (await findEffectiveRoles(ctx.db, userId, [team])).has(team);

/** A device of a member of the caller's team (the caller administers it), else NOT_FOUND. */
async function requireTeamDevice(ctx: Ctx, deviceId: string): Promise<{ team: string; device: DeviceRow }> {
  const team = await teamOf(ctx);
  const device = await ctx.loaders.deviceById.load(deviceId);
  if (!device) throw notFound('Device not found');
  // Another team's user's device does not exist here.
  if (!(await isTeamMember(ctx, team, device.userId))) throw notFound('Device not found');
  return { team, device };
}

/**
 * Revokes a device of a member of the caller's team: it is refused by every later call that
 * names it; the revocation is an event and a sigchain transaction of its user. Revoking a
 * revoked device changes nothing.
 */
export async function revokeTeamDevice(ctx: Ctx, deviceId: string): Promise<DeviceRow> {
  const { team, device } = await requireTeamDevice(ctx, deviceId);
  if (device.state === 'revoked') return device;
  const updated = await ctx.db.transaction(async (tx) => {
    // Only an active device turns revoked: of two revocations at once, one records it.
    const row = await revokeActiveDevice(tx, device.id, new Date());
    if (!row) return null;
    await appendToUserSigchain(tx, device.userId, serverTransaction('device.revoke', { device_id: device.id, revoked_by: ctx.authz.userId }));
    await recordEvent(tx, ctx, { action: 'device.revoke', user2Id: device.userId, deviceId: device.id, organizationId: team, data: { name: device.name } });
    return row;
  });
  ctx.loaders.deviceById.clear(device.id);
  forgetUser(ctx, device.userId);
  return updated ?? (await ctx.loaders.deviceById.load(device.id)) ?? device;
}

/** Whether the caller may read device keys in `team`: its admins, and its JWTs with "retrieve keys". */
async function mayReadTeamKeys(ctx: Ctx, team: string): Promise<boolean> {
  if (ctx.principal.kind === 'teamJwt') return teamJwtMay(ctx.principal, team, 1);
  return ctx.authz.can('membership:manage', { organizationId: team });
}

/** One page of a team member's devices, oldest first (the team's admins; empty for others and for non-members). */
export async function teamDevices(ctx: Ctx, team: string, userId: string, limit: number, offset: number): Promise<{ rows: DeviceRow[]; count: () => Promise<number> }> {
  const none = { rows: [], count: async () => 0 };
  if (!(await ctx.authz.can('membership:manage', { organizationId: team })) || !(await isTeamMember(ctx, team, userId))) return none;
  const rows = await listDevicesOfUser(ctx.db, userId, limit, offset);
  for (const r of rows) ctx.loaders.deviceById.prime(r.id, r);
  return { rows, count: () => countDevicesOfUser(ctx.db, userId) };
}

/**
 * A device's public keys: the device `deviceId`, or the newest active device of `userId`. For
 * the admins of the caller's team and the team's JWTs with permission 1; only devices of the
 * team's members. Null when none (or not allowed: missing and forbidden answer alike).
 */
export async function devicePublicKeys(ctx: Ctx, by: { userId?: string | null; deviceId?: string | null }): Promise<DeviceRow | null> {
  const p = ctx.principal;
  const team = p.kind === 'teamJwt' ? p.organizationId : tokenOrganizationOf(p);
  if (!team || !(await mayReadTeamKeys(ctx, team))) return null;
  const device = by.deviceId ? await ctx.loaders.deviceById.load(by.deviceId) : by.userId ? ((await findNewestActiveDevice(ctx.db, by.userId)) ?? null) : null;
  if (!device || !(await isTeamMember(ctx, team, device.userId))) return null;
  return device;
}

/**
 * The devices `ids` (field names each one's position), each existing and active: a missing one
 * is "Unknown device", a revoked one "Device is revoked" (VALIDATION_FAILED, 400 in the dialects).
 */
export async function requireActiveDevices(ctx: Ctx, ids: readonly { id: string; field: string }[]): Promise<Map<string, DeviceRow>> {
  const rows = await ctx.loaders.deviceById.loadMany(ids.map((d) => d.id));
  const found = new Map<string, DeviceRow>();
  ids.forEach((d, i) => {
    const row = rows[i];
    if (!row || row instanceof Error) throw validation(d.field, 'Unknown device');
    if (row.state !== 'active') throw validation(d.field, 'Device is revoked');
    found.set(row.id, row);
  });
  return found;
}
