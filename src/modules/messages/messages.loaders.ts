// Batched loads of the messages module, one query per batch.
import type { Database } from '../../core/db.js';

export const createMessagesLoaders = (db: Database) => {
  void db;
  return {};
};
