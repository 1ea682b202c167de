// The seald dialect, part 2: messages/, messageaccesses/, entrustedmessagekeys/ — documented
// paths, statuses and bodies on messages made through the graph (createMessage with per-device
// keys); teams kept apart on every route; a revoked access hides the keys at the next request;
// full_revoke revokes the user's accesses; flat statement counts; bad input a DRF-shaped 4xx.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices } from '../schema/users.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { sealdCall } from './helpers/seald.js';
import { seed } from './helpers/seed.js';
import { messageRoutes } from '../src/rest/seald/messages.routes.js';
import type { OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';

const V2 = '/dashboardapi/v2';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const NOT_FOUND = { detail: 'Not found.' };
const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' };
/** Key material as the SDKs send it: base64 of bytes the server cannot read. */
const b64 = (seed: string, bytes = 64) => Buffer.from(seed.repeat(bytes).slice(0, bytes)).toString('base64');

describe.each(DRIVERS)('seald messages on %s', (driver) => {
  let t: TestGateway;
  let teamA: OrganizationRow;
  let teamB: OrganizationRow;
  let adminA: UserRow;
  let alice: UserRow;
  let bob: UserRow;
  let dave: UserRow;
  let adminB: UserRow;
  const key: Record<string, string> = {};
  const jwt: Record<string, string> = {};

  const apiKey = (user: UserRow, org: OrganizationRow) => seed(t).apiKey(user, org);

  /** A device of `user` with public keys, registered through the graph (registerDevice). */
  const makeDevice = (user: UserRow, name: string) => seed(t).device(user, name);

  /** A message of `owner` in `org` for `recipients`, with a key for each given device, through the graph. */
  async function message(owner: UserRow, org: OrganizationRow, opts: { recipients?: UserRow[]; emails?: string[]; metadata?: object; deviceIds?: string[] } = {}): Promise<string> {
    const s = seed(t);
    const r = await t.gql(`mutation($i: CreateMessageInput!) { createMessage(input: $i) { message { id } userErrors { code field message } } }`, {
      i: {
        organizationId: s.gid('Organization', org),
        recipientIds: (opts.recipients ?? []).map((u) => s.gid('User', u)),
        recipientEmails: opts.emails ?? [],
        metadata: opts.metadata ?? {},
        keys: (opts.deviceIds ?? []).map((id, i) => ({ deviceId: s.gid('Device', { id }), encryptedMessageKey: b64(`k${i}`) })),
      },
    }, { token: jwt[owner.username] });
    expect(r.body.data.createMessage.userErrors).toEqual([]);
    return Buffer.from(r.body.data.createMessage.message.id, 'base64url').toString().split(':')[1]!;
  }

  const call = sealdCall(() => t, { headers: true });

  /** bob's keys of a message as the graph gives them to him (login token: his own request). */
  const keysOf = async (user: UserRow, messageId: string) => {
    const r = await t.gql(`query($id: ID!) { message(id: $id) { viewerKeys { encryptedMessageKey } } }`, { id: seed(t).gid('Message', { id: messageId }) }, { token: jwt[user.username] });
    return (r.body.data.message?.viewerKeys ?? []).map((k: { encryptedMessageKey: string }) => k.encryptedMessageKey);
  };

  let m1: string;
  let m2: string;
  let mB: string;
  let aliceDevice: { id: string };
  let bobDevice: { id: string };

  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    adminA = await s.user('sm-admin-a');
    alice = await s.user('sm-alice');
    bob = await s.user('sm-bob');
    dave = await s.user('sm-dave');
    adminB = await s.user('sm-admin-b');
    teamA = await s.org('sm-team-a', { owner: adminA, name: 'Team A' });
    teamB = await s.org('sm-team-b', { owner: adminB, name: 'Team B' });
    await s.member(teamA, alice);
    await s.member(teamA, bob);
    await s.member(teamA, dave);
    await s.member(teamB, bob);
    key.a = await apiKey(adminA, teamA);
    key.b = await apiKey(adminB, teamB);
    key.alice = await apiKey(alice, teamA);
    for (const u of [alice, bob, dave, adminB]) jwt[u.username] = await t.login(u.username, `${u.username}-password`);
    aliceDevice = await makeDevice(alice, 'alice-laptop');
    bobDevice = await makeDevice(bob, 'bob-phone');
    m1 = await message(alice, teamA, { recipients: [bob], emails: ['ext@example.org'], metadata: { kind: 'contract', n: 1 }, deviceIds: [aliceDevice.id, bobDevice.id] });
    m2 = await message(bob, teamA, { recipients: [alice], metadata: { kind: 'memo' } });
    mB = await message(bob, teamB, { recipients: [adminB] });
  });
  afterAll(() => t.close());

  describe('messages/', () => {
    it('lists the team’s messages, newest first, in the DRF envelope', async () => {
      const r = await call('GET', `${V2}/messages/`, key.a);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ count: 2, next: null, previous: null });
      expect(r.body.results.map((m: { id: string }) => m.id)).toEqual([m2, m1]);
      expect(r.body.results[1]).toEqual({ id: m1, owner_id: alice.id, created: expect.any(String), meta_data: { kind: 'contract', n: 1 }, allow_download: true });
      // The largest page stays under the query-cost limit.
      expect((await call('GET', `${V2}/messages/?page_size=100`, key.a)).body.count).toBe(2);
      expect((await call('GET', `${V2}/messageaccesses/?message=${m1}&page_size=100`, key.a)).status).toBe(200);
      expect((await call('GET', `${V2}/entrustedmessagekeys/?message=${m1}&page_size=100`, key.a)).status).toBe(200);
    });

    it('filters by recipient, owner, meta_data and only_visible', async () => {
      const ids = async (q: string) => (await call('GET', `${V2}/messages/?${q}`, key.a)).body.results.map((m: { id: string }) => m.id);
      expect(await ids(`recipient=${bob.id}`)).toEqual([m1]);
      expect(await ids(`owner=${bob.id}`)).toEqual([m2]);
      expect(await ids(`meta_data=${encodeURIComponent('{"kind":"memo"}')}`)).toEqual([m2]);
      expect(await ids('only_visible=true')).toEqual([m2, m1]);
      expect(await ids(`recipient=${dave.id}`)).toEqual([]);
      expect(await call('GET', `${V2}/messages/?meta_data=contract`, key.a)).toMatchObject({ status: 400, body: { meta_data: [expect.any(String)] } });
    });

    it('keeps teams apart: team B sees only its own message; a member’s key is refused', async () => {
      const r = await call('GET', `${V2}/messages/`, key.b);
      expect(r.body.results.map((m: { id: string }) => m.id)).toEqual([mB]);
      expect((await call('GET', `${V2}/messages/`, key.alice)).status).toBe(403);
      expect(await call('GET', `${V2}/messages/`)).toEqual(expect.objectContaining({ status: 401, body: NOT_PROVIDED }));
    });

    it('retrieves one with its counters; another team’s, an unknown one or a non-matching filter is 404', async () => {
      const r = await call('GET', `${V2}/messages/${m1}/`, key.a);
      expect(r).toMatchObject({ status: 200, body: { id: m1, owner_id: alice.id, meta_data: { kind: 'contract', n: 1 }, allow_download: true, is_everyone_revoked: false, nb_read: 0, self_destruct_date: null } });
      expect(await call('GET', `${V2}/messages/${mB}/`, key.a)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('GET', `${V2}/messages/${m1}/`, key.b)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('GET', `${V2}/messages/${UNKNOWN}/`, key.a)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await call('GET', `${V2}/messages/${m1}/?owner=${bob.id}`, key.a)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect((await call('GET', `${V2}/messages/${m1}/?owner=${alice.id}`, key.a)).status).toBe(200);
    });

    it('counts reads in nb_read', async () => {
      const m = await message(alice, teamA, { recipients: [bob] });
      for (let i = 0; i < 2; i++) await t.gql(`mutation($i: RecordMessageReadInput!) { recordMessageRead(input: $i) { userErrors { code } } }`, { i: { messageId: seed(t).gid('Message', { id: m }) } }, { token: jwt[bob.username] });
      expect((await call('GET', `${V2}/messages/${m}/`, key.a)).body).toMatchObject({ nb_read: 2, is_everyone_revoked: false });
    });

    it('add_encrypted_message_key: a recipient’s new device gets a key; refuses a second key, a stranger’s device, bad base64', async () => {
      const phone2 = await makeDevice(bob, 'bob-phone-2');
      const url = `${V2}/messages/${m1}/add_encrypted_message_key/`;
      expect(await call('POST', url, key.a, { encrypted_message_keys: [{ created_for_key: phone2.id, encrypted_message_key: b64('new'), created_for_key_hash: 'h' }] })).toEqual(
        expect.objectContaining({ status: 201, body: { status: 'ok' } }),
      );
      expect(await keysOf(bob, m1)).toEqual([b64('k1'), b64('new')]);
      expect(await call('POST', url, key.a, { encrypted_message_keys: [{ created_for_key: phone2.id, encrypted_message_key: b64('again') }] })).toMatchObject({ status: 400, body: { encrypted_message_keys: [expect.any(String)] } });
      const daveDevice = await makeDevice(dave, 'dave-pc');
      expect(await call('POST', url, key.a, { encrypted_message_keys: [{ created_for_key: daveDevice.id, encrypted_message_key: b64('x') }] })).toMatchObject({ status: 400 });
      expect(await call('POST', url, key.a, { encrypted_message_keys: [{ created_for_key: UNKNOWN, encrypted_message_key: b64('x') }] })).toMatchObject({ status: 400 });
      expect(await call('POST', url, key.a, { encrypted_message_keys: [{ created_for_key: daveDevice.id, encrypted_message_key: 'not base64!' }] })).toMatchObject({ status: 400, body: { encrypted_message_keys: [expect.any(String)] } });
      expect(await call('POST', url, key.b, { encrypted_message_keys: [{ created_for_key: phone2.id, encrypted_message_key: b64('x') }] })).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await keysOf(dave, m1)).toEqual([]);
    });

    it('add_entrusted_message_key and entrustedmessagekeys/: a key for a recipient outside the team', async () => {
      const url = `${V2}/messages/${m1}/add_entrusted_message_key/`;
      expect(await call('POST', url, key.a, { email: 'ext@example.org', message_key: b64('ent'), created_for_additional_factor: { type: 'SMS', value: '+32475000000' } })).toEqual(
        expect.objectContaining({ status: 201, body: { status: 'ok' } }),
      );
      expect(await call('POST', url, key.a, { created_for_type: 'PH', created_for_value: '+32475111111', message_key: b64('ent2') })).toMatchObject({ status: 201 });
      expect(await call('POST', url, key.a, { email: 'EXT@example.org', message_key: b64('dup') })).toMatchObject({ status: 400, body: { email: [expect.any(String)] } });
      expect(await call('POST', url, key.a, { message_key: b64('none') })).toMatchObject({ status: 400, body: { email: [expect.any(String)] } });
      expect(await call('POST', url, key.b, { email: 'x@example.org', message_key: b64('x') })).toMatchObject({ status: 404 });
      const list = await call('GET', `${V2}/entrustedmessagekeys/?message=${m1}`, key.a);
      expect(list.status).toBe(200);
      expect(list.body.count).toBe(2);
      expect(list.body.results[0]).toEqual({
        created: expect.any(String),
        created_for_value: 'ext@example.org',
        created_for_type: 'EM',
        converted_for_id: null,
        read_first: null,
        read_last: null,
        read_time: 0,
        revoked: false,
        revoked_date: null,
        replies: [],
        created_for_additional_factor: JSON.stringify({ type: 'SMS', value: '+32475000000' }),
        created_for: 'EM:ext@example.org',
        created_for_email: 'ext@example.org',
      });
      expect(await call('GET', `${V2}/entrustedmessagekeys/?message=${m1}`, key.b)).toMatchObject({ status: 400, body: { message: [expect.any(String)] } });
      expect(await call('GET', `${V2}/entrustedmessagekeys/`, key.a)).toMatchObject({ status: 400, body: { message: ['This field is required.'] } });
    });

    it('messageaccesses/: the accesses of a team message with the documented fields', async () => {
      const r = await call('GET', `${V2}/messageaccesses/?message=${m1}`, key.a);
      expect(r.status).toBe(200);
      expect(r.body.count).toBe(2);
      expect(r.body.results[0]).toEqual({
        created: expect.any(String),
        added_by_id: alice.id,
        message_id: m1,
        bearduser_id: bob.id,
        path: [],
        read_first: null,
        read_last: null,
        read_time: 0,
        revoked: false,
        revoked_date: null,
      });
      expect(r.body.results[1]).toMatchObject({ bearduser_id: null, message_id: m1 });
      expect(await call('GET', `${V2}/messageaccesses/?message=${mB}`, key.a)).toMatchObject({ status: 400, body: { message: [expect.any(String)] } });
      expect(await call('GET', `${V2}/messageaccesses/?message=${m1}`, key.b)).toMatchObject({ status: 400 });
    });

    it('allow_download and self_destruct_date change the message; another team’s key changes nothing', async () => {
      expect(await call('POST', `${V2}/messages/${m2}/allow_download/`, key.b, { allow_download: false })).toMatchObject({ status: 404 });
      expect(await call('POST', `${V2}/messages/${m2}/allow_download/`, key.a, { allow_download: false })).toEqual(expect.objectContaining({ status: 201, body: { status: 'ok' } }));
      expect((await call('GET', `${V2}/messages/${m2}/`, key.a)).body.allow_download).toBe(false);
      const future = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
      expect(await call('POST', `${V2}/messages/${m2}/self_destruct_date/`, key.b, { date: future })).toMatchObject({ status: 404 });
      expect(await call('POST', `${V2}/messages/${m2}/self_destruct_date/`, key.a, { date: future })).toMatchObject({ status: 201 });
      expect((await call('GET', `${V2}/messages/${m2}/`, key.a)).body.self_destruct_date).toBe(`${future}T00:00:00.000Z`);
      expect(await call('POST', `${V2}/messages/${m2}/self_destruct_date/`, key.a, { date: '2001-01-01' })).toMatchObject({ status: 400, body: { date: [expect.any(String)] } });
      expect(await call('POST', `${V2}/messages/${m2}/self_destruct_date/`, key.a, { date: null })).toMatchObject({ status: 201 });
      expect((await call('GET', `${V2}/messages/${m2}/`, key.a)).body.self_destruct_date).toBeNull();
    });

    it('revoke: a user (their keys disappear at their next request), an email, an entrusted recipient, everyone', async () => {
      const dev = await makeDevice(dave, 'dave-tablet');
      const m = await message(alice, teamA, { recipients: [bob, dave], emails: ['out@example.org'], deviceIds: [bobDevice.id, dev.id] });
      await call('POST', `${V2}/messages/${m}/add_entrusted_message_key/`, key.a, { email: 'out@example.org', message_key: b64('o') });
      await call('POST', `${V2}/messages/${m}/add_entrusted_message_key/`, key.a, { created_for_type: 'PH', created_for_value: '+32475222222', message_key: b64('p') });
      expect(await keysOf(bob, m)).toHaveLength(1);
      expect(await call('POST', `${V2}/messages/${m}/revoke/`, key.b, { user: bob.id })).toMatchObject({ status: 404 });
      expect(await call('POST', `${V2}/messages/${m}/revoke/`, key.a, { user: bob.id })).toEqual(expect.objectContaining({ status: 201, body: { status: 'ok', revoked: 1, revoked_entrusted_keys: 0 } }));
      expect(await keysOf(bob, m)).toEqual([]);
      expect(await keysOf(dave, m)).toHaveLength(1);
      expect(await call('POST', `${V2}/messages/${m}/revoke/`, key.a, { user: bob.id })).toMatchObject({ status: 400 });
      expect(await call('POST', `${V2}/messages/${m}/revoke/`, key.a, { email: 'out@example.org' })).toMatchObject({ status: 201, body: { revoked: 1, revoked_entrusted_keys: 1 } });
      expect(await call('POST', `${V2}/messages/${m}/revoke/`, key.a, { entrusted_created_for_type: 'PH', entrusted_created_for_value: '+32475222222' })).toMatchObject({ status: 201, body: { revoked: 0, revoked_entrusted_keys: 1 } });
      expect((await call('GET', `${V2}/messages/${m}/`, key.a)).body.is_everyone_revoked).toBe(false);
      expect(await call('POST', `${V2}/messages/${m}/revoke/`, key.a, { all: true })).toMatchObject({ status: 201, body: { revoked: 1 } });
      expect((await call('GET', `${V2}/messages/${m}/`, key.a)).body.is_everyone_revoked).toBe(true);
      expect(await keysOf(dave, m)).toEqual([]);
      expect(await call('POST', `${V2}/messages/${m}/revoke/`, key.a, { user: bob.id, all: true })).toMatchObject({ status: 400, body: { non_field_errors: [expect.any(String)] } });
      expect(await call('POST', `${V2}/messages/${m}/revoke/`, key.a, {})).toMatchObject({ status: 400 });
      const accesses = await call('GET', `${V2}/messageaccesses/?message=${m}`, key.a);
      expect(accesses.body.results.every((a: { revoked: boolean; revoked_date: string | null }) => a.revoked && a.revoked_date)).toBe(true);
    });

    it('a revoked recipient who still sees the message (a team admin) gets none of its keys', async () => {
      jwt[adminA.username] = await t.login(adminA.username, `${adminA.username}-password`);
      const adminDevice = await makeDevice(adminA, 'admin-desk');
      const m = await message(alice, teamA, { recipients: [adminA], deviceIds: [adminDevice.id] });
      expect(await keysOf(adminA, m)).toEqual([b64('k0')]);
      expect((await call('POST', `${V2}/messages/${m}/revoke/`, key.a, { user: adminA.id })).status).toBe(201);
      const r = await t.gql(`query($id: ID!) { message(id: $id) { id viewerKeys { id } } }`, { id: seed(t).gid('Message', { id: m }) }, { token: jwt[adminA.username] });
      expect(r.body.data.message).toEqual({ id: expect.any(String), viewerKeys: [] });
    });

    it('full_revoke of a user revokes their accesses to the team’s messages, not to other teams’', async () => {
      const carl = await seed(t).user('sm-carl');
      await seed(t).member(teamA, carl);
      await seed(t).member(teamB, carl);
      jwt[carl.username] = await t.login(carl.username, `${carl.username}-password`);
      const inA = await message(alice, teamA, { recipients: [carl] });
      const inB = await message(bob, teamB, { recipients: [carl] });
      expect(await call('POST', `${V2}/users/${carl.id}/full_revoke/`, key.a)).toMatchObject({ status: 201 });
      expect((await call('GET', `${V2}/messageaccesses/?message=${inA}`, key.a)).body.results[0]).toMatchObject({ bearduser_id: carl.id, revoked: true });
      expect((await call('GET', `${V2}/messageaccesses/?message=${inB}`, key.b)).body.results[0]).toMatchObject({ bearduser_id: carl.id, revoked: false });
    });

    it('keeps statement counts flat as pages grow (messages, accesses, entrusted keys)', async () => {
      const team = await seed(t).org('sm-flat', { owner: adminA });
      const k = await apiKey(adminA, team);
      const count = async (url: string) => {
        const before = t.db.statementCount;
        const r = await call('GET', url, k);
        expect(r.status).toBe(200);
        return t.db.statementCount - before;
      };
      jwt[adminA.username] = await t.login(adminA.username, `${adminA.username}-password`);
      const first = await message(adminA, team, { recipients: [alice], emails: ['a0@example.org'] });
      await call('POST', `${V2}/messages/${first}/add_entrusted_message_key/`, k, { email: 'a0@example.org', message_key: b64('f') });
      const small = [await count(`${V2}/messages/`), await count(`${V2}/messageaccesses/?message=${first}`), await count(`${V2}/entrustedmessagekeys/?message=${first}`)];
      const many = await message(adminA, team, { recipients: [alice, bob, dave], emails: ['a1@example.org', 'a2@example.org', 'a3@example.org'] });
      for (let i = 1; i <= 3; i++) await call('POST', `${V2}/messages/${many}/add_entrusted_message_key/`, k, { email: `a${i}@example.org`, message_key: b64(`m${i}`) });
      for (let i = 0; i < 4; i++) await message(adminA, team, { recipients: [bob] });
      const large = [await count(`${V2}/messages/`), await count(`${V2}/messageaccesses/?message=${many}`), await count(`${V2}/entrustedmessagekeys/?message=${many}`)];
      expect(large).toEqual(small);
    });
  });

  describe('the graph', () => {
    const create = (token: string, keys: { deviceId: string; encryptedMessageKey: string }[], recipients: UserRow[] = [bob]) =>
      t.gql(`mutation($i: CreateMessageInput!) { createMessage(input: $i) { message { id viewerKeys { encryptedMessageKey createdForKeyHash } } userErrors { code field message } } }`, {
        i: { organizationId: seed(t).gid('Organization', teamA), recipientIds: recipients.map((u) => seed(t).gid('User', u)), keys },
      }, { token });

    it('createMessage stores per-device keys for the owner’s and recipients’ devices; the owner reads their own', async () => {
      const r = await create(jwt[alice.username]!, [
        { deviceId: seed(t).gid('Device', aliceDevice), encryptedMessageKey: b64('own') },
        { deviceId: seed(t).gid('Device', bobDevice), encryptedMessageKey: b64('his') },
      ]);
      expect(r.body.data.createMessage.userErrors).toEqual([]);
      expect(r.body.data.createMessage.message.viewerKeys).toEqual([{ encryptedMessageKey: b64('own'), createdForKeyHash: null }]);
    });

    it('createMessage refuses a device of someone else, a revoked device and key material that is not base64 (nothing stored)', async () => {
      const stranger = await makeDevice(dave, 'dave-stranger');
      const revoked = await makeDevice(bob, 'bob-lost');
      await t.db.db.update(devices).set({ state: 'revoked', revokedAt: new Date() }).where(eq(devices.id, revoked.id));
      const cases: [{ deviceId: string; encryptedMessageKey: string }, string][] = [
        [{ deviceId: seed(t).gid('Device', stranger), encryptedMessageKey: b64('x') }, 'keys.0.deviceId'],
        [{ deviceId: seed(t).gid('Device', revoked), encryptedMessageKey: b64('x') }, 'keys.0.deviceId'],
        [{ deviceId: seed(t).gid('Device', bobDevice), encryptedMessageKey: 'not base64!' }, 'keys.0.encryptedMessageKey'],
      ];
      const before = (await call('GET', `${V2}/messages/`, key.a)).body.count;
      for (const [k, field] of cases) {
        const r = await create(jwt[alice.username]!, [k]);
        expect(r.body.data.createMessage.userErrors, field).toEqual([expect.objectContaining({ code: 'VALIDATION_FAILED', field })]);
      }
      // Key material over its bound is a body problem (core/key-material.ts): PAYLOAD_TOO_LARGE.
      const big = await create(jwt[alice.username]!, [{ deviceId: seed(t).gid('Device', bobDevice), encryptedMessageKey: 'A'.repeat(8 * 1024 + 4) }]);
      expect(big.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
      expect((await call('GET', `${V2}/messages/`, key.a)).body.count).toBe(before);
    });

    it('addMessageKeys and addMessageEntrustedKey are for the team’s admins only', async () => {
      const r = await t.gql(`mutation($i: AddMessageKeysInput!) { addMessageKeys(input: $i) { userErrors { code } } }`, {
        i: { messageId: seed(t).gid('Message', { id: m1 }), keys: [{ deviceId: seed(t).gid('Device', bobDevice), encryptedMessageKey: b64('z') }] },
      }, { token: key.alice });
      expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const e = await t.gql(`mutation($i: AddMessageEntrustedKeyInput!) { addMessageEntrustedKey(input: $i) { userErrors { code } } }`, {
        i: { messageId: seed(t).gid('Message', { id: m1 }), email: 'someone@example.org', messageKey: b64('z') },
      }, { token: jwt[alice.username] });
      expect(e.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('a team API key does not reach its holder’s messages of another team, by id or in lists (the tenant rule)', async () => {
      const r = await t.gql(`query($id: ID!) { message(id: $id) { id } }`, { id: seed(t).gid('Message', { id: mB }) }, { token: await apiKey(bob, teamA) });
      expect(r.body.data.message).toBeNull();
      const list = await t.gql(`{ messages(first: 50) { nodes { id } } }`, {}, { token: await apiKey(bob, teamA) });
      expect(list.body.data.messages.nodes.map((m: { id: string }) => seed(t).gid('Message', { id: mB }) === m.id)).not.toContain(true);
      const own = await t.gql(`query($id: ID!) { message(id: $id) { id } }`, { id: seed(t).gid('Message', { id: mB }) }, { token: jwt[bob.username] });
      expect(own.body.data.message).not.toBeNull();
    });
  });

  it('answers anonymous callers 401 on every route of this part', async () => {
    for (const route of messageRoutes) {
      const url = route.path.replace(':id', UNKNOWN) + (/messageaccesses|entrustedmessagekeys/.test(route.path) ? `?message=${UNKNOWN}` : '');
      const r = await call(route.method, url, undefined, route.body ? {} : undefined);
      expect([r.status, r.body], `${route.method} ${route.path}`).toEqual([401, NOT_PROVIDED]);
    }
  });

  it('answers bad input with a DRF-shaped 4xx on every route, never a 5xx', async () => {
    const k = key.a;
    const big = 'A'.repeat(9000);
    const cases: [string, string, string | undefined, unknown][] = [
      ['GET', `${V2}/messages/?recipient=not-a-uuid`, k, undefined],
      ['GET', `${V2}/messages/?only_visible=maybe`, k, undefined],
      ['GET', `${V2}/messages/?meta_data=%5B1%5D`, k, undefined],
      ['GET', `${V2}/messages/?page=0`, k, undefined],
      ['GET', `${V2}/messages/?page=99`, k, undefined],
      ['GET', `${V2}/messages/not-a-uuid/`, k, undefined],
      ['GET', `${V2}/messages/${UNKNOWN}/available_adminkeys/`, k, undefined],
      ['GET', `${V2}/messages/${m1}/available_adminkeys/`, key.b, undefined],
      ['POST', `${V2}/messages/${m1}/add_encrypted_message_key/`, k, { encrypted_message_keys: [] }],
      ['POST', `${V2}/messages/${m1}/add_encrypted_message_key/`, k, { encrypted_message_keys: [{ created_for_key: 'x', encrypted_message_key: b64('a') }] }],
      ['POST', `${V2}/messages/${m1}/add_encrypted_message_key/`, k, { encrypted_message_keys: [{ created_for_key: bobDevice.id, encrypted_message_key: big }] }],
      ['POST', `${V2}/messages/${m1}/add_encrypted_message_key/`, k, { encrypted_message_keys: 'all' }],
      ['POST', `${V2}/messages/${m1}/add_entrusted_message_key/`, k, { email: 'x@example.org' }],
      ['POST', `${V2}/messages/${m1}/add_entrusted_message_key/`, k, { email: 'not an email', message_key: b64('a') }],
      ['POST', `${V2}/messages/${m1}/add_entrusted_message_key/`, k, { created_for_type: 'ph', created_for_value: 'x', message_key: b64('a') }],
      ['POST', `${V2}/messages/${m1}/add_entrusted_message_key/`, k, { email: 'x@example.org', message_key: b64('a'), created_for_additional_factor: 'sms' }],
      ['POST', `${V2}/messages/${m1}/allow_download/`, k, { allow_download: 'yes' }],
      ['POST', `${V2}/messages/${m1}/allow_download/`, k, {}],
      ['POST', `${V2}/messages/${m1}/find_recoverable_message_key/`, k, { bearduser_id: bob.id }],
      ['POST', `${V2}/messages/${m1}/find_recoverable_message_key/`, k, { bearduser_id: bob.id, adminkey_id: UNKNOWN }],
      ['POST', `${V2}/messages/${m1}/revoke/`, k, { user: 'bob' }],
      ['POST', `${V2}/messages/${m1}/revoke/`, k, { all: false }],
      ['POST', `${V2}/messages/${m1}/revoke/`, k, { entrusted_created_for_type: 'EM' }],
      ['POST', `${V2}/messages/${m1}/self_destruct_date/`, k, { date: 'tomorrow' }],
      ['POST', `${V2}/messages/${m1}/self_destruct_date/`, k, { date: '2999-13-45' }],
      ['POST', `${V2}/messages/${m1}/self_destruct_date/`, k, {}],
      ['GET', `${V2}/messageaccesses/?message=not-a-uuid`, k, undefined],
      ['GET', `${V2}/messageaccesses/?message=${UNKNOWN}`, k, undefined],
      ['GET', `${V2}/entrustedmessagekeys/?message=${m1}&page=0`, k, undefined],
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
    expect(uncoveredRoutes(messageRoutes, cases)).toEqual([]);
  });
});
