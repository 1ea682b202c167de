// SQL for the outbox of outgoing email and SMS.
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { outbox } from '../../../schema/outbox.js';
import type { Database } from '../../core/db.js';
import { findRowsByIds } from '../../core/json-rows.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfter, keysetOrder, type Keyset } from '../../core/pagination.js';

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

export type OutboxStatusValue = OutboxRow['status'];
export type OutboxChannelValue = OutboxRow['channel'];

export const findOutboxByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, outbox, ids);

// Operators read newest first; ids are uuid v7 (creation order, exact in a cursor).
const OUTBOX_KEYSET: Keyset = { columns: [outbox.id], direction: 'desc' };

export async function listOutbox(db: Database, filter: { status?: OutboxStatusValue | null }, page: PageRequest): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(and(filter.status ? eq(outbox.status, filter.status) : undefined, keysetAfter(OUTBOX_KEYSET, page)))
    .orderBy(...keysetOrder(OUTBOX_KEYSET, page))
    .limit(page.size + 1);
}

export async function countOutbox(db: Database, filter: { status?: OutboxStatusValue | null }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(outbox)
    .where(filter.status ? eq(outbox.status, filter.status) : undefined);
  return Number(row!.n);
}

/**
 * Pending rows due for a delivery attempt, oldest first, on the channels a worker can send.
 * With `lock`, the rows are locked FOR UPDATE SKIP LOCKED (call inside a transaction): two
 * workers on one PostgreSQL server never take the same row. Retries back off without a
 * column of their own: attempt k+1 is due `retryBaseMs * (4^k - 1)` after creation
 * (0, 3, 15, 63 … × base).
 */
export async function findDueOutbox(
  db: Database,
  opts: { limit: number; channels: OutboxChannelValue[]; retryBaseMs: number; lock: boolean },
): Promise<OutboxRow[]> {
  if (opts.channels.length === 0) return [];
  const q = db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'pending'),
        inArray(outbox.channel, opts.channels),
        sql`${outbox.createdAt} + make_interval(secs => ${opts.retryBaseMs / 1000}::float8 * (power(4, ${outbox.attempts}) - 1)) <= now()`,
      ),
    )
    .orderBy(asc(outbox.createdAt), asc(outbox.id))
    .limit(opts.limit);
  return opts.lock ? q.for('update', { skipLocked: true }) : q;
}

/** Marks one delivered row sent, counting the attempt that delivered it. */
export async function markOutboxDelivered(db: Database, id: string, at: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', sentAt: at, attempts: sql`${outbox.attempts} + 1`, lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')));
}
