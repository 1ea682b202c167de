// Webhooks: endpoints an organization's admins register to hear of its events. Deliveries are
// outbox rows (channel `webhook`), written by the event log's trigger in the transaction of the
// change itself (migration 0013), so none is lost and none is sent for a rolled-back change.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';
import { organizations } from './organizations.js';
import { users } from './users.js';

export const webhooks = pgTable(
  'webhooks',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /**
     * The HMAC-SHA256 key deliveries are signed with. The receiver checks signatures with it, so
     * the server must be able to use it again: kept as given (shown once to the admin who made it).
     */
    secret: text('secret').notNull(),
    /** The actions to deliver; empty: every action. */
    actions: text('actions').array().notNull().default(sql`'{}'::text[]`),
    enabled: boolean('enabled').notNull().default(true),
    /** Deliveries given up on in a row (reset by a delivered one); at the limit the endpoint is disabled. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    disabledReason: text('disabled_reason'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [index('webhooks_organization_idx').on(t.organizationId), index('webhooks_enabled_idx').on(t.organizationId).where(sql`${t.enabled}`)],
);
