// Who is calling: sign-in, access tokens, personal API tokens, and what bad credentials get.
import { SignJWT, decodeJwt } from 'jose';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLogs, loginLogs } from '../schema/logs.js';
import { personalAccessTokens } from '../schema/auth.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken expiresAt user { username email isAdmin } userErrors { code field message } } }`;
const CREATE_PAT = `mutation($i: CreatePersonalAccessTokenInput!) {
  createPersonalAccessToken(input: $i) { token personalAccessToken { id name scopes expiresAt lastUsedAt active } userErrors { code field message } }
}`;
const REVOKE_PAT = `mutation($id: ID!) { revokePersonalAccessToken(input: { id: $id }) { personalAccessToken { id active revokedAt } userErrors { code } } }`;
const VIEWER = `{ viewer { username email isAdmin lastSignInAt } }`;

describe.each(DRIVERS)('authentication on %s', (driver) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    await t.createUser({ username: 'alice', password: 'alice-password', email: 'Alice@Example.com' });
    await t.createUser({ username: 'bob', password: 'bob-password', email: 'bob@example.com' });
    await t.createUser({ username: 'mallory', password: 'mallory-password', state: 'blocked' });
  });
  afterAll(() => t.close());

  describe('login', () => {
    it('signs in by username and by email (any case), returning a verifiable EdDSA JWT', async () => {
      const byName = await t.gql(LOGIN, { i: { login: 'alice', password: 'alice-password' } });
      expect(byName.status).toBe(200);
      const p = byName.body.data.login;
      expect(p.userErrors).toEqual([]);
      expect(p.user).toMatchObject({ username: 'alice', email: 'Alice@Example.com', isAdmin: false });
      expect(new Date(p.expiresAt).getTime()).toBeGreaterThan(Date.now());
      const claims = decodeJwt(p.accessToken);
      expect(claims.exp! * 1000).toBe(new Date(p.expiresAt).getTime());

      const byEmail = await t.gql(LOGIN, { i: { login: 'alice@example.COM', password: 'alice-password' } });
      expect(byEmail.body.data.login.user.username).toBe('alice');
      const viewer = await t.gql(VIEWER, {}, { token: byEmail.body.data.login.accessToken });
      expect(viewer.body.data.viewer).toMatchObject({ username: 'alice', email: 'Alice@Example.com', isAdmin: false });
      expect(viewer.body.data.viewer.lastSignInAt).not.toBeNull();
    });

    it('refuses a wrong password or unknown user with INVALID_CREDENTIALS, the same for both', async () => {
      const wrong = await t.gql(LOGIN, { i: { login: 'alice', password: 'nope' } });
      const unknown = await t.gql(LOGIN, { i: { login: 'nobody', password: 'nope' } });
      for (const r of [wrong, unknown]) {
        expect(r.status).toBe(200);
        expect(r.body.data.login).toMatchObject({ accessToken: null, user: null, userErrors: [{ code: 'INVALID_CREDENTIALS', message: 'Invalid login or password' }] });
      }
    });

    it('refuses blocked accounts even with the right password', async () => {
      const r = await t.gql(LOGIN, { i: { login: 'mallory', password: 'mallory-password' } });
      expect(r.body.data.login.userErrors[0].code).toBe('ACCOUNT_BLOCKED');
      expect(r.body.data.login.accessToken).toBeNull();
    });

    it('validates input lengths', async () => {
      const r = await t.gql(LOGIN, { i: { login: '', password: 'x' } });
      expect(r.body.data.login.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'login' });
      const long = await t.gql(LOGIN, { i: { login: 'alice', password: 'x'.repeat(5000) } });
      expect(long.body.data.login.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password' });
    });

    it('writes a login-log row for every attempt, with ip and user agent', async () => {
      const before = await t.db.db.select().from(loginLogs);
      await t.gql(LOGIN, { i: { login: 'bob', password: 'bob-password' } }, { headers: { 'user-agent': 'test-agent/1.0' } });
      await t.gql(LOGIN, { i: { login: 'bob', password: 'bad' } }, { headers: { 'user-agent': 'test-agent/1.0' } });
      await t.gql(LOGIN, { i: { login: 'ghost', password: 'bad' } });
      const rows = (await t.db.db.select().from(loginLogs)).filter((r) => !before.some((b) => b.id === r.id));
      expect(rows).toHaveLength(3);
      const [ok, bad, ghost] = rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
      expect(ok).toMatchObject({ success: true, userAgent: 'test-agent/1.0', failureReason: null });
      expect(ok!.ip).toBeTruthy();
      expect(bad).toMatchObject({ success: false, userId: ok!.userId, failureReason: 'invalid_credentials' });
      expect(ghost).toMatchObject({ success: false, userId: null });
    });
  });

  describe('access tokens', () => {
    it('viewer is null when anonymous', async () => {
      const r = await t.gql(VIEWER);
      expect(r.body).toMatchObject({ data: { viewer: null } });
      expect(Object.keys(r.body)).toEqual(['data', 'extensions']);
    });

    it('rejects tampered, expired, foreign-key and alg:none tokens with 401 UNAUTHENTICATED', async () => {
      const good = await t.login('alice', 'alice-password');
      const [h, p, s] = good.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const tampered = [h, Buffer.from(JSON.stringify({ ...payload, sub: 'someone-else' })).toString('base64url'), s].join('.');
      const none = [Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'), p, ''].join('.');
      const hs256 = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(32)));
      const expired = await signWithGatewayKey(t, { ...payload, exp: Math.floor(Date.now() / 1000) - 10 });
      for (const token of [tampered, none, hs256, expired, 'not-a-token-at-all', 'a.b.c']) {
        const r = await t.gql(VIEWER, {}, { token });
        expect(r.status, token).toBe(401);
        expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect(r.headers['www-authenticate']).toContain('Bearer');
      }
      const expiredAnswer = await t.gql(VIEWER, {}, { token: expired });
      expect(expiredAnswer.body.errors![0]!.message).toBe('Access token expired');
    });

    it('refuses other Authorization schemes instead of ignoring them', async () => {
      const r = await t.gql(VIEWER, {}, { headers: { authorization: 'Basic YWxpY2U6eA==' } });
      expect(r.status).toBe(401);
      expect(r.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('personal API tokens', () => {
    it('lets a user create a token for themselves, shown once and stored only as a hash', async () => {
      const jwt = await t.login('alice', 'alice-password');
      const r = await t.gql(CREATE_PAT, { i: { username: 'alice', name: 'laptop', scopes: ['API'] } }, { token: jwt });
      const p = r.body.data.createPersonalAccessToken;
      expect(p.userErrors).toEqual([]);
      expect(p.token).toMatch(/^igw_[A-Za-z0-9_-]{43}$/);
      expect(p.personalAccessToken).toMatchObject({ name: 'laptop', scopes: ['API'], expiresAt: null, lastUsedAt: null, active: true });

      const stored = await t.db.db.select().from(personalAccessTokens).where(eq(personalAccessTokens.name, 'laptop'));
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(p.token);

      const viewer = await t.gql(`{ viewer { username personalAccessTokens { name lastUsedAt } } }`, {}, { token: p.token });
      expect(viewer.body.data.viewer.username).toBe('alice');
      expect(viewer.body.data.viewer.personalAccessTokens.find((x: { name: string }) => x.name === 'laptop').lastUsedAt).not.toBeNull();

      const events = await t.db.db.select().from(eventLogs).where(eq(eventLogs.action, 'personalAccessToken.create'));
      expect(events.some((e) => e.user2Id === stored[0]!.userId && e.actorUserId === stored[0]!.userId)).toBe(true);
    });

    it('refuses tokens for someone else unless the caller is an instance admin', async () => {
      const jwt = await t.login('alice', 'alice-password');
      const denied = await t.gql(CREATE_PAT, { i: { username: 'bob', name: 'x', scopes: ['API'] } }, { token: jwt });
      expect(denied.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const missing = await t.gql(CREATE_PAT, { i: { username: 'no-such-user', name: 'x', scopes: ['API'] } }, { token: jwt });
      expect(missing.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');

      const admin = await t.gql(CREATE_PAT, { i: { username: 'bob', name: 'for bob', scopes: ['READ_API'] } }, { token: ADMIN.token });
      const bobToken = admin.body.data.createPersonalAccessToken.token;
      expect((await t.gql(`{ viewer { username } }`, {}, { token: bobToken })).body.data.viewer.username).toBe('bob');
      const adminMissing = await t.gql(CREATE_PAT, { i: { username: 'no-such-user', name: 'x', scopes: ['API'] } }, { token: ADMIN.token });
      expect(adminMissing.body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    });

    it('anonymous callers cannot create tokens', async () => {
      const r = await t.gql(CREATE_PAT, { i: { username: 'alice', name: 'x', scopes: ['API'] } });
      expect(r.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('validates name, scopes and expiry as userErrors', async () => {
      const cases = [
        [{ username: 'alice', name: ' ', scopes: ['API'] }, 'name'],
        [{ username: 'alice', name: 'x'.repeat(256), scopes: ['API'] }, 'name'],
        [{ username: 'alice', name: 'ok', scopes: [] }, 'scopes'],
        [{ username: 'alice', name: 'ok', scopes: ['API'], expiresAt: '2000-01-01T00:00:00Z' }, 'expiresAt'],
      ] as const;
      const jwt = await t.login('alice', 'alice-password');
      for (const [input, field] of cases) {
        const r = await t.gql(CREATE_PAT, { i: input }, { token: jwt });
        expect(r.body.data.createPersonalAccessToken.userErrors, field).toEqual([expect.objectContaining({ code: 'VALIDATION_FAILED', field })]);
        expect(r.body.data.createPersonalAccessToken.token).toBeNull();
      }
      const badEnum = await t.gql(CREATE_PAT, { i: { username: 'alice', name: 'x', scopes: ['ROOT'] } }, { token: jwt });
      expect(badEnum.status).toBe(200); // variable coercion failure, answered as application/json
      expect(badEnum.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('read_api tokens may query but not mutate', async () => {
      const jwt = await t.login('alice', 'alice-password');
      const ro = (await t.gql(CREATE_PAT, { i: { username: 'alice', name: 'read only', scopes: ['READ_API'] } }, { token: jwt })).body.data.createPersonalAccessToken.token;
      expect((await t.gql(`{ viewer { username } }`, {}, { token: ro })).body.data.viewer.username).toBe('alice');
      const m = await t.gql(CREATE_PAT, { i: { username: 'alice', name: 'escalate', scopes: ['API'] } }, { token: ro });
      expect(m.status).toBe(403);
      expect(m.body.errors![0]!.extensions!.code).toBe('INSUFFICIENT_SCOPE');
    });

    it('revoked and expired tokens get UNAUTHENTICATED; others cannot revoke your token', async () => {
      const jwt = await t.login('alice', 'alice-password');
      const created = (await t.gql(CREATE_PAT, { i: { username: 'alice', name: 'short', scopes: ['API'] } }, { token: jwt })).body.data.createPersonalAccessToken;
      const bobJwt = await t.login('bob', 'bob-password');
      const foreign = await t.gql(REVOKE_PAT, { id: created.personalAccessToken.id }, { token: bobJwt });
      expect(foreign.body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      expect((await t.gql(VIEWER, {}, { token: created.token })).status).toBe(200);

      const revoked = await t.gql(REVOKE_PAT, { id: created.personalAccessToken.id }, { token: jwt });
      expect(revoked.body.data.revokePersonalAccessToken.personalAccessToken).toMatchObject({ active: false });
      const after = await t.gql(VIEWER, {}, { token: created.token });
      expect(after.status).toBe(401);
      expect(after.body.errors![0]).toMatchObject({ message: 'Token has been revoked', extensions: { code: 'UNAUTHENTICATED' } });
      const again = await t.gql(REVOKE_PAT, { id: created.personalAccessToken.id }, { token: jwt });
      expect(again.body.data.revokePersonalAccessToken.personalAccessToken.revokedAt).toBe(revoked.body.data.revokePersonalAccessToken.personalAccessToken.revokedAt);
      const garbage = await t.gql(REVOKE_PAT, { id: 'not-an-id' }, { token: jwt });
      expect(garbage.body.errors![0]!.extensions!.code).toBe('NOT_FOUND');

      const soon = (await t.gql(CREATE_PAT, { i: { username: 'alice', name: 'soon', scopes: ['API'], expiresAt: new Date(Date.now() + 60_000).toISOString() } }, { token: jwt })).body
        .data.createPersonalAccessToken;
      await t.db.db.update(personalAccessTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(personalAccessTokens.name, 'soon'));
      const expired = await t.gql(VIEWER, {}, { token: soon.token });
      expect(expired.status).toBe(401);
      expect(expired.body.errors![0]!.message).toBe('Token has expired');
    });

    it('tokens of a blocked user stop working', async () => {
      const u = await t.createUser({ username: 'carol', password: 'carol-password' });
      const jwt = await t.login('carol', 'carol-password');
      const pat = (await t.gql(CREATE_PAT, { i: { username: 'carol', name: 'c', scopes: ['API'] } }, { token: jwt })).body.data.createPersonalAccessToken.token;
      const { users } = await import('../schema/users.js');
      await t.db.db.update(users).set({ state: 'blocked' }).where(eq(users.id, u.id));
      expect((await t.gql(VIEWER, {}, { token: jwt })).status).toBe(401);
      expect((await t.gql(VIEWER, {}, { token: pat })).status).toBe(401);
    });

    it('hides private fields of other users', async () => {
      const jwt = await t.login('bob', 'bob-password');
      const alice = (await t.gql(LOGIN, { i: { login: 'alice', password: 'alice-password' } })).body.data.login;
      const aliceId = decodeJwt(alice.accessToken).sub;
      void aliceId;
      const r = await t.gql(`query($id: ID!) { node(id: $id) { ... on User { username email isAdmin lastSignInAt personalAccessTokens { name } } } }`, { id: globalUserId(alice) }, { token: jwt });
      expect(r.body.data.node).toEqual({ username: 'alice', email: null, isAdmin: null, lastSignInAt: null, personalAccessTokens: [] });
      const asAdmin = await t.gql(`query($id: ID!) { node(id: $id) { ... on User { email } } }`, { id: globalUserId(alice) }, { token: ADMIN.token });
      expect(asAdmin.body.data.node.email).toBe('Alice@Example.com');
      const anon = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: globalUserId(alice) });
      expect(anon.body.data.node).toBeNull();
    });
  });
});

describe.each(DRIVERS)('the personal API token cache on %s', (driver) => {
  let t: TestGateway;
  let aliceId: string;
  beforeAll(async () => {
    t = await startTestGateway(driver, { env: { TOKEN_CACHE_TTL_MS: '1000' } });
    const alice = await t.createUser({ username: 'alice', password: 'alice-password', email: 'alice@example.com' });
    aliceId = Buffer.from(`User:${alice.id}`).toString('base64url');
  });
  afterAll(() => t.close());

  const statementsOf = async (token: string) => {
    const before = t.db.statementCount;
    const r = await t.gql(`{ viewer { username } }`, {}, { token });
    return { status: r.status, statements: t.db.statementCount - before };
  };

  it('spares the token lookup on requests within the TTL, and forgets it after', async () => {
    await statementsOf(ADMIN.token); // the last-used write, once a minute
    await new Promise((r) => setTimeout(r, 1_100));
    const first = await statementsOf(ADMIN.token);
    const second = await statementsOf(ADMIN.token);
    expect(second.statements).toBe(first.statements - 1);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await statementsOf(ADMIN.token)).statements).toBe(first.statements);
  });

  it('a revoked token stops working at once, and so do tokens of a user blocked through GraphQL', async () => {
    const jwt = await t.login('alice', 'alice-password');
    const created = (await t.gql(CREATE_PAT, { i: { username: 'alice', name: 'cached', scopes: ['API'] } }, { token: jwt })).body.data.createPersonalAccessToken;
    expect((await statementsOf(created.token)).status).toBe(200);
    await t.gql(REVOKE_PAT, { id: created.personalAccessToken.id }, { token: jwt });
    expect((await statementsOf(created.token)).status).toBe(401);

    const other = (await t.gql(CREATE_PAT, { i: { username: 'alice', name: 'cached-2', scopes: ['API'] } }, { token: jwt })).body.data.createPersonalAccessToken;
    expect((await statementsOf(other.token)).status).toBe(200);
    const blocked = await t.gql(`mutation($id: ID!) { blockUser(input: { id: $id }) { user { state } userErrors { code } } }`, { id: aliceId }, { token: ADMIN.token });
    expect(blocked.body.data.blockUser.user.state).toBe('BLOCKED');
    expect((await statementsOf(other.token)).status).toBe(401);
  });

  it('expiry is checked on every hit', async () => {
    const created = (
      await t.gql(CREATE_PAT, { i: { username: 'admin', name: 'expiring', scopes: ['API'], expiresAt: new Date(Date.now() + 1_500).toISOString() } }, { token: ADMIN.token })
    ).body.data.createPersonalAccessToken;
    expect((await statementsOf(created.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_600));
    expect((await statementsOf(created.token)).status).toBe(401);
  });
});

function globalUserId(login: { accessToken: string }): string {
  return Buffer.from(`User:${decodeJwt(login.accessToken).sub}`).toString('base64url');
}

/** Signs claims with the gateway's own key, to test expiry handling precisely. */
async function signWithGatewayKey(t: TestGateway, claims: Record<string, unknown>): Promise<string> {
  const { signingKeys } = await import('../schema/auth.js');
  const [row] = await t.db.db.select().from(signingKeys);
  const { createPrivateKey } = await import('node:crypto');
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(createPrivateKey(row!.privateKeyPem));
}
