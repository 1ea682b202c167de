// The REST engine parses and validates every route's operation at start, once per distinct text:
// a bad one stops the start naming its route, and routes sharing an operation share its document.
import { describe, expect, it } from 'vitest';
import { compileDialect } from '../src/rest/engine.js';
import { DIALECTS } from '../src/rest/index.js';
import type { Dialect, Route } from '../src/rest/types.js';
import { buildSchema } from '../src/schema.js';

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
