// Batched loads of the recovery module, one statement per batch: each admin key's backup stats
// and each message's admin keys that can recover it (lists of keys or messages cost no more
// statements than one), and each lost account's first missing message keys.
import type { Database } from '../../core/db.js';
import { listLoader, rowLoader } from '../../core/loaders.js';
import { adminKeysBackingUpMessages, adminKeyStatsByIds } from './recovery.repo.js';
import { findMissingKeysForLostAccounts } from '../messages/message-keys.repo.js';

/** At most this many missing keys are listed per lost account (one more tells there are more). */
export const MISSING_KEYS_MAX = 100;

export const createRecoveryLoaders = (db: Database) => ({
  adminKeyStatsById: rowLoader((ids: readonly string[]) => adminKeyStatsByIds(db, ids), (s) => s.adminKeyId),
  missingKeysByLostAccountId: listLoader((ids: readonly string[]) => findMissingKeysForLostAccounts(db, ids, MISSING_KEYS_MAX + 1), (r) => r.lostAccountId),
  recoveringAdminKeysByMessageId: listLoader((ids: readonly string[]) => adminKeysBackingUpMessages(db, ids), (r) => r.messageId),
});
