// SQL for the outbox of outgoing email and SMS.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { outbox } from '../../../schema/outbox.js';
import type { Database } from '../../core/db.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutbox = typeof outbox.$inferInsert;

export async function insertOutbox(db: Database, values: NewOutbox): Promise<OutboxRow> {
  const [row] = await db.insert(outbox).values(values).returning();
  return row!;
}

export const findPendingOutbox = (db: Database, limit: number) =>
  db.select().from(outbox).where(eq(outbox.status, 'pending')).orderBy(asc(outbox.createdAt), asc(outbox.id)).limit(limit);

export async function markOutboxSent(db: Database, ids: string[], at: Date): Promise<void> {
  if (ids.length) await db.update(outbox).set({ status: 'sent', sentAt: at }).where(and(inArray(outbox.id, ids), eq(outbox.status, 'pending')));
}

export async function markOutboxAttemptFailed(db: Database, id: string, error: string, maxAttempts: number): Promise<void> {
  await db
    .update(outbox)
    .set({
      attempts: sql`${outbox.attempts} + 1`,
      lastError: error.slice(0, 1000),
      status: sql`case when ${outbox.attempts} + 1 >= ${maxAttempts} then 'failed'::outbox_status else 'pending'::outbox_status end`,
    })
    .where(eq(outbox.id, id));
}
