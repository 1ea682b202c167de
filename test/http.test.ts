// Bad input at the HTTP edge gets a clear 4xx with a stable code — never a 500, a stack
// trace, SQL or a hang — and operational endpoints answer as probes expect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DRIVERS, LogCapture, openTestDatabase, startTestGateway, type TestGateway } from './helpers/gateway.js';

describe.each(DRIVERS)('HTTP edge on %s', (driver) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(driver);
  });
  afterAll(() => t.close());

  const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    t.gw.app.inject({ method: 'POST', url: '/graphql', headers, payload });
  const codeOf = (res: { json(): any }) => res.json().errors?.[0]?.extensions?.code;

  it('answers malformed JSON with 400 BAD_REQUEST in GraphQL error shape', async () => {
    const res = await post('{"query": "{ __typename }"');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(codeOf(res)).toBe('BAD_REQUEST');
  });

  it('answers a JSON array, a string and a missing query with 400', async () => {
    for (const body of ['[{"query":"{ __typename }"}]', '"hello"', '{}', '{"query": 42}', '{"query":"{ __typename }","variables":"x"}']) {
      const res = await post(body);
      expect(res.statusCode, body).toBe(400);
      expect(codeOf(res), body).toBe('BAD_REQUEST');
    }
  });

  it('answers an unknown content type with 415 and text/plain (CSRF-prone) with 400', async () => {
    const xml = await post('<query/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
    expect(codeOf(xml)).toBe('UNSUPPORTED_MEDIA_TYPE');
    const text = await post('{"query":"{ __typename }"}', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(400);
    expect(text.json().errors[0].message).toMatch(/CSRF|content-type/i);
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await post(JSON.stringify({ query: '{ __typename }', variables: { x: 'a'.repeat(t.config.bodyLimit + 10) } }));
    expect(res.statusCode).toBe(413);
    expect(codeOf(res)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reports validation failures as GRAPHQL_VALIDATION_FAILED: 200 for application/json, 400 for graphql-response+json', async () => {
    const q = JSON.stringify({ query: '{ noSuchField }' });
    const legacy = await post(q, { 'content-type': 'application/json', accept: 'application/json' });
    expect(legacy.statusCode).toBe(200);
    expect(codeOf(legacy)).toBe('GRAPHQL_VALIDATION_FAILED');
    const modern = await post(q, { 'content-type': 'application/json', accept: 'application/graphql-response+json' });
    expect(modern.statusCode).toBe(400);
    expect(modern.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
    expect(codeOf(modern)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('reports syntax errors, unknown operation names and bad variables with stable codes', async () => {
    expect(codeOf(await post(JSON.stringify({ query: '{ viewer { id ' })))).toBe('GRAPHQL_PARSE_FAILED');
    expect(codeOf(await post(JSON.stringify({ query: '{'.repeat(20_000) })))).toBe('GRAPHQL_PARSE_FAILED');
    expect(codeOf(await post(JSON.stringify({ query: 'query A { __typename } query B { __typename }', operationName: 'C' })))).toBe('OPERATION_RESOLUTION_FAILURE');
    expect(codeOf(await post(JSON.stringify({ query: 'query A { __typename } query B { __typename }' })))).toBe('OPERATION_RESOLUTION_FAILURE');
    const badVar = await post(JSON.stringify({ query: 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', variables: { i: { login: 1 } } }));
    expect(codeOf(badVar)).toBe('BAD_USER_INPUT');
  });

  it('refuses queries over the depth or cost limit before running them, and allows introspection', async () => {
    const deep = `{ viewer { memberships { organization { ${'parent { '.repeat(14)}slug${' }'.repeat(14)} } } } }`;
    expect(codeOf(await post(JSON.stringify({ query: deep })))).toBe('QUERY_TOO_DEEP');
    const costly = `{ organizations(first: 100) { nodes { memberships(first: 100) { nodes { user { username } organization { children(first: 100) { nodes { slug } } } } } } } }`;
    expect(codeOf(await post(JSON.stringify({ query: costly })))).toBe('QUERY_TOO_COMPLEX');
    const modest = `{ organizations(first: 20) { nodes { memberships(first: 20) { nodes { user { username } } } } } }`;
    expect((await post(JSON.stringify({ query: modest }))).json().errors).toBeUndefined();
    // One document, its cost kept per variables (limits.ts): each page size judged on its own,
    // in either order, repeated.
    const sized = `query($n: Int) { organizations(first: $n) { nodes { memberships(first: $n) { nodes { user { username } organization { children(first: $n) { nodes { slug } } } } } } } }`;
    for (const n of [5, 100, 5, 100]) {
      const res = await post(JSON.stringify({ query: sized, variables: { n } }));
      if (n === 100) expect(codeOf(res), `n=${n}`).toBe('QUERY_TOO_COMPLEX');
      else expect(res.json().errors, `n=${n}`).toBeUndefined();
    }
    const { getIntrospectionQuery } = await import('graphql');
    const intro = await post(JSON.stringify({ query: getIntrospectionQuery() }));
    expect(intro.json().data.__schema.queryType.name).toBe('Query');
  });

  it('never includes stack traces in errors', async () => {
    const res = await post(JSON.stringify({ query: '{ nope }' }));
    expect(JSON.stringify(res.json())).not.toMatch(/stacktrace|\bat .*\.(ts|js):\d+/);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await t.gw.app.inject({ method: 'GET', url: '/no/such/path?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('echoes a valid x-request-id and generates one otherwise', async () => {
    const given = await t.gw.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'req-123' } });
    expect(given.headers['x-request-id']).toBe('req-123');
    const hostile = await t.gw.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\u0000<script>' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves /healthz and /readyz', async () => {
    expect((await t.gw.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.gw.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });
});

describe.each(DRIVERS)('failures that are not the caller’s fault on %s', (driver) => {
  it('masks unexpected errors (no SQL, no stack), logs them with the request id, and readyz turns 503', async () => {
    const logs = new LogCapture();
    const db = await openTestDatabase(driver);
    const t = await startTestGateway(driver, { logs, database: db });
    // Pull the database out from under the running gateway.
    const reallyClose = db.close.bind(db);
    await reallyClose();
    const res = await t.gw.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN.token}`, 'x-request-id': 'req-masked-1' },
      payload: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    const body = JSON.stringify(res.json());
    expect(res.json().errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(body).not.toMatch(/select|from|personal_access_tokens|stack|\.ts:/i);
    expect(logs.lines.some((l) => l.includes('req-masked-1') && JSON.parse(l).level >= 50)).toBe(true);
    const ready = await t.gw.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    await t.gw.app.close();
  });
});
