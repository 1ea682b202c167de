// Restarts and several processes: data directories reopen cleanly, migrations are a no-op the
// second time, and access tokens signed by one start (or process) are accepted by the next.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { rowsOf } from '../src/core/db.js';
import { createLogger } from '../src/core/logger.js';
import { startGateway, type Gateway } from '../src/gateway.js';
import { tempDir, testConfig } from './helpers/gateway.js';
import { createEmptyDatabase } from './helpers/postgres.js';

const gql = async (gw: Gateway, query: string, token?: string) =>
  (
    await gw.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: JSON.stringify({ query }),
    })
  ).json();

const loginQuery = (password: string) => `mutation { login(input: { login: "admin", password: "${password}" }) { accessToken } }`;

async function migrationCount(gw: Gateway): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await gw.database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
  return Number(row!.n);
}

describe('restart on a PGlite data directory', () => {
  it('reopens cleanly; migrations are a no-op; tokens and the admin survive', async () => {
    const dataDir = tempDir();
    const config = testConfig({ DATA_DIR: dataDir, ADMIN_PASSWORD: '', ADMIN_TOKEN: '' });
    const logger = createLogger('silent');

    const first = await startGateway(config, logger, { print: () => {} });
    const password = readFileSync(join(dataDir, 'initial_admin_password'), 'utf8').trim();
    const jwt = (await gql(first, loginQuery(password))).data.login.accessToken as string;
    const pat = (await gql(first, `mutation { createPersonalAccessToken(input: { username: "admin", name: "r", scopes: [API] }) { token } }`, jwt)).data
      .createPersonalAccessToken.token as string;
    const migrations = await migrationCount(first);
    await first.close();

    const second = await startGateway(config, logger, { print: () => {} });
    try {
      expect(await migrationCount(second)).toBe(migrations);
      expect((await gql(second, '{ viewer { username } }', jwt)).data.viewer.username).toBe('admin');
      expect((await gql(second, '{ viewer { username } }', pat)).data.viewer.username).toBe('admin');
      expect(readFileSync(join(dataDir, 'initial_admin_password'), 'utf8').trim()).toBe(password);
      const ready = await second.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('accepts a configured JWT_PRIVATE_KEY, so tokens also survive a wiped database', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const logger = createLogger('silent');
    const a = await startGateway(testConfig({ DATA_DIR: tempDir(), JWT_PRIVATE_KEY: pem }), logger, { print: () => {} });
    const jwt = (await gql(a, loginQuery('admin-password-123'))).data.login.accessToken as string;
    await a.close();
    const b = await startGateway(testConfig({ DATA_DIR: tempDir(), JWT_PRIVATE_KEY: pem }), logger, { print: () => {} });
    try {
      // A different database with the same admin username: the user id differs, so the token is refused…
      expect((await gql(b, '{ viewer { username } }', jwt)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      // …but the signature itself verified: the failure is about the user, not the key.
      const viewerToken = (await gql(b, loginQuery('admin-password-123'))).data.login.accessToken as string;
      expect(viewerToken.split('.')[0]).toBe(jwt.split('.')[0]);
    } finally {
      await b.close();
    }
  });
});

describe.runIf(inject('postgresTemplate'))('several processes on one PostgreSQL', () => {
  it('start together on an empty database, migrate once, and accept each other’s tokens', async () => {
    const { url, drop } = await createEmptyDatabase(process.env.TEST_DATABASE_URL!);
    const logger = createLogger('silent');
    const config = testConfig({ DATABASE_URL: url });
    const [a, b] = await Promise.all([startGateway(config, logger, { print: () => {} }), startGateway(config, logger, { print: () => {} })]);
    try {
      const fromA = (await gql(a, loginQuery('admin-password-123'))).data.login.accessToken as string;
      const fromB = (await gql(b, loginQuery('admin-password-123'))).data.login.accessToken as string;
      expect((await gql(b, '{ viewer { username } }', fromA)).data.viewer.username).toBe('admin');
      expect((await gql(a, '{ viewer { username } }', fromB)).data.viewer.username).toBe('admin');
      const [users] = rowsOf<{ n: number }>(await a.database.db.execute(sql`select count(*)::int as n from users`));
      expect(Number(users!.n)).toBe(1);
      expect(await migrationCount(a)).toBe(JSON.parse(readFileSync('schema/migrations/meta/_journal.json', 'utf8')).entries.length);
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });
});
