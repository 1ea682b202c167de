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

describe('CORS_ORIGINS', () => {
  it('refuses anything but exact origins, naming the value', () => {
    for (const bad of ['*', 'app.example.com', 'https://app.example.com/', 'https://app.example.com/path', 'ftp://x.example', 'https://*.example.com']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
    }
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://a.example,http://localhost:3000' }).cors.origins).toEqual(['https://a.example', 'http://localhost:3000']);
  });
});
