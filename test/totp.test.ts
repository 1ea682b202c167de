// TOTP as one implementation for the graph: the GraphQL mutations and User.twoFactor, and the
// service calls Itsyouonline's /users/{u}/totp will use (enable from a client's secret with a
// valid code; remove without one, unless it is the last second factor), with real codes computed
// from the secret.
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../src/core/auth/principal.js';
import { createAuthz } from '../src/context.js';
import { createLoaders } from '../src/loaders.js';
import { enableTwoFactorWithSecret, removeTwoFactorOf, twoFactorStatus } from '../src/modules/users/totp.service.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed } from './helpers/seed.js';
import { contacts } from '../schema/users.js';
import type { UserRow } from '../src/modules/users/user.repo.js';

describe.each(DRIVERS)('TOTP on %s', (driver) => {
  let t: TestGateway;
  let ann: UserRow;
  let ben: UserRow;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    ann = await seed(t).user('totp-ann');
    ben = await seed(t).user('totp-ben');
  });
  afterAll(() => t.close());

  const ctxOf = (p: Principal) => ({ db: t.db.db, principal: p, authz: createAuthz(t.db.db, p), loaders: createLoaders(t.db.db), ip: null });
  const as = (u: UserRow): Principal => ({ kind: 'user', userId: u.id, username: u.username, isInstanceAdmin: false, credential: { type: 'access_token', expiresAt: new Date(Date.now() + 60_000) } });

  it('sets up and confirms through the graph; User.twoFactor is private', async () => {
    const token = await t.login(ann.username, 'totp-ann-password');
    const set = await t.gql(`mutation { setUpTwoFactor { secret uri userErrors { code } } }`, {}, { token });
    const secret = set.body.data.setUpTwoFactor.secret as string;
    expect(set.body.data.setUpTwoFactor.uri).toContain(`secret=${secret}`);
    const confirm = await t.gql(`mutation($i: TwoFactorCodeInput!) { confirmTwoFactor(input: $i) { recoveryCodes userErrors { code field } } }`, { i: { otp: authenticator.generate(secret) } }, { token });
    expect(confirm.body.data.confirmTwoFactor.recoveryCodes).toHaveLength(10);
    expect((await t.gql(`{ viewer { twoFactor { enabled pending recoveryCodesLeft } } }`, {}, { token })).body.data.viewer.twoFactor).toEqual({ enabled: true, pending: false, recoveryCodesLeft: 10 });
    const other = await t.login(ben.username, 'totp-ben-password');
    expect((await t.gql(`{ user(username: "totp-ann") { twoFactor { enabled } } }`, {}, { token: other })).body.data.user.twoFactor).toBeNull();
    // Setting up again while enabled is refused.
    expect((await t.gql(`mutation { setUpTwoFactor { secret userErrors { code } } }`, {}, { token })).body.data.setUpTwoFactor).toEqual({ secret: null, userErrors: [{ code: 'PRECONDITION_FAILED' }] });
  });

  it('enables from a client-provided secret with a valid code, and removes without a code (the user only)', async () => {
    const secret = authenticator.generateSecret(20);
    await expect(enableTwoFactorWithSecret(ctxOf(as(ben)), ben.id, secret, '000000' === authenticator.generate(secret) ? '111111' : '000000')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'otp' });
    await expect(enableTwoFactorWithSecret(ctxOf(as(ben)), ben.id, 'not base32!', authenticator.generate(secret))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'secret' });
    await expect(enableTwoFactorWithSecret(ctxOf(as(ann)), ben.id, secret, authenticator.generate(secret))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(enableTwoFactorWithSecret(ctxOf(ANONYMOUS), ben.id, secret, authenticator.generate(secret))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const codes = await enableTwoFactorWithSecret(ctxOf(as(ben)), ben.id, secret, authenticator.generate(secret));
    expect(codes).toHaveLength(10);
    expect(await twoFactorStatus(t.db.db, ben.id)).toEqual({ enabled: true, pending: false, recoveryCodesLeft: 10 });
    // The code that enabled it cannot sign in (replay); sign-in asks for one.
    const login = await t.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { code field } } }`, { i: { login: 'totp-ben', password: 'totp-ben-password', otp: authenticator.generate(secret) } });
    expect(login.body.data.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS', field: 'otp' }]);
    await expect(removeTwoFactorOf(ctxOf(as(ann)), ben.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // TOTP is ben's only second factor until he has a validated phone number (Itsyouonline's 409).
    await expect(removeTwoFactorOf(ctxOf(as(ben)), ben.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await twoFactorStatus(t.db.db, ben.id)).enabled).toBe(true);
    await t.db.db.insert(contacts).values({ userId: ben.id, type: 'phone', label: 'mobile', value: '+32475000111', validatedAt: new Date() });
    await removeTwoFactorOf(ctxOf(as(ben)), ben.id);
    expect(await twoFactorStatus(t.db.db, ben.id)).toEqual({ enabled: false, pending: false, recoveryCodesLeft: 0 });
    await t.login('totp-ben', 'totp-ben-password');
  });
  it('through the graph: newTwoFactorSecret, enableTwoFactorWithSecret and removeTwoFactorOf by username, with userErrors', async () => {
    const cat = await seed(t).user('totp-cat');
    const token = await t.login('totp-cat', 'totp-cat-password');
    const anon = await t.gql(`{ newTwoFactorSecret { secret } }`);
    expect(anon.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const fresh = (await t.gql(`{ newTwoFactorSecret { secret issuer } }`, {}, { token })).body.data.newTwoFactorSecret;
    expect(fresh).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), issuer: 'identity-graph-gateway' });
    expect((await twoFactorStatus(t.db.db, cat.id)).pending).toBe(false);
    const enable = (i: object, tok?: string) =>
      t.gql(`mutation($i: EnableTwoFactorWithSecretInput!) { enableTwoFactorWithSecret(input: $i) { recoveryCodes userErrors { code field } } }`, { i }, tok ? { token: tok } : {});
    const code = authenticator.generate(fresh.secret);
    expect((await enable({ username: 'totp-cat', secret: fresh.secret, otp: code === '000000' ? '111111' : '000000' }, token)).body.data.enableTwoFactorWithSecret).toEqual({ recoveryCodes: null, userErrors: [{ code: 'VALIDATION_FAILED', field: 'otp' }] });
    const other = await t.login(ben.username, 'totp-ben-password');
    // Another user: NOT_FOUND (a top-level error), nothing changes.
    expect((await enable({ username: 'totp-cat', secret: fresh.secret, otp: code }, other)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await twoFactorStatus(t.db.db, cat.id)).enabled).toBe(false);
    expect((await enable({ username: 'totp-cat', secret: fresh.secret, otp: code }, token)).body.data.enableTwoFactorWithSecret.recoveryCodes).toHaveLength(10);
    const remove = (tok: string) => t.gql(`mutation { removeTwoFactorOf(input: { username: "totp-cat" }) { twoFactor { enabled } userErrors { code field } } }`, {}, { token: tok });
    expect((await remove(other)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await remove(token)).body.data.removeTwoFactorOf).toEqual({ twoFactor: null, userErrors: [{ code: 'CONFLICT', field: 'username' }] });
    expect((await twoFactorStatus(t.db.db, cat.id)).enabled).toBe(true);
  });
});
