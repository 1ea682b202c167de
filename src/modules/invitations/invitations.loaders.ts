// Batched loads of the invitations module, one query per batch.
import type { Database } from '../../core/db.js';

export const createInvitationsLoaders = (db: Database) => {
  void db;
  return {};
};
