// Outgoing email and SMS, written in the same transaction as the change that causes them and
// delivered by a worker afterwards: a request that dies mid-way loses nothing.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';
import { organizations } from './organizations.js';
import { webhooks } from './webhooks.js';

export const outboxChannel = pgEnum('outbox_channel', ['email', 'sms', 'webhook']);
export const outboxStatus = pgEnum('outbox_status', ['pending', 'sent', 'failed']);

export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    channel: outboxChannel('channel').notNull(),
    // invitation, email_validation, phone_validation, password_reset
    template: text('template').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    /** A webhook delivery's endpoint (channel `webhook`): its delivery log; deleted with it. */
    webhookId: uuid('webhook_id').references(() => webhooks.id, { onDelete: 'cascade' }),
    status: outboxStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [index('outbox_pending_idx').on(t.status, t.createdAt), index('outbox_webhook_idx').on(t.webhookId, t.createdAt).where(sql`${t.webhookId} is not null`)],
);
