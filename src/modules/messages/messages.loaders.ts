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

export const createMessagesLoaders = (db: Database) => ({
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
