// GitLab's Users API (2016) as its callers use it, on the REST engine: the documented paths,
// views, statuses and bodies; page headers; the three credential styles; GitLab's error
// shapes; bad input never reaching a 5xx.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gitlab } from '@gitbeaker/rest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { gitlab } from '../src/rest/gitlab/index.js';

const V4 = '/api/v4';
/** A fresh OpenSSH ed25519 public key line. */
function sshKey(): string {
  const raw = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const type = Buffer.from('ssh-ed25519');
  return `ssh-ed25519 ${Buffer.concat([u32(type.length), type, u32(raw.length), raw]).toString('base64')}`;
}
const ED25519 = sshKey();
const ED25519_B = sshKey();

const BASIC_KEYS = ['avatar_url', 'id', 'name', 'state', 'username', 'web_url'];

describe.each(DRIVERS)('gitlab dialect on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const alice = await s.user('gl-alice');
    const bob = await s.user('gl-bob');
    const carol = await s.user('gl-carol');
    tok = { alice: await s.tokenFor(alice), bob: await s.tokenFor(bob), admin: ADMIN.token };
    ids = { alice: alice.databaseId, bob: bob.databaseId, carol: carol.databaseId };
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}, base = V4) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: base + url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
  };

  describe('users', () => {
    it('lists users: the public view for users, the full one for admins, by id', async () => {
      const normal = await call('GET', '/users?per_page=100', tok.alice);
      expect(normal.status).toBe(200);
      const mine = normal.body.find((u: { id: number }) => u.id === ids.alice);
      expect(Object.keys(mine).sort()).toEqual(BASIC_KEYS);
      expect(mine).toMatchObject({ username: 'gl-alice', state: 'active', web_url: expect.stringMatching(/\/u\/gl-alice$/) });
      const idsInOrder = normal.body.map((u: { id: number }) => u.id);
      expect(idsInOrder).toEqual([...idsInOrder].sort((a: number, b: number) => a - b));

      const admin = await call('GET', '/users?per_page=100', tok.admin);
      const full = admin.body.find((u: { id: number }) => u.id === ids.alice);
      expect(full).toMatchObject({
        id: ids.alice,
        username: 'gl-alice',
        email: 'gl-alice@example.com',
        state: 'active',
        is_admin: false,
        bio: null,
        skype: '',
        website_url: '',
        projects_limit: expect.any(Number),
        identities: [],
        can_create_group: expect.any(Boolean),
        two_factor_enabled: false,
        external: false,
      });
      expect(full.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(full).not.toHaveProperty('private_token');
    });

    it('searches and looks up by username', async () => {
      const r = await call('GET', '/users?username=gl-bob', tok.alice);
      expect(r.body.map((u: { username: string }) => u.username)).toEqual(['gl-bob']);
      const s = await call('GET', '/users?search=gl-', tok.alice);
      expect(s.body.map((u: { username: string }) => u.username)).toEqual(['gl-alice', 'gl-bob', 'gl-carol']);
      // Others find users by a whole email only; admins by any part of it.
      expect((await call('GET', '/users?search=gl-bob@example.com', tok.alice)).body).toHaveLength(1);
      expect((await call('GET', '/users?search=bob@example', tok.alice)).body).toHaveLength(0);
      expect((await call('GET', '/users?search=bob@example', tok.admin)).body).toHaveLength(1);
    });

    it('pages with page and per_page, and GitLab’s headers', async () => {
      const all = (await call('GET', '/users?search=gl-', tok.alice)).body;
      const p1 = await call('GET', '/users?search=gl-&per_page=2', tok.alice);
      expect(p1.body.map((u: { id: number }) => u.id)).toEqual(all.slice(0, 2).map((u: { id: number }) => u.id));
      expect(p1.headers).toMatchObject({ 'x-total': '3', 'x-total-pages': '2', 'x-page': '1', 'x-per-page': '2', 'x-next-page': '2', 'x-prev-page': '' });
      expect(p1.headers.link).toContain('rel="next"');
      expect(p1.headers.link).toContain('page=2');
      expect(p1.headers.link).not.toContain('rel="prev"');
      const p2 = await call('GET', '/users?search=gl-&per_page=2&page=2', tok.alice);
      expect(p2.body.map((u: { id: number }) => u.id)).toEqual([all[2].id]);
      expect(p2.headers).toMatchObject({ 'x-page': '2', 'x-next-page': '', 'x-prev-page': '1' });
      expect(p2.headers.link).toContain('rel="prev"');
      expect(p2.headers.link).toContain('rel="last"');
      const beyond = await call('GET', '/users?search=gl-&per_page=2&page=9', tok.alice);
      expect(beyond.body).toEqual([]);
      // A query credential does not travel on in the links.
      const q = await t.gw.app.inject({ method: 'GET', url: `${V4}/users?search=gl-&per_page=1&private_token=${tok.alice}` });
      expect(q.statusCode).toBe(200);
      expect(String(q.headers.link)).not.toContain('private_token');
    });

    it('shows one user: the profile for users, the full object for admins; 404 User Not Found', async () => {
      const r = await call('GET', `/users/${ids.bob}`, tok.alice);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual([...BASIC_KEYS, 'bio', 'created_at', 'is_admin', 'linkedin', 'location', 'skype', 'twitter', 'website_url'].sort());
      expect(r.body).not.toHaveProperty('email');
      // GitLab's documented boolean, never null (the flag itself is private: false unless it is you).
      expect(r.body.is_admin).toBe(false);
      expect((await call('GET', `/users/${ids.alice}`, tok.bob)).body.is_admin).toBe(false);
      const a = await call('GET', `/users/${ids.bob}`, tok.admin);
      expect(a.body).toMatchObject({ id: ids.bob, email: 'gl-bob@example.com', is_admin: false, theme_id: 1 });
      expect(await call('GET', '/users/999999', tok.alice)).toMatchObject({ status: 404, body: { message: '404 User Not Found' } });
    });

    it('answers the current user at GET /user, without private_token', async () => {
      const r = await call('GET', '/user', tok.alice);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: ids.alice, username: 'gl-alice', email: 'gl-alice@example.com', is_admin: false });
      expect(r.body).not.toHaveProperty('private_token');
      expect(await call('GET', '/user')).toMatchObject({ status: 401, body: { message: '401 Unauthorized' } });
    });

    it('links external identities (extern_uid + provider) and changes social handles one by one', async () => {
      const c = await call('POST', '/users', tok.admin, { email: 'gl-ext@example.com', password: 'ext-password-1', username: 'gl-ext', name: 'Ext', extern_uid: 'uid=ext,ou=people', provider: 'ldapmain', skype: 'ext.s', twitter: 'ext_t' });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      expect(c.body.identities).toEqual([{ provider: 'ldapmain', extern_uid: 'uid=ext,ou=people' }]);
      const id = c.body.id as number;
      // PUT replaces the link to that provider, adds one to another.
      expect((await call('PUT', `/users/${id}`, tok.admin, { extern_uid: 'uid=ext2', provider: 'ldapmain' })).body.identities).toEqual([{ provider: 'ldapmain', extern_uid: 'uid=ext2' }]);
      const two = await call('PUT', `/users/${id}`, tok.admin, { extern_uid: '12345', provider: 'github' });
      expect(two.body.identities).toEqual([
        { provider: 'github', extern_uid: '12345' },
        { provider: 'ldapmain', extern_uid: 'uid=ext2' },
      ]);
      // One without the other, or an account linked to someone else, is refused.
      expect(await call('PUT', `/users/${id}`, tok.admin, { extern_uid: 'lonely' })).toMatchObject({ status: 400, body: { message: { provider: ['is missing'] } } });
      const other = await call('POST', '/users', tok.admin, { email: 'gl-ext3@example.com', password: 'ext-password-3', username: 'gl-ext3', name: 'Ext3', extern_uid: '12345', provider: 'github' });
      expect(other).toMatchObject({ status: 400, body: { message: { extern_uid: ['has already been taken'] } } });
      expect(await call('PUT', `/users/${ids.alice}`, tok.admin, { extern_uid: '12345', provider: 'github' })).toMatchObject({ status: 409, body: { message: { extern_uid: ['has already been taken'] } } });
      expect((await call('PUT', `/users/${id}`, tok.alice, { extern_uid: 'x', provider: 'y' })).status).toBe(403);
      // Social handles: those given change, the others stay; an empty one goes.
      const social = await call('PUT', `/users/${id}`, tok.admin, { linkedin: 'ext-l', skype: '' });
      expect(social.body).toMatchObject({ skype: '', linkedin: 'ext-l', twitter: 'ext_t' });
      expect(await call('DELETE', `/users/${id}`, tok.admin)).toMatchObject({ status: 200 });
    });

    it('creates (admins, 201), changes, blocks, unblocks and deletes users', async () => {
      const body = { email: 'gl-dave@example.com', password: 'dave-password-1', username: 'gl-dave', name: 'Dave D', bio: 'hi', skype: 'dave.s', website_url: 'https://dave.example', projects_limit: 5, confirm: false };
      expect(await call('POST', '/users', tok.alice, body)).toMatchObject({ status: 403, body: { message: '403 Forbidden' } });
      const c = await call('POST', '/users', tok.admin, body);
      expect(c.status).toBe(201);
      expect(c.body).toMatchObject({ username: 'gl-dave', name: 'Dave D', email: 'gl-dave@example.com', bio: 'hi', skype: 'dave.s', website_url: 'https://dave.example', projects_limit: 5, state: 'active' });
      expect(c.body.confirmed_at).not.toBeNull();
      const id = c.body.id as number;
      // The new user signs in with the password given.
      expect(await t.login('gl-dave', 'dave-password-1')).toBeTruthy();

      // Duplicates on creation: 400 with the message object.
      const dupUser = await call('POST', '/users', tok.admin, { ...body, email: 'other@example.com' });
      expect(dupUser).toMatchObject({ status: 400, body: { message: { username: ['has already been taken'] } } });
      const dupEmail = await call('POST', '/users', tok.admin, { ...body, username: 'gl-dave2' });
      expect(dupEmail).toMatchObject({ status: 400, body: { message: { email: ['has already been taken'] } } });
      const missing = await call('POST', '/users', tok.admin, { email: 'x@example.com', username: 'x' });
      expect(missing.status).toBe(400);
      expect(missing.body.message).toHaveProperty('password');

      const u = await call('PUT', `/users/${id}`, tok.admin, { name: 'David', location: 'Ghent', admin: false, external: true, email: 'david@example.com' });
      expect(u).toMatchObject({ status: 200, body: { id, name: 'David', location: 'Ghent', external: true, email: 'david@example.com' } });
      // A taken email on PUT is a 409 (GitLab's doc says 404; 409 is the appropriate answer).
      const taken = await call('PUT', `/users/${id}`, tok.admin, { email: 'gl-alice@example.com' });
      expect(taken).toMatchObject({ status: 409, body: { message: { email: ['has already been taken'] } } });
      const bad = await call('PUT', `/users/${id}`, tok.admin, { website_url: 'ftp://nope' });
      expect(bad).toMatchObject({ status: 400, body: { message: { website_url: [expect.any(String)] } } });
      expect((await call('PUT', `/users/${id}`, tok.alice, { name: 'Not yours' })).status).toBe(403);
      expect(await call('PUT', '/users/999999', tok.admin, { name: 'x' })).toMatchObject({ status: 404, body: { message: '404 User Not Found' } });

      expect(await call('PUT', `/users/${id}/block`, tok.admin)).toMatchObject({ status: 200, body: true });
      expect((await call('GET', `/users/${id}`, tok.admin)).body.state).toBe('blocked');
      expect(await call('PUT', `/users/${id}/unblock`, tok.admin)).toMatchObject({ status: 200, body: true });
      expect(await call('POST', `/users/${id}/block`, tok.admin)).toMatchObject({ status: 201, body: true });
      expect(await call('POST', `/users/${id}/unblock`, tok.admin)).toMatchObject({ status: 201, body: true });
      expect((await call('GET', `/users/${id}`, tok.admin)).body.state).toBe('active');
      expect(await call('PUT', `/users/${id}/block`, tok.alice)).toMatchObject({ status: 403, body: { message: '403 Forbidden' } });
      expect(await call('PUT', '/users/999999/block', tok.admin)).toMatchObject({ status: 404, body: { message: '404 User Not Found' } });
      // v3 has PUT only.
      expect((await call('PUT', `/users/${id}/block`, tok.admin, undefined, {}, '/api/v3')).status).toBe(200);
      expect((await call('PUT', `/users/${id}/unblock`, tok.admin, undefined, {}, '/api/v3')).status).toBe(200);
      expect((await call('POST', `/users/${id}/block`, tok.admin, undefined, {}, '/api/v3')).status).toBe(404);

      expect((await call('DELETE', `/users/${id}`, tok.alice)).status).toBe(403);
      const d = await call('DELETE', `/users/${id}`, tok.admin);
      expect(d).toMatchObject({ status: 200, body: { id, username: 'gl-dave' } });
      // Idempotent: 200 without the user.
      expect(await call('DELETE', `/users/${id}`, tok.admin)).toMatchObject({ status: 200, body: {} });
      expect((await call('GET', `/users/${id}`, tok.admin)).status).toBe(404);
    });
  });

  it('takes urlencoded and multipart form bodies, as GitLab does', async () => {
    const form = await t.gw.app.inject({
      method: 'PUT',
      url: `${V4}/users/${ids.carol}`,
      headers: { 'private-token': ADMIN.token, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Carol+C&projects_limit=7&external=false',
    });
    expect(form.statusCode).toBe(200);
    expect(form.json()).toMatchObject({ name: 'Carol C', projects_limit: 7, external: false });
    const fd = new FormData();
    fd.set('bio', 'multipart bio');
    const req = new Request('http://x/', { method: 'PUT', body: fd });
    const multipart = await t.gw.app.inject({
      method: 'PUT',
      url: `${V4}/users/${ids.carol}`,
      headers: { 'private-token': ADMIN.token, 'content-type': req.headers.get('content-type')! },
      payload: Buffer.from(await req.arrayBuffer()),
    });
    expect(multipart.statusCode).toBe(200);
    expect(multipart.json().bio).toBe('multipart bio');
    const broken = await t.gw.app.inject({
      method: 'PUT',
      url: `${V4}/users/${ids.carol}`,
      headers: { 'private-token': ADMIN.token, 'content-type': 'multipart/form-data; boundary=nope' },
      payload: 'garbage',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toHaveProperty('message');
    // /graphql still takes JSON only.
    const gql = await t.gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'query=%7B__typename%7D' });
    expect(gql.statusCode).toBeGreaterThanOrEqual(400);
  });

  describe('the users-module additions it runs on (GraphQL)', () => {
    it('finds users by databaseId, pages by offset, and takes integer ids in inputs', async () => {
      const one = await t.gql(`query($n: Int!) { user(databaseId: $n) { username } }`, { n: ids.bob }, { token: tok.alice });
      expect(one.body.data).toEqual({ user: { username: 'gl-bob' } });
      expect((await t.gql(`{ user(databaseId: 999999) { username } }`, {}, { token: tok.alice })).body.data).toEqual({ user: null });
      expect((await t.gql(`{ user(databaseId: 1) { username } }`)).body.data).toEqual({ user: null });
      const both = await t.gql(`query($n: Int!) { user(databaseId: $n, username: "gl-bob") { username } }`, { n: ids.bob }, { token: tok.alice });
      expect(both.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

      const q = `query($o: Int, $after: String) { users(first: 1, offset: $o, after: $after, filter: { search: "gl-" }, orderBy: { field: DATABASE_ID }) { nodes { username } pageInfo { endCursor } } }`;
      const page = async (o: number) => (await t.gql(q, { o }, { token: tok.alice })).body.data.users.nodes.map((u: { username: string }) => u.username);
      expect([await page(0), await page(1), await page(2), await page(3)]).toEqual([['gl-alice'], ['gl-bob'], ['gl-carol'], []]);
      const first = (await t.gql(q, {}, { token: tok.alice })).body.data.users.pageInfo.endCursor;
      expect((await t.gql(q, { o: 1, after: first }, { token: tok.alice })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await t.gql(q, { o: -1 }, { token: tok.alice })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

      const neither = await t.gql(`mutation { blockUser(input: {}) { userErrors { code } } }`, {}, { token: ADMIN.token });
      expect(neither.body.errors?.[0]?.extensions?.code ?? neither.body.data?.blockUser?.userErrors?.[0]?.code).toBe('BAD_USER_INPUT');
      const blocked = await t.gql(`mutation($n: Int!) { blockUser(input: { databaseId: $n }) { user { state } } unblockUser(input: { databaseId: $n }) { user { state } } }`, { n: ids.carol }, { token: ADMIN.token });
      expect(blocked.body.data).toEqual({ blockUser: { user: { state: 'BLOCKED' } }, unblockUser: { user: { state: 'ACTIVE' } } });
      const missing = await t.gql(`mutation { blockUser(input: { databaseId: 999999 }) { userErrors { code } } }`, {}, { token: ADMIN.token });
      expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('credentials', () => {
    it('takes Bearer, PRIVATE-TOKEN and private_token alike; refuses bad or conflicting ones', async () => {
      const viaBearer = await call('GET', '/user', tok.admin);
      const viaHeader = await call('GET', '/user', undefined, undefined, { 'private-token': ADMIN.token });
      const viaQuery = await t.gw.app.inject({ method: 'GET', url: `${V4}/user?private_token=${ADMIN.token}` });
      expect(viaBearer.body.username).toBe('admin');
      expect(viaHeader.body).toEqual(viaBearer.body);
      expect(viaQuery.json()).toEqual(viaBearer.body);
      // An access token from login works in every style too.
      expect((await call('GET', '/user', undefined, undefined, { 'private-token': tok.alice })).body.username).toBe('gl-alice');
      for (const headers of [{ 'private-token': 'igw_not-a-real-token' }, { authorization: 'Basic YTpi' }, { authorization: `Bearer ${tok.alice}`, 'private-token': ADMIN.token }]) {
        expect(await call('GET', '/user', undefined, undefined, headers)).toMatchObject({ status: 401, body: { message: '401 Unauthorized' } });
      }
      const badQuery = await t.gw.app.inject({ method: 'GET', url: `${V4}/user?private_token=nope-nope-nope` });
      expect(badQuery.statusCode).toBe(401);
      expect(badQuery.json()).toEqual({ message: '401 Unauthorized' });
      expect(await call('GET', '/users')).toMatchObject({ status: 401, body: { message: '401 Unauthorized' } });
    });
  });

  describe('SSH keys', () => {
    it('adds (201), lists, shows and removes your keys; duplicates are 400 with the message object', async () => {
      const a = await call('POST', '/user/keys', tok.alice, { title: 'laptop', key: ED25519 });
      expect(a.status).toBe(201);
      expect(a.body).toEqual({ id: expect.any(Number), title: 'laptop', key: ED25519, created_at: expect.any(String) });
      const dup = await call('POST', '/user/keys', tok.bob, { title: 'mine', key: ED25519 });
      expect(dup).toEqual({ status: 400, body: { message: { fingerprint: ['has already been taken'], key: ['has already been taken'] } }, headers: expect.anything() });
      const dupTitle = await call('POST', '/user/keys', tok.alice, { title: 'laptop', key: ED25519_B });
      expect(dupTitle).toMatchObject({ status: 400, body: { message: { title: ['has already been taken'] } } });
      const badKey = await call('POST', '/user/keys', tok.alice, { title: 'bad', key: 'ssh-rsa not-base64!' });
      expect(badKey).toMatchObject({ status: 400, body: { message: { key: [expect.any(String)] } } });

      expect((await call('GET', '/user/keys', tok.alice)).body).toEqual([a.body]);
      expect(await call('GET', `/user/keys/${a.body.id}`, tok.alice)).toMatchObject({ status: 200, body: a.body });
      expect(await call('GET', `/user/keys/${a.body.id}`, tok.bob)).toMatchObject({ status: 404, body: { message: '404 Key Not Found' } });

      // Not yours: 200 and nothing happens (idempotent, "not available").
      expect(await call('DELETE', `/user/keys/${a.body.id}`, tok.bob)).toMatchObject({ status: 200, body: {} });
      expect((await call('GET', '/user/keys', tok.alice)).body).toHaveLength(1);
      expect(await call('DELETE', `/user/keys/${a.body.id}`, tok.alice)).toMatchObject({ status: 200, body: {} });
      expect((await call('GET', '/user/keys', tok.alice)).body).toEqual([]);
      expect(await call('DELETE', `/user/keys/${a.body.id}`, tok.alice)).toMatchObject({ status: 200, body: {} });
      expect(await call('DELETE', `/user/keys/${a.body.id}`)).toMatchObject({ status: 401, body: { message: '401 Unauthorized' } });
    });

    it('lets admins list, add and remove any user’s keys; 404 for missing users and keys', async () => {
      expect((await call('GET', `/users/${ids.carol}/keys`, tok.alice)).status).toBe(403);
      const k = await call('POST', `/users/${ids.carol}/keys`, tok.admin, { title: 'carol-key', key: ED25519_B });
      expect(k.status).toBe(201);
      expect((await call('POST', `/users/${ids.carol}/keys`, tok.alice, { title: 'x', key: ED25519 })).status).toBe(403);
      expect(await call('POST', '/users/999999/keys', tok.admin, { title: 'x', key: ED25519 })).toMatchObject({ status: 404, body: { message: '404 User Not Found' } });
      expect((await call('GET', `/users/${ids.carol}/keys`, tok.admin)).body).toEqual([k.body]);
      expect(await call('GET', '/users/999999/keys', tok.admin)).toMatchObject({ status: 404, body: { message: '404 User Not Found' } });
      // The key is not bob's: 404.
      expect(await call('DELETE', `/users/${ids.bob}/keys/${k.body.id}`, tok.admin)).toMatchObject({ status: 404 });
      expect(await call('DELETE', `/users/${ids.carol}/keys/999999`, tok.admin)).toMatchObject({ status: 404, body: { message: '404 Key Not Found' } });
      expect((await call('DELETE', `/users/${ids.carol}/keys/${k.body.id}`, tok.alice)).status).toBe(403);
      expect(await call('DELETE', `/users/${ids.carol}/keys/${k.body.id}`, tok.admin)).toMatchObject({ status: 200 });
      expect((await call('GET', `/users/${ids.carol}/keys`, tok.admin)).body).toEqual([]);
    });
  });

  describe('emails', () => {
    it('adds (201), lists, shows and removes your emails; a taken one is 400', async () => {
      const a = await call('POST', '/user/emails', tok.alice, { email: 'alice-work@example.com' });
      expect(a).toMatchObject({ status: 201, body: { id: expect.any(Number), email: 'alice-work@example.com' } });
      expect(await call('POST', '/user/emails', tok.bob, { email: 'alice-work@example.com' })).toMatchObject({ status: 400, body: { message: { email: ['has already been taken'] } } });
      expect(await call('POST', '/user/emails', tok.bob, { email: 'not-an-email' })).toMatchObject({ status: 400, body: { message: { email: [expect.any(String)] } } });
      const list = (await call('GET', '/user/emails', tok.alice)).body;
      expect(list.map((e: { email: string }) => e.email)).toEqual(['gl-alice@example.com', 'alice-work@example.com']);
      expect(await call('GET', `/user/emails/${a.body.id}`, tok.alice)).toMatchObject({ status: 200, body: a.body });
      expect(await call('GET', `/user/emails/${a.body.id}`, tok.bob)).toMatchObject({ status: 404, body: { message: '404 Email Not Found' } });
      expect(await call('DELETE', `/user/emails/${a.body.id}`, tok.bob)).toMatchObject({ status: 200, body: {} });
      expect((await call('GET', '/user/emails', tok.alice)).body).toHaveLength(2);
      expect(await call('DELETE', `/user/emails/${a.body.id}`, tok.alice)).toMatchObject({ status: 200, body: {} });
      expect(await call('DELETE', `/user/emails/${a.body.id}`, tok.alice)).toMatchObject({ status: 200, body: {} });
      expect((await call('GET', '/user/emails', tok.alice)).body).toHaveLength(1);
    });

    it('lets admins list, add and remove any user’s emails', async () => {
      expect((await call('GET', `/users/${ids.carol}/emails`, tok.alice)).status).toBe(403);
      const e = await call('POST', `/users/${ids.carol}/emails`, tok.admin, { email: 'carol2@example.com' });
      expect(e.status).toBe(201);
      expect((await call('POST', `/users/${ids.carol}/emails`, tok.alice, { email: 'c3@example.com' })).status).toBe(403);
      expect(await call('POST', '/users/999999/emails', tok.admin, { email: 'c3@example.com' })).toMatchObject({ status: 404, body: { message: '404 User Not Found' } });
      expect((await call('GET', `/users/${ids.carol}/emails`, tok.admin)).body.map((x: { email: string }) => x.email)).toEqual(['gl-carol@example.com', 'carol2@example.com']);
      expect((await call('DELETE', `/users/${ids.bob}/emails/${e.body.id}`, tok.admin)).status).toBe(404);
      expect(await call('DELETE', `/users/${ids.carol}/emails/999999`, tok.admin)).toMatchObject({ status: 404, body: { message: '404 Email Not Found' } });
      expect((await call('DELETE', `/users/${ids.carol}/emails/${e.body.id}`, tok.admin)).status).toBe(200);
      expect((await call('GET', `/users/${ids.carol}/emails`, tok.admin)).body).toHaveLength(1);
    });
  });

  it('words validation failures as GitLab does, field by field', async () => {
    const post = (body: object) => call('POST', '/users', tok.admin, body);
    const ok = { email: 'words@example.com', password: 'password-1', username: 'gl-words', name: 'Words' };
    expect(await post({ password: 'password-1', username: 'gl-words', name: 'W' })).toMatchObject({ status: 400, body: { message: { email: ['is missing'] } } });
    expect(await post({ ...ok, name: 'n'.repeat(300) })).toMatchObject({ status: 400, body: { message: { name: ['is too long (maximum is 255 characters)'] } } });
    expect(await post({ ...ok, projects_limit: 'many' })).toMatchObject({ status: 400, body: { message: { projects_limit: ['is invalid'] } } });
    expect(await call('GET', '/users?per_page=0', tok.admin)).toMatchObject({ status: 400, body: { message: { per_page: ['does not have a valid value'] } } });
    // Every bad field at once, as Grape lists them.
    expect(await post({ email: 'not-an-email', password: 'password-1', username: ['gl-words'], name: true, projects_limit: 'many' })).toMatchObject({
      status: 400,
      body: { message: { email: ['is invalid'], username: ['is invalid'], name: ['is invalid'], projects_limit: ['is invalid'] } },
    });
    expect(await call('POST', '/user/keys', tok.alice, { title: 'x' })).toMatchObject({ status: 400, body: { message: { key: ['is missing'] } } });
    // Nothing was created by those.
    expect((await call('GET', '/users?username=gl-words', tok.admin)).body).toEqual([]);
  });

  it('answers every kind of bad input with a 4xx and {"message": …}', async () => {
    const big = 'a'.repeat(10_000);
    const cases: [string, string, string | undefined, unknown, Record<string, string>?][] = [
      ['GET', '/users/abc', tok.alice, undefined],
      ['GET', '/users/-1', tok.alice, undefined],
      ['GET', '/users/0', tok.alice, undefined],
      ['GET', '/users/99999999999', tok.alice, undefined],
      ['GET', '/users/..%2F..%2Fetc%2Fpasswd', tok.alice, undefined],
      ['GET', "/users/1'%20OR%20'1'%3D'1", tok.alice, undefined],
      ['GET', '/users/%00', tok.alice, undefined],
      ['GET', `/users/${big}`, tok.alice, undefined],
      ['GET', '/users?page=0', tok.alice, undefined],
      ['GET', '/users?page=abc', tok.alice, undefined],
      ['GET', '/users?per_page=-1', tok.alice, undefined],
      ['GET', `/users?search=${big}`, tok.alice, undefined],
      ['GET', "/users?username=1'%20OR%20'1'%3D'1&page=99999999", tok.alice, undefined],
      ['GET', '/user/keys/..%2F..%2Fetc%2Fpasswd', tok.alice, undefined],
      ['GET', '/user/keys/999999', tok.alice, undefined],
      ['GET', '/user/emails/%00', tok.alice, undefined],
      ['GET', '/user/emails/2147483648', tok.alice, undefined],
      ['GET', `/users/${ids.alice}/keys`, 'igw_not-a-real-token', undefined],
      ['POST', '/users', tok.admin, '{"email": '],
      ['POST', '/users', tok.admin, '[{"email":"a@b.c"}]'],
      ['POST', '/users', tok.admin, { email: 42, password: 'x', username: 'y', name: 'z' }],
      ['POST', '/users', tok.admin, { email: 'e@example.com', password: 'password-1', username: "1' OR '1'='1", name: 'z' }],
      ['POST', '/users', tok.admin, { email: 'e@example.com', password: 'password-1', username: 'u-big', name: big }],
      ['POST', '/users', tok.admin, { email: 'e@example.com', password: 'password-1', username: 'u-big', name: 'n', projects_limit: 'many' }],
      ['POST', '/users', tok.admin, { email: 'e@example.com', password: 'password-1', username: 'u\u0000x', name: 'n' }],
      ['POST', '/users', tok.admin, { email: 'ok@example.com', password: 'password-1', username: 'ok', name: 'n' }, { 'content-type': 'text/xml' }],
      ['PUT', `/users/${ids.bob}`, tok.admin, { bio: big }],
      ['PUT', `/users/${ids.bob}`, tok.admin, '[]'],
      ['PUT', `/users/${ids.bob}`, tok.admin, { admin: 'yes please' }],
      ['PUT', '/users/..%2F..%2Fetc%2Fpasswd', tok.admin, { name: 'x' }],
      ['PUT', '/users/%00/block', tok.admin, undefined],
      ['POST', '/user/keys', tok.alice, '{"title": "x", '],
      ['POST', '/user/keys', tok.alice, '[]'],
      ['POST', '/user/keys', tok.alice, { title: { a: 1 }, key: ED25519 }],
      ['POST', '/user/keys', tok.alice, { title: 'x' }],
      ['POST', '/user/keys', tok.alice, { title: big, key: ED25519 }],
      ['POST', '/user/keys', tok.alice, { title: 'x', key: `ssh-ed25519 ${big}` }],
      ['POST', '/user/keys', tok.alice, { title: 'x', key: "1' OR '1'='1" }],
      ['POST', '/users/999999/keys', tok.admin, { title: 'x', key: ED25519 }],
      ['POST', '/user/emails', tok.alice, { email: `${big}@example.com` }],
      ['POST', '/user/emails', tok.alice, { email: ['a@example.com', 'b@example.com'] }],
      ['POST', '/user/emails', tok.alice, '{"email": "\u0000"}'],
      ['DELETE', '/users/..%2F..%2Fetc%2Fpasswd/keys/1', tok.admin, undefined],
      ['DELETE', `/users/${ids.alice}/emails/%00`, tok.admin, undefined],
      ['DELETE', `/users/${ids.alice}/keys/${big}`, tok.admin, undefined],
      // Routes without path parameters: bad credentials.
      ['GET', '/user', 'igw_not-a-real-token', undefined],
      ['GET', `/user?private_token=${big}`, undefined, undefined],
      ['GET', '/user/keys', undefined, undefined],
      ['GET', "/user/emails?private_token=1'%20OR%20'1'%3D'1", undefined, undefined],
      ['GET', '/user/emails', tok.alice, undefined, { 'private-token': tok.bob }],
      ['GET', '/users/abc/emails', tok.admin, undefined],
      ['GET', '/users/999999/emails', tok.admin, undefined],
      ['POST', '/users/..%2F..%2Fetc%2Fpasswd/emails', tok.admin, { email: 'x@example.com' }],
      ['POST', `/users/${ids.bob}/emails`, tok.admin, { email: "1' OR '1'='1" }],
      ['POST', `/users/${ids.bob}/emails`, tok.alice, { email: 'not-mine@example.com' }],
      ['DELETE', '/user/keys/%00', tok.alice, undefined],
      // (An unknown integer id is no bad input for DELETE: deletes are idempotent, 200.)
      ['DELETE', '/user/keys/-1', tok.alice, undefined],
      ['DELETE', '/user/emails/abc', tok.alice, undefined],
      ['DELETE', '/users/1e3', tok.admin, undefined],
      ['DELETE', `/users/${big}`, tok.admin, undefined],
      ['DELETE', `/users/${ids.bob}`, tok.alice, undefined],
      ['PUT', '/users/999999/unblock', tok.admin, undefined],
      ['PUT', `/users/${ids.bob}/unblock`, tok.alice, undefined],
      ['POST', "/users/1'%20OR%20'1'%3D'1/block", tok.admin, undefined],
      ['POST', '/users/999999/unblock', tok.admin, undefined],
      // Wrong JSON types are refused, never coerced (an array once became a username).
      ['POST', '/users', tok.admin, { email: 'e2@example.com', password: 'password-1', username: ['gl-arr'], name: 'n' }],
      ['POST', '/users', tok.admin, { email: 'e2@example.com', password: 'password-1', username: 'gl-bool', name: true }],
      ['PUT', `/users/${ids.bob}`, tok.admin, { projects_limit: [1] }],
      ['PUT', `/users/${ids.bob}`, tok.admin, { admin: null }],
      ['PUT', `/users/${ids.bob}`, tok.admin, '{"bio": "a\\ud800"}'],
      // No credential: 401 before anything is read (DELETE once answered 200 {}).
      ['PUT', `/users/${ids.bob}`, undefined, { name: 'x' }],
      ['PUT', `/users/${ids.bob}/block`, undefined, undefined],
      ['POST', `/users/${ids.bob}/keys`, undefined, { title: 'x', key: ED25519 }],
      ['DELETE', `/users/${ids.bob}/keys/1`, undefined, undefined],
      ['DELETE', `/users/${ids.bob}/emails/1`, undefined, undefined],
      ['DELETE', '/users/999999', undefined, undefined],
    ];
    for (const [method, url, token, body, headers] of cases) {
      const r = await call(method, url, token, body, headers);
      const label = `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 60)}`;
      if (token === undefined && !url.includes('private_token')) expect(r, label).toMatchObject({ status: 401, body: { message: '401 Unauthorized' } });
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('message');
      expect(JSON.stringify(r.body), label).not.toMatch(/stack|sql|select /i);
    }
    // Every route of the v4 table (v3's is the same without two) got bad input.
    expect(uncoveredRoutes(gitlab.routes, cases)).toEqual([]);
    // None of it changed bob.
    expect((await call('GET', `/users/${ids.bob}`, tok.admin)).body).toMatchObject({ username: 'gl-bob', state: 'active' });
  });

  it('works with the real client, @gitbeaker/rest', async () => {
    await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.gw.app.server.address() as { port: number };
    const api = new Gitlab({ host: `http://127.0.0.1:${address.port}`, token: ADMIN.token });

    const me = await api.Users.showCurrentUser();
    expect(me.username).toBe('admin');
    // Every page, followed through X-Next-Page.
    const everyone = await api.Users.all({ perPage: 2 });
    expect(everyone.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'gl-alice', 'gl-bob', 'gl-carol']));
    const searched = await api.Users.all({ search: 'gl-bob' });
    expect(searched.map((u) => u.username)).toEqual(['gl-bob']);

    const created = await api.Users.create({ email: 'gb-erin@example.com', password: 'erin-password-1', username: 'gb-erin', name: 'Erin' });
    expect(created).toMatchObject({ username: 'gb-erin', name: 'Erin', email: 'gb-erin@example.com' });
    const id = created.id as number;
    expect((await api.Users.show(id)).username).toBe('gb-erin');
    expect((await api.Users.edit(id, { name: 'Erin E', bio: 'from gitbeaker' })).name).toBe('Erin E');
    await api.Users.block(id);
    expect((await api.Users.show(id)).state).toBe('blocked');
    await api.Users.unblock(id);
    expect((await api.Users.show(id)).state).toBe('active');

    const key = await api.UserSSHKeys.create('gb-key', sshKey(), { userId: id });
    expect(key).toMatchObject({ title: 'gb-key', id: expect.any(Number) });
    expect((await api.UserSSHKeys.all({ userId: id })).map((k) => k.id)).toEqual([key.id]);
    await api.UserSSHKeys.remove(key.id as number, { userId: id });
    expect(await api.UserSSHKeys.all({ userId: id })).toEqual([]);
    const mine = await api.UserSSHKeys.create('admin-gb-key', sshKey());
    expect((await api.UserSSHKeys.show(mine.id as number)).title).toBe('admin-gb-key');
    await api.UserSSHKeys.remove(mine.id as number);

    const email = await api.UserEmails.create('gb-erin-2@example.com', { userId: id });
    expect(email).toMatchObject({ email: 'gb-erin-2@example.com' });
    expect((await api.UserEmails.all({ userId: id })).map((e) => e.email)).toEqual(['gb-erin@example.com', 'gb-erin-2@example.com']);
    await api.UserEmails.remove(email.id as number, { userId: id });
    expect(await api.UserEmails.all({ userId: id })).toHaveLength(1);

    await api.Users.remove(id);
    await expect(api.Users.show(id)).rejects.toThrow();
  });

  it('serves valid OpenAPI 3.1 documents for v4 and v3', async () => {
    for (const [name, count] of [['gitlab', 24], ['gitlab-v3', 22]] as const) {
      const doc = (await t.gw.app.inject({ method: 'GET', url: `/openapi/${name}.json` })).json();
      expect(doc.openapi).toBe('3.1.0');
      const ops = Object.values(doc.paths as Record<string, object>).reduce((n: number, p) => n + Object.keys(p).length, 0);
      expect(ops, name).toBe(count);
      const result = await new Validator().validate(doc);
      expect(result.errors ?? []).toEqual([]);
    }
  });
});
