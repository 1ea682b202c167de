// Itsyouonline's two-factor methods on the REST engine: `twofamethods` (TOTP and validated
// phones), a fresh secret from GET …/totp, enabling with a real code computed from it (otplib),
// removal (409 while TOTP is the last second factor), and `force` on deleting the last validated
// phone number (only with TOTP). Other users read and change nothing; bad input is a 4xx.
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP_ISSUER, twoFactorStatus } from '../src/modules/users/totp.service.js';
import { twofaRoutes } from '../src/rest/iyo/twofa.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf, lastOutbox } from './helpers/seed-users.js';

describe.each(DRIVERS)('iyo dialect: TOTP and 2FA methods on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  let ids: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const alice = await s.user('totpalice');
    const bob = await s.user('totpbob');
    tok = { alice: await s.tokenFor(alice), bob: await s.tokenFor(bob), admin: ADMIN.token };
    ids = { alice: alice.id, bob: bob.id };
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
  const methods = async (who = 'totpalice', token = tok.alice) => (await call('GET', `/users/${who}/twofamethods`, token)).body;
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
  /** Adds a phone number and validates it with the SMS code from the outbox. */
  const validatedPhone = async (label: string, phonenumber: string) => {
    expect((await call('POST', '/users/totpalice/phonenumbers', tok.alice, { label, phonenumber })).status).toBe(201);
    const key = (await call('POST', `/users/totpalice/phonenumbers/${label}/validate`, tok.alice)).body.validationkey;
    const sms = await lastOutbox(t, phonenumber, 'phone_validation');
    expect((await call('PUT', `/users/totpalice/phonenumbers/${label}/validate`, tok.alice, { smscode: String(sms!.payload.code), validationkey: key })).status).toBe(204);
  };

  it('GET …/twofamethods: none at first; the user and admins; another user 403; unknown 404; anonymous 401', async () => {
    const r = await call('GET', '/users/totpalice/twofamethods', tok.alice);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ totp: false, sms: [] });
    expect((await call('GET', '/users/totpalice/twofamethods', tok.admin)).body).toEqual({ totp: false, sms: [] });
    const other = await call('GET', '/users/totpalice/twofamethods', tok.bob);
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ error: expect.any(String) });
    expect((await call('GET', '/users/nosuchtotp/twofamethods', tok.admin)).status).toBe(404);
    expect((await call('GET', '/users/totpalice/twofamethods')).status).toBe(401);
  });

  it('GET …/totp: a fresh base32 secret and the issuer each time, not stored; another user 403', async () => {
    const a = await call('GET', '/users/totpalice/totp', tok.alice);
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ totpsecret: expect.stringMatching(/^[A-Z2-7]{32}$/), totpissuer: TOTP_ISSUER });
    const b = await call('GET', '/users/totpalice/totp', tok.alice);
    expect(b.body.totpsecret).not.toBe(a.body.totpsecret);
    expect(await twoFactorStatus(t.db.db, ids.alice!)).toEqual({ enabled: false, pending: false, recoveryCodesLeft: 0 });
    const other = await call('GET', '/users/totpalice/totp', tok.bob);
    expect(other.status).toBe(403);
    expect(JSON.stringify(other.body)).not.toContain('totpsecret');
    expect((await call('GET', '/users/totpalice/totp')).status).toBe(401);
  });

  it('POST …/totp: a wrong code or secret 422 {error}; another user 404 and nothing changes; a real code 204', async () => {
    const secret = (await call('GET', '/users/totpalice/totp', tok.alice)).body.totpsecret as string;
    const bad = await call('POST', '/users/totpalice/totp', tok.alice, { totpcode: wrong(authenticator.generate(secret)), totpsecret: secret });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ error: expect.any(String) });
    expect((await call('POST', '/users/totpalice/totp', tok.alice, { totpcode: authenticator.generate(secret), totpsecret: 'not base32!' })).status).toBe(422);
    expect((await call('POST', '/users/totpalice/totp', tok.alice, { totpcode: 'abcdef', totpsecret: secret })).status).toBe(422);
    // Bob with a valid secret and code cannot enable alice's factor.
    expect((await call('POST', '/users/totpalice/totp', tok.bob, { totpcode: authenticator.generate(secret), totpsecret: secret })).status).toBe(404);
    expect((await methods()).totp).toBe(false);
    const before = (await eventsOf(t, 'twoFactor.enable')).length;
    const ok = await call('POST', '/users/totpalice/totp', tok.alice, { totpcode: authenticator.generate(secret), totpsecret: secret });
    expect(ok.status).toBe(204);
    expect(ok.body).toBeUndefined();
    expect(await methods()).toEqual({ totp: true, sms: [] });
    const events = await eventsOf(t, 'twoFactor.enable');
    expect(events).toHaveLength(before + 1);
    expect(events[0]!.user2Id).toBe(ids.alice);
    expect(JSON.stringify(events[0])).not.toContain(secret);
    // Sign-in now asks alice for a code.
    const login = await t.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { code field } } }`, { i: { login: 'totpalice', password: 'totpalice-password' } });
    expect(login.body.data.login).toEqual({ accessToken: null, userErrors: [{ code: expect.any(String), field: 'otp' }] });
  });

  it('DELETE …/totp: 409 while it is the last second factor; another user 404; with a validated phone 204', async () => {
    const conflict = await call('DELETE', '/users/totpalice/totp', tok.alice);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({ error: expect.any(String) });
    expect((await call('DELETE', '/users/totpalice/totp', tok.bob)).status).toBe(404);
    expect((await methods()).totp).toBe(true);

    await validatedPhone('mobile', '+32475111001');
    expect(await methods()).toEqual({ totp: true, sms: [{ phonenumber: '+32475111001', label: 'mobile' }] });
    // An unvalidated number is no second factor.
    expect((await call('POST', '/users/totpalice/phonenumbers', tok.alice, { label: 'spare', phonenumber: '+32475111009' })).status).toBe(201);
    expect((await methods()).sms).toHaveLength(1);

    const removed = (await eventsOf(t, 'twoFactor.remove')).length;
    const del = await call('DELETE', '/users/totpalice/totp', tok.alice);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expect(await methods()).toEqual({ totp: false, sms: [{ phonenumber: '+32475111001', label: 'mobile' }] });
    expect(await eventsOf(t, 'twoFactor.remove')).toHaveLength(removed + 1);
    // Without TOTP there is nothing to remove: 204, no change.
    expect((await call('DELETE', '/users/totpalice/totp', tok.alice)).status).toBe(204);
    expect(await eventsOf(t, 'twoFactor.remove')).toHaveLength(removed + 2);
  });

  it('DELETE …/phonenumbers/{label}?force=true removes the last validated number only once TOTP is set up', async () => {
    // No TOTP now: the last validated number stays, force or not.
    expect((await call('DELETE', '/users/totpalice/phonenumbers/mobile', tok.alice)).status).toBe(409);
    expect((await call('DELETE', '/users/totpalice/phonenumbers/mobile?force=true', tok.alice)).status).toBe(409);
    expect((await methods()).sms).toHaveLength(1);

    const secret = (await call('GET', '/users/totpalice/totp', tok.alice)).body.totpsecret as string;
    expect((await call('POST', '/users/totpalice/totp', tok.alice, { totpcode: authenticator.generate(secret), totpsecret: secret })).status).toBe(204);
    // With TOTP: still 409 without force (and with any other value), 204 with force=true.
    expect((await call('DELETE', '/users/totpalice/phonenumbers/mobile', tok.alice)).status).toBe(409);
    expect((await call('DELETE', '/users/totpalice/phonenumbers/mobile?force=yes', tok.alice)).status).toBe(409);
    // Bob forcing changes nothing.
    expect((await call('DELETE', '/users/totpalice/phonenumbers/mobile?force=true', tok.bob)).status).toBe(403);
    expect((await methods()).sms).toHaveLength(1);
    expect((await call('DELETE', '/users/totpalice/phonenumbers/mobile?force=true', tok.alice)).status).toBe(204);
    expect(await methods()).toEqual({ totp: true, sms: [] });
    // TOTP is now the last factor again.
    expect((await call('DELETE', '/users/totpalice/totp', tok.alice)).status).toBe(409);
    // An unvalidated number goes without force, as before.
    expect((await call('DELETE', '/users/totpalice/phonenumbers/spare', tok.alice)).status).toBe(204);
  });

  it('instance admins enable and remove anyone’s TOTP (the same 409 rule)', async () => {
    const secret = authenticator.generateSecret(20);
    expect((await call('POST', '/users/totpbob/totp', tok.admin, { totpcode: authenticator.generate(secret), totpsecret: secret })).status).toBe(204);
    expect(await methods('totpbob', tok.bob)).toEqual({ totp: true, sms: [] });
    expect((await call('DELETE', '/users/totpbob/totp', tok.admin)).status).toBe(409);
    expect(await methods('totpbob', tok.admin)).toEqual({ totp: true, sms: [] });
    // Bob's factor is untouched by everything alice did, and alice's by bob.
    expect((await methods()).totp).toBe(true);
  });

  it('refuses bad input on every route with a 4xx {error}, changing nothing', async () => {
    const before = await methods();
    const secret = authenticator.generateSecret(20);
    const code = authenticator.generate(secret);
    const cases: [string, string, string | undefined, unknown?][] = [
      ['GET', '/users/totpalice/twofamethods', undefined],
      ['GET', '/users/%00/twofamethods', tok.alice],
      ['GET', `/users/totpalice/twofamethods?access_token=${tok.alice}`, tok.alice],
      ['GET', '/users/totpalice/totp', undefined],
      ['GET', '/users/a\ud800b/totp', tok.alice],
      ['GET', `/users/${'z'.repeat(300)}/totp`, tok.alice],
      ['POST', '/users/totpalice/totp', undefined, { totpcode: code, totpsecret: secret }],
      ['POST', '/users/totpalice/totp', tok.alice, { totpcode: Number(code), totpsecret: secret }],
      ['POST', '/users/totpalice/totp', tok.alice, { totpcode: 1e308, totpsecret: secret }],
      ['POST', '/users/totpalice/totp', tok.alice, { totpcode: [code], totpsecret: secret }],
      ['POST', '/users/totpalice/totp', tok.alice, { totpcode: code }],
      ['POST', '/users/totpalice/totp', tok.alice, { totpcode: code, totpsecret: true }],
      ['POST', '/users/totpalice/totp', tok.alice, { totpcode: `${code}\u0000`, totpsecret: secret }],
      ['POST', '/users/totpalice/totp', tok.alice, { totpcode: code, totpsecret: `${secret}\ud800` }],
      ['POST', '/users/totpalice/totp', tok.alice, { totpcode: code, totpsecret: 'A'.repeat(100_000) }],
      ['POST', '/users/totpalice/totp', tok.alice, '[]'],
      ['POST', '/users/totpalice/totp', tok.alice, '{"totpcode":'],
      ['POST', '/users/%00/totp', tok.alice, { totpcode: code, totpsecret: secret }],
      ['DELETE', '/users/totpalice/totp', undefined],
      ['DELETE', '/users/%00/totp', tok.alice],
      ['DELETE', '/users/nosuchtotp/totp', tok.alice],
      ['DELETE', `/users/totpalice/phonenumbers/mobile?force=${'t'.repeat(9)}`, tok.alice],
      ['DELETE', '/users/totpalice/phonenumbers/mobile?force=a%00b', tok.alice],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect((await call('POST', '/users/totpalice/totp', undefined, { totpcode: code, totpsecret: secret })).status).toBe(401);
    expect((await call('DELETE', '/users/totpalice/totp')).status).toBe(401);
    expect(uncoveredRoutes(twofaRoutes, cases)).toEqual([]);
    expect(await methods()).toEqual(before);
  });
});
