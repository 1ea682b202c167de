// Configuration is read once and validated; defaults give a working zero-config start.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { applyHeapGrowth, explicitHeapGrowth } from '../src/core/heap.js';

describe('loadConfig', () => {
  it('has working defaults with no environment at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, host: 'localhost', databaseUrl: undefined, dataDir: './data', bodyLimit: 1048576, graphiql: true, introspection: true });
    expect(c.admin).toEqual({ username: 'admin', email: 'admin@localhost', password: undefined, token: undefined });
    expect(c.jwt.accessTokenTtlSeconds).toBe(3600);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u@h/db',
      GRAPHIQL: 'false',
      TRUST_PROXY: '1',
      ADMIN_TOKEN: 'x'.repeat(20),
      ACCESS_TOKEN_TTL: '600',
      BODY_LIMIT: '2048',
    });
    expect(c).toMatchObject({ port: 8080, databaseUrl: 'postgresql://u@h/db', graphiql: false, trustProxy: true, bodyLimit: 2048 });
    expect(c.admin.token).toHaveLength(20);
    expect(c.jwt.accessTokenTtlSeconds).toBe(600);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', ADMIN_PASSWORD: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 4000 });
  });

  it('reports every bad variable at once, by name', () => {
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', ADMIN_TOKEN: 'short', GRAPHIQL: 'maybe', ADMIN_PASSWORD: '123', JWT_PRIVATE_KEY: 'nope', ADMIN_USERNAME: 'has space' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const v of ['PORT', 'DATABASE_URL', 'ADMIN_TOKEN', 'GRAPHIQL', 'ADMIN_PASSWORD', 'JWT_PRIVATE_KEY', 'ADMIN_USERNAME']) expect(problems).toContain(v);
      expect(problems).not.toContain('short');
    }
  });

  it('refuses an ADMIN_TOKEN that looks like a JWT (it would be read as one)', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'aaaaaaaaaa.bbbbbbbbbb.cccccccccc' })).toThrow(ConfigError);
  });
  it('bounds heap growth by default, leaves it to V8 with 0, and never overrides an explicit flag', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(100);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '5000' })).toThrow(/HEAP_GROWING_PERCENT/);
    expect(explicitHeapGrowth(['--heap-growing-percent=50'], '')).toBe(true);
    expect(explicitHeapGrowth([], '--max-old-space-size=200 --heap_growing_percent=20')).toBe(true);
    expect(explicitHeapGrowth(['--max-old-space-size=200'], '--enable-source-maps')).toBe(false);
    expect(applyHeapGrowth(0, false)).toBeNull();
    expect(applyHeapGrowth(100, true)).toBeNull();
    expect(applyHeapGrowth(100, false)).toBe(100);
  });

  // Every setting the limits, faults and budgets work added refuses what it cannot mean: a word,
  // a negative number, a number past its range, a fraction, a NUL. Each is named in the error.
  const NEW_SETTINGS = [
    'MAX_ALIASES', 'MAX_QUERY_TOKENS', 'MAX_RESPONSE_BYTES', 'DATABASE_CONNECT_TIMEOUT_MS', 'DATABASE_CONNECTION_WAIT_MS',
    'DATABASE_RECONNECT_DELAY_MAX_MS', 'READY_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS', 'HEADERS_TIMEOUT_MS', 'RATE_LIMIT_WINDOW_S',
    'RATE_LIMIT_SYNC_MS', 'SIGN_IN_MAX_ATTEMPTS', 'SIGN_IN_WINDOW_S', 'MAX_LOGINS_PER_REQUEST',
  ];
  for (const name of NEW_SETTINGS) {
    it(`refuses bad values of ${name}`, () => {
      for (const bad of ['many', '-1', '1e400', '99999999999999999999', '1.5', '1\u0000']) {
        expect(() => loadConfig({ [name]: bad }), `${name}=${JSON.stringify(bad)}`).toThrow(new RegExp(name));
      }
    });
  }
});
