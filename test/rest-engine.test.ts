// The REST engine parses and validates every route's operation at start, once per distinct text:
// a bad one stops the start naming its route, and routes sharing an operation share its document.
import Fastify from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { QueryJit } from '../src/core/graphql/jit.js';
import { compileDialect, mountDialect } from '../src/rest/engine.js';
import { DIALECTS } from '../src/rest/index.js';
import { openApiDocument } from '../src/rest/openapi.js';
import type { Dialect, Route } from '../src/rest/types.js';
import { buildSchema } from '../src/schema.js';
import { ADMIN, startTestGateway } from './helpers/gateway.js';

const dialectOf = (routes: Partial<Route>[]) => ({ ...DIALECTS[0]!, name: 'probe', routes: routes as Route[] }) as Dialect;

describe('compileDialect', () => {
  it('throws naming every route whose operation does not parse or validate', async () => {
    const schema = await buildSchema();
    const dialect = dialectOf([
      { method: 'GET', path: '/ok', operation: '{ viewer { username } }' },
      { method: 'GET', path: '/unknown-field', operation: '{ viewer { nope } }' },
      { method: 'POST', path: '/unparsable', operation: '{ viewer {' },
      { method: 'GET', path: '/two-ops', operation: 'query A { viewer { id } } query B { viewer { id } }' },
    ]);
    expect(() => compileDialect(schema, dialect)).toThrow(/REST dialect "probe" has invalid operations:\n  GET \/unknown-field: Cannot query field "nope".*\n  POST \/unparsable: Syntax Error.*\n  GET \/two-ops: needs exactly one operation$/s);
    // A failure is kept per schema like a success: the second compile still refuses.
    expect(() => compileDialect(schema, dialect)).toThrow(/GET \/unknown-field: Cannot query field "nope"/);
  });

  it('parses a shared operation once and every real dialect compiles', async () => {
    const schema = await buildSchema();
    const [a, b] = compileDialect(schema, dialectOf([
      { method: 'GET', path: '/a', operation: 'query($u: String!) { user(username: $u) { id } }' },
      { method: 'GET', path: '/b', operation: 'query($u: String!) { user(username: $u) { id } }' },
    ]));
    expect(a!.document).toBe(b!.document);
    for (const dialect of DIALECTS) expect(compileDialect(schema, dialect)).toHaveLength(dialect.routes.length);
  });
});

describe('deny by default', () => {
  it('answers a route 401 without a credential unless it says it is public; the OpenAPI document says which', async () => {
    const t = await startTestGateway('pglite');
    const app = Fastify();
    try {
      const schema = await buildSchema();
      const dialect = dialectOf([
        { method: 'GET', path: '/closed', operation: '{ viewer { username } }', respond: (d: { viewer: { username: string } | null }) => ({ body: { who: d.viewer?.username ?? null } }) },
        { method: 'GET', path: '/open', public: true, operation: '{ viewer { username } }', respond: (d: { viewer: { username: string } | null }) => ({ body: { who: d.viewer?.username ?? null } }) },
      ]);
      mountDialect(app, { schema, jit: new QueryJit(schema, { compileAfter: 0 }), deps: t.gw.deps, dialect, mount: '/probe', logger: pino({ level: 'silent' }) });
      const get = (path: string, token?: string) => app.inject({ method: 'GET', url: `/probe${path}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
      const closed = await get('/closed');
      expect(closed.statusCode).toBe(401);
      expect(closed.json()).toEqual(dialect.error({ code: 'UNAUTHENTICATED', message: 'Authentication required', status: 401 }).body);
      expect((await get('/closed', ADMIN.token)).json()).toEqual({ who: ADMIN.username });
      expect((await get('/open')).json()).toEqual({ who: null });
      const doc = openApiDocument(dialect, '/probe') as { paths: Record<string, { get: { security?: unknown[] } }> };
      expect(doc.paths['/probe/open']!.get.security).toEqual([]);
      expect(doc.paths['/probe/closed']!.get.security).toBeUndefined();
    } finally {
      await app.close();
      await t.close();
    }
  });
});
