// Rules for a user's devices: only the user and instance admins see them, and they (device:revoke)
// revoke one; a revoked device's keys stop being trusted. The change commits with its event-log row.
import type { ServiceContext } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { recordEvent } from '../logs/event-log.service.js';
import { appendToUserSigchain, serverTransaction } from '../dashboard/sigchain.service.js';
import { updateDevice, type DeviceRow } from './user.repo.js';
import { forgetUser, requireSignedIn } from './user.writes.js';

type Ctx = ServiceContext;

export async function devicesOf(ctx: Ctx, userId: string): Promise<DeviceRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return ctx.loaders.devicesByUserId.load(userId);
}

/** A device the caller may see (their own, or anyone's for instance admins); others answer like missing ones. */
export async function readableDevice(ctx: Ctx, id: string): Promise<DeviceRow | null> {
  const row = await ctx.loaders.deviceById.load(id);
  return row && ctx.authz.isSelfOrAdmin(row.userId) ? row : null;
}

/** Revokes a device (its keys stop being trusted); revoking a revoked device changes nothing. */
export async function revokeDevice(ctx: Ctx, id: string): Promise<DeviceRow> {
  requireSignedIn(ctx);
  const device = await readableDevice(ctx, id);
  if (!device) throw notFound('Device not found');
  await ctx.authz.assert('device:revoke', { userId: device.userId }, { hideAs: 'NOT_FOUND', message: 'Device not found' });
  if (device.state === 'revoked') return device;
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await updateDevice(tx, device.id, { state: 'revoked', revokedAt: new Date() });
    // Every revocation is also a transaction of the user's sigchain (one writer: sigchain.service.ts).
    await appendToUserSigchain(tx, device.userId, serverTransaction('device.revoke', { device_id: device.id, revoked_by: ctx.authz.userId }));
    await recordEvent(tx, ctx, { action: 'device.revoke', user2Id: device.userId, deviceId: device.id, data: { name: device.name } });
    return row!;
  });
  ctx.loaders.deviceById.clear(device.id);
  forgetUser(ctx, device.userId);
  return updated;
}
