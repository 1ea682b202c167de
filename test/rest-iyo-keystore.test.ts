// A user's keystore on the Itsyouonline REST engine: an organization (here: the user's token
// bound to it) saves keys by label and reads only its own; another organization sees none; a
// token bound to none saves nothing; oversized key data is 413; other users are kept out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keystoreRoutes } from '../src/rest/iyo/keystore.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';

describe.each(DRIVERS)('iyo dialect: keystore on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const alice = await s.user('ksalice');
    const bob = await s.user('ksbob');
    const acme = await s.org('acme', { owner: alice });
    const globex = await s.org('globex', { owner: alice });
    const jwt = await s.tokenFor(alice);
    const bound = async (org: typeof acme, as = jwt, username = 'ksalice') =>
      (
        await t.gql(
          `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { code message } } }`,
          { i: { username, name: `for ${org.slug}`, scopes: ['API'], organizationId: s.gid('Organization', org) } },
          { token: as },
        )
      ).body.data.createPersonalAccessToken.token as string;
    const bobJwt = await s.tokenFor(bob);
    tok = { alice: jwt, acme: await bound(acme), globex: await bound(globex), bob: bobJwt, admin: ADMIN.token };
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: `/api${url}`,
      headers: { ...(token ? { authorization: `bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
  const key = { label: 'signing', key: 'ed25519:AAAA', keydata: { timestamp: '2026-01-01T00:00:00Z', nested: { a: [1, 2] } }, comment: 'for invoices', algorithm: 'ed25519' };

  it('saves (201) and reads by organization; a used label 409; another organization sees none', async () => {
    const r = await call('POST', '/users/ksalice/keystore', tok.acme, { ...key, globalid: 'forged', username: 'someone' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ label: 'signing', username: 'ksalice', globalid: 'acme', key: 'ed25519:AAAA', keydata: key.keydata, comment: 'for invoices', algorithm: 'ed25519' });
    expect((await call('POST', '/users/ksalice/keystore', tok.acme, key)).status).toBe(409);
    expect((await call('GET', '/users/ksalice/keystore', tok.acme)).body).toEqual([r.body]);
    expect((await call('GET', '/users/ksalice/keystore/signing', tok.acme)).body).toEqual(r.body);
    expect((await call('GET', '/users/ksalice/keystore/other', tok.acme)).status).toBe(404);
    // Globex keeps its own keys under the same label, and sees none of acme's.
    expect((await call('GET', '/users/ksalice/keystore', tok.globex)).body).toEqual([]);
    expect((await call('GET', '/users/ksalice/keystore/signing', tok.globex)).status).toBe(404);
    expect((await call('POST', '/users/ksalice/keystore', tok.globex, key)).status).toBe(201);
    // Unbound tokens: no accessing organization.
    expect((await call('POST', '/users/ksalice/keystore', tok.alice, { ...key, label: 'mine' })).status).toBe(403);
    expect((await call('GET', '/users/ksalice/keystore', tok.alice)).body).toEqual([]);
  });

  it('413 for oversized key data; other users kept out', async () => {
    const big = await call('POST', '/users/ksalice/keystore', tok.acme, { ...key, label: 'big', keydata: { blob: 'x'.repeat(20_000) } });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: expect.any(String) });
    expect((await call('GET', '/users/ksalice/keystore', tok.bob)).status).toBe(403);
    expect((await call('GET', '/users/ksalice/keystore/signing', tok.bob)).status).toBe(403);
    expect((await call('POST', '/users/ksalice/keystore', tok.bob, { ...key, label: 'evil' })).status).toBe(403);
    expect((await call('GET', '/users/ksalice/keystore', tok.acme)).body.map((k: { label: string }) => k.label)).toEqual(['signing']);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['GET', '/users/ksalice/keystore', undefined],
      ['GET', '/users/%00/keystore', tok.acme],
      ['GET', '/users/ksalice/keystore/x', tok.acme],
      ['POST', '/users/ksalice/keystore', tok.acme, { ...key, keydata: 'not an object' }],
      ['POST', '/users/ksalice/keystore', tok.acme, { ...key, label: 'nul\u0000' }],
      ['POST', '/users/ksalice/keystore', tok.acme, { ...key, algorithm: 7 }],
      ['POST', '/users/ksalice/keystore', tok.acme, { label: 'ok' }],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(keystoreRoutes, cases)).toEqual([]);
  });
});
