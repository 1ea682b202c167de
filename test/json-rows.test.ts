// core/json-rows.ts: rows read as one json value decode to exactly what Drizzle's select() gives,
// on both drivers, and column types it cannot decode faithfully are refused up front.
import { sql } from 'drizzle-orm';
import { numeric, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groups } from '../schema/groups.js';
import { organizations } from '../schema/organizations.js';
import { users } from '../schema/users.js';
import type { DbHandle } from '../src/core/db.js';
import { findRowsByIds, jsonColumns, selectJsonArrays } from '../src/core/json-rows.js';
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
});

describe('jsonColumns', () => {
  it('refuses column types whose json differs from the driver value', () => {
    const money = pgTable('money', { id: uuid('id'), amount: numeric('amount') });
    expect(() => jsonColumns(money, 'm')).toThrow(/amount \(PgNumeric\)/);
    const local = pgTable('local', { id: uuid('id'), at: timestamp('at', { mode: 'date' }) });
    expect(() => jsonColumns(local, 'l')).toThrow(/at \(PgTimestamp\)/);
  });
});
