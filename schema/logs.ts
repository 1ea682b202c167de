// Append-only logs: the event log (one row per mutation, written in the mutation's
// transaction) and the login log (one row per sign-in attempt).
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';
import { organizations } from './organizations.js';
import { messages } from './messages.js';
import { devices, users } from './users.js';

export const eventLogs = pgTable(
  'event_logs',
  {
    id: id(),
    occurredAt: tstz('occurred_at').notNull().defaultNow(),
    action: text('action').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    user2Id: uuid('user2_id').references(() => users.id, { onDelete: 'set null' }),
    deviceId: uuid('device_id').references(() => devices.id, { onDelete: 'set null' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    email: text('email'),
    ip: text('ip'),
    geo: jsonb('geo').$type<Record<string, unknown>>(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('event_logs_occurred_at_idx').on(t.occurredAt, t.id),
    // "Most recent events of one user" (and of one message) without a sort.
    index('event_logs_actor_idx').on(t.actorUserId, t.occurredAt, t.id),
    index('event_logs_message_idx').on(t.messageId, t.occurredAt),
    index('event_logs_organization_idx').on(t.organizationId),
    // The second user and the device: a user's own events (actor OR second user) are a bitmap OR
    // of two index scans instead of a scan of the whole log, and deleting a user or a device
    // (ON DELETE SET NULL) finds its events by index. Partial: most events have neither, and
    // `= $1` implies `is not null`, so both uses can take them.
    index('event_logs_user2_idx').on(t.user2Id).where(sql`${t.user2Id} is not null`),
    index('event_logs_device_idx').on(t.deviceId).where(sql`${t.deviceId} is not null`),
  ],
);

export const loginLogs = pgTable(
  'login_logs',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    success: boolean('success').notNull(),
    ip: text('ip'),
    deviceId: uuid('device_id').references(() => devices.id, { onDelete: 'set null' }),
    userAgent: text('user_agent'),
    location: text('location'),
    // Why an attempt failed (invalid_credentials, blocked, …); null on success.
    failureReason: text('failure_reason'),
    createdAt: createdAt(),
  },
  (t) => [index('login_logs_user_idx').on(t.userId, t.createdAt)],
);
