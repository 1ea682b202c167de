// Route schemas compile on a route's first request (core/lazy-validator.ts), so a schema ajv
// refuses would only show then: this compiles every dialect route's schemas eagerly, with the
// builder fastify uses, and checks the lazy one answers as the eager one does.
import AjvCompiler from '@fastify/ajv-compiler';
import { describe, expect, it } from 'vitest';
import { lazyValidatorBuilder } from '../src/core/lazy-validator.js';
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

  it('compiles on first use, once, and reports the same errors as an eager validator', () => {
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
    for (const data of [{ name: 'ok' }, { name: 'x' }, {}, { name: 'fine' }]) {
      expect(lazy(data)).toBe(eager(data));
      expect(lazy.errors).toEqual(eager.errors);
    }
    expect(compiles).toBe(1);
  });
});
