#!/usr/bin/env node
// Live events, measured: latency from commit to a subscriber's receipt (median, p99) with SUBS
// open eventLogAdded subscriptions on one gateway and spread over three; events per second
// sustained (every subscriber receiving every event); memory per open subscription.
//
// Events are written straight into event_logs by this script (postgres.js), one statement each:
// the clock starts when the INSERT's commit is acknowledged to the writer and stops when a
// subscriber's WebSocket message arrives in this same process (one clock). The subscribers run in
// this process too, so their own JSON parsing is part of what is measured.
//
// Environment: BENCH_DB (gw: a fresh database gw_live is made next to it), PGHOST/PGPORT/PGUSER,
// SUBS (1000), SOCKETS (SUBS/20), EVENTS (100, paced EVENT_GAP_MS 100 ms apart), BURST (500),
// LIVE_PORT (4200; three gateways use LIVE_PORT..LIVE_PORT+2), RESULTS_DIR.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const env = process.env;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(ROOT, 'package.json'));
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');
const PG = `${env.PGUSER ?? 'postgres'}@${env.PGHOST ?? '127.0.0.1'}:${env.PGPORT ?? 5432}`;
const DB = `${env.BENCH_DB ?? 'gw'}_live`;
const SUBS = Number(env.SUBS ?? 1000);
const SOCKETS = Number(env.SOCKETS ?? Math.ceil(SUBS / 20));
const EVENTS = Number(env.EVENTS ?? 100);
const GAP = Number(env.EVENT_GAP_MS ?? 100);
const BURST = Number(env.BURST ?? 500);
const PORT = Number(env.LIVE_PORT ?? 4200);
const TOKEN = 'bench-live-admin-token-0123456789';
const STAMP = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
const OUTDIR = env.RESULTS_DIR ?? join(ROOT, '.test-artifacts', `live-${STAMP}`);
const log = (s) => process.stderr.write(`[live ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
mkdirSync(OUTDIR, { recursive: true });

const admin = postgres(`postgres://${PG}/postgres`, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists "${DB}" with (force)`);
await admin.unsafe(`create database "${DB}"`);
await admin.end();
const DATABASE_URL = `postgres://${PG}/${DB}`;

const children = new Set();
process.on('exit', () => { for (const c of children) try { c.kill('SIGKILL'); } catch {} });

async function startGateway(port) {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { ...env, DATABASE_URL, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_TOKEN: TOKEN, NODE_ENV: 'production', SUBSCRIPTIONS_PER_USER: String(SUBS + 10), WEBHOOK_DELIVERY: 'false' },
    stdio: 'ignore',
  });
  children.add(child);
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return child;
    await sleep(100);
  }
  throw new Error(`gateway on ${port} not ready`);
}
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

/** Opens SUBS subscriptions over SOCKETS sockets spread over the ports; each receipt calls onEvent(seq, now). */
async function subscribe(ports, onEvent) {
  const clients = [];
  let open = 0;
  const perSocket = Math.ceil(SUBS / SOCKETS);
  const started = [];
  for (let s = 0; s < SOCKETS; s++) {
    const port = ports[s % ports.length];
    const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { Authorization: `Bearer ${TOKEN}` } });
    clients.push(client);
    for (let k = 0; k < perSocket && open < SUBS; k++, open++) {
      started.push(
        new Promise((ready) => {
          client.subscribe(
            { query: 'subscription { eventLogAdded(filter: { actionIn: ["bench.live"] }) { event { data } } }' },
            { next: (r) => onEvent(r.data.eventLogAdded.event.data.seq, performance.now()), error: (e) => log(`subscription error ${JSON.stringify(e).slice(0, 200)}`), complete: () => {} },
          );
          ready();
        }),
      );
    }
  }
  await Promise.all(started);
  return clients;
}

const sql = postgres(DATABASE_URL, { max: 4, onnotice: () => {} });
const quantile = (xs, q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function run(label, ports, pids) {
  const committed = new Map();
  const received = new Map(); // seq -> count
  const latencies = [];
  let seqBase = 0;
  const rssBefore = pids.map(rssKb);
  const clients = await subscribe(ports, (seq, now) => {
    const t = committed.get(seq);
    if (t !== undefined) latencies.push(now - t);
    received.set(seq, (received.get(seq) ?? 0) + 1);
  });
  // Probe events until one reaches every subscription: all are live.
  let live = 0;
  for (let tries = 0; tries < 60 && live < SUBS; tries++) {
    const seq = --seqBase;
    await sql`insert into event_logs (id, action, data) values (gen_random_uuid(), 'bench.live', ${sql.json({ seq })})`;
    for (let i = 0; i < 20 && (received.get(seq) ?? 0) < SUBS; i++) await sleep(50);
    live = received.get(seq) ?? 0;
  }
  if (live < SUBS) throw new Error(`${label}: only ${live} of ${SUBS} subscriptions live`);
  await sleep(1000);
  const rssAfter = pids.map(rssKb);

  // Paced: EVENTS events GAP ms apart; the latency of every delivery.
  latencies.length = 0;
  for (let seq = 1; seq <= EVENTS; seq++) {
    await sql`insert into event_logs (id, action, data) values (gen_random_uuid(), 'bench.live', ${sql.json({ seq })})`;
    committed.set(seq, performance.now());
    await sleep(GAP);
  }
  for (let i = 0; i < 600 && latencies.length < EVENTS * SUBS; i++) await sleep(50);
  const paced = [...latencies].sort((a, b) => a - b);

  // Burst: BURST events as fast as four writers commit them; until every subscriber has all.
  const first = 1_000_000;
  const t0 = performance.now();
  let next = first;
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      while (next < first + BURST) {
        const seq = next++;
        await sql`insert into event_logs (id, action, data) values (gen_random_uuid(), 'bench.live', ${sql.json({ seq })})`;
      }
    }),
  );
  const written = performance.now() - t0;
  let done = 0;
  for (let i = 0; i < 2400; i++) {
    done = 0;
    for (let s = first; s < first + BURST; s++) if ((received.get(s) ?? 0) >= SUBS) done++;
    if (done === BURST) break;
    await sleep(50);
  }
  const drained = performance.now() - t0;
  for (const c of clients) await c.dispose();
  return {
    label,
    deliveries: paced.length,
    p50: quantile(paced, 0.5),
    p99: quantile(paced, 0.99),
    max: paced.at(-1),
    burstEventsPerS: (BURST / drained) * 1000,
    burstWriteEventsPerS: (BURST / written) * 1000,
    burstComplete: done === BURST,
    kbPerSub: (rssAfter.reduce((a, b) => a + b, 0) - rssBefore.reduce((a, b) => a + b, 0)) / SUBS,
  };
}

const results = [];
try {
  log(`one gateway, ${SUBS} subscriptions over ${SOCKETS} sockets`);
  const one = await startGateway(PORT);
  await sleep(1000);
  results.push(await run('one gateway', [PORT], [one.pid]));
  one.kill('SIGTERM');
  children.delete(one);
  await sleep(1000);
  log(`three gateways, ${SUBS} subscriptions spread over them`);
  const three = [await startGateway(PORT), await startGateway(PORT + 1), await startGateway(PORT + 2)];
  await sleep(1000);
  results.push(await run('three gateways', [PORT, PORT + 1, PORT + 2], three.map((c) => c.pid)));
} finally {
  for (const c of children) c.kill('SIGTERM');
  await sql.end();
}

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const lines = [
  `## Live events (${SUBS} subscriptions over ${SOCKETS} sockets; ${EVENTS} events ${GAP} ms apart, then a burst of ${BURST})`,
  '',
  '| setup | deliveries timed | commit → receipt p50 ms | p99 ms | max ms | burst: events/s to every subscriber | burst: events/s written | memory per subscription |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.label} | ${r.deliveries} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.max, 1)} | ${f(r.burstEventsPerS, 0)}${r.burstComplete ? '' : ' (incomplete)'} | ${f(r.burstWriteEventsPerS, 0)} | ${f(r.kbPerSub, 1)} KB |`),
  '',
];
writeFileSync(join(OUTDIR, 'live.md'), lines.join('\n'));
process.stdout.write(lines.join('\n') + '\n');
log(`results in ${OUTDIR}`);
