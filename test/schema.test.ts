// The committed SDL is the contract other tools build against: the code must not drift from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';
import { buildSchema } from '../src/schema.js';

describe('schema contract', () => {
  it('matches schema/schema.graphql (regenerate with: npm run schema:print)', async () => {
    const committed = readFileSync(join(projectRoot(), 'schema', 'schema.graphql'), 'utf8');
    const current = printSchema(await buildSchema()) + '\n';
    expect(current, 'schema drifted from schema/schema.graphql — run `npm run schema:print` and commit it').toBe(committed);
  });

  it('describes every type and field', async () => {
    const schema = await buildSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Boolean', 'Int', 'Float', 'ID'].includes(type.name)) continue;
      // Root operation types are self-explanatory and conventionally undescribed.
      if (!type.description && !['Query', 'Mutation', 'Subscription'].includes(type.name)) missing.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
