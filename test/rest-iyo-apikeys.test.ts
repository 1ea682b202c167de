// Itsyouonline's API keys of a user on the REST engine: created with the secret shown once
// (stored hashed, usable as a bearer credential at once), listed without it, renamed (409 on a
// used label), revoked (it stops working); other users read and change nothing.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalAccessTokens } from '../schema/auth.js';
import { apiKeyRoutes } from '../src/rest/iyo/apikeys.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';

describe.each(DRIVERS)('iyo dialect: API keys on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    tok = { alice: await s.tokenFor(await s.user('keyalice')), bob: await s.tokenFor(await s.user('keybob')), admin: ADMIN.token };
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: `/api${url}`,
      headers: { ...(token ? { authorization: `token ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };

  it('creates (201, secret once, hashed), lists, gets, renames (409 on a used label), revokes (204, stops working)', async () => {
    const created = await call('POST', '/users/keyalice/apikeys', tok.alice, { label: 'ci server' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'keyalice', label: 'ci server', scopes: ['user:admin'], applicationid: expect.any(String) });
    const secret = created.body.apikey as string;
    expect(secret.length).toBeGreaterThan(20);
    // Stored as a hash only.
    const rows = await t.db.db.select().from(personalAccessTokens).where(eq(personalAccessTokens.name, 'ci server'));
    expect(JSON.stringify(rows)).not.toContain(secret);
    // The key is a credential of its user.
    expect((await call('GET', '/users/keyalice', secret)).status).toBe(200);
    expect((await call('POST', '/users/keyalice/apikeys', tok.alice, { label: 'ci server' })).status).toBe(409);

    const list = await call('GET', '/users/keyalice/apikeys', tok.alice);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([{ ...created.body, apikey: '' }]);
    expect((await call('GET', '/users/keyalice/apikeys/ci%20server', tok.alice)).body).toEqual({ ...created.body, apikey: '' });
    expect((await call('GET', '/users/keyalice/apikeys/nothere', tok.alice)).status).toBe(404);

    await call('POST', '/users/keyalice/apikeys', tok.alice, { label: 'laptop' });
    expect((await call('PUT', '/users/keyalice/apikeys/ci%20server', tok.alice, { label: 'laptop' })).status).toBe(409);
    expect((await call('PUT', '/users/keyalice/apikeys/ci%20server', tok.alice, { label: 'build box' })).status).toBe(204);
    expect((await call('GET', '/users/keyalice/apikeys', tok.alice)).body.map((k: { label: string }) => k.label).sort()).toEqual(['build box', 'laptop']);

    // Other users: nothing read, nothing changed.
    expect((await call('GET', '/users/keyalice/apikeys', tok.bob)).status).toBe(403);
    expect((await call('GET', '/users/keyalice/apikeys/laptop', tok.bob)).status).toBe(403);
    expect((await call('POST', '/users/keyalice/apikeys', tok.bob, { label: 'mine now' })).status).toBe(403);
    expect((await call('PUT', '/users/keyalice/apikeys/laptop', tok.bob, { label: 'stolen' })).status).toBe(404);
    expect((await call('DELETE', '/users/keyalice/apikeys/laptop', tok.bob)).status).toBe(404);
    expect((await call('GET', '/users/keyalice/apikeys', tok.alice)).body).toHaveLength(2);
    expect((await call('GET', '/users/keyalice/apikeys', tok.admin)).body).toHaveLength(2);

    expect((await call('DELETE', '/users/keyalice/apikeys/build%20box', tok.alice)).status).toBe(204);
    expect((await call('GET', '/users/keyalice', secret)).status).toBe(401);
    expect((await call('DELETE', '/users/keyalice/apikeys/build%20box', tok.alice)).status).toBe(404);
    expect((await call('GET', '/users/keyalice/apikeys', tok.alice)).body.map((k: { label: string }) => k.label)).toEqual(['laptop']);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['POST', '/users/keyalice/apikeys', tok.alice, { label: 7 }],
      ['POST', '/users/keyalice/apikeys', tok.alice, { label: 'x' }],
      ['POST', '/users/keyalice/apikeys', tok.alice, { label: 'nul\u0000' }],
      ['POST', '/users/keyalice/apikeys', undefined, { label: 'fine' }],
      ['GET', '/users/keyalice/apikeys', undefined],
      ['GET', '/users/%00/apikeys', tok.alice],
      ['GET', `/users/keyalice/apikeys/${'z'.repeat(51)}`, tok.alice],
      ['PUT', '/users/keyalice/apikeys/laptop', tok.alice, { label: 'lone\ud800' }],
      ['PUT', '/users/keyalice/apikeys/laptop', tok.alice, '[]'],
      ['DELETE', '/users/keyalice/apikeys/%00', tok.alice],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(apiKeyRoutes, cases)).toEqual([]);
  });
});
