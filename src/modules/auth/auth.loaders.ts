// Batched loads of personal API tokens.
import type { Database } from '../../core/db.js';
import { listLoader, rowLoader } from '../../core/loaders.js';
import { findTokensByIds, findTokensByUserIds } from './token.repo.js';

export const createAuthLoaders = (db: Database) => ({
  tokenById: rowLoader((ids: readonly string[]) => findTokensByIds(db, ids), (t) => t.id),
  tokensByUserId: listLoader((ids: readonly string[]) => findTokensByUserIds(db, ids), (t) => t.userId),
});
