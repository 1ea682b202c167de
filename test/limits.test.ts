// Query limits (core/graphql/limits.ts, query-cost.ts): linear in the document whatever its
// fragments do, every list costing what it can return, refusals never passes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getIntrospectionQuery, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';
import { checkLimits, type QueryLimits } from '../src/core/graphql/limits.js';
import { buildSchema } from '../src/schema.js';

const LIMITS: QueryLimits = { maxDepth: 15, maxCost: 50_000, maxAliases: 100, maxResponseBytes: 8 * 1024 * 1024 };
const bench = (name: string) => readFileSync(join(projectRoot(), 'test', 'bench', 'queries', `${name}.graphql`), 'utf8');
const benchVariables = (name: string) => JSON.parse(readFileSync(join(projectRoot(), 'test', 'bench', 'queries', `${name}.variables.json`), 'utf8'));

/** n fragments, each spreading the next twice: 2^n paths through a document of ~40n bytes. */
export const fragmentBomb = (n: number) =>
  `{ viewer { ...F0 } }\n${Array.from({ length: n }, (_, i) => `fragment F${i} on User { username ${i + 1 < n ? `...F${i + 1} ...F${i + 1}` : ''} }`).join('\n')}`;

/** n aliases of the same selection. */
export const aliased = (n: number, selection: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

const USERS_PAGE = 'users(first: 100) { nodes { username } }';

describe('checkLimits', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildSchema();
    // The schema's sizes are measured on the first check; timings below are of the walks alone.
    checkLimits(schema, LIMITS, parse('{ __typename }'), undefined, {});
  });
  const check = (query: string | DocumentNode, variables: Record<string, unknown> = {}, operationName?: string, limits = LIMITS) =>
    checkLimits(schema, limits, typeof query === 'string' ? parse(query) : query, operationName, variables);
  const codeOf = (r: ReturnType<typeof check>) => r.error?.extensions.code;

  it('costs the bench queries what their pages can return, and lets them through', () => {
    const small = check(bench('small'), benchVariables('small'));
    expect(small).toEqual({ error: null, cost: 4 });
    // 20 organizations × (slug, name, 20 memberships × (role, user, username, email), 100 groups × name).
    const page = check(bench('page'), benchVariables('page'));
    expect(page.error).toBeNull();
    expect(page.cost).toBe(1 + 20 * (1 + 1 + 1 + (1 + 20 * (1 + 1 + (1 + 2))) + (1 + 100 * (1 + 1))));
    const logs = check(bench('logs'), benchVariables('logs'));
    expect(logs.error).toBeNull();
    expect(logs.cost).toBe(1 + (1 + 50 * (1 + 1 + 1 + 1 + (1 + (1 + 1)))));
  });

  it('refuses the fragment bomb in milliseconds (22 and 26 fragments)', () => {
    for (const n of [22, 26, 60]) {
      const doc = parse(fragmentBomb(n));
      const started = performance.now();
      const r = check(doc);
      expect(performance.now() - started, `${n} fragments`).toBeLessThan(50);
      expect(codeOf(r), `${n} fragments`).toBe('QUERY_TOO_COMPLEX');
      expect(r.cost).toBeGreaterThanOrEqual(2 ** Math.min(n, 52));
    }
  });

  it('never loops on fragment cycles (checked before validation)', () => {
    const doc = parse('{ viewer { ...A } } fragment A on User { username ...B } fragment B on User { ...A name }');
    expect(validate(schema, doc).length).toBeGreaterThan(0);
    expect(check(doc).error).toBeNull();
  });

  it('refuses 3,400 and 10,000 aliased pages: the cost has no node limit to slip past', () => {
    for (const n of [3_300, 3_400, 10_000]) {
      const r = check(aliased(n, USERS_PAGE), {}, undefined, { ...LIMITS, maxAliases: 1_000_000 });
      expect(codeOf(r), `${n} aliases`).toBe('QUERY_TOO_COMPLEX');
      expect(r.cost).toBe(n * (1 + 100 * (1 + 1)));
      // And, with the default alias bound, for their number alone.
      expect(check(aliased(n, USERS_PAGE)).error?.message).toMatch(/aliased fields; the limit is 100/);
    }
  });

  it('bounds aliases, counting each spread of a fragment', () => {
    expect(check(aliased(100, '__typename')).error).toBeNull();
    expect(codeOf(check(aliased(101, '__typename')))).toBe('QUERY_TOO_COMPLEX');
    const spread = `{ viewer { ...F ...F } } fragment F on User { ${Array.from({ length: 60 }, (_, i) => `n${i}: username`).join(' ')} }`;
    expect(check(spread).error?.message).toMatch(/120 aliased fields/);
  });

  it('costs lists without paging a full page, and nodes(ids:) one per id', () => {
    // viewer, memberships (100 × role), emails (100 × value).
    expect(check('{ viewer { memberships { role } emails { value } } }').cost).toBe(1 + (1 + 100 * 1) + (1 + 100 * 1));
    expect(check('{ nodes(ids: ["a", "b", "c"]) { id } }').cost).toBe(1 + 3 * 1);
    expect(check('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b'] }).cost).toBe(1 + 2);
    // A list of scalars is one value.
    expect(check('{ viewer { personalAccessTokens { scopes } } }').cost).toBe(1 + (1 + 100 * 1));
  });

  it('costs an abstract selection as its dearest branch', () => {
    const q = '{ node(id: "x") { id ... on User { username name } ... on Organization { slug } } }';
    expect(check(q).cost).toBe(1 + 1 + 2);
  });

  it('costs introspection by the schema’s real sizes: one full introspection passes, 1,000 do not', () => {
    const full = check(getIntrospectionQuery());
    expect(full.error).toBeNull();
    expect(full.cost).toBeGreaterThan(5_000);
    expect(full.cost).toBeLessThan(LIMITS.maxCost);
    // Every type and every field, per __schema; not 1 per list.
    const shallow = check('{ __schema { types { name fields { name } } } }');
    const types = Object.keys(schema.getTypeMap()).length;
    expect(shallow.cost).toBeGreaterThan(2 * types);
    const many = check(aliased(1_000, '__schema { types { name fields { name } } }'), {}, undefined, { ...LIMITS, maxAliases: 1_000_000 });
    expect(codeOf(many)).toBe('QUERY_TOO_COMPLEX');
    // One type's fields: the largest type's count.
    expect(check('{ __type(name: "User") { fields { name } } }').cost).toBeGreaterThan(10);
  });

  it('leaves variables that do not coerce to execution (BAD_USER_INPUT), and judges each page size', () => {
    const q = 'query($n: Int) { organizations(first: $n) { nodes { memberships(first: $n) { nodes { role } } } } }';
    const doc = parse(q);
    expect(check(doc, { n: 'many' })).toEqual({ error: null, cost: 0 });
    expect(check(doc, { n: 5 }).cost).toBe(1 + 5 * (1 + 1 + 5 * 2));
    expect(codeOf(check(doc, { n: 1_000 }))).toBe('QUERY_TOO_COMPLEX');
    expect(check(doc, { n: 5 }).error).toBeNull();
    // A variable's default value counts.
    expect(check('query($n: Int = 3) { users(first: $n) { nodes { username } } }').cost).toBe(1 + 3 * 2);
  });

  it('keeps depth as before, introspection not counted', () => {
    const deep = `{ viewer { memberships { organization { ${'parent { '.repeat(14)}slug${' }'.repeat(14)} } } } }`;
    expect(codeOf(check(deep))).toBe('QUERY_TOO_DEEP');
    expect(check(`{ viewer { memberships { organization { ${'parent { '.repeat(10)}slug${' }'.repeat(10)} } } } }`).error).toBeNull();
  });

  it('answers a repeated query from its cache, without a walk or an allocation', () => {
    const doc = parse(bench('small'));
    const first = check(doc, { username: 'a' });
    expect(check(doc, { username: 'b' })).toBe(first);
  });
});
