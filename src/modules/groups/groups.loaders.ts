// Batched loads of the groups module, one query per batch: groups by id, the first N groups of
// each organization (top-N-per-parent), members of each group (users joined), a user's groups.
import DataLoader from 'dataloader';
import type { Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { listLoader, loaderFamily, pageKey, rowLoader } from '../../core/loaders.js';
import { readGroupPages, type GroupPagePlan, type GroupRead } from './group.read.js';
import {
  countGroupsByOrganizationIds,
  findGroupMembersByGroupIds,
  findGroupsByIds,
  findGroupsByMemberUserIds,
} from './group.repo.js';

export function createGroupsLoaders(db: Database) {
  const groupById = rowLoader((ids: readonly string[]) => findGroupsByIds(db, ids), (g) => g.id);
  return {
  groupById,
  groupPage: loaderFamily(
    ({ page, plan }: { page: PageRequest; plan: GroupPagePlan }) =>
      new DataLoader<string, GroupRead[]>(async (orgIds) => {
        const pages = await readGroupPages(db, orgIds, page, plan);
        // Whole rows (and only those) are the groups themselves: the by-id loader may keep them.
        if (pages.whole) for (const g of pages.rows) groupById.prime(g.id, g);
        const byOrg = new Map<string, GroupRead[]>();
        for (const g of pages.rows) {
          const list = byOrg.get(g.organizationId);
          if (list) list.push(g);
          else byOrg.set(g.organizationId, [g]);
        }
        return orgIds.map((id) => byOrg.get(id) ?? []);
      }),
    // The plan's key prints its content: equal plans share a loader whatever object holds them.
    ({ page, plan }) => `${pageKey(page)}|${plan.key}`,
  ),
  groupCountByOrganizationId: new DataLoader<string, number>(async (orgIds) => {
    const counts = await countGroupsByOrganizationIds(db, orgIds);
    return orgIds.map((id) => counts.get(id) ?? 0);
  }),
  /** Members with their user rows; the service primes the user loader with them. */
  groupMembersByGroupId: listLoader((ids: readonly string[]) => findGroupMembersByGroupIds(db, ids), (m) => m.member.groupId),
  groupsByMemberUserId: listLoader((ids: readonly string[]) => findGroupsByMemberUserIds(db, ids), (r) => r.userId),
  };
}
