// An Itsyouonline organization's registry, descriptions, logo, 2FA validity and contracts on the
// REST engine: the documented status and body of each route; owners change, members read (a
// member's change 403, a stranger 404, anonymous 401, and nothing changes — read back); size
// limits 413; the English fallback of descriptions; contract ids computed as for users; lists
// with a flat statement count; deleting the organization leaves none of its rows.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, organizationApiKeys, organizationDescriptions, organizationIyoSettings, organizationRegistryEntries } from '../schema/index.js';
import { findOrganizationBySlug } from '../src/modules/organizations/organization.repo.js';
import { orgExtrasRoutes } from '../src/rest/iyo/orgextras.routes.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf } from './helpers/seed-users.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58check(payload: Buffer): string {
  const checksum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest().subarray(0, 4);
  const bytes = Buffer.concat([payload, checksum]);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
const expectedId = (json: string) => base58check(Buffer.concat([Buffer.from([0]), createHash('ripemd160').update(createHash('sha256').update(json, 'utf8').digest()).digest()]));

describe.each(DRIVERS)('iyo dialect: organization registry, description, logo, 2FA validity, contracts on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const owner = await s.user('oxowner');
    const member = await s.user('oxmember');
    tok = { owner: await s.tokenFor(owner), member: await s.tokenFor(member), stranger: await s.tokenFor(await s.user('oxstranger')) };
    for (const slug of ['oxacme', 'oxglobex']) {
      const r = await t.gql(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { slug } userErrors { code } } }`, { i: { slug, name: slug } }, { token: tok.owner });
      expect(r.body.data.createOrganization.organization.slug).toBe(slug);
    }
    await s.member((await findOrganizationBySlug(t.db.db, 'oxacme'))!, member);
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
  /** A change a member, a stranger and an anonymous caller try: 403, 404, 401 — each with an {error}. */
  const refused = async (method: string, url: string, body?: unknown) => {
    for (const [who, status] of [
      [tok.member, 403],
      [tok.stranger, 404],
      [undefined, 401],
    ] as const) {
      const r = await call(method, url, who, body);
      expect(r.status, `${method} ${url} as ${who === tok.member ? 'member' : who ? 'stranger' : 'anonymous'}`).toBe(status);
      expect(r.body).toEqual({ error: expect.any(String) });
    }
  };

  it('registry: POST 201 (overwriting), GET list and key, DELETE 204; members read, others refused, nothing changed; 413 over the limit', async () => {
    const w = await call('POST', '/organizations/oxacme/registry', tok.owner, { Key: 'theme', Value: 'dark' });
    expect(w).toEqual({ status: 201, body: { Key: 'theme', Value: 'dark' } });
    expect((await call('POST', '/organizations/oxacme/registry', tok.owner, { Key: 'theme', Value: 'light' })).status).toBe(201);
    await call('POST', '/organizations/oxacme/registry', tok.owner, { Key: 'a key', Value: '' });
    const list = [
      { Key: 'a key', Value: '' },
      { Key: 'theme', Value: 'light' },
    ];
    expect(await call('GET', '/organizations/oxacme/registry', tok.owner)).toEqual({ status: 200, body: list });
    expect(await call('GET', '/organizations/oxacme/registry', tok.member)).toEqual({ status: 200, body: list });
    expect(await call('GET', '/organizations/oxacme/registry/theme', tok.member)).toEqual({ status: 200, body: { Key: 'theme', Value: 'light' } });
    expect((await call('GET', '/organizations/oxacme/registry/nokey', tok.owner)).status).toBe(404);
    expect((await call('GET', '/organizations/oxacme/registry', tok.stranger)).status).toBe(404);
    expect((await call('GET', '/organizations/oxacme/registry/theme', tok.stranger)).status).toBe(404);
    expect((await call('GET', '/organizations/nosuchorg/registry', tok.owner)).status).toBe(404);

    await refused('POST', '/organizations/oxacme/registry', { Key: 'theme', Value: 'pwned' });
    await refused('DELETE', '/organizations/oxacme/registry/theme');
    const big = await call('POST', '/organizations/oxacme/registry', tok.owner, { Key: 'big', Value: 'v'.repeat(1025) });
    expect(big).toEqual({ status: 413, body: { error: expect.any(String) } });
    expect((await call('GET', '/organizations/oxacme/registry', tok.owner)).body).toEqual(list);
    // Another organization's registry is its own.
    expect((await call('GET', '/organizations/oxglobex/registry', tok.owner)).body).toEqual([]);

    expect((await call('DELETE', '/organizations/oxacme/registry/theme', tok.owner)).status).toBe(204);
    expect((await call('GET', '/organizations/oxacme/registry/theme', tok.owner)).status).toBe(404);
    expect((await call('DELETE', '/organizations/oxacme/registry/theme', tok.owner)).status).toBe(404);
    expect(await eventsOf(t, 'organizationRegistry.set')).toHaveLength(3);
    expect(await eventsOf(t, 'organizationRegistry.remove')).toHaveLength(1);
  });

  it('description: POST 201, PUT 200 (404 without one), GET by language with the English fallback, DELETE 204', async () => {
    expect(await call('GET', '/organizations/oxacme/description/en', tok.owner)).toEqual({ status: 200, body: { langkey: 'en', text: '' } });
    expect(await call('GET', '/organizations/oxacme/description/nl/withfallback', tok.owner)).toEqual({ status: 200, body: { langkey: 'nl', text: '' } });
    expect((await call('PUT', '/organizations/oxacme/description', tok.owner, { langkey: 'en', text: 'x' })).status).toBe(404);

    expect(await call('POST', '/organizations/oxacme/description', tok.owner, { langkey: 'EN', text: 'We make anvils.' })).toEqual({ status: 201, body: { langkey: 'en', text: 'We make anvils.' } });
    expect(await call('PUT', '/organizations/oxacme/description', tok.owner, { langkey: 'en', text: 'We make fine anvils.' })).toEqual({ status: 200, body: { langkey: 'en', text: 'We make fine anvils.' } });
    expect(await call('POST', '/organizations/oxacme/description', tok.owner, { langkey: 'nl', text: 'Wij maken aambeelden.' })).toEqual({ status: 201, body: { langkey: 'nl', text: 'Wij maken aambeelden.' } });

    expect((await call('GET', '/organizations/oxacme/description/nl', tok.member)).body).toEqual({ langkey: 'nl', text: 'Wij maken aambeelden.' });
    expect((await call('GET', '/organizations/oxacme/description/nl/withfallback', tok.member)).body).toEqual({ langkey: 'nl', text: 'Wij maken aambeelden.' });
    // No French: empty without fallback, English with it.
    expect((await call('GET', '/organizations/oxacme/description/fr', tok.member)).body).toEqual({ langkey: 'fr', text: '' });
    expect((await call('GET', '/organizations/oxacme/description/fr/withfallback', tok.member)).body).toEqual({ langkey: 'en', text: 'We make fine anvils.' });
    expect((await call('GET', '/organizations/oxacme/description/en', tok.stranger)).status).toBe(404);

    await refused('POST', '/organizations/oxacme/description', { langkey: 'en', text: 'pwned' });
    await refused('PUT', '/organizations/oxacme/description', { langkey: 'en', text: 'pwned' });
    await refused('DELETE', '/organizations/oxacme/description/en');
    expect((await call('POST', '/organizations/oxacme/description', tok.owner, { langkey: 'de', text: 'x'.repeat(10_001) })).status).toBe(413);
    expect((await call('GET', '/organizations/oxacme/description/en', tok.owner)).body.text).toBe('We make fine anvils.');
    expect((await call('GET', '/organizations/oxacme/description/de', tok.owner)).body.text).toBe('');

    expect((await call('DELETE', '/organizations/oxacme/description/en', tok.owner)).status).toBe(204);
    expect((await call('DELETE', '/organizations/oxacme/description/en', tok.owner)).status).toBe(404);
    expect((await call('GET', '/organizations/oxacme/description/fr/withfallback', tok.owner)).body).toEqual({ langkey: 'fr', text: '' });
    expect(await eventsOf(t, 'organizationDescription.set')).toHaveLength(3);
  });

  it('logo: PUT 200 stored as given, GET, DELETE 204; 413 over the limit; others refused', async () => {
    expect(await call('GET', '/organizations/oxacme/logo', tok.owner)).toEqual({ status: 200, body: { logo: '' } });
    const logo = `data:image/png;base64,${Buffer.from('\x89PNG fake image bytes').toString('base64')}`;
    expect(await call('PUT', '/organizations/oxacme/logo', tok.owner, { logo })).toEqual({ status: 200, body: { logo } });
    expect(await call('GET', '/organizations/oxacme/logo', tok.member)).toEqual({ status: 200, body: { logo } });
    expect((await call('GET', '/organizations/oxacme/logo', tok.stranger)).status).toBe(404);
    await refused('PUT', '/organizations/oxacme/logo', { logo: 'data:image/png;base64,AAAA' });
    await refused('DELETE', '/organizations/oxacme/logo');
    const big = await call('PUT', '/organizations/oxacme/logo', tok.owner, { logo: `data:image/png;base64,${'A'.repeat(524_289)}` });
    expect(big).toEqual({ status: 413, body: { error: expect.any(String) } });
    expect((await call('GET', '/organizations/oxacme/logo', tok.owner)).body).toEqual({ logo });
    expect((await call('DELETE', '/organizations/oxacme/logo', tok.owner)).status).toBe(204);
    expect((await call('GET', '/organizations/oxacme/logo', tok.owner)).body).toEqual({ logo: '' });
    expect(await eventsOf(t, 'organizationLogo.set')).toHaveLength(1);
    expect(await eventsOf(t, 'organizationLogo.remove')).toHaveLength(1);
  });

  it('2fa/validity: 604800 by default; PUT takes the bare integer or {secondsvalidity}, clamped to 0 … 2678400', async () => {
    expect(await call('GET', '/organizations/oxacme/2fa/validity', tok.member)).toEqual({ status: 200, body: 604800 });
    expect(await call('PUT', '/organizations/oxacme/2fa/validity', tok.owner, 86400)).toEqual({ status: 200, body: 86400 });
    expect((await call('GET', '/organizations/oxacme/2fa/validity', tok.owner)).body).toBe(86400);
    expect(await call('PUT', '/organizations/oxacme/2fa/validity', tok.owner, { secondsvalidity: 3_000_000 })).toEqual({ status: 200, body: 2678400 });
    expect(await call('PUT', '/organizations/oxacme/2fa/validity', tok.owner, -5)).toEqual({ status: 200, body: 0 });
    expect((await call('GET', '/organizations/oxacme/2fa/validity', tok.owner)).body).toBe(0);
    await refused('PUT', '/organizations/oxacme/2fa/validity', 60);
    expect((await call('GET', '/organizations/oxacme/2fa/validity', tok.stranger)).status).toBe(404);
    expect((await call('GET', '/organizations/oxacme/2fa/validity', tok.owner)).body).toBe(0);
    expect((await call('GET', '/organizations/oxglobex/2fa/validity', tok.owner)).body).toBe(604800);
  });

  const contract = {
    parties: [
      { type: 'organization', name: 'oxacme' },
      { type: 'user', name: 'oxmember' },
    ],
    content: 'Acme hires Member.\nSigned.',
    contractType: 'employment',
    invalidates: [],
    extends: [],
    expires: '2099-01-01T00:00:00.000Z',
  };

  it('contracts: POST 201 with the documented id, 409 for a copy, the organization must be a party; GET for owners, newest first', async () => {
    const r = await call('POST', '/organizations/oxacme/contracts', tok.owner, { ...contract, signatures: [{ signedBy: 'oxowner', date: '2026-01-01T00:00:00.000Z', publicKey: 'pk', signature: 'sig' }] });
    expect(r.status).toBe(201);
    expect(r.body.contractId).toBe(expectedId(JSON.stringify({ parties: contract.parties, content: contract.content, contractType: 'employment', invalidates: [], extends: [], expires: contract.expires })));
    expect(r.body).toMatchObject({ ...contract, signatures: [{ signedBy: 'oxowner', publicKey: 'pk', signature: 'sig' }] });
    expect((await call('POST', '/organizations/oxacme/contracts', tok.owner, contract)).status).toBe(409);
    expect((await call('POST', '/organizations/oxacme/contracts', tok.owner, { ...contract, content: 'other', contractId: r.body.contractId })).status).toBe(400);
    expect((await call('POST', '/organizations/oxacme/contracts', tok.owner, { ...contract, parties: [{ type: 'organization', name: 'oxglobex' }], content: 'not ours' })).status).toBe(400);
    const later = await call('POST', '/organizations/oxacme/contracts', tok.owner, { ...contract, content: 'later' });
    const expired = await call('POST', '/organizations/oxacme/contracts', tok.owner, { ...contract, content: 'old', expires: '2001-01-01T00:00:00Z' });
    expect(expired.status).toBe(201);

    const list = await call('GET', '/organizations/oxacme/contracts', tok.owner);
    expect(list.status).toBe(200);
    expect(list.body.map((c: { contractId: string }) => c.contractId)).toEqual([later.body.contractId, r.body.contractId]);
    expect((await call('GET', '/organizations/oxacme/contracts?includeExpired=true&start=2&max=1', tok.owner)).body.map((c: { content: string }) => c.content)).toEqual([contract.content]);
    expect((await call('GET', '/organizations/oxacme/contracts?includeExpired=true', tok.owner)).body).toHaveLength(3);
    // The user among the parties sees it in their own list too.
    expect((await call('GET', '/users/oxmember/contracts', tok.member)).body.map((c: { contractId: string }) => c.contractId)).toContain(r.body.contractId);
    // The other organization has none; members and strangers are refused.
    expect((await call('GET', '/organizations/oxglobex/contracts', tok.owner)).body).toEqual([]);
    expect((await call('GET', '/organizations/oxacme/contracts', tok.member)).status).toBe(403);
    expect((await call('GET', '/organizations/oxacme/contracts', tok.stranger)).status).toBe(404);
    await refused('POST', '/organizations/oxacme/contracts', { ...contract, content: 'forged' });
    expect((await call('POST', '/organizations/oxacme/contracts', tok.owner, { ...contract, content: 'x'.repeat(70_000) })).status).toBe(413);
    expect((await call('GET', '/organizations/oxacme/contracts?includeExpired=true', tok.owner)).body).toHaveLength(3);
  });

  it('reads the lists of 1 or 20 organizations with the same number of statements', async () => {
    const s = seed(t);
    const owner = await s.user('oxbulk');
    const ownerTok = await s.tokenFor(owner);
    for (let i = 0; i < 20; i++) {
      const org = await s.org(`oxbulk-${String(i).padStart(2, '0')}`, { owner });
      await t.db.db.insert(organizationRegistryEntries).values([0, 1, 2].map((k) => ({ organizationId: org.id, key: `k${k}`, value: `v${i}` })));
      await t.db.db.insert(organizationDescriptions).values({ organizationId: org.id, langKey: 'en', text: `Org ${i}` });
      await t.db.db.insert(organizationIyoSettings).values({ organizationId: org.id, logo: `logo${i}`, twoFactorValiditySeconds: i });
      await t.db.db.insert(organizationApiKeys).values({ organizationId: org.id, label: 'ci', keyHash: `hash-${i}` });
    }
    const q = `query($n: Int!) { organizations(first: $n, filter: { slugContains: "oxbulk-" }) { nodes { slug registry { key value } descriptions { langKey text }
      description(langKey: "fr", withFallback: true) { text } logo twoFactorValidity apiKeys { label } contracts { contractId } } } }`;
    const count = async (n: number) => {
      const before = t.db.statementCount;
      const r = await t.gql(q, { n }, { token: ownerTok });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.organizations.nodes).toHaveLength(n);
      for (const o of r.body.data.organizations.nodes) {
        expect(o.registry).toHaveLength(3);
        expect(o.apiKeys).toEqual([{ label: 'ci' }]);
        expect(o.description.text).toMatch(/^Org \d+$/);
      }
      return t.db.statementCount - before;
    };
    const one = await count(1);
    expect(one).toBeGreaterThan(0);
    expect(await count(20)).toBe(one);
    // The REST list of a registry: the same count for 3 entries or 60.
    const restCount = async () => {
      const before = t.db.statementCount;
      expect((await call('GET', '/organizations/oxbulk-00/registry', ownerTok)).status).toBe(200);
      return t.db.statementCount - before;
    };
    const few = await restCount();
    expect(few).toBeGreaterThan(0);
    const org = (await findOrganizationBySlug(t.db.db, 'oxbulk-00'))!;
    await t.db.db.insert(organizationRegistryEntries).values(Array.from({ length: 57 }, (_, k) => ({ organizationId: org.id, key: `more${k}`, value: 'v' })));
    expect(await restCount()).toBe(few);
  });

  it('deleting the organization leaves none of its registry, descriptions, settings or keys', async () => {
    const s = seed(t);
    const owner = await s.user('oxdel');
    const ownerTok = await s.tokenFor(owner);
    const r = await t.gql(`mutation { createOrganization(input: { slug: "oxdelorg", name: "d" }) { organization { id } } }`, {}, { token: ownerTok });
    const gid = r.body.data.createOrganization.organization.id;
    await call('POST', '/organizations/oxdelorg/registry', ownerTok, { Key: 'k', Value: 'v' });
    await call('POST', '/organizations/oxdelorg/description', ownerTok, { langkey: 'en', text: 'x' });
    await call('PUT', '/organizations/oxdelorg/logo', ownerTok, { logo: 'x' });
    await call('PUT', '/organizations/oxdelorg/2fa/validity', ownerTok, 5);
    await call('POST', '/organizations/oxdelorg/apikeys', ownerTok, { label: 'k1' });
    const c = await call('POST', '/organizations/oxdelorg/contracts', ownerTok, { ...contract, parties: [{ type: 'organization', name: 'oxdelorg' }], content: 'd' });
    expect(c.status).toBe(201);
    const id = (await findOrganizationBySlug(t.db.db, 'oxdelorg'))!.id;
    const d = await t.gql(`mutation($id: ID!) { deleteOrganization(input: { id: $id }) { userErrors { code } } }`, { id: gid }, { token: ownerTok });
    expect(d.body.errors).toBeUndefined();
    for (const table of [organizationRegistryEntries, organizationDescriptions, organizationIyoSettings, organizationApiKeys]) {
      expect(await t.db.db.select().from(table).where(eq(table.organizationId, id))).toEqual([]);
    }
    // A contract is a document of all its parties: it stays (for the user parties) and lists under no organization.
    const [kept] = await t.db.db.select().from(contracts).where(eq(contracts.contractId, c.body.contractId));
    expect(kept).toBeDefined();
  });

  it('the graph: expected failures are userErrors, refusals top-level errors, and a refused change writes nothing', async () => {
    const add = `mutation($i: CreateOrganizationApiKeyInput!) { createOrganizationApiKey(input: $i) { secret apiKey { label clientCredentialsGrantType } userErrors { code field } } }`;
    const first = await t.gql(add, { i: { organization: 'oxglobex', label: 'graph key' } }, { token: tok.owner });
    expect(first.body.data.createOrganizationApiKey).toEqual({ secret: expect.stringMatching(/^igwo_/), apiKey: { label: 'graph key', clientCredentialsGrantType: false }, userErrors: [] });
    const again = await t.gql(add, { i: { organization: 'oxglobex', label: 'graph key' } }, { token: tok.owner });
    expect(again.body.data.createOrganizationApiKey).toEqual({ secret: null, apiKey: null, userErrors: [{ code: 'CONFLICT', field: 'label' }] });
    const member = await t.gql(`mutation { setOrganizationTwoFactorValidity(input: { organization: "oxacme", seconds: 1 }) { seconds } }`, {}, { token: tok.member });
    expect(member.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const r = await t.gql(`{ organization(slug: "oxglobex") { apiKeys { label } twoFactorValidity logo description(langKey: "EN") { langKey } } }`, {}, { token: tok.owner });
    expect(r.body.data.organization).toEqual({ apiKeys: [{ label: 'graph key' }], twoFactorValidity: 604800, logo: null, description: null });
    expect((await t.gql(`{ organization(slug: "oxacme") { apiKeys { label } } }`, {}, { token: tok.member })).body.data.organization.apiKeys).toEqual([]);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['POST', '/organizations/oxacme/registry', tok.owner, { Key: 1, Value: 'x' }],
      ['POST', '/organizations/oxacme/registry', tok.owner, { Key: 'k'.repeat(257), Value: 'x' }],
      ['POST', '/organizations/oxacme/registry', tok.owner, { Key: 'k', Value: 'nul\u0000' }],
      ['POST', '/organizations/%00/registry', tok.owner, { Key: 'k', Value: 'v' }],
      ['GET', '/organizations/oxacme/registry', undefined],
      ['GET', '/organizations/oxacme/registry/%00', tok.owner],
      ['DELETE', `/organizations/oxacme/registry/${'k'.repeat(300)}`, tok.owner],
      ['POST', '/organizations/oxacme/description', tok.owner, { langkey: 'english!', text: 'x' }],
      ['POST', '/organizations/oxacme/description', tok.owner, { langkey: 'en', text: 5 }],
      ['POST', '/organizations/oxacme/description', tok.owner, { langkey: 'en' }],
      ['PUT', '/organizations/oxacme/description', tok.owner, { langkey: ['en'], text: 'x' }],
      ['PUT', '/organizations/oxacme/description', tok.owner, '{"langkey":'],
      ['GET', '/organizations/oxacme/description/e', tok.owner],
      ['GET', '/organizations/oxacme/description/%00/withfallback', tok.owner],
      ['DELETE', '/organizations/oxacme/description/toolonglanguagekey', tok.owner],
      ['GET', '/organizations/oxacme/logo', undefined],
      ['PUT', '/organizations/oxacme/logo', tok.owner, { logo: 42 }],
      ['PUT', '/organizations/oxacme/logo', tok.owner, { logo: 'nul\u0000' }],
      ['PUT', '/organizations/oxacme/logo', tok.owner, {}],
      ['DELETE', '/organizations/%00/logo', tok.owner],
      ['GET', '/organizations/%00/2fa/validity', tok.owner],
      ['PUT', '/organizations/oxacme/2fa/validity', tok.owner, '"3600"'],
      ['PUT', '/organizations/oxacme/2fa/validity', tok.owner, 1.5],
      ['PUT', '/organizations/oxacme/2fa/validity', tok.owner, { secondsvalidity: 'a day' }],
      ['PUT', '/organizations/oxacme/2fa/validity', tok.owner, 1e12],
      ['GET', '/organizations/oxacme/contracts?max=1000', tok.owner],
      ['GET', '/organizations/oxacme/contracts?start=-1', tok.owner],
      ['POST', '/organizations/oxacme/contracts', tok.owner, { ...contract, expires: 'soon' }],
      ['POST', '/organizations/oxacme/contracts', tok.owner, { ...contract, parties: 'oxacme' }],
      ['POST', '/organizations/oxacme/contracts', tok.owner, { ...contract, content: 42 }],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(orgExtrasRoutes, cases)).toEqual([]);
    // Nothing of it was written.
    expect((await call('GET', '/organizations/oxacme/registry', tok.owner)).body.map((e: { Key: string }) => e.Key)).not.toContain('k');
    expect((await call('GET', '/organizations/oxacme/2fa/validity', tok.owner)).body).toBe(0);
  });
});
