// The embedded database belongs to one process: a second gateway, or `npm run seed`, on the same
// DATA_DIR refuses to start with a message naming the holder and exit code 75, and a lock whose
// process is gone is taken over. Real processes (node dist/main.js, dist/src/tools/seed.js).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_LOCKED_EXIT, DataDirLockedError, lockDataDir, lockPath } from '../src/core/data-dir-lock.js';
import { tempDir } from './helpers/gateway.js';
import { MAIN, run, SEED, startGatewayProcess } from './helpers/spawn-gateway.js';

/** A pid that surely names no process now: one that has just exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('the data directory lock (in one process)', () => {
  it('is exclusive, names its holder, and is released', () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    const holder = JSON.parse(readFileSync(lockPath(dir), 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    // This very process holds it: a second open in it (a second PGlite) is refused too.
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${process.pid}`));
    lock.release();
    expect(existsSync(lockPath(dir))).toBe(false);
    lockDataDir(dir).release();
  });

  it('takes over a lock whose process is gone, a torn lock file, and a reused pid', () => {
    const dir = tempDir();
    writeFileSync(lockPath(dir), JSON.stringify({ pid: deadPid(), host: hostname(), since: new Date().toISOString(), command: 'gone' }));
    const a = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    a.release();

    writeFileSync(lockPath(dir), '{"pid": 12');
    lockDataDir(dir).release();

    // pid 1 lives, but its start time is not the one recorded: another process than the holder.
    if (existsSync('/proc/1/stat')) {
      writeFileSync(lockPath(dir), JSON.stringify({ pid: 1, host: hostname(), since: '', command: 'old', procStart: '999999999999' }));
      lockDataDir(dir).release();
    }
  });

  it('counts a holder on another host as alive (a shared volume: its pid cannot be checked)', () => {
    const dir = tempDir();
    writeFileSync(lockPath(dir), JSON.stringify({ pid: deadPid(), host: 'other-host', since: '', command: 'x' }));
    expect(() => lockDataDir(dir)).toThrow(/on other-host/);
  });
});

describe('two processes on one DATA_DIR', () => {
  it('refuses the second gateway and the seed with exit code 75, then takes over after a kill -9', { timeout: 180_000 }, async () => {
    const DATA_DIR = tempDir();
    mkdirSync(DATA_DIR, { recursive: true });
    const env = { DATA_DIR };
    const first = await startGatewayProcess(env);
    try {
      const pid = first.child.pid!;
      const second = run(MAIN, env);
      expect(await second.exit).toBe(DATA_DIR_LOCKED_EXIT);
      expect(second.output()).toContain(`in use by process ${pid}`);
      expect(second.output()).toMatch(/Stop that process/);
      expect(second.output()).not.toContain('gateway listening');

      const seed = run(SEED, env);
      expect(await seed.exit).toBe(DATA_DIR_LOCKED_EXIT);
      expect(seed.output()).toContain(`open in process ${pid}`);
      expect(seed.output()).toMatch(/Stop that process .*run `npm run seed`, then start the gateway again/);

      // The first one is unharmed and still answers.
      const res = await fetch(first.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(res.status).toBe(200);
    } finally {
      first.child.kill('SIGKILL');
      await first.exit;
    }
    // Killed: no chance to remove its lock. The next start finds it stale and takes it over.
    expect(JSON.parse(readFileSync(lockPath(DATA_DIR), 'utf8')).pid).toBe(first.child.pid);
    const third = await startGatewayProcess(env);
    expect(JSON.parse(readFileSync(lockPath(DATA_DIR), 'utf8')).pid).toBe(third.child.pid);
    third.child.kill('SIGTERM');
    expect(await third.exit).toBe(0);
    // A clean stop releases it.
    expect(existsSync(lockPath(DATA_DIR))).toBe(false);
  });
});
