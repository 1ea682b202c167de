// Batched loads of the groups module, one query per batch.
import type { Database } from '../../core/db.js';

export const createGroupsLoaders = (db: Database) => {
  void db;
  return {};
};
