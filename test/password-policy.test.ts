// The password policy (core/auth/password-policy.ts): long enough, not one of the most common
// passwords, not the account's username or email — on sign-up (createUser, GitLab POST /users),
// an admin setting one (updateUser) and a password change; configurable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_POLICY, passwordProblem } from '../src/core/auth/password-policy.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';

const CREATE = `mutation($i: CreateUserInput!) { createUser(input: $i) { user { username } userErrors { code field message } } }`;
const UPDATE = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { username } userErrors { code field message } } }`;
const CHANGE = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { accessToken userErrors { code field message } } }`;

describe('passwordProblem', () => {
  const p = DEFAULT_PASSWORD_POLICY;
  it('refuses the most common passwords, in any case', async () => {
    for (const pw of ['password', '12345678', 'qwertyuiop', 'PassWord', 'iloveyou', 'baseball', '123456789']) {
      expect(await passwordProblem(p, pw), pw).toMatch(/most common/);
    }
  });

  it('refuses the username, the email address and its local part', async () => {
    const owner = { username: 'Margaret', emails: ['maggie.smith@example.com', null] };
    expect(await passwordProblem(p, 'margaret', owner)).toMatch(/username or email/);
    expect(await passwordProblem(p, 'Maggie.Smith', owner)).toMatch(/username or email/);
    expect(await passwordProblem(p, 'maggie.smith@example.com', owner)).toMatch(/username or email/);
    expect(await passwordProblem(p, 'margaret keeps her garden', owner)).toBeNull();
  });

  it('bounds the length, and is configurable', async () => {
    expect(await passwordProblem(p, 'short')).toMatch(/8 to 1024/);
    expect(await passwordProblem(p, 'x'.repeat(1025))).toMatch(/8 to 1024/);
    expect(await passwordProblem(p, 'violet tractor dawn')).toBeNull();
    expect(await passwordProblem({ minLength: 12, refuseCommon: true }, 'tractor-dawn')).toBeNull();
    expect(await passwordProblem({ minLength: 12, refuseCommon: true }, 'tractor-daw')).toMatch(/12 to 1024/);
    expect(await passwordProblem({ minLength: 8, refuseCommon: false }, 'password')).toBeNull();
  });
});

describe.each(DRIVERS)('password policy on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
  });
  afterAll(() => t.close());

  const err = (r: { body: { data?: Record<string, { userErrors: unknown[] }> } }) => Object.values(r.body.data!)[0]!.userErrors[0];

  it('applies to sign-up: createUser and GitLab POST /users', async () => {
    expect(err(await t.gql(CREATE, { i: { username: 'pp-one', password: 'password' } }, { token: ADMIN.token }))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password', message: expect.stringMatching(/most common/) });
    expect(err(await t.gql(CREATE, { i: { username: 'pp-two', email: 'pp.two.local@example.com', password: 'PP.Two.Local' } }, { token: ADMIN.token }))).toMatchObject({ field: 'password', message: expect.stringMatching(/username or email/) });
    expect(err(await t.gql(CREATE, { i: { username: 'pp-three-long', password: 'PP-THREE-LONG' } }, { token: ADMIN.token }))).toMatchObject({ field: 'password', message: expect.stringMatching(/username or email/) });
    expect(err(await t.gql(CREATE, { i: { email: 'pp.derived.name@example.com', password: 'pp.derived.name' } }, { token: ADMIN.token }))).toMatchObject({ field: 'password' });
    const ok = await t.gql(CREATE, { i: { username: 'pp-four', password: 'lantern orbit 42' } }, { token: ADMIN.token });
    expect(ok.body.data.createUser.userErrors).toEqual([]);
    const gl = await t.gw.app.inject({
      method: 'POST',
      url: '/api/v4/users',
      headers: { authorization: `Bearer ${ADMIN.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'pp-gl@example.com', password: '12345678', username: 'pp-gl', name: 'PP' }),
    });
    expect(gl.statusCode).toBe(400);
    expect(gl.body).not.toContain('12345678');
    expect((await t.gql(`{ user(username: "pp-gl") { id } }`, {}, { token: ADMIN.token })).body.data.user).toBeNull();
  });

  it('applies to an admin setting a password', async () => {
    const u = await s.user('pp-five');
    expect(err(await t.gql(UPDATE, { i: { id: s.gid('User', u), password: 'iloveyou' } }, { token: ADMIN.token }))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password' });
    expect(err(await t.gql(UPDATE, { i: { id: s.gid('User', u), password: 'pp-five' } }, { token: ADMIN.token }))).toMatchObject({ field: 'password' });
    // The local part of the email the same call sets counts too.
    expect(err(await t.gql(UPDATE, { i: { id: s.gid('User', u), email: 'new.self@example.com', password: 'new.self' } }, { token: ADMIN.token }))).toMatchObject({ field: 'password' });
    expect((await t.gql(UPDATE, { i: { id: s.gid('User', u), password: 'granite meadow 7' } }, { token: ADMIN.token })).body.data.updateUser.userErrors).toEqual([]);
  });

  it('applies to a password change, which then changes nothing', async () => {
    const u = await s.user('pp-six');
    const tok = await s.tokenFor(u);
    expect(err(await t.gql(CHANGE, { i: { currentPassword: 'pp-six-password', newPassword: 'sunshine' } }, { token: tok }))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'newPassword' });
    expect(err(await t.gql(CHANGE, { i: { currentPassword: 'pp-six-password', newPassword: 'pp-six@example.com' } }, { token: tok }))).toMatchObject({ field: 'newPassword' });
    // Refused before anything changed: the session and the old password still work.
    expect((await t.gql(`{ viewer { username } }`, {}, { token: tok })).body.data.viewer.username).toBe('pp-six');
    expect(await t.login('pp-six', 'pp-six-password')).toBeTruthy();
  });

  it('follows PASSWORD_MIN_LENGTH and PASSWORD_REFUSE_COMMON', async () => {
    const g = await startTestGateway(driver, { env: { PASSWORD_MIN_LENGTH: '14', PASSWORD_REFUSE_COMMON: 'false' } });
    try {
      expect(err(await g.gql(CREATE, { i: { username: 'pp-seven', password: 'thirteen char' } }, { token: ADMIN.token }))).toMatchObject({ field: 'password', message: 'Password must be 14 to 1024 characters' });
      expect((await g.gql(CREATE, { i: { username: 'pp-eight', password: 'qwertyuiopasdfgh' } }, { token: ADMIN.token })).body.data.createUser.userErrors).toEqual([]);
    } finally {
      await g.close();
    }
  });
});
