// Itsyouonline organizations on the REST engine (part 2): people (members and owners invited,
// their role changed, removed; the organization's invitations listed and cancelled; invitations
// answered by the invitee, once) and organizations as org-members / org-owners (linked at once
// when the caller owns both, else invited and answered by the other organization's owners),
// with the roles they grant reaching their members end to end. Refusals change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgPeopleRoutes } from '../src/rest/iyo/orgpeople.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf, lastOutbox } from './helpers/seed-users.js';

describe.each(DRIVERS)('iyo dialect: people and organizations in organizations on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    // owner owns "team"; mem will be a member; out is a stranger; other owns "partner".
    const names = ['powner', 'pmem', 'pout', 'pother', 'pguest'];
    const users = await Promise.all(names.map((n) => s.user(n)));
    tok = { admin: ADMIN.token };
    for (const [i, n] of names.entries()) tok[n.slice(1)] = await s.tokenFor(users[i]!);
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
  const org = (slug: string, token = tok.owner) => call('GET', `/organizations/${slug}`, token).then((r) => r.body);

  it('invites members by username, email or phone (201), and owners; the invitee accepts once', async () => {
    expect((await call('POST', '/organizations', tok.owner, { globalid: 'team' })).status).toBe(201);
    const r = await call('POST', '/organizations/team/members', tok.owner, { searchstring: 'pmem' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ organization: 'team', user: 'pmem', role: 'member', status: 'pending', method: 'website', emailaddress: '', phonenumber: '', isorganization: false });
    // Unknown username 404; already invited 409; not an owner 403, a stranger 404 — nothing written.
    expect((await call('POST', '/organizations/team/members', tok.owner, { searchstring: 'nobody-known' })).status).toBe(404);
    expect((await call('POST', '/organizations/team/members', tok.owner, { searchstring: 'pmem' })).status).toBe(409);
    expect((await call('POST', '/organizations/team/members', tok.out, { searchstring: 'pguest' })).status).toBe(404);
    expect((await call('POST', '/organizations/team/members', undefined, { searchstring: 'pguest' })).status).toBe(401);
    // By email: queued, unless invitenotification=none.
    const byMail = await call('POST', '/organizations/team/members', tok.owner, { searchstring: 'friend@example.net' });
    expect(byMail.body).toMatchObject({ method: 'email', emailaddress: 'friend@example.net' });
    expect(await lastOutbox(t, 'friend@example.net', 'invitation')).toBeDefined();
    const quiet = await call('POST', '/organizations/team/members?invitenotification=none', tok.owner, { searchstring: 'quiet@example.net' });
    expect(quiet.status).toBe(201);
    expect(await lastOutbox(t, 'quiet@example.net', 'invitation')).toBeUndefined();
    const byPhone = await call('POST', '/organizations/team/members', tok.owner, { searchstring: '+32475123456' });
    expect(byPhone.body).toMatchObject({ method: 'phone', phonenumber: '+32475123456' });

    // The invitee accepts through part 1's route, once.
    expect((await call('POST', '/users/pmem/organizations/team/roles/member', tok.mem)).status).toBe(201);
    expect((await call('POST', '/users/pmem/organizations/team/roles/member', tok.mem)).status).toBe(404);
    expect((await org('team')).members).toEqual(['pmem']);
    // A member cannot invite (owner-only): 403, and nothing is written.
    expect((await call('POST', '/organizations/team/members', tok.mem, { searchstring: 'pguest' })).status).toBe(403);
    expect((await call('POST', '/organizations/team/owners', tok.mem, { username: 'pguest' })).status).toBe(403);
    // Owners: an existing owner (or member) 409, an unknown 404.
    expect((await call('POST', '/organizations/team/owners', tok.owner, { username: 'powner' })).status).toBe(409);
    expect((await call('POST', '/organizations/team/owners', tok.owner, { username: 'nobody-known' })).status).toBe(404);
    const owner = await call('POST', '/organizations/team/owners', tok.owner, { username: 'pguest' });
    expect(owner.status).toBe(201);
    expect(owner.body).toMatchObject({ user: 'pguest', role: 'owner', status: 'pending' });
  });

  it('lists invitations by status (owners) and cancels them by username, email or phone', async () => {
    const pending = await call('GET', '/organizations/team/invitations', tok.owner);
    expect(pending.status).toBe(200);
    expect(pending.body.map((i: { user: string; emailaddress: string; phonenumber: string }) => i.user || i.emailaddress || i.phonenumber).sort()).toEqual(['+32475123456', 'friend@example.net', 'pguest', 'quiet@example.net']);
    const accepted = await call('GET', '/organizations/team/invitations?status=accepted', tok.owner);
    expect(accepted.body).toEqual([expect.objectContaining({ user: 'pmem', status: 'accepted' })]);
    expect((await call('GET', '/organizations/team/invitations', tok.mem)).status).toBe(403);
    expect((await call('GET', '/organizations/team/invitations', tok.out)).status).toBe(404);
    expect((await call('DELETE', '/organizations/team/invitations/quiet@example.net', tok.mem)).status).toBe(403);
    expect((await call('DELETE', '/organizations/team/invitations/quiet@example.net', tok.owner)).status).toBe(204);
    expect((await call('DELETE', '/organizations/team/invitations/quiet@example.net', tok.owner)).status).toBe(404);
    expect((await call('DELETE', '/organizations/team/invitations/+32475123456', tok.owner)).status).toBe(204);
    expect((await call('GET', '/organizations/team/invitations?status=pending', tok.owner)).body).toHaveLength(2);
    expect(await eventsOf(t, 'invitation.revoke')).toHaveLength(2);
  });

  it('changes roles (200 with the organization) and removes members and owners; the last owner stays', async () => {
    expect((await call('PUT', '/organizations/team/members', tok.mem, { username: 'pmem', role: 'owner' })).status).toBe(403);
    expect((await org('team')).owners).toEqual(['powner']);
    const promoted = await call('PUT', '/organizations/team/members', tok.owner, { username: 'pmem', role: 'owners' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ globalid: 'team', owners: ['powner', 'pmem'], members: [] });
    expect((await call('PUT', '/organizations/team/members', tok.owner, { username: 'pout', role: 'member' })).status).toBe(404);
    expect((await call('PUT', '/organizations/team/members', tok.owner, { username: 'pmem', role: 'member' })).body.members).toEqual(['pmem']);
    // DELETE owners/{username} removes owners only.
    expect((await call('DELETE', '/organizations/team/owners/pmem', tok.owner)).status).toBe(404);
    expect((await call('DELETE', '/organizations/team/members/powner', tok.mem)).status).toBe(403);
    expect((await call('DELETE', '/organizations/team/owners/powner', tok.owner)).status).toBe(412);
    expect((await call('DELETE', '/organizations/team/members/pmem', tok.owner)).status).toBe(204);
    expect((await call('DELETE', '/organizations/team/members/pmem', tok.owner)).status).toBe(404);
    expect(await org('team')).toMatchObject({ owners: ['powner'], members: [] });
  });

  it('links organizations as org-members at once when the caller owns both; roles reach their members end to end', async () => {
    // owner owns "crew" too; pmem is a member of crew.
    await call('POST', '/organizations', tok.owner, { globalid: 'crew' });
    await call('POST', '/organizations/crew/members', tok.owner, { searchstring: 'pmem' });
    await call('POST', '/users/pmem/organizations/crew/roles/member', tok.mem);
    expect((await call('GET', '/organizations/team', tok.mem)).status).toBe(404);
    expect((await call('POST', '/organizations/team/orgmembers', tok.mem, { orgmember: 'crew' })).status).toBe(404);
    expect(await call('POST', '/organizations/team/orgmembers', tok.owner, { orgmember: 'crew' })).toEqual({ status: 201, body: undefined });
    expect((await call('POST', '/organizations/team/orgmembers', tok.owner, { orgmember: 'crew' })).status).toBe(409);
    expect((await call('POST', '/organizations/team/orgowners', tok.owner, { orgowner: 'crew' })).status).toBe(409);
    expect((await call('POST', '/organizations/team/orgmembers', tok.owner, { orgmember: 'nowhere' })).status).toBe(404);
    expect((await org('team')).orgmembers).toEqual(['crew']);
    // pmem, a member of crew, is now a member of team: reads it, may not change it.
    expect((await call('GET', '/organizations/team', tok.mem)).status).toBe(200);
    expect((await call('GET', '/organizations/team/users/ismember/pmem', tok.owner)).body).toEqual({ IsMember: true });
    expect((await call('POST', '/organizations/team/dns', tok.mem, { name: 'crew.team.com' })).status).toBe(403);
    // Made org-owner: crew's members own team.
    expect((await call('PUT', '/organizations/team/orgmembers', tok.mem, { org: 'crew', role: 'owner' })).status).toBe(403);
    const up = await call('PUT', '/organizations/team/orgmembers', tok.owner, { org: 'crew', role: 'orgowner' });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ orgowners: ['crew'], orgmembers: [] });
    expect((await call('POST', '/organizations/team/dns', tok.mem, { name: 'crew.team.com' })).status).toBe(201);
    // Removed as org-member: it is an org-owner now (404); removed as org-owner, the roles are gone.
    expect((await call('DELETE', '/organizations/team/orgmembers/crew', tok.owner)).status).toBe(404);
    expect((await call('DELETE', '/organizations/team/orgowners/crew', tok.owner)).status).toBe(204);
    expect((await call('DELETE', '/organizations/team/orgowners/crew', tok.owner)).status).toBe(404);
    expect((await call('GET', '/organizations/team', tok.mem)).status).toBe(404);
    expect(await eventsOf(t, 'organizationMembership.add')).toHaveLength(1);
  });

  it('includes sub-organizations’ members only when asked (includesuborgs)', async () => {
    await call('POST', '/organizations/crew', tok.owner, { globalid: 'night' });
    // pguest joins crew.night only.
    await call('POST', '/organizations/crew.night/members', tok.owner, { searchstring: 'pguest' });
    expect((await call('POST', '/users/pguest/organizations/crew.night/roles/member', tok.guest)).status).toBe(201);
    await call('POST', '/organizations/team/orgmembers', tok.owner, { orgmember: 'crew' });
    expect((await call('GET', '/organizations/team/users/ismember/pguest', tok.owner)).body).toEqual({ IsMember: false });
    // pmem (crew's member) is a member of team again: a member, not an owner.
    expect((await call('POST', '/organizations/team/orgmembers/includesuborgs', tok.mem, { globalid: 'crew' })).status).toBe(403);
    const inc = await call('POST', '/organizations/team/orgmembers/includesuborgs', tok.owner, { globalid: 'crew' });
    expect(inc.status).toBe(201);
    expect(inc.body.includesuborgsof).toEqual(['crew']);
    expect((await call('POST', '/organizations/team/orgmembers/includesuborgs', tok.owner, { globalid: 'crew' })).status).toBe(409);
    expect((await call('POST', '/organizations/team/orgmembers/includesuborgs', tok.owner, { globalid: 'partner' })).status).toBe(404);
    expect((await call('GET', '/organizations/team/users/ismember/pguest', tok.owner)).body).toEqual({ IsMember: true });
    expect((await call('GET', '/organizations/team', tok.guest)).status).toBe(200);
    expect((await call('DELETE', '/organizations/team/orgmembers/includesuborgs/crew', tok.owner)).status).toBe(204);
    expect((await call('DELETE', '/organizations/team/orgmembers/includesuborgs/crew', tok.owner)).status).toBe(404);
    expect((await call('GET', '/organizations/team', tok.guest)).status).toBe(404);
  });

  it('invites an organization the caller does not own; its owners accept or reject, once', async () => {
    expect((await call('POST', '/organizations', tok.other, { globalid: 'partner' })).status).toBe(201);
    expect(await call('POST', '/organizations/team/orgowners', tok.owner, { orgowner: 'partner' })).toEqual({ status: 201, body: undefined });
    expect((await org('team')).orgowners).toEqual([]);
    const inv = await call('GET', '/organizations/team/invitations', tok.owner);
    expect(inv.body).toContainEqual(expect.objectContaining({ organization: 'team', user: 'partner', role: 'orgowner', isorganization: true, status: 'pending' }));
    expect((await call('POST', '/organizations/team/orgowners', tok.owner, { orgowner: 'partner' })).status).toBe(409);
    // Only partner's owners answer; the inviting side and strangers cannot.
    expect((await call('POST', '/organizations/partner/organizations/team/roles/orgowner', tok.owner)).status).toBe(404);
    expect((await call('POST', '/organizations/partner/organizations/team/roles/orgmember', tok.other)).status).toBe(404);
    expect((await call('POST', '/organizations/partner/organizations/team/roles/owner', tok.other)).status).toBe(404);
    const ok = await call('POST', '/organizations/partner/organizations/team/roles/orgowner', tok.other, {});
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ organization: 'team', user: 'partner', role: 'orgowner', status: 'accepted', isorganization: true });
    expect((await call('POST', '/organizations/partner/organizations/team/roles/orgowner', tok.other)).status).toBe(404);
    expect((await org('team')).orgowners).toEqual(['partner']);
    // partner's owner owns team now.
    expect((await call('GET', '/organizations/team/users', tok.other)).body.haseditpermissions).toBe(true);
    // A rejected one leaves no link.
    await call('POST', '/organizations', tok.other, { globalid: 'partner2' });
    await call('POST', '/organizations/team/orgmembers', tok.owner, { orgmember: 'partner2' });
    expect((await call('DELETE', '/organizations/partner2/organizations/team/roles/orgmember', tok.other)).status).toBe(204);
    expect((await call('DELETE', '/organizations/partner2/organizations/team/roles/orgmember', tok.other)).status).toBe(404);
    expect((await org('team')).orgmembers).toEqual(['crew']);
    expect(await eventsOf(t, 'invitation.reject')).toHaveLength(1);
  });

  it('a token bound to the member organization stays inside it: the roles it grants elsewhere do not travel with the token', async () => {
    // pmem belongs to crew, an org-member of team: pmem's login token reads team.
    expect((await call('GET', '/organizations/team', tok.mem)).status).toBe(200);
    const crewId = (await t.gql(`{ organization(slug: "crew") { id } }`, {}, { token: tok.owner })).body.data.organization.id;
    const mk = `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { code } } }`;
    const bound = (await t.gql(mk, { i: { username: 'pmem', name: 'crew only', scopes: ['API'], organizationId: crewId } }, { token: tok.mem })).body.data.createPersonalAccessToken.token as string;
    expect((await call('GET', '/organizations/crew', bound)).status).toBe(200);
    expect((await call('GET', '/organizations/team', bound)).status).toBe(404);
    expect((await call('GET', '/organizations/team/tree', bound)).status).toBe(404);
  });

  it('answers the invitations and the organization in a number of statements that stays flat as they grow', async () => {
    const s = seed(t);
    await call('POST', '/organizations', tok.owner, { globalid: 'flat' });
    const measure = async (url: string) => {
      const before = t.db.statementCount;
      const r = await call('GET', url, tok.owner);
      expect(r.status).toBe(200);
      return { n: t.db.statementCount - before, body: r.body };
    };
    await call('POST', '/organizations/flat/members', tok.owner, { searchstring: 'pout' });
    // One of each to begin with (a list that is empty reads nothing further).
    await call('POST', '/organizations', tok.owner, { globalid: 'flatorgfirst' });
    await call('POST', '/organizations/flat/orgmembers', tok.owner, { orgmember: 'flatorgfirst' });
    const one = { inv: await measure('/organizations/flat/invitations'), org: await measure('/organizations/flat') };
    for (let i = 0; i < 12; i++) {
      const u = await s.user(`flatuser${i}`);
      await call('POST', '/organizations/flat/members', tok.owner, { searchstring: u.username });
      await call('POST', '/organizations/flat/members', tok.owner, { searchstring: `flat${i}@example.org` });
      await s.member((await t.db.db.query.organizations.findFirst({ where: (o, { eq }) => eq(o.slug, 'flat') }))!, await s.user(`flatmember${i}`));
      await call('POST', '/organizations', tok.owner, { globalid: `flatorg${i}` });
      await call('POST', '/organizations/flat/orgmembers', tok.owner, { orgmember: `flatorg${i}` });
      await call('POST', '/organizations/flat', tok.owner, { globalid: `kid${i}`, dns: [`kid${i}.flat.org`] });
    }
    const many = { inv: await measure('/organizations/flat/invitations'), org: await measure('/organizations/flat') };
    expect(many.inv.body).toHaveLength(25);
    expect(many.org.body.members).toHaveLength(12);
    expect(many.org.body.orgmembers).toHaveLength(13);
    expect(many.org.body.includes).toHaveLength(12);
    expect(many.inv.n).toBe(one.inv.n);
    expect(many.org.n).toBe(one.org.n);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['POST', '/organizations/team/members', tok.owner, { searchstring: 42 }],
      ['POST', '/organizations/team/members', tok.owner, { searchstring: 'bad@' }],
      ['PUT', '/organizations/team/members', tok.owner, { username: 'pmem', role: 'king' }],
      ['DELETE', '/organizations/team/members/%00', tok.owner],
      ['POST', '/organizations/team/owners', tok.owner, {}],
      ['DELETE', '/organizations/team/owners/powner', undefined],
      ['GET', '/organizations/team/invitations?status=lost', tok.owner],
      ['DELETE', '/organizations/team/invitations/%00', tok.owner],
      ['POST', '/organizations/team/orgmembers', tok.owner, { orgmember: ['crew'] }],
      ['PUT', '/organizations/team/orgmembers', tok.owner, { org: 'crew' }],
      ['DELETE', '/organizations/team/orgmembers/%00', tok.owner],
      ['POST', '/organizations/team/orgmembers/includesuborgs', tok.owner, { globalid: 7 }],
      ['DELETE', '/organizations/team/orgmembers/includesuborgs/nothere', tok.owner],
      ['POST', '/organizations/team/orgowners', tok.owner, { orgowner: 'team' }],
      ['DELETE', '/organizations/team/orgowners/nothere2', tok.owner],
      ['DELETE', '/organizations/team/orgowners/%002', tok.owner],
      ['DELETE', '/organizations/team/orgmembers/nothere2', tok.owner],
      ['POST', '/organizations/partner/organizations/team/roles/king', tok.other, {}],
      ['DELETE', '/organizations/partner/organizations/%00/roles/orgmember', tok.other],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(orgPeopleRoutes, cases)).toEqual([]);
    expect(await org('team')).toMatchObject({ owners: ['powner'], members: [], orgowners: ['partner'], orgmembers: ['crew'] });
  });
});
