// SQL of users' registries (key → value, one entry per user and key).
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { userRegistryEntries } from '../../../schema/index.js';
import type { Database } from '../../core/db.js';

export type RegistryEntryRow = typeof userRegistryEntries.$inferSelect;

export const findRegistryEntriesByUserIds = (db: Database, userIds: readonly string[]) =>
  db
    .select()
    .from(userRegistryEntries)
    .where(inArray(userRegistryEntries.userId, [...userIds]))
    .orderBy(asc(userRegistryEntries.key), asc(userRegistryEntries.id));

export async function countRegistryEntries(db: Database, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(userRegistryEntries).where(eq(userRegistryEntries.userId, userId));
  return Number(row!.n);
}

/** Writes the entry, overwriting the value of an existing key. */
export async function upsertRegistryEntry(db: Database, userId: string, key: string, value: string): Promise<RegistryEntryRow> {
  const [row] = await db
    .insert(userRegistryEntries)
    .values({ userId, key, value })
    .onConflictDoUpdate({ target: [userRegistryEntries.userId, userRegistryEntries.key], set: { value, updatedAt: new Date() } })
    .returning();
  return row!;
}

export async function deleteRegistryEntry(db: Database, userId: string, key: string): Promise<boolean> {
  const rows = await db
    .delete(userRegistryEntries)
    .where(and(eq(userRegistryEntries.userId, userId), eq(userRegistryEntries.key, key)))
    .returning({ id: userRegistryEntries.id });
  return rows.length > 0;
}
