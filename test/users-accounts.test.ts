// Account mutations: createUser, updateUser, deleteUser, blockUser, unblockUser — happy paths,
// who may call them, their error codes, their event-log rows, and (on PostgreSQL) two
// concurrent createUser calls racing for one username.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, users } from '../schema/users.js';
import { personalAccessTokens } from '../schema/auth.js';
import { pageRequest } from '../src/core/graphql/connection.js';
import { findTokenWithUserByHash } from '../src/modules/auth/token.repo.js';
import {
  findSignInUser,
  findUserByDatabaseId,
  findUserByEmail,
  findUserByUsername,
  findUsersByIds,
  listUsers,
  updateUser,
  userKeyset,
  type UserRow,
} from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';
import { eventsOf, lastOutbox } from './helpers/seed-users.js';

const ERR = 'userErrors { code field message }';
const CREATE = `mutation($i: CreateUserInput!) { createUser(input: $i) { user { id username name displayName bio website social projectsLimit canCreateGroup external confirmedAt email isAdmin emails { value isPrimary validatedAt } } ${ERR} } }`;
const UPDATE = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id firstName lastName displayName name bio location website social isAdmin projectsLimit canCreateGroup external } ${ERR} } }`;
const DELETE = `mutation($id: ID!) { deleteUser(input: { id: $id }) { deletedId ${ERR} } }`;
const BLOCK = `mutation($id: ID!) { blockUser(input: { id: $id }) { user { username state } ${ERR} } }`;
const UNBLOCK = `mutation($id: ID!) { unblockUser(input: { id: $id }) { user { username state } ${ERR} } }`;
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { code } } }`;

const code = (r: { body: { errors?: { extensions?: { code?: string } }[] } }) => r.body.errors?.[0]?.extensions?.code;

describe.each(DRIVERS)('user accounts on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  let alice: UserRow;
  let bob: UserRow;
  let aliceToken: string;
  let adminRow: UserRow;

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    alice = await s.user('alice');
    bob = await s.user('bob');
    aliceToken = await s.tokenFor(alice);
    [adminRow] = await t.db.db.select().from(users).where(eq(users.username, ADMIN.username));
  });
  afterAll(() => t.close());

  describe('createUser', () => {
    it('creates a user with a hashed password, a primary email awaiting validation, and an event', async () => {
      const r = await t.gql(
        CREATE,
        {
          i: {
            username: 'carol',
            email: 'Carol@Example.com',
            password: 'carol-password',
            firstName: 'Carol',
            lastName: 'Danvers',
            bio: 'Pilot',
            website: 'https://carol.example',
            social: { twitter: 'carol' },
            projectsLimit: 3,
            canCreateGroup: false,
          },
        },
        { token: ADMIN.token },
      );
      const p = r.body.data.createUser;
      expect(p.userErrors).toEqual([]);
      expect(p.user).toMatchObject({
        username: 'carol',
        name: 'Carol Danvers',
        bio: 'Pilot',
        website: 'https://carol.example',
        social: { twitter: 'carol' },
        projectsLimit: 3,
        canCreateGroup: false,
        external: false,
        confirmedAt: null,
        email: 'Carol@Example.com',
        isAdmin: false,
        emails: [{ value: 'Carol@Example.com', isPrimary: true, validatedAt: null }],
      });
      const [row] = await t.db.db.select().from(users).where(eq(users.username, 'carol'));
      expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
      // The new user can sign in, by username or email.
      expect((await t.gql(LOGIN, { i: { login: 'carol@example.com', password: 'carol-password' } })).body.data.login.accessToken).toBeTruthy();
      const msg = await lastOutbox(t, 'Carol@Example.com', 'email_validation');
      expect(msg).toMatchObject({ channel: 'email', status: 'pending' });
      expect(msg!.body).toContain(String(msg!.payload.code));
      const [ev] = await eventsOf(t, 'user.create');
      expect(ev).toMatchObject({ actorUserId: adminRow.id, user2Id: row!.id, email: 'Carol@Example.com', data: { username: 'carol', isAdmin: false } });
    });

    it('with skipConfirmation, validates the email and confirms the account without sending anything', async () => {
      const r = await t.gql(CREATE, { i: { username: 'dave', email: 'dave@example.com', skipConfirmation: true, isAdmin: true } }, { token: ADMIN.token });
      const u = r.body.data.createUser.user;
      expect(u.isAdmin).toBe(true);
      expect(u.confirmedAt).not.toBeNull();
      expect(u.emails[0].validatedAt).not.toBeNull();
      expect(await lastOutbox(t, 'dave@example.com', 'email_validation')).toBeUndefined();
    });

    it('answers CONFLICT on a taken username (any case) or email, and writes nothing', async () => {
      const before = (await eventsOf(t, 'user.create')).length;
      const name = await t.gql(CREATE, { i: { username: 'ALICE' } }, { token: ADMIN.token });
      expect(name.body.data.createUser).toMatchObject({ user: null, userErrors: [{ code: 'CONFLICT', field: 'username' }] });
      const mail = await t.gql(CREATE, { i: { username: 'alice2', email: 'ALICE@example.com' } }, { token: ADMIN.token });
      expect(mail.body.data.createUser).toMatchObject({ user: null, userErrors: [{ code: 'CONFLICT', field: 'email' }] });
      // The transaction rolled back: no half-created alice2.
      expect(await t.db.db.select().from(users).where(eq(users.username, 'alice2'))).toEqual([]);
      expect((await eventsOf(t, 'user.create')).length).toBe(before);
    });

    it('validates username, email, password, website, social and limits', async () => {
      const cases: [object, string][] = [
        [{ username: '.dot' }, 'username'],
        [{ username: 'has space' }, 'username'],
        [{ username: 'x'.repeat(256) }, 'username'],
        [{ username: 'okname', email: 'not-an-email' }, 'email'],
        [{ username: 'okname', password: 'short' }, 'password'],
        [{ username: 'okname', website: 'javascript:alert(1)' }, 'website'],
        [{ username: 'okname', website: 'not a url' }, 'website'],
        [{ username: 'okname', social: { twitter: 42 } }, 'social'],
        [{ username: 'okname', bio: 'x'.repeat(2001) }, 'bio'],
        [{ username: 'okname', projectsLimit: -1 }, 'projectsLimit'],
      ];
      for (const [input, field] of cases) {
        const r = await t.gql(CREATE, { i: input }, { token: ADMIN.token });
        expect(r.body.data.createUser.userErrors, JSON.stringify(input)).toEqual([expect.objectContaining({ code: 'VALIDATION_FAILED', field })]);
      }
      const ok = await t.gql(CREATE, { i: { username: 'Under_score.dash-1' } }, { token: ADMIN.token });
      expect(ok.body.data.createUser.userErrors).toEqual([]);
    });

    it('is for instance admins only', async () => {
      expect(code(await t.gql(CREATE, { i: { username: 'eve' } }, { token: aliceToken }))).toBe('FORBIDDEN');
      expect(code(await t.gql(CREATE, { i: { username: 'eve' } }))).toBe('UNAUTHENTICATED');
    });
  });

  describe('updateUser', () => {
    it('lets a user change their own profile; null clears a field', async () => {
      const r = await t.gql(
        UPDATE,
        { i: { id: s.gid('User', alice), displayName: 'Alice L.', bio: 'Hi', location: 'Ghent', website: 'http://alice.example/x', social: { linkedin: 'alice-l' } } },
        { token: aliceToken },
      );
      expect(r.body.data.updateUser).toMatchObject({
        user: { displayName: 'Alice L.', name: 'Alice L.', bio: 'Hi', location: 'Ghent', website: 'http://alice.example/x', social: { linkedin: 'alice-l' } },
        userErrors: [],
      });
      const cleared = await t.gql(UPDATE, { i: { id: s.gid('User', alice), bio: null, displayName: '' } }, { token: aliceToken });
      expect(cleared.body.data.updateUser.user).toMatchObject({ bio: null, displayName: null, location: 'Ghent', name: 'alice' });
      const [ev] = await eventsOf(t, 'user.update');
      expect(ev).toMatchObject({ actorUserId: alice.id, user2Id: alice.id, data: { changed: expect.arrayContaining(['bio', 'displayName']) } });
    });

    it('keeps admin flag, limits and external to instance admins', async () => {
      for (const field of [{ isAdmin: true }, { projectsLimit: 100 }, { canCreateGroup: false }, { external: true }]) {
        expect(code(await t.gql(UPDATE, { i: { id: s.gid('User', alice), ...field } }, { token: aliceToken }))).toBe('FORBIDDEN');
      }
      const r = await t.gql(UPDATE, { i: { id: s.gid('User', alice), projectsLimit: 100, external: true, canCreateGroup: false } }, { token: ADMIN.token });
      expect(r.body.data.updateUser.user).toMatchObject({ projectsLimit: 100, external: true, canCreateGroup: false, isAdmin: false });
    });

    it('refuses other users, anonymous callers, unknown ids, bad input, and dropping your own admin flag', async () => {
      expect(code(await t.gql(UPDATE, { i: { id: s.gid('User', bob), bio: 'x' } }, { token: aliceToken }))).toBe('FORBIDDEN');
      expect(code(await t.gql(UPDATE, { i: { id: s.gid('User', bob), bio: 'x' } }))).toBe('UNAUTHENTICATED');
      expect(code(await t.gql(UPDATE, { i: { id: s.gid('User', { id: '00000000-0000-7000-8000-000000000000' }), bio: 'x' } }, { token: ADMIN.token }))).toBe('NOT_FOUND');
      expect(code(await t.gql(UPDATE, { i: { id: 'garbage', bio: 'x' } }, { token: ADMIN.token }))).toBe('NOT_FOUND');
      const web = await t.gql(UPDATE, { i: { id: s.gid('User', alice), website: 'ftp://x' } }, { token: aliceToken });
      expect(web.body.data.updateUser.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'website' })]);
      const long = await t.gql(UPDATE, { i: { id: s.gid('User', alice), location: 'x'.repeat(256) } }, { token: aliceToken });
      expect(long.body.data.updateUser.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'location' });
      const self = await t.gql(UPDATE, { i: { id: s.gid('User', adminRow), isAdmin: false } }, { token: ADMIN.token });
      expect(self.body.data.updateUser.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'isAdmin' });
    });
  });

  describe('blockUser / unblockUser', () => {
    it('blocks: the user cannot sign in and existing tokens stop working; unblock restores sign-in, not the old access tokens', async () => {
      const frank = await s.user('frank');
      const token = await s.tokenFor(frank);
      const r = await t.gql(BLOCK, { id: s.gid('User', frank) }, { token: ADMIN.token });
      expect(r.body.data.blockUser).toEqual({ user: { username: 'frank', state: 'BLOCKED' }, userErrors: [] });
      const after = await t.gql(`{ viewer { username } }`, {}, { token });
      expect(after.status).toBe(401);
      expect(code(after)).toBe('UNAUTHENTICATED');
      const login = await t.gql(LOGIN, { i: { login: 'frank', password: 'frank-password' } });
      expect(login.body.data.login.userErrors[0].code).toBe('ACCOUNT_BLOCKED');
      // Blocking twice changes nothing and logs nothing new.
      const events = (await eventsOf(t, 'user.block')).length;
      expect((await t.gql(BLOCK, { id: s.gid('User', frank) }, { token: ADMIN.token })).body.data.blockUser.userErrors).toEqual([]);
      expect((await eventsOf(t, 'user.block')).length).toBe(events);

      const u = await t.gql(UNBLOCK, { id: s.gid('User', frank) }, { token: ADMIN.token });
      expect(u.body.data.unblockUser).toEqual({ user: { username: 'frank', state: 'ACTIVE' }, userErrors: [] });
      // Access tokens from before the block stay void (issue 22: a block ends sessions); a new sign-in works.
      expect((await t.gql(`{ viewer { username } }`, {}, { token })).status).toBe(401);
      expect((await t.gql(`{ viewer { username } }`, {}, { token: await s.tokenFor(frank) })).body.data.viewer.username).toBe('frank');
      expect((await eventsOf(t, 'user.block'))[0]).toMatchObject({ actorUserId: adminRow.id, user2Id: frank.id });
      expect((await eventsOf(t, 'user.unblock'))[0]).toMatchObject({ actorUserId: adminRow.id, user2Id: frank.id, data: { from: 'blocked' } });
    });

    it('is for instance admins; not yourself; disabled accounts are not unblocked', async () => {
      expect(code(await t.gql(BLOCK, { id: s.gid('User', bob) }, { token: aliceToken }))).toBe('FORBIDDEN');
      expect(code(await t.gql(UNBLOCK, { id: s.gid('User', bob) }, { token: aliceToken }))).toBe('FORBIDDEN');
      expect(code(await t.gql(BLOCK, { id: s.gid('User', bob) }))).toBe('UNAUTHENTICATED');
      expect(code(await t.gql(BLOCK, { id: s.gid('User', { id: '00000000-0000-7000-8000-000000000000' }) }, { token: ADMIN.token }))).toBe('NOT_FOUND');
      const self = await t.gql(BLOCK, { id: s.gid('User', adminRow) }, { token: ADMIN.token });
      expect(self.body.data.blockUser.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'id' });
      const gone = await s.user('gone', { state: 'disabled' });
      const r = await t.gql(UNBLOCK, { id: s.gid('User', gone) }, { token: ADMIN.token });
      expect(r.body.data.unblockUser.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED' });
    });
  });

  describe('deleteUser', () => {
    it('deletes the user and what they own, keeping an event with the username', async () => {
      const gina = await s.user('gina');
      const r = await t.gql(DELETE, { id: s.gid('User', gina) }, { token: ADMIN.token });
      expect(r.body.data.deleteUser).toEqual({ deletedId: s.gid('User', gina), userErrors: [] });
      expect(await t.db.db.select().from(users).where(eq(users.id, gina.id))).toEqual([]);
      expect(await t.db.db.select().from(contacts).where(eq(contacts.userId, gina.id))).toEqual([]);
      const [ev] = await eventsOf(t, 'user.delete');
      expect(ev).toMatchObject({ actorUserId: adminRow.id, user2Id: null, data: { userId: gina.id, username: 'gina' } });
      // Its email is free again.
      const again = await t.gql(CREATE, { i: { username: 'gina', email: 'gina@example.com' } }, { token: ADMIN.token });
      expect(again.body.data.createUser.userErrors).toEqual([]);
      expect(code(await t.gql(DELETE, { id: s.gid('User', gina) }, { token: ADMIN.token }))).toBe('NOT_FOUND');
    });

    it('refuses to delete yourself or an organization’s only owner', async () => {
      const self = await t.gql(DELETE, { id: s.gid('User', adminRow) }, { token: ADMIN.token });
      expect(self.body.data.deleteUser.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'id' });
      const owner = await s.user('owner1');
      await s.org('owned-by-one', { owner });
      const r = await t.gql(DELETE, { id: s.gid('User', owner) }, { token: ADMIN.token });
      expect(r.body.data.deleteUser.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED' });
      expect(r.body.data.deleteUser.userErrors[0].message).toContain('owned-by-one');
    });

    it('is for instance admins only', async () => {
      expect(code(await t.gql(DELETE, { id: s.gid('User', bob) }, { token: aliceToken }))).toBe('FORBIDDEN');
      expect(code(await t.gql(DELETE, { id: s.gid('User', bob) }))).toBe('UNAUTHENTICATED');
    });
  });

  // Only sign-in reads a password hash: every other read of a user — loaders, lists, token
  // authentication, writes that return the row — leaves it in the table.
  it('reads users without their password hash everywhere but sign-in', async () => {
    const db = t.db.db;
    const [token] = await db.insert(personalAccessTokens).values({ userId: alice.id, name: 'no-hash-check', tokenHash: 'f'.repeat(64), scopes: ['read_api'] }).returning();
    const reads: Record<string, unknown> = {
      byIds: (await findUsersByIds(db, [alice.id]))[0],
      byUsername: await findUserByUsername(db, 'alice'),
      byEmail: await findUserByEmail(db, 'alice@example.com'),
      byDatabaseId: await findUserByDatabaseId(db, alice.databaseId),
      listed: (await listUsers(db, { username: 'alice' }, userKeyset('username', 'asc'), pageRequest({ first: 5 })))[0]?.user,
      withToken: (await findTokenWithUserByHash(db, token!.tokenHash))?.user,
      updated: await updateUser(db, alice.id, { bio: 'no hash here' }),
    };
    for (const [how, row] of Object.entries(reads)) {
      expect(row, how).toMatchObject({ id: alice.id, username: 'alice' });
      expect(row, how).not.toHaveProperty('passwordHash');
    }
    for (const login of ['alice', 'ALICE@example.com']) expect((await findSignInUser(db, login))?.passwordHash, login).toMatch(/^\$argon2id\$/);
    expect(await findSignInUser(db, 'nobody@example.com')).toBeUndefined();
    expect((await t.gql(LOGIN, { i: { login: 'alice@example.com', password: 'alice-password' } })).body.data.login.accessToken).toBeTruthy();
  });
});

describe.runIf(DRIVERS.includes('postgres'))('concurrent createUser on postgres', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('postgres');
  });
  afterAll(() => t.close());

  it('lets exactly one of two racing calls take a username; the other gets CONFLICT', async () => {
    for (let round = 0; round < 3; round++) {
      const name = `racer${round}`;
      const [a, b] = await Promise.all([
        t.gql(CREATE, { i: { username: name, email: `${name}-a@example.com` } }, { token: ADMIN.token }),
        t.gql(CREATE, { i: { username: name.toUpperCase(), email: `${name}-b@example.com` } }, { token: ADMIN.token }),
      ]);
      const payloads = [a.body.data.createUser, b.body.data.createUser];
      expect(payloads.filter((p) => p.user !== null)).toHaveLength(1);
      expect(payloads.filter((p) => p.userErrors[0]?.code === 'CONFLICT' && p.userErrors[0]?.field === 'username')).toHaveLength(1);
      expect(await t.db.db.select().from(users).where(eq(users.username, name))).toHaveLength(payloads[0]!.user ? 1 : 0);
    }
  });
});
