// Query limits (core/graphql/limits.ts, query-cost.ts): linear in the document whatever its
// fragments do, every list costing what it can return, refusals never passes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getIntrospectionQuery, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';
import { checkLimits, type QueryLimits } from '../src/core/graphql/limits.js';
import { buildSchema } from '../src/schema.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

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

  it('costs a list by its `limit` argument when it has one, else by its declared bound', () => {
    // user, contracts (limit × (contractType + parties (maxItems 50) × name)).
    expect(check('{ user(username: "a") { contracts(limit: 5) { contractType parties { name } } } }').cost).toBe(1 + (1 + 5 * (1 + (1 + 50 * 1))));
    expect(check('query($n: Int) { user(username: "a") { contracts(limit: $n) { contractType } } }', { n: 7 }).cost).toBe(1 + (1 + 7 * 1));
    // Without it, the field's declared bound (authorizations: maxItems 50) or a full page.
    expect(check('{ user(username: "a") { contracts { contractType } } }').cost).toBe(1 + (1 + 100 * 1));
    expect(check('{ user(username: "a") { authorizations { grantedTo } } }').cost).toBe(1 + (1 + 50 * 1));
  });

  it('costs an abstract selection as its dearest branch', () => {
    const q = '{ node(id: "x") { id ... on User { username name } ... on Organization { slug } } }';
    expect(check(q).cost).toBe(1 + 1 + 2);
  });

  it('costs introspection by the schema’s real sizes: one full introspection passes, 1,000 do not', () => {
    const full = check(getIntrospectionQuery());
    expect(full.error).toBeNull();
    expect(full.cost).toBeGreaterThan(5_000);
    // Introspection has its own budget (twice one full introspection), apart from the data's:
    // the schema outgrowing MAX_QUERY_COST, or a small MAX_QUERY_COST, never breaks GraphiQL…
    expect(check(getIntrospectionQuery(), {}, undefined, { ...LIMITS, maxCost: 100 }).error).toBeNull();
    expect(check(`{ a: __schema { types { name fields { name } } } b: __schema { types { name fields { name } } } }`).error).toBeNull();
    // …and introspection does not lend its budget to data: pages over maxCost beside it are refused.
    expect(codeOf(check(`{ __schema { types { name } } users(first: 100) { nodes { memberships(first: 100) { nodes { role } } } } }`, {}, undefined, { ...LIMITS, maxCost: 1_000 }))).toBe('QUERY_TOO_COMPLEX');
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

describe.each(DRIVERS)('limits on a gateway on %s', (driver) => {
  let t: TestGateway;
  let url: string;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    url = await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    t.gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
  const codeOf = (res: { json(): any }) => res.json().errors?.[0]?.extensions?.code;

  it('refuses the fragment bomb in milliseconds while /healthz answers', async () => {
    for (const n of [22, 26]) {
      const started = Date.now();
      const timed = async (p: Promise<Response>) => {
        const res = await p;
        return { res, ms: Date.now() - started };
      };
      const [bomb, health] = await Promise.all([
        timed(fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: fragmentBomb(n) }) })),
        timed(fetch(`${url}/healthz`)),
      ]);
      expect((await bomb.res.json()).errors[0].extensions.code, `${n} fragments`).toBe('QUERY_TOO_COMPLEX');
      expect(health.res.status).toBe(200);
      expect(bomb.ms, `${n} fragments`).toBeLessThan(1_000);
      expect(health.ms, `${n} fragments`).toBeLessThan(1_000);
    }
  });

  it('refuses 3,400 and 10,000 aliased pages and 1,000 aliased introspections from anonymous callers', async () => {
    // By default the parser stops them at MAX_QUERY_TOKENS, before validation.
    for (const query of [aliased(3_400, USERS_PAGE), aliased(10_000, USERS_PAGE), aliased(1_000, '__schema { types { name fields { name } } }')]) {
      const res = await post({ query });
      // (graphql-js's own words, "more that" included.)
      expect(res.json().errors[0]).toMatchObject({ message: expect.stringMatching(/^Syntax Error: Document contains more tha[nt] 5000 tokens/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    }
    // Past the parser, the aliases and the cost refuse them, without a node limit to slip past.
    const wide = await startTestGateway(driver, { env: { MAX_QUERY_TOKENS: '1000000' }, database: t.db });
    try {
      const send = (query: string) => wide.gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ query }) });
      for (const n of [3_400, 10_000]) {
        const res = await send(aliased(n, USERS_PAGE));
        expect(res.json().errors[0].message, `${n} aliases`).toBe(`Query has ${n} aliased fields; the limit is 100`);
        expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
        expect(res.json().data).toBeUndefined();
      }
      const intro = await send(aliased(1_000, '__schema { types { name fields { name } } }'));
      expect(codeOf(intro)).toBe('QUERY_TOO_COMPLEX');
      expect(intro.body.length).toBeLessThan(1_000);
    } finally {
      await wide.gw.app.close();
    }
    // Within the alias bound, by cost alone: 60 introspections of every type's fields.
    const costly = await post({ query: aliased(60, '__schema { types { name fields { name args { name } } } }') });
    // (Introspection's budget: twice one full introspection of the schema, apart from the data's.)
    const [, asked, budget] = /^Its introspection would cost (\d+); the limit is (\d+)/.exec(costly.json().errors[0].message) ?? [];
    expect(costly.json().errors[0].extensions.cost).toEqual({ requestedQueryCost: Number(asked), maximumAvailable: Number(budget) });
    expect(Number(asked)).toBeGreaterThan(Number(budget));
  });

  it('shows the cost of every answer in extensions, alike on both lanes', async () => {
    const query = 'query($n: Int) { users(first: $n) { nodes { username } } } # cost';
    const apollo = await post({ query, variables: { n: 3 } });
    const answered = t.gw.app.knownQueries.stats.answered;
    const lane = await post({ query, variables: { n: 3 } });
    expect(t.gw.app.knownQueries.stats.answered - answered).toBe(1);
    expect(apollo.json().extensions).toEqual({ cost: { requestedQueryCost: 1 + 3 * (1 + 1), maximumAvailable: 50_000 } });
    expect(lane.body).toBe(apollo.body);
    // Another page size: its own cost, on the lane too.
    const bigger = await post({ query, variables: { n: 50 } });
    expect(bigger.json().extensions.cost.requestedQueryCost).toBe(1 + 50 * 2);
    expect(t.gw.app.knownQueries.stats.answered - answered).toBe(2);
    // No cost where nothing ran: variables that do not coerce keep execution's own error.
    const bad = await post({ query, variables: { n: 'x' } });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.json().extensions).toBeUndefined();
  });

  it('refuses an answer over MAX_RESPONSE_BYTES on both lanes, and sends the ones within', async () => {
    const small = await startTestGateway(driver, { env: { MAX_RESPONSE_BYTES: '1024' }, database: t.db });
    try {
      const send = (name: string, accept = 'application/json') =>
        small.gw.app.inject({
          method: 'POST',
          url: '/graphql',
          headers: { 'content-type': 'application/json', accept },
          payload: JSON.stringify({ query: 'query($name: String!) { __type(name: $name) { name fields { name description } } }', variables: { name } }),
        });
      expect((await send('Boolean')).json().data.__type.name).toBe('Boolean');
      const known = small.gw.app.knownQueries.stats;
      const before = { ...known };
      expect((await send('Boolean')).json().data.__type.name).toBe('Boolean');
      expect(known.answered - before.answered).toBe(1);
      // The lane hands the oversized answer to Apollo, which refuses it as every such answer.
      const big = await send('User');
      expect(known.fellThrough - before.fellThrough).toBe(1);
      expect(big.statusCode).toBe(200);
      expect(big.json()).toEqual({ errors: [{ message: expect.stringMatching(/^The answer would be \d+ bytes; the limit is 1024/), extensions: { code: 'QUERY_TOO_COMPLEX' } }] });
      const modern = await send('User', 'application/graphql-response+json');
      expect(modern.statusCode).toBe(400);
      expect(modern.json().errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    } finally {
      await small.gw.app.close();
    }
  });

  it('hides "Did you mean" suggestions when INTROSPECTION=false', async () => {
    const closed = await startTestGateway(driver, { env: { INTROSPECTION: 'false' }, database: t.db });
    try {
      const probes: [string, Record<string, unknown>?][] = [
        ['{ usr(username: "a") { id } }'],
        ['{ users(frist: 1) { totalCount } }'],
        ['{ organizations(orderBy: { field: SLG, direction: ASC }) { totalCount } }'],
        ['query($o: OrganizationOrder) { organizations(orderBy: $o) { totalCount } }', { o: { field: 'SLG', direction: 'ASC' } }],
        ['{ viewer { ... on Usr { id } } }'],
      ];
      for (const [query, variables] of probes) {
        const open = await post({ query, variables });
        const hidden = await closed.gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ query, variables }) });
        expect(open.body, query).toMatch(/Did you mean/);
        expect(hidden.body, query).not.toMatch(/Did you mean/);
        expect(hidden.json().errors[0].extensions.code).toBe(open.json().errors[0].extensions.code);
        expect(open.json().errors[0].message.startsWith(hidden.json().errors[0].message)).toBe(true);
      }
    } finally {
      await closed.gw.app.close();
    }
  });
});
