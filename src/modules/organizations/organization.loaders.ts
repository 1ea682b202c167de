// Batched loads for organizations: by id, children, ancestors, and membership pages (the
// first N members of each organization in one statement, users included).
import DataLoader from 'dataloader';
import type { Role } from '../../core/auth/policy.js';
import type { Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { listLoader, loaderFamily, pageKey, printedOnce, rowLoader } from '../../core/loaders.js';
import {
  countMembershipsByOrganizationIds,
  findAncestorsByIds,
  findChildrenByParentIds,
  findMembershipPagesByOrganizationIds,
  findMembershipsByIds,
  findMembershipsByUserIds,
  findOrganizationMembershipsByOrganizationIds,
  findOrganizationsByIds,
  type MemberSelection,
  type MemberUserRow,
  type MembershipWithUser,
  type OrganizationRow,
} from './organization.repo.js';

export function createOrganizationLoaders(
  db: Database,
  /**
   * Lets the membership loader hand the user rows it read whole to the user loaders: a partial
   * row must never be cached as the user.
   */
  prime: (userId: string, user: MemberUserRow) => void,
) {
  return {
    organizationById: rowLoader((ids: readonly string[]) => findOrganizationsByIds(db, ids), (o) => o.id),
    childrenByParentId: listLoader((ids: readonly string[]) => findChildrenByParentIds(db, ids), (o) => o.parentId!),
    ancestorsById: new DataLoader<string, OrganizationRow[]>(async (ids) => {
      const rows = await findAncestorsByIds(db, ids);
      return ids.map((id) =>
        rows
          .filter((r) => r.organizationId === id)
          .sort((a, b) => a.depth - b.depth)
          .map((r) => r.ancestor),
      );
    }),
    organizationMembershipsByOrganizationId: listLoader((ids: readonly string[]) => findOrganizationMembershipsByOrganizationIds(db, ids), (m) => m.organizationId),
    membershipById: rowLoader((ids: readonly string[]) => findMembershipsByIds(db, ids), (m) => m.id),
    membershipsByUserId: listLoader((ids: readonly string[]) => findMembershipsByUserIds(db, ids), (m) => m.userId),
    membershipPage: loaderFamily(
      (args: { role: Role | null; page: PageRequest; select: MemberSelection }) =>
        new DataLoader<string, MembershipWithUser[]>(async (orgIds) => {
          const rows = await findMembershipPagesByOrganizationIds(db, orgIds, args);
          const byOrg = new Map<string, MembershipWithUser[]>();
          for (const r of rows) {
            // A whole row (no columns named) always has its id.
            if (!args.select.userColumns) prime(r.user.id!, r.user as MemberUserRow);
            const list = byOrg.get(r.membership.organizationId);
            if (list) list.push(r);
            else byOrg.set(r.membership.organizationId, [r]);
          }
          return orgIds.map((id) => byOrg.get(id) ?? []);
        }),
      // `select` comes from memberSelection (organization.resolver.ts): one object per field of a document.
      (args) => `${args.role}|${pageKey(args.page)}|${printedOnce(args.select)}`,
    ),
    membershipCount: loaderFamily(
      (role: Role | null) =>
        new DataLoader<string, number>(async (orgIds) => {
          const counts = await countMembershipsByOrganizationIds(db, orgIds, role);
          return orgIds.map((id) => counts.get(id) ?? 0);
        }),
    ),
  };
}
