// Queries answered by graphql-jit (core/graphql/jit.ts) give byte for byte what graphql-js gives:
// two gateways on one database, one compiling every query (GRAPHQL_JIT_AFTER=1), one never (0).
// Errors always come from graphql-js; mutations never run twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';
import { seedDemo } from '../src/tools/seed.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

const bench = (name: string) => readFileSync(join(projectRoot(), 'test', 'bench', 'queries', `${name}.graphql`), 'utf8');

// What a selection can do: fragments (named, inline, on an interface), aliases, __typename,
// @skip/@include from variables, edges and cursors, totalCount (a promise), scalars (DateTime,
// JSONObject, enums), nulls, lists, node(id) and nodes(ids).
const CASES: [string, string, Record<string, unknown>][] = [
  ['page (bench)', bench('page'), {}],
  ['logs (bench)', bench('logs'), { username: 'alice', actions: ['message.create', 'message.read', 'organization.create'] }],
  ['small (bench)', bench('small'), { username: 'alice' }],
  [
    'fragments, aliases, directives, cursors, counts',
    `query q($withGroups: Boolean!, $skipCount: Boolean!) {
      __typename
      first: organizations(first: 2, orderBy: { field: SLUG, direction: DESC }) {
        totalCount @skip(if: $skipCount)
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { ...org } }
      }
      again: organizations(first: 1) { nodes { __typename slug kids: children(first: 5) { totalCount nodes { slug parent { slug } } } } }
      users(first: 5) { totalCount nodes { ...person groups @include(if: $withGroups) { name organization { slug } } } }
    }
    fragment org on Organization { id slug name createdAt quota { __typename } memberships(first: 3) { totalCount nodes { role createdAt user { ...person } } } ancestors { slug } }
    fragment person on User { id databaseId username name state isActive social createdAt confirmedAt email emails { value } memberships { role organization { slug } } }`,
    { withGroups: true, skipCount: false },
  ],
  [
    'nodes through the Node interface',
    `query n($id: ID!) {
      viewer { id username ... on Node { id } }
      node(id: $id) { __typename id ... on User { username organizations { slug } } ... on Organization { slug } }
      nodes(ids: [$id, $id]) { id }
      messages(first: 5) { totalCount nodes { createdAt metadata isService owner { username } accesses { __typename } eventLogs(first: 3) { nodes { action occurredAt data user { username } } } } }
    }`,
    {},
  ],
];

describe.each(DRIVERS)('graphql-jit on %s', (driver) => {
  let jit: TestGateway;
  let reference: TestGateway;
  beforeAll(async () => {
    reference = await startTestGateway(driver, { env: { GRAPHQL_JIT_AFTER: '0' } });
    await seedDemo(reference.db.db, reference.config, () => {});
    jit = await startTestGateway(driver, { env: { GRAPHQL_JIT_AFTER: '1' }, database: reference.db });
    const viewer = await reference.gql('{ viewer { id } }', {}, { token: ADMIN.token });
    const alice = await reference.gql('{ user(username: "alice") { id } }', {}, { token: ADMIN.token });
    CASES[4]![2] = { id: alice.body.data.user.id };
    expect(viewer.body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await jit?.gw.app.close();
    await reference?.close();
  });

  it.each(CASES.map(([name], i) => [name, i] as const))('%s: same answer as graphql-js', async (_name, i) => {
    const [, query, variables] = CASES[i]!;
    const expected = await reference.gql(query, variables, { token: ADMIN.token });
    expect(expected.body.errors).toBeUndefined();
    const answered = jit.gw.app.queryJit.stats.answered;
    for (let run = 0; run < 2; run++) {
      const got = await jit.gql(query, variables, { token: ADMIN.token });
      expect(got.status).toBe(expected.status);
      expect(JSON.stringify(got.body)).toBe(JSON.stringify(expected.body));
    }
    expect(jit.gw.app.queryJit.stats.answered - answered).toBe(2);
    expect(reference.gw.app.queryJit.stats.answered).toBe(0);
  });

  it('statements: a compiled query reads what graphql-js reads', async () => {
    const [, query, variables] = CASES[0]!;
    const count = async (t: TestGateway) => {
      const before = t.db.statementCount;
      await t.gql(query, variables, { token: ADMIN.token });
      return t.db.statementCount - before;
    };
    expect(await count(jit)).toBe(await count(reference));
  });

  it('errors: graphql-js answers them, with their codes and partial data', async () => {
    const query = `query e($u: String!) { a: user(username: $u) { username } b: user(username: "alice", id: "x") { username } }`;
    const expected = await reference.gql(query, { u: 'alice' }, { token: ADMIN.token });
    expect(expected.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const handedBack = jit.gw.app.queryJit.stats.handedBack;
    const got = await jit.gql(query, { u: 'alice' }, { token: ADMIN.token });
    expect(got.body).toEqual(expected.body);
    expect(jit.gw.app.queryJit.stats.handedBack).toBe(handedBack + 1);
    // Variables that do not coerce: the same 400 with BAD_USER_INPUT.
    const badVars = await jit.gql(query, { u: 42 }, { token: ADMIN.token });
    const refBadVars = await reference.gql(query, { u: 42 }, { token: ADMIN.token });
    expect(badVars.status).toBe(refBadVars.status);
    expect(badVars.body).toEqual(refBadVars.body);
  });

  it('mutations run once, on graphql-js', async () => {
    const before = await jit.gql('{ organizations(filter: { search: "jit-once" }) { totalCount } }', {}, { token: ADMIN.token });
    const answered = jit.gw.app.queryJit.stats;
    const { answered: answeredBefore, handedBack: handedBackBefore } = answered;
    const created = await jit.gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { slug } userErrors { message } } }',
      { i: { slug: 'jit-once', name: 'Jit once' } },
      { token: ADMIN.token },
    );
    expect(created.body.data.createOrganization).toEqual({ organization: { slug: 'jit-once' }, userErrors: [] });
    // Never offered to the jit: neither answered by it nor run there and handed back.
    expect([answered.answered, answered.handedBack]).toEqual([answeredBefore, handedBackBefore]);
    const after = await jit.gql('{ organizations(filter: { search: "jit-once" }) { totalCount } }', {}, { token: ADMIN.token });
    expect(after.body.data.organizations.totalCount).toBe(before.body.data.organizations.totalCount + 1);
  });

  it('REST routes answer alike with and without the jit', async () => {
    const get = (t: TestGateway) => t.gw.app.inject({ method: 'GET', url: '/api/v4/users?per_page=5', headers: { authorization: `Bearer ${ADMIN.token}` } });
    const expected = await get(reference);
    expect(expected.statusCode).toBe(200);
    const answered = jit.gw.app.queryJit.stats.answered;
    for (let run = 0; run < 2; run++) {
      const got = await get(jit);
      expect(got.statusCode).toBe(200);
      expect(got.body).toBe(expected.body);
      expect(got.headers['x-total']).toBe(expected.headers['x-total']);
    }
    expect(jit.gw.app.queryJit.stats.answered - answered).toBe(2);
  });
});
