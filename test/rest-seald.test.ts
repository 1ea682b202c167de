// The seald dialect (Seald Dashboard API v2, part 1) on the REST engine: documented paths,
// statuses and bodies; the three credentials (X-DASHBOARD-API-KEY, Bearer, the session cookie
// with its CSRF header); teams kept apart; a revoked or expired key refused at once; TOTP with
// real codes; recovery codes once; bad input always a DRF-shaped 4xx.
import { authenticator } from 'otplib';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { jwtSharedSecrets, sigchainTransactions } from '../schema/dashboard.js';
import { isSealed } from '../src/core/auth/sealed.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { sealdCall } from './helpers/seald.js';
import { seed } from './helpers/seed.js';
import { seald } from '../src/rest/seald/index.js';
import { messageRoutes } from '../src/rest/seald/messages.routes.js';
import { recoveryRoutes } from '../src/rest/seald/recovery.routes.js';
import { hashToken } from '../src/core/auth/secrets.js';
import { insertToken } from '../src/modules/auth/token.repo.js';
import { insertEventLog } from '../src/modules/logs/log.repo.js';
import { devices } from '../schema/users.js';
import { organizations } from '../schema/organizations.js';
import { eq } from 'drizzle-orm';
import type { OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';

const V2 = '/dashboardapi/v2';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const NOT_FOUND = { detail: 'Not found.' };
const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' };

/** A body each route with one accepts, so that only the missing credential is wrong. */
const VALID_BODIES: Record<string, unknown> = {
  [`${V2}/admin/update_password/`]: { old_password: 'old-password', new_password: 'new-password' },
  [`${V2}/twofa/confirm/`]: { otp: '123456' },
  [`${V2}/twofa/remove/`]: { otp: '123456' },
  [`${V2}/twofa/reset_recover_codes/`]: { otp: '123456' },
  [`${V2}/apitokens/`]: { name: 'n', valid_until: null },
  [`${V2}/jwtsharedsecret/`]: { permissions: [-1] },
  [`${V2}/invitedemails/`]: { email: 'anon@example.com' },
  [`${V2}/invitedemails/disable/`]: { email: 'anon@example.com' },
  [`${V2}/connectors/`]: { type: 'EM', value: 'a@b.test', bearduser_id: UNKNOWN, domainvalidationkey_id: UNKNOWN, force: false },
  [`${V2}/eventlogs/export/`]: { date_min: '2000-01-01T00:00:00Z', date_max: '2001-01-01T00:00:00Z' },
};

/** The TOTP code of `secret` for the step `steps` away from now. */
const codeAt = (secret: string, steps: number) => authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);

describe.each(DRIVERS)('seald dialect on %s', (driver) => {
  let t: TestGateway;
  let teamA: OrganizationRow;
  let teamB: OrganizationRow;
  let adminA: UserRow;
  let memberA: UserRow;
  let adminB: UserRow;
  const key: Record<string, string> = {};

  /** An API key of `user` bound to `org`, created through the graph. */
  const apiKey = (user: UserRow, org: OrganizationRow) => seed(t).apiKey(user, org);

  beforeAll(async () => {
    // With MASTER_KEY: team JWT secrets (and TOTP secrets) are stored sealed, and every flow below still works.
    t = await startTestGateway(driver, { env: { MASTER_KEY: randomBytes(32).toString('hex') } });
    const s = seed(t);
    adminA = await s.user('sld-admin-a');
    memberA = await s.user('sld-member-a');
    adminB = await s.user('sld-admin-b');
    teamA = await s.org('sld-team-a', { owner: adminA, name: 'Team A' });
    teamB = await s.org('sld-team-b', { owner: adminB, name: 'Team B' });
    await s.member(teamA, memberA, 'member');
    key.a = await apiKey(adminA, teamA);
    key.b = await apiKey(adminB, teamB);
    key.member = await apiKey(memberA, teamA);
  });
  afterAll(() => t.close());

  /** The newest outbox message of a template to a recipient (read as the instance admin, through the graph). */
  async function mailTo(recipient: string, template: string) {
    const r = await t.gql(`{ outboxMessages(first: 100) { nodes { template recipient body payload } } }`, {}, { token: await t.login(ADMIN.username, ADMIN.password) });
    return r.body.data.outboxMessages.nodes.find((m: { template: string; recipient: string }) => m.template === template && m.recipient === recipient);
  }

  const call = sealdCall(() => t, { headers: true });

  describe('credentials', () => {
    it('answers anonymous callers 401 on every route but sign-in and the password reset', async () => {
      for (const route of seald.routes) {
        if (route.path.endsWith('/admin/login/') || route.path.endsWith('/admin/forgot_password/')) continue;
        const url = route.path.replace(':id', UNKNOWN) + (/loginlogs|connectors\/$/.test(route.path) ? `?user=${UNKNOWN}` : '');
        const r = await call(route.method, url, undefined, route.body ? VALID_BODIES[route.path] : undefined);
        expect([r.status, r.body], `${route.method} ${route.path}`).toEqual([401, NOT_PROVIDED]);
      }
    });

    it('accepts the API key as X-DASHBOARD-API-KEY and as Bearer; refuses other schemes and unknown keys', async () => {
      expect(await call('GET', `${V2}/admin/status/`, key.a)).toMatchObject({ status: 200, body: { status: 'ok', user: { id: adminA.id }, team: { id: teamA.id, name: 'Team A' } } });
      expect(await call('GET', `${V2}/admin/status/`, undefined, undefined, { authorization: `Bearer ${key.a}` })).toMatchObject({ status: 200, body: { team: { id: teamA.id } } });
      expect((await call('GET', `${V2}/admin/status/`, undefined, undefined, { authorization: `Basic ${key.a}` })).status).toBe(401);
      expect(await call('GET', `${V2}/admin/status/`, 'igw_not-a-key')).toMatchObject({ status: 401, body: { detail: 'Invalid token.' } });
    });

    it('refuses a credential bound to no team (a login access token) with 403', async () => {
      const jwt = await t.login(adminA.username, `${adminA.username}-password`);
      expect(await call('GET', `${V2}/apitokens/`, undefined, undefined, { authorization: `Bearer ${jwt}` })).toMatchObject({ status: 403, body: { detail: expect.any(String) } });
    });

    it('refuses an expired key at once', async () => {
      const plaintext = 'igw_expired-key-for-the-seald-test-0123456789';
      await insertToken(t.db.db, { userId: adminA.id, organizationId: teamA.id, name: 'old', scopes: ['api'], tokenHash: hashToken(plaintext), expiresAt: new Date(Date.now() - 1000) });
      expect((await call('GET', `${V2}/apitokens/`, plaintext)).status).toBe(401);
    });

    it('serves its OpenAPI document with the three credential schemes', async () => {
      const doc = (await t.gw.app.inject({ method: 'GET', url: '/openapi/seald.json' })).json();
      expect(doc.components.securitySchemes).toEqual({
        dashboardApiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-DASHBOARD-API-KEY' }),
        bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
        session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sealddashboard_session' }),
      });
      expect(Object.keys(doc.paths)).toContain('/dashboardapi/v2/users/{id}/full_revoke/');
      // Every operation of the Seald document: part 1 (37) and part 2 (keys and groups 15; messages, keys and recovery 24).
      const ops = Object.values(doc.paths as Record<string, Record<string, unknown>>).reduce((n, methods) => n + Object.keys(methods).filter((m) => m !== 'parameters').length, 0);
      expect(ops).toBe(76);
      const v = new Validator();
      const res = await v.validate(doc);
      expect(res.valid, JSON.stringify(res.errors)?.slice(0, 500)).toBe(true);
    });
  });

  describe('admin/', () => {
    it('signs in with a session cookie (HttpOnly, SameSite=Lax), refuses a state change without the CSRF header, logs out', async () => {
      const bad = await call('POST', `${V2}/admin/login/`, undefined, { email: 'sld-admin-a@example.com', password: 'wrong-password' });
      expect(bad).toMatchObject({ status: 400, body: { non_field_errors: ['Unable to log in with provided credentials.'] } });
      const login = await call('POST', `${V2}/admin/login/`, undefined, { email: 'sld-admin-a@example.com', password: 'sld-admin-a-password' });
      expect(login).toMatchObject({ status: 201, body: { status: 'ok' } });
      const setCookie = String(login.headers['set-cookie']);
      expect(setCookie).toMatch(/^sealddashboard_session=igw_[^;]+; Path=\/dashboardapi\/v2\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
      const cookie = setCookie.split(';')[0]!;
      expect(await call('GET', `${V2}/admin/status/`, undefined, undefined, { cookie })).toMatchObject({ status: 200, body: { team: { id: teamA.id } } });
      // A session is no API key of the team.
      expect((await call('GET', `${V2}/apitokens/`, undefined, undefined, { cookie })).body.results.map((k: { name: string }) => k.name)).not.toContain('dashboard session');
      // CSRF: a state change on the cookie alone needs X-Requested-With.
      const csrf = await call('POST', `${V2}/admin/generate_ssks_apikey/`, undefined, undefined, { cookie });
      expect(csrf).toMatchObject({ status: 403, body: { detail: expect.stringMatching(/^CSRF Failed/) } });
      const ssks = await call('POST', `${V2}/admin/generate_ssks_apikey/`, undefined, undefined, { cookie, 'x-requested-with': 'XMLHttpRequest' });
      expect(ssks).toMatchObject({ status: 201, body: { status: 'ok', api_key: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/) } });
      // Logout ends this session only.
      const out = await call('POST', `${V2}/admin/logout/`, undefined, undefined, { cookie, 'x-requested-with': 'XMLHttpRequest' });
      expect(out).toMatchObject({ status: 201, body: { status: 'ok' } });
      expect(String(out.headers['set-cookie'])).toMatch(/^sealddashboard_session=; .*Max-Age=0/);
      expect((await call('GET', `${V2}/admin/status/`, undefined, undefined, { cookie })).status).toBe(401);
      expect((await call('GET', `${V2}/admin/status/`, key.a)).status).toBe(200);
      // Logout with an API key is no session to end.
      expect((await call('POST', `${V2}/admin/logout/`, key.a)).status).toBe(400);
    });

    it('marks the cookie Secure over https (TRUST_PROXY and X-Forwarded-Proto)', async () => {
      const t2 = await startTestGateway(driver, { env: { TRUST_PROXY: 'true' } });
      try {
        const s2 = seed(t2);
        await s2.org('sld-secure', { owner: await s2.user('sld-secure-admin') });
        const res = await t2.gw.app.inject({ method: 'POST', url: `${V2}/admin/login/`, headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, payload: JSON.stringify({ email: 'sld-secure-admin@example.com', password: 'sld-secure-admin-password' }) });
        expect(res.statusCode).toBe(201);
        expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
      } finally {
        await t2.close();
      }
    });

    it('changes the password given the current one', async () => {
      expect(await call('POST', `${V2}/admin/update_password/`, key.member, { old_password: 'nope', new_password: 'a-new-password' })).toMatchObject({ status: 400, body: { old_password: [expect.any(String)] } });
      expect(await call('POST', `${V2}/admin/update_password/`, key.member, { old_password: 'sld-member-a-password', new_password: 'short' })).toMatchObject({ status: 400, body: { new_password: [expect.any(String)] } });
      expect(await call('POST', `${V2}/admin/update_password/`, key.member, { old_password: 'sld-member-a-password', new_password: 'a-new-password' })).toMatchObject({ status: 201, body: { status: 'ok' } });
      await t.login(memberA.username, 'a-new-password');
      expect(await call('POST', `${V2}/admin/update_password/`, key.member, { old_password: 'a-new-password', new_password: 'sld-member-a-password' })).toMatchObject({ status: 201 });
    });

    it('resets a forgotten password in three steps through a mailed challenge; unknown emails answer the same', async () => {
      const unknown = await call('POST', `${V2}/admin/forgot_password/`, undefined, { email: 'nobody-here@example.com' });
      expect(unknown).toMatchObject({ status: 201, body: { status: 'ok' } });
      expect(await call('POST', `${V2}/admin/forgot_password/`, undefined, { email: 'sld-admin-b@example.com' })).toEqual(expect.objectContaining({ status: unknown.status, body: unknown.body }));
      const challenge = /challenge: (\S+)/.exec((await mailTo('sld-admin-b@example.com', 'password_reset')).body)![1]!;
      const session = String((await call('POST', `${V2}/admin/login/`, undefined, { email: 'sld-admin-b@example.com', password: 'sld-admin-b-password' })).headers['set-cookie']).split(';')[0]!;
      expect((await call('GET', `${V2}/admin/status/`, undefined, undefined, { cookie: session })).status).toBe(200);
      expect(await call('POST', `${V2}/admin/forgot_password/`, undefined, { email: 'sld-admin-b@example.com', challenge: 'wrong' })).toMatchObject({ status: 400, body: { challenge: [expect.any(String)] } });
      expect(await call('POST', `${V2}/admin/forgot_password/`, undefined, { email: 'sld-admin-b@example.com', challenge })).toMatchObject({ status: 201 });
      expect(await call('POST', `${V2}/admin/forgot_password/`, undefined, { email: 'sld-admin-b@example.com', challenge, new_password: 'sld-admin-b-password' })).toMatchObject({ status: 201 });
      // Used once; the sessions of the old password ended.
      expect((await call('POST', `${V2}/admin/forgot_password/`, undefined, { email: 'sld-admin-b@example.com', challenge, new_password: 'another-password' })).status).toBe(400);
      expect((await call('GET', `${V2}/admin/status/`, undefined, undefined, { cookie: session })).status).toBe(401);
      expect((await call('GET', `${V2}/admin/status/`, key.b)).status).toBe(200);
      await t.login(adminB.username, 'sld-admin-b-password');
    });
  });

  describe('twofa/', () => {
    it('sets up TOTP, confirms it with a real code, requires `otp` at sign-in, refuses a reused code, and uses recovery codes once', async () => {
      const k = key.b;
      expect(await call('GET', `${V2}/twofa/status/`, k)).toEqual(expect.objectContaining({ status: 200, body: { enabled: false, pending: false, recovery_codes_left: 0 } }));
      const set = await call('POST', `${V2}/twofa/set/`, k);
      expect(set).toMatchObject({ status: 201, body: { status: 'ok', secret: expect.stringMatching(/^[A-Z2-7]{32}$/), uri: expect.stringMatching(/^otpauth:\/\/totp\//) } });
      const secret = set.body.secret as string;
      expect((await call('GET', `${V2}/twofa/status/`, k)).body).toMatchObject({ enabled: false, pending: true });
      expect(await call('POST', `${V2}/twofa/confirm/`, k, { otp: '000000' === codeAt(secret, 0) ? '111111' : '000000' })).toMatchObject({ status: 400, body: { otp: [expect.any(String)] } });
      // The previous step's code (clock drift allowed), so the next two steps stay usable below.
      const confirm = await call('POST', `${V2}/twofa/confirm/`, k, { otp: codeAt(secret, -1) });
      expect(confirm).toMatchObject({ status: 201, body: { status: 'ok', recovery_codes: expect.any(Array) } });
      const recovery = confirm.body.recovery_codes as string[];
      expect(recovery).toHaveLength(10);
      expect((await call('GET', `${V2}/twofa/status/`, k)).body).toEqual({ enabled: true, pending: false, recovery_codes_left: 10 });

      const login = (otp?: string) => call('POST', `${V2}/admin/login/`, undefined, { email: 'sld-admin-b@example.com', password: 'sld-admin-b-password', ...(otp !== undefined ? { otp } : {}) });
      expect(await login()).toMatchObject({ status: 400, body: { otp: [expect.stringMatching(/required/)] } });
      // The confirm's code again: refused (replay).
      expect(await login(codeAt(secret, -1))).toMatchObject({ status: 400, body: { otp: [expect.any(String)] } });
      expect((await login(codeAt(secret, 0))).status).toBe(201);
      expect((await login(codeAt(secret, 0))).status).toBe(400);
      // The GraphQL login asks for it too.
      const gql = await t.gql(`mutation { login(input: { login: "sld-admin-b", password: "sld-admin-b-password" }) { accessToken userErrors { code field } } }`);
      expect(gql.body.data.login).toEqual({ accessToken: null, userErrors: [{ code: 'INVALID_CREDENTIALS', field: 'otp' }] });
      // Recovery codes work once.
      expect((await login(recovery[0])).status).toBe(201);
      expect((await login(recovery[0])).status).toBe(400);
      // New recovery codes need a valid (unused) code; the old ones stop working.
      const reset = await call('POST', `${V2}/twofa/reset_recover_codes/`, k, { otp: codeAt(secret, 1) });
      expect(reset).toMatchObject({ status: 201, body: { recovery_codes: expect.any(Array) } });
      expect((await login(recovery[1])).status).toBe(400);
      // Removal with a recovery code.
      expect(await call('POST', `${V2}/twofa/remove/`, k, { otp: 'not-a-code' })).toMatchObject({ status: 400, body: { otp: [expect.any(String)] } });
      expect(await call('POST', `${V2}/twofa/remove/`, k, { otp: reset.body.recovery_codes[0] })).toMatchObject({ status: 201, body: { status: 'ok' } });
      expect((await call('GET', `${V2}/twofa/status/`, k)).body).toMatchObject({ enabled: false });
      expect((await login()).status).toBe(201);
      // Every attempt is in the login log.
      const logs = await call('GET', `${V2}/loginlogs/?user=${adminB.id}`, k);
      expect(logs.body.results.filter((l: { success: boolean }) => !l.success).length).toBeGreaterThanOrEqual(6);
    });
  });

  describe('apitokens/', () => {
    it('lists, creates (the key once) and deletes the team’s keys; a deleted key stops working at once', async () => {
      const created = await call('POST', `${V2}/apitokens/`, key.a, { name: 'ci', valid_until: null });
      expect(created).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'ci', valid_until: null, created: expect.any(String), api_key: expect.stringMatching(/^igw_/) } });
      const fresh = created.body.api_key as string;
      expect((await call('GET', `${V2}/admin/status/`, fresh)).body.team.id).toBe(teamA.id);
      const list = await call('GET', `${V2}/apitokens/`, key.a);
      expect(list).toMatchObject({ status: 200, body: { count: expect.any(Number), next: null, previous: null } });
      expect(list.body.results[0]).toEqual({ id: created.body.id, name: 'ci', valid_until: null, created: created.body.created });
      expect(list.body.results.map((r: { id: string }) => r.id)).toContain(created.body.id);
      // Team B neither sees nor deletes it.
      expect((await call('GET', `${V2}/apitokens/`, key.b)).body.results.map((r: { id: string }) => r.id)).not.toContain(created.body.id);
      expect(await call('DELETE', `${V2}/apitokens/${created.body.id}/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      // A member of the team is not its administrator.
      expect((await call('GET', `${V2}/apitokens/`, key.member)).status).toBe(403);
      const del = await call('DELETE', `${V2}/apitokens/${created.body.id}/`, key.a);
      expect([del.status, del.body]).toEqual([204, undefined]);
      expect((await call('GET', `${V2}/admin/status/`, fresh)).status).toBe(401);
      expect(await call('DELETE', `${V2}/apitokens/${created.body.id}/`, key.a)).toMatchObject({ status: 404 });
      expect(await call('POST', `${V2}/apitokens/`, key.a, { name: 'old', valid_until: '2001-01-01T00:00:00Z' })).toMatchObject({ status: 400, body: { valid_until: [expect.any(String)] } });
    });

    it('pages with absolute links', async () => {
      for (let i = 0; i < 3; i++) await call('POST', `${V2}/apitokens/`, key.a, { name: `page-${i}`, valid_until: null });
      const p1 = await call('GET', `${V2}/apitokens/?page_size=2`, key.a);
      expect(p1.body.next).toMatch(/^http:\/\/[^/]+\/dashboardapi\/v2\/apitokens\/\?page_size=2&page=2$/);
      const p2 = await call('GET', `${V2}/apitokens/?page_size=2&page=2`, key.a);
      expect(p2.body.previous).toMatch(/\/dashboardapi\/v2\/apitokens\/\?page_size=2$/);
      expect(await call('GET', `${V2}/apitokens/?page=999`, key.a)).toMatchObject({ status: 404, body: { detail: 'Invalid page.' } });
    });
  });

  describe('users/', () => {
    it('lists the team’s members with filters, retrieves one, disables one (still listed), and keeps teams apart', async () => {
      const list = await call('GET', `${V2}/users/`, key.a);
      expect(list).toMatchObject({ status: 200, body: { count: 2 } });
      expect(list.body.results).toContainEqual({ id: memberA.id, display_name: 'sld-member-a', email: 'sld-member-a@example.com', created: expect.any(String), team_disabled: false, disabled_at: null });
      expect((await call('GET', `${V2}/users/?email=member-a`, key.a)).body.results.map((u: { id: string }) => u.id)).toEqual([memberA.id]);
      expect((await call('GET', `${V2}/users/?connector_type=EM&connector_value=SLD-ADMIN-A@example.com`, key.a)).body.results.map((u: { id: string }) => u.id)).toEqual([adminA.id]);
      expect((await call('GET', `${V2}/users/?display_name=nobody`, key.a)).body.count).toBe(0);
      expect(await call('GET', `${V2}/users/${memberA.id}/`, key.a)).toMatchObject({ status: 200, body: { id: memberA.id, email: 'sld-member-a@example.com' } });
      // Team B: not its member, not its business.
      expect(await call('GET', `${V2}/users/${memberA.id}/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('POST', `${V2}/users/${memberA.id}/team_user_disable/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('POST', `${V2}/users/${memberA.id}/full_revoke/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect((await call('GET', `${V2}/users/`, key.b)).body.results.map((u: { id: string }) => u.id)).toEqual([adminB.id]);

      expect(await call('POST', `${V2}/users/${memberA.id}/team_user_disable/`, key.a)).toMatchObject({ status: 201, body: { status: 'ok' } });
      expect((await call('GET', `${V2}/users/?team_disabled=true`, key.a)).body.results).toEqual([expect.objectContaining({ id: memberA.id, team_disabled: true, disabled_at: expect.any(String) })]);
      expect((await call('GET', `${V2}/users/?team_disabled=false`, key.a)).body.results.map((u: { id: string }) => u.id)).toEqual([adminA.id]);
      expect((await call('GET', `${V2}/users/${memberA.id}/?team_disabled=false`, key.a)).status).toBe(404);
    });

    it('full_revoke revokes the user’s devices and team keys, then disables them in the team', async () => {
      const s = seed(t);
      const victim = await s.user('sld-victim');
      await s.member(teamA, victim, 'member');
      const [device] = await t.db.db.insert(devices).values({ userId: victim.id, name: 'laptop' }).returning();
      const victimKey = await apiKey(victim, teamA);
      expect((await call('GET', `${V2}/twofa/status/`, victimKey)).status).toBe(200);
      expect(await call('POST', `${V2}/users/${victim.id}/full_revoke/`, key.a)).toMatchObject({ status: 201, body: { status: 'ok' } });
      expect((await call('GET', `${V2}/twofa/status/`, victimKey)).status).toBe(401);
      expect((await call('GET', `${V2}/users/${victim.id}/`, key.a)).body).toMatchObject({ team_disabled: true });
      const events = await call('GET', `${V2}/eventlogs/?action_in=device.revoke|team.userFullRevoke&user=${victim.id}`, key.a);
      expect(events.body.results.map((e: { action: string }) => e.action).sort()).toEqual(['device.revoke', 'team.userFullRevoke']);
      expect(events.body.results.find((e: { action: string }) => e.action === 'device.revoke').device_id).toBe(device!.id);
    });
  });

  describe('eventlogs/ and loginlogs/', () => {
    it('lists the team’s events with filters, retrieves one, refuses malformed dates, keeps teams apart', async () => {
      const list = await call('GET', `${V2}/eventlogs/?action_in=team.userDisable`, key.a);
      expect(list).toMatchObject({ status: 200, body: { count: 1 } });
      const e = list.body.results[0];
      expect(e).toEqual({ id: expect.any(String), date: expect.any(String), user_id: adminA.id, user2_id: memberA.id, device_id: null, message: null, email: null, ip: expect.any(String), geoip: {}, action: 'team.userDisable' });
      expect(await call('GET', `${V2}/eventlogs/${e.id}/`, key.a)).toMatchObject({ status: 200, body: e });
      expect(await call('GET', `${V2}/eventlogs/${e.id}/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect((await call('GET', `${V2}/eventlogs/?action_in=team.userDisable`, key.b)).body.count).toBe(0);
      expect((await call('GET', `${V2}/eventlogs/?action_in=team.userDisable&date_gt=2999-01-01T00:00:00Z`, key.a)).body.count).toBe(0);
      expect((await call('GET', `${V2}/eventlogs/?action_in=team.userDisable&date_lt=2999-01-01T00:00:00Z&user=${memberA.id}`, key.a)).body.count).toBe(1);
      expect(await call('GET', `${V2}/eventlogs/?date_gt=yesterday`, key.a)).toMatchObject({ status: 400, body: { date_gt: [expect.any(String)] } });
      // An event of another organization is not the team's.
      const other = await insertEventLog(t.db.db, { action: 'other.thing', organizationId: teamB.id, actorUserId: adminB.id });
      expect((await call('GET', `${V2}/eventlogs/${other.id}/`, key.a)).status).toBe(404);
    });

    it('exports the team’s events as a CSV attachment mailed through the outbox', async () => {
      expect(await call('POST', `${V2}/eventlogs/export/`, key.a, { date_min: '2000-01-01T00:00:00Z', date_max: '2999-01-01T00:00:00Z' })).toMatchObject({ status: 201, body: { status: 'ok' } });
      const mail = await mailTo('sld-admin-a@example.com', 'eventlogs_export');
      const csv = mail.payload.attachments[0].content as string;
      expect(csv.split('\r\n')[0]).toBe('id,date,action,user_id,user2_id,device_id,message_id,email,ip');
      expect(csv).toContain('"team.userDisable"');
      expect(csv).not.toContain('other.thing');
      expect(await call('POST', `${V2}/eventlogs/export/`, key.a, { date_min: '2999-01-01T00:00:00Z', date_max: '2000-01-01T00:00:00Z' })).toMatchObject({ status: 400, body: { date_max: [expect.any(String)] } });
    });

    it('lists and retrieves a member’s sign-in attempts; another team’s member reads as empty', async () => {
      await t.login(memberA.username, 'sld-member-a-password');
      const list = await call('GET', `${V2}/loginlogs/?user=${memberA.id}`, key.a);
      expect(list).toMatchObject({ status: 200, body: { count: expect.any(Number) } });
      const l = list.body.results[0];
      expect(l).toEqual({ id: expect.any(String), success: true, ip: expect.any(String), key_id: null, bearduser_id: memberA.id, datetime: expect.any(String), location: {}, user_agent: expect.anything() });
      expect(await call('GET', `${V2}/loginlogs/${l.id}/?user=${memberA.id}`, key.a)).toMatchObject({ status: 200, body: l });
      expect((await call('GET', `${V2}/loginlogs/?user=${memberA.id}`, key.b)).body).toMatchObject({ count: 0, results: [] });
      expect(await call('GET', `${V2}/loginlogs/${l.id}/?user=${memberA.id}`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('GET', `${V2}/loginlogs/`, key.a)).toMatchObject({ status: 400, body: { user: ['This field is required.'] } });
    });
  });

  describe('jwtsharedsecret/', () => {
    const sign = (secret: { id: string; shared_secret: string }, opts: { jti?: string; lifetime?: string | number; iat?: number } = {}) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(secret.id)
        .setJti(opts.jti ?? crypto.randomUUID())
        .setIssuedAt(opts.iat)
        .setExpirationTime(opts.lifetime ?? '10m')
        .sign(new TextEncoder().encode(secret.shared_secret));

    it('creates, lists and deletes secrets; a JWT signed with one reads a member’s sigchain once per jti, with exactly its permissions, in its team only', async () => {
      await t.db.db.insert(sigchainTransactions).values({ userId: memberA.id, position: 0, transaction: { type: 'create', hash: 'h0' } });
      const created = await call('POST', `${V2}/jwtsharedsecret/`, key.a, { permissions: [2] });
      expect(created).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), created: expect.any(String), shared_secret: expect.stringMatching(/^.{16,}$/), permissions: [2] } });
      const secret = created.body;
      // Stored sealed under MASTER_KEY; the team still reads it in the clear, as Seald's dashboard shows it.
      const [stored] = await t.db.db.select().from(jwtSharedSecrets).where(eq(jwtSharedSecrets.id, secret.id));
      expect(isSealed(stored!.sharedSecret)).toBe(true);
      expect(stored!.sharedSecret).not.toContain(secret.shared_secret);
      expect((await call('GET', `${V2}/jwtsharedsecret/`, key.a)).body).toMatchObject({ count: 1, results: [secret] });
      expect((await call('GET', `${V2}/jwtsharedsecret/`, key.b)).body).toMatchObject({ count: 0 });
      expect(await call('POST', `${V2}/jwtsharedsecret/`, key.a, { permissions: [7] })).toMatchObject({ status: 400, body: { permissions: [expect.any(String)] } });

      const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });
      const jwt = await sign(secret);
      const chain = await call('GET', `${V2}/users/${memberA.id}/sigchain/`, undefined, undefined, bearer(jwt));
      expect(chain).toEqual(expect.objectContaining({ status: 200, body: [{ position: 0, transaction: { type: 'create', hash: 'h0' }, created: expect.any(String) }] }));
      // A jti is used once.
      expect((await call('GET', `${V2}/users/${memberA.id}/sigchain/`, undefined, undefined, bearer(jwt))).status).toBe(401);
      // Only inside its team, only its permissions.
      expect((await call('GET', `${V2}/users/${adminB.id}/sigchain/`, undefined, undefined, bearer(await sign(secret)))).status).toBe(404);
      expect((await call('GET', `${V2}/apitokens/`, undefined, undefined, bearer(await sign(secret)))).status).toBe(403);
      const keysOnly = (await call('POST', `${V2}/jwtsharedsecret/`, key.a, { permissions: [1] })).body;
      expect((await call('GET', `${V2}/users/${memberA.id}/sigchain/`, undefined, undefined, bearer(await sign(keysOnly)))).status).toBe(404);
      // Expired, too long-lived, forged: refused.
      expect((await call('GET', `${V2}/users/${memberA.id}/sigchain/`, undefined, undefined, bearer(await sign(secret, { iat: Math.floor(Date.now() / 1000) - 7200, lifetime: Math.floor(Date.now() / 1000) - 6000 })))).status).toBe(401);
      expect((await call('GET', `${V2}/users/${memberA.id}/sigchain/`, undefined, undefined, bearer(await sign(secret, { lifetime: '2h' })))).status).toBe(401);
      expect((await call('GET', `${V2}/users/${memberA.id}/sigchain/`, undefined, undefined, bearer(await sign({ id: secret.id, shared_secret: 'not-the-secret-at-all' })))).status).toBe(401);
      // The team's admin reads it too; team B does not.
      expect((await call('GET', `${V2}/users/${memberA.id}/sigchain/`, key.a)).body).toHaveLength(1);
      expect((await call('GET', `${V2}/users/${memberA.id}/sigchain/`, key.b)).status).toBe(404);
      // Deleted: its JWTs stop working at once.
      const pending = await sign(secret);
      expect(await call('DELETE', `${V2}/jwtsharedsecret/${secret.id}/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect((await call('DELETE', `${V2}/jwtsharedsecret/${secret.id}/`, key.a)).status).toBe(204);
      expect((await call('GET', `${V2}/users/${memberA.id}/sigchain/`, undefined, undefined, bearer(pending))).status).toBe(401);
    });
  });

  describe('domainvalidationkeys/ and connectors/', () => {
    it('lists and refreshes the team’s keys; creates prevalidated connectors on their domain (force takes an address), sets primary, deletes; teams apart', async () => {
      const mk = async (k: string, domain: string) =>
        (await t.gql(`mutation($i: CreateDomainValidationKeyInput!) { createDomainValidationKey(input: $i) { domainValidationKey { uuid key } userErrors { message } } }`, { i: { domain } }, { token: k })).body.data.createDomainValidationKey.domainValidationKey;
      const dkA = await mk(key.a, 'team-a.test');
      const dkB = await mk(key.b, 'team-b.test');
      const keys = await call('GET', `${V2}/domainvalidationkeys/`, key.a);
      expect(keys).toMatchObject({ status: 200, body: { count: 1, next: null, previous: null, results: [{ id: dkA.uuid, key: dkA.key, domain: 'team-a.test' }] } });
      expect(await call('POST', `${V2}/domainvalidationkeys/${dkA.uuid}/refresh/`, key.a)).toMatchObject({ status: 201, body: { status: 'ok' } });
      const refreshed = (await call('GET', `${V2}/domainvalidationkeys/`, key.a)).body.results[0];
      expect(refreshed).toMatchObject({ id: dkA.uuid, domain: 'team-a.test' });
      expect(refreshed.key).not.toBe(dkA.key);
      expect(await call('POST', `${V2}/domainvalidationkeys/${dkA.uuid}/refresh/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });

      const body = (value: string, user: UserRow, dk = dkA.uuid, force = false) => ({ type: 'EM', value, bearduser_id: user.id, domainvalidationkey_id: dk, force });
      const created = await call('POST', `${V2}/connectors/`, key.a, body('member@team-a.test', memberA));
      expect(created).toMatchObject({ status: 201, body: { id: expect.any(String), type: 'EM', state: 'VO', value: 'member@team-a.test', bearduser_id: memberA.id, is_primary_email: 'false', created: expect.any(String), updated: expect.any(String) } });
      expect(await call('POST', `${V2}/connectors/`, key.a, body('member@elsewhere.test', memberA))).toMatchObject({ status: 400, body: { value: [expect.any(String)] } });
      expect(await call('POST', `${V2}/connectors/`, key.a, body('member2@team-b.test', memberA, dkB.uuid))).toMatchObject({ status: 400, body: { domainvalidationkey_id: [expect.any(String)] } });
      expect(await call('POST', `${V2}/connectors/`, key.b, body('x@team-b.test', memberA, dkB.uuid))).toMatchObject({ status: 404, body: NOT_FOUND });
      const list = await call('GET', `${V2}/connectors/?user=${memberA.id}`, key.a);
      expect(list.body.results.map((c: { value: string }) => c.value).sort()).toEqual(['member@team-a.test', 'sld-member-a@example.com']);
      expect(await call('GET', `${V2}/connectors/?user=${memberA.id}`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('POST', `${V2}/connectors/${created.body.id}/set_primary/`, key.b)).toMatchObject({ status: 404 });
      expect(await call('POST', `${V2}/connectors/${created.body.id}/set_primary/`, key.a)).toMatchObject({ status: 201, body: { status: 'ok' } });
      expect((await call('GET', `${V2}/users/${memberA.id}/`, key.a)).body.email).toBe('member@team-a.test');
      // One active address system-wide: force takes it.
      expect(await call('POST', `${V2}/connectors/`, key.a, body('member@team-a.test', adminA))).toMatchObject({ status: 400, body: { value: [expect.any(String)] } });
      const forced = await call('POST', `${V2}/connectors/`, key.a, body('member@team-a.test', adminA, dkA.uuid, true));
      expect(forced).toMatchObject({ status: 201, body: { bearduser_id: adminA.id, state: 'VO' } });
      // memberA's contact of that address is disabled (no longer among their active connectors).
      expect((await call('GET', `${V2}/connectors/?user=${memberA.id}`, key.a)).body.results.map((c: { id: string }) => c.id)).not.toContain(created.body.id);
      expect(await call('DELETE', `${V2}/connectors/${forced.body.id}/`, key.b)).toMatchObject({ status: 404 });
      expect((await call('DELETE', `${V2}/connectors/${forced.body.id}/`, key.a)).status).toBe(204);
      expect((await call('DELETE', `${V2}/connectors/${forced.body.id}/`, key.a)).status).toBe(404);
      // Only a validated connector becomes primary (the test user's address was never validated).
      const original = (await call('GET', `${V2}/connectors/?user=${memberA.id}`, key.a)).body.results.find((c: { value: string }) => c.value === 'sld-member-a@example.com');
      expect(original).toMatchObject({ state: 'PE' });
      expect(await call('POST', `${V2}/connectors/${original.id}/set_primary/`, key.a)).toMatchObject({ status: 400, body: { non_field_errors: [expect.any(String)] } });
    });
  });

  describe('invitedemails/', () => {
    it('invites emails while licences last, lists them with filters, disables one (freeing its licence), keeps teams apart', async () => {
      await t.db.db.update(organizations).set({ quotaLimit: 2 }).where(eq(organizations.id, teamA.id));
      expect(await call('GET', `${V2}/invitedemails/licences/`, key.a)).toEqual(expect.objectContaining({ status: 200, body: { used: 0, available: 2, total: 2 } }));
      const one = await call('POST', `${V2}/invitedemails/`, key.a, { email: 'invitee-1@example.com' });
      expect(one).toEqual(expect.objectContaining({ status: 201, body: { email: 'invitee-1@example.com', state: '0', invited_by: 'sld-admin-a', created_at: expect.any(String), used_at: null, disabled_at: null } }));
      expect(await mailTo('invitee-1@example.com', 'invitation')).toBeTruthy();
      expect((await call('POST', `${V2}/invitedemails/`, key.a, { email: 'invitee-2@example.com' })).status).toBe(201);
      expect(await call('POST', `${V2}/invitedemails/`, key.a, { email: 'invitee-3@example.com' })).toMatchObject({ status: 400, body: { email: [expect.stringMatching(/licence/)] } });
      expect((await call('GET', `${V2}/invitedemails/licences/`, key.a)).body).toEqual({ used: 2, available: 0, total: 2 });
      const list = await call('GET', `${V2}/invitedemails/?state=0`, key.a);
      expect(list).toMatchObject({ status: 200, body: { count: 2 } });
      expect((await call('GET', `${V2}/invitedemails/?email=invitee-1@example.com`, key.a)).body.results.map((i: { email: string }) => i.email)).toEqual(['invitee-1@example.com']);
      expect((await call('GET', `${V2}/invitedemails/`, key.b)).body.count).toBe(0);
      expect((await call('GET', `${V2}/invitedemails/licences/`, key.member)).status).toBe(403);
      expect((await call('GET', `${V2}/invitedemails/`, key.member)).status).toBe(403);
      expect((await call('GET', `${V2}/eventlogs/`, key.member)).status).toBe(403);
      expect((await call('GET', `${V2}/loginlogs/?user=${memberA.id}`, key.member)).status).toBe(403);
      expect(await call('POST', `${V2}/invitedemails/disable/`, key.b, { email: 'invitee-1@example.com' })).toMatchObject({ status: 201 });
      expect((await call('GET', `${V2}/invitedemails/?state=0`, key.a)).body.count).toBe(2);
      expect(await call('POST', `${V2}/invitedemails/disable/`, key.a, { email: 'invitee-1@example.com' })).toMatchObject({ status: 201, body: { status: 'ok' } });
      expect((await call('GET', `${V2}/invitedemails/?state=2`, key.a)).body.results).toEqual([expect.objectContaining({ email: 'invitee-1@example.com', state: '2', disabled_at: expect.any(String) })]);
      expect((await call('GET', `${V2}/invitedemails/licences/`, key.a)).body).toEqual({ used: 1, available: 1, total: 2 });
      // The last licence, asked for five times at once: it is taken once (counted under a lock).
      const racing = await Promise.all([1, 2, 3, 4, 5].map((n) => call('POST', `${V2}/invitedemails/`, key.a, { email: `racer-${n}@example.com` })));
      expect(racing.map((r) => r.status).sort()).toEqual([201, 400, 400, 400, 400]);
      expect((await call('GET', `${V2}/invitedemails/licences/`, key.a)).body).toEqual({ used: 2, available: 0, total: 2 });
    });
  });

  it('answers every kind of bad input with a 4xx and a DRF-shaped JSON body', async () => {
    const big = 'a'.repeat(10_000);
    const k = key.a;
    const cases: [string, string, string | undefined, unknown, Record<string, string>?][] = [
      ['GET', `${V2}/admin/status/`, 'igw_\u0000', undefined],
      ['POST', `${V2}/admin/login/`, undefined, { email: 'x@example.com', password: 42 }],
      ['POST', `${V2}/admin/login/`, undefined, { email: 'x\u0000@example.com', password: 'p' }],
      ['POST', `${V2}/admin/login/`, undefined, { email: 'x@example.com', password: big }],
      ['POST', `${V2}/admin/login/`, undefined, '{"email": '],
      ['POST', `${V2}/admin/logout/`, undefined, undefined],
      ['POST', `${V2}/admin/update_password/`, k, { old_password: ['a'], new_password: 'long-enough' }],
      ['POST', `${V2}/admin/update_password/`, k, { old_password: 'x', new_password: '\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800' }],
      ['POST', `${V2}/admin/forgot_password/`, undefined, { email: 'not-an-email' }],
      ['POST', `${V2}/admin/forgot_password/`, undefined, { email: 'a@example.com', new_password: 'without-challenge' }],
      ['POST', `${V2}/admin/generate_ssks_apikey/`, key.member, undefined],
      ['GET', `${V2}/twofa/status/`, undefined, undefined],
      ['POST', `${V2}/twofa/set/`, undefined, undefined],
      ['POST', `${V2}/twofa/confirm/`, k, { otp: 123456 }],
      ['POST', `${V2}/twofa/confirm/`, k, { otp: '123456' }],
      ['POST', `${V2}/twofa/remove/`, k, { otp: '\u0000' }],
      ['POST', `${V2}/twofa/reset_recover_codes/`, k, { otp: big }],
      ['GET', `${V2}/apitokens/?page=abc`, k, undefined],
      ['GET', `${V2}/apitokens/?page_size=0`, k, undefined],
      ['POST', `${V2}/apitokens/`, k, { name: 'n' }],
      ['POST', `${V2}/apitokens/`, k, { name: { x: 1 }, valid_until: null }],
      ['POST', `${V2}/apitokens/`, k, { name: big, valid_until: null }],
      ['POST', `${V2}/apitokens/`, k, { name: 'n', valid_until: 'tomorrow' }],
      ['DELETE', `${V2}/apitokens/not-a-uuid/`, k, undefined],
      ['DELETE', `${V2}/apitokens/${UNKNOWN}/`, k, undefined],
      ['GET', `${V2}/users/?connector_type=XX&connector_value=a`, k, undefined],
      ['GET', `${V2}/users/?connector_type=EM`, k, undefined],
      ['GET', `${V2}/users/?team_disabled=maybe`, k, undefined],
      ['GET', `${V2}/users/?display_name=${big}`, k, undefined],
      ['GET', `${V2}/users/..%2F..%2Fetc%2Fpasswd/`, k, undefined],
      ['GET', `${V2}/users/${UNKNOWN}/`, k, undefined],
      ['POST', `${V2}/users/${UNKNOWN}/full_revoke/`, k, undefined],
      ['POST', `${V2}/users/%00/team_user_disable/`, k, undefined],
      ['GET', `${V2}/eventlogs/?date_lt=1e400`, k, undefined],
      ['GET', `${V2}/eventlogs/?user=1'%20OR%20'1'%3D'1`, k, undefined],
      ['GET', `${V2}/eventlogs/?action_in=${big}`, k, undefined],
      ['GET', `${V2}/eventlogs/not-a-uuid/`, k, undefined],
      ['POST', `${V2}/eventlogs/export/`, k, { date_min: 1, date_max: 2 }],
      ['POST', `${V2}/eventlogs/export/`, k, '[]'],
      ['GET', `${V2}/loginlogs/?user=not-a-uuid`, k, undefined],
      ['GET', `${V2}/loginlogs/${UNKNOWN}/`, k, undefined],
      ['GET', `${V2}/loginlogs/${UNKNOWN}/?user=${UNKNOWN}`, k, undefined],
      ['GET', `${V2}/users/not-a-uuid/sigchain/`, k, undefined],
      ['GET', `${V2}/users/${UNKNOWN}/sigchain/`, k, undefined],
      ['GET', `${V2}/jwtsharedsecret/?page=-1`, k, undefined],
      ['POST', `${V2}/jwtsharedsecret/`, k, { permissions: [] }],
      ['POST', `${V2}/jwtsharedsecret/`, k, { permissions: ['-1'] }],
      ['POST', `${V2}/jwtsharedsecret/`, k, { permissions: [1e300] }],
      ['DELETE', `${V2}/jwtsharedsecret/${UNKNOWN}/`, k, undefined],
      ['GET', `${V2}/connectors/`, k, undefined],
      ['GET', `${V2}/connectors/?user=${UNKNOWN}`, k, undefined],
      ['POST', `${V2}/connectors/`, k, { type: 'PH', value: '+32475123456', bearduser_id: UNKNOWN, domainvalidationkey_id: UNKNOWN, force: false }],
      ['POST', `${V2}/connectors/`, k, { type: 'EM', value: 'a@b.test', bearduser_id: UNKNOWN, domainvalidationkey_id: UNKNOWN, force: 'yes' }],
      ['POST', `${V2}/connectors/`, k, { type: 'EM', value: 'a\u0000@b.test', bearduser_id: UNKNOWN, domainvalidationkey_id: UNKNOWN, force: false }],
      ['POST', `${V2}/connectors/${UNKNOWN}/set_primary/`, k, undefined],
      ['DELETE', `${V2}/connectors/not-a-uuid/`, k, undefined],
      ['GET', `${V2}/domainvalidationkeys/?page=0`, k, undefined],
      ['POST', `${V2}/domainvalidationkeys/${UNKNOWN}/refresh/`, k, undefined],
      ['GET', `${V2}/invitedemails/?state=7`, k, undefined],
      ['GET', `${V2}/invitedemails/?email=not-an-email`, k, undefined],
      ['POST', `${V2}/invitedemails/`, k, { email: { address: 'a@b.test' } }],
      ['POST', `${V2}/invitedemails/`, k, { email: `${big}@example.com` }],
      ['GET', `${V2}/invitedemails/licences/`, undefined, undefined],
      ['POST', `${V2}/invitedemails/disable/`, k, { email: '\ud800@example.com' }],
      ['POST', `${V2}/invitedemails/disable/`, k, {}],
      // Part 2 (keys/, groups/): one case each here; test/rest-seald-keys.test.ts has the rest.
      ['GET', `${V2}/keys/`, k, undefined],
      ['GET', `${V2}/keys/find_public_keys/?user=${UNKNOWN}&key=${UNKNOWN}`, k, undefined],
      ['POST', `${V2}/keys/${UNKNOWN}/revoke/`, k, undefined],
      ['GET', `${V2}/groups/?page=0`, k, undefined],
      ['POST', `${V2}/groups/`, k, { encrypt_pubkey: 'short' }],
      ['GET', `${V2}/groups/${UNKNOWN}/`, k, undefined],
      ['GET', `${V2}/groups/${UNKNOWN}/groupdevices/`, k, undefined],
      ['GET', `${V2}/groups/${UNKNOWN}/members/`, k, undefined],
      ['POST', `${V2}/groups/${UNKNOWN}/members/`, k, { edited_beardusers_device_messages: [] }],
      ['PATCH', `${V2}/groups/${UNKNOWN}/members/`, k, { edited_beardusers_device_messages: { x: {} } }],
      ['DELETE', `${V2}/groups/${UNKNOWN}/members/?bearduser_id=x`, k, undefined],
      ['POST', `${V2}/groups/${UNKNOWN}/init_sigchain/`, k, { transaction_data: 1 }],
      ['POST', `${V2}/groups/${UNKNOWN}/rename/`, k, { group_name: '' }],
      ['POST', `${V2}/groups/${UNKNOWN}/renew/`, k, {}],
      ['POST', `${V2}/groups/${UNKNOWN}/server_delete_members/`, k, { bearduser_ids: 'x' }],
      ['GET', `${V2}/users/${UNKNOWN}/sigchain/`, undefined, undefined, { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.AAAA' }],
    ];
    for (const [method, url, credential, body, headers] of cases) {
      const r = await call(method, url, credential, body, headers);
      const label = `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 40)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.headers['content-type'], label).toMatch(/application\/json/);
      const b = r.body as Record<string, unknown>;
      const drf = typeof b.detail === 'string' || (Object.keys(b).length > 0 && Object.values(b).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string')));
      expect(drf, `${label} → ${JSON.stringify(b)}`).toBe(true);
    }
    // Part 2's routes have their bad cases in rest-seald-messages/-recovery.test.ts.
    const part2 = new Set([...messageRoutes, ...recoveryRoutes]);
    expect(uncoveredRoutes(seald.routes.filter((r) => !part2.has(r)), cases)).toEqual([]);
  });
});
