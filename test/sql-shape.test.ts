// core/sql-shape.ts: a statement built once with named slots runs with each call's values, alone
// and coalesced with others, on both drivers; a shape whose text it cannot number is refused.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, requestHandle, type DbHandle } from '../src/core/db.js';
import { coalesceJsonReads, selectJson } from '../src/core/json-rows.js';
import { defineShape, slot, SqlShape } from '../src/core/sql-shape.js';
import { DRIVERS, openTestDatabase } from './helpers/gateway.js';

describe.each(DRIVERS)('sql shapes (%s)', (driver) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(driver);
  });
  afterAll(() => handle?.close());

  const shape = new SqlShape<{ a: number; b: string | null }>(sql`select ${slot('a')}::int + ${1}::int as n, ${slot('b')}::text as b, ${slot('a')}::int * 2 as twice`);

  it('binds each call its own values; constants stay as built', async () => {
    for (const [a, b] of [[1, 'x'], [41, null], [-3, "it's $1"]] as const) {
      const [row] = rowsOf<{ n: number; b: string | null; twice: number }>(await handle.db.execute(shape.bind({ a, b })));
      expect(row).toEqual({ n: a + 1, b, twice: a * 2 });
    }
  });

  it('refuses a missing value rather than binding null', () => {
    expect(() => shape.bind({ a: 1 } as never)).toThrow(/slot b/);
  });

  it('composes: bound statements coalesced into one round trip keep their own values', async () => {
    const json = new SqlShape<{ v: string }>(sql`select json_build_array(${slot('v')}::text, ${'k'}::text)`);
    const db = coalesceJsonReads(requestHandle(handle.db));
    const answers = await Promise.all(['one', 'two', 'thr$1ee'].map((v) => selectJson<string[]>(db, json.bind({ v }))));
    expect(answers).toEqual([['one', 'k'], ['two', 'k'], ['thr$1ee', 'k']]);
  });

  it('builds each shape once per key, from the inputs printed in the key', () => {
    const seen: unknown[] = [];
    const shapes = defineShape((i: { n: number; flags: { a: boolean; b: boolean } }) => (seen.push(i), sql`select ${slot('x')}::int + ${sql.raw(String(i.n))}`));
    const one = shapes({ n: 1, flags: { a: true, b: false } });
    // Same content, written in another order: same key, same shape, no second build.
    expect(shapes({ flags: { b: false, a: true }, n: 1 })).toBe(one);
    expect(seen).toHaveLength(1);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(shapes({ n: 2, flags: { a: true, b: false } })).not.toBe(one);
    expect(shapes.keyOf({ n: 1, flags: { a: true, b: false } })).toBe('{"flags":{"a":true,"b":false},"n":1}');
  });

  it('refuses inputs that are not plain data, which could shape the text without being in the key', () => {
    const shapes = defineShape((i: { n: number }) => sql`select ${sql.raw(String(i.n))}`);
    expect(() => shapes({ n: NaN })).toThrow(/finite/);
    expect(() => shapes({ n: new Date() as unknown as number })).toThrow(/plain data/);
    // @ts-expect-error a column (or any object that is not plain data) is not a shape input
    defineShape((i: { col: Date }) => sql`select ${i.col}`);
    // @ts-expect-error optional inputs would print as absent: inputs are all present
    defineShape((i: { a?: boolean }) => sql`select ${sql.raw(String(i.a))}`);
  });
});

it('refuses a text with a $n of its own, which would misplace values', () => {
  expect(() => new SqlShape(sql`select ${slot('a')}::int, ${sql.raw("'$1'")}`)).toThrow(/out of order/);
});
