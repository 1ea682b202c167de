// CORS_ORIGINS: a listed origin gets its preflight answered (cached, credentials allowed) and
// its answers readable; an unlisted origin gets no CORS header anywhere, on /graphql and on a
// REST dialect alike. Nothing here depends on the driver, so it runs on PGlite only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ADMIN, startTestGateway, type TestGateway } from './helpers/gateway.js';

const LISTED = 'https://app.example.com';
const UNLISTED = 'https://evil.example.net';

describe('CORS', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('pglite', { env: { CORS_ORIGINS: `${LISTED}, http://localhost:5173`, CORS_MAX_AGE_S: '900' } });
  });
  afterAll(() => t.close());

  const preflight = (url: string, origin: string, headers = 'content-type, authorization') =>
    t.gw.app.inject({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });

  for (const url of ['/graphql', '/api/v4/users']) {
    it(`answers a listed origin's preflight on ${url}, cached, with credentials`, async () => {
      const res = await preflight(url, LISTED, url === '/graphql' ? 'content-type, authorization' : 'private-token');
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(LISTED);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-max-age']).toBe('900');
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-headers']).toBe(url === '/graphql' ? 'content-type, authorization' : 'private-token');
      expect(String(res.headers.vary)).toMatch(/origin/i);
    });

    it(`gives an unlisted origin's preflight on ${url} no CORS header`, async () => {
      const res = await preflight(url, UNLISTED);
      expect(res.statusCode).toBe(404);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    });
  }

  it('lets a listed origin read /graphql answers (and the headers it needs), an unlisted one not', async () => {
    const body = JSON.stringify({ query: '{ viewer { username } }' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN.token}` };
    const listed = await t.gw.app.inject({ method: 'POST', url: '/graphql', headers: { ...headers, origin: LISTED }, payload: body });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data.viewer.username).toBe('admin');
    expect(listed.headers['access-control-allow-origin']).toBe(LISTED);
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
    expect(String(listed.headers['access-control-expose-headers'])).toContain('x-request-id');

    const unlisted = await t.gw.app.inject({ method: 'POST', url: '/graphql', headers: { ...headers, origin: UNLISTED }, payload: body });
    // The server still answers (CORS is the browser's rule), but without the headers that let the
    // browser hand the answer to the page.
    expect(unlisted.statusCode).toBe(200);
    expect(unlisted.headers['access-control-allow-origin']).toBeUndefined();
    expect(unlisted.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets a listed origin read a REST answer with its paging headers, an unlisted one not', async () => {
    const listed = await t.gw.app.inject({ method: 'GET', url: '/api/v4/users?per_page=1', headers: { 'private-token': ADMIN.token, origin: LISTED } });
    expect(listed.statusCode).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe(LISTED);
    expect(String(listed.headers['access-control-expose-headers'])).toMatch(/x-total/);
    const unlisted = await t.gw.app.inject({ method: 'GET', url: '/api/v4/users?per_page=1', headers: { 'private-token': ADMIN.token, origin: UNLISTED } });
    expect(unlisted.statusCode).toBe(200);
    expect(unlisted.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('matches origins exactly: another scheme, port or a suffix is another origin', async () => {
    for (const origin of ['http://app.example.com', 'https://app.example.com:8443', 'https://app.example.com.evil.net', 'null']) {
      const res = await preflight('/graphql', origin);
      expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
    expect((await preflight('/graphql', 'http://localhost:5173')).headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });
});

describe('CORS off (CORS_ORIGINS unset)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('pglite');
  });
  afterAll(() => t.close());

  it('sends no CORS header to any origin', async () => {
    const res = await t.gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', origin: LISTED }, payload: '{"query":"{ __typename }"}' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the settings of CORS, metrics and tracing', () => {
  for (const name of ['CORS_MAX_AGE_S', 'METRICS_PORT']) {
    it(`refuses bad values of ${name}`, () => {
      for (const bad of ['many', '-1', '1e400', '99999999999999999999', '1.5', '1\u0000', '70000000']) {
        expect(() => loadConfig({ [name]: bad }), `${name}=${JSON.stringify(bad)}`).toThrow(new RegExp(name));
      }
    });
  }

  it('refuses a short or spaced METRICS_TOKEN without echoing it, and a non-http OTLP endpoint', () => {
    for (const bad of ['short', 'has a space in it 0123456789', 'x'.repeat(300), `${'y'.repeat(20)}\u0000`]) {
      let message = '';
      try {
        loadConfig({ METRICS_TOKEN: bad });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/METRICS_TOKEN/);
      expect(message).not.toContain(bad);
    }
    for (const bad of ['collector:4318', 'grpc://collector:4317', 'http://a b']) expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: bad }), bad).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    const ok = loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: 'z'.repeat(20), OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(ok.metrics).toEqual({ port: 9464, token: 'z'.repeat(20) });
    expect(ok.tracing).toEqual({ endpoint: 'http://collector:4318', serviceName: 'identity-graph-gateway' });
    expect(loadConfig({}).metrics.port).toBeUndefined();
  });

  it('refuses CORS_ORIGINS that are not exact origins', () => {
    for (const bad of ['*', 'app.example.com', 'https://app.example.com/', 'https://app.example.com/path', 'ftp://x.example', 'https://*.example.com']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
    }
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://a.example,http://localhost:3000' }).cors.origins).toEqual(['https://a.example', 'http://localhost:3000']);
  });
});
