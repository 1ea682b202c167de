// Statements built once per shape. A hot read's text depends only on its shape (the columns a
// query selects, the direction, whether a cursor or a filter is given); only its values change
// from call to call. Building it through Drizzle's sql`` tree on every call walked a few hundred
// nested chunks per statement, with a closure per level, and that walk kept being deoptimized
// and recompiled by V8 (~30 times in 10 s of dashboard load, 18 ms of compiler time each). A
// shape is built once with named slots (`slot('ids')`), compiled to its text, and each call
// binds values into a flat SQL of text pieces and parameters: a statement that composes, runs and
// batches (core/json-rows.ts) like any other, on both drivers.
import { is, Param, Placeholder, SQL, StringChunk, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

const dialect = new PgDialect();

/** A named value of a shape, given at each call. */
export const slot = <N extends string>(name: N): Placeholder<N> => sql.placeholder(name);

export class SqlShape<V extends Record<string, unknown>> {
  private readonly pieces: StringChunk[];
  /** Per parameter, in order: the slot's name, or a constant the shape was built with. */
  private readonly params: ({ slot: string } | { value: unknown })[];

  constructor(statement: SQL) {
    const { sql: text, params } = dialect.sqlToQuery(statement);
    // Drizzle numbers parameters $1, $2, … in order of appearance; anything else in the text
    // that looks like one would misplace values, so it stops here, where the shape is made.
    const parts = text.split(/\$(\d+)/);
    for (let i = 1; i < parts.length; i += 2) {
      if (Number(parts[i]) !== (i + 1) / 2) throw new Error(`SqlShape: parameter $${parts[i]} out of order in ${text}`);
    }
    if ((parts.length - 1) / 2 !== params.length) throw new Error(`SqlShape: ${params.length} parameters for ${(parts.length - 1) / 2} markers in ${text}`);
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

/** Shapes by a key naming what makes them differ; each built on first use. */
export class SqlShapes<V extends Record<string, unknown>> {
  private readonly byKey = new Map<string, SqlShape<V>>();

  get(key: string, build: () => SQL): SqlShape<V> {
    let shape = this.byKey.get(key);
    if (!shape) this.byKey.set(key, (shape = new SqlShape<V>(build())));
    return shape;
  }
}
