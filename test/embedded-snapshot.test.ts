// The embedded first start copies the build's migrated snapshot (dist/pglite-snapshot, made by
// `npm run build`) instead of running initdb: a new DATA_DIR opens with every migration already
// applied. The copy only ever fills an empty directory.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrationsFolder, openDatabase, rowsOf } from '../src/core/db.js';
import { hasCurrentSnapshot, seedFromSnapshot } from '../src/core/embedded-snapshot.js';
import { tempDir } from './helpers/gateway.js';

const journalEntries = () => (JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

describe('the embedded database snapshot', () => {
  it('is made by the build for the current migrations', () => {
    expect(hasCurrentSnapshot(), 'dist/pglite-snapshot is missing or stale: run `npm run build`').toBe(true);
  });

  it('gives a new data directory every migration before migrate() runs', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir });
    try {
      const [row] = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(Number(row!.n)).toBe(journalEntries());
      await db.migrate();
      await db.checkReady(5_000);
    } finally {
      await db.close();
    }
  });

  it('never copies over something: a non-empty directory is left as it is', () => {
    const target = join(tempDir(), 'pglite');
    mkdirSync(target);
    writeFileSync(join(target, 'something'), 'x');
    expect(seedFromSnapshot(target)).toBe(false);
    expect(readFileSync(join(target, 'something'), 'utf8')).toBe('x');
    const empty = join(tempDir(), 'pglite');
    expect(seedFromSnapshot(empty)).toBe(true);
    expect(readFileSync(join(empty, 'PG_VERSION'), 'utf8')).toMatch(/^\d+/);
  });
});
