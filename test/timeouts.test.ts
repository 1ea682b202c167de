// Deadlines for slow clients and a slow database, on a real server (port 0) and real sockets:
// a request body trickling in is cut at REQUEST_TIMEOUT_MS, headers at HEADERS_TIMEOUT_MS, an
// idle keep-alive connection closed at KEEP_ALIVE_TIMEOUT_MS, and /readyz answers within
// READY_TIMEOUT_MS even while the database is held (PGlite, which runs one transaction at a
// time, is the in-process case; test/faults.test.ts covers PostgreSQL). The deadlines are short
// here to keep the test quick; config.ts has the defaults.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const ENV = { REQUEST_TIMEOUT_MS: '1500', HEADERS_TIMEOUT_MS: '1000', KEEP_ALIVE_TIMEOUT_MS: '500', READY_TIMEOUT_MS: '300' };
// Node looks for expired requests every quarter of the shorter deadline (server.ts).
const CHECK_MS = 250;

/** Opens a socket, runs `talk`, and resolves when the server closes it: what it sent, and when. */
function converse(port: number, talk: (s: net.Socket) => void | Promise<void>) {
  return new Promise<{ closedAfterMs: number; received: string }>((resolve, reject) => {
    const started = performance.now();
    let received = '';
    const socket = net.connect(port, '127.0.0.1', () => void talk(socket));
    socket.on('data', (d) => (received += d.toString()));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ closedAfterMs: performance.now() - started, received }));
    setTimeout(() => reject(new Error(`not closed after 15 s; received: ${received}`)), 15_000).unref();
  });
}

describe('HTTP deadlines (real server, real sockets)', () => {
  let t: TestGateway;
  let port: number;
  beforeAll(async () => {
    t = await startTestGateway('pglite', { env: ENV });
    await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.gw.app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => t?.close());

  it('cuts a body that trickles in at REQUEST_TIMEOUT_MS, bytes arriving or not', async () => {
    let sending = true;
    const r = await converse(port, async (s) => {
      s.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n');
      // A byte far more often than any idle timeout would notice.
      while (sending && !s.destroyed) {
        s.write('{');
        await sleep(200);
      }
    });
    sending = false;
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(1500 - 50);
    expect(r.closedAfterMs).toBeLessThan(1500 + CHECK_MS + 1000);
  });

  it('cuts headers that trickle in at HEADERS_TIMEOUT_MS', async () => {
    let sending = true;
    const r = await converse(port, async (s) => {
      for (const ch of 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(200)) {
        if (!sending || s.destroyed) return;
        s.write(ch);
        await sleep(100);
      }
    });
    sending = false;
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(1000 - 50);
    expect(r.closedAfterMs).toBeLessThan(1000 + CHECK_MS + 1000);
  });

  it('closes an idle keep-alive connection at KEEP_ALIVE_TIMEOUT_MS', async () => {
    let answered = 0;
    const r = await converse(port, (s) => {
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      s.once('data', () => (answered = performance.now()));
    });
    expect(r.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(answered).toBeGreaterThan(0);
    // Node keeps the socket up to a second past the deadline (its allowance for a request
    // already on the way), well short of fastify's default of 72 s here.
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(500 - 50);
    expect(r.closedAfterMs).toBeLessThan(500 + 1000 + 700);
  });

  it('answers a request sent in time, as always', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('answers /readyz 503 within READY_TIMEOUT_MS while the database is held, 200 after', async () => {
    // PGlite runs one transaction at a time: this one holds it for 1.5 s (waiting, not
    // computing: a statement itself runs on the main thread and would stop every timer too).
    const held = t.db.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await sleep(1500);
    });
    await sleep(50);
    const started = performance.now();
    const busy = await fetch(`http://127.0.0.1:${port}/readyz`);
    const took = performance.now() - started;
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(took).toBeGreaterThanOrEqual(300 - 20);
    expect(took).toBeLessThan(300 + 500);
    await held;
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  });
});

describe('deadline settings', () => {
  it('have documented defaults', () => {
    const c = loadConfig({});
    expect(c.http).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000, connectionTimeoutMs: 120_000 });
    expect(c.databaseFaults).toEqual({ connectTimeoutMs: 5_000, connectionWaitMs: 3_000, statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 15_000, reconnectDelayMaxMs: 500 });
    expect(c.readyTimeoutMs).toBe(1_000);
  });

  it('refuse a header deadline past the request deadline, and values out of range', () => {
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' })).toThrow(/HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ DATABASE_CONNECTION_WAIT_MS: '10' })).toThrow(ConfigError);
    expect(() => loadConfig({ READY_TIMEOUT_MS: 'soon' })).toThrow(/READY_TIMEOUT_MS: must be a whole number/);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '0', HEADERS_TIMEOUT_MS: '6000' }).http.requestTimeoutMs).toBe(0);
  });
});
