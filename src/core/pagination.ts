// Keyset pagination in SQL for repositories: the ORDER BY and the row-value comparison that
// continues after (or before) a cursor. Orderings always end with the primary key.
import { asc, desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { PageRequest } from './graphql/connection.js';
import { slot } from './sql-shape.js';

export type SortDirection = 'asc' | 'desc';

export interface Keyset {
  /** Sort columns, primary key last. */
  columns: PgColumn[];
  direction: SortDirection;
}

/** ORDER BY for the page's direction (reversed when paging backward). */
export function keysetOrder(k: Keyset, page: PageRequest): SQL[] {
  const ascending = (k.direction === 'asc') === (page.direction === 'forward');
  return k.columns.map((c) => (ascending ? asc(c) : desc(c)));
}

/** `(a, b) > (x, y)` (or `<`) after the cursor; undefined on the first page. */
export function keysetAfter(k: Keyset, page: PageRequest): SQL | undefined {
  return keysetCondition(k, page, (i) => page.cursor![i]);
}

/** The keyset comparison, `false` for a cursor of another list; `valueAt(i)` is cursor value i. */
function keysetCondition(k: Keyset, page: PageRequest, valueAt: (i: number) => unknown): SQL | undefined {
  const state = keysetShapeKey(k, page);
  if (state === 'none') return undefined;
  if (state === 'foreign') return sql`false`;
  const ascending = (k.direction === 'asc') === (page.direction === 'forward');
  const cols = sql.join(k.columns.map((c) => sql`${c}`), sql`, `);
  const vals = sql.join(k.columns.map((c, i) => sql`${valueAt(i)}::${sql.raw(pgTypeOf(c))}`), sql`, `);
  return ascending ? sql`(${cols}) > (${vals})` : sql`(${cols}) < (${vals})`;
}

function pgTypeOf(c: PgColumn): string {
  const t = c.getSQLType();
  return /^[a-z_ ()0-9]+$/i.test(t) ? t : 'text';
}

/**
 * keysetAfter for a statement built once per shape (core/sql-shape.ts): the cursor's values
 * are slots `cursor0`, `cursor1`, … (values: keysetSlotValues). `keysetShapeKey` names what
 * makes the SQL differ: no cursor, a cursor of another list (never matches), or a position.
 */
export function keysetShapeKey(k: Keyset, page: PageRequest): 'none' | 'foreign' | 'after' {
  return !page.cursor ? 'none' : page.cursor.length !== k.columns.length ? 'foreign' : 'after';
}

export function keysetAfterSlots(k: Keyset, page: PageRequest): SQL | undefined {
  return keysetCondition(k, page, (i) => slot(`cursor${i}`));
}

export function keysetSlotValues(page: PageRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  page.cursor?.forEach((v, i) => (out[`cursor${i}`] = v));
  return out;
}
