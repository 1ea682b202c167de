// SQL of the authorizations users grant organizations (one row per user and organization).
import { and, asc, eq, inArray } from 'drizzle-orm';
import { authorizations, organizations, type AuthorizationGrants } from '../../../schema/index.js';
import type { Database } from '../../core/db.js';

export type AuthorizationRow = typeof authorizations.$inferSelect & { organizationSlug: string };

/** Every grant of each user with the grantee's slug, oldest first (one statement per batch). */
export const findAuthorizationsByUserIds = (db: Database, userIds: readonly string[]): Promise<AuthorizationRow[]> =>
  db
    .select({
      id: authorizations.id,
      userId: authorizations.userId,
      organizationId: authorizations.organizationId,
      grants: authorizations.grants,
      createdAt: authorizations.createdAt,
      updatedAt: authorizations.updatedAt,
      organizationSlug: organizations.slug,
    })
    .from(authorizations)
    .innerJoin(organizations, eq(organizations.id, authorizations.organizationId))
    .where(inArray(authorizations.userId, [...userIds]))
    .orderBy(asc(authorizations.createdAt), asc(authorizations.id));

/** Creates or replaces the user's grant to the organization; true when it is new. */
export async function upsertAuthorization(db: Database, userId: string, organizationId: string, grants: AuthorizationGrants): Promise<void> {
  await db
    .insert(authorizations)
    .values({ userId, organizationId, grants })
    .onConflictDoUpdate({ target: [authorizations.userId, authorizations.organizationId], set: { grants, updatedAt: new Date() } });
}

/** Removes the grant; whether there was one. */
export async function deleteAuthorization(db: Database, userId: string, organizationId: string): Promise<boolean> {
  const rows = await db
    .delete(authorizations)
    .where(and(eq(authorizations.userId, userId), eq(authorizations.organizationId, organizationId)))
    .returning({ id: authorizations.id });
  return rows.length > 0;
}
