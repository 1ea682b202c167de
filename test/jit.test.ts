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

  describe('known queries (core/graphql/known-queries.ts)', () => {
    const post = (t: TestGateway, body: unknown, headers: Record<string, string> = {}) =>
      t.gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN.token}`, ...headers }, payload: JSON.stringify(body) });
    // What a response says, without what differs on every request.
    // (The budget left and the seconds to its reset change with each request: only their presence is compared.)
    const head = (r: { statusCode: number; headers: Record<string, unknown> }) => {
      const { date: _d, 'x-request-id': _id, 'ratelimit-remaining': remaining, 'ratelimit-reset': reset, ...rest } = r.headers;
      return { status: r.statusCode, ...rest, budget: [remaining !== undefined, reset !== undefined] };
    };

    it.each(CASES.map(([name], i) => [name, i] as const))('%s: the lane answers with the bytes and headers Apollo gives', async (_name, i) => {
      const [, query, variables] = CASES[i]!;
      const expected = await post(reference, { query, variables });
      // Fresh text per case (a trailing comment), so the first request is Apollo's.
      const body = { query: `${query}\n# lane ${i}`, variables };
      const viaApollo = await post(jit, body);
      const lane = jit.gw.app.knownQueries.stats.answered;
      const viaLane = [await post(jit, body), await post(jit, body)];
      expect(jit.gw.app.knownQueries.stats.answered - lane).toBe(2);
      for (const r of [viaApollo, ...viaLane]) {
        expect(r.body).toBe(expected.body);
        expect(head(r)).toEqual(head(expected));
      }
    });

    it('writes text beyond ASCII byte for byte (descriptions with ’)', async () => {
      const body = { query: '{ __type(name: "Membership") { fields { name description } } } # utf-8' };
      const expected = await post(reference, body);
      expect(expected.body).toContain('’');
      await post(jit, body);
      const lane = jit.gw.app.knownQueries.stats.answered;
      const got = await post(jit, body);
      expect(jit.gw.app.knownQueries.stats.answered - lane).toBe(1);
      expect(got.rawPayload.equals(expected.rawPayload)).toBe(true);
      expect(head(got)).toEqual(head(expected));
    });

    it('replays the content type Apollo chose for each Accept header, and only those', async () => {
      const body = { query: '{ viewer { username } } # accept' };
      for (const accept of ['application/graphql-response+json', 'application/json', '*/*']) {
        const expected = await post(reference, body, { accept });
        await post(jit, body, { accept });
        const lane = jit.gw.app.knownQueries.stats.answered;
        const got = await post(jit, body, { accept });
        expect(jit.gw.app.knownQueries.stats.answered - lane).toBe(1);
        expect(head(got)).toEqual(head(expected));
        expect(got.body).toBe(expected.body);
      }
      // An Accept header Apollo refuses (406) is never learnt: Apollo answers it every time.
      const refused = await post(jit, body, { accept: 'text/csv' });
      const lane = jit.gw.app.knownQueries.stats.answered;
      expect((await post(jit, body, { accept: 'text/csv' })).statusCode).toBe(refused.statusCode);
      expect(refused.statusCode).toBe(406);
      expect(jit.gw.app.knownQueries.stats.answered).toBe(lane);
    });

    it('leaves to Apollo what it must answer: errors, bad credentials, limits, other bodies', async () => {
      const query = 'query one($u: String!) { user(username: $u) { username } } # fall through';
      await post(jit, { query, variables: { u: 'alice' } });
      const known = jit.gw.app.knownQueries.stats;
      const before = { ...known };
      const same = async (body: unknown, headers: Record<string, string> = {}) => {
        const [got, expected] = [await post(jit, body, headers), await post(reference, body, headers)];
        expect(head(got)).toEqual(head(expected));
        expect(got.body).toBe(expected.body);
        return got;
      };
      // Variables that do not coerce: compiled code fails, Apollo answers (graphql-js), once more.
      const handedBack = jit.gw.app.queryJit.stats.handedBack;
      expect((await same({ query, variables: { u: 42 } })).json().errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(jit.gw.app.queryJit.stats.handedBack - handedBack).toBe(1);
      expect(known.fellThrough - before.fellThrough).toBe(1);
      // A bad token, a malformed Authorization header: the same 401 as ever.
      expect((await same({ query, variables: { u: 'alice' } }, { authorization: 'Bearer nope' })).statusCode).toBe(401);
      expect((await same({ query, variables: { u: 'alice' } }, { authorization: 'Basic eA==' })).statusCode).toBe(401);
      // Extensions, an unknown operation name, a different operation name: not the lane's.
      await same({ query, variables: { u: 'alice' }, extensions: {} });
      await same({ query, variables: { u: 'alice' }, operationName: 'other' });
      expect(known.answered).toBe(before.answered);
      // The known text, well asked: the lane.
      await same({ query, variables: { u: 'alice' }, operationName: 'one' });
      await same({ query, variables: { u: 'alice' }, operationName: 'one' });
      expect(known.answered - before.answered).toBe(1);
    });

    it('checks the query limits on every request', async () => {
      const query = 'query pages($n: Int!) { organizations(first: $n) { nodes { children(first: $n) { nodes { memberships(first: $n) { nodes { role } } } } } } } # limits';
      const small = { query, variables: { n: 2 } };
      await post(jit, small);
      const lane = jit.gw.app.knownQueries.stats.answered;
      expect((await post(jit, small)).statusCode).toBe(200);
      expect(jit.gw.app.knownQueries.stats.answered - lane).toBe(1);
      const big = { query, variables: { n: 100 } };
      const got = await post(jit, big);
      const expected = await post(reference, big);
      expect(got.body).toBe(expected.body);
      expect(head(got)).toEqual(head(expected));
      expect(got.json().errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
      expect(jit.gw.app.knownQueries.stats.answered - lane).toBe(1);
    });
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
