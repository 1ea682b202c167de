// users.primary_email is derived by the database from contacts (migration 0007's triggers), and
// User.email reads it. Every way contacts change — each mutation, the admin's email change, and
// hand-written set-based SQL — must leave it equal to the primary active email contact, in the
// same transaction, and every payload must show the new value.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/core/db.js';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';

const ERR = 'userErrors { code field message }';

describe.each(DRIVERS)('users.primary_email on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  let carol: UserRow;
  let carolToken: string;

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    carol = await s.user('carol');
    carolToken = await s.tokenFor(carol);
  });
  afterAll(() => t.close());

  /** Users whose primary_email differs from their primary active email contact: must be none. */
  async function drifted(): Promise<unknown[]> {
    return rowsOf(
      await t.db.db.execute(sql`
        select u.username, u.primary_email, c.value
        from users u
        left join contacts c on c.user_id = u.id and c.type = 'email' and c.is_primary and c.state = 'active'
        where u.primary_email is distinct from c.value`),
    );
  }
  async function column(userId: string): Promise<string | null> {
    const [row] = rowsOf<{ e: string | null }>(await t.db.db.execute(sql`select primary_email as e from users where id = ${userId}`));
    return row!.e;
  }
  async function emailOf(userId: string, token = ADMIN.token): Promise<string | null> {
    const r = await t.gql(`query($id: ID!) { node(id: $id) { ... on User { email } } }`, { id: s.gid('User', { id: userId }) }, { token });
    expect(r.body.errors).toBeUndefined();
    return r.body.data.node.email;
  }

  it('follows every contact mutation, and each payload shows the email as it is now', async () => {
    expect(await column(carol.id)).toBe('carol@example.com');
    expect(carol.primaryEmail).toBe('carol@example.com');

    // A second address: added and validated, it is not primary, so the email stays.
    const added = await t.gql(`mutation($i: AddEmailInput!) { addEmail(input: $i) { contact { id } user { email } ${ERR} } }`, { i: { email: 'carol.work@example.com' } }, { token: carolToken });
    expect(added.body.data.addEmail.userErrors).toEqual([]);
    expect(added.body.data.addEmail.user.email).toBe('carol@example.com');
    const workId = added.body.data.addEmail.contact.id;
    const validated = await t.gql(`mutation($id: ID!) { validateEmail(input: { id: $id }) { user { email } ${ERR} } }`, { id: workId }, { token: ADMIN.token });
    expect(validated.body.data.validateEmail).toMatchObject({ userErrors: [], user: { email: 'carol@example.com' } });
    expect(await drifted()).toEqual([]);

    // Made primary: the payload's user and every later read show it.
    const primary = await t.gql(`mutation($id: ID!) { setPrimaryContact(input: { id: $id }) { user { email } ${ERR} } }`, { id: workId }, { token: carolToken });
    expect(primary.body.data.setPrimaryContact).toEqual({ userErrors: [], user: { email: 'carol.work@example.com' } });
    expect(await column(carol.id)).toBe('carol.work@example.com');
    expect(await emailOf(carol.id)).toBe('carol.work@example.com');
    expect(await drifted()).toEqual([]);

    // The old address goes; then the primary one, the last: no email at all.
    const old = await t.gql(`{ viewer { emails { id value } } }`, {}, { token: carolToken });
    const oldId = old.body.data.viewer.emails.find((e: { value: string }) => e.value === 'carol@example.com').id;
    const removedOld = await t.gql(`mutation($id: ID!) { removeEmail(input: { id: $id }) { user { email } ${ERR} } }`, { id: oldId }, { token: carolToken });
    expect(removedOld.body.data.removeEmail).toEqual({ userErrors: [], user: { email: 'carol.work@example.com' } });
    const removedLast = await t.gql(`mutation($id: ID!) { removeEmail(input: { id: $id }) { user { email } ${ERR} } }`, { id: workId }, { token: carolToken });
    expect(removedLast.body.data.removeEmail).toEqual({ userErrors: [], user: { email: null } });
    expect(await column(carol.id)).toBeNull();
    expect(await drifted()).toEqual([]);
  });

  it('is set by createUser and by an admin’s email change, in the payload too', async () => {
    const created = await t.gql(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { user { id email } ${ERR} } }`,
      { i: { username: 'dora', email: 'Dora@Example.com', skipConfirmation: true } },
      { token: ADMIN.token },
    );
    expect(created.body.data.createUser.userErrors).toEqual([]);
    const dora = created.body.data.createUser.user;
    const [row] = rowsOf<{ e: string | null }>(await t.db.db.execute(sql`select primary_email as e from users where username = 'dora'`));
    expect(dora.email?.toLowerCase()).toBe('dora@example.com');
    expect(row!.e).toBe(dora.email);

    const changed = await t.gql(
      `mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { email } ${ERR} } }`,
      { i: { id: dora.id, email: 'dora.new@example.com' } },
      { token: ADMIN.token },
    );
    expect(changed.body.data.updateUser).toEqual({ userErrors: [], user: { email: 'dora.new@example.com' } });
    expect(await drifted()).toEqual([]);
  });

  it('follows set-based SQL: a bulk insert, a state change and a delete, each in one statement', async () => {
    const a = await s.user('bulk-a', { email: null });
    const b = await s.user('bulk-b', { email: null });
    expect(await column(a.id)).toBeNull();
    await t.db.db.execute(sql`
      insert into contacts (id, user_id, type, value, is_primary) values
        (gen_random_uuid(), ${a.id}, 'email', 'bulk-a@example.com', true),
        (gen_random_uuid(), ${a.id}, 'email', 'bulk-a2@example.com', false),
        (gen_random_uuid(), ${b.id}, 'email', 'bulk-b@example.com', true),
        (gen_random_uuid(), ${b.id}, 'phone', '+15550100', true)`);
    expect([await column(a.id), await column(b.id)]).toEqual(['bulk-a@example.com', 'bulk-b@example.com']);
    await t.db.db.execute(sql`update contacts set state = 'disabled' where user_id in (${a.id}, ${b.id}) and type = 'email' and is_primary`);
    expect([await column(a.id), await column(b.id)]).toEqual([null, null]);
    await t.db.db.execute(sql`update contacts set state = 'active' where user_id = ${a.id} and type = 'email' and is_primary`);
    expect(await column(a.id)).toBe('bulk-a@example.com');
    await t.db.db.execute(sql`delete from contacts where user_id = ${a.id} and is_primary`);
    expect(await column(a.id)).toBeNull();
    expect(await drifted()).toEqual([]);
  });

  it('rolls back with the transaction that changed the contacts', async () => {
    const e = await s.user('rollback-e');
    await expect(
      t.db.db.transaction(async (tx) => {
        await tx.execute(sql`update contacts set is_primary = false where user_id = ${e.id}`);
        expect(rowsOf<{ e: string | null }>(await tx.execute(sql`select primary_email as e from users where id = ${e.id}`))[0]!.e).toBeNull();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await column(e.id)).toBe('rollback-e@example.com');
  });
});
