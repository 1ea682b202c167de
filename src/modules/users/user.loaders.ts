// Batched loads of users and their contacts, one query per batch.
import DataLoader from 'dataloader';
import type { Database } from '../../core/db.js';
import { rowLoader } from '../../core/loaders.js';
import { findPrimaryEmailsByUserIds, findUsersByIds } from './user.repo.js';

export const createUserLoaders = (db: Database) => ({
  userById: rowLoader((ids: readonly string[]) => findUsersByIds(db, ids), (u) => u.id),
  /** The primary active email address of each user (null when none). */
  primaryEmailByUserId: new DataLoader<string, string | null>(async (ids) => {
    const rows = await findPrimaryEmailsByUserIds(db, ids);
    const byUser = new Map(rows.map((c) => [c.userId, c.value]));
    return ids.map((id) => byUser.get(id) ?? null);
  }),
});
