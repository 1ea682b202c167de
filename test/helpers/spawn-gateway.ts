// The real program as a child process (node dist/main.js, or another built entry), for tests
// that need more than one process: locks, separate ports, signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/core/db.js';

export const MAIN = join(projectRoot(), 'dist', 'main.js');
export const SEED = join(projectRoot(), 'dist', 'src', 'tools', 'seed.js');

export interface Child {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

export interface Listening extends Child {
  /** The /graphql URL the gateway printed. */
  url: string;
  /** The first log line that said so, parsed. */
  entry: Record<string, unknown>;
}

/** Runs a built script with only the given environment (plus PATH); output kept for messages. */
export function run(script: string, env: Record<string, string>): Child {
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\``);
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

/** Starts the gateway and resolves once it logs "gateway listening" (rejects if it exits first). */
export function startGatewayProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<Listening> {
  const c = run(MAIN, env);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within ${timeoutMs} ms:\n${c.output()}`)), timeoutMs);
    const look = () => {
      const line = c.output().split('\n').find((l) => l.includes('"gateway listening"'));
      if (!line) return;
      clearTimeout(timer);
      c.child.stdout!.off('data', look);
      const entry = JSON.parse(line) as Record<string, unknown>;
      resolve({ ...c, url: String(entry.url), entry });
    };
    c.child.stdout!.on('data', look);
    void c.exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${c.output()}`));
    });
  });
}
