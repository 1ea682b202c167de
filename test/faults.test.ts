// A lost database must neither crash the gateway nor hold its requests: a real gateway reaches
// PostgreSQL through a TCP proxy that the test cuts (every socket dropped, connects refused)
// repeatedly under a write load, or silences (connections accepted, never answered).
// PostgreSQL only: PGlite runs inside the process and cannot be cut off (test/timeouts.test.ts
// covers what holds there).
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase, type DbHandle } from '../src/core/db.js';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../src/core/db-availability.js';
import { createLogger } from '../src/core/logger.js';
import { startGateway, type Gateway } from '../src/gateway.js';
import { ADMIN, tempDir } from './helpers/gateway.js';
import { createDatabaseFromTemplate } from './helpers/postgres.js';
import { TcpProxy } from './helpers/tcp-proxy.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const template = inject('postgresTemplate');

// Short deadlines keep the test quick; the defaults are in config.ts.
const LIMITS = {
  DATABASE_CONNECT_TIMEOUT_MS: '1000',
  DATABASE_CONNECTION_WAIT_MS: '1000',
  DATABASE_STATEMENT_TIMEOUT_MS: '5000',
  READY_TIMEOUT_MS: '1000',
};
// The longest any request may take with the database away: its statements each wait at most
// DATABASE_CONNECTION_WAIT_MS for a connection (swept a quarter of that late at most), and a
// connect that hangs ends at DATABASE_CONNECT_TIMEOUT_MS; a second of slack for this shared
// two-core machine.
const REQUEST_BOUND_MS = 1000 * 1.25 + 1000 + 1000;

/** A database of its own, copied from the migrated template, and its URL through a proxy. */
async function proxiedDatabase() {
  const db = await createDatabaseFromTemplate(serverUrl!, template!);
  const direct = new URL(db.url);
  const proxy = new TcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  await proxy.start();
  const via = new URL(db.url);
  via.host = `127.0.0.1:${proxy.port}`;
  return { db, proxy, url: via.toString() };
}

/** Errors that reach the process's last-resort handlers while a test runs. */
function watchProcess() {
  const seen: { kind: string; err: unknown }[] = [];
  const onException = (err: unknown) => seen.push({ kind: 'uncaughtException', err });
  const onRejection = (err: unknown) => seen.push({ kind: 'unhandledRejection', err });
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    seen,
    stop() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
  };
}

describe.skipIf(!serverUrl || !template)('a gateway whose database goes away (PostgreSQL through a proxy; skipped without TEST_DATABASE_URL)', () => {
  let gw: Gateway;
  let proxy: TcpProxy;
  let drop: () => Promise<void>;
  let directUrl: string;
  const watch = watchProcess();

  beforeAll(async () => {
    const p = await proxiedDatabase();
    proxy = p.proxy;
    drop = p.db.drop;
    directUrl = p.db.url;
    const config = loadConfig({ DATABASE_URL: p.url, DATABASE_POOL_MAX: '4', ADMIN_PASSWORD: ADMIN.password, ADMIN_TOKEN: ADMIN.token, LOG_LEVEL: 'silent', DATA_DIR: tempDir(), ...LIMITS });
    gw = await startGateway(config, createLogger(config.logLevel), { print: () => {} });
  });
  afterAll(async () => {
    watch.stop();
    await gw?.close();
    await proxy?.stop();
    await drop?.();
  });

  it('survives repeated outages under writes: 503 fast while away, ready within 2 s of its return, no acknowledged write lost', { timeout: 120_000 }, async () => {
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    type Call = { start: number; end: number; status: number; code?: string; retryAfter?: string; username: string; id?: string };
    const calls: Call[] = [];
    const polls: { start: number; end: number; status: number }[] = [];
    let running = true;

    const worker = async (w: number) => {
      for (let i = 0; running; i++) {
        const username = `fault_${w}_${i}`;
        const start = now();
        const res = await gw.app.inject({
          method: 'POST',
          url: '/graphql',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN.token}` },
          payload: JSON.stringify({ query: 'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id username } userErrors { code } } }', variables: { i: { username } } }),
        });
        const body = res.json() as { data?: { createUser?: { user?: { id: string } } }; errors?: { extensions?: { code?: string } }[] };
        calls.push({
          start,
          end: now(),
          status: res.statusCode,
          code: body.errors?.[0]?.extensions?.code,
          retryAfter: res.headers['retry-after'] as string | undefined,
          username,
          id: body.data?.createUser?.user?.id,
        });
        // A refused request comes back at once; pause a little so the load stays a load.
        if (res.statusCode !== 200) await sleep(20);
      }
    };
    const poller = async () => {
      while (running) {
        const start = now();
        const res = await gw.app.inject({ method: 'GET', url: '/readyz' });
        polls.push({ start, end: now(), status: res.statusCode });
        await sleep(100);
      }
    };

    const load = [...Array.from({ length: 6 }, (_, w) => worker(w)), poller()];
    const outages: { from: number; to: number }[] = [];
    await sleep(1500);
    const during: { graphql?: unknown; rest?: unknown; healthz?: number } = {};
    for (const ms of [4000, 6000, 5000]) {
      const from = now();
      await proxy.cut();
      if (!during.rest) {
        await sleep(1000);
        // A read on each surface meanwhile: 503 in its own shape, with Retry-After.
        const auth = { authorization: `Bearer ${ADMIN.token}` };
        const g = await gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...auth }, payload: JSON.stringify({ query: '{ users(first: 1) { nodes { username } } }' }) });
        const r = await gw.app.inject({ method: 'GET', url: '/api/v4/users', headers: auth });
        during.graphql = { status: g.statusCode, retryAfter: g.headers['retry-after'], body: g.json() };
        during.rest = { status: r.statusCode, retryAfter: r.headers['retry-after'], body: r.json() };
        during.healthz = (await gw.app.inject({ method: 'GET', url: '/healthz' })).statusCode;
        await sleep(ms - 1000);
      } else {
        await sleep(ms);
      }
      // The database is reachable from the moment the proxy listens again.
      const to = now();
      await proxy.restore();
      outages.push({ from, to });
      await sleep(3000);
    }
    running = false;
    await Promise.all(load);

    expect(during.graphql).toEqual({
      status: 503,
      retryAfter: '1',
      body: { errors: [expect.objectContaining({ message: 'The service is temporarily unavailable; retry later', extensions: { code: 'SERVICE_UNAVAILABLE' } })] },
    });
    expect(during.rest).toEqual({ status: 503, retryAfter: '1', body: { message: expect.stringMatching(/^503 /) } });
    expect(during.healthz).toBe(200);

    // Nothing reached the process's last-resort handlers.
    expect(watch.seen.map((s) => `${s.kind}: ${String(s.err)}`)).toEqual([]);

    // Every answer is a success or a 503 SERVICE_UNAVAILABLE with Retry-After, in time.
    const ok = calls.filter((c) => c.status === 200 && c.id && !c.code);
    const unavailable = calls.filter((c) => c.status === 503 && c.code === 'SERVICE_UNAVAILABLE' && c.retryAfter === '1');
    const other = calls.filter((c) => !ok.includes(c) && !unavailable.includes(c));
    expect(other.slice(0, 5)).toEqual([]);
    const slowest = Math.max(...calls.map((c) => c.end - c.start));
    expect(slowest).toBeLessThan(REQUEST_BOUND_MS);
    for (const o of outages) {
      // The outage was felt, and the load went on through it.
      expect(unavailable.filter((c) => c.start >= o.from && c.end <= o.to).length).toBeGreaterThan(0);
      // /readyz: 503 throughout (every probe inside the outage), each within READY_TIMEOUT_MS.
      const inside = polls.filter((p) => p.start >= o.from + 100 && p.end <= o.to);
      expect(inside.length).toBeGreaterThanOrEqual(3);
      expect(inside.filter((p) => p.status !== 503)).toEqual([]);
      // ... and 200 again within 2 s of the database's return.
      const back = polls.find((p) => p.start >= o.to && p.status === 200);
      expect(back, `no 200 from /readyz after the outage ending at ${Math.round(o.to)} ms`).toBeDefined();
      expect(back!.end - o.to).toBeLessThan(2000);
      // Writes succeed again in the second after that, and none stalls.
      const after = calls.filter((c) => c.start >= o.to + 1000 && c.end < o.to + 2500);
      expect(after.length).toBeGreaterThan(0);
      expect(after.filter((c) => c.status !== 200)).toEqual([]);
    }
    expect(Math.max(...polls.map((p) => p.end - p.start))).toBeLessThan(1000 + 750);

    // Every acknowledged write is there, read straight from PostgreSQL (not through the proxy).
    const direct = postgres(directUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await direct<{ username: string; id: string }[]>`select username, id::text from users where username like 'fault\\_%'`;
      const stored = new Map(rows.map((r) => [r.username, r.id]));
      const lost = ok.filter((c) => !stored.has(c.username));
      expect(lost.map((c) => c.username)).toEqual([]);
      console.info(
        `faults: ${calls.length} mutations (${ok.length} acknowledged, ${unavailable.length} refused 503), ${stored.size} users stored, 0 of ${ok.length} acknowledged lost; ` +
          `slowest request ${Math.round(slowest)} ms; /readyz 200 again ${outages.map((o) => Math.round(polls.find((p) => p.start >= o.to && p.status === 200)!.end - o.to)).join('/')} ms after each return; proxy accepted ${proxy.accepted} connections`,
      );
    } finally {
      await direct.end();
    }
  });
});

describe.skipIf(!serverUrl || !template)('the wait for a connection is bounded (PostgreSQL through a silent proxy; skipped without TEST_DATABASE_URL)', () => {
  let handle: DbHandle;
  let proxy: TcpProxy;
  let drop: () => Promise<void>;
  let directUrl: string;

  beforeAll(async () => {
    const p = await proxiedDatabase();
    proxy = p.proxy;
    drop = p.db.drop;
    directUrl = p.db.url;
    handle = await openDatabase({ databaseUrl: p.url, poolMax: 2, faults: { connectTimeoutMs: 3000, connectionWaitMs: 400 } });
    await handle.db.execute(sql`create table fault_probe (label text primary key)`);
  });
  afterAll(async () => {
    await handle?.close();
    await proxy?.stop();
    await drop?.();
  });

  it('refuses statements and transactions that get no connection in time, and never runs them later', async () => {
    const watch = watchProcess();
    try {
      await proxy.silence();
      await sleep(100); // the pool sees its open connection close
      const started = performance.now();
      // More statements than connections: two wait on connects that never finish, the rest in
      // postgres.js's queue; and a transaction waiting for its BEGIN.
      const writes = ['a', 'b', 'c', 'd'].map((label) => handle.db.execute(sql`insert into fault_probe values (${label})`).then(() => 'ok', (e: unknown) => e));
      const tx = handle.db
        .transaction(async (t) => {
          await t.execute(sql`insert into fault_probe values ('tx')`);
        })
        .then(() => 'ok', (e: unknown) => e);
      const results = await Promise.all([...writes, tx]);
      const took = performance.now() - started;
      for (const r of results) {
        expect(isDatabaseUnavailable(r), String(r)).toBe(true);
      }
      expect(results.filter((r) => r instanceof DatabaseUnavailableError || (r as { cause?: unknown }).cause instanceof DatabaseUnavailableError).length).toBe(results.length);
      // Refused at the bound (400 ms, swept at most a quarter late), long before the connect timeout.
      expect(took).toBeGreaterThanOrEqual(350);
      expect(took).toBeLessThan(1500);

      // The database comes back: the pool serves at once, and none of the refused writes ran.
      await proxy.restore();
      const back = performance.now();
      await handle.checkReady(2000);
      expect(performance.now() - back).toBeLessThan(1000);
      await sleep(3500); // past the connect timeout of the attempts made while silent
      const direct = postgres(directUrl, { max: 1, onnotice: () => {} });
      try {
        expect(await direct`select label from fault_probe`).toEqual([]);
      } finally {
        await direct.end();
      }
      expect(watch.seen).toEqual([]);
    } finally {
      watch.stop();
    }
  }, 30_000);
});
