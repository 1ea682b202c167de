// patches/postgres+3.4.9.patch: a pinned postgres.js connection (a transaction's, or
// sql.reserve()'s) whose socket is lost must reject its queries, not take the process down.
// Unpatched, nextWrite() wrote to the null socket from a setImmediate callback: an
// uncaughtException no caller can catch ("Cannot read properties of null (reading 'write')",
// upstream porsager/postgres#1154 and #1208). Each build runs in a child process
// (test/fixtures/postgres-lost-socket.mjs) through a TCP proxy whose sockets it drops; the same
// script against a copy with the patch reversed shows the crash it guards against.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const require = createRequire(import.meta.url);
const packageDir = require.resolve('postgres').replace(/[\\/]cjs[\\/]src[\\/]index\.js$/, '');
const script = join(projectRoot(), 'test', 'fixtures', 'postgres-lost-socket.mjs');
const run = (entry: string) => spawnSync(process.execPath, [script, entry, serverUrl!], { encoding: 'utf8', timeout: 60_000 });
const hasPatchTool = spawnSync('patch', ['--version']).status === 0;
const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe.skipIf(!serverUrl)('postgres.js after a lost connection (PostgreSQL; skipped without TEST_DATABASE_URL)', () => {
  // The gateway imports the ESM build (src/); the CommonJS build (cjs/src/) carries the same patch.
  it.each(['src', 'cjs/src'])('rejects the lost connection’s queries and recovers (%s, patched)', (build) => {
    const child = run(join(packageDir, build, 'index.js'));
    expect(child.stderr).not.toMatch(/TypeError/);
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({
      reservedAfterDrop: 'CONNECTION_CLOSED',
      reservedAgain: 'CONNECTION_CLOSED',
      // release() hands the dead connection back to the pool: its next query fails, and the
      // patched connection goes back to the closed queue to reopen for the one after.
      poolAfterDrop: 'CONNECTION_CLOSED',
      poolRecovered: 'ok',
      transaction: 'CONNECTION_CLOSED',
      poolAfterTransaction: 'ok',
    });
  });

  it.skipIf(!hasPatchTool)('crashes the process without the patch (the same script, the patch reversed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'igw-postgres-unpatched-'));
    temp.push(dir);
    cpSync(packageDir, join(dir, 'node_modules', 'postgres'), { recursive: true });
    const reverse = spawnSync('patch', ['-s', '-R', '-p1', '-d', dir], { input: readFileSync(join(projectRoot(), 'patches', 'postgres+3.4.9.patch')), encoding: 'utf8' });
    expect(reverse.status, reverse.stderr).toBe(0);
    const child = run(join(dir, 'node_modules', 'postgres', 'src', 'index.js'));
    expect(child.status).not.toBe(0);
    expect(child.stderr).toMatch(/Cannot read properties of null \(reading 'write'\)[\s\S]*nextWrite/);
  });
});
