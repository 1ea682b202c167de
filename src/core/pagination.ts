// Keyset pagination in SQL for repositories: the ORDER BY and the row-value comparison that
// continues after (or before) a cursor. Orderings always end with the primary key. Every page
// read goes through here: per call (`keysetAfter`) or, for a statement built once per shape
// (core/sql-shape.ts), with the cursor's values as slots (`keysetState` is the shape input,
// `keysetAfterSlots` the condition, `keysetSlotValues` the values of each call).
import { asc, desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { DomainError } from './errors.js';
import type { PageRequest } from './graphql/connection.js';
import { stringProblem } from './input-guard.js';
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
 * a cursor. Plain data, so it can be a shape input.
 */
export type KeysetState = {
  direction: PageRequest['direction'];
  cursor: 'none' | 'after';
};

/**
 * The keyset state of a page; throws BAD_USER_INPUT for a cursor that is not a position of this
 * list (wrong arity, or a value its column's type cannot hold). Every keyset read passes here,
 * so a forged cursor never reaches PostgreSQL (which would refuse it with an error, a 500).
 */
export function keysetState(k: Keyset, page: PageRequest): KeysetState {
  if (page.cursor) checkCursor(k, page.cursor);
  return { direction: page.direction, cursor: page.cursor ? 'after' : 'none' };
}

const invalidCursor = () => new DomainError('BAD_USER_INPUT', 'Invalid cursor');

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT_RANGE: Record<string, number> = { smallint: 32_767, integer: 2_147_483_647, serial: 2_147_483_647 };

/** A date and time PostgreSQL takes: a real calendar day of years 1 to 9999, a real time of day. */
function isTimestamp(v: string): boolean {
  const m = TIMESTAMP.exec(v);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const days = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return year! >= 1 && month! >= 1 && month! <= 12 && day! >= 1 && day! <= days && hour <= 23 && minute <= 59 && second <= 59;
}

/** Whether `v` is a value of column `c`'s type, as a cursor carries it (dates as ISO strings). */
function fitsColumn(c: PgColumn, v: unknown): boolean {
  if (v === null) return !c.notNull;
  const type = c.getSQLType().toLowerCase();
  const choices = (c as { enumValues?: readonly string[] }).enumValues;
  if (choices?.length) return typeof v === 'string' && choices.includes(v);
  if (type === 'uuid') return typeof v === 'string' && UUID.test(v);
  if (type.startsWith('timestamp') || type === 'date') return typeof v === 'string' && isTimestamp(v);
  if (type in INT_RANGE) return Number.isSafeInteger(v) && Math.abs(v as number) <= INT_RANGE[type]!;
  if (type === 'bigint' || type === 'bigserial') return Number.isSafeInteger(v) || (typeof v === 'string' && /^-?\d{1,18}$/.test(v));
  if (type === 'boolean') return typeof v === 'boolean';
  if (/^(numeric|decimal|real|double)/.test(type)) return typeof v === 'number' && Number.isFinite(v);
  return typeof v === 'string' && stringProblem(v) === null;
}

function checkCursor(k: Keyset, cursor: unknown[]): void {
  if (cursor.length !== k.columns.length || k.columns.some((c, i) => !fitsColumn(c, cursor[i]))) throw invalidCursor();
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

/** The keyset comparison; `valueAt(i)` is cursor value i. */
function keysetCondition(k: Keyset, state: KeysetState, valueAt: (i: number) => unknown): SQL | undefined {
  if (state.cursor === 'none') return undefined;
  const cols = sql.join(k.columns.map((c) => columnSql(k, c)), sql`, `);
  const vals = sql.join(k.columns.map((c, i) => sql`${valueAt(i)}::${sql.raw(pgTypeOf(c))}`), sql`, `);
  return ascendingFor(k, state.direction) ? sql`(${cols}) > (${vals})` : sql`(${cols}) < (${vals})`;
}

function pgTypeOf(c: PgColumn): string {
  const t = c.getSQLType();
  return /^[a-z_ ()0-9]+$/i.test(t) ? t : 'text';
}
