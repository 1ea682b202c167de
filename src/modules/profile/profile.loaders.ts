// Batched loads of labelled profile entries and authorizations: one statement per batch of users.
import type { Database } from '../../core/db.js';
import DataLoader from 'dataloader';
import { listLoader, loaderFamily, rowLoader } from '../../core/loaders.js';
import { findContractPagesOfOrganizations, findContractPagesOfUsers, type ContractPage, type ContractRow } from './contract.repo.js';
import { findApiKeysByOrganizationIds, findDescriptionsByOrganizationIds, findRegistryEntriesByOrganizationIds, findSettingsByOrganizationIds } from './org-extras.repo.js';
import { findAuthorizationsByUserIds } from './authorization.repo.js';
import { findAvatarsByUserIds } from './avatar.repo.js';
import { findProfileEntriesByUserIds } from './profile.repo.js';
import { findKeystoreKeysByUserIds } from './keystore.js';
import { findRegistryEntriesByUserIds } from './registry.repo.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { countSeeDocumentsByUserIds, findLatestSeeVersions, findSeeDocumentPagesByUserIds, findSeeVersionsByDocumentIds, type SeeFilter } from './see.js';

export const createProfileLoaders = (db: Database) => ({
  /** Addresses, bank accounts and wallet addresses of a user share one load. */
  profileEntriesByUserId: listLoader((ids: readonly string[]) => findProfileEntriesByUserIds(db, ids), (e) => e.userId),
  /** The grants each user gave organizations, with the grantees' slugs. */
  /** Avatars without their image bytes (those are read by hash, one at a time). */
  avatarsByUserId: listLoader((ids: readonly string[]) => findAvatarsByUserIds(db, ids), (a) => a.userId),
  keystoreKeysByUserId: listLoader((ids: readonly string[]) => findKeystoreKeysByUserIds(db, ids), (k) => k.userId),
  /** A page of see documents per user (rows only, no versions), one family member per page and filter. */
  seeDocumentPage: loaderFamily((args: { page: PageRequest; filter: SeeFilter }) => listLoader((ids: readonly string[]) => findSeeDocumentPagesByUserIds(db, ids, args.filter, args.page), (d) => d.userId)),
  seeDocumentCount: loaderFamily(
    (filter: SeeFilter) =>
      new DataLoader<string, number>(async (ids) => {
        const counts = await countSeeDocumentsByUserIds(db, ids, filter);
        return ids.map((id) => counts.get(id) ?? 0);
      }),
  ),
  /** The newest version of each see document of a page, and all versions (bounded per document). */
  latestSeeVersionByDocumentId: rowLoader((ids: readonly string[]) => findLatestSeeVersions(db, ids), (v) => v.documentId),
  seeVersionsByDocumentId: listLoader((ids: readonly string[]) => findSeeVersionsByDocumentIds(db, ids), (v) => v.documentId),
  /** A page of contracts per user, one family member per page shape (includeExpired, offset, limit). */
  contractPage: loaderFamily((page: ContractPage) => new DataLoader<string, ContractRow[]>((userIds) => findContractPagesOfUsers(db, userIds, page, new Date()))),
  registryEntriesByUserId: listLoader((ids: readonly string[]) => findRegistryEntriesByUserIds(db, ids), (e) => e.userId),
  authorizationsByUserId: listLoader((ids: readonly string[]) => findAuthorizationsByUserIds(db, ids), (a) => a.userId),
  // Itsyouonline organizations' own data: one statement per batch of organizations.
  apiKeysByOrganizationId: listLoader((ids: readonly string[]) => findApiKeysByOrganizationIds(db, ids), (k) => k.organizationId),
  registryEntriesByOrganizationId: listLoader((ids: readonly string[]) => findRegistryEntriesByOrganizationIds(db, ids), (e) => e.organizationId),
  descriptionsByOrganizationId: listLoader((ids: readonly string[]) => findDescriptionsByOrganizationIds(db, ids), (d) => d.organizationId),
  iyoSettingsByOrganizationId: rowLoader((ids: readonly string[]) => findSettingsByOrganizationIds(db, ids), (s) => s.organizationId),
  organizationContractPage: loaderFamily((page: ContractPage) => new DataLoader<string, ContractRow[]>((ids) => findContractPagesOfOrganizations(db, ids, page, new Date()))),
});
