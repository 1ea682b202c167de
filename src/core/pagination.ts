// Keyset pagination in SQL for repositories: the ORDER BY and the row-value comparison that
// continues after (or before) a cursor. Orderings always end with the primary key. Every page
// read goes through here: per call (`keysetAfter`) or, for a statement built once per shape
// (core/sql-shape.ts), with the cursor's values as slots (`keysetState` is the shape input,
// `keysetAfterSlots` the condition, `keysetSlotValues` the values of each call).
import { asc, desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { PageRequest } from './graphql/connection.js';
import { slot } from './sql-shape.js';

export type SortDirection = 'asc' | 'desc';

export interface Keyset {
  /** Sort columns, primary key last. */
  columns: PgColumn[];
  direction: SortDirection;
  /**
   * The alias the statement reads the table through (`from memberships m`): columns are then
   * written `m."id"` instead of the table-qualified name.
   */
  alias?: string;
}

/**
 * What of a page request decides a keyset statement's text: the direction, and whether there is
 * no cursor, a cursor of this list (a position), or one of another list (it never matches).
 * Plain data, so it can be a shape input.
 */
export type KeysetState = {
  direction: PageRequest['direction'];
  cursor: 'none' | 'foreign' | 'after';
};

export function keysetState(k: Keyset, page: PageRequest): KeysetState {
  return { direction: page.direction, cursor: !page.cursor ? 'none' : page.cursor.length !== k.columns.length ? 'foreign' : 'after' };
}

const columnSql = (k: Keyset, c: PgColumn): SQL => (k.alias ? sql.raw(`${k.alias}."${c.name}"`) : sql`${c}`);
const ascendingFor = (k: Keyset, direction: PageRequest['direction']) => (k.direction === 'asc') === (direction === 'forward');

/** ORDER BY for the page's direction (reversed when paging backward). */
export function keysetOrder(k: Keyset, page: Pick<PageRequest, 'direction'>): SQL[] {
  const ascending = ascendingFor(k, page.direction);
  if (k.alias) return k.columns.map((c) => sql`${columnSql(k, c)} ${sql.raw(ascending ? 'asc' : 'desc')}`);
  return k.columns.map((c) => (ascending ? asc(c) : desc(c)));
}

/** `(a, b) > (x, y)` (or `<`) after the cursor; undefined on the first page. */
export function keysetAfter(k: Keyset, page: PageRequest): SQL | undefined {
  return keysetCondition(k, keysetState(k, page), (i) => page.cursor![i]);
}

/** keysetAfter with the cursor's values as slots `cursor0`, `cursor1`, … (keysetSlotValues). */
export function keysetAfterSlots(k: Keyset, state: KeysetState): SQL | undefined {
  return keysetCondition(k, state, (i) => slot(`cursor${i}`));
}

/** The slot values of keysetAfterSlots for this page. */
export function keysetSlotValues(page: PageRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  page.cursor?.forEach((v, i) => (out[`cursor${i}`] = v));
  return out;
}

/** The keyset comparison, `false` for a cursor of another list; `valueAt(i)` is cursor value i. */
function keysetCondition(k: Keyset, state: KeysetState, valueAt: (i: number) => unknown): SQL | undefined {
  if (state.cursor === 'none') return undefined;
  if (state.cursor === 'foreign') return sql`false`;
  const cols = sql.join(k.columns.map((c) => columnSql(k, c)), sql`, `);
  const vals = sql.join(k.columns.map((c, i) => sql`${valueAt(i)}::${sql.raw(pgTypeOf(c))}`), sql`, `);
  return ascendingFor(k, state.direction) ? sql`(${cols}) > (${vals})` : sql`(${cols}) < (${vals})`;
}

function pgTypeOf(c: PgColumn): string {
  const t = c.getSQLType();
  return /^[a-z_ ()0-9]+$/i.test(t) ? t : 'text';
}
