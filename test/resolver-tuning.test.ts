// The resolver tuning (core/graphql/resolver-tuning.ts) never answers a field without the guard
// type-graphql attaches to it: test-only types with @UseMiddleware and @Authorized fields and
// field resolvers, built through the same tuning, run through graphql-js, graphql-jit and the
// gateway's QueryJit; the middleware or the auth checker must run and deny every time. The
// unguarded types beside them are tuned (so the guarded ones are spared by the rule, not by luck).
//
// The types live in test/fixtures/tuning-*-types.ts (their tsconfig.json gives them the
// project's decorator settings) and are imported inside the tests, in order: type-graphql's
// metadata is global, and once an @Authorized field exists every build needs an auth checker.
import { createRequire } from 'node:module';
import { execute, isObjectType, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { QueryJit } from '../src/core/graphql/jit.js';
import { buildTunedSchema } from '../src/core/graphql/resolver-tuning.js';

// The CommonJS build, as jit.ts loads it (one copy of graphql).
const { compileQuery, isCompiledQuery } = createRequire(import.meta.url)('graphql-jit') as typeof import('graphql-jit');

/** The query's answers from graphql-js, graphql-jit, and the gateway's jit (null: handed back to graphql-js). */
async function runEverywhere(schema: GraphQLSchema, query: string): Promise<{ js: ExecutionResult; jit: ExecutionResult; gateway: Record<string, unknown> | null }> {
  const document = parse(query);
  const js = await execute({ schema, document, contextValue: {} });
  const compiled = compileQuery(schema, document);
  if (!isCompiledQuery(compiled)) throw new Error(`graphql-jit did not compile: ${JSON.stringify(compiled)}`);
  const jit = await compiled.query(undefined, {}, {});
  const gateway = await new QueryJit(schema, { compileAfter: 1 }).tryQuery(document, undefined, {}, {});
  return { js, jit, gateway };
}

const fieldOf = (schema: GraphQLSchema, type: string, field: string) => {
  const t = schema.getType(type);
  if (!isObjectType(t)) throw new Error(`${type} is not an object type`);
  return t.getFields()[field]!;
};

const messages = (r: ExecutionResult) => (r.errors ?? []).map((e) => e.message);

describe('resolver tuning keeps every guard', () => {
  it('runs @UseMiddleware on fields and field resolvers, while unguarded types beside them are tuned', async () => {
    const { OpenThingResolver, ran } = await import('./fixtures/tuning-middleware-types.js');
    const schema = await buildTunedSchema({ resolvers: [OpenThingResolver], validate: false });

    // The unguarded type is tuned: plain fields and getters are property reads.
    expect(fieldOf(schema, 'TuningOpenThing', 'plain').resolve).toBeUndefined();
    expect(fieldOf(schema, 'TuningOpenThing', 'computed').resolve).toBeUndefined();
    // The guarded type keeps type-graphql's resolvers, the guarded field and the rest.
    expect(fieldOf(schema, 'TuningAuditedThing', 'audited').resolve).toBeTypeOf('function');
    expect(fieldOf(schema, 'TuningAuditedThing', 'computed').resolve).toBeTypeOf('function');

    const open = await runEverywhere(schema, '{ openThing { plain computed open(suffix: "!") } }');
    for (const r of [open.js, open.jit]) expect(r).toEqual({ data: { openThing: { plain: 'p', computed: 'computed', open: 'p!' } } });
    expect(open.gateway).toEqual({ openThing: { plain: 'p', computed: 'computed', open: 'p!' } });
    expect(ran).toEqual([]);

    for (const [query, field] of [
      ['{ auditedThing { plain computed audited } }', 'TuningAuditedThing.audited'],
      ['{ openThing { plain guarded } }', 'TuningOpenThing.guarded'],
    ] as const) {
      ran.length = 0;
      const r = await runEverywhere(schema, query);
      expect(messages(r.js)).toEqual(['denied by middleware']);
      expect(messages(r.jit)).toEqual(['denied by middleware']);
      expect(r.gateway).toBeNull();
      // graphql-js, graphql-jit, and the gateway's compiled query each ran it.
      expect(ran).toEqual([field, field, field]);
    }
  });

  it('runs the auth checker for @Authorized fields and field resolvers, and tunes nothing once one is configured', async () => {
    const checked: string[] = [];

    const { GuardedThingResolver } = await import('./fixtures/tuning-authorized-types.js');
    const schema = await buildTunedSchema({
      resolvers: [GuardedThingResolver],
      validate: false,
      authChecker: ({ info }) => {
        checked.push(`${info.parentType.name}.${info.fieldName}`);
        return false;
      },
    });
    // An auth checker applies to every field it is asked about: nothing is tuned away.
    expect(fieldOf(schema, 'TuningPlainThing', 'plain').resolve).toBeTypeOf('function');
    expect(fieldOf(schema, 'TuningGuardedThing', 'plain').resolve).toBeTypeOf('function');

    const plain = await runEverywhere(schema, '{ plainThing { plain } guardedThing { plain } }');
    expect(plain.js).toEqual({ data: { plainThing: { plain: 'p' }, guardedThing: { plain: 'p' } } });
    expect(plain.jit).toEqual(plain.js);
    expect(checked).toEqual([]);

    for (const [query, field] of [
      ['{ guardedThing { plain secret } }', 'TuningGuardedThing.secret'],
      ['{ guardedThing { plain viaResolver } }', 'TuningGuardedThing.viaResolver'],
    ] as const) {
      checked.length = 0;
      const r = await runEverywhere(schema, query);
      expect(messages(r.js)).toHaveLength(1);
      expect(messages(r.js)[0]).toMatch(/Access denied/);
      expect(messages(r.jit)).toEqual(messages(r.js));
      expect(r.gateway).toBeNull();
      expect(checked).toEqual([field, field, field]);
    }
  });

  it('refuses to build a schema where a guarded field would resolve without its guard', async () => {
    const { LeakyThingResolver } = await import('./fixtures/tuning-authorized-types.js');
    await expect(buildTunedSchema({ resolvers: [LeakyThingResolver], validate: false, authChecker: () => false })).rejects.toThrow(
      /TuningLeakyThing\.secret carries @Authorized or @UseMiddleware/,
    );
  });
});
