// The organizations of an Itsyouonline user on the REST engine: owner and member lists, leaving
// (the last owner stays), and answering invitations by organization and role; other users read
// and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationRoutes } from '../src/rest/iyo/organizations.routes.js';
import { socialRoutes } from '../src/rest/iyo/social.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf } from './helpers/seed-users.js';

describe.each(DRIVERS)('iyo dialect: organizations of a user on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  let orgIds: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const alice = await s.user('orgalice');
    const bob = await s.user('orgbob');
    const acme = await s.org('acme', { owner: alice });
    const globex = await s.org('globex', { owner: alice });
    await s.member(acme, bob, 'member');
    tok = { alice: await s.tokenFor(alice), bob: await s.tokenFor(bob), admin: ADMIN.token };
    orgIds = { acme: s.gid('Organization', acme), globex: s.gid('Organization', globex) };
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
  const invite = async (org: string, username: string, role: 'OWNER' | 'MEMBER') => {
    const r = await t.gql(
      `mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id } userErrors { code message } } }`,
      { i: { organizationId: orgIds[org], username, role } },
      { token: tok.alice },
    );
    expect(r.body.data.inviteToOrganization.userErrors).toEqual([]);
  };

  it('lists owner and member organizations; others 403', async () => {
    expect((await call('GET', '/users/orgalice/organizations', tok.alice)).body).toEqual({ owner: ['acme', 'globex'], member: [] });
    expect((await call('GET', '/users/orgbob/organizations', tok.bob)).body).toEqual({ owner: [], member: ['acme'] });
    expect((await call('GET', '/users/orgbob/organizations', tok.admin)).status).toBe(200);
    expect((await call('GET', '/users/orgalice/organizations', tok.bob)).status).toBe(403);
  });

  it('accepts (201) and rejects (204) invitations by organization and role; no pending one is 404', async () => {
    await invite('globex', 'orgbob', 'MEMBER');
    // The pending invitation is a notification of bob's, not alice's to read.
    const notes = await call('GET', '/users/orgbob/notifications', tok.bob);
    expect(notes.status).toBe(200);
    expect(notes.body).toMatchObject({ invitations: [{ organization: 'globex', user: 'orgbob', role: 'member', status: 'pending' }], approvals: [], contractRequests: [] });
    expect((await call('GET', '/users/orgbob/notifications', tok.alice)).status).toBe(403);
    // Another user cannot answer bob's invitation.
    expect((await call('POST', '/users/orgbob/organizations/globex/roles/member', tok.alice)).status).toBe(404);
    expect((await call('POST', '/users/orgbob/organizations/globex/roles/owner', tok.bob)).status).toBe(404);
    const accepted = await call('POST', '/users/orgbob/organizations/globex/roles/member', tok.bob, { organization: 'globex' });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ organization: 'globex', user: 'orgbob', role: 'member', status: 'accepted', isorganization: false });
    expect((await call('GET', '/users/orgbob/organizations', tok.bob)).body).toEqual({ owner: [], member: ['acme', 'globex'] });
    expect((await call('POST', '/users/orgbob/organizations/globex/roles/member', tok.bob)).status).toBe(404);

    // An owner invitation, rejected.
    await call('DELETE', '/users/orgbob/organizations/globex/leave', tok.bob);
    await invite('globex', 'orgbob', 'OWNER');
    expect((await call('DELETE', '/users/orgbob/organizations/globex/roles/owner', tok.alice)).status).toBe(404);
    expect((await call('DELETE', '/users/orgbob/organizations/globex/roles/orgowner', tok.bob)).status).toBe(404);
    expect((await call('DELETE', '/users/orgbob/organizations/globex/roles/owner', tok.bob)).status).toBe(204);
    expect((await call('GET', '/users/orgbob/organizations', tok.bob)).body).toEqual({ owner: [], member: ['acme'] });
    expect(await eventsOf(t, 'invitation.reject')).toHaveLength(1);
  });

  it('leaves (204); not a member 404; the last owner 412; another user 403 and nothing changes', async () => {
    expect((await call('DELETE', '/users/orgbob/organizations/acme/leave', tok.alice)).status).toBe(403);
    expect((await call('GET', '/users/orgbob/organizations', tok.bob)).body.member).toEqual(['acme']);
    expect((await call('DELETE', '/users/orgbob/organizations/acme/leave', tok.bob)).status).toBe(204);
    expect((await call('DELETE', '/users/orgbob/organizations/acme/leave', tok.bob)).status).toBe(404);
    expect((await call('DELETE', '/users/orgalice/organizations/acme/leave', tok.alice)).status).toBe(412);
    expect((await call('GET', '/users/orgalice/organizations', tok.alice)).body.owner).toEqual(['acme', 'globex']);
    expect(await eventsOf(t, 'membership.leave')).toHaveLength(2);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['GET', '/users/orgalice/organizations', undefined],
      ['GET', '/users/%00/organizations', tok.alice],
      ['GET', '/users/orgbob/notifications', undefined],
      ['GET', '/users/%00/notifications', tok.bob],
      ['DELETE', '/users/orgalice/organizations/%00/leave', tok.alice],
      ['DELETE', '/users/orgalice/organizations/acme/leave', undefined],
      ['POST', '/users/orgbob/organizations/globex/roles/king', tok.bob, {}],
      ['POST', '/users/orgbob/organizations/globex/roles/member', tok.bob, '[1,2]'],
      ['POST', '/users/orgbob/organizations/globex/roles/member', tok.bob, { organization: 42 }],
      ['DELETE', `/users/orgbob/organizations/${'x'.repeat(70)}/roles/member`, tok.bob],
      ['DELETE', '/users/orgbob/organizations/globex/roles/member', tok.bob],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes([...organizationRoutes, ...socialRoutes.filter((r) => r.method === 'GET')], cases)).toEqual([]);
  });
});
