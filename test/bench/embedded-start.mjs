// Measures the embedded mode's first start as a new user meets it: `node dist/main.js` on an
// empty DATA_DIR, from spawn to the first answer of /graphql, and its resident memory after the
// start, idle, and after a short load. Not a test (the machine is shared and noisy): a script
// whose figures go into the README. Usage: npm run build && node test/bench/embedded-start.mjs [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[2] ?? 3);
const rssMb = (pid) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);
const TOKEN = 'embedded-start-token-0123456789';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function once() {
  const dataDir = mkdtempSync(join(tmpdir(), 'igw-embedded-'));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], { env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ADMIN_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.includes('"gateway listening"'));
      if (line) resolve(JSON.parse(line).url);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const query = (q) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ query: q }) }).then((r) => r.json());
  await query('{ __typename }');
  const firstAnswerMs = Math.round(performance.now() - started);
  const afterStart = rssMb(child.pid);
  await sleep(5_000);
  const idle = rssMb(child.pid);
  // A short load: 2,000 queries as the admin, 10 at a time.
  const probe = await query('{ users(first: 20) { nodes { username } } organizations(first: 20) { nodes { slug } } }');
  if (!probe.data?.users) throw new Error(`the load query fails: ${JSON.stringify(probe)}`);
  for (let i = 0; i < 200; i++) await Promise.all(Array.from({ length: 10 }, () => query('{ users(first: 20) { nodes { username } } organizations(first: 20) { nodes { slug } } }')));
  const underLoad = rssMb(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  return { firstAnswerMs, afterStart, idle, underLoad };
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
const median = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
console.log(JSON.stringify({ runs: results, median: { firstAnswerMs: median('firstAnswerMs'), rssAfterStartMb: median('afterStart'), rssIdleMb: median('idle'), rssAfterLoadMb: median('underLoad') } }, null, 1));
