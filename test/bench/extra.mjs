// npm run bench, part 2 (after the anchors' table): the figures the anchors' harness does not
// measure, on PostgreSQL database `gw` (BENCH_DB), with the gateway that this script starts itself
// (`node dist/main.js`, so run `npm run build` first) and stops by PID on exit.
//
//   rest    one list route per dialect (GitLab users, Seald team users, an Itsyouonline user: see
//           REST_PAIRS below) against the GraphQL operation that route executes, sent to /graphql with
//           the variables the route builds — interleaved rounds; cost ratio REST/GraphQL (target <= 1.1).
//   page    users(first: 20) page 1 against page 1,000 (after the cursor of row 19,980 in the default
//           order, username then id) — interleaved rounds; ratio deep/page 1 (target <= 1.2).
//   writes  a write mix, one chain per connection, repeated: createUser -> createPersonalAccessToken
//           (setup: a token for the new user) -> inviteToOrganization -> acceptInvitation (as the new
//           user) -> createMessage (setup: a message the new user may read) -> revokeMessageAccess.
//           Unique inputs per request (a counter); every answer must have no `errors` and empty
//           `userErrors`. What it created (users `benchw_*`, organization `zz-benchw-*`, messages with
//           metadata {"bench":"benchw"}, their event logs) is deleted by SQL at the end (and leftovers
//           of an interrupted run at the start).
//   rss     VmRSS of the gateway sampled every 100 ms during all the load above (max; target <= 200 MB)
//   cold    cold start: spawn `node dist/main.js`, time to the first successful /graphql answer,
//           median of COLD_STARTS (target <= 1.5 s). Runs last, with the loaded gateway stopped.
//
// Load: autocannon 8 (programmatic), CONNECTIONS keep-alive connections, WARMUP_S warm-up + DURATION_S
// measured per run, ROUNDS rounds, the order of the two sides reversed on every other round. p50/p99
// from autocannon's per-response timings (microseconds). CPU ms per request of the gateway process and
// of all Postgres processes from /proc. Only ratios within one run mean anything on a shared machine.
//
// Environment: AUTOCANNON (autocannon's package dir; default $ANCHOR_DIR/node_modules/autocannon, where
// the anchors' run.sh installs its pinned packages; ANCHOR_DIR defaults to $TMPDIR/anchor-bench as there),
// EXTRA_PORT (4001), BENCH_DB (gw), PGHOST/PGPORT/PGUSER, ADMIN_TOKEN, ROUNDS (3), WARMUP_S (3),
// DURATION_S (10), CONNECTIONS (10), COLD_STARTS (5), EXTRA_SECTIONS (rest,page,writes,cold), REST_PAIRS (gitlab,seald,iyo,iyo-org),
// RESULTS_DIR (default $ANCHOR_DIR/results/extra-<UTC stamp>), KEEP_WRITES=1 (skip the clean-up).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
// The route tables import modules with type-graphql decorators.
import 'reflect-metadata';

const env = process.env;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ANCHOR_DIR = env.ANCHOR_DIR ?? join(env.TMPDIR ?? tmpdir(), 'anchor-bench');
const AUTOCANNON = env.AUTOCANNON ?? join(ANCHOR_DIR, 'node_modules', 'autocannon');
const PORT = Number(env.EXTRA_PORT ?? 4001);
const PG = `${env.PGUSER ?? 'postgres'}@${env.PGHOST ?? '127.0.0.1'}:${env.PGPORT ?? 5432}`;
const DATABASE_URL = `postgres://${PG}/${env.BENCH_DB ?? 'gw'}`;
const TOKEN = env.ADMIN_TOKEN ?? 'bench-admin-token-0123456789';
const ROUNDS = Number(env.ROUNDS ?? 3), WARMUP = Number(env.WARMUP_S ?? 3), DURATION = Number(env.DURATION_S ?? 10);
const CONNECTIONS = Number(env.CONNECTIONS ?? 10);
const COLD_STARTS = Number(env.COLD_STARTS ?? 5);
const SECTIONS = new Set((env.EXTRA_SECTIONS ?? 'rest,page,writes,cold').split(',').filter(Boolean));
const STAMP = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
const OUTDIR = env.RESULTS_DIR ?? join(ANCHOR_DIR, 'results', `extra-${STAMP}`);
const BASE = `http://127.0.0.1:${PORT}`;
const DEEP_ROW = 19_980; // page 1,000 of 20 starts after this row
const USER_PREFIX = 'benchw_';
const ORG_PREFIX = 'zz-benchw-'; // sorts after every seeded slug (org-NNNNN, default)

const log = (s) => process.stderr.write(`[extra ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const die = (s) => { log(`ERROR: ${s}`); process.exitCode = 1; throw new Error(s); };

let autocannon;
try {
  autocannon = createRequire(import.meta.url)(AUTOCANNON);
} catch (err) {
  process.stderr.write(`autocannon not found at ${AUTOCANNON} (${err.code ?? err.message}).\n` +
    `Install the anchors' pinned packages (npm ci in ANCHOR_DIR, as ../shared/bench/anchors/run.sh does: ` +
    `cp package.json package-lock.json there, then npm ci), or set AUTOCANNON=/path/to/node_modules/autocannon.\n`);
  process.exit(2);
}
if (!existsSync(join(ROOT, 'dist', 'main.js'))) { process.stderr.write(`${ROOT}/dist/main.js missing: run npm run build first\n`); process.exit(2); }
mkdirSync(OUTDIR, { recursive: true });

// ------------------------------------------------------------------ the gateway process
const gatewayEnv = (port) => ({ ...env, DATABASE_URL, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_TOKEN: TOKEN, NODE_ENV: 'production' });
const children = new Set();
function startGateway(logName) {
  const fd = openSync(join(OUTDIR, logName), 'a');
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], { cwd: ROOT, env: gatewayEnv(PORT), stdio: ['ignore', fd, fd] });
  children.add(child);
  child.exitedP = new Promise((r) => child.once('exit', (code, sig) => { children.delete(child); r({ code, sig }); }));
  return child;
}
async function stopGateway(child) {
  if (!children.has(child)) return;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exitedP, sleep(10_000).then(() => null)]);
  if (!done) { child.kill('SIGKILL'); await child.exitedP; }
}
const killAll = () => { for (const c of children) try { c.kill('SIGKILL'); } catch {} };
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAll(); process.exit(130); });

async function gql(query, variables = {}, { token = TOKEN, operationName } = {}) {
  const r = await fetch(`${BASE}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables, operationName }) });
  const text = await r.text();
  let body; try { body = JSON.parse(text); } catch {}
  if (r.status !== 200 || !body?.data || body.errors) throw new Error(`GraphQL ${r.status}: ${text.slice(0, 400)}`);
  return body.data;
}
/** Polls until /graphql answers the viewer query for the admin; returns ms since `t0`. */
async function waitReady(child, t0, timeoutMs = 60_000) {
  const body = JSON.stringify({ query: '{ viewer { username } }' });
  for (;;) {
    if (!children.has(child)) die(`gateway exited before answering (see ${OUTDIR}/*.log)`);
    try {
      const r = await fetch(`${BASE}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body });
      const j = await r.json();
      if (r.status === 200 && j.data?.viewer?.username && !j.errors) return performance.now() - t0;
    } catch {}
    if (performance.now() - t0 > timeoutMs) die(`gateway not ready after ${timeoutMs} ms`);
    await sleep(5);
  }
}

// ------------------------------------------------------------------ /proc: CPU and memory
const TICK_MS = 1000 / Number(env.CLK_TCK ?? 100);
function ticks(pid) {
  try { const st = readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); return Number(f[11]) + Number(f[12]); } catch { return NaN; }
}
function pgTicks() {
  const m = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(d)) continue;
    try { if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') m.set(d, ticks(d)); } catch {}
  }
  return m;
}
const pgDelta = (a, b) => { let t = 0; for (const [pid, v] of b) t += v - (a.get(pid) ?? 0); return t; };
function statusKb(pid, field) {
  try { const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm')); return m ? Number(m[1]) : NaN; } catch { return NaN; }
}
const rss = { samples: 0, maxKb: 0, bySection: {}, section: 'idle', timer: null, pid: 0 };
function startRss(pid) {
  rss.pid = pid;
  rss.timer = setInterval(() => {
    const kb = statusKb(pid, 'VmRSS');
    if (!Number.isFinite(kb)) return;
    rss.samples++;
    rss.maxKb = Math.max(rss.maxKb, kb);
    rss.bySection[rss.section] = Math.max(rss.bySection[rss.section] ?? 0, kb);
  }, 100);
  rss.timer.unref();
}

// ------------------------------------------------------------------ load
const pct = (s, p) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN);
const median = (xs) => { const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b); const n = s.length; return !n ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const sorted = (xs) => Float64Array.from(xs).sort();

/** One autocannon run. `opts` are autocannon options (url, requests...); per-step latencies by request `name`. */
function cannon(opts, duration, record) {
  return new Promise((resolve, reject) => {
    const lat = [], byStep = new Map();
    const inst = autocannon({ connections: CONNECTIONS, duration, ...opts }, (err, res) => (err ? reject(err) : resolve({ res, lat, byStep })));
    if (record) inst.on('response', (client, status, _bytes, ms) => {
      if (status < 200 || status >= 300) return;
      lat.push(ms);
      const name = client.requestIterator.currentRequest?.name ?? 'all';
      if (!byStep.has(name)) byStep.set(name, []);
      byStep.get(name).push(ms);
    });
  });
}
async function measure(label, opts, { gwPid, checks }) {
  await cannon(opts, WARMUP, false);
  if (checks) checks.reset();
  const pg0 = pgTicks(), srv0 = ticks(gwPid), t0 = performance.now();
  const { res, lat, byStep } = await cannon(opts, DURATION, true);
  const wallS = (performance.now() - t0) / 1000;
  const n = Math.max(1, res.requests.total);
  const s = sorted(lat);
  const steps = {};
  for (const [name, xs] of byStep) { const ss = sorted(xs); steps[name] = { n: xs.length, rps: xs.length / DURATION, p50: pct(ss, 50), p99: pct(ss, 99) }; }
  return {
    label, rps: res.requests.average, total: res.requests.total, p50: pct(s, 50), p99: pct(s, 99), wallS,
    non2xx: res.non2xx, errors: res.errors, timeouts: res.timeouts, bytesPerReq: res.throughput.total / n,
    srvMsPerReq: ((ticks(gwPid) - srv0) * TICK_MS) / n, pgMsPerReq: (pgDelta(pg0, pgTicks()) * TICK_MS) / n,
    steps, checks: checks?.snapshot(),
  };
}

/** Counts answers that are not clean GraphQL successes (per step), keeping a few samples. */
function makeChecks() {
  const c = { bad: {}, ok: {}, samples: [] };
  return {
    reset() { c.bad = {}; c.ok = {}; c.samples = []; },
    ok(name) { c.ok[name] = (c.ok[name] ?? 0) + 1; },
    bad(name, why) { c.bad[name] = (c.bad[name] ?? 0) + 1; if (c.samples.length < 5) c.samples.push(`${name}: ${String(why).slice(0, 300)}`); },
    snapshot() { return { ok: { ...c.ok }, bad: { ...c.bad }, samples: [...c.samples] }; },
  };
}
/** A cheap check for GraphQL load answers (no parse): status 200 and no errors member. */
const gqlBodyCheck = (checks, name) => (status, body) => {
  if (status !== 200 || !body.startsWith('{"data":') || body.includes('"errors":[')) checks.bad(name, `${status} ${body}`);
  else checks.ok(name);
};

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-'), f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-'), f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : '-');
const badOf = (r) => r.non2xx + r.errors + r.timeouts + Object.values(r.checks?.bad ?? {}).reduce((a, b) => a + b, 0);

/** Interleaved A/B rounds: A B, B A, A B, ... */
async function pairRounds(section, a, b, ctx) {
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 ? [b, a] : [a, b]) {
      const m = await measure(side.label, side.opts, { ...ctx, checks: side.checks });
      runs.push({ round, ...m });
      log(`${section} round ${round + 1}/${ROUNDS} ${side.label.padEnd(10)} ${f0(m.rps).padStart(6)} req/s  p50 ${f2(m.p50)} ms  p99 ${f2(m.p99)} ms  srv ${f3(m.srvMsPerReq)} ms/req${badOf(m) ? `  BAD=${badOf(m)}` : ''}`);
    }
  }
  const side = (label) => {
    const rs = runs.filter((r) => r.label === label);
    return { label, rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)),
      rpsMin: Math.min(...rs.map((r) => r.rps)), rpsMax: Math.max(...rs.map((r) => r.rps)), bytes: median(rs.map((r) => r.bytesPerReq)),
      srv: median(rs.map((r) => r.srvMsPerReq)), pg: median(rs.map((r) => r.pgMsPerReq)), bad: rs.reduce((t, r) => t + badOf(r), 0) };
  };
  // Cost ratio a/b per round: time per request of a over that of b = rps(b) / rps(a) (run back to back).
  const paired = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ra = runs.find((r) => r.round === round && r.label === a.label), rb = runs.find((r) => r.round === round && r.label === b.label);
    paired.push({ cost: rb.rps / ra.rps, p50: ra.p50 / rb.p50, p99: ra.p99 / rb.p99, srv: ra.srvMsPerReq / rb.srvMsPerReq });
  }
  const ratio = (k) => ({ median: median(paired.map((p) => p[k])), min: Math.min(...paired.map((p) => p[k])), max: Math.max(...paired.map((p) => p[k])) });
  return { a: side(a.label), b: side(b.label), ratio: { cost: ratio('cost'), p50: ratio('p50'), p99: ratio('p99'), srv: ratio('srv') }, runs };
}

// ------------------------------------------------------------------ sections
const results = { config: { ROUNDS, WARMUP, DURATION, CONNECTIONS, COLD_STARTS, DATABASE_URL, PORT, node: process.version, autocannon: AUTOCANNON, sections: [...SECTIONS] }, stamp: STAMP };
const sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });
const auth = { authorization: `Bearer ${TOKEN}` };

// REST routes against their GraphQL twins: each route's own operation, read from its route table in
// the build, with the variables the route's own `variables(request)` builds for the measured
// request — so the twin is always exactly what the route runs. One pair per dialect with list data:
//   gitlab  GET /api/v4/users?per_page=20 (admin view; `gitlabUsers`)
//   seald   GET /dashboardapi/v2/users/?page_size=20 (a team of 40 members, the admin's API token
//           bound to it; `sealdUsers`)
//   iyo     GET /api/users/admin (the user with every labelled collection; `iyo_user`)
//   iyo-org GET /api/organizations/zz-benchr-team (the Seald pair's team; `iyo_organization`)
// REST_PAIRS (default all four) picks some.
const routeOf = async (file, exported, method, path) => {
  const mod = await import(new URL(`../../dist/src/rest/${file}`, import.meta.url).href);
  const route = mod[exported].find((r) => r.method === method && r.path === path);
  if (!route) die(`route ${method} ${path} not found in ${file}`);
  return route;
};
/** A RestRequest as the engine builds it, for the route's own variables function. */
const restRequest = (restPath, params, query, principal) => ({ params, query, body: undefined, principal, url: new URL(BASE + restPath) });
const { uuidOf } = await import(new URL('../../dist/src/rest/drf.js', import.meta.url).href);
const opName = (op) => /^(?:query|mutation)\s+(\w+)/.exec(op)[1];
const TEAM_SLUG = 'zz-benchr-team'; // sorts after every seeded slug; kept between runs

const REST_PAIRS = {
  async gitlab() {
    const route = await routeOf('gitlab/users.routes.js', 'userRoutes', 'GET', '/users');
    const restPath = '/api/v4/users?per_page=20';
    const vars = route.variables(restRequest(restPath, {}, { per_page: 20 }, { kind: 'user', isInstanceAdmin: true }));
    return { title: '`GET /api/v4/users?per_page=20` (GitLab, admin view)', route, restPath, vars, headers: auth,
      ids: (rest) => (Array.isArray(rest) ? rest.map((u) => u.id) : null), twinIds: (d) => d.users.nodes.map((u) => u.databaseId), restOk: (b) => b.startsWith('[{') };
  },
  async seald() {
    // The team: a sub-organization of `default` (ADMIN_TOKEN is bound there), with 40 seeded users
    // as direct members and the admin as owner; the credential: the admin's API token bound to it.
    const def = await gql(`{ organization(slug: "default") { id } }`);
    let team = (await gql(`query($s: String!) { organization(slug: $s) { id } }`, { s: TEAM_SLUG })).organization;
    if (!team) {
      const made = await gql(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } userErrors { code message } } }`,
        { i: { slug: TEAM_SLUG, name: 'bench rest team', parentId: def.organization.id } });
      if (made.createOrganization.userErrors.length) die(`createOrganization: ${JSON.stringify(made.createOrganization.userErrors)}`);
      team = made.createOrganization.organization;
    }
    const [{ id: teamUuid }] = await sql`select id from organizations where slug = ${TEAM_SLUG}`;
    await sql`insert into memberships (id, organization_id, user_id, role)
      select gen_random_uuid(), ${teamUuid}, id, 'member' from users where username like 'user_%' order by username limit 40
      on conflict do nothing`;
    const made = await gql(`mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { code message } } }`,
      { i: { username: 'admin', name: `bench-rest-${STAMP}`, scopes: ['API'], organizationId: team.id } });
    if (made.createPersonalAccessToken.userErrors.length) die(`createPersonalAccessToken: ${JSON.stringify(made.createPersonalAccessToken.userErrors)}`);
    const token = made.createPersonalAccessToken.token;
    const route = await routeOf('seald/users.routes.js', 'userRoutes', 'GET', '/dashboardapi/v2/users/');
    const restPath = '/dashboardapi/v2/users/?page_size=20';
    const principal = { kind: 'user', isInstanceAdmin: false, credential: { type: 'personal_access_token', organizationId: teamUuid, scopes: ['api'] } };
    const vars = route.variables(restRequest(restPath, {}, { page_size: 20 }, principal));
    return { title: '`GET /dashboardapi/v2/users/?page_size=20` (Seald, a team of 40)', route, restPath, vars, token, headers: { 'x-dashboard-api-key': token },
      ids: (rest) => rest?.results?.map((u) => u.id) ?? null, twinIds: (d) => d.dashboardTeam.teamUsers.nodes.map((n) => uuidOf(n.user.id)), restOk: (b) => b.startsWith('{"count":') };
  },
  async 'iyo-org'() {
    // The Seald pair's team (made there when missing): 40 members, the admin its owner.
    if (!(await gql(`query($s: String!) { organization(slug: $s) { id } }`, { s: TEAM_SLUG })).organization) await REST_PAIRS.seald();
    const route = await routeOf('iyo/orgs.routes.js', 'orgRoutes', 'GET', '/organizations/:globalid');
    const restPath = `/api/organizations/${TEAM_SLUG}`;
    const vars = route.variables(restRequest(restPath, { globalid: TEAM_SLUG }, {}, { kind: 'user', isInstanceAdmin: true }));
    return { title: `\`GET /api/organizations/${TEAM_SLUG}\` (Itsyouonline, an organization of 40 members)`, route, restPath, vars, headers: auth,
      ids: (rest) => (rest?.globalid ? [rest.globalid] : null), twinIds: (d) => [d.organization.slug], restOk: (b) => b.startsWith('{') && b.includes('"globalid":') };
  },
  async iyo() {
    const route = await routeOf('iyo/users.routes.js', 'userRoutes', 'GET', '/users/:username');
    const restPath = '/api/users/admin';
    const vars = route.variables(restRequest(restPath, { username: 'admin' }, {}, { kind: 'user', isInstanceAdmin: true }));
    return { title: '`GET /api/users/admin` (Itsyouonline, the user with every collection)', route, restPath, vars, headers: auth,
      ids: (rest) => (rest?.username ? [rest.username] : null), twinIds: (d) => [d.user.username], restOk: (b) => b.startsWith('{') && b.includes('"username":') };
  },
};

async function sectionRest(ctx) {
  const out = {};
  for (const name of (env.REST_PAIRS ?? 'gitlab,seald,iyo,iyo-org').split(',').filter(Boolean)) {
    if (!REST_PAIRS[name]) die(`unknown REST pair ${name}`);
    const p = await REST_PAIRS[name]();
    const operationName = opName(p.route.operation);
    const r = await fetch(BASE + p.restPath, { headers: { accept: 'application/json', ...p.headers } });
    const text = await r.text();
    let rest; try { rest = JSON.parse(text); } catch {}
    const twin = await gql(p.route.operation, p.vars, { operationName, token: p.token });
    const a = p.ids(rest), b = p.twinIds(twin);
    if (r.status !== 200 || !a?.length || !p.restOk(text)) die(`${name}: REST answer unexpected: ${r.status} ${text.slice(0, 300)}`);
    if (a.join() !== b.join()) die(`${name}: REST and its GraphQL twin disagree: ${a.slice(0, 3)} vs ${b.slice(0, 3)}`);
    log(`rest ${name}: both sides answer ${a.length} item(s), ${text.length} bytes REST`);
    const restChecks = makeChecks(), gqlChecks = makeChecks();
    const restSide = { label: `rest ${name}`, checks: restChecks, opts: { url: BASE, requests: [{ method: 'GET', path: p.restPath, headers: { accept: 'application/json', ...p.headers },
      onResponse: (status, body) => (status === 200 && p.restOk(body) ? restChecks.ok('rest') : restChecks.bad('rest', `${status} ${body}`)) }] } };
    const gqlSide = { label: `graphql ${name}`, checks: gqlChecks, opts: { url: BASE, requests: [{ method: 'POST', path: '/graphql',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${p.token ?? TOKEN}` },
      body: JSON.stringify({ query: p.route.operation, variables: p.vars, operationName }), onResponse: gqlBodyCheck(gqlChecks, 'graphql') }] } };
    out[name] = { title: p.title, operationName, ...(await pairRounds(`rest ${name}`, restSide, gqlSide, ctx)) };
  }
  return out;
}

const USERS_PAGE = `query usersPage($after: String) {
  users(first: 20, after: $after) { edges { cursor node { databaseId username displayName } } pageInfo { hasNextPage endCursor } }
}`;
async function sectionPage(ctx) {
  // The cursor of row 19,980 in the default order (username, then id), built as connection.ts encodes
  // keyset positions (base64url of the JSON array of sort value and primary key) ...
  const [row] = await sql`select username, id from users order by username, id offset ${DEEP_ROW - 1} limit 1`;
  const [next] = await sql`select username from users order by username, id offset ${DEEP_ROW} limit 1`;
  const cursor = Buffer.from(JSON.stringify([row.username, row.id]), 'utf8').toString('base64url');
  // ... and checked against the gateway's own cursor for that row (users(offset:) is the page-number path).
  const viaOffset = await gql(`query($o: Int!) { users(first: 1, offset: $o) { edges { cursor } } }`, { o: DEEP_ROW - 1 });
  if (viaOffset.users.edges[0].cursor !== cursor) die(`constructed cursor ${cursor} differs from the gateway's ${viaOffset.users.edges[0].cursor}`);
  const deep = await gql(USERS_PAGE, { after: cursor });
  const first = await gql(USERS_PAGE, {});
  if (deep.users.edges.length !== 20 || deep.users.edges[0].node.username !== next.username || first.users.edges.length !== 20) die('deep page does not start at the expected row');
  log(`page: page 1 starts at ${first.users.edges[0].node.username}, page 1000 at ${next.username} (row ${DEEP_ROW + 1})`);
  const mk = (label, variables) => {
    const checks = makeChecks();
    return { label, checks, opts: { url: BASE, requests: [{ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', accept: 'application/json', ...auth },
      body: JSON.stringify({ query: USERS_PAGE, variables, operationName: 'usersPage' }), onResponse: gqlBodyCheck(checks, label) }] } };
  };
  return { cursor, ...(await pairRounds('page', mk('page1000', { after: cursor }), mk('page1', {}), ctx)) };
}

/** Deletes what the write mix created (identified by prefix / metadata), in one transaction. */
async function cleanupWrites() {
  const t0 = performance.now();
  const out = await sql.begin(async (tx) => {
    // FK actions would run one statement per deleted row (thousands, each into tables of up to 1M
    // rows): emulate them set-based below (every FK into the deleted tables), with triggers off.
    await tx`set local session_replication_role = replica`;
    await tx`create temp table bw_users on commit drop as select id from users where username like ${USER_PREFIX.replace(/_/g, '\\_') + '%'}`;
    await tx`create temp table bw_organizations on commit drop as select id from organizations where slug like ${ORG_PREFIX + '%'}`;
    await tx`create temp table bw_messages on commit drop as select id from messages where metadata->>'bench' = 'benchw' or owner_id in (select id from bw_users)`;
    await tx`create temp table bw_devices on commit drop as select id from devices where user_id in (select id from bw_users)`;
    await tx`create temp table bw_groups on commit drop as select id from groups where organization_id in (select id from bw_organizations)`;
    const sets = { users: 'bw_users', organizations: 'bw_organizations', messages: 'bw_messages', devices: 'bw_devices', groups: 'bw_groups' };
    const [{ n: nUsers }] = await tx`select count(*)::int as n from bw_users`;
    const [{ n: nOrgs }] = await tx`select count(*)::int as n from bw_organizations`;
    if (!nUsers && !nOrgs) return {};
    // Event logs of those objects: created by this benchmark only (the seed has none of them).
    const ev = await tx`delete from event_logs where actor_user_id in (select id from bw_users) or user2_id in (select id from bw_users)
      or organization_id in (select id from bw_organizations) or message_id in (select id from bw_messages)`;
    const fks = await tx`select c.conrelid::regclass::text as child, a.attname as col, c.confrelid::regclass::text as parent, c.confdeltype as action
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'f' and c.confrelid::regclass::text = any(${Object.keys(sets)})`;
    const counts = { event_logs: ev.count };
    for (const fk of fks) {
      const where = `"${fk.col}" in (select id from ${sets[fk.parent]})`;
      if (fk.action === 'c') counts[fk.child] = (counts[fk.child] ?? 0) + (await tx.unsafe(`delete from "${fk.child}" where ${where}`)).count;
      else if (fk.action === 'n') await tx.unsafe(`update "${fk.child}" set "${fk.col}" = null where ${where}`);
      else { const [{ n }] = await tx.unsafe(`select count(*)::int as n from "${fk.child}" where ${where}`); if (n) throw new Error(`${fk.child}.${fk.col} still references ${n} ${fk.parent}`); }
    }
    for (const t of ['messages', 'devices', 'groups', 'users', 'organizations']) counts[t] = (counts[t] ?? 0) + (await tx.unsafe(`delete from "${t}" where id in (select id from ${sets[t]})`)).count;
    // Nothing may point at the deleted rows any more (triggers were off).
    for (const fk of fks) {
      const [{ n }] = await tx.unsafe(`select count(*)::int as n from "${fk.child}" where "${fk.col}" in (select id from ${sets[fk.parent]})`);
      if (n) throw new Error(`clean-up left ${n} rows in ${fk.child}.${fk.col}`);
    }
    return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
  });
  // Dead rows would otherwise slow the seq scans of the next run's users pages until autovacuum.
  if (out.users) await sql`vacuum (analyze) users, contacts, memberships, personal_access_tokens, invitations, message_accesses, messages, organizations`;
  return { ...out, ms: Math.round(performance.now() - t0) };
}
async function tryCleanup() {
  try {
    return await cleanupWrites();
  } catch (err) {
    log(`WARNING: clean-up failed (${err.message}); remove users '${USER_PREFIX}%' and organizations '${ORG_PREFIX}%' by hand`);
    return { failed: err.message };
  }
}

const MUTATIONS = {
  createUser: `mutation createUser($i: CreateUserInput!) { createUser(input: $i) { user { id username } userErrors { code field message } } }`,
  createPersonalAccessToken: `mutation createPersonalAccessToken($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { code field message } } }`,
  inviteToOrganization: `mutation inviteToOrganization($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id status } userErrors { code field message } } }`,
  acceptInvitation: `mutation acceptInvitation($i: InvitationIdInput!) { acceptInvitation(input: $i) { invitation { id status } userErrors { code field message } } }`,
  createMessage: `mutation createMessage($i: CreateMessageInput!) { createMessage(input: $i) { message { id } userErrors { code field message } } }`,
  revokeMessageAccess: `mutation revokeMessageAccess($i: RevokeMessageAccessInput!) { revokeMessageAccess(input: $i) { revokedAccesses { revoked } userErrors { code field message } } }`,
};
const SETUP_STEPS = new Set(['createPersonalAccessToken', 'createMessage']);

async function sectionWrites(ctx) {
  const leftover = await tryCleanup();
  if (leftover.users || leftover.organizations) log(`writes: removed leftovers of an earlier run: ${JSON.stringify(leftover)}`);
  const [{ n: outbox0 }] = await sql`select count(*)::int as n from outbox`;
  const tag = Date.now().toString(36);
  // The organization the invitations go to: a sub-organization of `default`, because the admin's
  // ADMIN_TOKEN is bound to `default` and tokens it creates for others inherit that binding — the
  // invited user's token then only sees invitations inside `default`'s subtree.
  const def = await gql(`{ organization(slug: "default") { id } }`);
  const made = await gql(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } userErrors { code message } } }`,
    { i: { slug: `${ORG_PREFIX}${tag}`, name: 'bench writes', parentId: def.organization.id } });
  if (made.createOrganization.userErrors.length) die(`createOrganization: ${JSON.stringify(made.createOrganization.userErrors)}`);
  const orgId = made.createOrganization.organization.id;
  let counter = 0;
  const checks = makeChecks();
  // One request of the chain: `input(ctx)` builds the input (null: the chain broke, start over);
  // `keep(data, ctx)` stores what later steps need. Every answer is parsed and checked.
  const step = (name, input, keep = () => {}, token = () => TOKEN) => ({
    name, method: 'POST', path: '/graphql',
    setupRequest: (req, c) => {
      const i = input(c);
      if (!i) return null;
      return { ...req, headers: { ...req.headers, authorization: `Bearer ${token(c)}` }, body: JSON.stringify({ query: MUTATIONS[name], variables: { i }, operationName: name }) };
    },
    onResponse: (status, body, c) => {
      let j; try { j = JSON.parse(body); } catch {}
      const payload = j?.data?.[name];
      if (status !== 200 || !payload || j.errors || payload.userErrors?.length) { c.broken = true; return checks.bad(name, `${status} ${body}`); }
      checks.ok(name);
      keep(payload, c);
    },
  });
  const live = (f) => (c) => (c.broken ? null : f(c));
  const requests = [
    step('createUser', (c) => {
      const username = `${USER_PREFIX}${tag}_${++counter}`;
      c.username = username; c.broken = false;
      return { username, email: `${username}@bench.invalid`, skipConfirmation: true, displayName: `Bench ${counter}` };
    }, (p, c) => { c.userId = p.user.id; }),
    step('createPersonalAccessToken', live((c) => ({ username: c.username, name: 'benchw', scopes: ['API'] })), (p, c) => { c.token = p.token; }),
    step('inviteToOrganization', live((c) => ({ organizationId: orgId, username: c.username })), (p, c) => { c.invitationId = p.invitation.id; }),
    step('acceptInvitation', live((c) => ({ id: c.invitationId })), () => {}, (c) => c.token),
    step('createMessage', live((c) => ({ recipientIds: [c.userId], metadata: { bench: 'benchw' } })), (p, c) => { c.messageId = p.message.id; }),
    step('revokeMessageAccess', live((c) => ({ messageId: c.messageId, userId: c.userId })), (p, c) => { if (!p.revokedAccesses?.length) { c.broken = true; checks.bad('revokeMessageAccess', 'nothing revoked'); } }),
  ];
  const opts = { url: BASE, headers: { 'content-type': 'application/json', accept: 'application/json' }, requests };
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    const m = await measure('writes', opts, { ...ctx, checks });
    runs.push({ round, ...m });
    const bad = Object.values(m.checks.bad).reduce((a, b) => a + b, 0);
    log(`writes round ${round + 1}/${ROUNDS} mix ${f0(m.rps).padStart(6)} req/s  p50 ${f2(m.p50)} ms  p99 ${f2(m.p99)} ms  chains ${m.steps.revokeMessageAccess?.n ?? 0}${bad ? `  BAD=${JSON.stringify(m.checks.bad)} ${m.checks.samples[0]}` : ''}`);
  }
  const names = requests.map((r) => r.name);
  const steps = names.map((name) => {
    const rs = runs.map((r) => r.steps[name]).filter(Boolean);
    return { name, setup: SETUP_STEPS.has(name), rps: median(rs.map((s) => s.rps)), p50: median(rs.map((s) => s.p50)), p99: median(rs.map((s) => s.p99)),
      ok: runs.reduce((t, r) => t + (r.checks.ok[name] ?? 0), 0), bad: runs.reduce((t, r) => t + (r.checks.bad[name] ?? 0), 0) };
  });
  const mix = { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)),
    rpsMin: Math.min(...runs.map((r) => r.rps)), rpsMax: Math.max(...runs.map((r) => r.rps)), srv: median(runs.map((r) => r.srvMsPerReq)), pg: median(runs.map((r) => r.pgMsPerReq)),
    bad: runs.reduce((t, r) => t + badOf(r), 0), chainsPerS: median(runs.map((r) => (r.steps.revokeMessageAccess?.n ?? 0) / DURATION)) };
  const [{ n: outbox1 }] = await sql`select count(*)::int as n from outbox`;
  const [{ n: created }] = await sql`select count(*)::int as n from users where username like ${USER_PREFIX.replace(/_/g, '\\_') + '%'}`;
  const samples = runs.flatMap((r) => r.checks.samples).slice(0, 5);
  let cleanup = { skipped: true };
  if (env.KEEP_WRITES !== '1') { cleanup = await tryCleanup(); log(`writes: clean-up ${JSON.stringify(cleanup)}`); }
  return { mix, steps, runs, usersCreated: created, outboxDelta: outbox1 - outbox0, cleanup, samples };
}

async function sectionCold() {
  const times = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const t0 = performance.now();
    const child = startGateway('cold.log');
    const ms = await waitReady(child, t0);
    times.push(ms);
    log(`cold start ${i + 1}/${COLD_STARTS}: ${ms.toFixed(0)} ms to the first answer`);
    await stopGateway(child);
  }
  return { times, median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

// ------------------------------------------------------------------ main
try {
  const t0 = Date.now();
  if (await fetch(`${BASE}/`).then(() => true, () => false)) die(`something already listens on ${BASE}; set EXTRA_PORT`);
  const loads = ['rest', 'page', 'writes'].filter((s) => SECTIONS.has(s));
  if (loads.length) {
    const gw = startGateway('gateway.log');
    const readyMs = await waitReady(gw, performance.now());
    const ctx = { gwPid: gw.pid };
    startRss(gw.pid);
    await sleep(300);
    results.rssIdleKb = statusKb(gw.pid, 'VmRSS');
    log(`gateway pid ${gw.pid} on ${BASE}, ready in ${readyMs.toFixed(0)} ms, RSS ${(results.rssIdleKb / 1024).toFixed(0)} MB; ${ROUNDS} rounds x (${WARMUP}s + ${DURATION}s), ${CONNECTIONS} connections`);
    for (const s of loads) {
      rss.section = s;
      results[s] = await { rest: sectionRest, page: sectionPage, writes: sectionWrites }[s](ctx);
    }
    rss.section = 'idle';
    clearInterval(rss.timer);
    results.rss = { maxKb: rss.maxKb, hwmKb: statusKb(gw.pid, 'VmHWM'), bySectionKb: rss.bySection, samples: rss.samples, idleKb: results.rssIdleKb };
    await stopGateway(gw);
    const exit = await gw.exitedP;
    results.gatewayExit = exit;
  }
  if (SECTIONS.has('cold')) results.cold = await sectionCold();
  results.wallS = Math.round((Date.now() - t0) / 1000);

  // ---------------------------------------------------------------- report
  const L = [];
  L.push(`## Gateway extras (${ROUNDS} interleaved rounds x (${WARMUP}s warm-up + ${DURATION}s measured), ${CONNECTIONS} connections, database ${DATABASE_URL.split('/').pop()}; wall ${results.wallS} s)`);
  L.push('');
  const pair = (R, aName, bName, target) => {
    L.push(`| side | req/s | p50 ms | p99 ms | req/s min..max | bytes/resp | CPU ms/req gateway | CPU ms/req postgres | bad |`);
    L.push('|---|---:|---:|---:|---|---:|---:|---:|---:|');
    for (const s of [R.a, R.b]) L.push(`| ${s.label} | ${f0(s.rps)} | ${f2(s.p50)} | ${f2(s.p99)} | ${f0(s.rpsMin)}..${f0(s.rpsMax)} | ${f0(s.bytes)} | ${f3(s.srv)} | ${f3(s.pg)} | ${s.bad} |`);
    const r = R.ratio, mm = (x) => `**${f2(x.median)}** (${f2(x.min)}..${f2(x.max)})`;
    L.push('');
    L.push(`${aName}/${bName}, median (min..max) of the per-round paired ratios: cost (time per request = inverse req/s) ${mm(r.cost)} — target ${target}; p50 ${mm(r.p50)}; p99 ${mm(r.p99)}; gateway CPU per request ${mm(r.srv)}.`);
    L.push('');
  };
  for (const R of Object.values(results.rest ?? {})) { L.push(`### REST ${R.title} vs its GraphQL twin (\`${R.operationName}\`, the variables the route builds)`); L.push(''); pair(R, 'REST', 'GraphQL', '<= 1.1'); }
  if (results.page) { L.push('### `users(first: 20)`: page 1,000 (after the cursor of row 19,980) vs page 1'); L.push(''); pair(results.page, 'page 1000', 'page 1', '<= 1.2'); }
  if (results.writes) {
    const w = results.writes;
    L.push('### Write mix (one chain per connection: the six mutations in turn; setup = a step the next ones need)');
    L.push('');
    L.push('| mutation | role | req/s | p50 ms | p99 ms | answers ok | bad (errors / userErrors / non-200) |');
    L.push('|---|---|---:|---:|---:|---:|---:|');
    for (const s of w.steps) L.push(`| ${s.name} | ${s.setup ? 'setup' : 'measured'} | ${f0(s.rps)} | ${f2(s.p50)} | ${f2(s.p99)} | ${s.ok} | ${s.bad} |`);
    L.push(`| **mix** | all | **${f0(w.mix.rps)}** (${f0(w.mix.rpsMin)}..${f0(w.mix.rpsMax)}) | ${f2(w.mix.p50)} | ${f2(w.mix.p99)} | | ${w.mix.bad} |`);
    L.push('');
    L.push(`Chains/s ${f2(w.mix.chainsPerS)}; CPU ms per mutation: gateway ${f3(w.mix.srv)}, postgres ${f3(w.mix.pg)}. Users created (incl. warm-ups) ${w.usersCreated}; outbox rows added ${w.outboxDelta}; clean-up ${w.cleanup.skipped ? 'skipped (KEEP_WRITES=1)' : w.cleanup.failed ? `FAILED: ${w.cleanup.failed}` : `${w.cleanup.users ?? 0} users, ${w.cleanup.event_logs ?? 0} event logs deleted in ${w.cleanup.ms} ms`}.${w.samples.length ? ` First bad answers: ${w.samples.map((s) => '`' + s.replace(/`/g, "'") + '`').join('; ')}` : ''}`);
    L.push('');
  }
  if (results.rss || results.cold) {
    L.push('### Memory and start-up');
    L.push('');
    L.push('| figure | value | target |');
    L.push('|---|---:|---|');
    const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
    if (results.rss) {
      L.push(`| gateway RSS, max under load (VmRSS every 100 ms, ${results.rss.samples} samples) | **${mb(results.rss.maxKb)}** | <= 200 MB |`);
      L.push(`| gateway peak RSS (VmHWM at the end) | ${mb(results.rss.hwmKb)} | |`);
      L.push(`| gateway RSS idle after start / max per section | ${mb(results.rss.idleKb)} / ${Object.entries(results.rss.bySectionKb).filter(([k]) => k !== 'idle').map(([k, v]) => `${k} ${mb(v)}`).join(', ')} | |`);
    }
    if (results.cold) L.push(`| cold start to the first /graphql answer, median of ${results.cold.times.length} (min..max) | **${results.cold.median.toFixed(0)} ms** (${results.cold.min.toFixed(0)}..${results.cold.max.toFixed(0)}) | <= 1500 ms |`);
    L.push('');
  }
  const out = L.join('\n');
  console.log(out);
  writeFileSync(join(OUTDIR, 'summary.md'), out + '\n');
  writeFileSync(join(OUTDIR, 'results.json'), JSON.stringify(results, null, 2));
  log(`results in ${OUTDIR}`);
} catch (err) {
  if (!process.exitCode) { log(`ERROR: ${err.stack ?? err}`); process.exitCode = 1; }
  try { writeFileSync(join(OUTDIR, 'results.partial.json'), JSON.stringify(results, null, 2)); } catch {}
} finally {
  for (const c of [...children]) await stopGateway(c);
  await sql.end({ timeout: 5 });
}
