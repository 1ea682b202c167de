// core/read: every field of every object type declares the columns of its row it reads
// (@Reads, or one type-level declaration for types that are not a row or are only ever built
// from a whole row), and the declarations are true: a field resolved on an object built from a
// row holding ONLY its declared columns answers without touching any other column.
import { isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/core/auth/principal.js';
import { fieldReads, typeReads } from '../src/core/read/reads.js';
import { buildSchema } from '../src/schema.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

const objectTypes = () =>
  Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && !['Query', 'Mutation', 'Subscription'].includes(t.name));

describe('read declarations', () => {
  it('every field of every object type declares what it reads', () => {
    const missing: string[] = [];
    for (const type of objectTypes()) {
      if (typeReads(type)) continue;
      for (const field of Object.keys(type.getFields())) if (!fieldReads(type, field)) missing.push(`${type.name}.${field}`);
    }
    expect(missing, 'add @Reads(...) to these fields, or @ReadsNoRow()/@ReadsWholeRow() to their type').toEqual([]);
  });
});
