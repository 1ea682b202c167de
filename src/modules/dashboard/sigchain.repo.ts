// SQL of signature chains (a user's: sigchain_transactions; a group's:
// group_sigchain_transactions). Appends take the next position inside the caller's transaction
// under a transaction-scoped advisory lock on the chain, so two appends at once queue instead of
// one failing on the (owner, position) unique index; the index still guarantees the invariant.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { sigchainTransactions } from '../../../schema/dashboard.js';
import { groupSigchainTransactions } from '../../../schema/sealdkeys.js';
import type { Database } from '../../core/db.js';

export type SigchainRow = typeof sigchainTransactions.$inferSelect;
export type GroupSigchainRow = typeof groupSigchainTransactions.$inferSelect;

/** Serializes appends to one chain until the transaction ends (`kind` keeps users' and groups' locks apart). */
const lockChain = (tx: Database, kind: 'user' | 'group', ownerId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sigchain:${kind}:${ownerId}`}))`);

/** Appends one transaction at the end of the user's chain (position 0 for the first). Call inside a transaction. */
export async function appendUserSigchain(tx: Database, userId: string, transaction: Record<string, unknown>): Promise<SigchainRow> {
  await lockChain(tx, 'user', userId);
  const position = await nextUserSigchainPosition(tx, userId);
  const [row] = await tx.insert(sigchainTransactions).values({ userId, position, transaction }).returning();
  return row!;
}

/** Appends one transaction at the end of the group's chain. Call inside a transaction. */
export async function appendGroupSigchain(tx: Database, groupId: string, transaction: Record<string, unknown>): Promise<GroupSigchainRow> {
  await lockChain(tx, 'group', groupId);
  const [last] = await tx.select({ p: sql<number | null>`max(${groupSigchainTransactions.position})` }).from(groupSigchainTransactions).where(eq(groupSigchainTransactions.groupId, groupId));
  const position = last?.p == null ? 0 : Number(last.p) + 1;
  const [row] = await tx.insert(groupSigchainTransactions).values({ groupId, position, transaction }).returning();
  return row!;
}

/** The position the user's next transaction takes (0 for an empty chain). */
export async function nextUserSigchainPosition(db: Database, userId: string): Promise<number> {
  const [last] = await db.select({ p: sql<number | null>`max(${sigchainTransactions.position})` }).from(sigchainTransactions).where(eq(sigchainTransactions.userId, userId));
  return last?.p == null ? 0 : Number(last.p) + 1;
}

/** A user's chain in order. */
export const listUserSigchain = (db: Database, userId: string): Promise<SigchainRow[]> =>
  db.select().from(sigchainTransactions).where(eq(sigchainTransactions.userId, userId)).orderBy(asc(sigchainTransactions.position));

/** The chains of several groups, each in order (one statement for a loader batch). */
export const listGroupSigchains = (db: Database, groupIds: readonly string[]): Promise<GroupSigchainRow[]> =>
  db
    .select()
    .from(groupSigchainTransactions)
    .where(inArray(groupSigchainTransactions.groupId, [...groupIds]))
    .orderBy(asc(groupSigchainTransactions.groupId), asc(groupSigchainTransactions.position));

/** How many transactions the group's chain holds (0: not initialized). */
export async function countGroupSigchain(db: Database, groupId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(groupSigchainTransactions).where(eq(groupSigchainTransactions.groupId, groupId));
  return Number(row?.n ?? 0);
}
