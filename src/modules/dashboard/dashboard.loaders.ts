// Batched loads of the dashboard's key side: each device's last sign-in (`last_seen`).
import { rowLoader } from '../../core/loaders.js';
import type { Database } from '../../core/db.js';
import { findLastLoginsByDeviceIds } from './devices.repo.js';

export function createDashboardLoaders(db: Database) {
  return {
    /** The newest sign-in attempt of each device (null: never seen). */
    lastLoginByDeviceId: rowLoader((ids: readonly string[]) => findLastLoginsByDeviceIds(db, ids), (l) => l.deviceId!),
  };
}
