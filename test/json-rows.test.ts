// core/json-rows.ts: rows read as one json value decode to exactly what Drizzle's select() gives,
// on both drivers, and column types it cannot decode faithfully are refused up front.
import { sql } from 'drizzle-orm';
import { numeric, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groups } from '../schema/groups.js';
import { organizations } from '../schema/organizations.js';
import { users } from '../schema/users.js';
import { requestHandle, type DbHandle } from '../src/core/db.js';
import { coalesceJsonReads, findRowsByIds, jsonColumns, selectJson, selectJsonArrays } from '../src/core/json-rows.js';
import { DRIVERS, openTestDatabase } from './helpers/gateway.js';

describe.each(DRIVERS)('json rows (%s)', (driver) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(driver);
    const db = handle.db;
    const [org] = await db.insert(organizations).values({ slug: 'json-rows', name: 'Json "rows"', quotaLimit: 2 ** 40 }).returning();
    await db.insert(groups).values({ organizationId: org!.id, name: 'g\u00e9 \\ "1"' });
    await db.insert(users).values([
      { username: 'json_a', displayName: null, social: { skype: 'a b', x: '\u{1F600}' }, confirmedAt: new Date('2024-02-29T23:59:59.999Z'), isAdmin: true },
      { username: 'json_b', bio: 'line\nbreak', lastSignInAt: new Date(0) },
    ]);
    // Microseconds: json keeps them, Date (like the driver) keeps milliseconds.
    await db.execute(sql`update users set created_at = '2024-01-01 10:00:00.123456+00' where username = 'json_b'`);
  });
  afterAll(() => handle?.close());

  it.each([
    ['users', users, 'username'],
    ['organizations', organizations, 'slug'],
    ['groups', groups, 'name'],
  ] as const)('decode %s as select() reads them', async (_name, table, orderColumn) => {
    const db = handle.db;
    const columns = jsonColumns(table, 't');
    const order = sql.raw(`t."${(table as any)[orderColumn].name}", t.id`);
    const arrays = await selectJsonArrays(db, sql`select json_agg(json_build_array(${columns.sql}) order by ${order}) from ${table} t`);
    const expected = await db.select().from(table as any).orderBy((table as any)[orderColumn], (table as any).id);
    expect(expected.length).toBeGreaterThan(0);
    expect(arrays.map((a) => columns.decode(a))).toEqual(expected);
  });

  it('decodes from an offset, without the omitted columns', async () => {
    const columns = jsonColumns(users, 'u', ['passwordHash']);
    const [row] = await selectJsonArrays(handle.db, sql`select json_agg(json_build_array('before', ${columns.sql})) from ${users} u where username = 'json_a'`);
    const user = columns.decode(row!, 1);
    expect(user).toMatchObject({ username: 'json_a', isAdmin: true, social: { skype: 'a b', x: '\u{1F600}' }, confirmedAt: new Date('2024-02-29T23:59:59.999Z') });
    expect(user).not.toHaveProperty('passwordHash');
    expect(columns.width).toBe(Object.keys(user).length);
  });

  it('finds rows by id as select() reads them, and nothing for unknown ids', async () => {
    const db = handle.db;
    const all = await db.select().from(users).orderBy(users.id);
    const wanted = [all[0]!.id, all.at(-1)!.id, '00000000-0000-7000-8000-000000000000'];
    const found = await findRowsByIds(db, users, wanted);
    expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual([all[0], all.at(-1)]);
    expect(await findRowsByIds(db, organizations, [])).toEqual([]);
  });

  it('gives no rows for an empty aggregate', async () => {
    expect(await selectJsonArrays(handle.db, sql`select json_agg(1) from ${users} where false`)).toEqual([]);
  });

  describe('on a request handle', () => {
    const byName = (name: string) => sql`select json_agg(json_build_array(u.username, ${name}::text) order by u.username) from ${users} u where u.username like 'json_%'`;
    const failing = sql`select json_agg(x) from (select 1 / (select count(*) - count(*) from ${users}) as x) t`;

    it('sends json reads due in the same tick as ONE statement, each answered as alone', async () => {
      const alone = await Promise.all([selectJsonArrays(handle.db, byName('a')), selectJson(handle.db, byName('b')), selectJsonArrays(handle.db, sql`select json_agg(1) where false`)]);
      const db = coalesceJsonReads(requestHandle(handle.db));
      const before = handle.statementCount;
      // As DataLoader dispatches sibling loaders: each from its own process.nextTick.
      const together = await new Promise<unknown[]>((resolve, reject) => {
        const out: Promise<unknown>[] = [];
        process.nextTick(() => out.push(selectJsonArrays(db, byName('a'))));
        process.nextTick(() => out.push(selectJson(db, byName('b'))));
        process.nextTick(() => out.push(selectJsonArrays(db, sql`select json_agg(1) where false`)));
        process.nextTick(() => Promise.all(out).then(resolve, reject));
      });
      expect(handle.statementCount - before).toBe(1);
      expect(together).toEqual(alone);
      expect(alone[0]).toEqual([['json_a', 'a'], ['json_b', 'a']]);
      // A later tick is a statement of its own.
      const next = handle.statementCount;
      expect(await selectJsonArrays(db, byName('c'))).toEqual([['json_a', 'c'], ['json_b', 'c']]);
      expect(handle.statementCount - next).toBe(1);
    });

    it('keeps a failing read from failing its siblings: each answers for itself', async () => {
      const db = coalesceJsonReads(requestHandle(handle.db));
      const [good, bad] = await Promise.allSettled([selectJsonArrays(db, byName('ok')), selectJsonArrays(db, failing)]);
      expect(good).toEqual({ status: 'fulfilled', value: [['json_a', 'ok'], ['json_b', 'ok']] });
      expect(bad.status).toBe('rejected');
      expect(String((bad as PromiseRejectedResult).reason?.cause ?? (bad as PromiseRejectedResult).reason)).toMatch(/division by zero/);
    });

    it('leaves the shared handle alone: one statement per read there', async () => {
      const before = handle.statementCount;
      await Promise.all([selectJsonArrays(handle.db, byName('x')), selectJsonArrays(handle.db, byName('y'))]);
      expect(handle.statementCount - before).toBe(2);
    });
  });
});

describe('jsonColumns', () => {
  it('refuses column types whose json differs from the driver value', () => {
    const money = pgTable('money', { id: uuid('id'), amount: numeric('amount') });
    expect(() => jsonColumns(money, 'm')).toThrow(/amount \(PgNumeric\)/);
    const local = pgTable('local', { id: uuid('id'), at: timestamp('at', { mode: 'date' }) });
    expect(() => jsonColumns(local, 'l')).toThrow(/at \(PgTimestamp\)/);
  });
});
