// npm run dev: the TypeScript build in watch mode (incremental: only what changed is re-emitted)
// and the gateway under `node --watch`, which restarts it when a file it loaded from dist/
// changes. A restart is a SIGTERM and a wait for the exit (the usual drain), so the embedded
// database's lock is released before the new process takes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectRoot } from '../core/db.js';

const require = createRequire(import.meta.url);
const root = projectRoot();

const children: ChildProcess[] = [];
const start = (args: string[]) => {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { NODE_ENV: 'development', ...process.env } });
  children.push(child);
  // One of them gone (a start that failed for good, tsc killed): stop the other, report its code.
  child.on('exit', (code, signal) => {
    for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  return child;
};

start([require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--watch', '--preserveWatchOutput']);
start(['--watch', join(root, 'dist', 'main.js')]);
// Ctrl-C reaches both children through the terminal; a plain kill of this process does not.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => children.forEach((c) => c.kill(signal)));
