// SQL for personal API tokens.
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { personalAccessTokens } from '../../../schema/auth.js';
import { users } from '../../../schema/users.js';
import type { Database } from '../../core/db.js';
import { findRowsByIds } from '../../core/json-rows.js';
import { USER_COLUMNS, type UserRow } from '../users/user.repo.js';

export type TokenRow = typeof personalAccessTokens.$inferSelect;

export async function insertToken(db: Database, values: typeof personalAccessTokens.$inferInsert): Promise<TokenRow> {
  const [row] = await db.insert(personalAccessTokens).values(values).returning();
  return row!;
}

export async function findTokenWithUserByHash(db: Database, tokenHash: string): Promise<{ token: TokenRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ token: personalAccessTokens, user: USER_COLUMNS })
    .from(personalAccessTokens)
    .innerJoin(users, eq(users.id, personalAccessTokens.userId))
    .where(eq(personalAccessTokens.tokenHash, tokenHash));
  return row;
}

export async function findTokenById(db: Database, id: string): Promise<TokenRow | undefined> {
  const [row] = await db.select().from(personalAccessTokens).where(eq(personalAccessTokens.id, id));
  return row;
}

export async function findTokenByHash(db: Database, tokenHash: string): Promise<TokenRow | undefined> {
  const [row] = await db.select().from(personalAccessTokens).where(eq(personalAccessTokens.tokenHash, tokenHash));
  return row;
}

export async function revokeToken(db: Database, id: string, at: Date): Promise<TokenRow | undefined> {
  const [row] = await db
    .update(personalAccessTokens)
    .set({ revokedAt: sql`coalesce(${personalAccessTokens.revokedAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(personalAccessTokens.id, id))
    .returning();
  return row;
}

/** Records use at most once a minute per token, so reads do not turn into a write each. */
export async function touchTokenLastUsed(db: Database, id: string, at: Date): Promise<void> {
  const minuteAgo = new Date(at.getTime() - 60_000);
  await db
    .update(personalAccessTokens)
    .set({ lastUsedAt: at })
    .where(and(eq(personalAccessTokens.id, id), or(isNull(personalAccessTokens.lastUsedAt), lt(personalAccessTokens.lastUsedAt, minuteAgo))));
}

export const findTokensByUserIds = (db: Database, userIds: readonly string[]) =>
  db
    .select()
    .from(personalAccessTokens)
    .where(inArray(personalAccessTokens.userId, [...userIds]))
    .orderBy(desc(personalAccessTokens.createdAt), desc(personalAccessTokens.id));

export const findTokensByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, personalAccessTokens, ids);

/** The user's active (unrevoked) token with this name, if any: names label tokens for the Itsyouonline dialect. */
export async function findActiveTokenByName(db: Database, userId: string, name: string): Promise<TokenRow | undefined> {
  const [row] = await db
    .select()
    .from(personalAccessTokens)
    .where(and(eq(personalAccessTokens.userId, userId), eq(personalAccessTokens.name, name), isNull(personalAccessTokens.revokedAt)))
    .limit(1);
  return row;
}

export async function renameToken(db: Database, id: string, name: string): Promise<TokenRow | undefined> {
  const [row] = await db.update(personalAccessTokens).set({ name }).where(eq(personalAccessTokens.id, id)).returning();
  return row;
}
