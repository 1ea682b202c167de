// Batched loads of the groups module, one query per batch: groups by id, the first N groups of
// each organization (top-N-per-parent), members of each group (users joined), a user's groups.
import DataLoader from 'dataloader';
import type { Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { listLoader, loaderFamily, pageKey, printedOnce, rowLoader } from '../../core/loaders.js';
import {
  countGroupsByOrganizationIds,
  findGroupMembersByGroupIds,
  findGroupPagesByOrganizationIds,
  findGroupsByIds,
  findGroupsByMemberUserIds,
  type GroupRow,
  type PageGroupRow,
} from './group.repo.js';

export const createGroupsLoaders = (db: Database) => ({
  groupById: rowLoader((ids: readonly string[]) => findGroupsByIds(db, ids), (g) => g.id),
  groupPage: loaderFamily(
    ({ page, columns }: { page: PageRequest; columns: readonly (keyof GroupRow)[] | null }) =>
      new DataLoader<string, PageGroupRow[]>(async (orgIds) => {
        const rows = await findGroupPagesByOrganizationIds(db, orgIds, page, columns);
        const byOrg = new Map<string, PageGroupRow[]>();
        for (const g of rows) {
          const list = byOrg.get(g.organizationId);
          if (list) list.push(g);
          else byOrg.set(g.organizationId, [g]);
        }
        return orgIds.map((id) => byOrg.get(id) ?? []);
      }),
    // `columns` comes from groupColumnsFor: one frozen list per selection.
    ({ page, columns }) => `${pageKey(page)}|${printedOnce(columns)}`,
  ),
  groupCountByOrganizationId: new DataLoader<string, number>(async (orgIds) => {
    const counts = await countGroupsByOrganizationIds(db, orgIds);
    return orgIds.map((id) => counts.get(id) ?? 0);
  }),
  /** Members with their user rows; the service primes the user loader with them. */
  groupMembersByGroupId: listLoader((ids: readonly string[]) => findGroupMembersByGroupIds(db, ids), (m) => m.member.groupId),
  groupsByMemberUserId: listLoader((ids: readonly string[]) => findGroupsByMemberUserIds(db, ids), (r) => r.userId),
});
