// A user's registry on the Itsyouonline REST engine: write (overwrite), list, get, delete; a
// value over its limit is 413 (never a 5xx); other users read and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryRoutes } from '../src/rest/iyo/registry.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf } from './helpers/seed-users.js';

describe.each(DRIVERS)('iyo dialect: registry on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    tok = { alice: await s.tokenFor(await s.user('regalice')), bob: await s.tokenFor(await s.user('regbob')), admin: ADMIN.token };
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: `/api${url}${url.includes('?') ? '&' : '?'}${token ? `access_token=${token}` : ''}`,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };

  it('writes (201, overwriting), lists, gets, deletes (204); 404 after; 413 over the limit; others kept out', async () => {
    const w = await call('POST', '/users/regalice/registry', tok.alice, { Key: 'theme', Value: 'dark' });
    expect(w.status).toBe(201);
    expect(w.body).toEqual({ Key: 'theme', Value: 'dark' });
    expect((await call('POST', '/users/regalice/registry', tok.alice, { Key: 'theme', Value: 'light' })).status).toBe(201);
    await call('POST', '/users/regalice/registry', tok.alice, { Key: 'a key', Value: '' });
    expect((await call('GET', '/users/regalice/registry', tok.alice)).body).toEqual([
      { Key: 'a key', Value: '' },
      { Key: 'theme', Value: 'light' },
    ]);
    expect((await call('GET', '/users/regalice/registry/theme', tok.alice)).body).toEqual({ Key: 'theme', Value: 'light' });
    const big = await call('POST', '/users/regalice/registry', tok.alice, { Key: 'big', Value: 'v'.repeat(1025) });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: expect.any(String) });

    expect((await call('GET', '/users/regalice/registry', tok.bob)).status).toBe(403);
    expect((await call('GET', '/users/regalice/registry/theme', tok.bob)).status).toBe(403);
    expect((await call('POST', '/users/regalice/registry', tok.bob, { Key: 'theme', Value: 'pwned' })).status).toBe(403);
    expect((await call('DELETE', '/users/regalice/registry/theme', tok.bob)).status).toBe(403);
    expect((await call('GET', '/users/regalice/registry/theme', tok.admin)).body).toEqual({ Key: 'theme', Value: 'light' });

    expect((await call('DELETE', '/users/regalice/registry/theme', tok.alice)).status).toBe(204);
    expect((await call('GET', '/users/regalice/registry/theme', tok.alice)).status).toBe(404);
    expect((await call('DELETE', '/users/regalice/registry/theme', tok.alice)).status).toBe(404);
    expect(await eventsOf(t, 'registry.set')).toHaveLength(3);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['POST', '/users/regalice/registry', tok.alice, { Key: 1, Value: 'x' }],
      ['POST', '/users/regalice/registry', tok.alice, { Key: 'k'.repeat(257), Value: 'x' }],
      ['POST', '/users/regalice/registry', tok.alice, { Key: 'k', Value: 'nul\u0000' }],
      ['POST', '/users/regalice/registry', tok.alice, { Key: 'k', Value: { nested: true } }],
      ['POST', '/users/regalice/registry', undefined, { Key: 'k', Value: 'v' }],
      ['GET', '/users/regalice/registry', undefined],
      ['GET', '/users/regalice/registry/%00', tok.alice],
      ['DELETE', `/users/regalice/registry/${'k'.repeat(300)}`, tok.alice],
      ['DELETE', '/users/%00/registry/k', tok.alice],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(registryRoutes, cases)).toEqual([]);
  });
});
