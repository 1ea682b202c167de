// The accounts API (DRF style) on the REST engine: documented paths, bodies and statuses; DRF
// pagination envelopes with absolute links; DRF error shapes; both credential styles;
// organizations kept apart; bad input always a 4xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { invitationRoutes } from '../src/rest/accounts/invitations.routes.js';
import { organizationRoutes } from '../src/rest/accounts/organizations.routes.js';
import { insertInvitation } from '../src/modules/invitations/invitation.repo.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const NOT_FOUND = { detail: 'Not found.' };

describe.each(DRIVERS)('accounts dialect on %s', (driver) => {
  let t: TestGateway;
  const tok: Record<string, string> = {};
  let acme: { id: string };
  let other: { id: string };
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const owner = await s.user('acc-owner');
    const admin = await s.user('acc-admin');
    const member = await s.user('acc-member');
    const stranger = await s.user('acc-stranger');
    await s.user('acc-invitee', { email: 'acc-invitee@example.com' });
    acme = await s.org('acc-acme', { owner, name: 'Acme Accounts' });
    other = await s.org('acc-other', { owner: stranger, name: 'Other' });
    await s.member(acme as never, admin, 'admin');
    await s.member(acme as never, member, 'member');
    for (const [k, u] of Object.entries({ owner, admin, member, stranger })) tok[k] = await s.tokenFor(u);
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}, scheme = 'Bearer') => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { authorization: `${scheme} ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
  };

  describe('organizations', () => {
    it('creates, retrieves, updates, partially updates and deletes an organization', async () => {
      const created = await call('POST', '/accounts/organizations/', tok.owner, { name: 'Acc New', slug: 'acc-new.1' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Acc New', slug: 'acc-new.1', account_portal_url: expect.stringMatching(/^http:\/\/[^/]+\/accounts\/portal\/\?organization=/) });
      const id = created.body.uuid;
      expect(await call('GET', `/accounts/organizations/${id}/`, tok.owner)).toMatchObject({ status: 200, body: created.body });
      const put = await call('PUT', `/accounts/organizations/${id}/`, tok.owner, { name: 'Acc Renamed', slug: 'acc-renamed' });
      expect(put).toMatchObject({ status: 200, body: { uuid: id, name: 'Acc Renamed', slug: 'acc-renamed' } });
      const patch = await call('PATCH', `/accounts/organizations/${id}/`, tok.owner, { name: 'Acc Patched' });
      expect(patch).toMatchObject({ status: 200, body: { uuid: id, name: 'Acc Patched', slug: 'acc-renamed' } });
      // PUT needs both fields.
      expect(await call('PUT', `/accounts/organizations/${id}/`, tok.owner, { name: 'x' })).toMatchObject({ status: 400, body: { slug: ['This field is required.'] } });
      const del = await call('DELETE', `/accounts/organizations/${id}/`, tok.owner);
      expect(del.status).toBe(204);
      expect(del.body).toBeUndefined();
      expect(await call('GET', `/accounts/organizations/${id}/`, tok.owner)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('DELETE', `/accounts/organizations/${id}/`, tok.owner)).toMatchObject({ status: 404, body: NOT_FOUND });
    });

    it('validates slugs and names in DRF’s shape, and refuses a taken slug', async () => {
      expect(await call('POST', '/accounts/organizations/', tok.owner, { name: 'Bad', slug: 'has space' })).toMatchObject({ status: 400, body: { slug: [expect.stringContaining('slug')] } });
      expect(await call('POST', '/accounts/organizations/', tok.owner, { name: 'Bad', slug: 'a/b' })).toMatchObject({ status: 400, body: { slug: [expect.any(String)] } });
      expect(await call('POST', '/accounts/organizations/', tok.owner, { slug: 'no-name' })).toEqual(expect.objectContaining({ status: 400, body: { name: ['This field is required.'] } }));
      expect(await call('POST', '/accounts/organizations/', tok.owner, { name: '', slug: 'blank' })).toEqual(expect.objectContaining({ status: 400, body: { name: ['This field may not be blank.'] } }));
      expect(await call('POST', '/accounts/organizations/', tok.owner, { name: 'x'.repeat(201), slug: 'long' })).toEqual(
        expect.objectContaining({ status: 400, body: { name: ['Ensure this field has no more than 200 characters.'] } }),
      );
      expect(await call('POST', '/accounts/organizations/', tok.owner, { name: 'Dup', slug: 'ACC-ACME' })).toEqual(
        expect.objectContaining({ status: 400, body: { slug: ['organization with this slug already exists.'] } }),
      );
      expect(await call('PATCH', `/accounts/organizations/${acme.id}/`, tok.owner, { slug: 'acc-other' })).toEqual(
        expect.objectContaining({ status: 400, body: { slug: ['organization with this slug already exists.'] } }),
      );
    });

    it('lists by page number in DRF’s envelope with absolute next/previous links', async () => {
      const s = seed(t);
      for (let i = 0; i < 5; i++) await s.org(`acc-page-${i}`, { parent: acme as never, name: `Paged ${i}` });
      const p1 = await call('GET', '/accounts/organizations/?search=acc-page&page_size=2', tok.owner);
      expect(p1.status).toBe(200);
      expect(p1.body.count).toBe(5);
      expect(p1.body.results.map((o: { slug: string }) => o.slug)).toEqual(['acc-page-0', 'acc-page-1']);
      expect(p1.body.previous).toBeNull();
      const next = new URL(p1.body.next);
      expect(next.protocol).toBe('http:');
      expect(next.pathname).toBe('/accounts/organizations/');
      expect(Object.fromEntries(next.searchParams)).toEqual({ search: 'acc-page', page_size: '2', page: '2' });
      const p2 = await call('GET', next.pathname + next.search, tok.owner);
      expect(p2.body.results.map((o: { slug: string }) => o.slug)).toEqual(['acc-page-2', 'acc-page-3']);
      expect(Object.fromEntries(new URL(p2.body.previous).searchParams)).toEqual({ search: 'acc-page', page_size: '2' });
      const p3 = await call('GET', new URL(p2.body.next).pathname + new URL(p2.body.next).search, tok.owner);
      expect(p3.body).toMatchObject({ count: 5, next: null, results: [{ slug: 'acc-page-4' }] });
      expect(p3.body.previous).toMatch(/page=2/);
      expect(await call('GET', '/accounts/organizations/?search=acc-page&page_size=2&page=4', tok.owner)).toMatchObject({ status: 404, body: { detail: 'Invalid page.' } });
      // Search matches names too; the default page holds everything here.
      const byName = await call('GET', '/accounts/organizations/?search=Paged%203', tok.owner);
      expect(byName.body).toMatchObject({ count: 1, next: null, previous: null, results: [{ slug: 'acc-page-3', name: 'Paged 3' }] });
      // An empty first page is a page.
      expect(await call('GET', '/accounts/organizations/?search=nothing-like-this', tok.owner)).toMatchObject({ status: 200, body: { count: 0, next: null, previous: null, results: [] } });
      // The stranger sees only their own organization.
      const theirs = await call('GET', '/accounts/organizations/', tok.stranger);
      expect(theirs.body.results.map((o: { slug: string }) => o.slug)).toEqual(['acc-other']);
    });

    it('filters the list by id, uuid, name and slug exactly; a malformed id is a 400', async () => {
      const one = (q: string) => call('GET', `/accounts/organizations/?${q}`, tok.owner);
      expect((await one(`id=${acme.id}`)).body).toMatchObject({ count: 1, results: [{ uuid: acme.id, slug: 'acc-acme' }] });
      expect((await one(`uuid=${acme.id.toUpperCase()}`)).body).toMatchObject({ count: 1, results: [{ uuid: acme.id }] });
      expect((await one(`id=${acme.id}&uuid=${acme.id}`)).body).toMatchObject({ count: 1 });
      expect((await one('name=Acme%20Accounts')).body).toMatchObject({ count: 1, results: [{ slug: 'acc-acme' }] });
      expect((await one('name=Acme')).body).toMatchObject({ count: 0, results: [] });
      expect((await one('slug=ACC-ACME')).body).toMatchObject({ count: 1, results: [{ uuid: acme.id }] });
      expect((await one('slug=acc-acm')).body).toMatchObject({ count: 0 });
      // Another organization's id finds nothing for those outside it.
      expect((await one(`id=${other.id}`)).body).toMatchObject({ count: 0, results: [] });
      expect(await one('id=42')).toMatchObject({ status: 400, body: { id: ['Enter a valid UUID.'] } });
      expect(await one("uuid=1'%20OR%20'1'%3D'1")).toMatchObject({ status: 400, body: { uuid: ['Enter a valid UUID.'] } });
      expect(await one(`id=${acme.id}&uuid=${other.id}`)).toMatchObject({ status: 400, body: { non_field_errors: [expect.any(String)] } });
    });

    it('increments usage within the quota, refuses past it unless overridden', async () => {
      const setQuota = (quotaLimit: number | null, quotaOverride: boolean) =>
        t.gql(`mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { userErrors { code } } }`, { i: { id: seed(t).gid('Organization', acme), quotaLimit, quotaOverride } }, { token: ADMIN.token });
      expect((await setQuota(3, false)).body.data.updateOrganization.userErrors).toEqual([]);
      const url = `/accounts/organizations/${acme.id}/increment/`;
      expect(await call('POST', url, tok.admin, {})).toMatchObject({ status: 200, body: { limit: 3, usage: 1, remaining: 2, overriden: false } });
      expect(await call('POST', url, tok.owner, { usage: 2 })).toMatchObject({ status: 200, body: { limit: 3, usage: 3, remaining: 0, overriden: false } });
      const refused = await call('POST', url, tok.owner, { usage: 1 });
      expect(refused).toMatchObject({ status: 400, body: { usage: ['quota exhausted.'] } });
      // Without a body: one more.
      await setQuota(3, true);
      expect(await call('POST', url, tok.owner)).toMatchObject({ status: 200, body: { limit: 3, usage: 4, remaining: 0, overriden: true } });
      await setQuota(null, false);
      expect(await call('POST', url, tok.owner, { usage: 10 })).toMatchObject({ status: 200, body: { limit: null, usage: 14, remaining: null, overriden: false } });
      // Members may not; strangers do not see it; bad amounts are 400.
      expect(await call('POST', url, tok.member, {})).toMatchObject({ status: 403, body: FORBIDDEN });
      expect(await call('POST', url, tok.stranger, {})).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('POST', url, tok.owner, { usage: 0 })).toMatchObject({ status: 400, body: { usage: [expect.any(String)] } });
      expect(await call('POST', url, tok.owner, { usage: 'many' })).toMatchObject({ status: 400, body: { usage: ['A valid integer is required.'] } });
      // The event log has one row per accepted increment.
      const ev = await t.gql(`{ organization(slug: "acc-acme") { eventLogs(first: 50, actionIn: ["organization.incrementUsage"]) { totalCount } } }`, {}, { token: ADMIN.token });
      expect(ev.body.data.organization.eventLogs.totalCount).toBe(4);
    });

    it('never lets concurrent increments pass the limit together', async () => {
      const s = seed(t);
      const owner = await s.user('acc-race-owner');
      const race = await s.org('acc-race', { owner });
      const token = await s.tokenFor(owner);
      await t.gql(`mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { userErrors { code } } }`, { i: { id: s.gid('Organization', race), quotaLimit: 5 } }, { token: ADMIN.token });
      const results = await Promise.all(Array.from({ length: 12 }, () => call('POST', `/accounts/organizations/${race.id}/increment/`, token, { usage: 1 })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(5);
      expect(results.filter((r) => r.status === 400).every((r) => r.body.usage[0] === 'quota exhausted.')).toBe(true);
      const q = await t.gql(`{ organization(slug: "acc-race") { quota { usage remaining } } }`, {}, { token: ADMIN.token });
      expect(q.body.data.organization.quota).toEqual({ usage: 5, remaining: 0 });
    });

    it('offers offset on the organizations query for page-number clients, not with cursors', async () => {
      const r = await t.gql(`{ organizations(first: 1, offset: 1, filter: { search: "acc-page" }) { nodes { slug } pageInfo { endCursor } } }`, {}, { token: tok.owner });
      expect(r.body.data.organizations.nodes).toEqual([{ slug: 'acc-page-1' }]);
      const bad = await t.gql(`query($c: String) { organizations(first: 1, offset: 1, after: $c) { nodes { slug } } }`, { c: r.body.data.organizations.pageInfo.endCursor }, { token: tok.owner });
      expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await t.gql(`{ organizations(first: 1, offset: -1) { nodes { slug } } }`, {}, { token: tok.owner })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('accepts Bearer and Token credentials alike, and answers 401 in DRF’s words', async () => {
      const bearer = await call('GET', `/accounts/organizations/${acme.id}/`, tok.owner);
      const token = await call('GET', `/accounts/organizations/${acme.id}/`, tok.owner, undefined, {}, 'Token');
      expect(token).toMatchObject({ status: 200, body: bearer.body });
      expect((await call('GET', `/accounts/organizations/${acme.id}/`, ADMIN.token, undefined, {}, 'Token')).status).toBe(200);
      expect(await call('GET', '/accounts/organizations/')).toMatchObject({ status: 401, body: { detail: 'Authentication credentials were not provided.' } });
      expect(await call('GET', '/accounts/organizations/', 'x', undefined, {}, 'Basic')).toMatchObject({ status: 401, body: { detail: 'Authentication credentials were not provided.' } });
      expect(await call('GET', '/accounts/organizations/', 'igw_not-a-real-token', undefined, {}, 'Token')).toMatchObject({ status: 401, body: { detail: 'Invalid token.' } });
      expect(await call('POST', '/accounts/organizations/', undefined, { name: 'n', slug: 'anon' })).toMatchObject({ status: 401 });
    });

    it('keeps organizations apart: another organization’s owner reads and changes nothing', async () => {
      for (const [method, url, body] of [
        ['GET', `/accounts/organizations/${acme.id}/`, undefined],
        ['PUT', `/accounts/organizations/${acme.id}/`, { name: 'Mine', slug: 'mine' }],
        ['PATCH', `/accounts/organizations/${acme.id}/`, { name: 'Mine' }],
        ['DELETE', `/accounts/organizations/${acme.id}/`, undefined],
        ['POST', `/accounts/organizations/${acme.id}/increment/`, {}],
        ['GET', `/accounts/invite/?organization=${acme.id}`, undefined],
        ['POST', `/accounts/invite/?organization=${acme.id}`, { invitee_identifier: 'x@example.com' }],
      ] as const) {
        expect(await call(method, url, tok.stranger, body), `${method} ${url}`).toMatchObject({ status: 404, body: NOT_FOUND });
      }
      // Members read but do not change; admins are not owners.
      expect((await call('GET', `/accounts/organizations/${acme.id}/`, tok.member)).status).toBe(200);
      expect(await call('PATCH', `/accounts/organizations/${acme.id}/`, tok.member, { name: 'Mine' })).toMatchObject({ status: 403, body: FORBIDDEN });
      expect(await call('DELETE', `/accounts/organizations/${acme.id}/`, tok.admin)).toMatchObject({ status: 403, body: FORBIDDEN });
      expect((await call('GET', `/accounts/organizations/${acme.id}/`, tok.owner)).body).toMatchObject({ name: 'Acme Accounts', slug: 'acc-acme' });
    });
  });

  describe('invitations', () => {
    it('creates, lists, retrieves, resends and revokes invitations', async () => {
      const q = `?organization=${acme.id}`;
      const created = await call('POST', `/accounts/invite/${q}`, tok.admin, { invitee_identifier: 'acc-invitee@example.com' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        invitee_identifier: 'acc-invitee@example.com',
        role: 'member',
        invited_by: expect.stringMatching(/^[0-9a-f-]{36}$/),
        sent_at: expect.any(String),
        valid_until: expect.any(String),
        status: 'pending',
      });
      expect(new Date(created.body.valid_until).getTime()).toBeGreaterThan(Date.now());
      const byName = await call('POST', '/accounts/invite/', tok.owner, { invitee_identifier: 'acc-stranger', role: 'owner', organization: acme.id });
      expect(byName).toMatchObject({ status: 201, body: { invitee_identifier: 'acc-stranger', role: 'owner' } });
      // Only owners invite owners.
      expect(await call('POST', `/accounts/invite/${q}`, tok.admin, { invitee_identifier: 'boss@example.com', role: 'owner' })).toMatchObject({ status: 403, body: FORBIDDEN });

      const list = await call('GET', `/accounts/invite/${q}&page_size=1`, tok.admin);
      expect(list.status).toBe(200);
      expect(list.body.count).toBe(2);
      expect(list.body.results).toEqual([byName.body]);
      expect(list.body.previous).toBeNull();
      const next = new URL(list.body.next);
      expect(Object.fromEntries(next.searchParams)).toEqual({ organization: acme.id, page_size: '1', page: '2' });
      expect((await call('GET', next.pathname + next.search, tok.admin)).body).toMatchObject({ count: 2, next: null, results: [created.body] });

      expect(await call('GET', `/accounts/invite/${created.body.uuid}/`, tok.admin)).toMatchObject({ status: 200, body: created.body });
      const resent = await call('POST', `/accounts/invite/${created.body.uuid}/`, tok.admin, []);
      expect(resent.status).toBe(200);
      expect(new Date(resent.body.valid_until).getTime()).toBeGreaterThan(new Date(created.body.valid_until).getTime());

      expect((await call('DELETE', `/accounts/invite/${created.body.uuid}/`, tok.admin)).status).toBe(204);
      expect((await call('GET', `/accounts/invite/${created.body.uuid}/`, tok.admin)).body).toMatchObject({ status: 'revoked' });
      // A revoked invitation is not resent nor revoked again.
      expect((await call('POST', `/accounts/invite/${created.body.uuid}/`, tok.admin)).status).toBe(400);
      expect((await call('DELETE', `/accounts/invite/${created.body.uuid}/`, tok.admin)).status).toBe(400);
      expect(await call('GET', `/accounts/invite/${UNKNOWN}/`, tok.admin)).toMatchObject({ status: 404, body: NOT_FOUND });
    });

    it('pages by number through all of an organization’s invitations, newest first, past the first hundred', async () => {
      const s = seed(t);
      const owner = await s.user('acc-many-owner');
      const many = await s.org('acc-many', { owner });
      const until = new Date(Date.now() + 86_400_000);
      for (let i = 0; i < 105; i++) await insertInvitation(t.db.db, { organizationId: many.id, inviteeEmail: `many-${String(i).padStart(3, '0')}@example.com`, validUntil: until });
      const token = await s.tokenFor(owner);
      const last = await call('GET', `/accounts/invite/?organization=${many.id}&page_size=50&page=3`, token);
      expect(last.status).toBe(200);
      expect(last.body.count).toBe(105);
      expect(last.body.next).toBeNull();
      // Newest first: the oldest five are on the last page.
      expect(last.body.results.map((i: { invitee_identifier: string }) => i.invitee_identifier)).toEqual([4, 3, 2, 1, 0].map((n) => `many-00${n}@example.com`));
      const first = await call('GET', `/accounts/invite/?organization=${many.id}&page_size=50`, token);
      expect(first.body.results[0].invitee_identifier).toBe('many-104@example.com');
      expect(await call('GET', `/accounts/invite/?organization=${many.id}&page_size=50&page=4`, token)).toMatchObject({ status: 404, body: { detail: 'Invalid page.' } });
    });

    it('takes the organization an API token is bound to when none is given (Token scheme)', async () => {
      const r = await t.gql(`mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { message } } }`, { i: { username: 'acc-owner', name: 'acc', scopes: ['API'], organizationId: seed(t).gid('Organization', acme) } }, { token: tok.owner });
      const pat = r.body.data.createPersonalAccessToken.token;
      expect(pat, JSON.stringify(r.body)).toEqual(expect.any(String));
      const created = await call('POST', '/accounts/invite/', pat, { invitee_identifier: 'bound@example.com' }, {}, 'Token');
      expect(created.status).toBe(201);
      const list = await call('GET', '/accounts/invite/?page_size=100', pat, undefined, {}, 'Token');
      expect(list.status).toBe(200);
      expect(list.body.results.map((i: { invitee_identifier: string }) => i.invitee_identifier)).toContain('bound@example.com');
    });

    it('needs the organization, admin rights, and keeps organizations apart', async () => {
      expect(await call('GET', '/accounts/invite/', tok.admin)).toMatchObject({ status: 400, body: { organization: ['This field is required.'] } });
      expect(await call('GET', `/accounts/invite/?organization=${acme.id}`, tok.member)).toMatchObject({ status: 403, body: FORBIDDEN });
      const mine = await call('POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, { invitee_identifier: 'iso@example.com' });
      expect(mine.status).toBe(201);
      for (const method of ['GET', 'POST', 'DELETE']) {
        expect(await call(method, `/accounts/invite/${mine.body.uuid}/`, tok.stranger), method).toMatchObject({ status: 404, body: NOT_FOUND });
      }
      expect((await call('GET', `/accounts/invite/?organization=${other.id}`, tok.stranger)).body).toMatchObject({ count: 0, results: [] });
    });
  });

  it('answers every kind of bad input with a 4xx and a DRF-shaped JSON body', async () => {
    const big = 'a'.repeat(10_000);
    const org = `/accounts/organizations/${acme.id}/`;
    const cases: [string, string, string | undefined, unknown, Record<string, string>?][] = [
      ['GET', '/accounts/organizations/?page=abc', tok.owner, undefined],
      ['GET', '/accounts/organizations/?page=0', tok.owner, undefined],
      ['GET', '/accounts/organizations/?page_size=0', tok.owner, undefined],
      ['GET', `/accounts/organizations/?search=${big}`, tok.owner, undefined],
      ['GET', "/accounts/organizations/?search=1'%20OR%20'1'%3D'1&page=2", tok.owner, undefined],
      ['GET', '/accounts/organizations/?page=999999', tok.owner, undefined],
      ['GET', '/accounts/organizations/?id=..%2F..%2Fetc%2Fpasswd', tok.owner, undefined],
      ['GET', '/accounts/organizations/?uuid=%00', tok.owner, undefined],
      ['GET', `/accounts/organizations/?name=${big}`, tok.owner, undefined],
      ['GET', '/accounts/organizations/not-a-uuid/', tok.owner, undefined],
      ['GET', `/accounts/organizations/${UNKNOWN}/`, tok.owner, undefined],
      ['GET', '/accounts/organizations/..%2F..%2Fetc%2Fpasswd/', tok.owner, undefined],
      ['GET', "/accounts/organizations/1'%20OR%20'1'%3D'1/", tok.owner, undefined],
      ['GET', '/accounts/organizations/%00/', tok.owner, undefined],
      ['GET', `/accounts/organizations/${big}/`, tok.owner, undefined],
      ['POST', '/accounts/organizations/', tok.owner, '{"name": '],
      ['POST', '/accounts/organizations/', tok.owner, '[{"name":"a","slug":"b"}]'],
      ['POST', '/accounts/organizations/', tok.owner, { name: { x: 1 }, slug: 'obj' }],
      ['POST', '/accounts/organizations/', tok.owner, { name: 'n', slug: big }],
      ['POST', '/accounts/organizations/', tok.owner, { name: big, slug: 'big' }],
      ['POST', '/accounts/organizations/', tok.owner, { name: 'n', slug: "1' OR '1'='1" }],
      ['POST', '/accounts/organizations/', tok.owner, { name: 'n', slug: 'nul\u0000' }],
      ['POST', '/accounts/organizations/', tok.owner, { name: 'n', slug: 'xml' }, { 'content-type': 'text/xml' }],
      ['PUT', org, tok.owner, {}],
      ['PUT', org, tok.owner, '"just a string"'],
      ['PATCH', org, tok.owner, { slug: '../../etc/passwd' }],
      ['PATCH', `/accounts/organizations/${UNKNOWN}/`, tok.owner, { name: 'x' }],
      ['DELETE', `/accounts/organizations/${UNKNOWN}/`, tok.owner, undefined],
      ['POST', `${org}increment/`, tok.owner, { usage: -1 }],
      ['POST', `${org}increment/`, tok.owner, { usage: 1e12 }],
      ['POST', `${org}increment/`, tok.owner, '[1]'],
      ['POST', `/accounts/organizations/${UNKNOWN}/increment/`, tok.owner, {}],
      ['GET', '/accounts/invite/?organization=..%2F..%2Fetc%2Fpasswd', tok.owner, undefined],
      ['GET', `/accounts/invite/?organization=${UNKNOWN}`, tok.owner, undefined],
      ['GET', `/accounts/invite/?organization=${acme.id}&page=50`, tok.owner, undefined],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, {}],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, { invitee_identifier: '' }],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, { invitee_identifier: '   ' }],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, { invitee_identifier: 42 }],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, { invitee_identifier: `${big}@example.com` }],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, { invitee_identifier: 'no-such-user-anywhere' }],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, { invitee_identifier: 'a@b.c', role: 'emperor' }],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, { invitee_identifier: "1' OR '1'='1" }],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, { invitee_identifier: '%00' }],
      ['GET', '/accounts/invite/not-a-uuid/', tok.owner, undefined],
      ['POST', `/accounts/invite/${UNKNOWN}/`, tok.owner, undefined],
      ['DELETE', `/accounts/invite/${UNKNOWN}/`, tok.owner, undefined],
      ['DELETE', '/accounts/invite/..%2F..%2Fetc%2Fpasswd/', tok.owner, undefined],
      ['GET', `/accounts/organizations/${acme.id}/`, 'igw_not-a-real-token', undefined],
      // Wrong JSON types are refused, never coerced (true once became the name "true", [1] an increment).
      ['POST', '/accounts/organizations/', tok.owner, { name: true, slug: 'acc-bool' }],
      ['POST', '/accounts/organizations/', tok.owner, { name: ['x'], slug: 'acc-arr' }],
      ['POST', `/accounts/organizations/${acme.id}/increment/`, tok.owner, { usage: [1] }],
      ['POST', `/accounts/organizations/${acme.id}/increment/`, tok.owner, { usage: true }],
      ['POST', `/accounts/invite/?organization=${acme.id}`, tok.owner, '{"invitee_identifier": "a\\ud800@example.com"}'],
      // No credential: 401 {"detail": "Authentication credentials were not provided."} before anything is read.
      ['GET', `/accounts/organizations/${acme.id}/`, undefined, undefined],
      ['DELETE', `/accounts/invite/${UNKNOWN}/`, undefined, undefined],
    ];
    for (const [method, url, token, body, headers] of cases) {
      const r = await call(method, url, token, body, headers);
      const label = `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 40)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.headers['content-type'], label).toMatch(/application\/json/);
      const b = r.body as Record<string, unknown>;
      const drf = typeof b.detail === 'string' || (Object.keys(b).length > 0 && Object.values(b).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string')));
      expect(drf, `${label} → ${JSON.stringify(b)}`).toBe(true);
    }
    // Every route of these tables got bad input.
    expect(uncoveredRoutes([...organizationRoutes, ...invitationRoutes], cases)).toEqual([]);
    // Nothing of that changed acme.
    expect((await call('GET', org, tok.owner)).body).toMatchObject({ name: 'Acme Accounts', slug: 'acc-acme' });
  });

  it('serves a valid OpenAPI 3.1 document of its routes', async () => {
    const res = await t.gw.app.inject({ method: 'GET', url: '/openapi/accounts.json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/accounts/analysts/',
      '/accounts/analysts/current/',
      '/accounts/groups/',
      '/accounts/invite/',
      '/accounts/invite/{uuid}/',
      '/accounts/login_url/',
      '/accounts/organizations/',
      '/accounts/organizations/{uuid}/',
      '/accounts/organizations/{uuid}/increment/',
      '/accounts/portal/',
      '/accounts/users/',
      '/accounts/users/{uuid}/',
    ]);
    // All 24 documented operations.
    expect(Object.values(doc.paths).reduce((n: number, p) => n + Object.keys(p as object).length, 0)).toBe(24);
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
