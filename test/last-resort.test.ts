// core/last-resort.ts, in a real process (the built module, as main.ts installs it): an
// unhandled rejection and a lost database are logged and the process goes on; any other
// uncaught exception is logged and ends the process non-zero (its state is unknown).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../src/core/db-availability.js';
import { lastResortVerdict } from '../src/core/last-resort.js';

const built = (p: string) => pathToFileURL(join(projectRoot(), 'dist', 'src', 'core', p)).href;

/** Runs `body` in a child process with the handlers installed; exit() ends it as main.ts's stop would. */
function run(body: string) {
  if (!existsSync(join(projectRoot(), 'dist', 'src', 'core', 'last-resort.js'))) throw new Error('dist/ is missing: run `npm run build`');
  const script = `
    const { installLastResortHandlers } = await import(${JSON.stringify(built('last-resort.js'))});
    const { createLogger } = await import(${JSON.stringify(built('logger.js'))});
    installLastResortHandlers(createLogger('info'), { exit: (code) => { console.log('EXIT ' + code); process.exit(code); } });
    ${body}
    setTimeout(() => { console.log('STILL RUNNING'); process.exit(0); }, 300);
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  return { status: child.status, out: child.stdout + child.stderr };
}

describe('last-resort handlers', () => {
  it('log an unhandled rejection and go on', () => {
    const r = run(`Promise.reject(Object.assign(new Error('nobody awaited this'), { reqId: 'req-42' }));`);
    expect(r.out).toContain('STILL RUNNING');
    expect(r.status).toBe(0);
    const line = JSON.parse(r.out.split('\n').find((l) => l.includes('unhandledRejection'))!);
    expect(line).toMatchObject({ level: 50, kind: 'unhandledRejection', reqId: 'req-42', err: { message: 'nobody awaited this' } });
  });

  it('log a lost database thrown from a callback and go on, naming only its code', () => {
    const r = run(`setTimeout(() => { throw Object.assign(new Error('Failed query: select $1 params: secret-value'), { cause: Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }) }); }, 10);`);
    expect(r.out).toContain('STILL RUNNING');
    expect(r.status).toBe(0);
    expect(r.out).toContain('"reason":"CONNECTION_CLOSED"');
    expect(r.out).not.toContain('secret-value');
  });

  it('exit non-zero on any other uncaught exception, after logging it', () => {
    const r = run(`setTimeout(() => { null.write; }, 10);`);
    expect(r.out).not.toContain('STILL RUNNING');
    expect(r.out).toContain('EXIT 1');
    expect(r.status).toBe(1);
    const line = JSON.parse(r.out.split('\n').find((l) => l.includes('uncaughtException'))!);
    expect(line).toMatchObject({ level: 60, kind: 'uncaughtException', err: { type: 'TypeError' } });
  });

  it('decide by the rule', () => {
    expect(lastResortVerdict('unhandledRejection', new TypeError('x'))).toBe('continue');
    expect(lastResortVerdict('uncaughtException', Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('continue');
    expect(lastResortVerdict('uncaughtException', new TypeError("Cannot read properties of null (reading 'write')"))).toBe('exit');
  });
});

describe('isDatabaseUnavailable', () => {
  it.each([
    ['postgres.js lost connection', Object.assign(new Error(), { code: 'CONNECTION_CLOSED' }), true],
    ['connect timeout', Object.assign(new Error(), { code: 'CONNECT_TIMEOUT' }), true],
    ['refused', Object.assign(new Error(), { code: 'ECONNREFUSED' }), true],
    ['no connection in time', new DatabaseUnavailableError(), true],
    ['wrapped by Drizzle', Object.assign(new Error('Failed query'), { cause: Object.assign(new Error(), { code: '57P01' }) }), true],
    ['statement_timeout', Object.assign(new Error(), { code: '57014' }), true],
    ['too many connections', Object.assign(new Error(), { code: '53300' }), true],
    ['connection exception class', Object.assign(new Error(), { code: '08006' }), true],
    ['our own pool closed', Object.assign(new Error(), { code: 'CONNECTION_ENDED' }), false],
    ['unique violation', Object.assign(new Error(), { code: '23505' }), false],
    ['serialization failure', Object.assign(new Error(), { code: '40001' }), false],
    ['a bug', new TypeError('x is undefined'), false],
  ])('%s', (_name, err, expected) => {
    expect(isDatabaseUnavailable(err)).toBe(expected);
  });
});
