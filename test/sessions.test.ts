// Sessions can be ended: logout (this token, or every token of the user), a password change, an
// admin reset, disabling and blocking void earlier access tokens at their next request; losing
// a role revokes the personal API tokens bound inside that organization.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalAccessTokens } from '../schema/auth.js';
import { eventLogs } from '../schema/logs.js';
import { revokedAccessTokens } from '../schema/sessions.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';

const VIEWER = `{ viewer { username } }`;
const LOGOUT = `mutation($i: LogoutInput) { logout(input: $i) { loggedOut userErrors { code message } } }`;
const CHANGE = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { accessToken expiresAt user { username } userErrors { code field message } } }`;
const UPDATE = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { username } userErrors { code field message } } }`;
const BLOCK = `mutation($id: ID!) { blockUser(input: { id: $id }) { user { state } userErrors { code } } }`;
const UNBLOCK = `mutation($id: ID!) { unblockUser(input: { id: $id }) { user { state } userErrors { code } } }`;
const REMOVE_MEMBER = `mutation($o: ID!, $u: ID!) { removeMember(input: { organizationId: $o, userId: $u }) { userErrors { code } } }`;
const CHANGE_ROLE = `mutation($o: ID!, $u: ID!, $r: MembershipRole!) { changeMemberRole(input: { organizationId: $o, userId: $u, role: $r }) { userErrors { code } } }`;
const CREATE_PAT = `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { code } } }`;

describe.each(DRIVERS)('sessions on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  let admin: string;
  beforeAll(async () => {
    // The token cache on, as in production: revocations must not wait for it.
    t = await startTestGateway(driver, { env: { TOKEN_CACHE_TTL_MS: '5000' } });
    s = seed(t);
    admin = await t.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => t.close());

  const viewerStatus = async (token: string) => {
    const r = await t.gql(VIEWER, {}, { token });
    return r.status === 200 ? r.body.data.viewer.username : `${r.status} ${r.body.errors?.[0]?.extensions?.code}`;
  };

  it('logout ends the access token in use, and only that one', async () => {
    const u = await s.user('lara');
    const [a, b] = [await s.tokenFor(u), await s.tokenFor(u)];
    const r = await t.gql(LOGOUT, {}, { token: a });
    expect(r.body.data.logout).toEqual({ loggedOut: true, userErrors: [] });
    expect(await viewerStatus(a)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(b)).toBe('lara');
    expect(await viewerStatus(await s.tokenFor(u))).toBe('lara');
    const rows = await t.db.db.select().from(revokedAccessTokens).where(eq(revokedAccessTokens.userId, u.id));
    expect(rows).toHaveLength(1);
    const events = await t.db.db.select().from(eventLogs).where(eq(eventLogs.action, 'session.logout'));
    expect(events.some((e) => e.user2Id === u.id)).toBe(true);
  });

  it('logout everywhere ends every access token of the user', async () => {
    const u = await s.user('lena');
    const [a, b] = [await s.tokenFor(u), await s.tokenFor(u)];
    expect((await t.gql(LOGOUT, { i: { everywhere: true } }, { token: a })).body.data.logout.loggedOut).toBe(true);
    expect(await viewerStatus(a)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(b)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(await s.tokenFor(u))).toBe('lena');
  });

  it('logout with a personal API token is refused (revoke the token instead), and anonymous logout is 401', async () => {
    const u = await s.user('liam');
    const jwt = await s.tokenFor(u);
    const pat = (await t.gql(CREATE_PAT, { i: { username: 'liam', name: 'ci', scopes: ['API'] } }, { token: jwt })).body.data.createPersonalAccessToken.token;
    const r = await t.gql(LOGOUT, {}, { token: pat });
    expect(r.body.data.logout.userErrors[0].code).toBe('PRECONDITION_FAILED');
    expect(await viewerStatus(pat)).toBe('liam');
    const anon = await t.gql(LOGOUT, {});
    expect(anon.body.errors?.[0]?.extensions?.code ?? anon.body.data?.logout?.userErrors?.[0]?.code).toBe('UNAUTHENTICATED');
  });

  it('a password change voids earlier access tokens and answers a new one; a wrong current password changes nothing', async () => {
    const u = await s.user('mona');
    const [a, b] = [await s.tokenFor(u), await s.tokenFor(u)];
    const wrong = await t.gql(CHANGE, { i: { currentPassword: 'nope', newPassword: 'correct horse battery' } }, { token: a });
    expect(wrong.body.data.changePassword).toMatchObject({ accessToken: null, userErrors: [{ code: 'INVALID_CREDENTIALS', field: 'currentPassword' }] });
    expect(await viewerStatus(a)).toBe('mona');

    const ok = await t.gql(CHANGE, { i: { currentPassword: 'mona-password', newPassword: 'correct horse battery' } }, { token: a });
    expect(ok.body.data.changePassword.userErrors).toEqual([]);
    expect(ok.body.data.changePassword.user.username).toBe('mona');
    expect(await viewerStatus(a)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(b)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(ok.body.data.changePassword.accessToken)).toBe('mona');
    expect(await viewerStatus(await t.login('mona', 'correct horse battery'))).toBe('mona');
    await expect(t.login('mona', 'mona-password')).rejects.toThrow(/login failed/);
  });

  it('holds at most MAX_LOGINS_PER_REQUEST password checks per operation, changePassword included', async () => {
    const u = await s.user('mats');
    const tok = await s.tokenFor(u);
    const two = `mutation { a: changePassword(input: { currentPassword: "x", newPassword: "violet tractor dawn" }) { userErrors { code } }
      b: changePassword(input: { currentPassword: "y", newPassword: "violet tractor dawn" }) { userErrors { code } } }`;
    const r = await t.gql(two, {}, { token: tok });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const mixed = `mutation { login(input: { login: "mats", password: "x" }) { userErrors { code } } changePassword(input: { currentPassword: "y", newPassword: "violet tractor dawn" }) { userErrors { code } } }`;
    expect((await t.gql(mixed, {}, { token: tok })).status).toBe(400);
    expect(await viewerStatus(tok)).toBe('mats');
  });

  it('an admin password reset voids the user\'s earlier access tokens', async () => {
    const u = await s.user('nina');
    const old = await s.tokenFor(u);
    const r = await t.gql(UPDATE, { i: { id: s.gid('User', u), password: 'a brand new secret' } }, { token: admin });
    expect(r.body.data.updateUser.userErrors).toEqual([]);
    expect(await viewerStatus(old)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(await t.login('nina', 'a brand new secret'))).toBe('nina');
  });

  it('a profile change does not end sessions', async () => {
    const u = await s.user('olga');
    const tok = await s.tokenFor(u);
    await t.gql(UPDATE, { i: { id: s.gid('User', u), bio: 'hello' } }, { token: tok });
    expect(await viewerStatus(tok)).toBe('olga');
  });

  it('blocking voids access tokens for good: they stay dead after the unblock; new ones work', async () => {
    const u = await s.user('pia');
    const old = await s.tokenFor(u);
    expect((await t.gql(BLOCK, { id: s.gid('User', u) }, { token: admin })).body.data.blockUser.user.state).toBe('BLOCKED');
    expect(await viewerStatus(old)).toBe('401 UNAUTHENTICATED');
    expect((await t.gql(UNBLOCK, { id: s.gid('User', u) }, { token: admin })).body.data.unblockUser.user.state).toBe('ACTIVE');
    expect(await viewerStatus(old)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(await s.tokenFor(u))).toBe('pia');
  });

  it('disabling an account voids its access tokens', async () => {
    const u = await s.user('quinn');
    const old = await s.tokenFor(u);
    await t.gql(UPDATE, { i: { id: s.gid('User', u), isActive: false } }, { token: admin });
    await t.gql(UPDATE, { i: { id: s.gid('User', u), isActive: true } }, { token: admin });
    expect(await viewerStatus(old)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(await s.tokenFor(u))).toBe('quinn');
  });

  it('losing a role revokes the personal API tokens bound inside that organization, at once (cache included)', async () => {
    const owner = await s.user('rita');
    const sam = await s.user('sam');
    const org = await s.org('roles-org', { owner });
    const sub = await s.org('roles-sub', { parent: org });
    const other = await s.org('roles-other', { owner: sam });
    await s.member(org, sam, 'admin');
    const samJwt = await s.tokenFor(sam);
    const pat = async (orgRow: { id: string } | null) =>
      (await t.gql(CREATE_PAT, { i: { username: 'sam', name: 'bound', scopes: ['API'], ...(orgRow ? { organizationId: s.gid('Organization', orgRow) } : {}) } }, { token: samJwt })).body.data
        .createPersonalAccessToken.token as string;
    const [inOrg, inSub, inOther, unbound] = [await pat(org), await pat(sub), await pat(other), await pat(null)];
    for (const p of [inOrg, inSub, inOther, unbound]) expect(await viewerStatus(p)).toBe('sam'); // cached now
    const ownerJwt = await s.tokenFor(owner);

    // Demotion admin → member: the tokens bound to the organization and its subtree go.
    expect((await t.gql(CHANGE_ROLE, { o: s.gid('Organization', org), u: s.gid('User', sam), r: 'MEMBER' }, { token: ownerJwt })).body.data.changeMemberRole.userErrors).toEqual([]);
    expect(await viewerStatus(inOrg)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(inSub)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(inOther)).toBe('sam');
    expect(await viewerStatus(unbound)).toBe('sam');
    expect(await viewerStatus(samJwt)).toBe('sam');

    // Removal: a token bound there since the demotion goes too; promotion revokes nothing.
    const again = await pat(org);
    await t.gql(CHANGE_ROLE, { o: s.gid('Organization', org), u: s.gid('User', sam), r: 'ADMIN' }, { token: ownerJwt });
    expect(await viewerStatus(again)).toBe('sam');
    expect((await t.gql(REMOVE_MEMBER, { o: s.gid('Organization', org), u: s.gid('User', sam) }, { token: ownerJwt })).body.data.removeMember.userErrors).toEqual([]);
    expect(await viewerStatus(again)).toBe('401 UNAUTHENTICATED');
    expect(await viewerStatus(inOther)).toBe('sam');
    const revoked = await t.db.db.select().from(personalAccessTokens).where(eq(personalAccessTokens.userId, sam.id));
    expect(revoked.filter((r) => r.revokedAt !== null)).toHaveLength(3);
  });
});
