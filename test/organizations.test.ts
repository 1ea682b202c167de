// Organizations and memberships: visibility (inherited down the tree, deny by default),
// create/update/move/delete rules, membership management, and batched loading.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLogs } from '../schema/logs.js';
import { organizationMemberships, organizations } from '../schema/organizations.js';
import { insertOrganizationMembership } from '../src/modules/organizations/organization.repo.js';
import { contacts } from '../schema/users.js';
import { pageRequest } from '../src/core/graphql/connection.js';
import { createLoaders } from '../src/loaders.js';
import type { Principal } from '../src/core/auth/principal.js';
import type { GraphQLObjectType } from 'graphql';
import { columnsFor } from '../src/core/read/plan.js';
import { memberPlanOf } from '../src/modules/organizations/organization.read.js';
import { buildSchema } from '../src/schema.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';

const CREATE = `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug name viewerRole parent { slug } } userErrors { code field message } } }`;
const UPDATE = `mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { organization { slug name parent { slug } quota { limit usage remaining overridden } } userErrors { code field message } } }`;
const DELETE = `mutation($i: DeleteOrganizationInput!) { deleteOrganization(input: $i) { deletedId userErrors { code field } } }`;

describe.each(DRIVERS)('organizations on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  const tok: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    for (const name of ['olive', 'adam', 'mia', 'nina', 'sam']) {
      await s.user(name);
      tok[name] = await t.login(name, `${name}-password`);
    }
  });
  afterAll(() => t.close());

  const org = async (slug: string, token: string, parentId?: string) => {
    const r = await t.gql(CREATE, { i: { slug, name: `Org ${slug}`, parentId } }, { token });
    return r.body.data?.createOrganization ?? r.body;
  };

  it('lets a user create an organization and become its owner', async () => {
    const r = await org('acme', tok.olive!);
    expect(r.userErrors).toEqual([]);
    expect(r.organization).toMatchObject({ slug: 'acme', name: 'Org acme', viewerRole: 'OWNER', parent: null });
    const events = await t.db.db.select().from(eventLogs).where(eq(eventLogs.action, 'organization.create'));
    expect(events.some((e) => (e.data as { slug: string }).slug === 'acme')).toBe(true);
  });

  it('validates slugs and names, and reports a taken slug (any case) as CONFLICT', async () => {
    for (const slug of ['', 'has space', 'semi;colon', 'x'.repeat(65), '../etc']) {
      const r = await org(slug, tok.olive!);
      expect(r.userErrors, slug).toEqual([expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'slug' })]);
    }
    const taken = await org('ACME', tok.adam!);
    expect(taken.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: 'slug' })]);
    const noName = await t.gql(CREATE, { i: { slug: 'ok-slug', name: '  ' } }, { token: tok.olive });
    expect(noName.body.data.createOrganization.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'name' });
  });

  it('needs a signed-in caller', async () => {
    const r = await t.gql(CREATE, { i: { slug: 'anon', name: 'x' } });
    expect(r.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('hides organizations from non-members: missing and forbidden answer alike', async () => {
    const mine = await t.gql(`{ organization(slug: "acme") { slug } }`, {}, { token: tok.olive });
    expect(mine.body.data.organization.slug).toBe('acme');
    const theirs = await t.gql(`{ organization(slug: "acme") { slug } }`, {}, { token: tok.sam });
    const missing = await t.gql(`{ organization(slug: "no-such-org") { slug } }`, {}, { token: tok.sam });
    expect(theirs.body).toEqual(missing.body);
    expect(theirs.body.data.organization).toBeNull();
    const list = await t.gql(`{ organizations(first: 50) { nodes { slug } totalCount } }`, {}, { token: tok.sam });
    expect(list.body.data.organizations).toEqual({ nodes: [], totalCount: 0 });
    const anon = await t.gql(`{ organizations { nodes { slug } } }`);
    expect(anon.body.data.organizations.nodes).toEqual([]);
  });

  it('builds sub-organizations to any depth; roles are inherited down the tree', async () => {
    const acme = (await t.gql(`{ organization(slug: "acme") { id } }`, {}, { token: tok.olive })).body.data.organization.id;
    const eng = await org('acme.eng', tok.olive!, acme);
    expect(eng.userErrors).toEqual([]);
    expect(eng.organization.parent).toEqual({ slug: 'acme' });
    const web = await org('acme.eng.web', tok.olive!, eng.organization.id);
    expect(web.organization.viewerRole).toBe('OWNER'); // inherited from acme
    const deep = await t.gql(`{ organization(slug: "acme.eng.web") { ancestors { slug } parent { parent { slug } } } }`, {}, { token: tok.olive });
    expect(deep.body.data.organization).toEqual({ ancestors: [{ slug: 'acme.eng' }, { slug: 'acme' }], parent: { parent: { slug: 'acme' } } });
    const kids = await t.gql(`{ organization(slug: "acme") { children { nodes { slug } totalCount } } }`, {}, { token: tok.olive });
    expect(kids.body.data.organization.children).toEqual({ nodes: [{ slug: 'acme.eng' }], totalCount: 1 });

    // A member of acme.eng sees acme.eng and acme.eng.web, but not acme.
    const engRow = (await t.db.db.query.organizations.findFirst({ where: (o, { eq }) => eq(o.slug, 'acme.eng') }))!;
    const mia = (await t.db.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, 'mia') }))!;
    await s.member(engRow, mia, 'member');
    const seen = await t.gql(`{ organizations(first: 10) { nodes { slug viewerRole } } }`, {}, { token: tok.mia });
    expect(seen.body.data.organizations.nodes).toEqual([
      { slug: 'acme.eng', viewerRole: 'MEMBER' },
      { slug: 'acme.eng.web', viewerRole: 'MEMBER' },
    ]);
    const parentHidden = await t.gql(`{ organization(slug: "acme.eng") { parent { slug } ancestors { slug } } }`, {}, { token: tok.mia });
    expect(parentHidden.body.data.organization).toEqual({ parent: null, ancestors: [] });
    // Members cannot create sub-organizations; owners (inherited) can.
    const denied = await t.gql(CREATE, { i: { slug: 'mia-sub', name: 'x', parentId: eng.organization.id } }, { token: tok.mia });
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('roles granted to an organization reach its members, and its sub-organizations’ members when the grant includes them', async () => {
    const owner = await s.user('grant-owner');
    const [ann, ben, cal] = [await s.user('grant-ann'), await s.user('grant-ben'), await s.user('grant-cal')];
    const host = await s.org('grant-host', { owner });
    const hostKid = await s.org('grant-host.kid', { parent: host });
    const guest = await s.org('grant-guest', { owner: cal });
    const guestKid = await s.org('grant-guest.kid', { parent: guest });
    await s.member(guest, ann, 'member');
    await s.member(guestKid, ben, 'member');
    const role = async (user: { username: string }, slug: string) =>
      (await t.gql(`{ organization(slug: "${slug}") { viewerRole } }`, {}, { token: await t.login(user.username, `${user.username}-password`) })).body.data.organization?.viewerRole ?? null;
    expect(await role(ann, 'grant-host')).toBe(null);
    await insertOrganizationMembership(t.db.db, { organizationId: host.id, memberOrganizationId: guest.id, role: 'member' });
    // ann (member of guest) is a member of host and, roles holding down the tree, of its sub-organization.
    expect(await role(ann, 'grant-host')).toBe('MEMBER');
    expect(await role(ann, 'grant-host.kid')).toBe('MEMBER');
    // cal owns guest: a member grant gives cal membership, not ownership.
    expect(await role(cal, 'grant-host')).toBe('MEMBER');
    // ben is in guest's sub-organization only: not reached until the grant includes sub-organizations.
    expect(await role(ben, 'grant-host')).toBe(null);
    await t.db.db.update(organizationMemberships).set({ includeSubOrganizations: true, role: 'owner' }).where(eq(organizationMemberships.organizationId, host.id));
    expect(await role(ben, 'grant-host')).toBe('OWNER');
    expect(await role(ann, 'grant-host.kid')).toBe('OWNER');
    // Lists agree with single reads (the same rule in SQL: core/auth/tenant.sql.ts rolesReachedBy).
    const listed = await t.gql(`{ organizations(first: 10, filter: { slugContains: "grant-host" }) { nodes { slug viewerRole } } }`, {}, { token: await t.login('grant-ben', 'grant-ben-password') });
    expect(listed.body.data.organizations.nodes).toEqual([
      { slug: 'grant-host', viewerRole: 'OWNER' },
      { slug: 'grant-host.kid', viewerRole: 'OWNER' },
    ]);
    // Only one level: an organization that is itself granted into guest passes nothing on to host.
    const third = await s.org('grant-third');
    const dan = await s.user('grant-dan');
    await s.member(third, dan, 'member');
    await insertOrganizationMembership(t.db.db, { organizationId: guest.id, memberOrganizationId: third.id, role: 'member' });
    expect(await role(dan, 'grant-guest')).toBe('MEMBER');
    expect(await role(dan, 'grant-host')).toBe(null);
    void hostKid;
  });

  it('updates, moves (refusing cycles) and deletes', async () => {
    const ids = (await t.gql(`{ a: organization(slug: "acme") { id } e: organization(slug: "acme.eng") { id } w: organization(slug: "acme.eng.web") { id } }`, {}, { token: tok.olive })).body.data;
    const renamed = await t.gql(UPDATE, { i: { id: ids.w.id, name: 'Web team' } }, { token: tok.olive });
    expect(renamed.body.data.updateOrganization.organization.name).toBe('Web team');
    const cycle = await t.gql(UPDATE, { i: { id: ids.a.id, parentId: ids.w.id } }, { token: tok.olive });
    expect(cycle.body.data.updateOrganization.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'parentId' });
    const self = await t.gql(UPDATE, { i: { id: ids.e.id, parentId: ids.e.id } }, { token: tok.olive });
    expect(self.body.data.updateOrganization.userErrors[0].code).toBe('PRECONDITION_FAILED');
    const moved = await t.gql(UPDATE, { i: { id: ids.w.id, parentId: ids.a.id } }, { token: tok.olive });
    expect(moved.body.data.updateOrganization.organization.parent).toEqual({ slug: 'acme' });

    const quotaByOwner = await t.gql(UPDATE, { i: { id: ids.a.id, quotaLimit: 10 } }, { token: tok.olive });
    expect(quotaByOwner.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const quota = await t.gql(UPDATE, { i: { id: ids.a.id, quotaLimit: 10 } }, { token: ADMIN.token });
    expect(quota.body.data.updateOrganization.organization.quota).toEqual({ limit: 10, usage: 0, remaining: 10, overridden: false });

    const hasChildren = await t.gql(DELETE, { i: { id: ids.a.id } }, { token: tok.olive });
    expect(hasChildren.body.data.deleteOrganization.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED' });
    const notOwner = await t.gql(DELETE, { i: { id: ids.w.id } }, { token: tok.sam });
    expect(notOwner.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const gone = await t.gql(DELETE, { i: { id: ids.w.id } }, { token: tok.olive });
    expect(gone.body.data.deleteOrganization).toEqual({ deletedId: ids.w.id, userErrors: [] });
    expect((await t.gql(`{ organization(slug: "acme.eng.web") { id } }`, {}, { token: tok.olive })).body.data.organization).toBeNull();
    const unknown = await t.gql(UPDATE, { i: { id: 'bm9wZQ', name: 'x' } }, { token: tok.olive });
    expect(unknown.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('manages members: roles, owner rules, the last owner stays', async () => {
    const acme = (await t.db.db.query.organizations.findFirst({ where: (o, { eq }) => eq(o.slug, 'acme') }))!;
    const users = Object.fromEntries((await t.db.db.query.users.findMany()).map((u) => [u.username, u]));
    await s.member(acme, users.adam!, 'admin');
    await s.member(acme, users.nina!, 'member');
    const oid = s.gid('Organization', acme);
    const change = (token: string, username: string, role: string) =>
      t.gql(`mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { membership { role user { username } } userErrors { code field } } }`, {
        i: { organizationId: oid, userId: s.gid('User', users[username]!), role },
      }, { token });
    const remove = (token: string, username: string) =>
      t.gql(`mutation($i: MemberInput!) { removeMember(input: $i) { organization { slug } userErrors { code field } } }`, { i: { organizationId: oid, userId: s.gid('User', users[username]!) } }, { token });

    expect((await change(tok.adam!, 'nina', 'ADMIN')).body.data.changeMemberRole.membership).toEqual({ role: 'ADMIN', user: { username: 'nina' } });
    expect((await change(tok.adam!, 'nina', 'OWNER')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await change(tok.nina!, 'olive', 'MEMBER')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await change(tok.olive!, 'olive', 'MEMBER')).body.data.changeMemberRole.userErrors[0].code).toBe('PRECONDITION_FAILED');
    expect((await remove(tok.olive!, 'olive')).body.data.removeMember.userErrors[0].code).toBe('PRECONDITION_FAILED');
    expect((await remove(tok.sam!, 'nina')).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await remove(tok.adam!, 'nina')).body.data.removeMember).toEqual({ organization: { slug: 'acme' }, userErrors: [] });
    expect((await remove(tok.adam!, 'nina')).body.errors[0].extensions.code).toBe('NOT_FOUND');

    const members = await t.gql(`{ organization(slug: "acme") { memberships(first: 10) { nodes { role user { username email } } totalCount } owners { username } } }`, {}, { token: tok.adam });
    expect(members.body.data.organization.memberships.nodes).toEqual([
      { role: 'OWNER', user: { username: 'olive', email: null } },
      { role: 'ADMIN', user: { username: 'adam', email: 'adam@example.com' } },
    ]);
    expect(members.body.data.organization.memberships.totalCount).toBe(2);
    expect(members.body.data.organization.owners).toEqual([{ username: 'olive' }]);
    const byRole = await t.gql(`{ organization(slug: "acme") { memberships(role: ADMIN) { nodes { user { username } } } } }`, {}, { token: tok.adam });
    expect(byRole.body.data.organization.memberships.nodes).toEqual([{ user: { username: 'adam' } }]);
  });

  // Membership.user is set by whoever builds the membership (a plain property that graphql-jit
  // reads inline): every way to reach a membership must give its user, with the email shown only
  // to the user and instance admins. Each query runs three times: graphql-js first, then compiled.
  it('gives a membership its user on every path: a page, node(id), the user’s memberships', async () => {
    const thrice = async (query: string, variables: Record<string, unknown>, token: string) => {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await t.gql(query, variables, { token })).body);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[0].errors).toBeUndefined();
      return answers[0].data;
    };
    const page = await thrice(`{ organization(slug: "acme") { memberships(first: 10) { edges { node { id role user { username email } } } } } }`, {}, tok.adam!);
    const [olive, adam] = page.organization.memberships.edges.map((e: { node: unknown }) => e.node);
    expect(olive).toMatchObject({ role: 'OWNER', user: { username: 'olive', email: null } });
    expect(adam).toMatchObject({ role: 'ADMIN', user: { username: 'adam', email: 'adam@example.com' } });
    const NODE = `query($id: ID!) { node(id: $id) { ... on Membership { role user { username email } } } }`;
    expect((await thrice(NODE, { id: olive.id }, tok.adam!)).node).toEqual({ role: 'OWNER', user: { username: 'olive', email: null } });
    expect((await thrice(NODE, { id: olive.id }, tok.olive!)).node).toEqual({ role: 'OWNER', user: { username: 'olive', email: 'olive@example.com' } });
    const OWN = `query($u: String!) { user(username: $u) { memberships { role organization { slug } user { username email } } } }`;
    const oliveSeenByAdam = (await thrice(OWN, { u: 'olive' }, tok.adam!)).user.memberships;
    expect(oliveSeenByAdam).toContainEqual({ role: 'OWNER', organization: { slug: 'acme' }, user: { username: 'olive', email: null } });
    expect(oliveSeenByAdam.every((m: { user: unknown }) => JSON.stringify(m.user) === JSON.stringify({ username: 'olive', email: null }))).toBe(true);
    const asAdmin = (await thrice(OWN, { u: 'olive' }, ADMIN.token)).user.memberships;
    expect(asAdmin).toContainEqual({ role: 'OWNER', organization: { slug: 'acme' }, user: { username: 'olive', email: 'olive@example.com' } });
    // A user read partly by a membership page (its columns are those its own selection reads)
    // is not the user its memberships hand on: those read the user again.
    const NESTED = `{ organization(slug: "acme") { memberships(first: 10) { nodes { user { memberships { user { username name email } } } } } } }`;
    const nested = (await thrice(NESTED, {}, ADMIN.token)).organization.memberships.nodes;
    expect(nested[0].user.memberships).toContainEqual({ user: { username: 'olive', name: expect.any(String), email: 'olive@example.com' } });
    expect(nested.flatMap((n: { user: { memberships: { user: { name: unknown } }[] } }) => n.user.memberships.map((m) => m.user.name)).every((v: unknown) => typeof v === 'string' && v !== '')).toBe(true);
  });

  // A membership page reads membership ids only for a query that needs them (node ids, cursors):
  // every selection must still give the same members, ids and cursors that page on correctly.
  it('pages memberships alike whether or not the query reads their ids and cursors', async () => {
    const q = (sel: string) => `query($after: String) { organization(slug: "acme") { memberships(first: 1, after: $after) { ${sel} } } }`;
    const roles = (await t.gql(q('nodes { role user { username } }'), {}, { token: ADMIN.token })).body.data.organization.memberships;
    const withIds = (await t.gql(q('nodes { id role user { username } }'), {}, { token: ADMIN.token })).body.data.organization.memberships;
    const withEdges = (await t.gql(q('edges { cursor node { role user { username } } }'), {}, { token: ADMIN.token })).body.data.organization.memberships;
    const withPageInfo = (await t.gql(q('pageInfo { endCursor hasNextPage } nodes { role }'), {}, { token: ADMIN.token })).body.data.organization.memberships;
    expect(withIds.nodes.map(({ id: _id, ...rest }: { id: string }) => rest)).toEqual(roles.nodes);
    expect(withIds.nodes[0].id).toMatch(/\S{8,}/);
    expect(withEdges.edges.map((e: { node: unknown }) => e.node)).toEqual(roles.nodes);
    expect(withEdges.edges[0].cursor).toBe(withPageInfo.pageInfo.endCursor);
    expect(withPageInfo.pageInfo.hasNextPage).toBe(true);
    const next = (await t.gql(q('nodes { id role user { username } }'), { after: withPageInfo.pageInfo.endCursor }, { token: ADMIN.token })).body.data.organization.memberships;
    expect(next.nodes).toHaveLength(1);
    expect(next.nodes[0].id).not.toBe(withIds.nodes[0].id);
    const { data } = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Membership { role user { username } } } }`, { id: next.nodes[0].id }, { token: ADMIN.token })).body;
    expect(data.node).toEqual({ role: next.nodes[0].role, user: next.nodes[0].user });
  });

  it('organization-bound API tokens act only inside their organization', async () => {
    const u = await s.user('bound-user');
    const a = await s.org('bound-a', { owner: u });
    const b = await s.org('bound-b', { owner: u });
    const aChild = await s.org('bound-a.child', { parent: a });
    const jwt = await s.tokenFor(u);
    const mk = `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token personalAccessToken { organization { slug } } userErrors { code } } }`;
    const made = (await t.gql(mk, { i: { username: 'bound-user', name: 'a only', scopes: ['API'], organizationId: s.gid('Organization', a) } }, { token: jwt })).body.data.createPersonalAccessToken;
    expect(made.personalAccessToken.organization).toEqual({ slug: 'bound-a' });
    const pat = made.token as string;
    const list = await t.gql(`{ organizations(filter: { slugContains: "bound-" }) { nodes { slug } } }`, {}, { token: pat });
    expect(list.body.data.organizations.nodes).toEqual([{ slug: 'bound-a' }, { slug: 'bound-a.child' }]);
    expect((await t.gql(`{ organization(slug: "bound-b") { slug } }`, {}, { token: pat })).body.data.organization).toBeNull();
    const rename = await t.gql(UPDATE, { i: { id: s.gid('Organization', b), name: 'hijack' } }, { token: pat });
    expect(rename.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await t.gql(UPDATE, { i: { id: s.gid('Organization', aChild), name: 'ok' } }, { token: pat })).body.data.updateOrganization.userErrors).toEqual([]);
    // A token may only be bound to an organization its user belongs to.
    const foreign = await t.gql(mk, { i: { username: 'bound-user', name: 'x', scopes: ['API'], organizationId: s.gid('Organization', (await s.org('bound-foreign'))) } }, { token: jwt });
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('lists and removes org-owner / org-member organizations', async () => {
    const owner = await s.user('om-owner');
    const token = await s.tokenFor(owner);
    const host = await s.org('om-host', { owner });
    const partner = await s.org('om-partner', { owner });
    const { insertOrganizationMembership } = await import('../src/modules/organizations/organization.repo.js');
    await insertOrganizationMembership(t.db.db, { organizationId: host.id, memberOrganizationId: partner.id, role: 'member', includeSubOrganizations: true });
    const q = `{ organization(slug: "om-host") { orgMembers { role includeSubOrganizations organization { slug } } } }`;
    expect((await t.gql(q, {}, { token })).body.data.organization.orgMembers).toEqual([{ role: 'MEMBER', includeSubOrganizations: true, organization: { slug: 'om-partner' } }]);
    expect((await t.gql(q, {}, { token: tok.sam })).body.data.organization).toBeNull();
    const rm = `mutation($i: RemoveOrganizationMemberInput!) { removeOrganizationMember(input: $i) { organization { slug } userErrors { code } } }`;
    const input = { organizationId: s.gid('Organization', host), memberOrganizationId: s.gid('Organization', partner) };
    expect((await t.gql(rm, { i: input }, { token: tok.sam })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await t.gql(rm, { i: input }, { token })).body.data.removeOrganizationMember).toEqual({ organization: { slug: 'om-host' }, userErrors: [] });
    expect((await t.gql(q, {}, { token })).body.data.organization.orgMembers).toEqual([]);
    expect((await t.gql(rm, { i: input }, { token })).body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('paginates with keyset cursors forward and backward, capped at 100', async () => {
    const admin = ADMIN.token;
    for (let i = 0; i < 7; i++) await s.org(`page-${i}`);
    const filter = { slugContains: 'page-' };
    const q = `query($f: OrganizationFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
      organizations(filter: $f, first: $first, after: $after, last: $last, before: $before) { nodes { slug } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`;
    const p1 = (await t.gql(q, { f: filter, first: 3 }, { token: admin })).body.data.organizations;
    expect(p1.nodes.map((n: { slug: string }) => n.slug)).toEqual(['page-0', 'page-1', 'page-2']);
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(p1.totalCount).toBe(7);
    const p2 = (await t.gql(q, { f: filter, first: 3, after: p1.pageInfo.endCursor }, { token: admin })).body.data.organizations;
    expect(p2.nodes.map((n: { slug: string }) => n.slug)).toEqual(['page-3', 'page-4', 'page-5']);
    const back = (await t.gql(q, { f: filter, last: 2, before: p2.pageInfo.startCursor }, { token: admin })).body.data.organizations;
    expect(back.nodes.map((n: { slug: string }) => n.slug)).toEqual(['page-1', 'page-2']);
    expect(back.pageInfo.hasPreviousPage).toBe(true);
    // Created-at order pages without repeating or skipping (microsecond timestamps).
    const byCreated = `query($after: String) { organizations(first: 2, after: $after, filter: { slugContains: "page-" }, orderBy: { field: CREATED_AT, direction: ASC }) { nodes { slug } pageInfo { endCursor hasNextPage } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const pg: any = (await t.gql(byCreated, { after }, { token: admin })).body.data.organizations;
      seen.push(...pg.nodes.map((n: { slug: string }) => n.slug));
      if (!pg.pageInfo.hasNextPage) break;
      after = pg.pageInfo.endCursor;
    }
    expect(seen).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
    const desc = (await t.gql(`{ organizations(first: 2, filter: { slugContains: "page-" }, orderBy: { field: SLUG, direction: DESC }) { nodes { slug } } }`, {}, { token: admin })).body.data.organizations;
    expect(desc.nodes).toEqual([{ slug: 'page-6' }, { slug: 'page-5' }]);
    const tooMany = await t.gql(q, { first: 101 }, { token: admin });
    expect(tooMany.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badCursor = await t.gql(q, { first: 1, after: 'garbage!' }, { token: admin });
    expect(badCursor.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const node = await t.gql(`query($id: ID!) { node(id: $id) { ... on Organization { slug } } }`, { id: p1.nodes.length && (await t.gql(`{ organization(slug: "page-0") { id } }`, {}, { token: admin })).body.data.organization.id }, { token: admin });
    expect(node.body.data.node).toEqual({ slug: 'page-0' });
  });

  it('loads memberships of many organizations in a constant number of statements', async () => {
    const owner = await s.user('bulk-owner');
    const members = [];
    for (let i = 0; i < 5; i++) members.push(await s.user(`bulk-m${i}`));
    for (let i = 0; i < 20; i++) {
      const o = await s.org(`bulk-${String(i).padStart(2, '0')}`, { owner });
      for (const m of members) await s.member(o, m);
    }
    const q = `query($n: Int!) { organizations(first: $n, filter: { slugContains: "bulk-" }, orderBy: { field: SLUG, direction: ASC }) {
      nodes { slug name memberships(first: 20) { nodes { role user { username email } } } } } }`;
    const count = async (n: number) => {
      const before = t.db.statementCount;
      const r = await t.gql(q, { n }, { token: ADMIN.token });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.organizations.nodes).toHaveLength(n);
      expect(r.body.data.organizations.nodes[0].memberships.nodes).toHaveLength(6);
      const n2 = t.db.statementCount - before;
      if (process.env.SHOW_SQL) console.log(t.db.recentStatements.slice(-n2).join('\n---\n'));
      return n2;
    };
    const one = await count(1);
    const twenty = await count(20);
    // authentication (1) + organizations (1) + memberships with users and emails (1)
    expect(twenty).toBe(one);
    expect(one).toBeLessThanOrEqual(3);
  });

  it('pages the memberships of a batch of organizations both ways, each as it pages alone, empty ones included', async () => {
    const owner = await s.user('pager-owner');
    const people = [];
    for (let i = 0; i < 7; i++) people.push(await s.user(`pager-m${i}`));
    // pager-0 has only its owner; pager-1 everyone; pager-2 every other one.
    for (let i = 0; i < 3; i++) {
      const o = await s.org(`pager-${i}`, { owner });
      for (const [k, m] of people.entries()) if (i === 1 || (i === 2 && k % 2 === 0)) await s.member(o, m, k === 3 ? 'admin' : 'member');
    }
    const PAGE = `nodes { role user { username } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
    const alone = async (slug: string, args: string) =>
      (await t.gql(`{ organization(slug: "${slug}") { memberships(${args}) { ${PAGE} } } }`, {}, { token: ADMIN.token })).body.data.organization.memberships;
    for (const args of ['first: 3', 'last: 3', 'first: 100', 'role: ADMIN, first: 2', 'role: OWNER, last: 1']) {
      const batch = await t.gql(
        `{ organizations(first: 3, filter: { slugContains: "pager-" }, orderBy: { field: SLUG, direction: ASC }) { nodes { slug memberships(${args}) { ${PAGE} } } } }`,
        {},
        { token: ADMIN.token },
      );
      expect(batch.body.errors, args).toBeUndefined();
      const nodes = batch.body.data.organizations.nodes;
      expect(nodes.map((n: { slug: string }) => n.slug)).toEqual(['pager-0', 'pager-1', 'pager-2']);
      for (const n of nodes) expect(n.memberships, `${n.slug} ${args}`).toEqual(await alone(n.slug, args));
    }
    // Walked both ways, one organization's members come out in one order, each once.
    const all = (await alone('pager-1', 'first: 100')).nodes.map((n: { user: { username: string } }) => n.user.username);
    expect(all).toHaveLength(8);
    type Page = { nodes: { user: { username: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string } };
    /** Every member, 3 a page: forward from the start, or backward from the end. */
    const walk = async (forward: boolean) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const p: Page = await alone('pager-1', forward ? `first: 3${cursor ? `, after: "${cursor}"` : ''}` : `last: 3${cursor ? `, before: "${cursor}"` : ''}`);
        const names = p.nodes.map((n) => n.user.username);
        if (forward) seen.push(...names);
        else seen.unshift(...names);
        cursor = forward ? (p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null) : p.pageInfo.hasPreviousPage ? p.pageInfo.startCursor : null;
      } while (cursor);
      return seen;
    };
    expect(await walk(true)).toEqual(all);
    expect(await walk(false)).toEqual(all);
  });

  it('gives a member, read through the membership page, exactly as the user reads directly', async () => {
    // The page decodes its users from one json value: every scalar must survive that (dates with
    // microseconds, jsonb social, nulls, booleans), as the admin sees them.
    const fields = `id databaseId username firstName lastName displayName name state isActive bio location website social
      projectsLimit canCreateGroup external confirmedAt createdAt analystConsent email isAdmin lastSignInAt currentSignInAt`;
    const page = await t.gql(`{ organization(slug: "bulk-00") { memberships(first: 20) { nodes { user { ${fields} } } } } }`, {}, { token: ADMIN.token });
    expect(page.body.errors).toBeUndefined();
    const viaPage = page.body.data.organization.memberships.nodes.map((n: { user: { username: string } }) => n.user);
    expect(viaPage).toHaveLength(6);
    for (const u of viaPage) {
      const direct = await t.gql(`query($u: String!) { user(username: $u) { ${fields} } }`, { u: u.username }, { token: ADMIN.token });
      expect(u).toEqual(direct.body.data.user);
    }
    expect(viaPage.some((u: { createdAt: string | null }) => u.createdAt)).toBe(true);
  });
  it('reads only the member user columns the selection asks for, and answers each field as the whole row does', async () => {
    const fields = `id databaseId username firstName lastName displayName name state isActive bio location website social
      projectsLimit canCreateGroup external confirmedAt createdAt analystConsent email isAdmin lastSignInAt currentSignInAt`;
    const users = async (selection: string) => {
      const r = await t.gql(`{ organization(slug: "bulk-00") { memberships(first: 20) { ${selection} } } }`, {}, { token: ADMIN.token });
      expect(r.body.errors).toBeUndefined();
      return r.body.data.organization.memberships;
    };
    const whole = (await users(`nodes { user { ${fields} } }`)).nodes.map((n: { user: Record<string, unknown> }) => n.user);
    for (const f of fields.split(/\s+/)) {
      const alone = (await users(`nodes { user { ${f} } }`)).nodes.map((n: { user: Record<string, unknown> }) => n.user);
      expect(alone, f).toEqual(whole.map((u: Record<string, unknown>) => ({ [f]: u[f] })));
    }
    // The membership's own fields likewise (createdAt is read only when asked), cursors included.
    const members = await users(`edges { cursor node { id role createdAt organization { slug } } }`);
    expect(members.edges[0].node.createdAt).toEqual(expect.any(String));
    for (const f of ['id', 'role', 'createdAt']) {
      const alone = await users(`edges { cursor node { ${f} } }`);
      expect(alone.edges, f).toEqual(members.edges.map((e: { cursor: string; node: Record<string, unknown> }) => ({ cursor: e.cursor, node: { [f]: e.node[f] } })));
    }
    expect(new Set(members.edges.map((e: { node: { organization: { slug: string } } }) => e.node.organization.slug))).toEqual(new Set(['bulk-00']));
    // Through edges, a named fragment and an inline one, under an alias: all count.
    const before = t.db.statementCount;
    const viaFragments = await t.gql(
      `fragment F on User { bio } { organization(slug: "bulk-00") { memberships(first: 20) { edges { node { user { ...F ... on User { b: website } } } } } } }`,
      {},
      { token: ADMIN.token },
    );
    expect(viaFragments.body.errors).toBeUndefined();
    expect(viaFragments.body.data.organization.memberships.edges.map((e: { node: { user: unknown } }) => e.node.user)).toEqual(
      whole.map((u: Record<string, unknown>) => ({ bio: u.bio, b: u.website })),
    );
    const page = t.db.recentStatements.slice(-(t.db.statementCount - before)).find((q) => q.includes('json_agg') && q.includes('memberships'))!;
    expect(page).toContain('u."bio"');
    expect(page).toContain('u."website"');
    expect(page).not.toContain('u."location"');
    expect(page).not.toContain('primary_email'); // no email asked for: none read
    expect(page).not.toContain('contacts'); // a member's email is never a lookup in contacts
    expect(page).not.toContain('m."created_at"');
  });

  it('never caches a partly read member as the user: a later read of the user gets the whole row', async () => {
    const loaders = createLoaders(t.db.db);
    const [o] = await t.db.db.select().from(organizations).where(eq(organizations.slug, 'bulk-00'));
    const plan = memberPlanOf({ userColumns: ['id', 'username'], createdAt: false, ids: false, user: true });
    const page = await loaders.membershipPage({ role: null, page: pageRequest({ first: 20 }), plan }).load(o!.id);
    expect(page.length).toBeGreaterThan(0);
    expect(Object.keys(page[0]!.user).sort()).toEqual(['id', 'username']);
    expect(page[0]!.membership).toMatchObject({ organizationId: o!.id, userId: page[0]!.user.id });
    const user = await loaders.userById.load(page[0]!.user.id!);
    expect(user).toMatchObject({ id: page[0]!.user.id, username: page[0]!.user.username, projectsLimit: expect.any(Number), createdAt: expect.any(Date) });
    // The email was not read: the user's row has it, not "none".
    const [email] = await t.db.db.select().from(contacts).where(and(eq(contacts.userId, page[0]!.user.id!), eq(contacts.isPrimary, true)));
    expect(email?.value).toEqual(expect.any(String));
    expect(user!.primaryEmail).toBe(email!.value);
  });

  it('knows which columns every User field reads, so no member selection falls back to the whole row', async () => {
    const r = await t.gql(`{ __type(name: "User") { fields { name } } }`, {}, { token: ADMIN.token });
    const names: string[] = r.body.data.__type.fields.map((f: { name: string }) => f.name);
    expect(names.length).toBeGreaterThan(20);
    const viewer = (isInstanceAdmin: boolean): Principal => ({ kind: 'user', userId: 'u', username: 'u', isInstanceAdmin, credential: { type: 'access_token', expiresAt: new Date() } });
    const userType = (await buildSchema()).getType('User') as GraphQLObjectType;
    const userColumnsFor = (fields: Set<string>, p: Principal) => columnsFor(userType, fields, p.kind === 'user' && p.isInstanceAdmin);
    for (const name of names) expect(userColumnsFor(new Set([name]), viewer(false)), name).not.toBeNull();
    expect(userColumnsFor(new Set(['noSuchField']), viewer(true))).toBeNull();
    // The user's id only where a field needs it: its own, a relation, or (for all but instance
    // admins, who may read every user's) the check that the viewer is the user.
    expect(userColumnsFor(new Set(['username', 'name']), viewer(false))).toEqual(['displayName', 'firstName', 'lastName', 'username']);
    expect(userColumnsFor(new Set(['username', 'email']), viewer(true))).toEqual(['primaryEmail', 'username']);
    expect(userColumnsFor(new Set(['username', 'email']), viewer(false))).toEqual(['id', 'primaryEmail', 'username']);
    expect(userColumnsFor(new Set(['username', 'groups']), viewer(true))).toEqual(['id', 'username']);
    expect(userColumnsFor(new Set(['id']), viewer(true))).toEqual(['id']);
    expect(userColumnsFor(new Set(['__typename']), viewer(true))).toEqual([]);
  });

  // An instance admin's page of members reads no user ids when nothing needs them; anyone else's
  // reads them to show each private field to its own user only. Run on ONE document in turn by
  // both kinds of viewer (the member selection is remembered per field of a document).
  it('shows private member fields to the member alone, on one document read by an admin and by a member', async () => {
    const fields = 'username email isAdmin lastSignInAt analystConsent';
    const doc = `{ organization(slug: "acme") { memberships(first: 10) { nodes { user { ${fields} } } } } }`;
    const statementOf = async (token: string) => {
      const before = t.db.statementCount;
      const r = await t.gql(doc, {}, { token });
      expect(r.body.errors).toBeUndefined();
      const page = t.db.recentStatements.slice(-(t.db.statementCount - before)).find((q) => q.includes('json_agg') && q.includes('memberships'))!;
      return { users: r.body.data.organization.memberships.nodes.map((n: { user: Record<string, unknown> }) => n.user), page };
    };
    for (let round = 0; round < 3; round++) {
      const admin = await statementOf(ADMIN.token);
      expect(admin.page).not.toContain('u."id"');
      expect(admin.users.find((u: { username: string }) => u.username === 'olive')).toMatchObject({ email: 'olive@example.com', isAdmin: false, analystConsent: false });
      const adam = await statementOf(tok.adam!);
      expect(adam.page).toContain('u."id"');
      const byName = Object.fromEntries(adam.users.map((u: { username: string }) => [u.username, u]));
      expect(byName.olive).toEqual({ username: 'olive', email: null, isAdmin: null, lastSignInAt: null, analystConsent: null });
      const self = await t.gql(`{ user(username: "adam") { ${fields} } }`, {}, { token: tok.adam! });
      expect(byName.adam).toEqual(self.body.data.user);
      expect(byName.adam).toMatchObject({ username: 'adam', email: 'adam@example.com', isAdmin: false, analystConsent: false });
    }
  });

  it('pages children in SQL both ways, the count in the same statement, for a batch of parents in one statement', async () => {
    const owner = await s.user('kids-owner');
    const parents = [];
    for (let i = 0; i < 3; i++) parents.push(await s.org(`kids-${i}`, { owner }));
    // kids-0 has none; kids-1 five; kids-2 two (created out of slug order).
    const made: Record<string, string[]> = { 'kids-0': [], 'kids-1': ['e', 'c', 'a', 'd', 'b'], 'kids-2': ['y', 'x'] };
    for (const p of parents) for (const k of made[p.slug]!) await s.org(`${p.slug}.${k}`, { owner, parent: p });
    const sorted = (slug: string) => made[slug]!.map((k) => `${slug}.${k}`).sort();
    const PAGE = 'nodes { slug } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
    const pageOf = async (slug: string, args: string) =>
      (await t.gql(`{ organization(slug: "${slug}") { children(${args}) { ${PAGE} } } }`, {}, { token: ADMIN.token })).body.data.organization.children;
    // Forward by two through kids-1, then backward from its end.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const c = await pageOf('kids-1', after ? `first: 2, after: "${after}"` : 'first: 2');
      expect(c.totalCount).toBe(5);
      seen.push(...c.nodes.map((n: { slug: string }) => n.slug));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toEqual(sorted('kids-1'));
    const last = await pageOf('kids-1', 'last: 2');
    expect(last.nodes.map((n: { slug: string }) => n.slug)).toEqual(sorted('kids-1').slice(3));
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = await pageOf('kids-1', `last: 2, before: "${last.pageInfo.startCursor}"`);
    expect(before.nodes.map((n: { slug: string }) => n.slug)).toEqual(sorted('kids-1').slice(1, 3));
    // A cursor of another list (a membership's) is no position of this one: BAD_USER_INPUT.
    const m = (await t.gql(`{ organization(slug: "kids-1") { memberships(first: 1) { pageInfo { endCursor } } } }`, {}, { token: ADMIN.token })).body.data.organization.memberships;
    const foreign = await t.gql(`{ organization(slug: "kids-1") { children(first: 2, after: "${m.pageInfo.endCursor}") { nodes { slug } } } }`, {}, { token: ADMIN.token });
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // A batch of parents: one statement for every page and count, each parent paged as alone.
    const q = `{ organizations(filter: { slugContains: "kids-" , rootsOnly: true }, first: 10) { nodes { slug children(first: 1) { ${PAGE} } } } }`;
    const count = t.db.statementCount;
    const batch = (await t.gql(q, {}, { token: ADMIN.token })).body.data.organizations.nodes;
    expect(t.db.statementCount - count).toBeLessThanOrEqual(3);
    for (const p of batch) expect(p.children, p.slug).toEqual(await pageOf(p.slug, 'first: 1'));
    expect(batch.map((p: { children: { totalCount: number } }) => p.children.totalCount)).toEqual([0, 5, 2]);
  });
});
