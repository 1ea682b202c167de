// Itsyouonline organizations on the REST engine (part 2): create with the whole body and
// sub-organizations, read, the tree and the users (statement counts flat as the tree grows),
// membership checks, DNS names, required scopes (missing ones in the member's notifications),
// and deleting a whole tree leaves nothing behind. Refusals change nothing (read back).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/core/db.js';
import { insertOrganization } from '../src/modules/organizations/organization.repo.js';
import { orgRoutes } from '../src/rest/iyo/orgs.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf } from './helpers/seed-users.js';

describe.each(DRIVERS)('iyo dialect: organizations on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const names = ['oalice', 'obob', 'ocarol', 'odave'];
    const users = await Promise.all(names.map((n) => s.user(n)));
    tok = { admin: ADMIN.token };
    for (const [i, n] of names.entries()) tok[n.slice(1)] = await s.tokenFor(users[i]!);
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
  const count = async (table: string) => Number(rowsOf<{ n: number }>(await t.db.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);

  it('creates an organization from the whole body (201): the caller owns it, people invited, DNS and scopes stored', async () => {
    const r = await call('POST', '/organizations', tok.alice, {
      globalid: 'acme',
      publicKeys: [],
      dns: ['acme.com'],
      owners: ['oalice', 'odave'],
      members: ['obob'],
      orgowners: [],
      orgmembers: [],
      includes: [],
      requiredscopes: [{ scope: 'user:name', accessscopes: ['organization:owner', 'organization:member'] }],
      includesuborgsof: [],
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      globalid: 'acme',
      publicKeys: [],
      dns: ['acme.com'],
      owners: ['oalice'],
      members: [],
      orgowners: [],
      orgmembers: [],
      includes: [],
      requiredscopes: [{ scope: 'user:name', accessscopes: ['organization:owner', 'organization:member'] }],
      includesuborgsof: [],
    });
    // dave and bob are invited; they join by accepting (part 1's routes).
    const inv = await call('GET', '/organizations/acme/invitations', tok.alice);
    expect(inv.body.map((i: { user: string; role: string }) => `${i.user}:${i.role}`).sort()).toEqual(['obob:member', 'odave:owner']);
    expect((await call('POST', '/users/obob/organizations/acme/roles/member', tok.bob)).status).toBe(201);
    expect((await call('GET', '/organizations/acme', tok.bob)).body).toMatchObject({ owners: ['oalice'], members: ['obob'] });
    expect(await eventsOf(t, 'organization.create')).toHaveLength(1);
    expect(await eventsOf(t, 'organization.dns.add')).toHaveLength(1);
  });

  it('refuses a bad or taken globalid, and a whole body with a refused part leaves nothing', async () => {
    expect((await call('POST', '/organizations', tok.alice, { globalid: 'acme' })).status).toBe(409);
    expect((await call('POST', '/organizations', tok.alice, { globalid: 'Bad Name' })).status).toBe(400);
    expect((await call('POST', '/organizations', tok.alice, { globalid: 'ab' })).status).toBe(400);
    const before = await count('organizations');
    // An unknown invitee: 404, and not even the organization is left.
    expect((await call('POST', '/organizations', tok.alice, { globalid: 'halfway', dns: ['halfway.org'], members: ['nobody-here'] })).status).toBe(404);
    // A DNS name another organization holds: 409.
    expect((await call('POST', '/organizations', tok.alice, { globalid: 'halfway', dns: ['acme.com'] })).status).toBe(409);
    expect(await count('organizations')).toBe(before);
    expect(await count('organization_dns_names')).toBe(1);
    expect((await call('POST', '/organizations', undefined, { globalid: 'anon' })).status).toBe(401);
  });

  it('creates sub-organizations <parent>.<local> (owners); the parent lists them; 404 under a missing parent', async () => {
    const sub = await call('POST', '/organizations/acme', tok.alice, { globalid: 'dev' });
    expect(sub.status).toBe(201);
    expect(sub.body.globalid).toBe('acme.dev');
    // The prefix may be given too.
    expect((await call('POST', '/organizations/acme', tok.alice, { globalid: 'acme.ops' })).body.globalid).toBe('acme.ops');
    expect((await call('POST', '/organizations/acme.dev', tok.alice, { globalid: 'web' })).body.globalid).toBe('acme.dev.web');
    expect((await call('GET', '/organizations/acme', tok.alice)).body.includes).toEqual(['acme.dev', 'acme.ops']);
    expect((await call('POST', '/organizations/nowhere', tok.alice, { globalid: 'dev' })).status).toBe(404);
    // A plain member may not; a stranger does not see the parent.
    expect((await call('POST', '/organizations/acme', tok.bob, { globalid: 'bobs' })).status).toBe(403);
    expect((await call('POST', '/organizations/acme', tok.carol, { globalid: 'carols' })).status).toBe(404);
    expect((await call('GET', '/organizations/acme', tok.alice)).body.includes).toEqual(['acme.dev', 'acme.ops']);
  });

  it('reads an organization: members and owners (inherited roles too); strangers 404, anonymous 401', async () => {
    expect((await call('GET', '/organizations/acme.dev', tok.bob)).status).toBe(200);
    expect((await call('GET', '/organizations/acme', tok.carol)).status).toBe(404);
    expect((await call('GET', '/organizations/acme', undefined)).status).toBe(401);
    expect((await call('GET', '/organizations/acme', tok.admin)).body.globalid).toBe('acme');
  });

  it('answers the tree nested to any depth', async () => {
    const r = await call('GET', '/organizations/acme/tree', tok.bob);
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      {
        globalid: 'acme',
        children: [
          { globalid: 'acme.dev', children: [{ globalid: 'acme.dev.web', children: [] }] },
          { globalid: 'acme.ops', children: [] },
        ],
      },
    ]);
    expect((await call('GET', '/organizations/acme.dev/tree', tok.alice)).body).toEqual([{ globalid: 'acme.dev', children: [{ globalid: 'acme.dev.web', children: [] }] }]);
    expect((await call('GET', '/organizations/acme/tree', tok.carol)).status).toBe(404);
  });

  it('lists the users with their role and missing scopes; the member grants them and they are no longer missing', async () => {
    const r = await call('GET', '/organizations/acme/users', tok.alice);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      haseditpermissions: true,
      users: [
        { username: 'oalice', role: 'owners', missingscopes: ['user:name'] },
        { username: 'obob', role: 'members', missingscopes: ['user:name'] },
      ],
    });
    expect((await call('GET', '/organizations/acme/users', tok.bob)).body.haseditpermissions).toBe(false);
    // Part 1's notifications show what bob still has to grant.
    expect((await call('GET', '/users/obob/notifications', tok.bob)).body.missingscopes).toEqual([{ organization: 'acme', scopes: ['user:name'] }]);
    expect((await call('PUT', '/users/obob/authorizations/acme', tok.bob, { name: true })).status).toBeLessThan(300);
    expect((await call('GET', '/users/obob/notifications', tok.bob)).body.missingscopes).toEqual([]);
    expect((await call('GET', '/organizations/acme/users', tok.alice)).body.users[1]).toEqual({ username: 'obob', role: 'members', missingscopes: [] });
  });

  it('checks membership (own, inherited from a parent); owners ask, a member 403', async () => {
    expect((await call('GET', '/organizations/acme/users/ismember/obob', tok.alice)).body).toEqual({ IsMember: true });
    // bob is a member of acme, so of its sub-organizations too.
    expect((await call('GET', '/organizations/acme.dev.web/users/ismember/obob', tok.alice)).body).toEqual({ IsMember: true });
    expect((await call('GET', '/organizations/acme/users/ismember/ocarol', tok.alice)).body).toEqual({ IsMember: false });
    expect((await call('GET', '/organizations/acme/users/ismember/nobody-at-all', tok.alice)).body).toEqual({ IsMember: false });
    expect((await call('GET', '/organizations/acme/users/ismember/oalice', tok.bob)).status).toBe(403);
    expect((await call('GET', '/organizations/acme/users/ismember/oalice', tok.carol)).status).toBe(404);
  });

  it('adds, renames and removes DNS names (owners); used names 409; refusals change nothing', async () => {
    expect(await call('POST', '/organizations/acme/dns', tok.alice, { name: 'acme.org' })).toEqual({ status: 201, body: { name: 'acme.org' } });
    expect((await call('POST', '/organizations/acme/dns', tok.alice, { name: 'ACME.org' })).status).toBe(409);
    expect((await call('POST', '/organizations/acme.dev', tok.alice, { globalid: 'xone', dns: ['acme.org'] })).status).toBe(409);
    expect((await call('POST', '/organizations/acme/dns', tok.alice, { name: 'not a name' })).status).toBe(400);
    expect((await call('POST', '/organizations/acme/dns', tok.bob, { name: 'bob.org' })).status).toBe(403);
    expect((await call('POST', '/organizations/acme/dns', tok.carol, { name: 'carol.org' })).status).toBe(404);
    expect(await call('PUT', '/organizations/acme/dns/acme.org', tok.alice, { name: 'acme.net' })).toEqual({ status: 200, body: { name: 'acme.net' } });
    expect((await call('PUT', '/organizations/acme/dns/acme.org', tok.alice, { name: 'acme.io' })).status).toBe(404);
    expect((await call('PUT', '/organizations/acme/dns/acme.net', tok.alice, { name: 'acme.com' })).status).toBe(409);
    expect((await call('PUT', '/organizations/acme/dns/acme.net', tok.bob, { name: 'bob.com' })).status).toBe(403);
    expect((await call('DELETE', '/organizations/acme/dns/acme.net', tok.bob)).status).toBe(403);
    expect((await call('GET', '/organizations/acme', tok.alice)).body.dns).toEqual(['acme.com', 'acme.net']);
    expect((await call('DELETE', '/organizations/acme/dns/acme.net', tok.alice)).status).toBe(204);
    expect((await call('DELETE', '/organizations/acme/dns/acme.net', tok.alice)).status).toBe(404);
    expect((await call('GET', '/organizations/acme', tok.alice)).body.dns).toEqual(['acme.com']);
  });

  it('adds, changes and removes required scopes (owners); conflicts 409, unknown 404, bad scopes 400', async () => {
    const add = (scope: string, token = tok.alice) => call('POST', '/organizations/acme/requiredscopes', token, { scope, accessscopes: ['organization:owner'] });
    expect(await add('user:email:work')).toEqual({ status: 201, body: undefined });
    expect((await add('user:email:work')).status).toBe(409);
    expect((await add('user:shoesize')).status).toBe(400);
    expect((await add('user:phone', tok.bob)).status).toBe(403);
    expect((await call('PUT', '/organizations/acme/requiredscopes/user:email:work', tok.alice, { scope: 'user:email:home', accessscopes: ['organization:member'] })).status).toBe(204);
    expect((await call('PUT', '/organizations/acme/requiredscopes/user:email:work', tok.alice, { scope: 'user:phone', accessscopes: [] })).status).toBe(404);
    expect((await call('PUT', '/organizations/acme/requiredscopes/user:email:home', tok.alice, { scope: 'user:name', accessscopes: [] })).status).toBe(409);
    expect((await call('DELETE', '/organizations/acme/requiredscopes/user:email:home', tok.bob)).status).toBe(403);
    expect((await call('GET', '/organizations/acme', tok.alice)).body.requiredscopes).toEqual([
      { scope: 'user:name', accessscopes: ['organization:owner', 'organization:member'] },
      { scope: 'user:email:home', accessscopes: ['organization:member'] },
    ]);
    // bob granted his name only: the email is missing now.
    expect((await call('GET', '/users/obob/notifications', tok.bob)).body.missingscopes).toEqual([{ organization: 'acme', scopes: ['user:email:home'] }]);
    expect((await call('DELETE', '/organizations/acme/requiredscopes/user:email:home', tok.alice)).status).toBe(204);
    expect((await call('DELETE', '/organizations/acme/requiredscopes/user:email:home', tok.alice)).status).toBe(404);
  });

  it('answers the tree and the users of a 1,000-organization tree in a bounded number of statements', async () => {
    const s = seed(t);
    const owner = await s.user('treeowner');
    const token = await s.tokenFor(owner);
    const root = await s.org('big', { owner });
    const measure = async (url: string) => {
      const before = t.db.statementCount;
      const r = await call('GET', url, token);
      expect(r.status).toBe(200);
      return { n: t.db.statementCount - before, body: r.body };
    };
    const small = { tree: await measure('/organizations/big/tree'), users: await measure('/organizations/big/users'), org: await measure('/organizations/big') };
    // 1,000 organizations: 10 children of the root, each with 99 below it in a chain of 9 levels of 11.
    let n = 1;
    for (let i = 0; i < 10; i++) {
      let parent = await insertOrganization(t.db.db, { slug: `big.c${i}`, name: 'c', parentId: root.id });
      n++;
      for (let d = 0; d < 9 && n < 1000; d++) {
        const level = await insertOrganization(t.db.db, { slug: `${parent.slug}.d${d}`, name: 'd', parentId: parent.id });
        n++;
        for (let k = 0; k < 10 && n < 1000; k++, n++) await insertOrganization(t.db.db, { slug: `${level.slug}.k${k}`, name: 'k', parentId: level.id });
        parent = level;
      }
    }
    // And the users list grows too: 30 members, with a required scope each has to grant.
    for (let i = 0; i < 30; i++) await s.member(root, await s.user(`bigmember${i}`));
    expect((await call('POST', '/organizations/big/requiredscopes', token, { scope: 'user:name', accessscopes: [] })).status).toBe(201);
    const big = { tree: await measure('/organizations/big/tree'), users: await measure('/organizations/big/users'), org: await measure('/organizations/big') };
    const flatten = (items: { children: unknown[] }[]): number => items.reduce((sum, i) => sum + 1 + flatten(i.children as never), 0);
    expect(flatten(big.tree.body)).toBe(1000);
    expect(big.tree.n).toBe(small.tree.n);
    expect(big.users.n).toBe(small.users.n);
    expect(big.org.n).toBe(small.org.n);
    expect(big.tree.n).toBeLessThanOrEqual(4);
    expect(big.users.body.users).toHaveLength(31);
    expect(big.users.body.users[1].missingscopes).toEqual(['user:name']);
  });

  it('deletes an organization with its sub-organizations and everything attached; nothing dangles', async () => {
    const s = seed(t);
    const owner = await s.user('delowner');
    const member = await s.user('delmember');
    const token = await s.tokenFor(owner);
    await call('POST', '/organizations', token, { globalid: 'doomed', dns: ['doomed.com'], requiredscopes: [{ scope: 'user:name', accessscopes: [] }] });
    await call('POST', '/organizations/doomed', token, { globalid: 'kid', dns: ['kid.doomed.com'] });
    await call('POST', '/organizations', token, { globalid: 'doomedfriend' });
    await call('POST', '/organizations/doomed/orgmembers', token, { orgmember: 'doomedfriend' });
    await call('POST', '/organizations/doomedfriend/orgowners', token, { orgowner: 'doomed.kid' });
    await call('POST', '/organizations/doomed.kid/members', token, { searchstring: 'delmember' });
    await call('POST', '/organizations/doomed/members', token, { searchstring: 'someone@example.org' });
    await s.member((await t.db.db.execute(sql`select * from organizations where slug = 'doomed'`).then((r) => rowsOf<any>(r)[0]))!, member);
    await call('PUT', '/users/delmember/authorizations/doomed.kid', await s.tokenFor(member), { name: true });
    const ids = rowsOf<{ id: string }>(await t.db.db.execute(sql`select id from organizations where slug in ('doomed', 'doomed.kid')`)).map((r) => r.id);
    expect(ids).toHaveLength(2);
    // A plain member may not; nothing changes.
    expect((await call('DELETE', '/organizations/doomed', await s.tokenFor(member))).status).toBe(403);
    expect((await call('GET', '/organizations/doomed.kid', token)).status).toBe(200);
    expect((await call('DELETE', '/organizations/doomed', token)).status).toBe(204);
    expect((await call('GET', '/organizations/doomed', token)).status).toBe(404);
    expect((await call('GET', '/organizations/doomed.kid', token)).status).toBe(404);
    // Every table with an organization column holds nothing of them.
    const tables = rowsOf<{ table_name: string; column_name: string }>(
      await t.db.db.execute(sql`select table_name, column_name from information_schema.columns
        where table_schema = 'public' and data_type = 'uuid' and (column_name like '%organization_id' or column_name = 'parent_id')`),
    );
    expect(tables.length).toBeGreaterThan(5);
    for (const { table_name, column_name } of tables) {
      if (table_name === 'event_logs') continue;
      const left = rowsOf<{ n: number }>(await t.db.db.execute(sql.raw(`select count(*)::int as n from "${table_name}" where "${column_name}" in ('${ids.join("','")}')`)))[0]!.n;
      expect(left, `${table_name}.${column_name}`).toBe(0);
    }
    // The friend survives, without the links.
    expect((await call('GET', '/organizations/doomedfriend', token)).body).toMatchObject({ orgowners: [], orgmembers: [] });
    expect(await eventsOf(t, 'organization.deleteTree')).toHaveLength(1);
    expect((await call('DELETE', '/organizations/doomed', token)).status).toBe(404);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['POST', '/organizations', tok.alice, { globalid: 42 }],
      ['POST', '/organizations', tok.alice, { globalid: 'okname', owners: 'oalice' }],
      ['POST', '/organizations', tok.alice, { globalid: 'okname', requiredscopes: [{ scope: 'user:name', accessscopes: ['everyone'] }] }],
      ['POST', '/organizations', tok.alice, { globalid: 'okname', includesuborgsof: ['acme'] }],
      ['POST', '/organizations', tok.alice, '[]'],
      ['GET', '/organizations/%00', tok.alice],
      ['GET', `/organizations/${'x'.repeat(70)}`, tok.alice],
      ['POST', '/organizations/acme', tok.alice, { globalid: 'x'.repeat(70) }],
      ['DELETE', '/organizations/acme', undefined],
      ['GET', '/organizations/acme/tree', undefined],
      ['GET', '/organizations/acme/users', undefined],
      ['GET', '/organizations/acme/users/ismember/%00', tok.alice],
      ['POST', '/organizations/acme/dns', tok.alice, { name: ['a.com'] }],
      ['PUT', '/organizations/acme/dns/acme.com', tok.alice, {}],
      ['DELETE', '/organizations/acme/dns/%00', tok.alice],
      ['POST', '/organizations/acme/requiredscopes', tok.alice, { scope: 'user:name' }],
      ['PUT', '/organizations/acme/requiredscopes/user:name', tok.alice, { scope: 'user:name', accessscopes: 'organization:owner' }],
      ['DELETE', '/organizations/acme/requiredscopes/user:nothing', tok.alice],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(orgRoutes, cases)).toEqual([]);
    // Nothing of it was written.
    expect((await call('GET', '/organizations/okname', tok.alice)).status).toBe(404);
  });
});
