// SQL for ending access-token sessions: the user an access token names with whether its jti was
// revoked (one statement, as authentication read the user before), single revocations (logout)
// and raising a user's token version (every earlier access token void).
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { personalAccessTokens } from '../../../schema/auth.js';
import { revokedAccessTokens } from '../../../schema/sessions.js';
import { users } from '../../../schema/users.js';
import type { Database } from '../../core/db.js';
import { tokenSubtree } from '../../core/auth/tenant.sql.js';
import { USER_COLUMNS, type UserRow } from '../users/user.repo.js';

/** The user of an access token and whether that token (its jti) was revoked by logout. */
export async function findAccessTokenHolder(db: Database, userId: string, jti: string): Promise<{ user: UserRow; revoked: boolean } | undefined> {
  const [row] = await db
    .select({
      user: USER_COLUMNS,
      revoked: sql<boolean>`exists (select 1 from ${revokedAccessTokens} where ${revokedAccessTokens.jti} = ${jti})`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

/** Revokes one access token until it expires; forgets revocations whose tokens expired anyway. */
export async function revokeAccessToken(db: Database, t: { jti: string; userId: string; expiresAt: Date }, now: Date): Promise<void> {
  await db.insert(revokedAccessTokens).values(t).onConflictDoNothing();
  await db.delete(revokedAccessTokens).where(lt(revokedAccessTokens.expiresAt, now));
}

/** Voids every access token the user holds now: they carry an older version from here on. */
export async function bumpTokenVersion(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ v: users.tokenVersion });
  return row?.v ?? 0;
}

/** Revokes the user's live personal API tokens bound inside the organization's subtree; their ids. */
export async function revokeTokensBoundWithin(db: Database, userId: string, organizationId: string, at: Date): Promise<string[]> {
  const rows = await db
    .update(personalAccessTokens)
    .set({ revokedAt: at })
    .where(
      and(
        eq(personalAccessTokens.userId, userId),
        isNull(personalAccessTokens.revokedAt),
        inArray(personalAccessTokens.organizationId, sql`${tokenSubtree(organizationId)}`),
      ),
    )
    .returning({ id: personalAccessTokens.id });
  return rows.map((r) => r.id);
}
