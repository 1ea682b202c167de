// Itsyouonline's authorizations of a user on the REST engine, and the view they decide: the
// user grants an organization chosen parts (by label, shown under the organization's labels);
// `User.info(organization:)` shows exactly those and nothing once the grant is removed; `info`
// without an organization shows the user everything; other users read and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationRoutes } from '../src/rest/iyo/authorizations.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf } from './helpers/seed-users.js';

describe.each(DRIVERS)('iyo dialect: authorizations on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const alice = await s.user('authalice');
    await s.org('acme', { owner: alice });
    await s.org('globex');
    tok = { alice: await s.tokenFor(alice), bob: await s.tokenFor(await s.user('authbob')), admin: ADMIN.token };
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
  const viewOf = async (org: string, token = tok.alice) =>
    (
      await t.gql(
        `query($o: String) { user(username: "authalice") { info(organization: $o) { username firstName emailAddresses { label value } phoneNumbers { label value } addresses { label city } organizations } } }`,
        { o: org },
        { token },
      )
    ).body.data.user.info;

  it('grants, shows, replaces and removes an authorization; the view follows it', async () => {
    await call('PUT', '/users/authalice/name', tok.alice, { firstname: 'Alice', lastname: 'A' });
    await call('POST', '/users/authalice/emailaddresses', tok.alice, { label: 'work', emailaddress: 'alice@work.example' });
    await call('POST', '/users/authalice/emailaddresses', tok.alice, { label: 'home', emailaddress: 'alice@home.example' });
    await call('POST', '/users/authalice/addresses', tok.alice, { label: 'home', city: 'Springfield', street: 'Main', nr: '1', country: 'X', postalcode: 'P' });

    // No grant: globex sees the username only.
    expect(await viewOf('globex')).toEqual({ username: 'authalice', firstName: null, emailAddresses: [], phoneNumbers: [], addresses: [], organizations: [] });
    // The full view (no organization).
    const full = await viewOf(null as never);
    expect(full.firstName).toBe('Alice');
    expect(full.emailAddresses.map((e: { label: string }) => e.label)).toEqual([null, 'work', 'home']);
    expect(full.organizations).toEqual(['acme']);

    const grant = {
      name: true,
      emailaddresses: [{ requestedlabel: 'main', reallabel: 'work' }],
      addresses: [{ requestedlabel: 'billing', reallabel: 'home' }],
      organizations: ['acme'],
    };
    const put = await call('PUT', '/users/authalice/authorizations/globex', tok.alice, grant);
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ username: 'authalice', grantedTo: 'globex', ...grant, phonenumbers: [], facebook: false, github: false });
    expect((await call('GET', '/users/authalice/authorizations', tok.alice)).body).toEqual([put.body]);
    expect((await call('GET', '/users/authalice/authorizations/globex', tok.alice)).body).toEqual(put.body);
    expect((await call('GET', '/users/authalice/authorizations/acme', tok.alice)).status).toBe(404);
    expect(await viewOf('globex')).toEqual({
      username: 'authalice',
      firstName: 'Alice',
      emailAddresses: [{ label: 'main', value: 'alice@work.example' }],
      phoneNumbers: [],
      addresses: [{ label: 'billing', city: 'Springfield' }],
      organizations: ['acme'],
    });

    // Replacing narrows it.
    await call('PUT', '/users/authalice/authorizations/globex', tok.alice, { emailaddresses: [{ requestedlabel: 'main', reallabel: 'home' }] });
    expect(await viewOf('globex')).toMatchObject({ firstName: null, emailAddresses: [{ label: 'main', value: 'alice@home.example' }], addresses: [], organizations: [] });

    // Others: nothing read, nothing changed.
    expect((await call('GET', '/users/authalice/authorizations', tok.bob)).status).toBe(403);
    expect((await call('GET', '/users/authalice/authorizations/globex', tok.bob)).status).toBe(403);
    expect((await call('PUT', '/users/authalice/authorizations/globex', tok.bob, grant)).status).toBe(403);
    expect((await call('DELETE', '/users/authalice/authorizations/globex', tok.bob)).status).toBe(403);
    expect(await viewOf('globex', tok.bob)).toBeNull();
    expect((await call('GET', '/users/authalice/info', tok.bob)).status).toBe(403);
    expect((await call('GET', '/users/authalice/authorizations', tok.admin)).body).toHaveLength(1);

    expect((await call('DELETE', '/users/authalice/authorizations/globex', tok.alice)).status).toBe(204);
    expect((await call('DELETE', '/users/authalice/authorizations/globex', tok.alice)).status).toBe(404);
    expect(await viewOf('globex')).toMatchObject({ firstName: null, emailAddresses: [], addresses: [] });
    expect((await call('PUT', '/users/authalice/authorizations/nosuchorg', tok.alice, grant)).status).toBe(404);
    expect(await eventsOf(t, 'authorization.set')).toHaveLength(2);
    expect(await eventsOf(t, 'authorization.remove')).toHaveLength(1);
  });

  it('GET …/info shows the user everything, in the documented shape', async () => {
    const r = await call('GET', '/users/authalice/info', tok.alice);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      username: 'authalice',
      firstname: 'Alice',
      emailaddresses: expect.arrayContaining([{ label: 'work', emailaddress: 'alice@work.example' }]),
      validatedemailaddresses: [],
      addresses: [{ label: 'home', city: 'Springfield', street: 'Main', nr: '1', country: 'X', postalcode: 'P' }],
      organizations: ['acme'],
    });
    expect((await call('GET', '/users/authalice/info')).status).toBe(401);
    expect((await call('GET', '/users/nosuchuser/info', tok.alice)).status).toBe(404);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['GET', '/users/authalice/authorizations', undefined],
      ['GET', '/users/authalice/authorizations/%00', tok.alice],
      ['PUT', '/users/authalice/authorizations/globex', tok.alice, { emailaddresses: 'all' }],
      ['PUT', '/users/authalice/authorizations/globex', tok.alice, { emailaddresses: [{ requestedlabel: 'x', reallabel: 'work' }] }],
      ['PUT', '/users/authalice/authorizations/globex', tok.alice, { name: 'yes' }],
      ['PUT', '/users/authalice/authorizations/globex', tok.alice, { organizations: ['bad\u0000slug'] }],
      ['PUT', '/users/authalice/authorizations/globex', tok.alice, { addresses: Array.from({ length: 51 }, () => ({ requestedlabel: 'ab', reallabel: 'cd' })) }],
      ['PUT', '/users/authalice/authorizations/a%20b', tok.alice, {}],
      ['DELETE', '/users/authalice/authorizations/globex', undefined],
      ['DELETE', `/users/authalice/authorizations/${'g'.repeat(70)}`, tok.alice],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(authorizationRoutes, cases)).toEqual([]);
  });
});
