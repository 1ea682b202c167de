// The IoT platform's invitation API, as its callers use it, on the REST engine: the documented
// paths, bodies and statuses; the platform's error shape; bad input; accounts kept apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { inviteRoutes } from '../src/rest/oisp/invites.routes.js';

const BASE = '/v1/api';

describe.each(DRIVERS)('oisp dialect on %s', (driver) => {
  let t: TestGateway;
  const tok: Record<string, string> = {};
  let acme: { id: string };
  let other: { id: string };
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const owner = await s.user('iot-owner');
    const invitee = await s.user('iot-invitee', { email: 'invitee@example.com' });
    const stranger = await s.user('iot-stranger');
    acme = await s.org('iot-acme', { owner, name: 'Acme IoT' });
    other = await s.org('iot-other', { owner: stranger });
    for (const [k, u] of Object.entries({ owner, invitee, stranger })) tok[k] = await s.tokenFor(u);
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: BASE + url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };

  it('creates, lists, shows to the invitee, and accepts an invitation, as documented', async () => {
    const created = await call('POST', `/accounts/${acme.id}/invites`, tok.owner, { email: 'invitee@example.com' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ email: 'invitee@example.com', accountId: acme.id, accountName: 'Acme IoT', domainId: acme.id });
    expect(created.body._id).toMatch(/^[0-9a-f-]{36}$/);

    expect(await call('GET', `/accounts/${acme.id}/invites`, tok.owner)).toEqual({ status: 200, body: ['invitee@example.com'] });
    const mine = await call('GET', '/invites/invitee@example.com', tok.invitee);
    expect(mine).toEqual({ status: 200, body: [created.body] });

    const accepted = await call('PUT', `/invites/${created.body._id}/status`, tok.invitee, { accept: true });
    expect(accepted).toEqual({ status: 200, body: created.body });
    const again = await call('PUT', `/invites/${created.body._id}/status`, tok.invitee, { accept: true });
    expect(again.status).toBe(412);
    expect(again.body).toMatchObject({ code: 412, message: expect.any(String) });
    expect((await call('GET', `/accounts/${acme.id}/invites`, tok.owner)).body).toEqual([]);
  });

  it('declines with accept: false and withdraws with DELETE', async () => {
    const a = await call('POST', `/accounts/${acme.id}/invites`, tok.owner, { email: 'decliner@example.com' });
    const b = await call('POST', `/accounts/${acme.id}/invites`, tok.owner, { email: 'gone@example.com' });
    expect(b.status).toBe(200);
    // The owner is not the invitee: only the invited user answers.
    expect((await call('PUT', `/invites/${a.body._id}/status`, tok.owner, { accept: false })).status).toBe(403);
    const del = await call('DELETE', `/accounts/${acme.id}/invites/gone@example.com`, tok.owner);
    expect(del).toEqual({ status: 200, body: undefined });
    expect((await call('GET', `/accounts/${acme.id}/invites`, tok.owner)).body).toEqual(['decliner@example.com']);
    expect((await call('DELETE', `/accounts/${acme.id}/invites/gone@example.com`, tok.owner)).status).toBe(200);
  });

  it('keeps accounts apart: another account’s admin reads and changes nothing', async () => {
    expect((await call('GET', `/accounts/${acme.id}/invites`, tok.stranger)).status).toBe(404);
    expect((await call('POST', `/accounts/${acme.id}/invites`, tok.stranger, { email: 'x@example.com' })).status).toBe(404);
    expect((await call('DELETE', `/accounts/${acme.id}/invites/decliner@example.com`, tok.stranger)).status).toBe(404);
    expect((await call('GET', '/invites/decliner@example.com', tok.stranger)).body).toEqual([]);
    expect((await call('GET', `/accounts/${other.id}/invites`, tok.stranger)).status).toBe(200);
    // A member without admin rights gets a clear 403.
    expect((await call('GET', `/accounts/${acme.id}/invites`, tok.invitee)).status).toBe(403);
  });

  it('answers every kind of bad input with a 4xx in the platform’s error shape', async () => {
    const cases: [string, string, string | undefined, unknown, Record<string, string>?][] = [
      ['GET', `/accounts/${acme.id}/invites`, undefined, undefined],
      ['GET', '/accounts/not-a-uuid/invites', tok.owner, undefined],
      ['GET', `/accounts/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/invites`, tok.owner, undefined],
      ['GET', '/accounts/..%2F..%2Fetc%2Fpasswd/invites', tok.owner, undefined],
      ['GET', "/accounts/1'%20OR%20'1'%3D'1/invites", tok.owner, undefined],
      ['GET', '/invites/%00', tok.owner, undefined],
      ['GET', `/invites/${'a'.repeat(10_000)}@example.com`, tok.owner, undefined],
      ['POST', `/accounts/${acme.id}/invites`, tok.owner, '{"email": '],
      ['POST', `/accounts/${acme.id}/invites`, tok.owner, '[{"email":"a@b.c"}]'],
      // An empty body under Content-Type: application/json is no body: refused where one is required.
      ['POST', `/accounts/${acme.id}/invites`, tok.owner, ''],
      ['POST', `/accounts/${acme.id}/invites`, tok.owner, { email: 42 }],
      ['POST', `/accounts/${acme.id}/invites`, tok.owner, { email: 'not an email' }],
      ['POST', `/accounts/${acme.id}/invites`, tok.owner, { email: `${'a'.repeat(10_000)}@example.com` }],
      ['POST', `/accounts/${acme.id}/invites`, tok.owner, { email: 'ok@example.com' }, { 'content-type': 'text/xml' }],
      ['PUT', '/invites/not-a-uuid/status', tok.invitee, { accept: true }],
      ['PUT', `/invites/${acme.id}/status`, tok.invitee, { accept: 'yes' }],
      ['PUT', `/invites/${acme.id}/status`, tok.invitee, {}],
      ['PUT', `/invites/${acme.id}/status`, tok.invitee, { accept: true }],
      ['PUT', `/invites/${acme.id}/status`, 'igw_not-a-real-token', { accept: true }],
      ['DELETE', `/accounts/${acme.id}/invites/not-an-email`, tok.owner, undefined],
      // Wrong JSON types are refused, never coerced ({"accept": null} once declined the invitation).
      ['PUT', `/invites/${acme.id}/status`, tok.invitee, { accept: null }],
      ['PUT', `/invites/${acme.id}/status`, tok.invitee, { accept: 'true' }],
      ['PUT', `/invites/${acme.id}/status`, tok.invitee, { accept: [true] }],
      ['POST', `/accounts/${acme.id}/invites`, tok.owner, { email: ['a@example.com'] }],
      ['POST', `/accounts/${acme.id}/invites`, tok.owner, '{"email": "a\\ud800@example.com"}'],
      // No credential: 401 before anything is read.
      ['GET', '/invites/someone@example.com', undefined, undefined],
      ['DELETE', `/accounts/${acme.id}/invites/someone@example.com`, undefined, undefined],
    ];
    for (const [method, url, token, body, headers] of cases) {
      const r = await call(method, url, token, body, headers);
      const label = `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 40)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toMatchObject({ code: r.status, message: expect.any(String) });
    }
    expect(uncoveredRoutes(inviteRoutes, cases)).toEqual([]);
  });

  it('ignores unknown body fields, as the platform did', async () => {
    const r = await call('POST', `/accounts/${acme.id}/invites`, tok.owner, { email: 'extra@example.com', recaptcha: 'x' });
    expect(r.status).toBe(200);
    expect(r.body.email).toBe('extra@example.com');
  });

  it('serves a valid OpenAPI 3.1 document of its routes', async () => {
    const res = await t.gw.app.inject({ method: 'GET', url: '/openapi/oisp.json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/v1/api/accounts/{accountId}/invites', '/v1/api/accounts/{accountId}/invites/{email}', '/v1/api/invites/{email}', '/v1/api/invites/{inviteId}/status']);
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
