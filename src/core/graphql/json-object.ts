// The JSONObject scalar: graphql-scalars' (same name, same rules for values and output), except
// that an inline literal (`metadata: { k: 1 }`) becomes plain objects like a variable's JSON does.
// graphql-scalars builds literals on null-prototype objects, which drizzle-orm's `is()` (and any
// code that calls a method of Object.prototype on them) refuses, so the same value failed inline
// and worked as a variable.
//
// Invariant: every object this scalar hands to a resolver has Object.prototype; keys are own data
// properties (a `__proto__` key stays a key, it never sets a prototype).
import { GraphQLScalarType } from 'graphql';
import { JSONObjectResolver } from 'graphql-scalars';

/** A deep copy of a parsed literal with plain objects (arrays and scalars as they are). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: plain(v), enumerable: true, writable: true, configurable: true });
  return out;
}

export const JSONObjectScalar = new GraphQLScalarType({
  ...JSONObjectResolver.toConfig(),
  parseLiteral: (ast, variables) => plain(JSONObjectResolver.parseLiteral(ast, variables)),
});
