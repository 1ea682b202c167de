// Three gateway processes (node dist/main.js, as `npm start` runs it) on one PostgreSQL, behind
// Debian's nginx: a subscription on one hears what the others write, and a reconnect with its
// last cursor misses nothing; a token revoked through one is refused by the others on their next
// request (even with credentials cached); a budget is shared; kill -9 of one under a write load
// leaves the others answering and loses no acknowledged write; each event reaches a webhook once.
// Skips, saying why, without nginx (.ci/run installs it) or without TEST_DATABASE_URL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { projectRoot } from '../src/core/db.js';
import { ADMIN, tempDir } from './helpers/gateway.js';
import { createDatabaseFromTemplate } from './helpers/postgres.js';

const MAIN = join(projectRoot(), 'dist', 'main.js');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const PG = process.env.TEST_DATABASE_URL;
const why = !NGINX ? 'no nginx (apt-get install nginx)' : !PG ? 'no TEST_DATABASE_URL (PostgreSQL)' : null;
if (why) console.warn(`[three-gateways] skipped: ${why}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

interface Proc {
  child: ChildProcess;
  port: number;
  url: string;
  out: () => string;
}

function startGatewayProcess(env: Record<string, string>, port: number): Promise<Proc> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 90 s:\n${out}`)), 90_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"gateway listening"')) {
        clearTimeout(timer);
        resolve({ child, port, url: `http://127.0.0.1:${port}`, out: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}:\n${out}`));
    });
  });
}

async function gql(base: string, query: string, variables: Record<string, unknown> = {}, token: string = ADMIN.token) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* nginx's own error pages */
  }
  return { status: res.status, body };
}

const CREATE_ORG = `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } userErrors { code message } } }`;
let n = 0;
const slug = (p: string) => `${p}-${process.pid}-${++n}`;

describe.skipIf(why !== null)('three gateways on one PostgreSQL behind nginx', () => {
  let dbUrl: string;
  let drop: () => Promise<void>;
  let gws: Proc[] = [];
  let nginx: ChildProcess | null = null;
  let lb: string;
  const hooks: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      hooks.push({ path: req.url ?? '/', headers: req.headers, body });
      res.end('ok');
    });
  });

  beforeAll(async () => {
    ({ url: dbUrl, drop } = await createDatabaseFromTemplate(PG!, inject('postgresTemplate')!));
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const env = {
      DATABASE_URL: dbUrl,
      ADMIN_TOKEN: ADMIN.token,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'info',
      // Cached for 5 s: only the revocation notice can make the others refuse at once.
      TOKEN_CACHE_TTL_MS: '5000',
      // Anonymous callers share one small budget per address (the budget test); tokens keep the default.
      RATE_LIMIT_ANONYMOUS_POINTS: '300',
      RATE_LIMIT_SYNC_MS: '50',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      OUTBOX_INTERVAL_MS: '100',
      DATABASE_POOL_MAX: '4',
    };
    const ports = [await freePort(), await freePort(), await freePort()];
    // One after the other: the first applies the migrations (they are applied already; the
    // advisory lock makes concurrent starts safe too, tested in process.test.ts).
    for (const p of ports) gws.push(await startGatewayProcess(env, p));

    const dir = tempDir('igw-nginx-');
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const port = await freePort();
    writeFileSync(
      join(dir, 'nginx.conf'),
      `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy; fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi; scgi_temp_path ${dir}/tmp/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream gateways { ${ports.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join(' ')} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://gateways;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
    }
  }
}
`,
    );
    const check = spawnSync(NGINX!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`nginx -t failed: ${check.stderr}`);
    nginx = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    lb = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if ((await fetch(`${lb}/healthz`).catch(() => null))?.ok) break;
      await sleep(100);
    }
  }, 240_000);

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    for (const g of gws) if (g.child.exitCode === null) g.child.kill('SIGTERM');
    await Promise.all(gws.map((g) => (g.child.exitCode === null ? new Promise((r) => g.child.on('exit', r)) : null)));
    await new Promise<void>((r) => receiver.close(() => r()));
    await drop?.();
  }, 60_000);

  it('a subscription on A hears writes made through B and C in order; a reconnect with its last cursor misses nothing', { timeout: 60_000 }, async () => {
    const [a, b, c] = gws as [Proc, Proc, Proc];
    const client = createClient({ url: `ws://127.0.0.1:${a.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { Authorization: `Bearer ${ADMIN.token}` } });
    const got: { cursor: string; slug: string }[] = [];
    const query = `subscription($a: String) { eventLogAdded(filter: { actionIn: ["organization.create"] }, after: $a) { cursor event { data } } }`;
    const sub = (after: string | null) =>
      client.subscribe<{ eventLogAdded: { cursor: string; event: { data: { slug?: string } } } }>(
        { query, variables: { a: after } },
        { next: (r) => r.data && got.push({ cursor: r.data.eventLogAdded.cursor, slug: String(r.data.eventLogAdded.event.data.slug) }), error: () => {}, complete: () => {} },
      );
    let stop = sub(null);
    await sleep(500);
    const made: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = slug('seq');
      made.push(s);
      const r = await gql(i % 2 ? b.url : c.url, CREATE_ORG, { i: { slug: s, name: s } });
      expect(r.body.data.createOrganization.userErrors).toEqual([]);
    }
    for (let i = 0; i < 100 && got.length < 6; i++) await sleep(50);
    expect(got.map((g) => g.slug)).toEqual(made);
    // Away: three more writes, then back with the last cursor.
    stop();
    const last = got.at(-1)!.cursor;
    for (let i = 0; i < 3; i++) {
      const s = slug('away');
      made.push(s);
      await gql(i % 2 ? b.url : c.url, CREATE_ORG, { i: { slug: s, name: s } });
    }
    stop = sub(last);
    for (let i = 0; i < 100 && got.length < 9; i++) await sleep(50);
    await sleep(300);
    expect(got.map((g) => g.slug)).toEqual(made);
    stop();
    await client.dispose();
  });

  it('a token revoked through A is refused by B and C on their next request', { timeout: 30_000 }, async () => {
    const [a, b, c] = gws as [Proc, Proc, Proc];
    const made = await gql(a.url, `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token personalAccessToken { id } } }`, {
      i: { username: ADMIN.username, name: 'three', scopes: ['API'] },
    });
    const { token, personalAccessToken } = made.body.data.createPersonalAccessToken;
    for (const g of [b, c]) expect((await gql(g.url, `{ viewer { username } }`, {}, token)).status).toBe(200); // cached there now
    await gql(a.url, `mutation($i: RevokePersonalAccessTokenInput!) { revokePersonalAccessToken(input: $i) { userErrors { code } } }`, { i: { id: personalAccessToken.id } });
    const started = Date.now();
    for (const g of [b, c]) {
      let status = 200;
      while (status === 200 && Date.now() - started < 2_000) {
        status = (await gql(g.url, `{ viewer { username } }`, {}, token)).status;
        if (status === 200) await sleep(20);
      }
      expect(status, g.url).toBe(401);
    }
    // Far sooner than the 5 s the cache would otherwise keep it.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('shares one budget between the three', { timeout: 60_000 }, async () => {
    // Anonymous calls from one address share a budget (RATE_LIMIT_ANONYMOUS_POINTS=300 a minute).
    const anonymous = async (base: string) => {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { id } }' }) });
      return { status: res.status, body: (await res.json()) as { extensions?: { cost?: { requestedQueryCost?: number } } } };
    };
    const probe = await anonymous(gws[0]!.url);
    const cost = Math.max(1, Number(probe.body.extensions?.cost?.requestedQueryCost ?? 1));
    const single = Math.floor(300 / cost); // what one process alone would allow per window
    let allowed = 1;
    let refused = 0;
    for (let i = 0; i < single * 3; i++) {
      const r = await anonymous(gws[i % 3]!.url);
      if (r.status === 200) allowed++;
      else if (r.status === 429) refused++;
      if (i % 20 === 19) await sleep(60); // let the counters sync (RATE_LIMIT_SYNC_MS=50)
    }
    expect(refused).toBeGreaterThan(0);
    // Unshared, each process would allow `single`: three times as many.
    expect(allowed).toBeLessThan(single * 1.5);
  });

  it('kill -9 of one gateway under a write load: the others keep answering and no acknowledged write is lost', { timeout: 90_000 }, async () => {
    const acknowledged: string[] = [];
    let failed = 0;
    let firstFailure = '';
    let running = true;
    const writer = async () => {
      while (running) {
        const s = slug('load');
        const r = await gql(lb, CREATE_ORG, { i: { slug: s, name: s } }).catch(() => ({ status: 0, body: null }));
        if (r.status === 200 && r.body?.data?.createOrganization?.organization?.slug === s) acknowledged.push(s);
        else if (++failed === 1) firstFailure = JSON.stringify(r).slice(0, 300);
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    await sleep(1_500);
    const victim = gws[2]!;
    victim.child.kill('SIGKILL');
    const ackAtKill = acknowledged.length;
    await sleep(3_000);
    running = false;
    await Promise.all(writers);
    expect(acknowledged.length - ackAtKill, `writes after the kill (failed: ${failed}, first: ${firstFailure})`).toBeGreaterThan(10);
    const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ slug: string }[]>`select slug from organizations where slug = any(${acknowledged})`;
      expect(new Set(rows.map((r) => r.slug))).toEqual(new Set(acknowledged));
    } finally {
      await sql.end();
    }
    gws = gws.slice(0, 2);
  });

  it('delivers each event to a webhook once across the gateways', { timeout: 60_000 }, async () => {
    const [a, b] = gws as [Proc, Proc];
    const org = await gql(a.url, CREATE_ORG, { i: { slug: slug('hooked'), name: 'Hooked' } });
    const id = org.body.data.createOrganization.organization.id;
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const hook = await gql(a.url, `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { userErrors { message } } }`, {
      i: { organizationId: id, url: `${base}/three`, actions: ['organization.update'] },
    });
    expect(hook.body.data.createWebhook.userErrors).toEqual([]);
    for (let k = 0; k < 12; k++) await gql(k % 2 ? a.url : b.url, `mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { userErrors { code } } }`, { i: { id, name: `Hooked ${k}` } });
    for (let i = 0; i < 200 && hooks.filter((h) => h.path === '/three').length < 12; i++) await sleep(50);
    await sleep(1_000);
    const got = hooks.filter((h) => h.path === '/three');
    expect(got).toHaveLength(12);
    expect(new Set(got.map((h) => h.headers['x-webhook-id'])).size).toBe(12);
  });
});
