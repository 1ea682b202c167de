// core/sql-shape.ts: a statement built once with named slots runs with each call's values, alone
// and coalesced with others, on both drivers; a shape whose text it cannot number is refused.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, requestHandle, type DbHandle } from '../src/core/db.js';
import { coalesceJsonReads, selectJson } from '../src/core/json-rows.js';
import { slot, SqlShape, SqlShapes } from '../src/core/sql-shape.js';
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

  it('builds each shape once per key', () => {
    const shapes = new SqlShapes<{ x: number }>();
    let builds = 0;
    const build = () => (builds++, sql`select ${slot('x')}::int`);
    expect(shapes.get('k', build)).toBe(shapes.get('k', build));
    expect(builds).toBe(1);
    expect(shapes.get('other', build)).not.toBe(shapes.get('k', build));
  });
});

it('refuses a text with a $n of its own, which would misplace values', () => {
  expect(() => new SqlShape(sql`select ${slot('a')}::int, ${sql.raw("'$1'")}`)).toThrow(/out of order/);
});
