// Batched loads of users and what they own, one query per batch (WHERE user_id IN (…)).
import type { Database } from '../../core/db.js';
import { listLoader, rowLoader } from '../../core/loaders.js';
import {
  findContactsByIds,
  findContactsByUserIds,
  findDevicesByIds,
  findDevicesByUserIds,
  findIdentitiesByUserIds,
  findPublicKeysByIds,
  findPublicKeysByUserIds,
  findUsersByIds,
} from './user.repo.js';

export const createUserLoaders = (db: Database) => ({
  userById: rowLoader((ids: readonly string[]) => findUsersByIds(db, ids), (u) => u.id),
  /** Active contacts of every type: `emails` and `phones` of one user share a single load. */
  contactsByUserId: listLoader((ids: readonly string[]) => findContactsByUserIds(db, ids), (c) => c.userId),
  contactById: rowLoader((ids: readonly string[]) => findContactsByIds(db, ids), (c) => c.id),
  publicKeysByUserId: listLoader((ids: readonly string[]) => findPublicKeysByUserIds(db, ids), (k) => k.userId),
  publicKeyById: rowLoader((ids: readonly string[]) => findPublicKeysByIds(db, ids), (k) => k.id),
  devicesByUserId: listLoader((ids: readonly string[]) => findDevicesByUserIds(db, ids), (d) => d.userId),
  deviceById: rowLoader((ids: readonly string[]) => findDevicesByIds(db, ids), (d) => d.id),
  identitiesByUserId: listLoader((ids: readonly string[]) => findIdentitiesByUserIds(db, ids), (i) => i.userId),
});
