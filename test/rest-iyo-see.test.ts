// "See" documents on the Itsyouonline REST engine: an organization (the user's token bound to it)
// creates a document, adds versions, signs one; `version` picks -1 latest, 0 all, n one; an
// unknown keystore label is 412, an oversized version 413; other organizations write nothing
// into it and other users read nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeRoutes } from '../src/rest/iyo/see.routes.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf } from './helpers/seed-users.js';

describe.each(DRIVERS)('iyo dialect: see documents on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const alice = await s.user('seealice');
    const acme = await s.org('acme', { owner: alice });
    const globex = await s.org('globex', { owner: alice });
    const jwt = await s.tokenFor(alice);
    const bound = async (org: typeof acme) =>
      (
        await t.gql(
          `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token } }`,
          { i: { username: 'seealice', name: `for ${org.slug}`, scopes: ['API'], organizationId: s.gid('Organization', org) } },
          { token: jwt },
        )
      ).body.data.createPersonalAccessToken.token as string;
    tok = { alice: jwt, acme: await bound(acme), globex: await bound(globex), bob: await s.tokenFor(await s.user('seebob')) };
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
  const doc = { uniqueid: 'invoice-1', category: 'invoice', link: 'https://acme.example/i/1', content_type: 'application/pdf', markdown_short_description: 'Invoice 1', markdown_full_description: '# Invoice 1' };

  it('creates, versions, reads by version and signs a document', async () => {
    await call('POST', '/users/seealice/keystore', tok.acme, { label: 'signing', key: 'k', keydata: {}, algorithm: 'ed25519' });
    const created = await call('POST', '/users/seealice/see', tok.acme, doc);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'seealice', globalid: 'acme', uniqueid: 'invoice-1', version: 1, category: 'invoice', signature: '' });
    expect((await call('POST', '/users/seealice/see', tok.acme, doc)).status).toBe(409);
    expect((await call('POST', '/users/seealice/see', tok.acme, { ...doc, uniqueid: 'other', keystore_label: 'nokey' })).status).toBe(412);
    expect((await call('POST', '/users/seealice/see', tok.alice, { ...doc, uniqueid: 'mine' })).status).toBe(403);

    const v2 = await call('PUT', '/users/seealice/see/invoice-1/acme', tok.acme, { markdown_short_description: 'Invoice 1 (corrected)', keystore_label: 'signing' });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, category: 'invoice', markdown_short_description: 'Invoice 1 (corrected)' });
    const signed = await call('PUT', '/users/seealice/see/invoice-1/acme/sign/1', tok.acme, { signature: 'sig-of-v1', keystore_label: 'signing' });
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ version: 1, signature: 'sig-of-v1', markdown_short_description: 'Invoice 1' });
    expect((await call('PUT', '/users/seealice/see/invoice-1/acme/sign/9', tok.acme, { signature: 's' })).status).toBe(404);

    const latest = await call('GET', '/users/seealice/see/invoice-1/acme', tok.alice);
    expect(latest.body.versions.map((v: { version: number }) => v.version)).toEqual([2]);
    expect((await call('GET', '/users/seealice/see/invoice-1/acme?version=0', tok.alice)).body.versions.map((v: { version: number; signature: string }) => [v.version, v.signature])).toEqual([
      [1, 'sig-of-v1'],
      [2, ''],
    ]);
    expect((await call('GET', '/users/seealice/see/invoice-1/acme?version=1', tok.alice)).body.versions[0].version).toBe(1);
    expect((await call('GET', '/users/seealice/see/invoice-1/acme?version=7', tok.alice)).body.versions[0].version).toBe(2);
    expect((await call('GET', '/users/seealice/see', tok.alice)).body).toEqual([expect.objectContaining({ uniqueid: 'invoice-1', globalid: 'acme', version: 2 })]);
    expect(await eventsOf(t, 'see.sign')).toHaveLength(1);
  });

  it('keeps organizations and users apart; 413 for an oversized version', async () => {
    // Globex cannot change acme's document, nor name acme as itself.
    expect((await call('PUT', '/users/seealice/see/invoice-1/acme', tok.globex, { category: 'forged' })).status).toBe(404);
    expect((await call('PUT', '/users/seealice/see/invoice-1/acme/sign/1', tok.globex, { signature: 'forged' })).status).toBe(404);
    expect((await call('PUT', '/users/seealice/see/invoice-1/globex', tok.globex, { category: 'forged' })).status).toBe(404);
    expect((await call('GET', '/users/seealice/see', tok.bob)).status).toBe(403);
    expect((await call('GET', '/users/seealice/see/invoice-1/acme', tok.bob)).status).toBe(403);
    expect((await call('POST', '/users/seealice/see', tok.bob, { ...doc, uniqueid: 'evil' })).status).toBe(403);
    const big = await call('PUT', '/users/seealice/see/invoice-1/acme', tok.acme, { markdown_full_description: 'x'.repeat(66_000) });
    expect(big.status).toBe(413);
    expect((await call('GET', '/users/seealice/see/invoice-1/acme?version=0', tok.alice)).body.versions).toHaveLength(2);
    expect((await call('GET', '/users/seealice/see/nothing/acme', tok.alice)).status).toBe(404);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['GET', '/users/seealice/see', undefined],
      ['POST', '/users/seealice/see', tok.acme, { ...doc, category: 5 }],
      ['POST', '/users/seealice/see', tok.acme, { category: 'no id' }],
      ['POST', '/users/seealice/see', tok.acme, { ...doc, uniqueid: 'nul\u0000' }],
      ['GET', '/users/seealice/see/invoice-1/%00', tok.alice],
      ['GET', '/users/seealice/see/invoice-1/acme?version=-5', tok.alice],
      ['PUT', '/users/seealice/see/invoice-1/acme', tok.acme, '[]'],
      ['PUT', '/users/seealice/see/invoice-1/acme', undefined, { category: 'x' }],
      ['PUT', '/users/seealice/see/invoice-1/acme/sign/abc', tok.acme, { signature: 's' }],
      ['PUT', '/users/seealice/see/invoice-1/acme/sign/1', tok.acme, {}],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(seeRoutes, cases)).toEqual([]);
  });
});
