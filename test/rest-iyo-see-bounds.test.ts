// The bounds of "see" documents: the list is a keyset connection whose pages read only the
// documents' rows and their latest versions; a document's versions load per page in one
// statement; statement counts stay flat as documents and versions grow; the REST list answers
// one page (100, newest first); a document keeps at most SEE_VERSIONS_MAX versions — one more is
// refused (409 / CONFLICT) with nothing written.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeDocuments, seeVersions } from '../schema/index.js';
import { SEE_VERSIONS_MAX } from '../src/modules/profile/see.js';
import type { OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed } from './helpers/seed.js';
import { eventsOf } from './helpers/seed-users.js';

describe.each(DRIVERS)('iyo dialect: see document bounds on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  let carol: UserRow;
  let acme: OrganizationRow;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    carol = await s.user('seecarol');
    acme = await s.org('acmebound', { owner: carol });
    const jwt = await s.tokenFor(carol);
    const bound = (
      await t.gql(
        `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token } }`,
        { i: { username: 'seecarol', name: 'for acme', scopes: ['API'], organizationId: s.gid('Organization', acme) } },
        { token: jwt },
      )
    ).body.data.createPersonalAccessToken.token as string;
    tok = { carol: jwt, acme: bound, dave: await s.tokenFor(await s.user('seedave')) };
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: `/api${url}`,
      headers: { ...(token ? { authorization: `bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
  /** Documents written straight into the tables (growth for the counts, not a write path under test). */
  const addDocuments = async (prefix: string, n: number, versions: number) => {
    for (let i = 0; i < n; i++) {
      const [doc] = await t.db.db.insert(seeDocuments).values({ userId: carol.id, organizationId: acme.id, uniqueId: `${prefix}-${i}` }).returning({ id: seeDocuments.id });
      await t.db.db.insert(seeVersions).values(Array.from({ length: versions }, (_, v) => ({ documentId: doc!.id, version: v + 1, content: { category: `${prefix}-${i}`, link: `v${v + 1}` } })));
    }
  };
  const statements = async (run: () => Promise<void>) => {
    const before = t.db.statementCount;
    await run();
    return t.db.statementCount - before;
  };

  it('refuses a version past the bound with 409 and writes nothing; signing still works', async () => {
    expect((await call('POST', '/users/seecarol/see', tok.acme, { uniqueid: 'full', category: 'c' })).status).toBe(201);
    const [doc] = await t.db.db.select({ id: seeDocuments.id }).from(seeDocuments).where(eq(seeDocuments.uniqueId, 'full'));
    await t.db.db.insert(seeVersions).values(Array.from({ length: SEE_VERSIONS_MAX - 2 }, (_, v) => ({ documentId: doc!.id, version: v + 2, content: { category: 'c' } })));
    // The last allowed version goes through the real path…
    const last = await call('PUT', '/users/seecarol/see/full/acmebound', tok.acme, { category: 'last' });
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ version: SEE_VERSIONS_MAX, category: 'last' });
    // …one more is refused, and nothing changes: no version, no event.
    const updates = (await eventsOf(t, 'see.update')).length;
    const refused = await call('PUT', '/users/seecarol/see/full/acmebound', tok.acme, { category: 'one too many' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/at most 100 versions/);
    const versions = await t.db.db.select({ version: seeVersions.version }).from(seeVersions).where(eq(seeVersions.documentId, doc!.id));
    expect(versions).toHaveLength(SEE_VERSIONS_MAX);
    expect(await eventsOf(t, 'see.update')).toHaveLength(updates);
    const all = await call('GET', '/users/seecarol/see/full/acmebound?version=0', tok.carol);
    expect(all.body.versions).toHaveLength(SEE_VERSIONS_MAX);
    expect(all.body.versions.at(-1)).toMatchObject({ version: SEE_VERSIONS_MAX, category: 'last' });
    // The same through GraphQL: a CONFLICT user error.
    const gql = await t.gql(
      `mutation($i: ChangeSeeDocumentInput!) { changeSeeDocument(input: $i) { document { uniqueId } userErrors { code message } } }`,
      { i: { username: 'seecarol', uniqueId: 'full', organization: 'acmebound', content: { category: 'x' } } },
      { token: tok.acme },
    );
    expect(gql.body.data.changeSeeDocument).toMatchObject({ document: null, userErrors: [{ code: 'CONFLICT' }] });
    // Signing fills in a version: not a new one, so the bound does not stop it.
    const signed = await call('PUT', `/users/seecarol/see/full/acmebound/sign/${SEE_VERSIONS_MAX}`, tok.acme, { signature: 'sig' });
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ version: SEE_VERSIONS_MAX, signature: 'sig' });
  });

  it('pages the connection by cursor, newest first, with filters; others see an empty page', async () => {
    await addDocuments('page', 5, 2);
    const q = `query($after: String, $org: String, $uid: String) { user(username: "seecarol") { seeDocuments(first: 2, after: $after, organization: $org, uniqueId: $uid) {
      totalCount pageInfo { hasNextPage endCursor } nodes { uniqueId organization latest { version content } versions { version } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r = await t.gql(q, { after, org: 'ACMEBOUND' }, { token: tok.carol });
      expect(r.body.errors).toBeUndefined();
      const c = r.body.data.user.seeDocuments;
      expect(c.nodes.length).toBeLessThanOrEqual(2);
      for (const n of c.nodes) {
        seen.push(n.uniqueId);
        expect(n.organization).toBe('acmebound');
        expect(n.latest.version).toBe(n.versions.at(-1).version);
      }
      expect(c.totalCount).toBe(6);
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    // Newest first: the five written after 'full', latest written first.
    expect(seen).toEqual(['page-4', 'page-3', 'page-2', 'page-1', 'page-0', 'full']);
    const one = await t.gql(q, { uid: 'page-3' }, { token: tok.carol });
    expect(one.body.data.user.seeDocuments.nodes).toEqual([{ uniqueId: 'page-3', organization: 'acmebound', latest: { version: 2, content: { category: 'page-3', link: 'v2' } }, versions: [{ version: 1 }, { version: 2 }] }]);
    expect((await t.gql(q, { org: 'other' }, { token: tok.carol })).body.data.user.seeDocuments).toMatchObject({ totalCount: 0, nodes: [] });
    // Another user reads nothing of carol's, not even the count.
    const dave = await t.gql(q, {}, { token: tok.dave });
    expect(dave.body.errors).toBeUndefined();
    expect(dave.body.data.user.seeDocuments).toMatchObject({ totalCount: 0, nodes: [] });
    // More than a page is refused, not served.
    const big = await t.gql(`{ user(username: "seecarol") { seeDocuments(first: 101) { nodes { uniqueId } } } }`, {}, { token: tok.carol });
    expect(big.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps statement counts flat as documents and versions grow; the REST list is one page', async () => {
    await addDocuments('flat', 2, 3);
    const gqlPage = `{ user(username: "seecarol") { seeDocuments(first: 100) { nodes { uniqueId latest { version } versions { version } } } } }`;
    const graph = () => statements(async () => expect((await t.gql(gqlPage, {}, { token: tok.carol })).body.errors).toBeUndefined());
    const list = () => statements(async () => expect((await call('GET', '/users/seecarol/see', tok.carol)).status).toBe(200));
    const one = () => statements(async () => expect((await call('GET', '/users/seecarol/see/flat-0/acmebound?version=0', tok.carol)).status).toBe(200));
    const before = { graph: await graph(), list: await list(), one: await one() };
    expect(before.list).toBeGreaterThan(0);
    // 120 more documents with 5 versions each: more than a page of documents, many more versions.
    await addDocuments('bulk', 120, 5);
    expect(await graph()).toBe(before.graph);
    expect(await list()).toBe(before.list);
    expect(await one()).toBe(before.one);
    const body = (await call('GET', '/users/seecarol/see', tok.carol)).body as { uniqueid: string; version: number; category: string }[];
    expect(body).toHaveLength(100);
    // Newest first, each with its latest version.
    expect(body[0]).toMatchObject({ uniqueid: 'bulk-119', version: 5, category: 'bulk-119', link: 'v5' });
    expect(body.at(-1)).toMatchObject({ uniqueid: 'bulk-20' });
    // One document's versions are its own only.
    expect((await call('GET', '/users/seecarol/see/bulk-7/acmebound?version=0', tok.carol)).body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4, 5]);
    expect((await call('GET', '/users/seecarol/see/bulk-7/acmebound?version=3', tok.carol)).body.versions).toEqual([expect.objectContaining({ version: 3, link: 'v3' })]);
    expect((await call('GET', '/users/seecarol/see/bulk-7/acmebound', tok.carol)).body.versions).toEqual([expect.objectContaining({ version: 5, link: 'v5' })]);
    expect((await call('GET', '/users/seecarol/see', tok.dave)).status).toBe(403);
  });
});
