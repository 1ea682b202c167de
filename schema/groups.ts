// Groups inside an organization: members with an admin flag, and the group's key material as
// the Seald API documents it (public keys, encrypted private keys, per-device message keys).
import { boolean, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './common.js';
import { organizations } from './organizations.js';
import { devices, users } from './users.js';

export const groups = pgTable(
  'groups',
  {
    id: id(),
    // The accounts API's integer group ids.
    databaseId: integer('database_id').generatedAlwaysAsIdentity().notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    encryptionPublicKey: text('encryption_public_key'),
    signingPublicKey: text('signing_public_key'),
    encryptedEncryptionPrivateKey: text('encrypted_encryption_private_key'),
    encryptedSigningPrivateKey: text('encrypted_signing_private_key'),
    // Which generation the key columns above are (1 at creation, +1 per renewal; the replaced
    // sets are in group_key_sets, schema/sealdkeys.ts).
    keyGeneration: integer('key_generation').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('groups_database_id_key').on(t.databaseId), index('groups_organization_idx').on(t.organizationId, t.name, t.id)],
);

export const groupMembers = pgTable(
  'group_members',
  {
    id: id(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    isAdmin: boolean('is_admin').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('group_members_group_user_key').on(t.groupId, t.userId), index('group_members_user_idx').on(t.userId)],
);

/** The group's message key, encrypted for one member device (Seald's message_keys). */
export const groupMessageKeys = pgTable(
  'group_message_keys',
  {
    id: id(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    createdForDeviceId: uuid('created_for_device_id').references(() => devices.id, { onDelete: 'cascade' }),
    createdForKeyHash: text('created_for_key_hash'),
    encryptedMessageKey: text('encrypted_message_key').notNull(),
    // The group key generation this copy is of (groups.key_generation when it was stored):
    // copies of replaced generations stay, for the messages encrypted under them.
    generation: integer('generation').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index('group_message_keys_group_idx').on(t.groupId), index('group_message_keys_device_idx').on(t.createdForDeviceId)],
);
