// Batched loads of the logs module, one query per batch.
import type { Database } from '../../core/db.js';

export const createLogsLoaders = (db: Database) => {
  void db;
  return {};
};
