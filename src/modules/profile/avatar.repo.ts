// SQL of avatars: a user's by label, stored images by hash.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { avatars } from '../../../schema/index.js';
import type { Database } from '../../core/db.js';

export type AvatarRow = typeof avatars.$inferSelect;
/** An avatar without its image bytes (what lists read). */
export type AvatarListRow = Omit<AvatarRow, 'dataBase64'>;

const listColumns = {
  id: avatars.id,
  userId: avatars.userId,
  label: avatars.label,
  source: avatars.source,
  fileHash: avatars.fileHash,
  contentType: avatars.contentType,
  createdAt: avatars.createdAt,
  updatedAt: avatars.updatedAt,
};

export const findAvatarsByUserIds = (db: Database, userIds: readonly string[]): Promise<AvatarListRow[]> =>
  db
    .select(listColumns)
    .from(avatars)
    .where(inArray(avatars.userId, [...userIds]))
    .orderBy(asc(avatars.createdAt), asc(avatars.id));

/** A stored image by its hash (any avatar holding it: the bytes are the same). */
export async function findAvatarFileByHash(db: Database, hash: string): Promise<{ contentType: string | null; dataBase64: string | null } | undefined> {
  const [row] = await db.select({ contentType: avatars.contentType, dataBase64: avatars.dataBase64 }).from(avatars).where(eq(avatars.fileHash, hash)).limit(1);
  return row;
}

export async function insertAvatar(db: Database, values: typeof avatars.$inferInsert): Promise<void> {
  await db.insert(avatars).values(values);
}

export async function updateAvatar(db: Database, userId: string, id: string, values: Partial<typeof avatars.$inferInsert>): Promise<void> {
  await db
    .update(avatars)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(avatars.id, id), eq(avatars.userId, userId)));
}

export async function deleteAvatar(db: Database, userId: string, id: string): Promise<void> {
  await db.delete(avatars).where(and(eq(avatars.id, id), eq(avatars.userId, userId)));
}
