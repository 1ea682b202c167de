// What Itsyouonline users own beyond contacts and public keys: labelled profile entries
// (postal addresses, bank accounts, digital-wallet addresses), and the authorizations they
// grant organizations to read parts of them. Emails and phones are the
// users' contacts (schema/users.ts), labelled public keys the labelled public_keys rows.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';
import { organizations } from './organizations.js';
import { users } from './users.js';

export const profileEntryKind = pgEnum('profile_entry_kind', ['address', 'bank_account', 'digital_wallet']);

export const profileEntries = pgTable(
  'profile_entries',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: profileEntryKind('kind').notNull(),
    label: text('label').notNull(),
    // The entry's fields as the kind defines them (profile.service.ts checks them on every
    // write): address {street, nr, city, postalcode, country, other}, bank account {iban, bic,
    // country}, wallet address {address, currencysymbol, expire, noexpiration}.
    data: jsonb('data').$type<Record<string, string | boolean | null>>().notNull(),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    // A label names one entry of a kind per user (Itsyouonline: "Label is already used" → 409).
    uniqueIndex('profile_entries_user_kind_label_key').on(t.userId, t.kind, t.label),
    index('profile_entries_user_id_idx').on(t.userId, t.createdAt),
  ],
);

/** Label maps of a grant: the user's real label → the label the organization asked for. */
export interface AuthorizationLabelMap {
  requestedlabel: string;
  reallabel: string;
}

/** What a user lets one organization read (authorization.service.ts decides from it). */
export interface AuthorizationGrants {
  name: boolean;
  emailaddresses: AuthorizationLabelMap[];
  phonenumbers: AuthorizationLabelMap[];
  addresses: AuthorizationLabelMap[];
  bankaccounts: AuthorizationLabelMap[];
  publicKeys: AuthorizationLabelMap[];
  digitalwallet: AuthorizationLabelMap[];
  facebook: boolean;
  github: boolean;
  /** Slugs of organizations whose membership of the user the grantee may see. */
  organizations: string[];
}

export const authorizations = pgTable(
  'authorizations',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The grantee; the grant goes with it.
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    grants: jsonb('grants').$type<AuthorizationGrants>().notNull(),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [uniqueIndex('authorizations_user_organization_key').on(t.userId, t.organizationId), index('authorizations_organization_id_idx').on(t.organizationId)],
);

export const userRegistryEntries = pgTable(
  'user_registry_entries',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: text('value').notNull(),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  // A key names one entry per user (writing it again overwrites it).
  (t) => [uniqueIndex('user_registry_entries_user_key_key').on(t.userId, t.key)],
);

/** A contract between parties (Itsyouonline), named by the id computed from its content. */
export const contracts = pgTable(
  'contracts',
  {
    id: id(),
    // base58check(RIPEMD-160(SHA-256(canonical JSON without id and signatures))): contract.service.ts.
    contractId: text('contract_id').notNull(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    parties: jsonb('parties').$type<{ type: string; name: string }[]>().notNull(),
    // The users among the parties (type "user"), resolved when the contract is made: whose list shows it.
    partyUserIds: uuid('party_user_ids').array().notNull(),
    // The organizations among the parties (type "organization"), resolved the same way: whose organization list shows it.
    partyOrganizationIds: uuid('party_organization_ids').array().notNull().default(sql`'{}'::uuid[]`),
    content: text('content').notNull(),
    contractType: text('contract_type').notNull(),
    invalidates: jsonb('invalidates').$type<string[]>().notNull(),
    extends: jsonb('extends').$type<string[]>().notNull(),
    expires: tstz('expires').notNull(),
    signatures: jsonb('signatures').$type<{ signedBy: string; date: string; publicKey: string; signature: string }[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contracts_contract_id_key').on(t.contractId),
    index('contracts_created_at_idx').on(t.createdAt),
    // An organization's page of contracts looks its id up in this array (contract.repo.ts).
    index('contracts_party_organization_ids_idx').using('gin', t.partyOrganizationIds),
  ],
);

/** A user's avatars by label: a link, or an uploaded image stored here and served by its hash. */
export const avatars = pgTable(
  'avatars',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    // A link (http/https) for linked avatars; null for stored images (their URL is built from fileHash).
    source: text('source'),
    // sha256 (hex) of the stored image's bytes, its content type and the bytes (base64).
    fileHash: text('file_hash'),
    contentType: text('content_type'),
    dataBase64: text('data_base64'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [uniqueIndex('avatars_user_label_key').on(t.userId, t.label), index('avatars_file_hash_idx').on(t.fileHash)],
);

/** Keys an organization keeps in a user's keystore (each organization sees only its own). */
export const keystoreKeys = pgTable(
  'keystore_keys',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The accessing organization that wrote it.
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    key: text('key').notNull(),
    keyData: jsonb('key_data').$type<Record<string, unknown>>().notNull(),
    comment: text('comment'),
    algorithm: text('algorithm').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('keystore_keys_user_org_label_key').on(t.userId, t.organizationId, t.label)],
);

/** A "see" document an organization keeps about a user, by the organization's unique id; its content is versioned. */
export const seeDocuments = pgTable(
  'see_documents',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    uniqueId: text('unique_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('see_documents_user_org_unique_key').on(t.userId, t.organizationId, t.uniqueId),
    // User.seeDocuments pages: a user's documents by id (newest first), straight off the index.
    index('see_documents_user_id_idx').on(t.userId, t.id),
  ],
);

/** One version of a see document (a change adds a version; signing fills in a version's signature). */
export const seeVersions = pgTable(
  'see_versions',
  {
    id: id(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => seeDocuments.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    // The version's fields as documented (category, link, content_type, descriptions, dates,
    // keystore_label, signature); see.ts checks them and their size.
    content: jsonb('content').$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('see_versions_document_version_key').on(t.documentId, t.version)],
);
