// SQL of the dashboard's device keys: a user's devices by page, the newest active one, and the
// last sign-in of each device (Seald's `last_seen`). Plain functions, no permission checks.
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { loginLogs } from '../../../schema/logs.js';
import { devices } from '../../../schema/users.js';
import type { Database } from '../../core/db.js';
import type { DeviceRow } from '../users/user.repo.js';
import type { LoginLogRow } from '../logs/login-log.repo.js';

export async function insertDevice(db: Database, values: typeof devices.$inferInsert): Promise<DeviceRow> {
  const [row] = await db.insert(devices).values(values).returning();
  return row!;
}

/** Revokes the device if it is active; undefined when it was not (already revoked, or gone). */
export async function revokeActiveDevice(db: Database, id: string, at: Date): Promise<DeviceRow | undefined> {
  const [row] = await db
    .update(devices)
    .set({ state: 'revoked', revokedAt: at })
    .where(and(eq(devices.id, id), eq(devices.state, 'active')))
    .returning();
  return row;
}

/** One page of a user's devices, oldest first (the id breaks ties: uuid v7, time-ordered). */
export const listDevicesOfUser = (db: Database, userId: string, limit: number, offset: number): Promise<DeviceRow[]> =>
  db.select().from(devices).where(eq(devices.userId, userId)).orderBy(asc(devices.createdAt), asc(devices.id)).limit(limit).offset(offset);

export async function countDevicesOfUser(db: Database, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(devices).where(eq(devices.userId, userId));
  return Number(row!.n);
}

/** The user's most recently registered active device. */
export async function findNewestActiveDevice(db: Database, userId: string): Promise<DeviceRow | undefined> {
  const [row] = await db
    .select()
    .from(devices)
    .where(and(eq(devices.userId, userId), eq(devices.state, 'active')))
    .orderBy(desc(devices.createdAt), desc(devices.id))
    .limit(1);
  return row;
}

/** The newest sign-in attempt of each device (one statement for a loader batch). */
export const findLastLoginsByDeviceIds = (db: Database, deviceIds: readonly string[]): Promise<LoginLogRow[]> =>
  db
    .selectDistinctOn([loginLogs.deviceId])
    .from(loginLogs)
    .where(inArray(loginLogs.deviceId, [...deviceIds]))
    .orderBy(loginLogs.deviceId, desc(loginLogs.createdAt), desc(loginLogs.id));
