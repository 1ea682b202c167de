// patches/postgres+3.4.9.patch: postgres.js's pool queues stay as long as what they hold. Unpatched,
// the busy queue gained a hole per pipelined query under sustained load (110,000 entries after
// 5 s) and every move of a connection between queues scanned all of it: the gateway's requests
// slowed down the longer the load lasted. `npm install` applies the patch (postinstall).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// The package's root, from its CommonJS entry (cjs/src/index.js); the gateway imports the ESM
// build (src/index.js), whose pool imports src/queue.js.
const root = require.resolve('postgres').replace(/cjs[\\/]src[\\/]index\.js$/, '');
type Queue = <T>(initial?: T[]) => { length: number; push(x: T): T; shift(): T; remove(x: T): T | null };

it.each(['src', 'cjs/src'])('keeps the pool queue bounded under sustained shift/push/remove (%s, patched)', async (dir) => {
  const mod = (await import(pathToFileURL(join(root, dir, 'queue.js')).href)) as { default: Queue | { default: Queue } };
  const Queue = (typeof mod.default === 'function' ? mod.default : mod.default.default) as Queue;
  const busy = Queue<object>();
  const connections = [{}, {}, {}, {}];
  for (const c of connections) busy.push(c);
  // The pool's pipelining path: take the front connection, hand it a query, push it back, and
  // look for it in the queue it came from (move() removes before it pushes).
  let scanned = 0;
  const realIndexOf = Array.prototype.indexOf;
  Array.prototype.indexOf = function (this: unknown[], ...args: Parameters<typeof realIndexOf>) {
    scanned += this.length - (args[1] ?? 0);
    return realIndexOf.apply(this, args);
  };
  try {
    for (let i = 0; i < 50_000; i++) {
      const c = busy.shift();
      busy.remove(c);
      busy.push(c);
    }
  } finally {
    Array.prototype.indexOf = realIndexOf;
  }
  expect(busy.length).toBe(4);
  // Unpatched: ~25,000 entries scanned per move on average; patched: the few live ones.
  expect(scanned / 50_000).toBeLessThan(100);
  for (const c of connections) expect(busy.remove(c)).toBe(c);
  expect(busy.length).toBe(0);
  expect(busy.remove({})).toBeNull();
});
