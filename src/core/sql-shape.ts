// Statements built once per shape. A hot read's text depends only on its shape (the columns a
// query selects, the direction, whether a cursor or a filter is given); only its values change
// from call to call. Building it through Drizzle's sql`` tree on every call walks the nested
// chunks of the statement again, and that walk is deoptimized and recompiled by V8 under load.
// A shape is built once with named slots (`slot('ids')`), compiled to its text, and each call
// binds values into a flat SQL of text pieces and parameters: a statement that composes, runs and
// batches (core/json-rows.ts) like any other, on both drivers.
//
// The one way to make shapes is `defineShape`: its cache key is the canonical printing of the
// inputs that shape the text, and the build function receives those inputs back FROM the key,
// so nothing that is not part of the key can change the text a key stands for.
import { is, Param, Placeholder, SQL, StringChunk, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

const dialect = new PgDialect();

/** A named value of a shape, given at each call. */
export const slot = <N extends string>(name: N): Placeholder<N> => sql.placeholder(name);

/** A statement compiled once, with its slots; `reader` is what the build made to decode its rows. */
export class SqlShape<V extends Record<string, unknown>, R = undefined> {
  private readonly pieces: StringChunk[];
  /** Per parameter, in order: the slot's name, or a constant the shape was built with. */
  private readonly params: ({ slot: string } | { value: unknown })[];
  /** The statement's text, parameters as $1, $2, … */
  readonly text: string;

  constructor(
    statement: SQL,
    readonly reader: R = undefined as R,
  ) {
    const { sql: text, params } = dialect.sqlToQuery(statement);
    // Drizzle numbers parameters $1, $2, … in order of appearance; anything else in the text
    // that looks like one would misplace values, so it stops here, where the shape is made.
    const parts = text.split(/\$(\d+)/);
    for (let i = 1; i < parts.length; i += 2) {
      if (Number(parts[i]) !== (i + 1) / 2) throw new Error(`SqlShape: parameter $${parts[i]} out of order in ${text}`);
    }
    if ((parts.length - 1) / 2 !== params.length) throw new Error(`SqlShape: ${params.length} parameters for ${(parts.length - 1) / 2} markers in ${text}`);
    this.text = text;
    this.pieces = parts.filter((_, i) => i % 2 === 0).map((p) => new StringChunk(p));
    this.params = params.map((p) => (is(p, Placeholder) ? { slot: p.name } : { value: p }));
  }

  /** The statement with these values. A missing slot fails: better than binding null. */
  bind(values: V): SQL {
    const chunks: unknown[] = [this.pieces[0]];
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i]!;
      let value: unknown;
      if ('slot' in p) {
        value = values[p.slot];
        if (value === undefined) throw new Error(`SqlShape: no value for slot ${p.slot}`);
      } else value = p.value;
      chunks.push(new Param(value), this.pieces[i + 1]);
    }
    return new SQL(chunks as SQL['queryChunks']);
  }
}

/**
 * What may decide a statement's text: plain data (strings, finite numbers, booleans, null,
 * arrays and plain objects of them). A column, a table, a scope object or a page request
 * cannot be an input: pass what of it shapes the text (a name, a flag, a count).
 */
export type ShapeInput = string | number | boolean | null | readonly ShapeInput[] | { readonly [key: string]: ShapeInput };

/** A shape's inputs: an object whose every property is a ShapeInput (interfaces welcome). */
export type ShapeInputs<I> = { readonly [K in keyof I]: I[K] extends ShapeInput ? I[K] : never };

/** What a build returns: the statement, or the statement and a reader for its rows. */
export type Built<R> = SQL | { statement: SQL; reader: R };

/** A family of shapes: one per distinct canonical printing of its inputs. */
export interface ShapeFamily<I, V extends Record<string, unknown>, R> {
  /** The shape for these inputs, built on first use. */
  (inputs: ShapeInputs<I>): SqlShape<V, R>;
  /** The cache key of these inputs (for tests: it is what tells shapes apart). */
  keyOf(inputs: ShapeInputs<I>): string;
}

/**
 * The one way to make a cached statement. `build` gets the inputs decoded from the cache key
 * (frozen), so whatever shapes the text is in the key: two inputs that give different SQL cannot
 * share a key. A build may use module constants (tables, fixed column lists) and its inputs,
 * nothing per call. `V` names the slots each call binds.
 */
export function defineShape<I extends ShapeInputs<I>, V extends Record<string, unknown>, R = undefined>(
  build: (inputs: Readonly<I>) => Built<R>,
): ShapeFamily<I, V, R> {
  const byKey = new Map<string, SqlShape<V, R>>();
  const family = ((inputs: ShapeInputs<I>) => {
    const key = canonicalKey(inputs);
    let shape = byKey.get(key);
    if (!shape) {
      const built = build(deepFreeze(JSON.parse(key)) as Readonly<I>);
      shape = built instanceof SQL ? new SqlShape<V, R>(built) : new SqlShape<V, R>(built.statement, built.reader);
      byKey.set(key, shape);
    }
    return shape;
  }) as ShapeFamily<I, V, R>;
  family.keyOf = (inputs) => canonicalKey(inputs);
  return family;
}

/**
 * JSON with object keys sorted: equal inputs print alike whatever order they were written in.
 * Anything that is not plain data fails here, not as a silently shared key.
 */
export function canonicalKey(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`shape input: ${value} is not a finite number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(o[k])}`).join(',')}}`;
  }
  throw new Error(`shape input: ${typeof value === 'object' ? Object.getPrototypeOf(value)?.constructor?.name ?? 'object' : typeof value} is not plain data`);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
