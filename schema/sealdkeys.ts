// Seald part 2, devices and groups (issue 24): a group's earlier key sets (a renewal keeps the
// old ones, so messages encrypted for them stay readable to members) and a group's signature
// chain. A user's sigchain is `sigchain_transactions` (dashboard.ts).
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';
import { groups } from './groups.js';
import { organizations } from './organizations.js';

/**
 * A key set a group had before a renewal, by generation (1 = the keys the group was created
 * with). The current keys stay on the group's row (`groups.key_generation` says which
 * generation they are); this table only ever receives the replaced ones.
 */
export const groupKeySets = pgTable(
  'group_key_sets',
  {
    id: id(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    // The tenant, kept on the row so every read and write can match it (core/auth/tenant.ts).
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull(),
    encryptionPublicKey: text('encryption_public_key'),
    signingPublicKey: text('signing_public_key'),
    encryptedEncryptionPrivateKey: text('encrypted_encryption_private_key'),
    encryptedSigningPrivateKey: text('encrypted_signing_private_key'),
    createdAt: createdAt(),
    replacedAt: tstz('replaced_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('group_key_sets_group_generation_key').on(t.groupId, t.generation)],
);

/** A group's signature-chain transactions (Seald's group sigchain), in chain order. */
export const groupSigchainTransactions = pgTable(
  'group_sigchain_transactions',
  {
    id: id(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    transaction: jsonb('transaction').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('group_sigchain_transactions_group_position_key').on(t.groupId, t.position), index('group_sigchain_transactions_created_idx').on(t.groupId, t.createdAt)],
);
