// SQL for users and their contacts. Plain functions of (db, params); no permission checks.
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { contacts, users } from '../../../schema/users.js';
import type { Database } from '../../core/db.js';

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type ContactRow = typeof contacts.$inferSelect;

export const findUsersByIds = (db: Database, ids: readonly string[]) => db.select().from(users).where(inArray(users.id, [...ids]));

export async function findUserByUsername(db: Database, username: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  return row;
}

/** The owner of an active email contact, matched case-insensitively. */
export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select({ user: users })
    .from(contacts)
    .innerJoin(users, eq(users.id, contacts.userId))
    .where(and(eq(contacts.type, 'email'), eq(contacts.state, 'active'), sql`lower(${contacts.value}) = lower(${email})`));
  return row?.user;
}

export async function insertUser(db: Database, values: NewUser): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  return row!;
}

export async function insertContact(db: Database, values: typeof contacts.$inferInsert): Promise<ContactRow> {
  const [row] = await db.insert(contacts).values(values).returning();
  return row!;
}

export async function recordSignIn(db: Database, userId: string, at: Date): Promise<void> {
  await db
    .update(users)
    .set({ lastSignInAt: sql`${users.currentSignInAt}`, currentSignInAt: at })
    .where(eq(users.id, userId));
}

export async function updatePasswordHash(db: Database, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return Number(row!.n);
}

/** Primary active email of each user (at most one per user). */
export const findPrimaryEmailsByUserIds = (db: Database, userIds: readonly string[]) =>
  db
    .select()
    .from(contacts)
    .where(and(inArray(contacts.userId, [...userIds]), eq(contacts.type, 'email'), eq(contacts.isPrimary, true), eq(contacts.state, 'active')));
