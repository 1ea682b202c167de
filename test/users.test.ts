// Reading users: user(id|username), the users() connection (keyset pages both ways, filters,
// orderings, totalCount), who sees which private fields, node(id) for owned objects, and the
// statement count of a nested users query staying flat from 1 to 20 users.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';
import { addDevice, addIdentity, newEd25519Key } from './helpers/seed-users.js';

const USER_BY = `query($id: ID, $username: String) { user(id: $id, username: $username) { id username name displayName bio location website social projectsLimit canCreateGroup external confirmedAt email isAdmin } }`;
const PRIVATE = `query($id: ID) { user(id: $id) {
  username email
  emails { id type value isPrimary validatedAt state label createdAt }
  phones { id value }
  publicKeys { id databaseId kind label key fingerprint createdAt user { username } }
  devices { id name state createdAt lastSeenAt revokedAt }
  identities { provider externalUid }
} }`;
const USERS = `query($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter, $orderBy: UserOrder) {
  users(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    edges { cursor node { username } }
    nodes { username databaseId }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const USERS_COUNT = `query($filter: UserFilter) { users(first: 1, filter: $filter) { totalCount nodes { username } } }`;

describe.each(DRIVERS)('users (reading) on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  let alice: UserRow;
  let bob: UserRow;
  let aliceToken: string;
  let bobToken: string;
  const names = ['pg-amber', 'pg-birch', 'pg-cedar', 'pg-dogwood', 'pg-elm', 'pg-fir', 'pg-ginkgo'];

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    alice = await s.user('alice');
    bob = await s.user('bob');
    aliceToken = await s.tokenFor(alice);
    bobToken = await s.tokenFor(bob);
    for (const n of names) await s.user(n);
    await s.user('pg-blocked', { state: 'blocked' });
  });
  afterAll(() => t.close());

  describe('user(id | username)', () => {
    it('finds a user by global ID or by username in any case, for signed-in callers', async () => {
      const byId = await t.gql(USER_BY, { id: s.gid('User', alice) }, { token: bobToken });
      expect(byId.body.data.user).toMatchObject({ id: s.gid('User', alice), username: 'alice', name: 'alice', social: {}, projectsLimit: 10, canCreateGroup: true, external: false });
      const byName = await t.gql(USER_BY, { username: 'ALICE' }, { token: bobToken });
      expect(byName.body.data.user.id).toBe(s.gid('User', alice));
    });

    it('answers null for anonymous callers, unknown users and ids of another type', async () => {
      expect((await t.gql(USER_BY, { id: s.gid('User', alice) })).body.data.user).toBeNull();
      expect((await t.gql(USER_BY, { username: 'alice' })).body.data.user).toBeNull();
      expect((await t.gql(USER_BY, { username: 'nobody-here' }, { token: bobToken })).body.data.user).toBeNull();
      expect((await t.gql(USER_BY, { id: s.gid('Organization', alice) }, { token: bobToken })).body.data.user).toBeNull();
      expect((await t.gql(USER_BY, { id: 'not-an-id' }, { token: bobToken })).body.data.user).toBeNull();
    });

    it('wants exactly one of id and username', async () => {
      const none = await t.gql(USER_BY, {}, { token: bobToken });
      expect(none.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const both = await t.gql(USER_BY, { id: s.gid('User', alice), username: 'alice' }, { token: bobToken });
      expect(both.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('hides email and the admin flag from other users, not from the user or admins', async () => {
      const other = await t.gql(USER_BY, { id: s.gid('User', alice) }, { token: bobToken });
      expect(other.body.data.user).toMatchObject({ email: null, isAdmin: null });
      const self = await t.gql(USER_BY, { id: s.gid('User', alice) }, { token: aliceToken });
      expect(self.body.data.user).toMatchObject({ email: 'alice@example.com', isAdmin: false });
      const admin = await t.gql(USER_BY, { id: s.gid('User', alice) }, { token: ADMIN.token });
      expect(admin.body.data.user).toMatchObject({ email: 'alice@example.com', isAdmin: false });
    });
  });

  describe('owned objects', () => {
    let key: string;
    beforeAll(async () => {
      key = newEd25519Key('alice@laptop');
      const r = await t.gql(`mutation($i: AddPublicKeyInput!) { addPublicKey(input: $i) { userErrors { code } } }`, { i: { kind: 'SSH', key } }, { token: aliceToken });
      expect(r.body.data.addPublicKey.userErrors).toEqual([]);
      await addDevice(t, alice, 'alice-phone');
      await addIdentity(t, alice, 'github', 'alice-gh');
    });

    it('shows the user their emails, keys, devices and identities', async () => {
      const r = await t.gql(PRIVATE, { id: s.gid('User', alice) }, { token: aliceToken });
      const u = r.body.data.user;
      expect(u.emails).toEqual([expect.objectContaining({ type: 'EMAIL', value: 'alice@example.com', isPrimary: true, state: 'ACTIVE' })]);
      expect(u.phones).toEqual([]);
      expect(u.publicKeys).toEqual([expect.objectContaining({ kind: 'SSH', label: 'alice@laptop', key, user: { username: 'alice' } })]);
      expect(u.publicKeys[0].fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(u.devices).toEqual([expect.objectContaining({ name: 'alice-phone', state: 'ACTIVE', revokedAt: null })]);
      expect(u.identities).toEqual([{ provider: 'github', externalUid: 'alice-gh' }]);
    });

    it('shows other users only the public keys; admins see everything', async () => {
      const other = (await t.gql(PRIVATE, { id: s.gid('User', alice) }, { token: bobToken })).body.data.user;
      expect(other).toMatchObject({ email: null, emails: [], phones: [], devices: [], identities: [] });
      expect(other.publicKeys).toHaveLength(1);
      const admin = (await t.gql(PRIVATE, { id: s.gid('User', alice) }, { token: ADMIN.token })).body.data.user;
      expect(admin.emails).toHaveLength(1);
      expect(admin.devices).toHaveLength(1);
      expect(admin.identities).toHaveLength(1);
    });

    it('node(id) answers contacts and devices only to their user and admins; keys to anyone signed in', async () => {
      const own = (await t.gql(PRIVATE, { id: s.gid('User', alice) }, { token: aliceToken })).body.data.user;
      const NODE = `query($id: ID!) { node(id: $id) { id __typename } }`;
      for (const id of [own.emails[0].id, own.devices[0].id, own.publicKeys[0].id]) {
        expect((await t.gql(NODE, { id }, { token: aliceToken })).body.data.node.id).toBe(id);
        expect((await t.gql(NODE, { id }, { token: ADMIN.token })).body.data.node.id).toBe(id);
        expect((await t.gql(NODE, { id })).body.data.node).toBeNull();
      }
      expect((await t.gql(NODE, { id: own.emails[0].id }, { token: bobToken })).body.data.node).toBeNull();
      expect((await t.gql(NODE, { id: own.devices[0].id }, { token: bobToken })).body.data.node).toBeNull();
      expect((await t.gql(NODE, { id: own.publicKeys[0].id }, { token: bobToken })).body.data.node.__typename).toBe('PublicKey');
    });
  });

  describe('users() connection', () => {
    const pgFilter = { search: 'pg-' };

    it('is empty for anonymous callers', async () => {
      const r = await t.gql(`{ users { totalCount nodes { username } pageInfo { hasNextPage } } }`);
      expect(r.body.data.users).toEqual({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false } });
    });

    it('pages forward with keyset cursors until the end', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const r = await t.gql(USERS, { first: 3, after, filter: pgFilter }, { token: bobToken });
        const c = r.body.data.users;
        seen.push(...c.nodes.map((n: { username: string }) => n.username));
        expect(c.edges.map((e: { node: { username: string } }) => e.node.username)).toEqual(c.nodes.map((n: { username: string }) => n.username));
        expect(c.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!c.pageInfo.hasNextPage) break;
        after = c.pageInfo.endCursor;
      }
      expect(seen).toEqual([...names, 'pg-blocked'].sort());
    });

    it('pages backward with last/before', async () => {
      const all = [...names, 'pg-blocked'].sort();
      const lastPage = (await t.gql(USERS, { last: 3, filter: pgFilter }, { token: bobToken })).body.data.users;
      expect(lastPage.nodes.map((n: { username: string }) => n.username)).toEqual(all.slice(-3));
      expect(lastPage.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
      const before = (await t.gql(USERS, { last: 3, before: lastPage.pageInfo.startCursor, filter: pgFilter }, { token: bobToken })).body.data.users;
      expect(before.nodes.map((n: { username: string }) => n.username)).toEqual(all.slice(-6, -3));
      expect(before.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
      // A forward page from a backward page's cursor continues where it left off.
      const forward = (await t.gql(USERS, { first: 2, after: before.pageInfo.endCursor, filter: pgFilter }, { token: bobToken })).body.data.users;
      expect(forward.nodes.map((n: { username: string }) => n.username)).toEqual(all.slice(-3, -1));
    });

    it('orders by username, creation time or database id, either direction, across pages', async () => {
      const expected = {
        USERNAME: [...names, 'pg-blocked'].sort().reverse(),
        CREATED_AT: [...names, 'pg-blocked'],
        DATABASE_ID: [...names, 'pg-blocked'],
      };
      for (const [field, want] of Object.entries(expected)) {
        const direction = field === 'USERNAME' ? 'DESC' : 'ASC';
        const got: string[] = [];
        let after: string | null = null;
        do {
          const c: any = (await t.gql(USERS, { first: 3, after, filter: pgFilter, orderBy: { field, direction } }, { token: bobToken })).body.data.users;
          got.push(...c.nodes.map((n: { username: string }) => n.username));
          after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
        } while (after);
        expect(got, field).toEqual(want);
      }
      const desc = (await t.gql(USERS, { first: 2, filter: pgFilter, orderBy: { field: 'DATABASE_ID', direction: 'DESC' } }, { token: bobToken })).body.data.users;
      expect(desc.nodes.map((n: { username: string }) => n.username)).toEqual(['pg-blocked', 'pg-ginkgo']);
      expect(desc.nodes[0].databaseId).toBeGreaterThan(desc.nodes[1].databaseId);
    });

    it('filters by search (username, name, email), username, state and — for admins — isAdmin', async () => {
      const list = async (filter: object, token = bobToken) => {
        const r = await t.gql(USERS, { first: 100, filter }, { token });
        if (r.body.errors) return r.body.errors[0].extensions.code as string;
        return r.body.data.users.nodes.map((n: { username: string }) => n.username) as string[];
      };
      expect(await list({ search: 'CEDAR' })).toEqual(['pg-cedar']);
      expect(await list({ username: 'PG-ELM' })).toEqual(['pg-elm']);
      expect(await list({ username: 'pg-el' })).toEqual([]);
      expect(await list({ search: 'pg-', state: 'BLOCKED' })).toEqual(['pg-blocked']);
      // Names and display names match too.
      await t.gql(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { userErrors { code } } }`, { i: { id: s.gid('User', bob), firstName: 'Robert', lastName: 'Tables' } }, { token: bobToken });
      expect(await list({ search: 'bert tab' })).toEqual(['bob']);
      // Emails: a whole address finds its user; a fragment only for instance admins.
      expect(await list({ search: 'alice@EXAMPLE.com' })).toEqual(['alice']);
      expect(await list({ search: 'e@example.co' })).toEqual([]);
      expect(await list({ search: 'e@example.co' }, ADMIN.token)).toEqual(['alice']);
      expect(await list({ isAdmin: true }, ADMIN.token)).toEqual(['admin']);
      expect(await list({ isAdmin: true })).toBe('FORBIDDEN');
      // LIKE wildcards in the search are literal.
      expect(await list({ search: 'pg_' })).toEqual([]);
    });

    it('counts the whole filtered list only when totalCount is asked for', async () => {
      const r = await t.gql(USERS_COUNT, { filter: { search: 'pg-' } }, { token: bobToken });
      expect(r.body.data.users).toMatchObject({ totalCount: names.length + 1, nodes: [{ username: 'pg-amber' }] });
      const all = await t.gql(`{ users { totalCount } }`, {}, { token: bobToken });
      expect(all.body.data.users.totalCount).toBe(names.length + 4); // + alice, bob, admin
      const before = t.db.statementCount;
      await t.gql(`{ users(first: 5) { nodes { username } } }`, {}, { token: bobToken });
      const withoutCount = t.db.statementCount - before;
      const before2 = t.db.statementCount;
      await t.gql(`{ users(first: 5) { totalCount nodes { username } } }`, {}, { token: bobToken });
      expect(t.db.statementCount - before2).toBe(withoutCount + 1);
    });

    it('refuses page sizes over 100, first with last, and forged cursors', async () => {
      const big = await t.gql(USERS, { first: 101 }, { token: bobToken });
      expect(big.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const both = await t.gql(USERS, { first: 1, last: 1 }, { token: bobToken });
      expect(both.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const forged = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
      const bad = await t.gql(USERS, { first: 1, after: forged, orderBy: { field: 'DATABASE_ID', direction: 'ASC' } }, { token: bobToken });
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const garbage = await t.gql(USERS, { first: 1, after: '!!!' }, { token: bobToken });
      expect(garbage.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      // A cursor from another ordering does not reach SQL as a bad cast.
      const byName = (await t.gql(USERS, { first: 1 }, { token: bobToken })).body.data.users.pageInfo.endCursor;
      const mixed = await t.gql(USERS, { first: 1, after: byName, orderBy: { field: 'CREATED_AT', direction: 'ASC' } }, { token: bobToken });
      expect(mixed.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('statement count', () => {
    const NESTED = `query($n: Int!) { users(first: $n, filter: { search: "sc-" }) { nodes { username email publicKeys { fingerprint } memberships { role } emails { value } devices { name } } } }`;

    async function measure(n: number): Promise<number> {
      const before = t.db.statementCount;
      const r = await t.gql(NESTED, { n }, { token: ADMIN.token });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.users.nodes).toHaveLength(n);
      for (const u of r.body.data.users.nodes) {
        expect(u.publicKeys).toHaveLength(1);
        expect(u.memberships).toHaveLength(1);
        expect(u.email).toMatch(/@example\.com$/);
      }
      return t.db.statementCount - before;
    }

    async function addNestedUser(i: number) {
      const u = await s.user(`sc-${String(i).padStart(2, '0')}`);
      const org = await s.org(`sc-org-${i}`);
      await s.member(org, u, 'member');
      const r = await t.gql(
        `mutation($i: AddPublicKeyInput!) { addPublicKey(input: $i) { userErrors { code } } }`,
        { i: { userId: s.gid('User', u), kind: 'SSH', key: newEd25519Key(), label: 'k' } },
        { token: ADMIN.token },
      );
      expect(r.body.data.addPublicKey.userErrors).toEqual([]);
    }

    it('is the same for 1 user and for 20 (loaders batch every relation)', async () => {
      await addNestedUser(0);
      const one = await measure(1);
      for (let i = 1; i < 20; i++) await addNestedUser(i);
      const twenty = await measure(20);
      // authentication + users (with their primary email) + keys + memberships + contacts + devices.
      expect(one).toBe(6);
      expect(twenty).toBe(one);
    });
  });
});
