// The database handle's session settings on PostgreSQL (src/core/db.ts).
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { defaultPoolMax, loadConfig } from '../src/config.js';
import { rowsOf } from '../src/core/db.js';
import { DRIVERS, openTestDatabase } from './helpers/gateway.js';

describe.skipIf(!DRIVERS.includes('postgres'))('PostgreSQL sessions', () => {
  it('keep to the pool size: concurrent statements share at most poolMax backends', async () => {
    const handle = await openTestDatabase('postgres'); // poolMax 4
    try {
      const results = await Promise.all(Array.from({ length: 12 }, () => handle.db.execute(sql`select pg_backend_pid() as pid from pg_sleep(0.05)`)));
      const pids = new Set(results.map((r) => rowsOf<{ pid: number }>(r)[0]!.pid));
      expect(pids.size).toBeGreaterThan(1);
      expect(pids.size).toBeLessThanOrEqual(4);
    } finally {
      await handle.close();
    }
  });

  it('run prepared statements on their generic plan (plan_cache_mode)', async () => {
    const handle = await openTestDatabase('postgres');
    try {
      const [row] = rowsOf<{ plan_cache_mode: string }>(await handle.db.execute(sql`show plan_cache_mode`));
      expect(row?.plan_cache_mode).toBe('force_generic_plan');
    } finally {
      await handle.close();
    }
  });
});

it('takes the plan cache mode from DATABASE_PLAN_CACHE_MODE, and refuses others', () => {
  expect(loadConfig({}).databasePlanCacheMode).toBe('force_generic_plan');
  expect(loadConfig({ DATABASE_PLAN_CACHE_MODE: 'auto' }).databasePlanCacheMode).toBe('auto');
  expect(() => loadConfig({ DATABASE_PLAN_CACHE_MODE: 'sometimes' })).toThrow();
});

it('sizes the pool at twice the cores, 2 to 10, unless DATABASE_POOL_MAX says otherwise', () => {
  expect([1, 2, 3, 5, 16].map((cores) => defaultPoolMax(cores))).toEqual([2, 4, 6, 10, 10]);
  expect(loadConfig({}).databasePoolMax).toBe(defaultPoolMax());
  expect(loadConfig({ DATABASE_POOL_MAX: '25' }).databasePoolMax).toBe(25);
  expect(() => loadConfig({ DATABASE_POOL_MAX: '0' })).toThrow();
});
