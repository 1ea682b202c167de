// Groups: visibility (organization members), management (organization admins and group
// admins), membership rules, keys for members only, connections and flat statement counts.
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLogs } from '../schema/logs.js';
import { pageRequest } from '../src/core/graphql/connection.js';
import { createLoaders } from '../src/loaders.js';
import type { GraphQLObjectType } from 'graphql';
import { columnsFor } from '../src/core/read/plan.js';
import { groupPlanOf } from '../src/modules/groups/group.read.js';
import { buildSchema } from '../src/schema.js';
import type { OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seedContent, type ContentSeed } from './helpers/seed-content.js';
import { seed, type Seed } from './helpers/seed.js';

const GROUP_FIELDS = `id name encryptionPublicKey encryptedEncryptionPrivateKey organization { slug } members { isAdmin user { username } } admins { username } viewerCanManage`;
const CREATE = `mutation($i: CreateGroupInput!) { createGroup(input: $i) { group { ${GROUP_FIELDS} } userErrors { code field message } } }`;
const RENAME = `mutation($i: RenameGroupInput!) { renameGroup(input: $i) { group { name } userErrors { code field message } } }`;
const DELETE = `mutation($i: DeleteGroupInput!) { deleteGroup(input: $i) { deletedId userErrors { code field } } }`;
const ADD = `mutation($i: GroupMembersInput!) { addGroupMembers(input: $i) { group { members { isAdmin user { username } } } userErrors { code field message } } }`;
const REMOVE = `mutation($i: GroupMembersInput!) { removeGroupMembers(input: $i) { group { members { isAdmin user { username } } } userErrors { code field message } } }`;
const SET_ADMIN = `mutation($i: SetGroupAdminInput!) { setGroupAdmin(input: $i) { group { admins { username } } userErrors { code field message } } }`;
const GROUP = `query($id: ID!) { group(id: $id) { ${GROUP_FIELDS} } }`;

describe.each(DRIVERS)('groups on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  let c: ContentSeed;
  const u: Record<string, UserRow> = {};
  const tok: Record<string, string> = {};
  let acme: OrganizationRow;
  let other: OrganizationRow;

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    c = seedContent(t);
    for (const name of ['owen', 'ada', 'gail', 'mo', 'max', 'out']) {
      u[name] = await s.user(name);
      tok[name] = await s.tokenFor(u[name]);
    }
    acme = await s.org('acme', { owner: u.owen });
    await s.member(acme, u.ada, 'admin');
    for (const m of ['gail', 'mo', 'max']) await s.member(acme, u[m]);
    other = await s.org('other', { owner: u.out });
  });
  afterAll(() => t.close());

  const gid = (row: { id: string }, type = 'User') => s.gid(type, row);
  const lastEvent = async () => (await t.db.db.select().from(eventLogs).orderBy(desc(eventLogs.occurredAt), desc(eventLogs.id)).limit(1))[0]!;

  const create = async (token: string, i: Record<string, unknown>) => (await t.gql(CREATE, { i: { organizationId: gid(acme, 'Organization'), ...i } }, { token })).body;

  describe('createGroup', () => {
    it('lets organization admins create a group with keys, members and admins, and logs it', async () => {
      const r = await create(tok.ada, {
        name: '  Engineering ',
        encryptionPublicKey: 'enc-public-key',
        signingPublicKey: 'sig-public-key',
        encryptedEncryptionPrivateKey: 'enc-private-key',
        encryptedSigningPrivateKey: 'sig-private-key',
        memberIds: [gid(u.mo)],
        adminIds: [gid(u.gail)],
      });
      expect(r.errors).toBeUndefined();
      const p = r.data.createGroup;
      expect(p.userErrors).toEqual([]);
      expect(p.group).toMatchObject({ name: 'Engineering', encryptionPublicKey: 'enc-public-key', organization: { slug: 'acme' }, admins: [{ username: 'gail' }] });
      expect(p.group.members).toEqual([
        { isAdmin: true, user: { username: 'gail' } },
        { isAdmin: false, user: { username: 'mo' } },
      ]);
      // ada is not a member of the group: the encrypted private keys stay hidden from her.
      expect(p.group.encryptedEncryptionPrivateKey).toBeNull();
      const ev = await lastEvent();
      expect(ev).toMatchObject({ action: 'group.create', actorUserId: u.ada.id, organizationId: acme.id });
      expect(ev.data).toMatchObject({ groupId: expect.any(String), name: 'Engineering' });

      const asGail = await t.gql(GROUP, { id: p.group.id }, { token: tok.gail });
      expect(asGail.body.data.group).toMatchObject({ encryptedEncryptionPrivateKey: 'enc-private-key', viewerCanManage: true });
      const asMax = await t.gql(GROUP, { id: p.group.id }, { token: tok.max });
      expect(asMax.body.data.group).toMatchObject({ name: 'Engineering', encryptedEncryptionPrivateKey: null, viewerCanManage: false });
    });

    it('validates the name and key lengths as userErrors with the field', async () => {
      for (const [i, field] of [
        [{ name: '' }, 'name'],
        [{ name: 'x'.repeat(65) }, 'name'],
        [{ name: 'ok', encryptionPublicKey: 'short' }, 'encryptionPublicKey'],
      ] as const) {
        const r = await create(tok.ada, i);
        expect(r.data.createGroup).toMatchObject({ group: null, userErrors: [{ code: 'VALIDATION_FAILED', field }] });
      }
      expect((await create(tok.ada, { name: 'x'.repeat(64) })).data.createGroup.userErrors).toEqual([]);
    });

    it('refuses members from outside the organization', async () => {
      const r = await create(tok.ada, { name: 'Mixed', memberIds: [gid(u.out)] });
      expect(r.data.createGroup.userErrors).toEqual([{ code: 'VALIDATION_FAILED', field: 'memberIds', message: expect.stringContaining('members of the group’s organization') }]);
    });

    it('is forbidden to plain members, hidden from outsiders, unauthenticated for anonymous callers', async () => {
      const member = await create(tok.mo, { name: 'Nope' });
      expect(member.errors[0].extensions.code).toBe('FORBIDDEN');
      const outsider = await create(tok.out, { name: 'Nope' });
      expect(outsider.errors[0].extensions.code).toBe('NOT_FOUND');
      const unknown = (await t.gql(CREATE, { i: { organizationId: 'bm9wZQ', name: 'Nope' } }, { token: tok.ada })).body;
      expect(unknown.errors[0].extensions.code).toBe('NOT_FOUND');
      const anonymous = (await t.gql(CREATE, { i: { organizationId: gid(acme, 'Organization'), name: 'Nope' } })).body;
      expect(anonymous.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('reading', () => {
    let sales: string;
    beforeAll(async () => {
      sales = gid(await c.group(acme, 'Sales', { admins: [u.max], members: [u.mo] }), 'Group');
      await c.group(other, 'Other sales', { admins: [u.out] });
    });

    it('shows a group to organization members and to no one else', async () => {
      expect((await t.gql(GROUP, { id: sales }, { token: tok.mo })).body.data.group.name).toBe('Sales');
      expect((await t.gql(GROUP, { id: sales }, { token: tok.out })).body.data.group).toBeNull();
      expect((await t.gql(GROUP, { id: sales })).body.data.group).toBeNull();
      expect((await t.gql(GROUP, { id: 'garbage' }, { token: tok.mo })).body.data.group).toBeNull();
      const node = await t.gql(`query($id: ID!) { node(id: $id) { ... on Group { name } } }`, { id: sales }, { token: tok.mo });
      expect(node.body.data.node).toEqual({ name: 'Sales' });
    });

    it('lists visible groups with filters, order and keyset pages', async () => {
      const q = `query($f: GroupFilterInput, $after: String, $o: GroupOrder) { groups(first: 2, after: $after, filter: $f, orderBy: $o) {
        nodes { name } pageInfo { hasNextPage endCursor } totalCount } }`;
      const mine = await t.gql(q, {}, { token: tok.mo });
      const names = mine.body.data.groups.nodes.map((g: any) => g.name);
      expect(names).toEqual(['Engineering', 'Sales']);
      expect(mine.body.data.groups.pageInfo.hasNextPage).toBe(true);
      expect(mine.body.data.groups.totalCount).toBe(3);
      const next = await t.gql(q, { after: mine.body.data.groups.pageInfo.endCursor }, { token: tok.mo });
      expect(next.body.data.groups.nodes.map((g: any) => g.name)).toEqual(['x'.repeat(64)]);
      expect(next.body.data.groups.pageInfo.hasNextPage).toBe(false);

      const filtered = await t.gql(q, { f: { nameContains: 'SAL' } }, { token: ADMIN.token });
      expect(filtered.body.data.groups.nodes.map((g: any) => g.name)).toEqual(['Other sales', 'Sales']);
      const byOrg = await t.gql(q, { f: { nameContains: 'sal', organization: gid(other, 'Organization') } }, { token: ADMIN.token });
      expect(byOrg.body.data.groups.nodes.map((g: any) => g.name)).toEqual(['Other sales']);
      const desc = await t.gql(q, { o: { field: 'NAME', direction: 'DESC' } }, { token: tok.mo });
      expect(desc.body.data.groups.nodes.map((g: any) => g.name)).toEqual(['x'.repeat(64), 'Sales']);
      const outsider = await t.gql(q, {}, { token: tok.out });
      expect(outsider.body.data.groups.nodes.map((g: any) => g.name)).toEqual(['Other sales']);
      expect((await t.gql(q, {})).body.data.groups.nodes).toEqual([]);
    });

    it('adds Organization.groups (by name, paged) and User.groups', async () => {
      const q = `query($slug: String!, $after: String) { organization(slug: $slug) { groups(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } totalCount } } }`;
      const first = await t.gql(q, { slug: 'acme' }, { token: tok.mo });
      expect(first.body.data.organization.groups).toMatchObject({ nodes: [{ name: 'Engineering' }, { name: 'Sales' }], pageInfo: { hasNextPage: true }, totalCount: 3 });
      const second = await t.gql(q, { slug: 'acme', after: first.body.data.organization.groups.pageInfo.endCursor }, { token: tok.mo });
      expect(second.body.data.organization.groups).toMatchObject({ nodes: [{ name: 'x'.repeat(64) }], pageInfo: { hasNextPage: false } });
      const userGroups = await t.gql(`{ viewer { groups { name } } }`, {}, { token: tok.mo });
      expect(userGroups.body.data.viewer.groups.map((g: any) => g.name)).toEqual(['Engineering', 'Sales']);
    });
  });

  describe('changes', () => {
    let g: string;
    beforeAll(async () => {
      g = gid(await c.group(acme, 'Support', { admins: [u.gail], members: [u.mo] }), 'Group');
    });

    it('renames: group admins and organization admins may, plain members may not', async () => {
      const byGroupAdmin = (await t.gql(RENAME, { i: { id: g, name: 'Helpdesk' } }, { token: tok.gail })).body.data.renameGroup;
      expect(byGroupAdmin).toEqual({ group: { name: 'Helpdesk' }, userErrors: [] });
      expect(await lastEvent()).toMatchObject({ action: 'group.rename', actorUserId: u.gail.id, data: { from: 'Support', to: 'Helpdesk' } });
      const byMember = (await t.gql(RENAME, { i: { id: g, name: 'Mine' } }, { token: tok.mo })).body;
      expect(byMember.errors[0].extensions.code).toBe('FORBIDDEN');
      const byOutsider = (await t.gql(RENAME, { i: { id: g, name: 'Mine' } }, { token: tok.out })).body;
      expect(byOutsider.errors[0].extensions.code).toBe('NOT_FOUND');
      const empty = (await t.gql(RENAME, { i: { id: g, name: ' ' } }, { token: tok.ada })).body.data.renameGroup;
      expect(empty.userErrors).toEqual([{ code: 'VALIDATION_FAILED', field: 'name', message: expect.any(String) }]);
    });

    it('adds members of the organization; duplicates conflict, outsiders are refused', async () => {
      const ok = (await t.gql(ADD, { i: { groupId: g, userIds: [gid(u.max)] } }, { token: tok.gail })).body.data.addGroupMembers;
      expect(ok.userErrors).toEqual([]);
      expect(ok.group.members.map((m: any) => m.user.username)).toEqual(['gail', 'mo', 'max']);
      expect(await lastEvent()).toMatchObject({ action: 'group.addMembers', user2Id: u.max.id });
      const dup = (await t.gql(ADD, { i: { groupId: g, userIds: [gid(u.max)] } }, { token: tok.gail })).body.data.addGroupMembers;
      expect(dup).toMatchObject({ group: null, userErrors: [{ code: 'CONFLICT', field: 'userIds' }] });
      const outsider = (await t.gql(ADD, { i: { groupId: g, userIds: [gid(u.out)] } }, { token: tok.gail })).body.data.addGroupMembers;
      expect(outsider.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'userIds' });
      const badId = (await t.gql(ADD, { i: { groupId: g, userIds: ['nope'] } }, { token: tok.gail })).body;
      expect(badId.errors[0].extensions.code).toBe('NOT_FOUND');
      const forbidden = (await t.gql(ADD, { i: { groupId: g, userIds: [gid(u.ada)] } }, { token: tok.mo })).body;
      expect(forbidden.errors[0].extensions.code).toBe('FORBIDDEN');
    });

    it('sets and takes the admin flag, keeping at least one admin', async () => {
      const grant = (await t.gql(SET_ADMIN, { i: { groupId: g, userId: gid(u.mo), isAdmin: true } }, { token: tok.ada })).body.data.setGroupAdmin;
      expect(grant).toEqual({ group: { admins: [{ username: 'gail' }, { username: 'mo' }] }, userErrors: [] });
      expect(await lastEvent()).toMatchObject({ action: 'group.setAdmin', user2Id: u.mo.id, data: { isAdmin: true } });
      await t.gql(SET_ADMIN, { i: { groupId: g, userId: gid(u.gail), isAdmin: false } }, { token: tok.ada });
      const last = (await t.gql(SET_ADMIN, { i: { groupId: g, userId: gid(u.mo), isAdmin: false } }, { token: tok.ada })).body.data.setGroupAdmin;
      expect(last.userErrors).toEqual([{ code: 'PRECONDITION_FAILED', field: 'isAdmin', message: 'A group keeps at least one admin' }]);
      const notMember = (await t.gql(SET_ADMIN, { i: { groupId: g, userId: gid(u.owen), isAdmin: true } }, { token: tok.ada })).body.data.setGroupAdmin;
      expect(notMember.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'userId' });
    });

    it('removes members, but not the last admin nor non-members', async () => {
      const lastAdmin = (await t.gql(REMOVE, { i: { groupId: g, userIds: [gid(u.mo)] } }, { token: tok.ada })).body.data.removeGroupMembers;
      expect(lastAdmin.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'userIds' });
      const ok = (await t.gql(REMOVE, { i: { groupId: g, userIds: [gid(u.gail), gid(u.max)] } }, { token: tok.mo })).body.data.removeGroupMembers;
      expect(ok).toEqual({ group: { members: [{ isAdmin: true, user: { username: 'mo' } }] }, userErrors: [] });
      expect(await lastEvent()).toMatchObject({ action: 'group.removeMembers', actorUserId: u.mo.id, data: { userIds: [u.gail.id, u.max.id] } });
      const notMember = (await t.gql(REMOVE, { i: { groupId: g, userIds: [gid(u.owen)] } }, { token: tok.ada })).body.data.removeGroupMembers;
      expect(notMember.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'userIds' });
    });

    it('deletes (organization admins or group admins); then the group is gone', async () => {
      const denied = (await t.gql(DELETE, { i: { id: g } }, { token: tok.max })).body;
      expect(denied.errors[0].extensions.code).toBe('FORBIDDEN');
      const ok = (await t.gql(DELETE, { i: { id: g } }, { token: tok.owen })).body.data.deleteGroup;
      expect(ok).toEqual({ deletedId: g, userErrors: [] });
      expect(await lastEvent()).toMatchObject({ action: 'group.delete', organizationId: acme.id, data: { name: 'Helpdesk' } });
      expect((await t.gql(GROUP, { id: g }, { token: tok.owen })).body.data.group).toBeNull();
      const again = (await t.gql(DELETE, { i: { id: g } }, { token: tok.owen })).body;
      expect(again.errors[0].extensions.code).toBe('NOT_FOUND');
    });
  });

  it('loads organizations with memberships and groups in a flat number of statements', async () => {
    for (let i = 0; i < 20; i++) {
      const o = await s.org(`bulk-${String(i).padStart(2, '0')}`);
      const members = [];
      for (let k = 0; k < 3; k++) members.push(await s.user(`bulk${i}m${k}`));
      for (const m of members) await s.member(o, m);
      for (const name of ['Admins', 'Engineering', 'Sales', 'Support']) await c.group(o, name, { members: [members[0]!] });
    }
    const q = `query($n: Int!) { organizations(first: $n, filter: { slugContains: "bulk-" }, orderBy: { field: SLUG, direction: ASC }) {
      nodes { slug name memberships(first: 20) { nodes { role user { username email } } } groups { nodes { name } } } } }`;
    const count = async (n: number) => {
      const before = t.db.statementCount;
      const r = await t.gql(q, { n }, { token: ADMIN.token });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.organizations.nodes).toHaveLength(n);
      for (const o of r.body.data.organizations.nodes) {
        expect(o.groups.nodes.map((g: any) => g.name)).toEqual(['Admins', 'Engineering', 'Sales', 'Support']);
        expect(o.memberships.nodes).toHaveLength(3);
      }
      return t.db.statementCount - before;
    };
    // Warm up: the first use of a token in a minute also records its last use (one write).
    await t.gql(`{ viewer { username } }`, {}, { token: ADMIN.token });
    const one = await count(1);
    const twenty = await count(20);
    // authentication (1) + organizations (1) + memberships with users and emails (1) + groups (1)
    expect(twenty).toBe(one);
    expect(one).toBeLessThanOrEqual(4);
    console.log(`[groups ${driver}] page query statements: 1 org → ${one}, 20 orgs → ${twenty}`);
  });

  it('reads only the group columns the selection asks for, answering each field as the whole row does', async () => {
    const made = await create(tok.ada, { name: 'Keyed', encryptionPublicKey: 'enc-public-key-2', signingPublicKey: 'sig-public-key-2', encryptedEncryptionPrivateKey: 'enc-private-key-2', encryptedSigningPrivateKey: 'sig-private-key-2', memberIds: [gid(u.ada)] });
    expect(made.data.createGroup.userErrors).toEqual([]);
    const fields = ['id', 'databaseId', 'name', 'createdAt', 'encryptionPublicKey', 'signingPublicKey', 'encryptedEncryptionPrivateKey', 'encryptedSigningPrivateKey', 'viewerCanManage'];
    const groups = async (selection: string) => {
      const r = await t.gql(`{ organization(slug: "acme") { groups(first: 100) { ${selection} } } }`, {}, { token: tok.ada });
      expect(r.body.errors).toBeUndefined();
      return r.body.data.organization.groups;
    };
    const whole = (await groups(`edges { cursor node { ${fields.join(' ')} organization { slug } } }`)).edges;
    expect(whole.find((e: { node: { name: string } }) => e.node.name === 'Keyed').node.encryptedSigningPrivateKey).toBe('sig-private-key-2');
    for (const f of fields) {
      const alone = (await groups(`edges { cursor node { ${f} } }`)).edges;
      expect(alone, f).toEqual(whole.map((e: { cursor: string; node: Record<string, unknown> }) => ({ cursor: e.cursor, node: { [f]: e.node[f] } })));
    }
    const before = t.db.statementCount;
    await groups(`nodes { name }`);
    const page = t.db.recentStatements.slice(-(t.db.statementCount - before)).find((q) => q.includes('row_number') && q.includes('groups'))!;
    expect(page).toContain('g."name"');
    expect(page).not.toContain('private_key');
    // A partly read group is never cached as the group.
    const loaders = createLoaders(t.db.db);
    const [row] = await loaders.groupPage({ page: pageRequest({ first: 100 }), plan: groupPlanOf(['id', 'name', 'organizationId']) }).load(acme.id);
    expect(Object.keys(row!).sort()).toEqual(['id', 'name', 'organizationId']);
    expect(await loaders.groupById.load(row!.id)).toMatchObject({ id: row!.id, createdAt: expect.any(Date), databaseId: expect.any(Number) });
    // Every Group field declares its columns (@GroupReads), so no selection falls back to whole rows.
    const groupType = (await buildSchema()).getType('Group') as GraphQLObjectType;
    expect(columnsFor(groupType, ['noSuchField'], false)).toBeNull();
    const type = await t.gql(`{ __type(name: "Group") { fields { name } } }`, {}, { token: ADMIN.token });
    for (const { name } of type.body.data.__type.fields) expect(columnsFor(groupType, [name], false), name).not.toBeNull();
  });

  void eq;
});
