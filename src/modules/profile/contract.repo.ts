// SQL of contracts: by party (a user among them), newest first, a page at a time.
import { and, arrayContains, desc, eq, gt, type SQL } from 'drizzle-orm';
import { contracts } from '../../../schema/index.js';
import type { Database } from '../../core/db.js';

export type ContractRow = typeof contracts.$inferSelect;

/** Contracts the user is a party of, newest first; expired ones only when asked. */
export async function findContractsOfUser(db: Database, userId: string, opts: { includeExpired: boolean; offset: number; limit: number; now: Date }): Promise<ContractRow[]> {
  const where: SQL[] = [arrayContains(contracts.partyUserIds, [userId])];
  if (!opts.includeExpired) where.push(gt(contracts.expires, opts.now));
  return db
    .select()
    .from(contracts)
    .where(and(...where))
    .orderBy(desc(contracts.createdAt), desc(contracts.id))
    .offset(opts.offset)
    .limit(opts.limit);
}

export async function findContractByContractId(db: Database, contractId: string): Promise<ContractRow | undefined> {
  const [row] = await db.select().from(contracts).where(eq(contracts.contractId, contractId));
  return row;
}

export async function insertContract(db: Database, values: typeof contracts.$inferInsert): Promise<ContractRow> {
  const [row] = await db.insert(contracts).values(values).returning();
  return row!;
}
