// End-to-end-encrypted messages (the server only sees metadata) and per-recipient access.
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id, tstz } from './common.js';
import { organizations } from './organizations.js';
import { users } from './users.js';

export const messages = pgTable(
  'messages',
  {
    id: id(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The tenant the message was created in (null: outside any organization).
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    allowDownload: boolean('allow_download').notNull().default(true),
    selfDestructAt: tstz('self_destruct_at'),
    isService: boolean('is_service').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('messages_owner_idx').on(t.ownerId, t.createdAt, t.id), index('messages_organization_idx').on(t.organizationId)],
);

export const messageAccesses = pgTable(
  'message_accesses',
  {
    id: id(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    // A user recipient, or an external one known by email only.
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    email: text('email'),
    addedById: uuid('added_by_id').references(() => users.id, { onDelete: 'set null' }),
    // Through which groups the access was granted (Seald's path of ids).
    path: jsonb('path').$type<string[]>().notNull().default([]),
    readFirstAt: tstz('read_first_at'),
    readLastAt: tstz('read_last_at'),
    readCount: integer('read_count').notNull().default(0),
    revoked: boolean('revoked').notNull().default(false),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('message_accesses_message_idx').on(t.messageId, t.createdAt, t.id),
    index('message_accesses_user_idx').on(t.userId, t.createdAt),
    uniqueIndex('message_accesses_message_user_key').on(t.messageId, t.userId).where(sql`${t.userId} IS NOT NULL`),
    uniqueIndex('message_accesses_message_email_key').on(t.messageId, sql`lower(${t.email})`).where(sql`${t.email} IS NOT NULL`),
  ],
);
