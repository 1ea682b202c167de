// Test gateways on real databases: PGlite from the migrated snapshot, and PostgreSQL (when
// TEST_DATABASE_URL is set) in a fresh database copied from the migrated template.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { hashPassword } from '../../src/core/auth/passwords.js';
import { openDatabase, type DbHandle, type DriverName } from '../../src/core/db.js';
import { createLogger } from '../../src/core/logger.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { findUserById, insertContact, insertUser, type UserRow } from '../../src/modules/users/user.repo.js';
import { createDatabaseFromTemplate } from './postgres.js';

export const DRIVERS: DriverName[] = inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];

export const ADMIN = {
  username: 'admin',
  email: 'admin@localhost',
  password: 'admin-password-123',
  token: 'test-admin-token-0123456789abcdef',
} as const;

let snapshot: Buffer | undefined;

export async function openTestDatabase(driver: DriverName): Promise<DbHandle> {
  if (driver === 'pglite') {
    snapshot ??= readFileSync(inject('pgliteSnapshot'));
    return openDatabase({ loadDataDir: new Blob([new Uint8Array(snapshot)]) });
  }
  const { url, drop } = await createDatabaseFromTemplate(process.env.TEST_DATABASE_URL!, inject('postgresTemplate')!);
  const handle = await openDatabase({ databaseUrl: url, poolMax: 4 });
  const close = handle.close.bind(handle);
  return Object.assign(handle, {
    async close() {
      await close();
      await drop();
    },
  });
}

export const tempDir = (prefix = 'igw-test-') => mkdtempSync(join(tmpdir(), prefix));

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    ADMIN_PASSWORD: ADMIN.password,
    ADMIN_TOKEN: ADMIN.token,
    LOG_LEVEL: 'silent',
    DATA_DIR: tempDir(),
    // Statement counts stay exact: every request checks its token (auth.test.ts covers the cache).
    TOKEN_CACHE_TTL_MS: '0',
    // Every query the tests send runs compiled (production compiles on a document's 2nd run);
    // graphql-js still answers errors and mutations. test/jit.test.ts compares the two.
    GRAPHQL_JIT_AFTER: '1',
    // Budget syncs are background statements, not a request's: a timer firing inside a measured
    // request would add one to its count. test/rate-limit.test.ts runs them (timed and on demand).
    RATE_LIMIT_SYNC_MS: '600000',
    // Webhook deliveries poll the outbox in the background: off unless a test is about them.
    WEBHOOK_DELIVERY: 'false',
    ...env,
  });
}

/** Collects every log line, to check what reaches the logs. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text() {
    return this.lines.join('\n');
  }
}

export interface GqlResult<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

export interface TestGateway {
  gw: Gateway;
  db: DbHandle;
  config: Config;
  gql<T = any>(query: string, variables?: Record<string, unknown>, opts?: { token?: string; headers?: Record<string, string> }): Promise<GqlResult<T>>;
  login(login: string, password: string): Promise<string>;
  createUser(u: { username: string; password?: string; email?: string; isAdmin?: boolean; state?: 'active' | 'blocked' | 'disabled' }): Promise<UserRow>;
  close(): Promise<void>;
}

export async function startTestGateway(
  driver: DriverName,
  opts: { env?: Record<string, string>; logs?: LogCapture; database?: DbHandle } = {},
): Promise<TestGateway> {
  const config = testConfig({ ...(opts.logs ? { LOG_LEVEL: 'info' } : {}), ...opts.env });
  const db = opts.database ?? (await openTestDatabase(driver));
  const gw = await startGateway(config, createLogger(config.logLevel, opts.logs), { database: db, print: () => {} });

  const gql: TestGateway['gql'] = async (query, variables, o = {}) => {
    const res = await gw.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers },
      payload: JSON.stringify({ query, variables }),
    });
    return { status: res.statusCode, headers: res.headers, body: res.json() };
  };

  return {
    gw,
    db,
    config,
    gql,
    async login(login, password) {
      const r = await gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { code } } }`, { i: { login, password } });
      const token = r.body.data?.login?.accessToken;
      if (!token) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
      return token;
    },
    async createUser(u) {
      const user = await insertUser(db.db, {
        username: u.username,
        isAdmin: u.isAdmin ?? false,
        state: u.state ?? 'active',
        passwordHash: u.password ? await hashPassword(u.password) : null,
      });
      if (!u.email) return user;
      await insertContact(db.db, { userId: user.id, type: 'email', value: u.email, isPrimary: true });
      // As the database keeps it now, with its primary_email.
      return (await findUserById(db.db, user.id))!;
    },
    close: () => gw.close(),
  };
}
