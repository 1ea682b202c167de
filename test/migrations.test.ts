// The committed SQL migrations match the table modules: drizzle-kit finds nothing to generate.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';

describe('migrations', () => {
  it('are up to date with schema/*.ts (otherwise run: npm run db:generate)', { timeout: 60_000 }, () => {
    const root = projectRoot();
    // drizzle-kit wants a path relative to the project; .test-artifacts/ is git-ignored.
    const rel = join('.test-artifacts', `migrations-check-${process.pid}`);
    const out = join(root, rel);
    rmSync(out, { recursive: true, force: true });
    cpSync(join(root, 'schema', 'migrations'), out, { recursive: true });
    const before = readdirSync(out).sort();
    const log = execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'drizzle-kit', 'bin.cjs'), 'generate', '--dialect', 'postgresql', '--schema', './schema/index.ts', '--out', rel],
      { cwd: root, encoding: 'utf8' },
    );
    expect(readdirSync(out).sort(), log).toEqual(before);
    expect(log).toMatch(/No schema changes/);
    rmSync(out, { recursive: true, force: true });
  });
});
