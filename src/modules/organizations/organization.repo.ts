// SQL for organizations and memberships.
import { eq, sql } from 'drizzle-orm';
import { memberships, organizations } from '../../../schema/organizations.js';
import type { Database } from '../../core/db.js';

export type OrganizationRow = typeof organizations.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;

export async function insertOrganization(db: Database, values: typeof organizations.$inferInsert): Promise<OrganizationRow> {
  const [row] = await db.insert(organizations).values(values).returning();
  return row!;
}

export async function findOrganizationBySlug(db: Database, slug: string): Promise<OrganizationRow | undefined> {
  const [row] = await db
    .select()
    .from(organizations)
    .where(sql`lower(${organizations.slug}) = lower(${slug})`);
  return row;
}

export async function insertMembership(db: Database, values: typeof memberships.$inferInsert): Promise<MembershipRow> {
  const [row] = await db.insert(memberships).values(values).returning();
  return row!;
}

export const findMembershipsByUser = (db: Database, userId: string) => db.select().from(memberships).where(eq(memberships.userId, userId));
