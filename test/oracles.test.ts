// Answers that must not say more than the caller may already see: the sign-in hint (GraphQL
// loginHint, accounts POST /accounts/login_url/), user search by email (users(filter:{search}),
// GitLab ?search=), one user of the accounts dialect, links built from the Host header, and
// database errors in the logs.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/core/logger.js';
import { insertContact, type UserRow } from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, LogCapture, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';

const HINT = `query($e: String!) { loginHint(email: $e) { params manualEntry } }`;
const SEARCH = `query($q: String!) { users(filter: { search: $q }) { nodes { username } } }`;
const CREATE_PAT = `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { code } } }`;

describe.each(DRIVERS)('no oracles on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  const tok: Record<string, string> = {};
  let bob: UserRow;
  let carol: UserRow;
  let acme: { id: string };
  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    const alice = await s.user('or-alice');
    bob = await s.user('or-bob');
    carol = await s.user('or-carol');
    const dave = await s.user('or-dave');
    acme = await s.org('or-acme', { owner: bob });
    await s.member(acme as never, alice, 'member');
    await s.org('or-globex', { owner: carol });
    // Bob's secondary addresses: one unvalidated (private to him), one validated.
    await insertContact(t.db.db, { userId: bob.id, type: 'email', value: 'bob-unverified@example.com' });
    await insertContact(t.db.db, { userId: bob.id, type: 'email', value: 'bob-verified@example.com', validatedAt: new Date() });
    for (const [k, u] of Object.entries({ alice, bob, carol, dave })) tok[k] = await s.tokenFor(u);
    tok.bobRead = (await t.gql(CREATE_PAT, { i: { username: 'or-bob', name: 'ro', scopes: ['READ_API'] } }, { token: tok.bob })).body.data.createPersonalAccessToken.token;
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
  };
  const hint = async (email: string, token: string) => (await t.gql(HINT, { e: email }, { token })).body.data.loginHint;

  describe('sign-in hint', () => {
    it('tells another signed-in caller nothing about who holds an address: the bare hint, as for an unknown one', async () => {
      const bare = { params: new URLSearchParams({ login_hint: 'or-bob@example.com' }).toString(), manualEntry: false };
      expect(await hint('or-bob@example.com', tok.carol)).toEqual(bare);
      // A member of the same organization cannot see Bob's emails either.
      expect(await hint('or-bob@example.com', tok.alice)).toEqual(bare);
      expect(await hint('nobody@example.com', tok.carol)).toEqual({ params: 'login_hint=nobody%40example.com', manualEntry: false });
    });

    it('answers the organization to the holder and to instance admins', async () => {
      const full = { params: new URLSearchParams({ login_hint: 'or-bob@example.com', organization: 'or-acme' }).toString(), manualEntry: false };
      expect(await hint('or-bob@example.com', tok.bob)).toEqual(full);
      expect(await hint('or-bob@example.com', tok.bobRead)).toEqual(full);
      expect(await hint('or-bob@example.com', ADMIN.token)).toEqual(full);
    });

    it('says manual entry only to instance admins', async () => {
      // Dave once held Carol's address (a disabled contact): two accounts hold it.
      const dave = (await t.gql(`{ user(username: "or-dave") { id } }`, {}, { token: tok.dave })).body.data.user;
      expect(dave).toBeTruthy();
      await t.db.db.execute(sql`insert into contacts (id, user_id, type, value, state) select gen_random_uuid(), id, 'email', 'or-carol@example.com', 'disabled' from users where username = 'or-dave'`);
      expect((await hint('or-carol@example.com', ADMIN.token)).manualEntry).toBe(true);
      expect(await hint('or-carol@example.com', tok.alice)).toEqual({ params: 'login_hint=or-carol%40example.com', manualEntry: false });
      // Carol sees only her own account in it, and her organization.
      expect(await hint('or-carol@example.com', tok.carol)).toEqual({ params: 'login_hint=or-carol%40example.com&organization=or-globex', manualEntry: false });
    });

    it('answers the same on POST /accounts/login_url/', async () => {
      expect(await call('POST', '/accounts/login_url/', tok.carol, { email: 'or-bob@example.com' })).toMatchObject({ status: 200, body: { params: 'login_hint=or-bob%40example.com' } });
      expect(await call('POST', '/accounts/login_url/', tok.bob, { email: 'or-bob@example.com' })).toMatchObject({ status: 200, body: { params: 'login_hint=or-bob%40example.com&organization=or-acme' } });
    });
  });

  describe('user search by email', () => {
    const found = async (q: string, token: string) => (await t.gql(SEARCH, { q }, { token })).body.data.users.nodes.map((n: { username: string }) => n.username);

    it('matches another user only by a primary or validated address', async () => {
      expect(await found('or-bob@example.com', tok.carol)).toEqual(['or-bob']);
      expect(await found('bob-verified@example.com', tok.carol)).toEqual(['or-bob']);
      expect(await found('bob-unverified@example.com', tok.carol)).toEqual([]);
      expect(await found('BOB-UNVERIFIED@example.com', tok.alice)).toEqual([]);
    });

    it('matches any address for the user themselves and for instance admins', async () => {
      expect(await found('bob-unverified@example.com', tok.bob)).toEqual(['or-bob']);
      expect(await found('bob-unverified@example.com', ADMIN.token)).toEqual(['or-bob']);
      expect(await found('bob-unverified', ADMIN.token)).toEqual(['or-bob']);
    });

    it('answers the same on GitLab GET /api/v4/users?search=', async () => {
      const gl = async (q: string, token: string) => ((await call('GET', `/api/v4/users?search=${encodeURIComponent(q)}`, token)).body as { username: string }[]).map((u) => u.username);
      expect(await gl('bob-unverified@example.com', tok.carol)).toEqual([]);
      expect(await gl('bob-verified@example.com', tok.carol)).toEqual(['or-bob']);
      expect(await gl('bob-unverified@example.com', ADMIN.token)).toEqual(['or-bob']);
    });
  });

  describe('accounts dialect: one user', () => {
    it('shows a user only to callers who share an organization with them (instance admins: any); 404 otherwise', async () => {
      const url = `/accounts/users/${bob.id}/`;
      expect(await call('GET', url, tok.carol)).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
      expect(await call('GET', url, tok.dave)).toMatchObject({ status: 404 });
      expect(await call('GET', url, tok.alice)).toMatchObject({ status: 200, body: { uuid: bob.id, email: null } });
      expect(await call('GET', url, tok.bob)).toMatchObject({ status: 200, body: { uuid: bob.id, email: 'or-bob@example.com' } });
      expect(await call('GET', url, ADMIN.token)).toMatchObject({ status: 200, body: { uuid: bob.id } });
      expect(await call('GET', `/accounts/users/${carol.id}/`, tok.carol)).toMatchObject({ status: 200 });
    });
  });

  describe('links', () => {
    it('never come from the Host header', async () => {
      const me = await call('GET', '/api/v4/user', tok.bob, undefined, { host: 'evil.example' });
      expect(me.status).toBe(200);
      expect(me.body.web_url).toMatch(/^http:\/\/localhost:\d+\/u\/or-bob$/);
      const list = await call('GET', '/api/v4/users?per_page=1', tok.bob, undefined, { host: 'evil.example', 'x-forwarded-host': 'evil.example' });
      expect(String(list.headers.link)).toContain('rel="next"');
      expect(String(list.headers.link)).not.toContain('evil.example');
      const drf = await call('GET', `/accounts/users/?organization=${acme.id}&page_size=1`, tok.bob, undefined, { host: 'evil.example' });
      expect(drf.status).toBe(200);
      expect(drf.body.next).toMatch(/^http:\/\/localhost:\d+\/accounts\/users\/\?/);
    });
  });

  describe('logs', () => {
    it('hold no statement parameters of a failed statement, on this driver', async () => {
      const capture = new LogCapture();
      const logger = createLogger('info', capture);
      const secret = 'f'.repeat(40) + 'secret-token-hash';
      let caught: unknown;
      try {
        // A unique violation on the token hash: the parameters and PostgreSQL's detail hold it.
        await t.db.db.execute(sql`insert into users (id, username) values (gen_random_uuid(), ${secret}), (gen_random_uuid(), ${secret})`);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeTruthy();
      logger.error({ err: caught }, 'unexpected error');
      expect(capture.text).toContain('insert into users');
      expect(capture.text).toContain('23505');
      expect(capture.text).not.toContain('secret-token-hash');
    });
  });
});

describe('links behind a proxy', () => {
  let t: TestGateway;
  afterAll(() => t?.close());

  it('come from PUBLIC_URL when set, and from X-Forwarded-Host/Proto only when TRUST_PROXY says so', async () => {
    t = await startTestGateway('pglite', { env: { PUBLIC_URL: 'https://id.example.com/' } });
    const get = (gw: TestGateway, headers: Record<string, string>) => gw.gw.app.inject({ method: 'GET', url: '/api/v4/user', headers: { authorization: `Bearer ${ADMIN.token}`, ...headers } });
    expect((await get(t, { host: 'evil.example', 'x-forwarded-host': 'evil.example' })).json().web_url).toBe('https://id.example.com/u/admin');
    await t.close();
    t = await startTestGateway('pglite', { env: { TRUST_PROXY: 'true' } });
    expect((await get(t, { host: 'internal:8080', 'x-forwarded-host': 'id.example.org', 'x-forwarded-proto': 'https' })).json().web_url).toBe('https://id.example.org/u/admin');
  });
});
