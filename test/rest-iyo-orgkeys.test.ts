// An Itsyouonline organization's API key as a principal, end to end with part 1's authorizations:
// the key acts as its organization — it reads the user's `info` exactly within what the user
// granted that organization, nothing (404) once the grant is removed; a deleted key, or one
// without clientCredentialsGrantType, is refused at the next request; a key of one organization
// reads nothing of another and is refused on user routes, mutations and the other dialects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrganizationBySlug } from '../src/modules/organizations/organization.repo.js';
import { orgApiKeyRoutes } from '../src/rest/iyo/orgapikeys.routes.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf } from './helpers/seed-users.js';

describe.each(DRIVERS)('iyo dialect: organization API keys on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const owner = await s.user('okowner');
    const member = await s.user('okmember');
    tok = { owner: await s.tokenFor(owner), member: await s.tokenFor(member), user: await s.tokenFor(await s.user('okuser')), stranger: await s.tokenFor(await s.user('okstranger')) };
    // Organizations through the graph's own mutation (the owner owns both).
    for (const slug of ['okacme', 'okglobex']) {
      const r = await t.gql(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { slug } userErrors { code } } }`, { i: { slug, name: slug } }, { token: tok.owner });
      expect(r.body.data.createOrganization.organization.slug).toBe(slug);
    }
    // A plain member (the seed helper's real repository write).
    const acme = await findOrganizationBySlug(t.db.db, 'okacme');
    await s.member(acme!, member);
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown, scheme = 'bearer') => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: `/api${url}`,
      headers: { ...(token ? { authorization: `${scheme} ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
  const newKey = async (org: string, label: string, clientCredentialsGrantType = true) => {
    const r = await call('POST', `/organizations/${org}/apikeys`, tok.owner, { label, clientCredentialsGrantType });
    expect(r.status).toBe(201);
    return r.body.secret as string;
  };

  it('manages keys by label: 201 with the secret once, labels listed, 409 on a used label, PUT 200, DELETE 204; members and strangers refused, nothing changed', async () => {
    const made = await call('POST', '/organizations/okacme/apikeys', tok.owner, { label: 'ci key', callbackURL: 'https://app.example/cb' });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ label: 'ci key', callbackURL: 'https://app.example/cb', clientCredentialsGrantType: false, secret: expect.stringMatching(/^igwo_[A-Za-z0-9_-]{43}$/) });
    expect((await call('POST', '/organizations/okacme/apikeys', tok.owner, { label: 'ci key' })).status).toBe(409);
    expect((await call('GET', '/organizations/okacme/apikeys', tok.owner)).body).toEqual(['ci key']);
    expect((await call('GET', '/organizations/okacme/apikeys/ci key', tok.owner)).body).toEqual({ label: 'ci key', callbackURL: 'https://app.example/cb', clientCredentialsGrantType: false });
    expect((await call('GET', '/organizations/okacme/apikeys/nokey', tok.owner)).status).toBe(404);

    // A member: 403 on every key route; a stranger 404 (cannot see the organization); anonymous 401.
    for (const [m, u, b] of [
      ['GET', '/organizations/okacme/apikeys', undefined],
      ['POST', '/organizations/okacme/apikeys', { label: 'evil' }],
      ['GET', '/organizations/okacme/apikeys/ci key', undefined],
      ['PUT', '/organizations/okacme/apikeys/ci key', { label: 'evil' }],
      ['DELETE', '/organizations/okacme/apikeys/ci key', undefined],
    ] as const) {
      expect((await call(m, u, tok.member, b)).status, `${m} ${u} member`).toBe(403);
      expect((await call(m, u, tok.stranger, b)).status, `${m} ${u} stranger`).toBe(404);
      expect((await call(m, u, undefined, b)).status, `${m} ${u} anonymous`).toBe(401);
    }
    expect((await call('GET', '/organizations/okacme/apikeys', tok.owner)).body).toEqual(['ci key']);

    const put = await call('PUT', '/organizations/okacme/apikeys/ci key', tok.owner, { label: 'deploy', clientCredentialsGrantType: true });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ label: 'deploy', callbackURL: '', clientCredentialsGrantType: true });
    await newKey('okacme', 'other');
    expect((await call('PUT', '/organizations/okacme/apikeys/deploy', tok.owner, { label: 'other' })).status).toBe(409);
    expect((await call('PUT', '/organizations/okacme/apikeys/nokey', tok.owner, { label: 'x1' })).status).toBe(404);
    expect((await call('DELETE', '/organizations/okacme/apikeys/deploy', tok.owner)).status).toBe(204);
    expect((await call('DELETE', '/organizations/okacme/apikeys/deploy', tok.owner)).status).toBe(404);
    expect((await call('GET', '/organizations/okacme/apikeys', tok.owner)).body).toEqual(['other']);
    expect(await eventsOf(t, 'organizationApiKey.create')).toHaveLength(2);
    expect(await eventsOf(t, 'organizationApiKey.delete')).toHaveLength(1);
  });

  it('a key reads the user’s info exactly within the grant, nothing once it is removed; revoked keys are refused', async () => {
    const key = await newKey('okacme', 'reader');
    await call('PUT', '/users/okuser/name', tok.user, { firstname: 'Olga', lastname: 'K' });
    await call('POST', '/users/okuser/emailaddresses', tok.user, { label: 'work', emailaddress: 'olga@work.example' });
    await call('POST', '/users/okuser/emailaddresses', tok.user, { label: 'home', emailaddress: 'olga@home.example' });

    // No grant yet: the user is as missing as an unknown one.
    expect((await call('GET', '/users/okuser/info', key)).status).toBe(404);
    expect((await call('GET', '/users/nosuchuser/info', key)).status).toBe(404);

    const grant = await call('PUT', '/users/okuser/authorizations/okacme', tok.user, { name: true, emailaddresses: [{ requestedlabel: 'main', reallabel: 'work' }] });
    expect(grant.status).toBe(201);
    // Every documented way of presenting it works: bearer, token, access_token.
    for (const r of [await call('GET', '/users/okuser/info', key), await call('GET', '/users/okuser/info', key, undefined, 'token'), await call('GET', `/users/okuser/info?access_token=${key}`)]) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ username: 'okuser', firstname: 'Olga', lastname: 'K', emailaddresses: [{ label: 'main', emailaddress: 'olga@work.example' }], phonenumbers: [], addresses: [] });
    }
    // A grant to another organization shows this key nothing more.
    await call('PUT', '/users/okuser/authorizations/okglobex', tok.user, { name: true, emailaddresses: [{ requestedlabel: 'x', reallabel: 'home' }] });
    expect((await call('GET', '/users/okuser/info', key)).body.emailaddresses).toEqual([{ label: 'main', emailaddress: 'olga@work.example' }]);
    // Nor does asking for another organization's view through the graph.
    const g = await t.gql(`{ user(username: "okuser") { info(organization: "okglobex") { emailAddresses { label value } } } }`, {}, { token: key });
    expect(g.body.data.user.info.emailAddresses).toEqual([{ label: 'main', value: 'olga@work.example' }]);

    // Outside `info` the key sees no profile field, the granted name included.
    const profile = await t.gql(`{ user(username: "okuser") { username firstName lastName name bio social email } }`, {}, { token: key });
    expect(profile.body.data.user).toEqual({ username: 'okuser', firstName: null, lastName: null, name: 'okuser', bio: null, social: {}, email: null });
    // Narrowing the grant narrows the view; removing it ends it.
    await call('PUT', '/users/okuser/authorizations/okacme', tok.user, { name: false });
    expect((await call('GET', '/users/okuser/info', key)).body).toMatchObject({ firstname: '', emailaddresses: [] });
    expect((await call('DELETE', '/users/okuser/authorizations/okacme', tok.user)).status).toBe(204);
    expect((await call('GET', '/users/okuser/info', key)).status).toBe(404);

    // Revoked: the next request is refused.
    await call('PUT', '/users/okuser/authorizations/okacme', tok.user, { name: true });
    expect((await call('GET', '/users/okuser/info', key)).status).toBe(200);
    expect((await call('DELETE', '/organizations/okacme/apikeys/reader', tok.owner)).status).toBe(204);
    expect((await call('GET', '/users/okuser/info', key)).status).toBe(401);
    expect((await call('GET', '/organizations/okacme/registry', key)).status).toBe(401);

    // A key without clientCredentialsGrantType is no credential; turning it on makes it one.
    const plain = await newKey('okacme', 'plain', false);
    expect((await call('GET', '/users/okuser/info', plain)).status).toBe(401);
    expect((await call('PUT', '/organizations/okacme/apikeys/plain', tok.owner, { label: 'plain', clientCredentialsGrantType: true })).status).toBe(200);
    expect((await call('GET', '/users/okuser/info', plain)).status).toBe(200);
  });

  it('a key reads inside its organization only; it changes nothing and is refused on other organizations, user routes and other dialects', async () => {
    const key = await newKey('okacme', 'scoped');
    const globexKey = await newKey('okglobex', 'scoped');
    await call('POST', '/organizations/okacme/registry', tok.owner, { Key: 'app', Value: 'one' });
    await call('POST', '/organizations/okglobex/registry', tok.owner, { Key: 'app', Value: 'two' });

    expect((await call('GET', '/organizations/okacme/registry', key)).body).toEqual([{ Key: 'app', Value: 'one' }]);
    expect((await call('GET', '/organizations/okacme/description/en', key)).status).toBe(200);
    expect((await call('GET', '/organizations/okacme/2fa/validity', key)).body).toBe(604800);
    expect((await call('GET', '/organizations/okacme/contracts', key)).status).toBe(200);
    // Another organization: as missing.
    expect((await call('GET', '/organizations/okglobex/registry', key)).status).toBe(404);
    expect((await call('GET', '/organizations/okglobex/registry/app', key)).status).toBe(404);
    expect((await call('GET', '/organizations/okacme/registry', globexKey)).status).toBe(404);
    // Changes, even in its own organization, and key management: refused, nothing changed.
    expect((await call('POST', '/organizations/okacme/registry', key, { Key: 'app', Value: 'pwned' })).status).toBe(403);
    expect((await call('DELETE', '/organizations/okacme/registry/app', key)).status).toBe(403);
    expect((await call('PUT', '/organizations/okacme/2fa/validity', key, 60)).status).toBe(403);
    expect((await call('POST', '/organizations/okacme/apikeys', key, { label: 'more' })).status).toBe(403);
    expect((await call('GET', '/organizations/okacme/apikeys', key)).status).toBe(403);
    expect((await call('GET', '/organizations/okacme/registry/app', tok.owner)).body).toEqual({ Key: 'app', Value: 'one' });
    expect((await call('GET', '/organizations/okacme/2fa/validity', tok.owner)).body).toBe(604800);
    // User routes: refused (a grant lets it read info only), user mutations too.
    await call('PUT', '/users/okuser/authorizations/okacme', tok.user, { name: true });
    expect((await call('GET', '/users/okuser', key)).status).toBeGreaterThanOrEqual(403);
    expect((await call('GET', '/users/okuser/registry', key)).status).toBeGreaterThanOrEqual(403);
    expect((await call('POST', '/users/okuser/registry', key, { Key: 'k', Value: 'v' })).status).toBe(403);
    expect((await call('PUT', '/users/okuser/name', key, { firstname: 'X', lastname: 'Y' })).status).toBe(403);
    expect((await call('GET', '/users/okuser/info', tok.user)).body.firstname).toBe('Olga');
    // The graph: its own organization readable, users' private parts and mutations not.
    const g = await t.gql(`{ viewer { id } organization(slug: "okacme") { slug registry { key } apiKeys { label } } other: organization(slug: "okglobex") { slug } }`, {}, { token: key });
    expect(g.body.data).toEqual({ viewer: null, organization: { slug: 'okacme', registry: [{ key: 'app' }], apiKeys: [] }, other: null });
    const m = await t.gql(`mutation { createOrganization(input: { slug: "okbykey", name: "x" }) { organization { slug } userErrors { code } } }`, {}, { token: key });
    expect(m.body.data?.createOrganization?.organization ?? null).toBeNull();
    // Other dialects: nothing.
    const gitlab = await t.gw.app.inject({ method: 'GET', url: '/api/v4/user', headers: { 'private-token': key } });
    expect(gitlab.statusCode).toBeGreaterThanOrEqual(401);
    expect(gitlab.statusCode).toBeLessThan(500);
    const users = await t.gw.app.inject({ method: 'GET', url: '/api/v4/users', headers: { 'private-token': key } });
    expect(users.statusCode === 200 ? users.json() : []).toEqual([]);
    const seald = await t.gw.app.inject({ method: 'GET', url: '/dashboardapi/v2/users/', headers: { 'x-dashboard-api-key': key } });
    expect([401, 403, 404]).toContain(seald.statusCode);
    const accounts = await t.gw.app.inject({ method: 'GET', url: '/accounts/organizations/', headers: { authorization: `Token ${key}` } });
    expect(accounts.statusCode === 200 ? accounts.json().results : []).toEqual([]);
    const oisp = await t.gw.app.inject({ method: 'GET', url: '/v1/api/invites', headers: { authorization: `Bearer ${key}` } });
    expect(oisp.statusCode === 200 ? oisp.json() : []).toEqual([]);
  });

  it('refuses bad input on every key route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['GET', '/organizations/okacme/apikeys', undefined],
      ['GET', '/organizations/%00/apikeys', tok.owner],
      ['POST', '/organizations/okacme/apikeys', tok.owner, { label: 'x' }],
      ['POST', '/organizations/okacme/apikeys', tok.owner, { label: 'bad/label' }],
      ['POST', '/organizations/okacme/apikeys', tok.owner, { label: 'okay', secret: 'mine' }],
      ['POST', '/organizations/okacme/apikeys', tok.owner, { label: 'okay', clientCredentialsGrantType: 'yes' }],
      ['POST', '/organizations/okacme/apikeys', tok.owner, { label: 'okay', callbackURL: 'javascript:alert(1)' }],
      ['GET', '/organizations/okacme/apikeys/%00', tok.owner],
      ['PUT', '/organizations/okacme/apikeys/other', tok.owner, { label: 7 }],
      ['PUT', '/organizations/okacme/apikeys/other', tok.owner, '{"label":'],
      ['DELETE', `/organizations/okacme/apikeys/${'k'.repeat(60)}`, tok.owner],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(orgApiKeyRoutes, cases)).toEqual([]);
    expect((await call('GET', '/organizations/okacme/apikeys', tok.owner)).body).not.toContain('okay');
  });
});
