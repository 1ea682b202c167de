// The module layout the schema relies on (src/schema.ts lists modules; each index.ts exports
// its `resolvers` and `nodeFetchers`): a module registers only what its own folder defines, so
// adding or moving a module never means editing another module's index.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';

const modulesDir = join(projectRoot(), 'src', 'modules');
const modules = readdirSync(modulesDir).filter((m) => existsSync(join(modulesDir, m, 'index.ts')));

describe('graph modules', () => {
  it('each index.ts imports resolvers, services and types from its own folder only', () => {
    expect(modules.length).toBeGreaterThan(5);
    for (const m of modules) {
      const source = readFileSync(join(modulesDir, m, 'index.ts'), 'utf8');
      const foreign = [...source.matchAll(/from '(\.\.\/[^']+)'/g)]
        .map((x) => x[1]!)
        // The node registry's types and core helpers are shared by design.
        .filter((p) => !p.startsWith('../node/node.registry') && !p.startsWith('../../core/'));
      expect(foreign, `src/modules/${m}/index.ts`).toEqual([]);
    }
  });

  it('src/schema.ts lists every module that has an index.ts', () => {
    const schema = readFileSync(join(projectRoot(), 'src', 'schema.ts'), 'utf8');
    for (const m of modules) expect(schema, m).toContain(`'./modules/${m}/index.js'`);
  });

  it('every users-module file stays under 500 lines and opens with what it is responsible for', () => {
    const dir = join(modulesDir, 'users');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const lines = readFileSync(join(dir, f), 'utf8').split('\n');
      expect(lines.length, f).toBeLessThan(500);
      expect(lines[0], f).toMatch(/^\/\/ \S/);
    }
  });
});
