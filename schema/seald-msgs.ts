// Seald part 2, the key material around messages and account recovery (issue 24): per-device
// encrypted message keys, entrusted message keys (recipients outside the team), a team's backup
// admin keys, users' encrypted backup keys and lost-account recoveries. Every key column holds
// base64 the client encrypted: the server stores it as given and can decrypt none of it.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';
import { messages } from './messages.js';
import { organizations } from './organizations.js';
import { devices, users } from './users.js';

/** One device's encrypted copy of a message key (Seald's "token"); one per (message, device). */
export const messageKeys = pgTable(
  'message_keys',
  {
    id: id(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    // The device's user, kept so "the keys of a user" needs no join and a revoked access hides them.
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    encryptedKey: text('encrypted_key').notNull(),
    createdForKeyHash: text('created_for_key_hash'),
    addedById: uuid('added_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('message_keys_message_device_key').on(t.messageId, t.deviceId), index('message_keys_user_idx').on(t.userId, t.messageId)],
);

/** A message key entrusted for a recipient outside the team (an email, a phone, …), until they join. */
export const entrustedMessageKeys = pgTable(
  'entrusted_message_keys',
  {
    id: id(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    createdForType: text('created_for_type').notNull(),
    createdForValue: text('created_for_value').notNull(),
    messageKey: text('message_key').notNull(),
    additionalFactor: jsonb('additional_factor').$type<Record<string, unknown>>(),
    // The user the entrusted key was converted for, once the recipient joined.
    convertedForId: uuid('converted_for_id').references(() => users.id, { onDelete: 'set null' }),
    addedById: uuid('added_by_id').references(() => users.id, { onDelete: 'set null' }),
    readFirstAt: tstz('read_first_at'),
    readLastAt: tstz('read_last_at'),
    readCount: integer('read_count').notNull().default(0),
    replies: jsonb('replies').$type<string[]>().notNull().default([]),
    revoked: boolean('revoked').notNull().default(false),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('entrusted_message_keys_message_idx').on(t.messageId, t.createdAt, t.id),
    uniqueIndex('entrusted_message_keys_recipient_key').on(t.messageId, t.createdForType, sql`lower(${t.createdForValue})`),
  ],
);

/** A team's backup admin key: its public key, and its private key encrypted by the team's admins. */
export const adminKeys = pgTable(
  'admin_keys',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    encryptedAdminKey: text('encrypted_admin_key').notNull(),
    publicAdminKey: text('public_admin_key').notNull(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('admin_keys_organization_idx').on(t.organizationId, t.createdAt, t.id)],
);

/** A user's private keys encrypted for one admin key of their team; one per (admin key, user). */
export const encryptedBackupKeys = pgTable(
  'encrypted_backup_keys',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    adminKeyId: uuid('admin_key_id')
      .notNull()
      .references(() => adminKeys.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The device whose keys are backed up (its message keys can be recovered with this backup).
    deviceId: uuid('device_id').references(() => devices.id, { onDelete: 'set null' }),
    encryptedBackupKey: text('encrypted_backup_key').notNull(),
    transactionData: jsonb('transaction_data').$type<Record<string, unknown>>(),
    renewedAt: tstz('renewed_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('encrypted_backup_keys_admin_user_key').on(t.adminKeyId, t.userId), index('encrypted_backup_keys_organization_idx').on(t.organizationId, t.userId)],
);

/** A recovery of a user who lost every device (states: src/modules/recovery/lost-account.states.ts). */
export const lostAccounts = pgTable(
  'lost_accounts',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    deviceName: text('device_name').notNull(),
    state: smallint('state').notNull().default(0),
    // The new device's public keys, generated by the user's new installation.
    encryptionPublicKey: text('encryption_public_key').notNull(),
    signingPublicKey: text('signing_public_key').notNull(),
    createdDeviceId: uuid('created_device_id').references(() => devices.id, { onDelete: 'set null' }),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    index('lost_accounts_organization_idx').on(t.organizationId, t.createdAt, t.id),
    index('lost_accounts_user_idx').on(t.userId),
    // At most one open recovery (states 0–3) per user and team, even under concurrent requests.
    uniqueIndex('lost_accounts_open_key').on(t.organizationId, t.userId).where(sql`${t.state} <= 3`),
  ],
);
