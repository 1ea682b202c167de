// `npm start` and `npm run dev` call this first: it runs `npm run build` only when a source is
// newer than the last build it ran (dist/.build-stamp; tsc's incremental build leaves its own
// .tsbuildinfo untouched when nothing changed, so it cannot serve). Plain
// JavaScript, so that it runs before anything is compiled. A no-op start used to spend ~20 s
// in tsc; this check reads the modification times of a few hundred files (~30 ms).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stamp = join(root, 'dist', '.build-stamp');

/** The newest modification time under `path` (a file, or a folder walked for sources). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) max = Math.max(max, newest(child));
    else if (/\.(ts|sql|json|mjs)$/.test(entry.name)) max = Math.max(max, statSync(child).mtimeMs);
  }
  return max;
}

const sources = ['main.ts', 'src', 'schema', 'test/bench', 'tsconfig.json', 'package.json', 'package-lock.json'].map((p) => newest(join(root, p)));
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (Math.max(...sources) > built) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
