// Batched loads of the messages module, one query per batch: messages by id with their owners
// joined (the service primes the user loader with them), accesses of each message, and the
// first N owned / received messages of each user. Pages take the caller's visibility scope as
// an argument: it is fixed for the request, so it batches like the page size does.
import DataLoader from 'dataloader';
import type { Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { listLoader, loaderFamily, rowLoader } from '../../core/loaders.js';
import type { TenantScope } from '../../core/auth/tenant.js';
import { findAccessesByMessageIds, findMessagePagesByUserIds, findMessagesWithOwnersByIds, type MessageWithOwner } from './message.repo.js';
import { accessStats, countEntrustedByMessageIds, findAccessPages, findEntrustedPages, findReadableKeys } from './message-keys.repo.js';

export const createMessagesLoaders = (db: Database) => ({
  /** Per message: accesses, revoked ones and reads (null: no access at all). */
  accessStatsByMessageId: rowLoader((ids: readonly string[]) => accessStats(db, ids), (s) => s.messageId),
  /** Per message: one page (limit, offset) of its accesses / entrusted keys, and how many entrusted keys it has. */
  accessPageByMessageId: loaderFamily(
    (args: { limit: number; offset: number }) => listLoader((ids: readonly string[]) => findAccessPages(db, ids, args.limit, args.offset), (a) => a.messageId),
    (args) => `${args.limit}:${args.offset}`,
  ),
  entrustedPageByMessageId: loaderFamily(
    (args: { limit: number; offset: number }) => listLoader((ids: readonly string[]) => findEntrustedPages(db, ids, args.limit, args.offset), (k) => k.messageId),
    (args) => `${args.limit}:${args.offset}`,
  ),
  entrustedCountByMessageId: rowLoader((ids: readonly string[]) => countEntrustedByMessageIds(db, ids), (c) => c.messageId),
  /** Per message: the keys of one user's devices that user may read (by user: the caller). */
  readableKeysByMessageId: loaderFamily(
    (args: { userId: string }) => listLoader((ids: readonly string[]) => findReadableKeys(db, args.userId, ids), (k) => k.messageId),
    (args) => args.userId,
  ),
  messageById: rowLoader((ids: readonly string[]) => findMessagesWithOwnersByIds(db, ids), (m) => m.message.id),
  accessesByMessageId: listLoader((ids: readonly string[]) => findAccessesByMessageIds(db, ids), (a) => a.access.messageId),
  messagePageByUserId: loaderFamily(
    (args: { relation: 'owned' | 'received'; scope: TenantScope; page: PageRequest }) =>
      new DataLoader<string, MessageWithOwner[]>(async (userIds) => {
        const rows = await findMessagePagesByUserIds(db, args.relation, userIds, args.scope, args.page);
        const byUser = new Map<string, MessageWithOwner[]>();
        for (const r of rows) {
          const list = byUser.get(r.parentId);
          if (list) list.push(r);
          else byUser.set(r.parentId, [r]);
        }
        return userIds.map((id) => byUser.get(id) ?? []);
      }),
  ),
});
