// The seald dialect, part 2: adminkeys/, encryptedbackupkeys/, lostaccounts/ and the two message
// routes that use admin keys — documented paths, statuses and bodies on data made through the
// graph; the lost-account state machine end to end, every transition and every refusal; teams
// kept apart; notify_missing's mails in the outbox; flat statement counts; bad input a DRF 4xx.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sigchainTransactions } from '../schema/dashboard.js';
import { devices } from '../schema/users.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { sealdCall } from './helpers/seald.js';
import { seed } from './helpers/seed.js';
import { recoveryRoutes } from '../src/rest/seald/recovery.routes.js';
import type { OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';

const V2 = '/dashboardapi/v2';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const NOT_FOUND = { detail: 'Not found.' };
const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' };
const b64 = (seed: string, bytes = 64) => Buffer.from(seed.repeat(bytes).slice(0, bytes)).toString('base64');
const uuidOfGid = (gid: string) => Buffer.from(gid, 'base64url').toString().split(':')[1]!;

describe.each(DRIVERS)('seald recovery on %s', (driver) => {
  let t: TestGateway;
  let teamA: OrganizationRow;
  let teamB: OrganizationRow;
  let adminA: UserRow;
  let bob: UserRow;
  let dave: UserRow;
  let adminB: UserRow;
  const key: Record<string, string> = {};
  const jwt: Record<string, string> = {};
  let n = 0;

  const apiKey = (user: UserRow, org: OrganizationRow) => seed(t).apiKey(user, org);

  /** A device of `user` with public keys, registered through the graph (registerDevice). */
  const makeDevice = (user: UserRow, name: string) => seed(t).device(user, name);

  const call = sealdCall(() => t);

  /** A message of adminA in team A for `recipient`, with a key for each given device. */
  async function message(recipient: UserRow, deviceIds: string[]): Promise<string> {
    const s = seed(t);
    const r = await t.gql(`mutation($i: CreateMessageInput!) { createMessage(input: $i) { message { id } userErrors { message } } }`, {
      i: { organizationId: s.gid('Organization', teamA), recipientIds: [s.gid('User', recipient)], keys: deviceIds.map((id, i) => ({ deviceId: s.gid('Device', { id }), encryptedMessageKey: b64(`mk${i}`) })) },
    }, { token: jwt.adminA });
    expect(r.body.data.createMessage.userErrors).toEqual([]);
    return uuidOfGid(r.body.data.createMessage.message.id);
  }

  async function createAdminKey(k: string, name: string) {
    const r = await call('POST', `${V2}/adminkeys/`, k, { name, encrypted_admin_key: b64(`priv-${name}`, 300), public_admin_key: b64(`pub-${name}`, 120) });
    expect(r.status).toBe(201);
    return r.body as { id: string; public_admin_key: string };
  }

  /** A backup of `user`'s keys for the admin key, stored by the user themself through the graph. */
  async function backup(user: UserRow, adminKeyId: string, deviceId?: string) {
    const s = seed(t);
    return t.gql(`mutation($i: CreateBackupKeyInput!) { createBackupKey(input: $i) { backupKey { id } userErrors { code field message } } }`, {
      i: { organizationId: s.gid('Organization', teamA), adminKeyId: s.gid('AdminKey', { id: adminKeyId }), encryptedBackupKey: b64(`backup-${user.username}`, 200), ...(deviceId ? { deviceId: s.gid('Device', { id: deviceId }) } : {}) },
    }, { token: jwt[user.username] });
  }

  async function outbox(template: string) {
    const r = await t.gql(`{ outboxMessages(first: 100) { nodes { template recipient payload } } }`, {}, { token: await t.login(ADMIN.username, ADMIN.password) });
    return r.body.data.outboxMessages.nodes.filter((m: { template: string }) => m.template === template);
  }

  /** A new member of team A who lost their devices, and a recovery opened for them through the graph. */
  async function lostUser(opts: { messages?: number } = {}) {
    const s = seed(t);
    const user = await s.user(`sr-lost-${++n}`);
    await s.member(teamA, user);
    const old = await makeDevice(user, `old-${n}`);
    const messages: string[] = [];
    for (let i = 0; i < (opts.messages ?? 0); i++) messages.push(await message(user, [old.id]));
    const id = await openRecovery(user);
    return { user, old, messages, id };
  }

  async function openRecovery(user: UserRow, k = key.a) {
    const r = await t.gql(`mutation($i: CreateLostAccountInput!) { createLostAccount(input: $i) { lostAccount { id state } userErrors { code field message } } }`, {
      i: { userId: seed(t).gid('User', user), deviceName: 'new phone', encryptionPublicKey: b64('enc-new', 48), signingPublicKey: b64('sig-new', 48) },
    }, { token: k });
    if (r.body.data?.createLostAccount?.lostAccount == null) return null;
    expect(r.body.data.createLostAccount.lostAccount.state).toBe(0);
    return uuidOfGid(r.body.data.createLostAccount.lostAccount.id);
  }

  const lost = (id: string, action = '', k = key.a) => `${V2}/lostaccounts/${id}/${action}`;
  const stateOf = async (id: string) => (await call('GET', lost(id), key.a)).body.state as number;

  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    adminA = await s.user('sr-admin-a');
    bob = await s.user('sr-bob');
    dave = await s.user('sr-dave');
    adminB = await s.user('sr-admin-b');
    teamA = await s.org('sr-team-a', { owner: adminA, name: 'Team A' });
    teamB = await s.org('sr-team-b', { owner: adminB, name: 'Team B' });
    await s.member(teamA, bob);
    await s.member(teamA, dave);
    key.a = await apiKey(adminA, teamA);
    key.b = await apiKey(adminB, teamB);
    key.bob = await apiKey(bob, teamA);
    jwt.adminA = await t.login(adminA.username, `${adminA.username}-password`);
    for (const u of [bob, dave]) jwt[u.username] = await t.login(u.username, `${u.username}-password`);
  });
  afterAll(() => t.close());

  describe('adminkeys/ and encryptedbackupkeys/', () => {
    let k1: { id: string; public_admin_key: string };
    let bobDevice: { id: string };
    let backupId: string;

    it('creates an admin key (201 with the documented body) and lists it; team B sees none', async () => {
      const r = await call('POST', `${V2}/adminkeys/`, key.a, { name: 'Vault 1', encrypted_admin_key: b64('p1', 300), public_admin_key: b64('q1', 120) });
      expect(r).toEqual({ status: 201, body: { id: expect.any(String), created: expect.any(String), name: 'Vault 1', encrypted_admin_key: b64('p1', 300), public_admin_key: b64('q1', 120) } });
      k1 = r.body;
      const list = await call('GET', `${V2}/adminkeys/`, key.a);
      expect(list).toEqual({ status: 200, body: { count: 1, next: null, previous: null, results: [{ id: k1.id, created: r.body.created, name: 'Vault 1' }] } });
      expect((await call('GET', `${V2}/adminkeys/`, key.b)).body).toMatchObject({ count: 0, results: [] });
      expect((await call('GET', `${V2}/adminkeys/`, key.bob)).status).toBe(403);
      expect(await call('POST', `${V2}/adminkeys/`, key.a, { name: 'x', encrypted_admin_key: 'not base64', public_admin_key: b64('q') })).toMatchObject({ status: 400, body: { encrypted_admin_key: [expect.any(String)] } });
    });

    it('retrieves it with stats and creator; another team’s key is 404', async () => {
      expect(await call('GET', `${V2}/adminkeys/${k1.id}/`, key.a)).toEqual({
        status: 200,
        body: { id: k1.id, created: expect.any(String), name: 'Vault 1', encrypted_admin_key: b64('p1', 300), public_admin_key: b64('q1', 120), stats: '0/3', created_by: adminA.username },
      });
      expect(await call('GET', `${V2}/adminkeys/${k1.id}/`, key.b)).toEqual({ status: 404, body: NOT_FOUND });
      expect(await call('GET', `${V2}/adminkeys/${UNKNOWN}/`, key.a)).toEqual({ status: 404, body: NOT_FOUND });
      // node(id): the team's admins only.
      const node = async (k: string) => (await t.gql(`query($id: ID!) { node(id: $id) { ... on AdminKey { name } } }`, { id: seed(t).gid('AdminKey', k1) }, { token: k })).body.data.node;
      expect(await node(key.a)).toEqual({ name: 'Vault 1' });
      expect(await node(key.b)).toBeNull();
      expect(await node(jwt[bob.username]!)).toBeNull();
    });

    it('stores backup keys through the graph (the user themself; others only by the team’s admins)', async () => {
      bobDevice = await makeDevice(bob, 'bob-laptop');
      const r = await backup(bob, k1.id, bobDevice.id);
      expect(r.body.data.createBackupKey.userErrors).toEqual([]);
      backupId = uuidOfGid(r.body.data.createBackupKey.backupKey.id);
      expect((await backup(bob, k1.id)).body.data.createBackupKey.userErrors[0]).toMatchObject({ code: 'CONFLICT' });
      const s = seed(t);
      const forOther = await t.gql(`mutation($i: CreateBackupKeyInput!) { createBackupKey(input: $i) { userErrors { code } } }`, {
        i: { organizationId: s.gid('Organization', teamA), adminKeyId: s.gid('AdminKey', k1), userId: s.gid('User', bob), encryptedBackupKey: b64('x') },
      }, { token: jwt[dave.username] });
      expect(forOther.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await call('GET', `${V2}/adminkeys/${k1.id}/`, key.a)).body.stats).toBe('1/3');
    });

    it('notify_missing mails the members without a backup (through the outbox)', async () => {
      expect(await call('POST', `${V2}/adminkeys/${k1.id}/notify_missing/`, key.b)).toEqual({ status: 404, body: NOT_FOUND });
      expect(await call('POST', `${V2}/adminkeys/${k1.id}/notify_missing/`, key.a)).toEqual({ status: 201, body: { status: 'ok', notified: 2 } });
      const mails = await outbox('adminkey_missing');
      expect(mails.map((m: { recipient: string }) => m.recipient).sort()).toEqual([`${adminA.username}@example.com`, `${dave.username}@example.com`]);
      expect(mails[0].payload).toMatchObject({ adminKeyId: k1.id });
    });

    it('find_key answers the user’s backup for the admin key; none, or another team’s: 404', async () => {
      expect(await call('POST', `${V2}/encryptedbackupkeys/find_key/`, key.a, { adminkey: k1.id, bearduser: bob.id })).toEqual({
        status: 201,
        body: { status: 'ok', id: backupId, encrypted_backup_key: b64('backup-sr-bob', 200), created: expect.any(String), renewed: null },
      });
      expect(await call('POST', `${V2}/encryptedbackupkeys/find_key/`, key.a, { adminkey: k1.id, bearduser: dave.id })).toEqual({ status: 404, body: NOT_FOUND });
      expect(await call('POST', `${V2}/encryptedbackupkeys/find_key/`, key.b, { adminkey: k1.id, bearduser: bob.id })).toEqual({ status: 404, body: NOT_FOUND });
    });

    it('renew replaces a backup; a public key that is not the admin key’s needs force', async () => {
      const url = `${V2}/encryptedbackupkeys/${backupId}/renew/`;
      expect(await call('POST', url, key.b, { transaction_data: { a: 1 }, force: false, encrypted_backup_key: b64('r0') })).toEqual({ status: 404, body: NOT_FOUND });
      expect(await call('POST', url, key.a, { transaction_data: { a: 1 }, encryption_pub_key: b64('other'), force: false, encrypted_backup_key: b64('r1') })).toMatchObject({ status: 400, body: { encryption_pub_key: [expect.any(String)] } });
      expect(await call('POST', url, key.a, { transaction_data: { a: 1 }, encryption_pub_key: k1.public_admin_key, force: false, encrypted_backup_key: b64('r2') })).toEqual({ status: 201, body: { status: 'ok' } });
      expect((await call('POST', `${V2}/encryptedbackupkeys/find_key/`, key.a, { adminkey: k1.id, bearduser: bob.id })).body).toMatchObject({ encrypted_backup_key: b64('r2'), renewed: expect.any(String) });
      expect(await call('POST', url, key.a, { transaction_data: { a: 2 }, encryption_pub_key: b64('other'), force: true, encrypted_backup_key: b64('r3') })).toMatchObject({ status: 201 });
      expect(await call('POST', `${V2}/encryptedbackupkeys/${UNKNOWN}/renew/`, key.a, { transaction_data: {}, force: false, encrypted_backup_key: b64('r') })).toEqual({ status: 404, body: NOT_FOUND });
    });

    it('available_adminkeys and find_recoverable_message_key: what an admin key recovers of a message', async () => {
      const m = await message(bob, [bobDevice.id]);
      expect(await call('GET', `${V2}/messages/${m}/available_adminkeys/`, key.a)).toEqual({ status: 200, body: { status: 'ok', adminkeys: [{ id: k1.id, name: 'Vault 1' }] } });
      const other = await message(dave, []);
      expect(await call('GET', `${V2}/messages/${other}/available_adminkeys/`, key.a)).toEqual({ status: 200, body: { status: 'ok', adminkeys: [] } });
      expect(await call('GET', `${V2}/messages/${m}/available_adminkeys/`, key.b)).toEqual({ status: 404, body: NOT_FOUND });
      const url = `${V2}/messages/${m}/find_recoverable_message_key/`;
      expect(await call('POST', url, key.a, { bearduser_id: bob.id, adminkey_id: k1.id })).toEqual({
        status: 201,
        body: { status: 'ok', token: b64('mk0'), created_for_key: bobDevice.id, encrypted_backup_key: b64('r3'), encrypted_backup_key_id: backupId },
      });
      expect(await call('POST', url, key.a, { bearduser_id: dave.id, adminkey_id: k1.id })).toEqual({ status: 404, body: NOT_FOUND });
      expect(await call('POST', url, key.b, { bearduser_id: bob.id, adminkey_id: k1.id })).toEqual({ status: 404, body: NOT_FOUND });
      await call('POST', `${V2}/messages/${m}/revoke/`, key.a, { user: bob.id });
      expect(await call('POST', url, key.a, { bearduser_id: bob.id, adminkey_id: k1.id })).toEqual({ status: 404, body: NOT_FOUND });
      expect((await call('GET', `${V2}/messages/${m}/available_adminkeys/`, key.a)).body.adminkeys).toEqual([]);
    });

    it('keeps the admin-key list’s statement count flat as it grows', async () => {
      const team = await seed(t).org('sr-flat-keys', { owner: adminA });
      const k = await apiKey(adminA, team);
      const count = async () => {
        const before = t.db.statementCount;
        expect((await call('GET', `${V2}/adminkeys/`, k)).status).toBe(200);
        return t.db.statementCount - before;
      };
      await createAdminKey(k, 'one');
      const small = await count();
      for (let i = 0; i < 5; i++) await createAdminKey(k, `more-${i}`);
      expect(await count()).toBe(small);
    });
  });

  describe('lostaccounts/: the recovery state machine', () => {
    it('runs a recovery end to end: 0 → 1 → 2 → 3 → 4, with the documented bodies', async () => {
      const { user, old, messages, id } = await lostUser({ messages: 3 });
      const body = await call('GET', lost(id), key.a);
      expect(body).toEqual({
        status: 200,
        body: { id, created: expect.any(String), email: `${user.username}@example.com`, device_name: 'new phone', bearduser_id: user.id, state: 0, created_device_id: null, encryption_pub_key: b64('enc-new', 48), signing_pub_key: b64('sig-new', 48) },
      });
      // 0 → 1: the new device exists, with the recovery's public keys.
      const created = await call('POST', lost(id, 'create_device/'), key.a, { device_name: 'Pixel 9' });
      expect(created).toEqual({ status: 201, body: { status: 'ok', created_device_id: expect.any(String) } });
      const deviceId = created.body.created_device_id;
      const [device] = await t.db.db.select().from(devices).where(eq(devices.id, deviceId));
      expect(device).toMatchObject({ userId: user.id, name: 'Pixel 9', state: 'active', encryptionPublicKey: b64('enc-new', 48), signingPublicKey: b64('sig-new', 48) });
      expect((await call('GET', lost(id), key.a)).body).toMatchObject({ state: 1, created_device_id: deviceId, device_name: 'Pixel 9' });
      // 1 → 2: the transaction is on the user's sigchain, after the old device's registration.
      expect(await call('POST', lost(id, 'validate_sigchain/'), key.a, { sigchain_transaction: { position: 1, type: 'add_device', device: deviceId }, force: false })).toEqual({ status: 201, body: { status: 'ok' } });
      const chain = await t.db.db.select().from(sigchainTransactions).where(eq(sigchainTransactions.userId, user.id)).orderBy(sigchainTransactions.position);
      expect(chain).toEqual([
        expect.objectContaining({ position: 0, transaction: expect.objectContaining({ operation: 'device.register' }) }),
        expect.objectContaining({ position: 1, transaction: { position: 1, type: 'add_device', device: deviceId } }),
      ]);
      expect(await stateOf(id)).toBe(2);
      // The keys the new device lacks, each with the key of the old device to re-encrypt.
      const missing = await call('GET', lost(id, 'missing_encrypted_message_keys/'), key.a);
      expect(missing).toEqual({ status: 200, body: { status: 'ok', keys: messages.map((m) => ({ message_id: m, token: b64('mk0'), created_for_key: old.id })), has_more: false } });
      // 2 → 3: some keys; 3 → 4: the rest.
      const add = (ids: string[]) => call('POST', lost(id, 'missing_encrypted_message_keys/'), key.a, { keys: ids.map((m) => ({ message_id: m, token: b64(`new-${m.slice(-4)}`) })) });
      expect(await add(messages.slice(0, 1))).toEqual({ status: 201, body: { status: 'ok', state: 3 } });
      expect((await call('GET', lost(id, 'missing_encrypted_message_keys/'), key.a)).body.keys.map((k: { message_id: string }) => k.message_id)).toEqual(messages.slice(1));
      expect(await add(messages.slice(0, 1))).toMatchObject({ status: 400, body: { keys: [expect.any(String)] } });
      expect(await add(messages.slice(1, 2))).toEqual({ status: 201, body: { status: 'ok', state: 3 } });
      expect(await add(messages.slice(2))).toEqual({ status: 201, body: { status: 'ok', state: 4 } });
      // The user reads their messages with the new device's keys.
      const userJwt = await t.login(user.username, `${user.username}-password`);
      const r = await t.gql(`query($id: ID!) { message(id: $id) { viewerKeys { encryptedMessageKey } } }`, { id: seed(t).gid('Message', { id: messages[2]! }) }, { token: userJwt });
      expect(r.body.data.message.viewerKeys.map((k: { encryptedMessageKey: string }) => k.encryptedMessageKey)).toEqual([b64('mk0'), b64(`new-${messages[2]!.slice(-4)}`)]);
    });

    it('goes 2 → 4 at once when nothing is missing; a sigchain position that is not the next needs force', async () => {
      const { id, user } = await lostUser();
      await call('POST', lost(id, 'create_device/'), key.a, { device_name: 'd' });
      // (Position 0 is taken: the old device's registration.)
      expect(await call('POST', lost(id, 'validate_sigchain/'), key.a, { sigchain_transaction: { position: 0 }, force: false })).toMatchObject({ status: 400, body: { sigchain_transaction: [expect.any(String)] } });
      expect(await stateOf(id)).toBe(1);
      expect(await call('POST', lost(id, 'validate_sigchain/'), key.a, { sigchain_transaction: { position: 0 }, force: true })).toMatchObject({ status: 201 });
      expect((await t.db.db.select().from(sigchainTransactions).where(eq(sigchainTransactions.userId, user.id))).map((c) => c.position)).toEqual([0, 1]);
      expect((await call('GET', lost(id, 'missing_encrypted_message_keys/'), key.a)).body).toEqual({ status: 'ok', keys: [], has_more: false });
      expect(await call('POST', lost(id, 'missing_encrypted_message_keys/'), key.a, { keys: [] })).toEqual({ status: 201, body: { status: 'ok', state: 4 } });
    });

    /** A recovery driven to `state` (0–6). */
    async function inState(state: number): Promise<{ id: string; deviceId: string | null }> {
      const { id, user } = await lostUser({ messages: state === 3 ? 2 : 0 });
      let deviceId: string | null = null;
      if (state === 6) {
        await openRecovery(user);
        return { id, deviceId };
      }
      if (state === 5) {
        expect((await call('DELETE', lost(id), key.a)).status).toBe(204);
        return { id, deviceId };
      }
      if (state >= 1) deviceId = (await call('POST', lost(id, 'create_device/'), key.a, { device_name: 'd' })).body.created_device_id;
      if (state >= 2) expect((await call('POST', lost(id, 'validate_sigchain/'), key.a, { sigchain_transaction: { t: 1 }, force: false })).status).toBe(201);
      if (state === 3) {
        const first = (await call('GET', lost(id, 'missing_encrypted_message_keys/'), key.a)).body.keys[0].message_id;
        expect((await call('POST', lost(id, 'missing_encrypted_message_keys/'), key.a, { keys: [{ message_id: first, token: b64('t') }] })).body.state).toBe(3);
      }
      if (state === 4) expect((await call('POST', lost(id, 'missing_encrypted_message_keys/'), key.a, { keys: [] })).body.state).toBe(4);
      expect(await stateOf(id)).toBe(state);
      return { id, deviceId };
    }

    // Which action each state allows (the documented flow; written out here, not read from the code).
    const ALLOWED: Record<string, number[]> = {
      create_device: [0],
      validate_sigchain: [1],
      get_missing: [2, 3],
      post_missing: [2, 3],
      delete: [0, 1, 2, 3],
    };
    const act = (action: string, id: string) =>
      action === 'create_device'
        ? call('POST', lost(id, 'create_device/'), key.a, { device_name: 'x' })
        : action === 'validate_sigchain'
          ? call('POST', lost(id, 'validate_sigchain/'), key.a, { sigchain_transaction: { t: 2 }, force: true })
          : action === 'get_missing'
            ? call('GET', lost(id, 'missing_encrypted_message_keys/'), key.a)
            : action === 'post_missing'
              ? call('POST', lost(id, 'missing_encrypted_message_keys/'), key.a, { keys: [] })
              : call('DELETE', lost(id), key.a);

    it('refuses every action outside its states with 400 {"state": [...]} and changes nothing', async () => {
      for (let state = 0; state <= 6; state++) {
        for (const [action, allowed] of Object.entries(ALLOWED)) {
          if (allowed.includes(state)) continue;
          const { id } = await inState(state);
          const r = await act(action, id);
          expect([r.status, Object.keys(r.body ?? {})], `${action} in state ${state}`).toEqual([400, ['state']]);
          expect(await stateOf(id), `${action} in state ${state}`).toBe(state);
        }
      }
    });

    it('allows every action in its states, with the documented target state', async () => {
      const target: Record<string, (from: number) => number | null> = {
        create_device: () => 1,
        validate_sigchain: () => 2,
        get_missing: (from) => from,
        // With nothing left to add (state 2: no message; state 3 here: one message still missing).
        post_missing: (from) => (from === 2 ? 4 : 3),
        delete: () => 5,
      };
      for (const [action, allowed] of Object.entries(ALLOWED)) {
        for (const state of allowed) {
          const { id, deviceId } = await inState(state);
          const r = await act(action, id);
          expect(r.status, `${action} in state ${state}`).toBeLessThan(300);
          expect(await stateOf(id), `${action} in state ${state}`).toBe(target[action]!(state));
          if (action === 'delete' && deviceId) {
            const [d] = await t.db.db.select().from(devices).where(eq(devices.id, deviceId));
            expect(d!.state, 'a cancelled recovery’s device is revoked').toBe('revoked');
          }
        }
      }
    });

    it('lets only one of two concurrent actions move a recovery (the other is refused, nothing appended twice)', async () => {
      const { id } = await inState(1);
      const userId = (await call('GET', lost(id), key.a)).body.bearduser_id;
      const chainLength = async () => (await t.db.db.select().from(sigchainTransactions).where(eq(sigchainTransactions.userId, userId))).length;
      const before = await chainLength();
      const both = await Promise.all([0, 1].map(() => call('POST', lost(id, 'validate_sigchain/'), key.a, { sigchain_transaction: { t: 'race' }, force: true })));
      expect(both.map((r) => r.status).sort()).toEqual([201, 400]);
      expect(await chainLength()).toBe(before + 1);
      const cancels = await Promise.all([0, 1].map(() => call('DELETE', lost(id), key.a)));
      expect(cancels.map((r) => r.status).sort()).toEqual([204, 400]);
    });

    it('keeps at most one open recovery per user, even when two are opened at once', async () => {
      const { user } = await lostUser();
      await Promise.all([0, 1].map(() => openRecovery(user)));
      const mine = ((await call('GET', `${V2}/lostaccounts/?page_size=100`, key.a)).body.results as { bearduser_id: string; state: number }[]).filter((a) => a.bearduser_id === user.id);
      expect(mine.filter((a) => a.state <= 3)).toHaveLength(1);
    });

    it('supersedes an open recovery of the same user (→ 6, its device revoked)', async () => {
      const { id, user } = await lostUser();
      const { created_device_id } = (await call('POST', lost(id, 'create_device/'), key.a, { device_name: 'd' })).body;
      const second = await openRecovery(user);
      expect(await stateOf(id)).toBe(6);
      expect(await stateOf(second!)).toBe(0);
      const [d] = await t.db.db.select().from(devices).where(eq(devices.id, created_device_id));
      expect(d!.state).toBe('revoked');
    });

    it('lists with state_in, keeps teams apart, and only team admins open recoveries', async () => {
      const a = await inState(1);
      const all = await call('GET', `${V2}/lostaccounts/`, key.a);
      expect(all.status).toBe(200);
      expect(all.body.count).toBeGreaterThan(5);
      const one = await call('GET', `${V2}/lostaccounts/?state_in=1&page_size=100`, key.a);
      expect(one.status, JSON.stringify(one.body)).toBe(200);
      expect(one.body.results.every((x: { state: number }) => x.state === 1)).toBe(true);
      expect(one.body.results.map((x: { id: string }) => x.id)).toContain(a.id);
      const two = await call('GET', `${V2}/lostaccounts/?state_in=${encodeURIComponent('4|5')}&page_size=100`, key.a);
      expect(new Set(two.body.results.map((x: { state: number }) => x.state))).toEqual(new Set([4, 5]));
      expect((await call('GET', `${V2}/lostaccounts/${a.id}/?state_in=0`, key.a)).status).toBe(404);
      expect((await call('GET', `${V2}/lostaccounts/${a.id}/?state_in=${encodeURIComponent('0|1')}`, key.a)).status).toBe(200);
      // Team B: nothing of team A, on every route.
      expect((await call('GET', `${V2}/lostaccounts/`, key.b)).body).toMatchObject({ count: 0, results: [] });
      for (const [method, url, body] of [
        ['GET', lost(a.id), undefined],
        ['DELETE', lost(a.id), undefined],
        ['POST', lost(a.id, 'validate_sigchain/'), { sigchain_transaction: { t: 1 }, force: true }],
        ['GET', lost(a.id, 'missing_encrypted_message_keys/'), undefined],
        ['POST', lost(a.id, 'missing_encrypted_message_keys/'), { keys: [] }],
        ['POST', lost(a.id, 'create_device/'), { device_name: 'x' }],
      ] as const) {
        expect(await call(method, url, key.b, body), `${method} ${url}`).toEqual({ status: 404, body: NOT_FOUND });
      }
      expect(await stateOf(a.id)).toBe(1);
      // A member's key, and team B's admin for a user of team A: no recovery opened.
      expect(await openRecovery(dave, key.bob)).toBeNull();
      expect(await openRecovery(dave, key.b)).toBeNull();
    });

    it('keeps the list’s statement count flat as it grows', async () => {
      const count = async (q: string) => {
        const before = t.db.statementCount;
        expect((await call('GET', `${V2}/lostaccounts/?${q}`, key.a)).status).toBe(200);
        return t.db.statementCount - before;
      };
      expect(await count('page_size=2')).toBe(await count('page_size=50'));
    });
  });

  it('loads the graph’s per-item fields of whole pages in a constant number of statements (no N+1)', async () => {
    const team = await seed(t).org(`sr-n1-${++n}`, { owner: adminA });
    const k = await apiKey(adminA, team);
    const teamGid = seed(t).gid('Organization', team);
    const member = await seed(t).user(`sr-n1-user-${n}`);
    await seed(t).member(team, member);
    const query = `{ dashboardTeam {
      teamAdminKeys(first: 50) { nodes { stats createdBy { username } } }
      teamMessages(first: 50) { nodes { everyoneRevoked totalReadCount viewerKeys { id } availableAdminKeys { id }
        accessPage(first: 5) { totalCount nodes { user { id } addedBy { id } } } entrustedKeys(first: 5) { totalCount nodes { createdForValue } } } }
      teamLostAccounts(first: 50, states: [2]) { nodes { missingMessageKeys { hasMore items { messageId } } } }
    } }`;
    const statements = async () => {
      const before = t.db.statementCount;
      const r = await t.gql(query, {}, { token: k });
      expect(r.body.errors).toBeUndefined();
      return t.db.statementCount - before;
    };
    /** One more of everything: an admin key, a message with an access, an entrusted key, a recovery in state 2. */
    const grow = async (i: number) => {
      const adminKey = await createAdminKey(k, `n1-${i}`);
      const u = await seed(t).user(`sr-n1-${n}-${i}`);
      await seed(t).member(team, u);
      const dev = await makeDevice(u, `n1-${n}-${i}`);
      const r = await t.gql(`mutation($i: CreateMessageInput!) { createMessage(input: $i) { message { id } userErrors { message } } }`, {
        i: { organizationId: teamGid, recipientIds: [seed(t).gid('User', u)], recipientEmails: [`x${i}@example.org`], keys: [{ deviceId: seed(t).gid('Device', dev), encryptedMessageKey: b64('n1') }] },
      }, { token: jwt.adminA });
      const m = uuidOfGid(r.body.data.createMessage.message.id);
      await call('POST', `${V2}/messages/${m}/add_entrusted_message_key/`, k, { email: `x${i}@example.org`, message_key: b64('e') });
      await t.gql(`mutation($i: CreateBackupKeyInput!) { createBackupKey(input: $i) { userErrors { message } } }`, {
        i: { organizationId: teamGid, adminKeyId: seed(t).gid('AdminKey', adminKey), userId: seed(t).gid('User', u), encryptedBackupKey: b64('bk') },
      }, { token: k });
      const lostGql = await t.gql(`mutation($i: CreateLostAccountInput!) { createLostAccount(input: $i) { lostAccount { id } userErrors { message } } }`, {
        i: { userId: seed(t).gid('User', u), deviceName: 'n', encryptionPublicKey: b64('e'), signingPublicKey: b64('s') },
      }, { token: k });
      const id = uuidOfGid(lostGql.body.data.createLostAccount.lostAccount.id);
      await call('POST', lost(id, 'create_device/'), k, { device_name: 'n' });
      await call('POST', lost(id, 'validate_sigchain/'), k, { sigchain_transaction: { t: 1 }, force: true });
    };
    await grow(0);
    const one = await statements();
    for (let i = 1; i <= 4; i++) await grow(i);
    expect(await statements()).toBe(one);
  });

  it('answers anonymous callers 401 on every route of this part', async () => {
    for (const route of recoveryRoutes) {
      const r = await call(route.method, route.path.replace(':id', UNKNOWN), undefined, route.body ? {} : undefined);
      expect([r.status, r.body], `${route.method} ${route.path}`).toEqual([401, NOT_PROVIDED]);
    }
  });

  it('answers bad input with a DRF-shaped 4xx on every route, never a 5xx', async () => {
    const k = key.a;
    const { id } = await lostUser();
    const cases: [string, string, string | undefined, unknown][] = [
      ['GET', `${V2}/adminkeys/?page=0`, k, undefined],
      ['GET', `${V2}/adminkeys/?page=50`, k, undefined],
      ['POST', `${V2}/adminkeys/`, k, { name: '', encrypted_admin_key: b64('a'), public_admin_key: b64('b') }],
      ['POST', `${V2}/adminkeys/`, k, { name: 'n', encrypted_admin_key: b64('a'), public_admin_key: 'A'.repeat(9000) }],
      ['POST', `${V2}/adminkeys/`, k, { name: 'n', encrypted_admin_key: 5, public_admin_key: b64('b') }],
      ['POST', `${V2}/adminkeys/`, k, { name: 'n\u0000', encrypted_admin_key: b64('a'), public_admin_key: b64('b') }],
      ['GET', `${V2}/adminkeys/not-a-uuid/`, k, undefined],
      ['POST', `${V2}/adminkeys/${UNKNOWN}/notify_missing/`, k, undefined],
      ['POST', `${V2}/encryptedbackupkeys/find_key/`, k, { adminkey: 'x', bearduser: UNKNOWN }],
      ['POST', `${V2}/encryptedbackupkeys/find_key/`, k, { adminkey: UNKNOWN }],
      ['POST', `${V2}/encryptedbackupkeys/${UNKNOWN}/renew/`, k, { transaction_data: [], force: false, encrypted_backup_key: b64('a') }],
      ['POST', `${V2}/encryptedbackupkeys/${UNKNOWN}/renew/`, k, { transaction_data: {}, force: 'no', encrypted_backup_key: b64('a') }],
      ['POST', `${V2}/encryptedbackupkeys/${UNKNOWN}/renew/`, k, { transaction_data: {}, force: false, encrypted_backup_key: 'a b' }],
      ['GET', `${V2}/lostaccounts/?state_in=7`, k, undefined],
      ['GET', `${V2}/lostaccounts/?state_in=0%7Cx`, k, undefined],
      ['GET', `${V2}/lostaccounts/${UNKNOWN}/`, k, undefined],
      ['DELETE', `${V2}/lostaccounts/not-a-uuid/`, k, undefined],
      ['GET', `${V2}/lostaccounts/${id}/missing_encrypted_message_keys/`, k, undefined],
      ['POST', `${V2}/lostaccounts/${id}/missing_encrypted_message_keys/`, k, { keys: [{ message_id: UNKNOWN }] }],
      ['POST', `${V2}/lostaccounts/${id}/missing_encrypted_message_keys/`, k, { keys: 'all' }],
      ['POST', `${V2}/lostaccounts/${id}/create_device/`, k, { device_name: '' }],
      ['POST', `${V2}/lostaccounts/${id}/create_device/`, k, {}],
      ['POST', `${V2}/lostaccounts/${id}/validate_sigchain/`, k, { sigchain_transaction: {}, force: false }],
      ['POST', `${V2}/lostaccounts/${id}/validate_sigchain/`, k, { sigchain_transaction: 'tx', force: false }],
    ];
    for (const [method, url, credential, body] of cases) {
      const r = await call(method, url, credential, body);
      const label = `${method} ${url.slice(0, 90)} ${JSON.stringify(body)?.slice(0, 60)}`;
      expect(r.status, `${label} → ${JSON.stringify(r.body)}`).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      const b = r.body as Record<string, unknown>;
      const drf = typeof b.detail === 'string' || (Object.keys(b).length > 0 && Object.values(b).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string')));
      expect(drf, `${label} → ${JSON.stringify(b)}`).toBe(true);
    }
    expect(await stateOf(id)).toBe(0);
    expect(uncoveredRoutes(recoveryRoutes, cases)).toEqual([]);
  });
});
