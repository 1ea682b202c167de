// core/sql-shape.ts: a statement built once with named slots runs with each call's values, alone
// and coalesced with others, on both drivers; a shape whose text it cannot number is refused.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, requestHandle, type DbHandle } from '../src/core/db.js';
import { coalesceJsonReads, selectJson } from '../src/core/json-rows.js';
import { defineShape, slot, SqlShape } from '../src/core/sql-shape.js';
import { DRIVERS, openTestDatabase } from './helpers/gateway.js';
import type { KeysetState } from '../src/core/pagination.js';
import { groupPageShape } from '../src/modules/groups/group.read.js';
import { eventPageShape } from '../src/modules/logs/event-log.repo.js';
import { membershipPageShape } from '../src/modules/organizations/organization.read.js';
import { organizationCountShape, organizationPageShape } from '../src/modules/organizations/organization.repo.js';

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

// Every module shape: over an enumeration of its inputs, two inputs that give different SQL
// never share a key: one key always stands for one text (several keys may give one text: a
// shape built twice, harmless).
describe('module shapes: key vs text', () => {
  const keysets = ['forward', 'backward'].flatMap((direction) => ['none', 'after'].map((cursor) => ({ direction, cursor }) as KeysetState));
  const bools = [false, true];
  const reversed = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
  const check = <I>(family: { (i: I): { text: string }; keyOf(i: I): string }, inputs: I[]) => {
    const textOf = new Map<string, string>();
    for (const i of inputs) {
      const key = family.keyOf(i as never);
      // A fresh object with the same content (another order): the same key, the same text.
      const again = reversed(i) as I;
      expect(family.keyOf(again as never)).toBe(key);
      const text = family(i as never).text;
      if (textOf.has(key)) expect(textOf.get(key), key).toBe(text);
      textOf.set(key, text);
    }
    // The enumeration reaches many shapes, not one.
    expect(new Set(textOf.values()).size).toBeGreaterThan(inputs.length / 4);
  };

  it('membership pages', () => {
    const columnSets = [null, [], ['username'], ['id', 'username'], ['displayName', 'firstName', 'lastName', 'username'], ['id', 'primaryEmail', 'username']];
    check(membershipPageShape, columnSets.flatMap((userColumns) => bools.flatMap((createdAt) => bools.flatMap((ids) => bools.flatMap((role) => keysets.map((keyset) => ({ userColumns, createdAt, ids, role, keyset })))))));
  });

  it('group pages', () => {
    check(groupPageShape, [null, ['id', 'name', 'organizationId'], ['createdAt', 'id', 'name', 'organizationId']].flatMap((columns) => keysets.map((keyset) => ({ columns, keyset }))));
  });

  it('organization lists and counts', () => {
    const wheres = (['all', 'user'] as const).flatMap((scope) => bools.flatMap((within) => bools.flatMap((search) => (['root', 'any', 'parent'] as const).map((parent) => ({ scope, within, slugContains: search, search: !search, id: false, slug: within, name: false, parent })))));
    check(organizationPageShape, wheres.flatMap((where) => (['slug', 'name', 'createdAt'] as const).flatMap((order) => (['asc', 'desc'] as const).flatMap((direction) => keysets.map((keyset) => ({ where, order, direction, keyset }))))));
    check(organizationCountShape, wheres.map((where) => ({ where })));
  });

  it('event pages', () => {
    check(eventPageShape, (['actor', 'message', 'organization'] as const).flatMap((parent) => (['all', 'user', 'user-within'] as const).flatMap((scope) => [null, 0, 1, 3].flatMap((actions) => keysets.map((keyset) => ({ parent, scope, actions, keyset }))))));
  });
});
