// npm run bench:seed — the benchmark data set on PostgreSQL (DATABASE_URL, default database
// `gw` on 127.0.0.1): migrations, the admin (ADMIN_TOKEN gives the load its credential), then
// seed.sql. Idempotent: a database that already holds user_100000 is left as it is.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { loadConfig } from '../../src/config.js';
import { openDatabase, projectRoot } from '../../src/core/db.js';
import { bootstrap } from '../../src/modules/bootstrap/bootstrap.service.js';

export const BENCH_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gw';
export const BENCH_ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? 'bench-admin-token-0123456789';

export async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = postgres(u.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) await admin.unsafe(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

export async function seedBench(url = BENCH_DATABASE_URL, log: (s: string) => void = console.log): Promise<void> {
  await ensureDatabase(url);
  const handle = await openDatabase({ databaseUrl: url, poolMax: 2 });
  try {
    await handle.migrate();
    const config = loadConfig({ ...process.env, DATABASE_URL: url, ADMIN_TOKEN: BENCH_ADMIN_TOKEN, ADMIN_PASSWORD: process.env.ADMIN_PASSWORD ?? 'bench-admin-password' });
    await bootstrap(handle.db, config, () => {});
  } finally {
    await handle.close();
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [done] = await sql`select 1 from users where username = 'user_100000'`;
    if (done) {
      log('bench data already present: nothing to do');
      return;
    }
    const started = Date.now();
    const file = readFileSync(join(projectRoot(), 'test', 'bench', 'seed.sql'), 'utf8');
    // One statement at a time, so each one's time is visible.
    for (const statement of file.split(/;\s*\n/).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean)) {
      const t0 = Date.now();
      await sql.unsafe(statement);
      log(`${statement.split('\n')[0]!.slice(0, 60).padEnd(60)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await sql.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  seedBench().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
