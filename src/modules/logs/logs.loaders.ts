// Batched loads of the logs module, one query per batch: the first N visible events of each
// user (as actor), message or organization. The caller's visibility scope is an argument of
// the family: it is fixed for the request, so it batches like the page size does.
import DataLoader from 'dataloader';
import type { Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { loaderFamily } from '../../core/loaders.js';
import type { TenantScope } from '../../core/auth/tenant.js';
import { findEventLogPagesByParentIds, type EventLogParent, type EventLogWithKey } from './event-log.repo.js';

export const createLogsLoaders = (db: Database) => ({
  eventLogPage: loaderFamily(
    (args: { parent: EventLogParent; scope: TenantScope; actionIn: string[] | null; page: PageRequest }) =>
      new DataLoader<string, EventLogWithKey[]>(async (ids) => {
        const rows = await findEventLogPagesByParentIds(db, args.parent, ids, args);
        const byParent = new Map<string, EventLogWithKey[]>();
        for (const r of rows) {
          const list = byParent.get(r.parentId);
          if (list) list.push(r);
          else byParent.set(r.parentId, [r]);
        }
        return ids.map((id) => byParent.get(id) ?? []);
      }),
  ),
});
