// SQL of contracts: by party (a user or an organization among them), newest first, a page at a
// time per party.
import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { contracts } from '../../../schema/index.js';
import { rowsOf, type Database } from '../../core/db.js';

export type ContractRow = typeof contracts.$inferSelect;

export interface ContractPage {
  includeExpired: boolean;
  offset: number;
  limit: number;
}

/**
 * A page of the contracts each user is a party of, newest first (expired ones only when asked):
 * two statements for any number of users — the page's ids per user (a lateral subquery over the
 * users' ids: one statement text for any batch size), then those rows.
 */
export function findContractPagesOfUsers(db: Database, userIds: readonly string[], page: ContractPage, now: Date): Promise<ContractRow[][]> {
  return findContractPages(db, sql.raw('party_user_ids'), userIds, page, now);
}

/** The same for organizations among the parties. */
export function findContractPagesOfOrganizations(db: Database, organizationIds: readonly string[], page: ContractPage, now: Date): Promise<ContractRow[][]> {
  return findContractPages(db, sql.raw('party_organization_ids'), organizationIds, page, now);
}

async function findContractPages(db: Database, partyColumn: SQL, userIds: readonly string[], page: ContractPage, now: Date): Promise<ContractRow[][]> {
  const expiry = page.includeExpired ? sql`` : sql`and c.expires > ${now.toISOString()}::timestamptz`;
  const pairs = rowsOf<{ user_id: string; id: string }>(
    await db.execute(sql`
      select p.id::text as user_id, c.id::text as id
      from unnest(${`{${userIds.join(',')}}`}::uuid[]) as p(id)
      cross join lateral (
        select c.id, c.created_at from contracts c
        where c.${partyColumn} @> array[p.id] ${expiry}
        order by c.created_at desc, c.id desc offset ${page.offset} limit ${page.limit}
      ) c`),
  );
  const rows = pairs.length ? await db.select().from(contracts).where(inArray(contracts.id, [...new Set(pairs.map((p) => p.id))])) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return userIds.map((u) => pairs.filter((p) => p.user_id === u).map((p) => byId.get(p.id)!).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)));
}

export async function findContractByContractId(db: Database, contractId: string): Promise<ContractRow | undefined> {
  const [row] = await db.select().from(contracts).where(eq(contracts.contractId, contractId));
  return row;
}

export async function insertContract(db: Database, values: typeof contracts.$inferInsert): Promise<ContractRow> {
  const [row] = await db.insert(contracts).values(values).returning();
  return row!;
}
