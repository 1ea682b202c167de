// Runs once before all test files: a migrated PGlite snapshot (loading it takes well under a
// second, migrating from scratch several) and, with TEST_DATABASE_URL, a migrated template
// database that each test file copies.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { openDatabase, projectRoot } from '../src/core/db.js';
import { templateName, withDatabase } from './helpers/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const dir = join(projectRoot(), '.test-artifacts');
  mkdirSync(dir, { recursive: true });

  const pglite = await openDatabase({ loadDataDir: undefined, dataDir: undefined, databaseUrl: undefined, memory: true });
  await pglite.migrate();
  const dump = await pglite.dumpDataDir!();
  const snapshot = join(dir, `pglite-snapshot-${process.pid}.tar.gz`);
  writeFileSync(snapshot, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteSnapshot', snapshot);

  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    project.provide('postgresTemplate', null);
    return;
  }
  const template = templateName();
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${template}" with (force)`);
    await admin.unsafe(`create database "${template}"`);
  } finally {
    await admin.end();
  }
  await withDatabase(url, template, async (dbUrl) => {
    const pg = await openDatabase({ databaseUrl: dbUrl, poolMax: 1 });
    await pg.migrate();
    await pg.close();
  });
  project.provide('postgresTemplate', template);
  return async () => {
    const end = postgres(url, { max: 1, onnotice: () => {} });
    await end.unsafe(`drop database if exists "${template}" with (force)`).catch(() => {});
    await end.end();
  };
}
