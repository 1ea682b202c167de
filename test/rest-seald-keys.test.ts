// The seald dialect, part 2 (issue 24): keys/ (a team member's devices, public keys, revocation)
// and groups/ (create with keys, members and their device key copies, sigchain, rename, renewal,
// removal) on data made through the API (registerDevice, the routes themselves): documented
// statuses and bodies, teams kept apart, a revoked device refused, group key renewal end to end,
// a removed member losing the group's keys, bad input as DRF-shaped 4xx, flat statement counts.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { sealdCall } from './helpers/seald.js';
import { seed } from './helpers/seed.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { keyRoutes } from '../src/rest/seald/keys.routes.js';
import { groupRoutes } from '../src/rest/seald/groups.routes.js';
import { insertLoginLog } from '../src/modules/logs/log.repo.js';
import type { OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';

const V2 = '/dashboardapi/v2';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const NOT_FOUND = { detail: 'Not found.' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const uuidOf = (gid: string) => Buffer.from(gid, 'base64url').toString('utf8').split(':')[1]!;

describe.each(DRIVERS)('seald keys and groups on %s', (driver) => {
  let t: TestGateway;
  let teamA: OrganizationRow;
  let teamB: OrganizationRow;
  let adminA: UserRow;
  let ann: UserRow; // member of A, will administer the group
  let bob: UserRow; // member of A
  let cid: UserRow; // member of A
  let adminB: UserRow;
  const key: Record<string, string> = {};
  const jwt: Record<string, string> = {};
  const dev: Record<string, string> = {};

  const apiKey = (user: UserRow, org: OrganizationRow) => seed(t).apiKey(user, org);

  /** Registers a device of `user` through the graph; its uuid. */
  async function register(user: UserRow, name: string): Promise<string> {
    const r = await t.gql(`mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id name state encryptionPublicKey } userErrors { code field message } } }`, {
      i: { name, encryptionPublicKey: b64(`enc-${name}-public-key`), signingPublicKey: b64(`sig-${name}-public-key`) },
    }, { token: jwt[user.username] });
    expect(r.body.data.registerDevice.userErrors).toEqual([]);
    return uuidOf(r.body.data.registerDevice.device.id);
  }

  const call = sealdCall(() => t);

  /** Statements one request runs. */
  async function statementsOf(run: () => Promise<{ status: number }>): Promise<number> {
    const before = t.db.statementCount;
    expect((await run()).status).toBe(200);
    return t.db.statementCount - before;
  }

  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    adminA = await s.user('sk-admin-a');
    ann = await s.user('sk-ann');
    bob = await s.user('sk-bob');
    cid = await s.user('sk-cid');
    adminB = await s.user('sk-admin-b');
    teamA = await s.org('sk-team-a', { owner: adminA, name: 'Team A' });
    teamB = await s.org('sk-team-b', { owner: adminB, name: 'Team B' });
    for (const u of [ann, bob, cid]) await s.member(teamA, u, 'member');
    key.a = await apiKey(adminA, teamA);
    key.b = await apiKey(adminB, teamB);
    key.ann = await apiKey(ann, teamA);
    key.cid = await apiKey(cid, teamA);
    for (const u of [ann, bob, cid, adminB]) jwt[u.username] = await t.login(u.username, `${u.username}-password`);
    dev.ann1 = await register(ann, 'ann-laptop');
    dev.ann2 = await register(ann, 'ann-phone');
    dev.bob1 = await register(bob, 'bob-laptop');
    dev.cid1 = await register(cid, 'cid-laptop');
    dev.b1 = await register(adminB, 'b-laptop');
  });
  afterAll(() => t.close());

  describe('registerDevice', () => {
    it('validates key material: base64 and sizes (413 over the maximum), a name', async () => {
      const q = `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } userErrors { code field } } }`;
      const bad = await t.gql(q, { i: { name: 'x', encryptionPublicKey: 'not base64 !!!', signingPublicKey: b64('a signing public key') } }, { token: jwt[ann.username] });
      expect(bad.body.data.registerDevice.userErrors).toEqual([{ code: 'VALIDATION_FAILED', field: 'encryptionPublicKey' }]);
      const short = await t.gql(q, { i: { name: 'x', encryptionPublicKey: 'YWJj', signingPublicKey: b64('a signing public key') } }, { token: jwt[ann.username] });
      expect(short.body.data.registerDevice.userErrors).toEqual([{ code: 'VALIDATION_FAILED', field: 'encryptionPublicKey' }]);
      const big = await t.gql(q, { i: { name: 'x', encryptionPublicKey: 'A'.repeat(2049), signingPublicKey: b64('a signing public key') } }, { token: jwt[ann.username] });
      expect(big.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
      const noName = await t.gql(q, { i: { name: '  ', encryptionPublicKey: b64('an encryption public key'), signingPublicKey: b64('a signing public key') } }, { token: jwt[ann.username] });
      expect(noName.body.data.registerDevice.userErrors).toEqual([{ code: 'VALIDATION_FAILED', field: 'name' }]);
      const anonymous = await t.gql(q, { i: { name: 'x', encryptionPublicKey: b64('an encryption public key'), signingPublicKey: b64('a signing public key') } });
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('appends each registration to the user’s sigchain, in order', async () => {
      const r = await call('GET', `${V2}/users/${ann.id}/sigchain/`, key.a);
      expect(r.status).toBe(200);
      expect(r.body.map((x: { position: number }) => x.position)).toEqual([0, 1]);
      expect(r.body.map((x: { transaction: { device_id: string } }) => x.transaction.device_id)).toEqual([dev.ann1, dev.ann2]);
    });
  });

  it('appends concurrent registrations to one sigchain without gaps or duplicates', async () => {
    const s = seed(t);
    const dee = await s.user('sk-dee');
    await s.member(teamA, dee, 'member');
    jwt[dee.username] = await t.login(dee.username, `${dee.username}-password`);
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => register(dee, `dee-${n}`)));
    const chain = (await call('GET', `${V2}/users/${dee.id}/sigchain/`, key.a)).body as { position: number; transaction: { device_id: string } }[];
    expect(chain.map((x) => x.position)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(chain.map((x) => x.transaction.device_id).sort()).toEqual([...ids].sort());
  });

  describe('keys/', () => {
    it('lists a member’s devices with last_seen (user required); other teams and non-admins see nothing', async () => {
      await insertLoginLog(t.db.db, { userId: ann.id, success: true, ip: '10.0.0.1', deviceId: dev.ann1, userAgent: 'sdk', location: 'Brussels' });
      const r = await call('GET', `${V2}/keys/?user=${ann.id}`, key.a);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ count: 2, next: null, previous: null });
      expect(r.body.results[0]).toEqual({
        id: dev.ann1,
        created: expect.any(String),
        device_name: 'ann-laptop',
        state: 'active',
        bearduser_id: ann.id,
        last_seen: { id: expect.any(String), success: true, ip: '10.0.0.1', key_id: dev.ann1, bearduser_id: ann.id, datetime: expect.any(String), location: { name: 'Brussels' }, user_agent: 'sdk' },
      });
      expect(r.body.results[1]).toMatchObject({ id: dev.ann2, device_name: 'ann-phone', last_seen: null });
      expect((await call('GET', `${V2}/keys/?user=${ann.id}&page_size=1&page=2`, key.a)).body).toMatchObject({ count: 2, results: [{ id: dev.ann2 }], next: null, previous: expect.stringContaining('page_size=1') });
      expect(await call('GET', `${V2}/keys/?user=${ann.id}`, key.b)).toMatchObject({ status: 200, body: { count: 0, results: [] } });
      expect(await call('GET', `${V2}/keys/?user=${adminB.id}`, key.a)).toMatchObject({ status: 200, body: { count: 0 } });
      expect((await call('GET', `${V2}/keys/?user=${ann.id}`, key.ann)).status).toBe(403);
      expect((await call('GET', `${V2}/keys/`, key.a)).status).toBe(400);
      expect((await call('GET', `${V2}/keys/?user=${ann.id}`)).status).toBe(401);
    });

    it('finds public keys by user (newest active device) or by key, only in the team', async () => {
      const byUser = await call('GET', `${V2}/keys/find_public_keys/?user=${ann.id}`, key.a);
      expect(byUser).toMatchObject({ status: 200, body: { id: dev.ann2, bearduser_id: ann.id, state: 'active', encrypt_pubkey: b64('enc-ann-phone-public-key'), signing_pubkey: b64('sig-ann-phone-public-key') } });
      expect(await call('GET', `${V2}/keys/find_public_keys/?key=${dev.bob1}`, key.a)).toMatchObject({ status: 200, body: { id: dev.bob1, device_name: 'bob-laptop' } });
      expect(await call('GET', `${V2}/keys/find_public_keys/?key=${dev.bob1}`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('GET', `${V2}/keys/find_public_keys/?user=${adminB.id}`, key.a)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect((await call('GET', `${V2}/keys/find_public_keys/`, key.a)).status).toBe(400);
      expect((await call('GET', `${V2}/keys/find_public_keys/?user=${ann.id}&key=${dev.ann1}`, key.a)).status).toBe(400);
      expect((await call('GET', `${V2}/keys/find_public_keys/?user=${ann.id}`, key.ann)).status).toBe(404);
    });

    it('lets the team’s JWTs with permission 1 (not 2) find public keys, in their team only', async () => {
      const secretWith = async (permissions: number[]) => (await call('POST', `${V2}/jwtsharedsecret/`, key.a, { permissions })).body as { id: string; shared_secret: string };
      const sign = (secret: { id: string; shared_secret: string }) =>
        new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(secret.id).setJti(crypto.randomUUID()).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(secret.shared_secret));
      const withJwt = async (token: string, query: string) => {
        const res = await t.gw.app.inject({ method: 'GET', url: `${V2}/keys/find_public_keys/?${query}`, headers: { authorization: `Bearer ${token}` } });
        return { status: res.statusCode, body: res.json() };
      };
      const keys = await secretWith([1]);
      expect(await withJwt(await sign(keys), `user=${bob.id}`)).toMatchObject({ status: 200, body: { id: dev.bob1, encrypt_pubkey: b64('enc-bob-laptop-public-key') } });
      expect((await withJwt(await sign(keys), `user=${adminB.id}`)).status).toBe(404);
      expect((await withJwt(await sign(await secretWith([2])), `user=${bob.id}`)).status).toBe(404);
      // The JWT acts for no user: the team routes stay closed to it.
      const res = await t.gw.app.inject({ method: 'GET', url: `${V2}/keys/?user=${bob.id}`, headers: { authorization: `Bearer ${await sign(keys)}` } });
      expect(res.statusCode).toBe(403);
    });

    it('keeps statement counts flat as pages grow', async () => {
      for (let i = 0; i < 4; i++) await register(cid, `cid-extra-${i}`);
      const one = await statementsOf(() => call('GET', `${V2}/keys/?user=${cid.id}&page_size=1`, key.a));
      const five = await statementsOf(() => call('GET', `${V2}/keys/?user=${cid.id}&page_size=5`, key.a));
      expect(five).toBe(one);
    });
  });

  describe('groups/', () => {
    let group: string;
    const createBody = () => ({
      group_name: 'Finance',
      encrypt_pubkey: b64('group-enc-public-1'),
      signing_pubkey: b64('group-sig-public-1'),
      encrypted_encryption_privkey: b64('group-enc-private-1'),
      encrypted_signing_privkey: b64('group-sig-private-1'),
      members: [ann.id, bob.id],
      admins: [ann.id],
      message_keys: [
        { created_for_key: dev.ann1, encrypted_message_key: b64('copy-ann1-1') },
        { created_for_key: dev.bob1, encrypted_message_key: b64('copy-bob1-1'), created_for_key_hash: b64('hash') },
      ],
    });
    const groupGql = (fields: string) => `query($id: ID!) { group(id: $id) { ${fields} } }`;
    const gidOf = () => seed(t).gid('Group', { id: group });

    it('creates a group with keys, members, admins and device key copies; lists and retrieves it in the team only', async () => {
      const made = await call('POST', `${V2}/groups/`, key.a, createBody());
      expect(made).toMatchObject({ status: 201, body: { status: 'ok', id: expect.any(String) } });
      group = made.body.id;
      expect(await call('GET', `${V2}/groups/`, key.a)).toMatchObject({ status: 200, body: { count: 1, next: null, previous: null, results: [{ id: group, group_name: 'Finance' }] } });
      expect(await call('GET', `${V2}/groups/`, key.b)).toMatchObject({ status: 200, body: { count: 0, results: [] } });
      expect(await call('GET', `${V2}/groups/${group}/`, key.a)).toEqual({
        status: 200,
        body: { id: group, group_name: 'Finance', created: expect.any(String), encrypt_pubkey: b64('group-enc-public-1'), signing_pubkey: b64('group-sig-public-1'), key_generation: 1 },
      });
      expect(await call('GET', `${V2}/groups/${group}/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('GET', `${V2}/groups/${UNKNOWN}/`, key.a)).toMatchObject({ status: 404, body: NOT_FOUND });
    });

    it('lists members and member devices (with whether each holds the current key)', async () => {
      const members = await call('GET', `${V2}/groups/${group}/members/`, key.a);
      expect(members).toMatchObject({ status: 200, body: { count: 2, results: [{ bearduser_id: ann.id, is_admin: true }, { bearduser_id: bob.id, is_admin: false }] } });
      const devices = await call('GET', `${V2}/groups/${group}/groupdevices/`, key.a);
      expect(devices.status).toBe(200);
      expect(devices.body.count).toBe(3);
      expect(devices.body.results.map((d: { id: string; has_key: boolean; is_admin: boolean }) => [d.id, d.has_key, d.is_admin])).toEqual([
        [dev.ann1, true, true],
        [dev.ann2, false, true],
        [dev.bob1, true, false],
      ]);
      expect(devices.body.results[0]).toMatchObject({ device_name: 'ann-laptop', state: 'active', bearduser_id: ann.id, encrypt_pubkey: b64('enc-ann-laptop-public-key') });
      expect((await call('GET', `${V2}/groups/${group}/members/`, key.b)).status).toBe(404);
      expect((await call('GET', `${V2}/groups/${group}/groupdevices/`, key.b)).status).toBe(404);
      // A member's own copy, to that member only.
      const asAnn = await t.gql(groupGql('devicePage { nodes { encryptedMessageKey device { name } } }'), { id: gidOf() }, { token: jwt[ann.username] });
      expect(asAnn.body.data.group.devicePage.nodes.map((n: { encryptedMessageKey: string | null }) => n.encryptedMessageKey)).toEqual([b64('copy-ann1-1'), null, null]);
    });

    it('adds members with key copies (POST), changes flags and copies (PATCH); refuses strangers, devices not theirs, other teams', async () => {
      expect(await call('POST', `${V2}/groups/${group}/members/`, key.a, { edited_beardusers_device_messages: { [cid.id]: { [dev.cid1]: b64('copy-cid1-1') } } })).toEqual({ status: 201, body: { status: 'ok' } });
      expect((await call('GET', `${V2}/groups/${group}/members/`, key.a)).body.count).toBe(3);
      expect(await call('POST', `${V2}/groups/${group}/members/`, key.a, { edited_beardusers_device_messages: { [cid.id]: {} } })).toMatchObject({ status: 400, body: { members: [expect.stringMatching(/already a member/)] } });
      expect(await call('POST', `${V2}/groups/${group}/members/`, key.a, { edited_beardusers_device_messages: { [adminB.id]: {} } })).toMatchObject({ status: 400 });
      expect((await call('PATCH', `${V2}/groups/${group}/members/`, key.a, { edited_beardusers_device_messages: { [bob.id]: { [dev.ann2]: b64('x') } } })).status).toBe(400);
      expect(await call('PATCH', `${V2}/groups/${group}/members/`, key.a, { edited_beardusers_device_messages: { [ann.id]: { [dev.ann2]: b64('copy-ann2-1') } }, is_admin: { [bob.id]: true } })).toEqual({ status: 200, body: { status: 'ok' } });
      const devices = (await call('GET', `${V2}/groups/${group}/groupdevices/?page_size=100`, key.a)).body.results;
      expect(devices.find((d: { id: string }) => d.id === dev.ann2).has_key).toBe(true);
      expect((await call('GET', `${V2}/groups/${group}/members/`, key.a)).body.results.filter((m: { is_admin: boolean }) => m.is_admin).map((m: { bearduser_id: string }) => m.bearduser_id).sort()).toEqual([ann.id, bob.id].sort());
      expect(await call('PATCH', `${V2}/groups/${group}/members/`, key.b, { edited_beardusers_device_messages: { [ann.id]: {} } })).toMatchObject({ status: 404 });
      expect(await call('POST', `${V2}/groups/${group}/members/`, key.b, { edited_beardusers_device_messages: { [adminB.id]: { [dev.b1]: b64('copy-b1') } } })).toMatchObject({ status: 404 });
      expect((await call('POST', `${V2}/groups/`, key.b, { ...createBody(), members: [ann.id], admins: [], message_keys: [] })).status).toBe(400);
      expect((await call('GET', `${V2}/groups/`, key.b)).body.count).toBe(0);
      expect(await call('POST', `${V2}/groups/${group}/rename/`, key.b, { group_name: 'Hijacked' })).toMatchObject({ status: 404 });
    });

    it('lets group admins (not only team admins) change the group; other members get 403', async () => {
      expect(await call('POST', `${V2}/groups/${group}/rename/`, key.ann, { group_name: 'Finance team' })).toEqual({ status: 201, body: { status: 'ok' } });
      expect((await call('GET', `${V2}/groups/${group}/`, key.a)).body.group_name).toBe('Finance team');
      expect(await call('POST', `${V2}/groups/${group}/rename/`, key.cid, { group_name: 'Mine' })).toMatchObject({ status: 403, body: { detail: expect.any(String) } });
      // Reads are the dashboard's: team admins only.
      expect((await call('GET', `${V2}/groups/${group}/`, key.ann)).status).toBe(403);
    });

    it('starts the group sigchain once', async () => {
      expect(await call('POST', `${V2}/groups/${group}/init_sigchain/`, key.a, { transaction_data: { op: 'create' }, transaction_data_members: { op: 'members' } })).toEqual({ status: 201, body: { status: 'ok' } });
      expect(await call('POST', `${V2}/groups/${group}/init_sigchain/`, key.a, { transaction_data: { op: 'create' }, transaction_data_members: { op: 'members' } })).toMatchObject({ status: 400, body: { transaction: [expect.stringMatching(/already initialized/)] } });
      // Later membership transactions go to the same chain.
      expect((await call('PATCH', `${V2}/groups/${group}/members/`, key.a, { edited_beardusers_device_messages: {}, is_admin: { [ann.id]: true }, transaction_data_members: { op: 'members-2' } })).status).toBe(200);
      expect((await call('POST', `${V2}/groups/${group}/init_sigchain/`, key.b, { transaction_data: {}, transaction_data_members: {} })).status).toBe(404);
    });

    it('renews the keys: retrieve shows the new ones, the old set and its copies stay for old messages', async () => {
      const renew = {
        transaction_data: { op: 'renew' },
        encrypt_pubkey: b64('group-enc-public-2'),
        signing_pubkey: b64('group-sig-public-2'),
        encrypted_encryption_privkey: b64('group-enc-private-2'),
        encrypted_signing_privkey: b64('group-sig-private-2'),
        message_keys: [{ created_for_key: dev.ann1, encrypted_message_key: b64('copy-ann1-2') }],
      };
      expect(await call('POST', `${V2}/groups/${group}/renew/`, key.b, renew)).toMatchObject({ status: 404 });
      expect(await call('POST', `${V2}/groups/${group}/renew/`, key.a, renew)).toEqual({ status: 201, body: { status: 'ok' } });
      expect((await call('GET', `${V2}/groups/${group}/`, key.a)).body).toMatchObject({ encrypt_pubkey: b64('group-enc-public-2'), signing_pubkey: b64('group-sig-public-2'), key_generation: 2 });
      const asAnn = await t.gql(groupGql('keyGeneration encryptedEncryptionPrivateKey previousKeySets { generation encryptionPublicKey encryptedEncryptionPrivateKey yourDeviceKeys { encryptedMessageKey } } devicePage { nodes { hasKey encryptedMessageKey device { name } } }'), { id: gidOf() }, { token: jwt[ann.username] });
      const g = asAnn.body.data.group;
      expect(g.keyGeneration).toBe(2);
      expect(g.encryptedEncryptionPrivateKey).toBe(b64('group-enc-private-2'));
      expect(g.previousKeySets).toEqual([{ generation: 1, encryptionPublicKey: b64('group-enc-public-1'), encryptedEncryptionPrivateKey: b64('group-enc-private-1'), yourDeviceKeys: [{ encryptedMessageKey: b64('copy-ann1-1') }, { encryptedMessageKey: b64('copy-ann2-1') }] }]);
      // Copies are of the current generation: only ann-laptop got one.
      expect(g.devicePage.nodes.filter((n: { hasKey: boolean }) => n.hasKey).map((n: { device: { name: string } }) => n.device.name)).toEqual(['ann-laptop']);
      expect(g.devicePage.nodes[0].encryptedMessageKey).toBe(b64('copy-ann1-2'));
      const events = await call('GET', `${V2}/eventlogs/?action_in=group.renewKeys`, key.a);
      expect(events.body.count).toBe(1);
    });

    it('removes members (server_delete_members, DELETE): they lose every key copy, get no later key and no later group message', async () => {
      const send = async (title: string) => {
        const r = await t.gql(`mutation($i: CreateMessageInput!) { createMessage(input: $i) { message { id } userErrors { code message } } }`, { i: { metadata: { title }, recipientGroupIds: [gidOf()] } }, { token: jwt[ann.username] });
        expect(r.body.data.createMessage.userErrors).toEqual([]);
        return r.body.data.createMessage.message.id as string;
      };
      const canRead = async (user: UserRow, id: string) => (await t.gql(`query($id: ID!) { message(id: $id) { id } }`, { id }, { token: jwt[user.username] })).body.data.message !== null;
      const before = await send('before');
      expect(await canRead(cid, before)).toBe(true);
      expect(await call('POST', `${V2}/groups/${group}/server_delete_members/`, key.b, { bearduser_ids: [cid.id] })).toMatchObject({ status: 404 });
      expect(await call('POST', `${V2}/groups/${group}/server_delete_members/`, key.a, { bearduser_ids: [cid.id] })).toEqual({ status: 201, body: { status: 'ok' } });
      const after = await call('GET', `${V2}/groups/${group}/groupdevices/?page_size=100`, key.a);
      expect(after.status, JSON.stringify(after.body)).toBe(200);
      const devices = after.body.results;
      expect(devices.some((d: { bearduser_id: string }) => d.bearduser_id === cid.id)).toBe(false);
      const asCid = await t.gql(groupGql('encryptedEncryptionPrivateKey previousKeySets { encryptedEncryptionPrivateKey yourDeviceKeys { encryptedMessageKey } } devicePage { nodes { encryptedMessageKey } }'), { id: gidOf() }, { token: jwt[cid.username] });
      expect(asCid.body.data.group.encryptedEncryptionPrivateKey).toBeNull();
      expect(asCid.body.data.group.previousKeySets).toEqual([{ encryptedEncryptionPrivateKey: null, yourDeviceKeys: [] }]);
      expect(asCid.body.data.group.devicePage.nodes.every((n: { encryptedMessageKey: string | null }) => n.encryptedMessageKey === null)).toBe(true);
      // Group messages sent after the removal reach the members only; the earlier one stays readable (its access was granted then).
      const later = await send('later');
      expect(await canRead(cid, later)).toBe(false);
      expect(await canRead(bob, later)).toBe(true);
      expect(await canRead(cid, before)).toBe(true);
      const stranger = await t.gql(`mutation($i: CreateMessageInput!) { createMessage(input: $i) { userErrors { code field } } }`, { i: { recipientGroupIds: [gidOf()] } }, { token: jwt[adminB.username] });
      expect(stranger.body.data.createMessage.userErrors).toEqual([{ code: 'VALIDATION_FAILED', field: 'recipientGroupIds' }]);
      // A later renewal cannot give the removed member a copy.
      const renew = { transaction_data: {}, encrypt_pubkey: b64('group-enc-public-3'), signing_pubkey: b64('group-sig-public-3'), encrypted_encryption_privkey: b64('group-enc-private-3'), encrypted_signing_privkey: b64('group-sig-private-3') };
      expect(await call('POST', `${V2}/groups/${group}/renew/`, key.a, { ...renew, message_keys: [{ created_for_key: dev.cid1, encrypted_message_key: b64('copy-cid1-3') }] })).toMatchObject({ status: 400 });
      expect(await call('DELETE', `${V2}/groups/${group}/members/?bearduser_id=${bob.id}`, key.b)).toMatchObject({ status: 404 });
      expect(await call('DELETE', `${V2}/groups/${group}/members/?bearduser_id=${bob.id}`, key.a)).toEqual({ status: 204, body: undefined });
      expect((await call('GET', `${V2}/groups/${group}/members/`, key.a)).body.results.map((m: { bearduser_id: string }) => m.bearduser_id)).toEqual([ann.id]);
      // The last admin stays (DRF answers the precondition 400).
      expect(await call('DELETE', `${V2}/groups/${group}/members/?bearduser_id=${ann.id}`, key.a)).toMatchObject({ status: 400, body: { user_ids: [expect.stringMatching(/admin/)] } });
    });

    it('refuses a revoked device: revoke is 201, in the event log and the sigchain, and every later call naming the device is 400', async () => {
      expect(await call('POST', `${V2}/keys/${dev.ann2}/revoke/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect((await call('POST', `${V2}/keys/${dev.ann2}/revoke/`, key.ann)).status).toBe(403);
      expect(await call('POST', `${V2}/keys/${dev.ann2}/revoke/`, key.a)).toEqual({ status: 201, body: { status: 'ok' } });
      expect(await call('POST', `${V2}/keys/${dev.ann2}/revoke/`, key.a)).toEqual({ status: 201, body: { status: 'ok' } });
      expect((await call('GET', `${V2}/keys/?user=${ann.id}`, key.a)).body.results.map((d: { state: string }) => d.state)).toEqual(['active', 'revoked']);
      const chain = (await call('GET', `${V2}/users/${ann.id}/sigchain/`, key.a)).body;
      expect(chain.at(-1)).toMatchObject({ position: 2, transaction: { operation: 'device.revoke', device_id: dev.ann2 } });
      expect(chain).toHaveLength(3);
      expect((await call('GET', `${V2}/eventlogs/?device=${dev.ann2}&action_in=device.revoke`, key.a)).body.count).toBe(1);
      expect((await call('GET', `${V2}/keys/find_public_keys/?user=${ann.id}`, key.a)).body.id).toBe(dev.ann1);
      const body = { ...createBody(), group_name: 'Other', members: [ann.id], admins: [], message_keys: [{ created_for_key: dev.ann2, encrypted_message_key: b64('copy') }] };
      expect(await call('POST', `${V2}/groups/`, key.a, body)).toMatchObject({ status: 400, body: expect.any(Object) });
      expect(await call('PATCH', `${V2}/groups/${group}/members/`, key.a, { edited_beardusers_device_messages: { [ann.id]: { [dev.ann2]: b64('copy') } } })).toMatchObject({ status: 400 });
    });

    it('keeps statement counts flat as pages grow (groups, members, groupdevices)', async () => {
      const made = await call('POST', `${V2}/groups/`, key.a, { ...createBody(), group_name: 'Big', members: [ann.id, bob.id, cid.id], admins: [ann.id], message_keys: [] });
      expect(made.status).toBe(201);
      for (let i = 0; i < 4; i++) expect((await call('POST', `${V2}/groups/`, key.a, { ...createBody(), group_name: `G${i}`, message_keys: [] })).status).toBe(201);
      const big = made.body.id;
      // Any member may leave (DELETE without bearduser_id), even one who manages nothing.
      expect(await call('DELETE', `${V2}/groups/${big}/members/`, key.cid)).toEqual({ status: 204, body: undefined });
      expect((await call('GET', `${V2}/groups/${big}/members/`, key.a)).body.count).toBe(2);
      expect((await call('DELETE', `${V2}/groups/${big}/members/`, key.cid)).status).toBe(400);
      await call('POST', `${V2}/groups/${big}/members/`, key.a, { edited_beardusers_device_messages: { [cid.id]: {} } });
      expect(await statementsOf(() => call('GET', `${V2}/groups/?page_size=5`, key.a))).toBe(await statementsOf(() => call('GET', `${V2}/groups/?page_size=1`, key.a)));
      expect(await statementsOf(() => call('GET', `${V2}/groups/${big}/members/?page_size=3`, key.a))).toBe(await statementsOf(() => call('GET', `${V2}/groups/${big}/members/?page_size=1`, key.a)));
      expect(await statementsOf(() => call('GET', `${V2}/groups/${big}/groupdevices/?page_size=5`, key.a))).toBe(await statementsOf(() => call('GET', `${V2}/groups/${big}/groupdevices/?page_size=1`, key.a)));
    });
  });

  it('documents the 15 operations in the dialect’s OpenAPI document', async () => {
    const doc = (await t.gw.app.inject({ method: 'GET', url: '/openapi/seald.json' })).json();
    const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${path}`));
    const mine = ops.filter((o) => /\/(keys|groups)\//.test(o)).sort();
    expect(mine).toEqual(
      [
        'GET /dashboardapi/v2/keys/',
        'GET /dashboardapi/v2/keys/find_public_keys/',
        'POST /dashboardapi/v2/keys/{id}/revoke/',
        'GET /dashboardapi/v2/groups/',
        'POST /dashboardapi/v2/groups/',
        'GET /dashboardapi/v2/groups/{id}/',
        'GET /dashboardapi/v2/groups/{id}/groupdevices/',
        'GET /dashboardapi/v2/groups/{id}/members/',
        'POST /dashboardapi/v2/groups/{id}/members/',
        'PATCH /dashboardapi/v2/groups/{id}/members/',
        'DELETE /dashboardapi/v2/groups/{id}/members/',
        'POST /dashboardapi/v2/groups/{id}/init_sigchain/',
        'POST /dashboardapi/v2/groups/{id}/rename/',
        'POST /dashboardapi/v2/groups/{id}/renew/',
        'POST /dashboardapi/v2/groups/{id}/server_delete_members/',
      ].sort(),
    );
  });

  it('answers bad input on every route with a 4xx and a DRF-shaped JSON body', async () => {
    const k = key.a;
    const big = 'A'.repeat(5000);
    const g = UNKNOWN;
    const cases: [string, string, string | undefined, unknown][] = [
      ['GET', `${V2}/keys/?user=not-a-uuid`, k, undefined],
      ['GET', `${V2}/keys/?user=${ann.id}&page=0`, k, undefined],
      ['GET', `${V2}/keys/find_public_keys/?key=1'%20OR%201=1`, k, undefined],
      ['POST', `${V2}/keys/not-a-uuid/revoke/`, k, undefined],
      ['POST', `${V2}/keys/${UNKNOWN}/revoke/`, k, undefined],
      ['GET', `${V2}/groups/?page=abc`, k, undefined],
      ['POST', `${V2}/groups/`, k, { encrypt_pubkey: 'short' }],
      ['POST', `${V2}/groups/`, k, { group_name: '', encrypt_pubkey: b64('0123456789'), signing_pubkey: b64('0123456789'), encrypted_encryption_privkey: b64('0123456789'), encrypted_signing_privkey: b64('0123456789'), members: [], message_keys: [] }],
      ['POST', `${V2}/groups/`, k, { encrypt_pubkey: 'not base64 !!!', signing_pubkey: b64('0123456789'), encrypted_encryption_privkey: b64('0123456789'), encrypted_signing_privkey: b64('0123456789'), members: [], message_keys: [] }],
      ['POST', `${V2}/groups/`, k, { encrypt_pubkey: big, signing_pubkey: b64('0123456789'), encrypted_encryption_privkey: b64('0123456789'), encrypted_signing_privkey: b64('0123456789'), members: [], message_keys: [] }],
      ['POST', `${V2}/groups/`, k, { encrypt_pubkey: b64('0123456789'), signing_pubkey: b64('0123456789'), encrypted_encryption_privkey: b64('0123456789'), encrypted_signing_privkey: b64('0123456789'), members: ['x'], message_keys: [] }],
      ['POST', `${V2}/groups/`, k, { encrypt_pubkey: b64('0123456789'), signing_pubkey: b64('0123456789'), encrypted_encryption_privkey: b64('0123456789'), encrypted_signing_privkey: b64('0123456789'), members: [UNKNOWN], message_keys: [] }],
      ['POST', `${V2}/groups/`, k, { encrypt_pubkey: b64('0123456789'), signing_pubkey: b64('0123456789'), encrypted_encryption_privkey: b64('0123456789'), encrypted_signing_privkey: b64('0123456789'), members: [ann.id], message_keys: [{ created_for_key: UNKNOWN, encrypted_message_key: 'AAAA' }] }],
      ['GET', `${V2}/groups/not-a-uuid/`, k, undefined],
      ['GET', `${V2}/groups/${g}/groupdevices/?page_size=0`, k, undefined],
      ['GET', `${V2}/groups/${g}/members/`, k, undefined],
      ['POST', `${V2}/groups/${g}/members/`, k, { edited_beardusers_device_messages: [] }],
      ['POST', `${V2}/groups/${g}/members/`, k, { edited_beardusers_device_messages: { 'not-a-uuid': {} } }],
      ['PATCH', `${V2}/groups/${g}/members/`, k, { edited_beardusers_device_messages: { [ann.id]: { [dev.ann1]: 42 } } }],
      ['PATCH', `${V2}/groups/${g}/members/`, k, { edited_beardusers_device_messages: {}, transaction_data_members: 'x' }],
      ['DELETE', `${V2}/groups/${g}/members/?bearduser_id=nope`, k, undefined],
      ['DELETE', `${V2}/groups/${g}/members/`, k, undefined],
      ['POST', `${V2}/groups/${g}/init_sigchain/`, k, { transaction_data: [] }],
      ['POST', `${V2}/groups/${g}/rename/`, k, { group_name: 'x'.repeat(65) }],
      ['POST', `${V2}/groups/${g}/rename/`, k, { group_name: 7 }],
      ['POST', `${V2}/groups/${g}/renew/`, k, { transaction_data: {} }],
      ['POST', `${V2}/groups/${g}/server_delete_members/`, k, { bearduser_ids: [] }],
      ['POST', `${V2}/groups/${g}/server_delete_members/`, k, '{"bearduser_ids": '],
    ];
    for (const [method, url, credential, body] of cases) {
      const r = await call(method, url, credential, body);
      const label = `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 60)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      const b = r.body as Record<string, unknown>;
      const drf = typeof b.detail === 'string' || (Object.keys(b).length > 0 && Object.values(b).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string')));
      expect(drf, `${label} → ${JSON.stringify(b)}`).toBe(true);
    }
    expect(uncoveredRoutes([...keyRoutes, ...groupRoutes], cases)).toEqual([]);
  });
});
