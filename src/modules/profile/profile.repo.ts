// SQL of labelled profile entries (addresses, bank accounts, digital-wallet addresses).
import { and, asc, eq, inArray } from 'drizzle-orm';
import { profileEntries } from '../../../schema/index.js';
import type { Database } from '../../core/db.js';

export type ProfileEntryRow = typeof profileEntries.$inferSelect;
export type ProfileEntryKind = ProfileEntryRow['kind'];

/** Every entry of each user, oldest first (one statement per batch of users). */
export const findProfileEntriesByUserIds = (db: Database, userIds: readonly string[]) =>
  db
    .select()
    .from(profileEntries)
    .where(inArray(profileEntries.userId, [...userIds]))
    .orderBy(asc(profileEntries.createdAt), asc(profileEntries.id));

export async function insertProfileEntry(db: Database, values: typeof profileEntries.$inferInsert): Promise<ProfileEntryRow> {
  const [row] = await db.insert(profileEntries).values(values).returning();
  return row!;
}

/** Changes the entry of this user (the owner is matched in SQL as well as by id). */
export async function updateProfileEntry(db: Database, userId: string, id: string, values: Partial<typeof profileEntries.$inferInsert>): Promise<ProfileEntryRow | undefined> {
  const [row] = await db
    .update(profileEntries)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(profileEntries.id, id), eq(profileEntries.userId, userId)))
    .returning();
  return row;
}

export async function deleteProfileEntry(db: Database, userId: string, id: string): Promise<void> {
  await db.delete(profileEntries).where(and(eq(profileEntries.id, id), eq(profileEntries.userId, userId)));
}
