// Part of `npm run build`: makes dist/pglite-snapshot, an empty embedded database with every
// migration applied, for the first start of an embedded gateway (core/embedded-snapshot.ts). Does
// nothing when the snapshot already matches the migrations and the PGlite version.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase } from '../core/db.js';
import { hasCurrentSnapshot, snapshotDir, snapshotKey } from '../core/embedded-snapshot.js';

async function main() {
  if (hasCurrentSnapshot()) return;
  const started = performance.now();
  const work = mkdtempSync(join(dirname(snapshotDir()), '.pglite-snapshot-'));
  try {
    const db = await openDatabase({ dataDir: work });
    try {
      await db.migrate();
    } finally {
      await db.close();
    }
    rmSync(join(work, 'pglite.lock'), { force: true });
    writeFileSync(join(work, 'key'), `${snapshotKey()}\n`);
    rmSync(snapshotDir(), { recursive: true, force: true });
    renameSync(work, snapshotDir());
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`embedded database snapshot made in ${Math.round(performance.now() - started)} ms: ${snapshotDir()}\n`);
}

main().catch((err) => {
  // Not fatal: without a snapshot the first embedded start runs initdb, as it always could.
  process.stderr.write(`embedded database snapshot not made: ${err instanceof Error ? err.message : String(err)}\n`);
});
