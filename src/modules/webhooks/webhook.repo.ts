// SQL of webhooks and their deliveries (outbox rows of channel `webhook`). No permission checks.
import { and, eq, sql } from 'drizzle-orm';
import { outbox } from '../../../schema/outbox.js';
import { webhooks } from '../../../schema/webhooks.js';
import type { Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfter, keysetOrder, type Keyset } from '../../core/pagination.js';
import type { OutboxRow } from '../outbox/outbox.repo.js';

export type WebhookRow = typeof webhooks.$inferSelect;
export type NewWebhook = typeof webhooks.$inferInsert;

export async function insertWebhook(db: Database, values: NewWebhook): Promise<WebhookRow> {
  const [row] = await db.insert(webhooks).values(values).returning();
  return row!;
}

export async function findWebhook(db: Database, id: string): Promise<WebhookRow | null> {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  return row ?? null;
}

export const countWebhooksOf = async (db: Database, organizationId: string): Promise<number> =>
  Number((await db.select({ n: sql<number>`count(*)` }).from(webhooks).where(eq(webhooks.organizationId, organizationId)))[0]!.n);

export const listWebhooksOf = (db: Database, organizationId: string) =>
  db.select().from(webhooks).where(eq(webhooks.organizationId, organizationId)).orderBy(webhooks.createdAt, webhooks.id);

/** Updates one endpoint of one organization (the tenant match: a forged id of another organization changes nothing). */
export async function updateWebhook(db: Database, key: { id: string; organizationId: string }, values: Partial<NewWebhook>): Promise<WebhookRow | null> {
  const [row] = await db
    .update(webhooks)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(webhooks.id, key.id), eq(webhooks.organizationId, key.organizationId)))
    .returning();
  return row ?? null;
}

export async function deleteWebhook(db: Database, key: { id: string; organizationId: string }): Promise<boolean> {
  const rows = await db.delete(webhooks).where(and(eq(webhooks.id, key.id), eq(webhooks.organizationId, key.organizationId))).returning({ id: webhooks.id });
  return rows.length > 0;
}

/** A delivery given up on: one more in a row; returns the count now. */
export async function countGivenUpDelivery(db: Database, id: string): Promise<WebhookRow | null> {
  const [row] = await db.update(webhooks).set({ consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1` }).where(eq(webhooks.id, id)).returning();
  return row ?? null;
}

export async function resetFailures(db: Database, id: string): Promise<void> {
  await db.update(webhooks).set({ consecutiveFailures: 0 }).where(and(eq(webhooks.id, id), sql`${webhooks.consecutiveFailures} <> 0`));
}

export const DELIVERY_KEYSET: Keyset = { columns: [outbox.createdAt, outbox.id], direction: 'desc' };

/** An endpoint's deliveries, most recent first; `key` is created_at as PostgreSQL's text (microseconds, for cursors). */
export function listDeliveries(db: Database, webhookId: string, page: PageRequest): Promise<{ row: OutboxRow; key: string }[]> {
  return db
    .select({ row: outbox, key: sql<string>`${outbox.createdAt}::text` })
    .from(outbox)
    .where(and(eq(outbox.webhookId, webhookId), keysetAfter(DELIVERY_KEYSET, page)))
    .orderBy(...keysetOrder(DELIVERY_KEYSET, page))
    .limit(page.size + 1);
}

export const countDeliveries = async (db: Database, webhookId: string): Promise<number> =>
  Number((await db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.webhookId, webhookId)))[0]!.n);
