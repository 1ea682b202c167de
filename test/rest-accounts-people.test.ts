// The accounts API's users, groups, analysts, login_url and portal routes on the REST engine:
// documented paths, statuses and body shapes; integer `groups` and `is_active` (inactive users
// cannot sign in); organizations kept apart; every route answers bad input with a DRF 4xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact } from '../src/modules/users/user.repo.js';
import { peopleRoutes } from '../src/rest/accounts/people.routes.js';
import { userRoutes } from '../src/rest/accounts/users.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const NOT_FOUND = { detail: 'Not found.' };

describe.each(DRIVERS)('accounts dialect: users, groups, analysts, login_url, portal on %s', (driver) => {
  let t: TestGateway;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let acme: { id: string };
  let other: { id: string };
  const groups: Record<string, number> = {};

  const call = async (method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, raw: res.body, headers: res.headers };
  };

  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const owner = await s.user('ppl-owner');
    const member = await s.user('ppl-member', { email: 'ppl-member@example.com' });
    const stranger = await s.user('ppl-stranger');
    acme = await s.org('ppl-acme', { owner, name: 'People Acme' });
    other = await s.org('ppl-other', { owner: stranger });
    await s.member(acme as never, member);
    for (const [k, u] of Object.entries({ owner, member, stranger })) {
      tok[k] = await s.tokenFor(u);
      ids[k] = u.id;
    }
    tok.admin = ADMIN.token;
    for (const [name, org, token] of [['Engineering', acme, tok.owner], ['Design', acme, tok.owner], ['Elsewhere', other, tok.stranger]] as const) {
      const r = await t.gql(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { group { databaseId } userErrors { message } } }`, { i: { organizationId: s.gid('Organization', org), name } }, { token });
      groups[name] = r.body.data.createGroup.group.databaseId;
    }
  });
  afterAll(() => t.close());

  describe('users', () => {
    it('creates a user in the organization with groups, reads, changes, deactivates and deletes it', async () => {
      const created = await call('POST', `/accounts/users/?organization=${acme.id}`, tok.admin, {
        email: 'Grace.Hopper@example.com',
        first_name: 'Grace',
        last_name: 'Hopper',
        groups: [groups.Engineering],
        is_active: true,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: 'Grace.Hopper@example.com',
        first_name: 'Grace',
        last_name: 'Hopper',
        groups: [groups.Engineering],
        is_active: true,
      });
      const url = `/accounts/users/${created.body.uuid}/`;
      // The username comes from the email; the user is a member of the organization.
      const g = await t.gql(`query($id: ID!) { user(id: $id) { username organizations { slug } } }`, { id: seed(t).gid('User', { id: created.body.uuid }) }, { token: tok.admin });
      expect(g.body.data.user).toEqual({ username: 'grace.hopper', organizations: [{ slug: 'ppl-acme' }] });
      expect(await call('GET', url, tok.admin)).toMatchObject({ status: 200, body: created.body });
      // The organization's members see it; PATCH changes only what is sent.
      expect(await call('GET', `${url}?organization=${acme.id}`, tok.member)).toMatchObject({ status: 200, body: { uuid: created.body.uuid } });
      const patched = await call('PATCH', url, tok.admin, { first_name: 'Amazing Grace', groups: [groups.Design, groups.Engineering] });
      expect(patched).toMatchObject({ status: 200, body: { first_name: 'Amazing Grace', last_name: 'Hopper', groups: [groups.Engineering, groups.Design].sort((a, b) => a - b) } });
      // PUT replaces the groups among those the caller manages.
      const put = await call('PUT', url, tok.owner, { groups: [groups.Design] });
      expect(put).toMatchObject({ status: 200, body: { groups: [groups.Design], first_name: 'Amazing Grace' } });
      // Deactivating disables the account; reactivating restores it; both are logged.
      expect(await call('PATCH', url, tok.admin, { is_active: false })).toMatchObject({ status: 200, body: { is_active: false } });
      const state = await t.gql(`query($id: ID!) { user(id: $id) { state isActive } }`, { id: seed(t).gid('User', { id: created.body.uuid }) }, { token: tok.admin });
      expect(state.body.data.user).toEqual({ state: 'DISABLED', isActive: false });
      // A whole record sent back (as an admin reads it) with is_active flipped.
      const whole = (await call('GET', url, tok.admin)).body;
      expect(await call('PUT', url, tok.admin, { ...whole, is_active: true })).toMatchObject({ status: 200, body: { ...whole, is_active: true } });
      const events = await t.gql(
        `query($id: ID!) { eventLogs(first: 10, filter: { user: $id, actionIn: ["user.update", "user.create"] }) { nodes { action data } } }`,
        { id: seed(t).gid('User', { id: created.body.uuid }) },
        { token: tok.admin },
      );
      expect(events.body.data.eventLogs.nodes.map((e: { action: string; data: { changed?: string[] } }) => [e.action, e.data.changed ?? null])).toEqual([
        ['user.update', ['state']],
        ['user.update', ['state']],
        ['user.update', ['firstName']],
        ['user.create', null],
      ]);
      const del = await call('DELETE', url, tok.admin);
      expect(del.status).toBe(204);
      expect(del.raw).toBe('');
      expect(await call('GET', url, tok.admin)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('DELETE', url, tok.admin)).toMatchObject({ status: 404, body: NOT_FOUND });
    });

    it('refuses sign-in to an inactive user and lets them in again once active', async () => {
      const s = seed(t);
      const u = await s.user('ppl-inactive');
      const url = `/accounts/users/${u.id}/`;
      expect(await call('PATCH', url, tok.admin, { is_active: false })).toMatchObject({ status: 200, body: { is_active: false } });
      const login = await t.gql(`mutation { login(input: { login: "ppl-inactive", password: "ppl-inactive-password" }) { accessToken userErrors { code } } }`);
      expect(login.body.data.login).toEqual({ accessToken: null, userErrors: [{ code: 'ACCOUNT_DISABLED' }] });
      expect(await call('PATCH', url, tok.admin, { is_active: true })).toMatchObject({ status: 200, body: { is_active: true } });
      expect(await s.tokenFor(u)).toEqual(expect.any(String));
      // A blocked account is unblocked explicitly, not "activated".
      await t.gql(`mutation($i: UserIdInput!) { blockUser(input: $i) { userErrors { code } } }`, { i: { id: s.gid('User', u) } }, { token: tok.admin });
      expect(await call('PATCH', url, tok.admin, { is_active: true })).toMatchObject({ status: 400, body: { is_active: [expect.stringContaining('blocked')] } });
    });

    it('validates bodies in DRF’s words and refuses a taken email', async () => {
      expect(await call('POST', '/accounts/users/', tok.admin, { first_name: 'x' })).toMatchObject({ status: 400, body: { email: ['This field is required.'] } });
      expect(await call('POST', '/accounts/users/', tok.admin, { email: 'not-an-email' })).toMatchObject({ status: 400, body: { email: ['Enter a valid email address.'] } });
      // The route schema holds core/validation's rule: NUL and a lone surrogate are refused before GraphQL.
      for (const email of ['nul\u0000@example.com', 'half\ud800@example.com', `${'x'.repeat(65)}@example.com`]) {
        expect(await call('POST', '/accounts/users/', tok.admin, { email }), email).toMatchObject({ status: 400, body: { email: ['Enter a valid email address.'] } });
      }
      expect(await call('POST', '/accounts/users/', tok.admin, { email: 'ppl-member@example.com' })).toMatchObject({ status: 400, body: { email: ['user with this email already exists.'] } });
      expect(await call('POST', '/accounts/users/', tok.admin, { email: 'fn@example.com', first_name: 'x'.repeat(151) })).toMatchObject({
        status: 400,
        body: { first_name: ['Ensure this field has no more than 150 characters.'] },
      });
      expect(await call('POST', '/accounts/users/', tok.admin, { email: 'g@example.com', groups: ['one'] })).toMatchObject({ status: 400, body: { groups: ['A valid integer is required.'] } });
      // Groups belong to organizations: without one the new user cannot be in a group.
      expect(await call('POST', '/accounts/users/', tok.admin, { email: 'g2@example.com', groups: [groups.Design] })).toMatchObject({ status: 400, body: { groups: [expect.any(String)] } });
      expect(await call('POST', `/accounts/users/?organization=${acme.id}`, tok.admin, { email: 'g3@example.com', groups: [999_999] })).toMatchObject({ status: 400, body: { groups: ['Unknown group.'] } });
      // Another organization's group does not exist for acme's users.
      expect(await call('PATCH', `/accounts/users/${ids.member}/`, tok.owner, { groups: [groups.Elsewhere] })).toMatchObject({ status: 400, body: { groups: [expect.any(String)] } });
    });

    it('lets users change their own names, not their email, activity or others', async () => {
      const mine = `/accounts/users/${ids.member}/`;
      const read = await call('GET', mine, tok.member);
      expect(read.status).toBe(200);
      // Sending back what one read changes nothing and is allowed.
      expect(await call('PUT', mine, tok.member, read.body)).toMatchObject({ status: 200, body: read.body });
      expect(await call('PATCH', mine, tok.member, { first_name: 'Mem' })).toMatchObject({ status: 200, body: { first_name: 'Mem' } });
      expect(await call('PATCH', mine, tok.member, { is_active: false })).toMatchObject({ status: 403, body: FORBIDDEN });
      expect(await call('PATCH', mine, tok.member, { email: 'new-member@example.com' })).toMatchObject({ status: 403, body: FORBIDDEN });
      expect(await call('PATCH', `/accounts/users/${ids.owner}/`, tok.member, { first_name: 'Hacked' })).toMatchObject({ status: 403, body: FORBIDDEN });
      expect(await call('POST', `/accounts/users/?organization=${acme.id}`, tok.owner, { email: 'owner-made@example.com' })).toMatchObject({ status: 403, body: FORBIDDEN });
      expect(await call('DELETE', `/accounts/users/${ids.member}/`, tok.owner)).toMatchObject({ status: 403, body: FORBIDDEN });
      expect(await call('DELETE', `/accounts/users/${ids.owner}/`, tok.owner, undefined)).toMatchObject({ status: 403 });
    });

    it('lists the organization’s members by page number, searchable; instance admins may list everyone', async () => {
      const list = await call('GET', `/accounts/users/?organization=${acme.id}&page_size=1`, tok.member);
      expect(list.status).toBe(200);
      expect(list.body.count).toBe(2);
      expect(list.body.results).toHaveLength(1);
      expect(list.body.results[0]).toEqual({ id: expect.any(Number), uuid: expect.any(String), email: expect.anything(), first_name: expect.any(String), last_name: '', groups: expect.any(Array), is_active: true });
      expect(new URL(list.body.next).searchParams.get('page')).toBe('2');
      const p2 = await call('GET', new URL(list.body.next).pathname + new URL(list.body.next).search, tok.member);
      expect(p2.body).toMatchObject({ count: 2, next: null, results: [expect.any(Object)] });
      const both = [...list.body.results, ...p2.body.results];
      expect(new Set(both.map((u: { uuid: string }) => u.uuid))).toEqual(new Set([ids.owner, ids.member]));
      // Emails are private: one's own shows, another member's is null (instance admins see all).
      expect(Object.fromEntries(both.map((u: { uuid: string; email: string | null }) => [u.uuid, u.email]))).toEqual({ [ids.owner]: null, [ids.member]: 'ppl-member@example.com' });
      const searched = await call('GET', `/accounts/users/?organization=${acme.id}&search=ppl-own`, tok.member);
      expect(searched.body).toMatchObject({ count: 1, results: [{ uuid: ids.owner }] });
      expect(await call('GET', '/accounts/users/', tok.member)).toMatchObject({ status: 400, body: { organization: ['This field is required.'] } });
      const all = await call('GET', '/accounts/users/?search=ppl-&page_size=100', tok.admin);
      expect(all.body.count).toBeGreaterThanOrEqual(3);
      expect(all.body.results.some((u: { uuid: string }) => u.uuid === ids.stranger)).toBe(true);
    });

    it('keeps organizations apart', async () => {
      expect(await call('GET', `/accounts/users/?organization=${acme.id}`, tok.stranger)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('GET', `/accounts/users/${ids.member}/?organization=${other.id}`, tok.stranger)).toMatchObject({ status: 404, body: NOT_FOUND });
      // A token bound to the other organization sees only that organization's users.
      const r = await t.gql(
        `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token } }`,
        { i: { username: 'ppl-stranger', name: 'bound', scopes: ['API'], organizationId: seed(t).gid('Organization', other) } },
        { token: tok.stranger },
      );
      const bound = r.body.data.createPersonalAccessToken.token;
      expect(await call('GET', `/accounts/users/${ids.member}/`, bound)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('GET', `/accounts/users/${ids.stranger}/`, bound)).toMatchObject({ status: 200, body: { uuid: ids.stranger } });
      expect((await call('GET', '/accounts/users/', bound)).body).toMatchObject({ count: 1, results: [{ uuid: ids.stranger }] });
      expect((await call('GET', '/accounts/groups/', bound)).body.results).toEqual([{ id: groups.Elsewhere, name: 'Elsewhere' }]);
      expect(await call('PATCH', `/accounts/users/${ids.member}/`, tok.stranger, { first_name: 'x' })).toMatchObject({ status: 403, body: FORBIDDEN });
    });
  });

  it('lists groups as {id, name} with the integer ids users carry, per organization', async () => {
    const acmeGroups = await call('GET', `/accounts/groups/?organization=${acme.id}`, tok.member);
    expect(acmeGroups).toMatchObject({
      status: 200,
      body: { count: 2, next: null, previous: null, results: [{ id: groups.Design, name: 'Design' }, { id: groups.Engineering, name: 'Engineering' }] },
    });
    const paged = await call('GET', `/accounts/groups/?organization=${acme.id}&page=2&page_size=1`, tok.member);
    expect(paged.body).toMatchObject({ count: 2, next: null, results: [{ name: 'Engineering' }] });
    expect(paged.body.previous).not.toBeNull();
    // Without an organization: those of every organization one belongs to.
    expect((await call('GET', '/accounts/groups/', tok.stranger)).body.results).toEqual([{ id: groups.Elsewhere, name: 'Elsewhere' }]);
    // Another organization's groups are not listed.
    expect((await call('GET', `/accounts/groups/?organization=${acme.id}`, tok.stranger)).body).toMatchObject({ count: 0, results: [] });
  });

  it('reads and sets one’s analyst consent; lists the organization’s analysts', async () => {
    expect(await call('GET', '/accounts/analysts/current/', tok.member)).toEqual(expect.objectContaining({ status: 200, body: { consent_given: false, user_uuid: ids.member } }));
    expect((await call('GET', `/accounts/analysts/?organization=${acme.id}`, tok.owner)).body).toMatchObject({ count: 0, results: [] });
    expect(await call('PATCH', '/accounts/analysts/current/', tok.member, { consent_given: true })).toEqual(expect.objectContaining({ status: 200, body: { consent_given: true, user_uuid: ids.member } }));
    // user_uuid is read-only; an empty body changes nothing.
    expect(await call('PATCH', '/accounts/analysts/current/', tok.member, { user_uuid: ids.owner })).toMatchObject({ status: 200, body: { consent_given: true, user_uuid: ids.member } });
    expect(await call('GET', '/accounts/analysts/current/', tok.member)).toMatchObject({ body: { consent_given: true } });
    expect((await call('GET', `/accounts/analysts/?organization=${acme.id}`, tok.owner)).body).toMatchObject({ count: 1, next: null, previous: null, results: [{ consent_given: true, user_uuid: ids.member }] });
    expect((await call('GET', `/accounts/analysts/?organization=${acme.id}&search=nobody-here`, tok.owner)).body).toMatchObject({ count: 0 });
    expect(await call('GET', `/accounts/analysts/?organization=${acme.id}`, tok.stranger)).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await call('GET', '/accounts/analysts/', tok.owner)).toMatchObject({ status: 400, body: { organization: ['This field is required.'] } });
    expect(await call('PATCH', '/accounts/analysts/current/', tok.member, { consent_given: false })).toMatchObject({ status: 200, body: { consent_given: false } });
  });

  it('answers login parameters for an email: hint with organization, bare hint, manual entry', async () => {
    expect(await call('POST', '/accounts/login_url/', tok.owner, { email: 'not an email' })).toMatchObject({ status: 400, body: { email: ['Enter a valid email address.'] } });
    expect(await call('POST', '/accounts/login_url/', tok.owner, {})).toMatchObject({ status: 400, body: { email: ['This field is required.'] } });
    const known = await call('POST', '/accounts/login_url/', ADMIN.token, { email: 'PPL-member@example.com' });
    expect(known.status).toBe(200);
    expect(Object.fromEntries(new URLSearchParams(known.body.params))).toEqual({ login_hint: 'PPL-member@example.com', organization: 'ppl-acme' });
    // Who holds an address is for its holder and instance admins to know: the owner of the
    // member's organization gets the bare hint (issue 22; test/oracles.test.ts has the rest).
    const owners = await call('POST', '/accounts/login_url/', tok.owner, { email: 'PPL-member@example.com' });
    expect(Object.fromEntries(new URLSearchParams(owners.body.params))).toEqual({ login_hint: 'PPL-member@example.com' });
    const unknown = await call('POST', '/accounts/login_url/', tok.owner, { email: 'nobody@example.com' });
    expect(Object.fromEntries(new URLSearchParams(unknown.body.params))).toEqual({ login_hint: 'nobody@example.com' });
    // The address also held (as a disabled contact) by a former owner: manual entry.
    const former = await seed(t).user('ppl-former', { email: null });
    await insertContact(t.db.db, { userId: former.id, type: 'email', value: 'ppl-member@example.com', state: 'disabled' });
    const manual = await call('POST', '/accounts/login_url/', ADMIN.token, { email: 'ppl-member@example.com' });
    expect(Object.fromEntries(new URLSearchParams(manual.body.params))).toEqual({ route: 'manual', login_hint: 'ppl-member@example.com' });
    expect(await call('POST', '/accounts/login_url/', undefined, { email: 'ppl-member@example.com' })).toMatchObject({ status: 401 });
  });

  it('answers the portal with 200 and no content for those who may open it', async () => {
    const mine = await call('GET', `/accounts/portal/?organization=${acme.id}`, tok.member);
    expect(mine.status).toBe(200);
    expect(mine.raw).toBe('');
    expect((await call('GET', '/accounts/portal/', tok.stranger)).status).toBe(200);
    expect(await call('GET', `/accounts/portal/?organization=${acme.id}`, tok.stranger)).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await call('GET', '/accounts/portal/')).toMatchObject({ status: 401, body: { detail: 'Authentication credentials were not provided.' } });
  });

  it('answers bad input on every one of these routes with a 4xx and a DRF-shaped JSON body', async () => {
    const big = 'a'.repeat(10_000);
    const u = `/accounts/users/${ids.member}/`;
    const cases: [string, string, string | undefined, unknown][] = [
      ['GET', '/accounts/users/?page=abc', tok.admin, undefined],
      ['GET', `/accounts/users/?search=${big}`, tok.admin, undefined],
      ['GET', '/accounts/users/?organization=..%2F..%2Fetc%2Fpasswd', tok.member, undefined],
      ['GET', `/accounts/users/?organization=${UNKNOWN}`, tok.member, undefined],
      ['GET', '/accounts/users/?page=999999&page_size=100', tok.admin, undefined],
      ['POST', '/accounts/users/', tok.admin, '{"email": '],
      ['POST', '/accounts/users/', tok.admin, '[{"email":"a@b.cd"}]'],
      ['POST', '/accounts/users/', tok.admin, { email: `${big}@example.com` }],
      ['POST', '/accounts/users/', tok.admin, { email: "1' OR '1'='1" }],
      ['POST', '/accounts/users/', tok.admin, { email: 'x@example.com', is_active: 'yes' }],
      ['POST', '/accounts/users/', tok.admin, { email: 'x@example.com', groups: 5 }],
      ['POST', '/accounts/users/', tok.admin, { email: 'nul\u0000@example.com' }],
      ['GET', '/accounts/users/not-a-uuid/', tok.admin, undefined],
      ['GET', `/accounts/users/${UNKNOWN}/`, tok.admin, undefined],
      ['GET', '/accounts/users/..%2F..%2Fetc%2Fpasswd/', tok.admin, undefined],
      ['GET', "/accounts/users/1'%20OR%20'1'%3D'1/", tok.admin, undefined],
      ['GET', '/accounts/users/%00/', tok.admin, undefined],
      ['GET', `/accounts/users/${big}/`, tok.admin, undefined],
      ['PUT', u, tok.admin, '"just a string"'],
      ['PUT', `/accounts/users/${UNKNOWN}/`, tok.admin, { first_name: 'x' }],
      ['PUT', u, tok.admin, { first_name: big }],
      ['PATCH', u, tok.admin, { groups: [-1] }],
      ['PATCH', u, tok.admin, { groups: [1e12] }],
      ['PATCH', u, tok.admin, { email: 'nope' }],
      ['PATCH', `/accounts/users/${UNKNOWN}/`, tok.admin, { last_name: 'x' }],
      ['DELETE', `/accounts/users/${UNKNOWN}/`, tok.admin, undefined],
      ['DELETE', '/accounts/users/..%2F..%2Fetc%2Fpasswd/', tok.admin, undefined],
      ['GET', '/accounts/groups/?page=0', tok.member, undefined],
      ['GET', '/accounts/groups/?organization=%00', tok.member, undefined],
      ['GET', '/accounts/groups/?page=50', tok.member, undefined],
      ['GET', '/accounts/analysts/?page_size=0', tok.admin, undefined],
      ['GET', `/accounts/analysts/?search=${big}`, tok.admin, undefined],
      ['GET', '/accounts/analysts/current/', 'igw_not-a-real-token', undefined],
      ['PATCH', '/accounts/analysts/current/', tok.member, { consent_given: 'yes' }],
      ['PATCH', '/accounts/analysts/current/', tok.member, '[true]'],
      ['PATCH', '/accounts/analysts/current/', tok.member, '{"consent_given": tru'],
      ['POST', '/accounts/login_url/', tok.member, { email: `${big}@example.com` }],
      ['POST', '/accounts/login_url/', tok.member, { email: 42 }],
      ['POST', '/accounts/login_url/', tok.member, { email: '' }],
      ['POST', '/accounts/login_url/', tok.member, '["a@b.cd"]'],
      ['GET', '/accounts/portal/?organization=..%2F..%2Fetc%2Fpasswd', tok.member, undefined],
      ['GET', `/accounts/portal/?organization=${UNKNOWN}`, tok.member, undefined],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 40)}`;
      expect(r.status, `${label} → ${r.raw.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.headers['content-type'], label).toMatch(/application\/json/);
      const b = r.body as Record<string, unknown>;
      const drf = typeof b.detail === 'string' || (Object.keys(b).length > 0 && Object.values(b).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string')));
      expect(drf, `${label} → ${JSON.stringify(b)}`).toBe(true);
    }
    // Every route of these tables got bad input.
    expect(uncoveredRoutes([...userRoutes, ...peopleRoutes], cases)).toEqual([]);
    // None of that changed the member.
    expect((await call('GET', u, tok.admin)).body).toMatchObject({ uuid: ids.member, email: 'ppl-member@example.com', is_active: true });
  });
});
