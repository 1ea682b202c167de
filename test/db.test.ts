// The database handle's session settings on PostgreSQL (src/core/db.ts).
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { rowsOf } from '../src/core/db.js';
import { DRIVERS, openTestDatabase } from './helpers/gateway.js';

describe.skipIf(!DRIVERS.includes('postgres'))('PostgreSQL sessions', () => {
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
