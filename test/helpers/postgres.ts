// PostgreSQL test databases: one per test file, copied from a migrated template.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export const templateName = () => `igw_test_template_${process.pid}`;

/** The same server URL with another database name. */
export function urlFor(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = '/' + database;
  return u.toString();
}

export async function withDatabase<T>(serverUrl: string, database: string, fn: (url: string) => Promise<T>): Promise<T> {
  return fn(urlFor(serverUrl, database));
}

export async function createDatabaseFromTemplate(serverUrl: string, template: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `igw_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  return {
    url: urlFor(serverUrl, name),
    async drop() {
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** An empty database (no migrations), for tests of the start-up path itself. */
export async function createEmptyDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  return createDatabaseFromTemplate(serverUrl, 'template0');
}
