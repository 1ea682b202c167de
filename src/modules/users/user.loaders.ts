// Batched loads of users and their contacts, one query per batch.
import type { Database } from '../../core/db.js';
import { rowLoader } from '../../core/loaders.js';
import { findPrimaryEmailsByUserIds, findUsersByIds } from './user.repo.js';

export const createUserLoaders = (db: Database) => ({
  userById: rowLoader((ids: readonly string[]) => findUsersByIds(db, ids), (u) => u.id),
  primaryEmailByUserId: rowLoader((ids: readonly string[]) => findPrimaryEmailsByUserIds(db, ids), (c) => c.userId),
});
