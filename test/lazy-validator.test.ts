// Route schemas compile on a route's first request (core/lazy-validator.ts), so a schema ajv
// refuses would only show then: this compiles every dialect route's schemas eagerly, with the
// builder fastify uses, and checks the lazy one answers as the eager one does.
import AjvCompiler from '@fastify/ajv-compiler';
import { describe, expect, it } from 'vitest';
import { lazyValidatorBuilder, markTextValued, MAX_REPORTED_ERRORS } from '../src/core/lazy-validator.js';
import { DIALECTS } from '../src/rest/index.js';

// What fastify passes when its `ajv` option is left unset.
const FASTIFY_DEFAULTS = { customOptions: {}, plugins: [] };

describe('route schema validators', () => {
  it('every REST route schema compiles with fastify’s ajv builder', () => {
    const compile = AjvCompiler()({}, FASTIFY_DEFAULTS);
    let parts = 0;
    for (const dialect of DIALECTS) {
      for (const route of dialect.routes) {
        for (const [httpPart, schema] of Object.entries({ params: route.params, querystring: route.querystring, body: route.body })) {
          if (schema === undefined) continue;
          expect(() => compile({ schema, method: route.method, url: route.path, httpPart }), `${dialect.name} ${route.method} ${route.path} ${httpPart}`).not.toThrow();
          parts++;
        }
      }
    }
    expect(parts).toBeGreaterThan(20);
  });

  it('compiles on first use, once per schema, and reports what an eager validator reports', async () => {
    const eagerBuild = AjvCompiler();
    let compiles = 0;
    const counting: typeof eagerBuild = (external, options) => {
      const compile = eagerBuild(external, options);
      return (route) => {
        compiles++;
        return compile(route);
      };
    };
    const schema = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 2 } } };
    const lazy = lazyValidatorBuilder(counting)({}, FASTIFY_DEFAULTS)({ schema, httpPart: 'body' });
    const eager = eagerBuild({}, FASTIFY_DEFAULTS)({ schema, httpPart: 'body' });
    expect(compiles).toBe(0);
    for (const data of [{ name: 'ok' }, { name: 'x' }, {}, { name: 'fine' }, { name: 'y' }]) {
      expect(lazy(data)).toBe(eager(data));
      expect(lazy.errors ?? null).toEqual(eager.errors ?? null);
    }
    // The whole schema once, and its one property once (for the failures' field list).
    expect(compiles).toBe(2);
  });

  const build = () => lazyValidatorBuilder()({}, FASTIFY_DEFAULTS);
  const schema = {
    type: 'object',
    required: ['name', 'email'],
    properties: { name: { type: 'string' }, count: { type: 'integer' }, admin: { type: 'boolean' }, email: { type: 'string', pattern: '^[^@]+@[^@]+$' } },
  };

  it('never coerces JSON bodies; coerces parameters and form bodies (text)', () => {
    const body = build()({ schema, httpPart: 'body' });
    for (const bad of [{ name: ['a'], email: 'a@b' }, { name: true, email: 'a@b' }, { name: 'a', email: 'a@b', count: [1] }, { name: 'a', email: 'a@b', count: true }, { name: 'a', email: 'a@b', admin: null }, { name: 'a', email: 'a@b', count: '5' }]) {
      expect(body(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(body({ name: 'a', email: 'a@b', count: 5, admin: false })).toBe(true);
    // A form's values are all text: they coerce, as query parameters do.
    const form = markTextValued({ name: 'a', email: 'a@b', count: '5', admin: 'true' } as Record<string, unknown>);
    expect(body(form)).toBe(true);
    expect(form).toMatchObject({ count: 5, admin: true });
    const query = build()({ schema, httpPart: 'querystring' });
    const q: Record<string, unknown> = { name: 'a', email: 'a@b', count: '7' };
    expect(query(q)).toBe(true);
    expect(q.count).toBe(7);
  });

  it('lists every bad field once (missing ones first), bounded by the schema, not the input', () => {
    const body = build()({ schema, httpPart: 'body' });
    expect(body({ name: 5, count: 'x', admin: 'no' })).toBe(false);
    expect(body.errors!.map((e) => [e.instancePath, e.keyword, e.params])).toEqual([
      ['', 'required', { missingProperty: 'email' }],
      ['/name', 'type', { type: 'string' }],
      ['/count', 'type', { type: 'integer' }],
      ['/admin', 'type', { type: 'boolean' }],
    ]);
    // Thousands of bad items in one field: one failure for that field.
    const items = build()({ schema: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } }, httpPart: 'body' });
    expect(items({ tags: Array.from({ length: 5000 }, (_, i) => i) })).toBe(false);
    expect(items.errors).toHaveLength(1);
    // Many bad fields: at most MAX_REPORTED_ERRORS.
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, { type: 'string' }]));
    const wide = build()({ schema: { type: 'object', properties: many }, httpPart: 'body' });
    expect(wide(Object.fromEntries(Object.keys(many).map((k) => [k, 1])))).toBe(false);
    expect(wide.errors).toHaveLength(MAX_REPORTED_ERRORS);
  });
});
