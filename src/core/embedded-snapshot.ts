// The embedded database's first start copies a migrated data directory made at build time
// (`npm run build` runs src/tools/embedded-snapshot.ts) instead of running initdb in WebAssembly:
// initdb took most of a first start (~6 s here) and grew the process to ~830 MB resident. A
// native copy of the directory (~40 MB) then opens as any restart does. (PGlite's own
// `loadDataDir` from a tarball was measured too: 2.9 s to open, against 1.4 s for copy + open.)
// The snapshot is keyed by the migrations and the PGlite version: a stale or missing one is not
// used, and the start falls back to initdb and migrations as before.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { migrationsFolder, projectRoot } from './db.js';

const require = createRequire(import.meta.url);

/** dist/pglite-snapshot: `pglite/` (the data directory, migrated, no rows) and `key`. */
export const snapshotDir = () => join(projectRoot(), 'dist', 'pglite-snapshot');

/** What the snapshot depends on: every migration file and the PGlite build. */
export function snapshotKey(): string {
  const hash = createHash('sha256');
  const pglite = JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string };
  hash.update(`pglite ${pglite.version}\n`);
  const folder = migrationsFolder();
  const files = [join('meta', '_journal.json'), ...readdirSync(folder).filter((f) => f.endsWith('.sql')).sort()];
  for (const f of files) hash.update(`${f}\n`).update(readFileSync(join(folder, f)));
  return hash.digest('hex');
}

/** Whether dist/ holds a snapshot of this build's migrations and PGlite. */
export function hasCurrentSnapshot(): boolean {
  try {
    return existsSync(join(snapshotDir(), 'pglite', 'PG_VERSION')) && readFileSync(join(snapshotDir(), 'key'), 'utf8').trim() === snapshotKey();
  } catch {
    return false;
  }
}

/**
 * Copies the snapshot into `target` (a PGlite data directory that holds no database yet) when
 * there is a current one; true when it did. Copied beside it and renamed into place, so a start
 * cut short mid-copy leaves no half database behind.
 */
export function seedFromSnapshot(target: string): boolean {
  if (!hasCurrentSnapshot()) return false;
  if (existsSync(target) && readdirSync(target).length > 0) return false;
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(join(snapshotDir(), 'pglite'), partial, { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  return true;
}
