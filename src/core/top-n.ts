// Top-N-per-parent in one statement: the first N rows of each parent, ranked by
// row_number() over (partition by parent order by …). The ranked subquery carries every column
// of the table, so nothing joins back to the table afterwards (a join back by id made the
// planner scan the whole table: 43 ms instead of 3 ms for 20 × 20 memberships).
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './db.js';

export function rankedSubquery<T extends PgTable>(db: Database, table: T, opts: { partitionBy: PgColumn; orderBy: SQL; where?: SQL }) {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const sub = db
    .select({ ...columns, rn: sql<number>`row_number() over (partition by ${opts.partitionBy} order by ${opts.orderBy})`.as('rn') })
    .from(table as PgTable)
    .where(opts.where)
    .as('ranked');
  // The table's columns as seen through the subquery, to select (or join on) in the outer query.
  const row = Object.fromEntries(Object.keys(columns).map((k) => [k, (sub as unknown as Record<string, unknown>)[k]])) as T['_']['columns'];
  return { sub, row, rn: (sub as unknown as { rn: SQL.Aliased<number> }).rn };
}
