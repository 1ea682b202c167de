// core/read: every field of every object type declares the columns of its row it reads
// (@Reads, or one type-level declaration for types that are not a row or are only ever built
// from a whole row), and the declarations are true: a field resolved on an object built from a
// row holding ONLY its declared columns answers without touching any other column.
import { isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/core/auth/principal.js';
import { fieldReads, typeReads } from '../src/core/read/reads.js';
import { buildSchema } from '../src/schema.js';
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { groups } from '../schema/groups.js';
import { memberships } from '../schema/organizations.js';
import { users } from '../schema/users.js';
import { Group } from '../src/modules/groups/group.type.js';
import { Membership } from '../src/modules/organizations/organization.type.js';
import { User } from '../src/modules/users/user.type.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

const objectTypes = () =>
  Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && !['Query', 'Mutation', 'Subscription'].includes(t.name));

describe('read declarations', () => {
  it('every field of every object type declares what it reads', () => {
    const missing: string[] = [];
    for (const type of objectTypes()) {
      if (typeReads(type)) continue;
      for (const field of Object.keys(type.getFields())) if (!fieldReads(type, field)) missing.push(`${type.name}.${field}`);
    }
    expect(missing, 'add @Reads(...) to these fields, or @ReadsNoRow()/@ReadsWholeRow() to their type').toEqual([]);
  });
});

// ---- declarations are true ----

/** Thrown by a test row when a field reads a column its declaration does not name. */
class MissingColumn extends Error {}
/** Thrown by the test context: the resolver went on to loaders or policy checks (its root reads are done). */
class ReachedContext extends Error {}

/** A sample value for each column of a table, by its data type. */
function sampleRow(table: PgTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    out[key] = col.dataType === 'number' ? 7 : col.dataType === 'boolean' ? true : col.dataType === 'date' ? new Date(0) : col.dataType === 'json' ? {} : key === 'id' ? 'row-id' : `${key}-value`;
  }
  return out;
}

/**
 * A row holding only `columns`: reading any other column throws once `armed` (a class's `from`
 * may copy what it likes; only what its fields read later is checked).
 */
function partialRow(full: Record<string, unknown>, columns: readonly string[]) {
  const held: Record<string, unknown> = Object.fromEntries(columns.map((c) => [c, full[c]]));
  const state = { armed: false };
  const row = new Proxy(held, {
    get(target, key) {
      if (typeof key === 'string' && !(key in target) && key in full && state.armed) throw new MissingColumn(key);
      return Reflect.get(target, key);
    },
  });
  return { row, arm: () => (state.armed = true) };
}

const trap = new Proxy({}, { get: () => { throw new ReachedContext(); } });
const viewers: { name: string; principal: Principal; seesAll: boolean }[] = [
  { name: 'instance admin', principal: { kind: 'user', userId: 'admin-id', username: 'admin', isInstanceAdmin: true, credential: { type: 'access_token', expiresAt: new Date() } } as Principal, seesAll: true },
  { name: 'the user', principal: { kind: 'user', userId: 'row-id', username: 'u', isInstanceAdmin: false, credential: { type: 'access_token', expiresAt: new Date() } } as Principal, seesAll: false },
];

/** Row-backed types whose fields are read partially, with how an object is built from a row. */
const PARTIAL_TYPES: { type: string; table: PgTable; always: readonly string[]; build: (row: never, viewer: Principal) => object }[] = [
  { type: 'User', table: users, always: [], build: (row, viewer) => User.from(row, viewer) },
  { type: 'Group', table: groups, always: ['id', 'organizationId', 'name'], build: (row) => Group.from(row) },
  { type: 'Membership', table: memberships, always: ['organizationId', 'role'], build: (row) => Membership.from(row, null) },
];

describe('read declarations are true', () => {
  it.each(PARTIAL_TYPES)('$type: each field answers from a row holding only its declared columns', async ({ type: typeName, table, always, build }) => {
    const type = schema.getType(typeName) as GraphQLObjectType;
    const full = sampleRow(table);
    const wrong: string[] = [];
    for (const [name, field] of Object.entries(type.getFields())) {
      const reads = fieldReads(type, name)!;
      for (const viewer of viewers) {
        const columns = [...new Set([...always, ...reads.columns.filter((c) => !(viewer.seesAll && reads.self && c === 'id'))])];
        const { row, arm } = partialRow(full, columns);
        const object = build(row as never, viewer.principal) as Record<string, unknown>;
        arm();
        // A node's uuid is its row's id, copied by `from`: a field that did not declare `id` must not read it.
        if (!columns.includes('id')) Object.defineProperty(object, 'uuid', { get: () => { throw new MissingColumn('id (uuid)'); } });
        try {
          const args = Object.fromEntries(field.args.map((a) => [a.name, a.defaultValue]));
          const ctx = { principal: viewer.principal, loaders: trap, authz: trap, db: trap };
          await (field.resolve ? field.resolve(object, args, ctx, trap as never) : object[name]);
        } catch (err) {
          if (err instanceof MissingColumn) wrong.push(`${typeName}.${name} (${viewer.name}) reads ${err.message}`);
          else if (!(err instanceof ReachedContext)) wrong.push(`${typeName}.${name} (${viewer.name}) failed: ${String(err)}`);
        }
      }
    }
    expect(wrong, 'fix the @Reads declaration of these fields').toEqual([]);
  });

  it('catches a wrong declaration: a getter reading an undeclared column fails', () => {
    const { row, arm } = partialRow(sampleRow(users), ['username']);
    const user = User.from(row as never, viewers[0]!.principal);
    arm();
    expect(user.username).toBe('username-value');
    expect(() => user.name).toThrow(MissingColumn);
  });
});
