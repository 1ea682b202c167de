// Hot list reads that come back as ONE json value (an array of arrays) instead of a row per
// result row: the driver otherwise decodes a text value per column and per row (thousands for a
// page of organizations with their members), and Drizzle's generic mapping through a subquery's
// alias proxies runs an entity check per column. One native JSON.parse
// and a decode by position is the cheapest path both drivers share.
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { rowsOf, uuidArrayLiteral, type Database } from './db.js';
import { defineShape, slot, type ShapeFamily } from './sql-shape.js';

/** json_build_array() arguments for a table's columns, and the decoder back to its row type. */
export interface JsonColumns<Row> {
  /** The columns as SQL, qualified by the alias they were made for. */
  sql: SQL;
  /** How many array positions they take. */
  width: number;
  /** The row at `values[at … at + width)`. */
  decode(values: readonly unknown[], at?: number): Row;
}

// How each column type's json value (the expression `v`) becomes what the Drizzle row holds.
// Anything not listed (numeric, bigint as string, bytea, timestamps without a zone, …) would
// decode differently, so it fails loudly where the shape is made.
const AS_IS = (v: string) => v;
// json renders timestamptz as ISO text with microseconds, which Date parses (to milliseconds).
const DATE = (v: string) => `(${v} === null ? null : new Date(${v}))`;
const DECODE: Record<string, (v: string) => string> = {
  PgUUID: AS_IS,
  PgText: AS_IS,
  PgVarchar: AS_IS,
  PgEnumColumn: AS_IS,
  PgBoolean: AS_IS,
  PgInteger: AS_IS,
  PgSmallInt: AS_IS,
  PgBigInt53: AS_IS,
  PgJsonb: AS_IS,
  PgJson: AS_IS,
  PgTimestamp: DATE,
};

/**
 * The table's columns (less `omit`) as read through `alias`, in declaration order, with the
 * decoder that turns their json back into the row Drizzle's `select()` would have given.
 */
export function jsonColumns<T extends PgTable, K extends keyof T['$inferSelect'] = never>(
  table: T,
  alias: string,
  omit: readonly K[] = [],
): JsonColumns<Omit<T['$inferSelect'], K>> {
  const all = Object.keys(getTableColumns(table)) as (keyof T['$inferSelect'])[];
  return jsonColumnsPicked(table, alias, all.filter((key) => !omit.includes(key as K))) as JsonColumns<Omit<T['$inferSelect'], K>>;
}

/**
 * Only the columns `keys` of the table (a query that asks for less), in that order. The row
 * type says what is there; the rest of the table's row is absent, not null.
 *
 * The decoder is generated once per shape as one object literal: filling `{}` key by key from
 * a list is a megamorphic keyed store per value, slower than the driver's own row mapping. Safe to generate: the keys are the schema's own property names, checked
 * to be identifiers, and the values are only read by index.
 */
export function jsonColumnsPicked<T extends PgTable, K extends keyof T['$inferSelect']>(table: T, alias: string, keys: readonly K[]): JsonColumns<Pick<T['$inferSelect'], K>> {
  const byKey = getTableColumns(table) as Record<string, PgColumn>;
  const columns = keys.map((key) => {
    const col = byKey[key as string];
    if (!col) throw new Error(`jsonColumns: ${String(key)} is not a column`);
    return [key as string, col] as const;
  });
  const fields = columns.map(([key, col], i) => {
    const zoneless = col.columnType === 'PgTimestamp' && !(col as unknown as { withTimezone: boolean }).withTimezone;
    const decode = zoneless ? undefined : DECODE[col.columnType];
    if (!decode || !/^[A-Za-z_$][\w$]*$/.test(key)) throw new Error(`jsonColumns: ${key} (${col.columnType}) has no json decoder`);
    return `${key}: ${decode(`v[at + ${i}]`)}`;
  });
  const decode = new Function('v', 'at', `return { ${fields.join(', ')} };`) as (values: readonly unknown[], at: number) => Pick<T['$inferSelect'], K>;
  return {
    sql: sql.raw(columns.map(([, col]) => `${alias}."${col.name}"`).join(', ')),
    width: columns.length,
    decode: (values, at = 0) => decode(values, at),
  };
}

/**
 * Runs a statement whose single row has a single json column, and answers it parsed (null when
 * it is SQL null, e.g. a json_agg over no rows). postgres.js hands json over as text, PGlite
 * already parsed. The caller states the shape its SQL builds.
 *
 * On a request's handle (db.ts requestHandle) the statements that become ready in the same tick
 * go to PostgreSQL as ONE statement, each a scalar subquery of it: sibling lists of one level
 * (the memberships and groups of one page of organizations, whose loaders dispatch together)
 * cost one round trip instead of one each: each round trip is a socket write in Node and a
 * wake-up of a PostgreSQL backend.
 */
export function selectJson<T>(db: Database, statement: SQL): Promise<T | null> {
  const batch = batches.get(db);
  if (batch) return batch.add(statement) as Promise<T | null>;
  return runOne(db, statement) as Promise<T | null>;
}

async function runOne(db: Database, statement: SQL): Promise<unknown> {
  const [row] = rowsOf<Record<string, unknown>>(await db.execute(statement));
  return parsed(row ? Object.values(row)[0] : null);
}

function parsed(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? JSON.parse(value) : value;
}

interface Pending {
  statement: SQL;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** The json statements of one request handle that are waiting for the end of the tick. */
class JsonBatch {
  private pending: Pending[] = [];

  constructor(private readonly db: Database) {}

  add(statement: SQL): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // DataLoader dispatches each loader's batch from its own process.nextTick, queued in the
      // order the loaders were first used; a flush queued behind the first of them runs after
      // every sibling that was already due in this tick has added its statement.
      if (this.pending.push({ statement, resolve, reject }) === 1) process.nextTick(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 1) return settle(batch[0]!, runOne(this.db, batch[0]!.statement));
    let values: unknown[];
    try {
      const columns = batch.map((p, i) => sql`(${p.statement}) as ${sql.identifier(`j${i}`)}`);
      const [row] = rowsOf<Record<string, unknown>>(await this.db.execute(sql`select ${sql.join(columns, sql`, `)}`));
      values = batch.map((_, i) => row?.[`j${i}`]);
    } catch {
      // One bad statement must not fail its siblings: each runs alone and answers for itself.
      for (const p of batch) void settle(p, runOne(this.db, p.statement));
      return;
    }
    batch.forEach((p, i) => void settle(p, Promise.resolve().then(() => parsed(values[i]))));
  }
}

async function settle(p: Pending, result: Promise<unknown>): Promise<void> {
  try {
    p.resolve(await result);
  } catch (err) {
    p.reject(err);
  }
}

const batches = new WeakMap<Database, JsonBatch>();

/** Makes `db` (a request handle, db.ts requestHandle) coalesce its json reads per tick. */
export function coalesceJsonReads(db: Database): Database {
  batches.set(db, new JsonBatch(db));
  return db;
}

/** A `json_agg(json_build_array(…))` statement's rows: an array of arrays, empty for none. */
export async function selectJsonArrays(db: Database, statement: SQL): Promise<unknown[][]> {
  return (await selectJson<unknown[][]>(db, statement)) ?? [];
}

// The by-id statement of each table, one shape per set of omitted columns (the family closes
// over its table, a constant; its inputs are what varies).
const byIdShapes = new WeakMap<PgTable, ShapeFamily<{ omit: readonly string[] }, { ids: string }, JsonColumns<unknown>>>();

function byIdShape(table: PgTable) {
  let family = byIdShapes.get(table);
  if (!family) {
    family = defineShape(({ omit }: { omit: readonly string[] }) => {
      const columns = jsonColumns(table, 't', omit as never[]) as JsonColumns<unknown>;
      return { statement: sql`select json_agg(json_build_array(${columns.sql})) from ${table} t where t.id = any(${slot('ids')}::uuid[])`, reader: columns };
    });
    byIdShapes.set(table, family);
  }
  return family;
}

/**
 * Rows of a table by primary key (`id`), in no particular order: the by-id loaders' one
 * statement. `= any(uuid[])` keeps one prepared statement text for any batch size. `omit`:
 * columns left unread (users' password hash).
 */
export async function findRowsByIds<T extends PgTable, K extends keyof T['$inferSelect'] & string = never>(
  db: Database,
  table: T,
  ids: readonly string[],
  omit: readonly K[] = [],
): Promise<Omit<T['$inferSelect'], K>[]> {
  const shape = byIdShape(table)({ omit });
  const columns = shape.reader as JsonColumns<Omit<T['$inferSelect'], K>>;
  const rows = await selectJsonArrays(db, shape.bind({ ids: uuidArrayLiteral(ids) }));
  return rows.map((r) => columns.decode(r));
}
