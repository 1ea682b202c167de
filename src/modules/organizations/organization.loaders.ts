// Batched loads for organizations: by id, children, ancestors, and membership pages (the
// first N members of each organization in one statement, users included).
import DataLoader from 'dataloader';
import type { Role } from '../../core/auth/policy.js';
import type { Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { listLoader, loaderFamily, pageKey, rowLoader } from '../../core/loaders.js';
import type { UserRow } from '../users/user.repo.js';
import { MAX_TREE } from './iyo-orgs.limits.js';
import { readMembershipPages, type MemberPagePlan, type MemberRow } from './organization.read.js';
import {
  countMembershipsByOrganizationIds,
  findAncestorsByIds,
  findChildPagesByParentIds,
  findMembershipsByIds,
  findMembershipsByUserIds,
  findOrganizationMembershipsByOrganizationIds,
  findOrganizationsByIds,
  type ChildPage,
  type OrganizationRow,
} from './organization.repo.js';
import { findDnsNamesByOrganizationIds, findGrantsByOrganizationIds, findRequiredScopesByOrganizationIds, findSubtree, type SubtreeRow } from './iyo-orgs.repo.js';

export function createOrganizationLoaders(
  db: Database,
  /**
   * Lets the membership loader hand the user rows it read whole to the user loaders: a partial
   * row must never be cached as the user.
   */
  prime: (userId: string, user: UserRow) => void,
) {
  return {
    organizationById: rowLoader((ids: readonly string[]) => findOrganizationsByIds(db, ids), (o) => o.id),
    childPage: loaderFamily(
      (args: { page: PageRequest; count: boolean }) => new DataLoader<string, ChildPage>((parentIds) => findChildPagesByParentIds(db, parentIds, args.page, args.count)),
      (args) => `${pageKey(args.page)}|${args.count}`,
    ),
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
    // Itsyouonline's additions (iyo-orgs.repo.ts): one statement per batch of organizations.
    dnsNamesByOrganizationId: listLoader((ids: readonly string[]) => findDnsNamesByOrganizationIds(db, ids), (r) => r.organizationId),
    requiredScopesByOrganizationId: listLoader((ids: readonly string[]) => findRequiredScopesByOrganizationIds(db, ids), (r) => r.organizationId),
    grantsByOrganizationId: listLoader((ids: readonly string[]) => findGrantsByOrganizationIds(db, ids), (r) => r.organizationId),
    // A whole tree in one recursive statement per organization asked (a request asks for one).
    subtreeById: new DataLoader<string, SubtreeRow[]>((ids) => Promise.all(ids.map((id) => findSubtree(db, id, MAX_TREE)))),
    membershipById: rowLoader((ids: readonly string[]) => findMembershipsByIds(db, ids), (m) => m.id),
    membershipsByUserId: listLoader((ids: readonly string[]) => findMembershipsByUserIds(db, ids), (m) => m.userId),
    membershipPage: loaderFamily(
      (args: { role: Role | null; page: PageRequest; plan: MemberPagePlan }) =>
        new DataLoader<string, MemberRow[]>(async (orgIds) => {
          const pages = await readMembershipPages(db, orgIds, args);
          // Whole rows (and only those) are the users themselves: the user loader may keep them.
          if (pages.whole) for (const r of pages.rows) prime(r.user.id, r.user);
          const byOrg = new Map<string, MemberRow[]>();
          for (const r of pages.rows) {
            const list = byOrg.get(r.membership.organizationId);
            if (list) list.push(r);
            else byOrg.set(r.membership.organizationId, [r]);
          }
          return orgIds.map((id) => byOrg.get(id) ?? []);
        }),
      // The plan's key prints its content: equal plans share a loader whatever object holds them.
      (args) => `${args.role}|${pageKey(args.page)}|${args.plan.key}`,
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
