// The real program, as `npm start` runs it (node dist/main.js, built by `pretest`):
// start with no configuration, answer, drain on SIGTERM, restart on the same data, and refuse
// bad configuration with a clear message and a non-zero exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';
import { tempDir } from './helpers/gateway.js';
import { createEmptyDatabase } from './helpers/postgres.js';

// The production entry other tools use (npm run build writes it).
const MAIN = join(projectRoot(), 'dist', 'main.js');

interface Running {
  child: ChildProcess;
  url: string;
  startupMs: number;
  rssMb: number;
  output: () => string;
  exit: Promise<number | null>;
}

function start(env: Record<string, string>): Promise<Running> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does it in pretest)');
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('"gateway listening"')) continue;
        const entry = JSON.parse(line);
        clearTimeout(timer);
        resolve({ child, url: entry.url, startupMs: entry.startupMs, rssMb: entry.rssMb, output: () => out, exit });
        return;
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${out}`));
    });
  });
}

const post = (url: string, query: string, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });

/** A POST whose body is sent in two halves; `finish()` sends the second. */
function slowPost(url: string, query: string, token: string) {
  const body = JSON.stringify({ query });
  const half = Math.floor(body.length / 2);
  let finish!: () => void;
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  const response = new Promise<string>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.write(body.slice(0, half), () => setTimeout(started, 100));
    finish = () => req.end(body.slice(half));
  });
  return { response, started: startedP, finish: () => finish() };
}

async function stop(r: Running): Promise<number | null> {
  r.child.kill('SIGTERM');
  return r.exit;
}

const drivers: { name: string; env: () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> }[] = [
  { name: 'pglite', env: async () => ({ env: { DATA_DIR: tempDir() }, cleanup: async () => {} }) },
];
if (inject('postgresTemplate')) {
  drivers.push({
    name: 'postgres',
    env: async () => {
      const db = await createEmptyDatabase(process.env.TEST_DATABASE_URL!);
      return { env: { DATA_DIR: tempDir(), DATABASE_URL: db.url }, cleanup: db.drop };
    },
  });
}

describe.each(drivers)('the gateway process on $name', ({ name, env: makeEnv }) => {
  it('starts with no configuration, signs in, drains on SIGTERM, and restarts with tokens intact', { timeout: 120_000 }, async () => {
    const { env, cleanup } = await makeEnv();
    try {
      const first = await start(env);
      // Figures for the issue notes (cold start includes migrating an empty database).
      console.log(`[${name}] cold start ${first.startupMs} ms, rss ${first.rssMb} MB`);
      const hello = await post(first.url, '{ __typename }');
      expect(await hello.json()).toMatchObject({ data: { __typename: 'Query' } });

      const password = readFileSync(join(env.DATA_DIR!, 'initial_admin_password'), 'utf8').trim();
      expect(first.output()).toContain(password); // printed once, at first start
      const login = await (await post(first.url, `mutation { login(input: { login: "admin", password: "${password}" }) { accessToken } }`)).json();
      const jwt = login.data.login.accessToken as string;
      expect(jwt).toBeTruthy();

      // A request in flight when SIGTERM arrives still gets its answer: its body is still
      // arriving when the signal lands, so the server is provably in the middle of it.
      const inFlight = slowPost(first.url, '{ viewer { username } }', jwt);
      await inFlight.started;
      const code = stop(first);
      await new Promise((r) => setTimeout(r, 300));
      inFlight.finish();
      expect(JSON.parse(await inFlight.response).data.viewer.username).toBe('admin');
      expect(await code).toBe(0);
      expect(first.output()).toContain('shutdown complete');
      expect(first.output()).not.toContain(jwt);

      const second = await start(env);
      console.log(`[${name}] warm start ${second.startupMs} ms, rss ${second.rssMb} MB`);
      try {
        const again = await (await post(second.url, '{ viewer { username } }', jwt)).json();
        expect(again.data.viewer.username).toBe('admin');
        expect(second.output()).not.toContain(password); // not printed a second time
        // The REST layer as bundled (scripts/bundle.mjs): a route answers, and its querystring
        // schema, compiled on first use, refuses a bad value in the dialect's error shape.
        const base = second.url.replace(/\/graphql$/, '');
        const users = await fetch(`${base}/api/v4/users?per_page=2`, { headers: { authorization: `Bearer ${jwt}` } });
        expect(users.status).toBe(200);
        expect((await users.json()).map((u: { username: string }) => u.username)).toContain('admin');
        const bad = await fetch(`${base}/api/v4/users?per_page=zero`, { headers: { authorization: `Bearer ${jwt}` } });
        expect(bad.status).toBe(400);
        expect(await bad.json()).toHaveProperty('message');
      } finally {
        expect(await stop(second)).toBe(0);
      }
    } finally {
      await cleanup();
    }
  });
});

describe('bad configuration', () => {
  it('stops the start with a message naming each bad variable and a non-zero exit', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', ADMIN_TOKEN: 'short', DATA_DIR: tempDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    for (const v of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'ADMIN_TOKEN']) expect(err).toContain(v);
    expect(err).not.toContain('short'); // a bad secret is named, not echoed
  });
});
