// What a user owns, through mutations: emails and phones (add → code through the outbox →
// validate → primary → remove), public keys (SSH parsing, fingerprints, uniqueness) and
// devices (revoke) — happy paths, who may call them, error codes and event-log rows.
import { createHash, createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSecrets } from '../schema/secrets.js';
import { contacts } from '../schema/users.js';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';
import { addDevice, eventsOf, lastOutbox, newEd25519Key } from './helpers/seed-users.js';

const ERR = 'userErrors { code field message }';
const CONTACT = 'contact { id type value label isPrimary validatedAt state }';
const ADD_EMAIL = `mutation($i: AddEmailInput!) { addEmail(input: $i) { ${CONTACT} user { username } ${ERR} } }`;
const REMOVE_EMAIL = `mutation($id: ID!) { removeEmail(input: { id: $id }) { deletedId user { username email emails { value } } ${ERR} } }`;
const VALIDATE_EMAIL = `mutation($id: ID!, $code: String) { validateEmail(input: { id: $id, code: $code }) { ${CONTACT} user { confirmedAt } ${ERR} } }`;
const ADD_PHONE = `mutation($i: AddPhoneInput!) { addPhone(input: $i) { ${CONTACT} ${ERR} } }`;
const REMOVE_PHONE = `mutation($id: ID!) { removePhone(input: { id: $id }) { deletedId user { phones { value } } ${ERR} } }`;
const VALIDATE_PHONE = `mutation($id: ID!, $code: String) { validatePhone(input: { id: $id, code: $code }) { ${CONTACT} ${ERR} } }`;
const SET_PRIMARY = `mutation($id: ID!) { setPrimaryContact(input: { id: $id }) { ${CONTACT} user { email emails { value isPrimary } } ${ERR} } }`;
const ADD_KEY = `mutation($i: AddPublicKeyInput!) { addPublicKey(input: $i) { publicKey { id kind label key fingerprint user { username } } ${ERR} } }`;
const REMOVE_KEY = `mutation($id: ID!) { removePublicKey(input: { id: $id }) { deletedId ${ERR} } }`;
const REVOKE = `mutation($id: ID!) { revokeDevice(input: { id: $id }) { device { id state revokedAt } ${ERR} } }`;

const RSA_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCmjT6NlVIlIGVzTrM3cWLkX6Vt3kPnIoU5u9X0MNZRhZpBa5neOqG9NPSUR0Sxly3nICocQffgyJ8Hshh0EeYvGA91T8yNMWEbzGLokJc1ChkJbgwkJ0vpkipKT178EfoyjM4rsmfGyX+Vmg4rwxnCC/Uptsb1AQFsRgUEYH+kdEM1sDxy4G1phzeFVyAr/73tZitoO9vlDzLQyM5X66ifJPohsAHMH46R0AEVquSsgp/LaUPa+CzlCmFdNEkzRV5jz+lLIl7+njRapSltoVp4GuvpMqh7cnu+FnxWSJsBUTjchvlHKvv/1F+PY5gwE0Di9AjCCYBXC3068XaXyBoZ root@vm';
// As `ssh-keygen -lf` prints them for the keys above.
const RSA_FP = 'SHA256:Mlykls9oJ0zyDY/y/eFRFvrA5s0VWWpbsipLNKMv4WI';
const ECDSA_KEY =
  'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBC84uL7mXMI+wbt57fTwY5J3U+9C25EMW++v5FAHnd5UBZvgYxKBk6EO0BF46IF6/iuf+4cpCYrT2HoCfhfgY503nVqrgrqlYofYR0Xv5GzuiRQAOCXKuZxCFYTVjeVdUw== root@vm';
const ECDSA_FP = 'SHA256:3xWIiRAy+8AciP7UfuebGslYgyIKLPughgsHcASpHtA';

const code = (r: { body: { errors?: { extensions?: { code?: string } }[] } }) => r.body.errors?.[0]?.extensions?.code;

describe.each(DRIVERS)('contacts, keys and devices on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  let alice: UserRow;
  let bob: UserRow;
  let aliceToken: string;
  let bobToken: string;

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    alice = await s.user('alice');
    bob = await s.user('bob');
    aliceToken = await s.tokenFor(alice);
    bobToken = await s.tokenFor(bob);
  });
  afterAll(() => t.close());

  async function codeFor(recipient: string, template: string): Promise<string> {
    const msg = await lastOutbox(t, recipient, template);
    return String(msg!.payload.code);
  }

  describe('emails', () => {
    it('voids a code after 5 wrong tries, so it cannot be guessed', async () => {
      const guesser = await s.user('guesser');
      const token = await s.tokenFor(guesser);
      const add = await t.gql(ADD_EMAIL, { i: { email: 'alice.guess@example.com' } }, { token });
      const id = add.body.data.addEmail.contact.id;
      const sent = String((await lastOutbox(t, 'alice.guess@example.com', 'email_validation'))!.payload.code);
      const wrongCode = sent === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) {
        const r = await t.gql(VALIDATE_EMAIL, { id, code: wrongCode }, { token });
        expect(r.body.data.validateEmail.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'code' });
      }
      const late = await t.gql(VALIDATE_EMAIL, { id, code: sent }, { token });
      expect(late.body.data.validateEmail.userErrors[0].message).toMatch(/Too many wrong codes/);
      const [row] = await t.db.db.select().from(contacts).where(eq(contacts.value, 'alice.guess@example.com'));
      expect(row).toMatchObject({ validatedAt: null, validationCodeHash: null, validationAttempts: 5 });
    });

    it('adds an email, sends a 6-digit code stored as an HMAC under the server key, validates it and makes it primary', async () => {
      const add = await t.gql(ADD_EMAIL, { i: { email: 'alice.work@example.com', label: 'work' } }, { token: aliceToken });
      const c = add.body.data.addEmail;
      expect(c).toMatchObject({ contact: { type: 'EMAIL', value: 'alice.work@example.com', label: 'work', isPrimary: false, validatedAt: null, state: 'ACTIVE' }, user: { username: 'alice' }, userErrors: [] });
      const msg = await lastOutbox(t, 'alice.work@example.com', 'email_validation');
      expect(msg).toMatchObject({ channel: 'email', status: 'pending' });
      const sent = String(msg!.payload.code);
      expect(sent).toMatch(/^\d{6}$/);
      expect(msg!.body).toContain(sent);
      const [row] = await t.db.db.select().from(contacts).where(eq(contacts.value, 'alice.work@example.com'));
      // Not a plain hash of 6 digits (reversed by trying a million): HMAC-SHA256 under the key
      // kept in server_secrets (stored as it is: these tests set no MASTER_KEY).
      expect(row!.validationCodeHash).not.toContain(createHash('sha256').update(sent).digest('hex'));
      const [secret] = await t.db.db.select().from(serverSecrets).where(eq(serverSecrets.purpose, 'validation_code_hmac'));
      const key = Buffer.from(secret!.value, 'base64');
      expect(key).toHaveLength(32);
      expect(row!.validationCodeHash).toBe('h1:' + createHmac('sha256', key).update(`contact-validation-code:${sent}`).digest('hex'));
      expect(msg!.body).toContain('valid for 1 hour');
      expect((await eventsOf(t, 'contact.add'))[0]).toMatchObject({ actorUserId: alice.id, user2Id: alice.id, email: 'alice.work@example.com' });

      // Not primary before it is validated.
      const early = await t.gql(SET_PRIMARY, { id: c.contact.id }, { token: aliceToken });
      expect(early.body.data.setPrimaryContact.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'id' });

      const wrong = await t.gql(VALIDATE_EMAIL, { id: c.contact.id, code: sent === '000000' ? '111111' : '000000' }, { token: aliceToken });
      expect(wrong.body.data.validateEmail.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'code' });
      const none = await t.gql(VALIDATE_EMAIL, { id: c.contact.id }, { token: aliceToken });
      expect(none.body.data.validateEmail.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'code' });

      const ok = await t.gql(VALIDATE_EMAIL, { id: c.contact.id, code: sent }, { token: aliceToken });
      expect(ok.body.data.validateEmail.userErrors).toEqual([]);
      expect(ok.body.data.validateEmail.contact.validatedAt).not.toBeNull();
      expect(ok.body.data.validateEmail.user.confirmedAt).not.toBeNull();
      const [validated] = await t.db.db.select().from(contacts).where(eq(contacts.id, row!.id));
      expect(validated!.validationCodeHash).toBeNull();
      expect((await eventsOf(t, 'contact.validate'))[0]).toMatchObject({ user2Id: alice.id, data: { withCode: true } });

      const primary = await t.gql(SET_PRIMARY, { id: c.contact.id }, { token: aliceToken });
      expect(primary.body.data.setPrimaryContact).toMatchObject({
        contact: { isPrimary: true },
        user: {
          email: 'alice.work@example.com',
          emails: [
            { value: 'alice@example.com', isPrimary: false },
            { value: 'alice.work@example.com', isPrimary: true },
          ],
        },
        userErrors: [],
      });
      expect((await eventsOf(t, 'contact.setPrimary'))[0]).toMatchObject({ user2Id: alice.id, email: 'alice.work@example.com' });
      // Sign-in by the old address still works: it is still hers, just not primary.
      expect(await t.login('alice@example.com', 'alice-password')).toBeTruthy();
    });

    it('refuses an address in use (any case) with CONFLICT, and invalid ones with VALIDATION_FAILED', async () => {
      const dup = await t.gql(ADD_EMAIL, { i: { email: 'BOB@example.com' } }, { token: aliceToken });
      expect(dup.body.data.addEmail).toMatchObject({ contact: null, userErrors: [{ code: 'CONFLICT', field: 'email' }] });
      const bad = await t.gql(ADD_EMAIL, { i: { email: 'nope' } }, { token: aliceToken });
      expect(bad.body.data.addEmail.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'email' });
    });

    it('keeps the primary email while others exist; removes the others, then the last one', async () => {
      const me = (await t.gql(`{ viewer { emails { id value isPrimary } } }`, {}, { token: aliceToken })).body.data.viewer;
      const primary = me.emails.find((e: { isPrimary: boolean }) => e.isPrimary);
      const other = me.emails.find((e: { isPrimary: boolean }) => !e.isPrimary);
      const refused = await t.gql(REMOVE_EMAIL, { id: primary.id }, { token: aliceToken });
      expect(refused.body.data.removeEmail.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'id' });
      const removed = await t.gql(REMOVE_EMAIL, { id: other.id }, { token: aliceToken });
      expect(removed.body.data.removeEmail).toMatchObject({ deletedId: other.id, user: { emails: [{ value: primary.value }] }, userErrors: [] });
      expect((await eventsOf(t, 'contact.remove'))[0]).toMatchObject({ user2Id: alice.id, email: other.value, data: { wasPrimary: false } });
      const last = await t.gql(REMOVE_EMAIL, { id: primary.id }, { token: aliceToken });
      expect(last.body.data.removeEmail).toMatchObject({ user: { email: null, emails: [] }, userErrors: [] });
      // The freed address can be taken by someone else.
      const taken = await t.gql(ADD_EMAIL, { i: { email: primary.value } }, { token: bobToken });
      expect(taken.body.data.addEmail.userErrors).toEqual([]);
    });

    it('lets instance admins add and validate anyone’s email without a code', async () => {
      const add = await t.gql(ADD_EMAIL, { i: { userId: s.gid('User', bob), email: 'bob.admin-added@example.com' } }, { token: ADMIN.token });
      expect(add.body.data.addEmail).toMatchObject({ user: { username: 'bob' }, userErrors: [] });
      const v = await t.gql(VALIDATE_EMAIL, { id: add.body.data.addEmail.contact.id }, { token: ADMIN.token });
      expect(v.body.data.validateEmail.contact.validatedAt).not.toBeNull();
      expect((await eventsOf(t, 'contact.validate'))[0]).toMatchObject({ user2Id: bob.id, data: { withCode: false } });
    });

    it('treats another user’s email as missing, refuses adding to others, and wants a signed-in caller', async () => {
      const bobs = (await t.gql(`{ viewer { emails { id } } }`, {}, { token: bobToken })).body.data.viewer.emails;
      expect(code(await t.gql(REMOVE_EMAIL, { id: bobs[0].id }, { token: aliceToken }))).toBe('NOT_FOUND');
      expect(code(await t.gql(VALIDATE_EMAIL, { id: bobs[0].id, code: '123456' }, { token: aliceToken }))).toBe('NOT_FOUND');
      expect(code(await t.gql(SET_PRIMARY, { id: bobs[0].id }, { token: aliceToken }))).toBe('NOT_FOUND');
      expect(code(await t.gql(ADD_EMAIL, { i: { userId: s.gid('User', bob), email: 'x@example.com' } }, { token: aliceToken }))).toBe('FORBIDDEN');
      expect(code(await t.gql(ADD_EMAIL, { i: { email: 'x@example.com' } }))).toBe('UNAUTHENTICATED');
      expect(code(await t.gql(REMOVE_EMAIL, { id: bobs[0].id }))).toBe('UNAUTHENTICATED');
      expect(code(await t.gql(REMOVE_EMAIL, { id: s.gid('Contact', { id: '00000000-0000-7000-8000-000000000000' }) }, { token: aliceToken }))).toBe('NOT_FOUND');
    });
  });

  describe('phones', () => {
    it('adds a phone (normalized to E.164), texts a code, validates it, makes it primary, removes it', async () => {
      const add = await t.gql(ADD_PHONE, { i: { phone: '+32 475 12-34-56', label: 'mobile' } }, { token: aliceToken });
      const c = add.body.data.addPhone;
      expect(c).toMatchObject({ contact: { type: 'PHONE', value: '+32475123456', label: 'mobile', isPrimary: false }, userErrors: [] });
      const msg = await lastOutbox(t, '+32475123456', 'phone_validation');
      expect(msg).toMatchObject({ channel: 'sms' });
      const dup = await t.gql(ADD_PHONE, { i: { phone: '+32475123456' } }, { token: aliceToken });
      expect(dup.body.data.addPhone.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: 'phone' });
      const bad = await t.gql(ADD_PHONE, { i: { phone: '0475 12 34 56' } }, { token: aliceToken });
      expect(bad.body.data.addPhone.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'phone' });
      // Contacts take E.164 only: the "+" is not optional here (invitations alone normalise it).
      for (const phone of ['32475123456', '+3247512345678901']) {
        const r = await t.gql(ADD_PHONE, { i: { phone } }, { token: aliceToken });
        expect(r.body.data.addPhone.userErrors[0], phone).toMatchObject({ code: 'VALIDATION_FAILED', field: 'phone' });
      }
      // A NUL cannot be stored: refused before the service runs (core/input-guard.ts).
      expect((await t.gql(ADD_PHONE, { i: { phone: '+32475\u0000123456' } }, { token: aliceToken })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');

      // An email id is not a phone.
      const email = await t.gql(ADD_EMAIL, { i: { email: 'alice.phonetest@example.com' } }, { token: aliceToken });
      expect(code(await t.gql(VALIDATE_PHONE, { id: email.body.data.addEmail.contact.id, code: '1' }, { token: aliceToken }))).toBe('NOT_FOUND');

      const v = await t.gql(VALIDATE_PHONE, { id: c.contact.id, code: await codeFor('+32475123456', 'phone_validation') }, { token: aliceToken });
      expect(v.body.data.validatePhone).toMatchObject({ contact: { validatedAt: expect.any(String) }, userErrors: [] });
      const p = await t.gql(SET_PRIMARY, { id: c.contact.id }, { token: aliceToken });
      expect(p.body.data.setPrimaryContact.contact.isPrimary).toBe(true);

      // A second validated phone takes over as primary; the old one is unset in the same transaction.
      const add2 = await t.gql(ADD_PHONE, { i: { phone: '+32475000000' } }, { token: aliceToken });
      const id2 = add2.body.data.addPhone.contact.id;
      await t.gql(VALIDATE_PHONE, { id: id2, code: await codeFor('+32475000000', 'phone_validation') }, { token: aliceToken });
      expect((await t.gql(SET_PRIMARY, { id: id2 }, { token: aliceToken })).body.data.setPrimaryContact.userErrors).toEqual([]);
      const phones = (await t.gql(`{ viewer { phones { value isPrimary } } }`, {}, { token: aliceToken })).body.data.viewer.phones;
      expect(phones).toEqual([
        { value: '+32475123456', isPrimary: false },
        { value: '+32475000000', isPrimary: true },
      ]);

      expect((await t.gql(REMOVE_PHONE, { id: id2 }, { token: aliceToken })).body.data.removePhone.userErrors[0].code).toBe('PRECONDITION_FAILED');
      const r = await t.gql(REMOVE_PHONE, { id: c.contact.id }, { token: aliceToken });
      expect(r.body.data.removePhone).toMatchObject({ user: { phones: [{ value: '+32475000000' }] }, userErrors: [] });
      expect((await eventsOf(t, 'contact.remove'))[0]).toMatchObject({ email: null, data: { type: 'phone' } });
      expect(code(await t.gql(REMOVE_PHONE, { id: id2 }, { token: bobToken }))).toBe('NOT_FOUND');
      expect(code(await t.gql(ADD_PHONE, { i: { phone: '+32475999999' } }))).toBe('UNAUTHENTICATED');
    });

    it('refuses an expired code', async () => {
      const add = await t.gql(ADD_PHONE, { i: { phone: '+15551234567' } }, { token: bobToken });
      const id = add.body.data.addPhone.contact.id;
      const sent = await codeFor('+15551234567', 'phone_validation');
      await t.db.db
        .update(contacts)
        // Past VALIDATION_CODE_TTL_S (default 1 hour).
        .set({ validationSentAt: new Date(Date.now() - 61 * 60_000) })
        .where(eq(contacts.value, '+15551234567'));
      const r = await t.gql(VALIDATE_PHONE, { id, code: sent }, { token: bobToken });
      expect(r.body.data.validatePhone.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'code' });
    });
  });

  describe('public keys', () => {
    it('adds SSH keys of each type with the fingerprint ssh-keygen prints, and removes them', async () => {
      const rsa = await t.gql(ADD_KEY, { i: { kind: 'SSH', key: `  ${RSA_KEY}\n`, label: 'rsa' } }, { token: aliceToken });
      expect(rsa.body.data.addPublicKey).toMatchObject({ publicKey: { kind: 'SSH', label: 'rsa', key: RSA_KEY, fingerprint: RSA_FP, user: { username: 'alice' } }, userErrors: [] });
      // Without a label, the key's comment is the title.
      const ec = await t.gql(ADD_KEY, { i: { kind: 'SSH', key: ECDSA_KEY } }, { token: aliceToken });
      expect(ec.body.data.addPublicKey.publicKey).toMatchObject({ label: 'root@vm', fingerprint: ECDSA_FP });
      expect((await eventsOf(t, 'publicKey.add'))[0]).toMatchObject({ actorUserId: alice.id, user2Id: alice.id, data: { kind: 'ssh', fingerprint: ECDSA_FP } });

      const id = rsa.body.data.addPublicKey.publicKey.id;
      const r = await t.gql(REMOVE_KEY, { id }, { token: aliceToken });
      expect(r.body.data.removePublicKey).toEqual({ deletedId: id, userErrors: [] });
      expect((await eventsOf(t, 'publicKey.remove'))[0]).toMatchObject({ user2Id: alice.id, data: { fingerprint: RSA_FP } });
      expect(code(await t.gql(REMOVE_KEY, { id }, { token: aliceToken }))).toBe('NOT_FOUND');
      // Once removed, the same key can be added again (by anyone).
      expect((await t.gql(ADD_KEY, { i: { kind: 'SSH', key: RSA_KEY, label: 'rsa' } }, { token: bobToken })).body.data.addPublicKey.userErrors).toEqual([]);
    });

    it('refuses a key already in use by anyone (CONFLICT on key) and a repeated label (CONFLICT on label)', async () => {
      const key = newEd25519Key('dup');
      expect((await t.gql(ADD_KEY, { i: { kind: 'SSH', key } }, { token: aliceToken })).body.data.addPublicKey.userErrors).toEqual([]);
      const other = await t.gql(ADD_KEY, { i: { kind: 'SSH', key: key.replace(' dup', ' another-comment'), label: 'mine' } }, { token: bobToken });
      expect(other.body.data.addPublicKey).toMatchObject({ publicKey: null, userErrors: [{ code: 'CONFLICT', field: 'key' }] });
      const label = await t.gql(ADD_KEY, { i: { kind: 'SSH', key: newEd25519Key(), label: 'dup' } }, { token: aliceToken });
      expect(label.body.data.addPublicKey.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: 'label' });
    });

    it('refuses keys that do not parse, with VALIDATION_FAILED on key', async () => {
      const good = newEd25519Key();
      const [type, b64] = good.split(' ');
      const bad = [
        'not a key',
        'ssh-dss AAAAB3NzaC1kc3MAAACBAP',
        `${type} ${b64!.slice(0, -4)}`,
        `${type} ${b64}!!`,
        `ssh-rsa ${b64}`,
        `${type}`,
        `${type} ${Buffer.from('garbage').toString('base64')}`,
      ];
      for (const key of bad) {
        const r = await t.gql(ADD_KEY, { i: { kind: 'SSH', key, label: 'x' } }, { token: aliceToken });
        expect(r.body.data.addPublicKey.userErrors, key).toEqual([expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'key' })]);
      }
      const noLabel = await t.gql(ADD_KEY, { i: { kind: 'SSH', key: newEd25519Key() } }, { token: aliceToken });
      expect(noLabel.body.data.addPublicKey.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'label' });
    });

    it('stores labelled keys as given, fingerprinted by their text', async () => {
      const key = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----';
      const r = await t.gql(ADD_KEY, { i: { kind: 'LABELLED', key, label: 'signing' } }, { token: aliceToken });
      expect(r.body.data.addPublicKey.publicKey).toMatchObject({ kind: 'LABELLED', key, label: 'signing', fingerprint: expect.stringMatching(/^SHA256:/) });
      // The same text under another user is fine: only SSH fingerprints are unique system-wide.
      expect((await t.gql(ADD_KEY, { i: { kind: 'LABELLED', key, label: 'signing' } }, { token: bobToken })).body.data.addPublicKey.userErrors).toEqual([]);
    });

    it('lets admins manage anyone’s keys; others get FORBIDDEN on visible keys; anonymous UNAUTHENTICATED', async () => {
      const byAdmin = await t.gql(ADD_KEY, { i: { userId: s.gid('User', bob), kind: 'SSH', key: newEd25519Key(), label: 'from-admin' } }, { token: ADMIN.token });
      const id = byAdmin.body.data.addPublicKey.publicKey.id;
      expect(byAdmin.body.data.addPublicKey.publicKey.user.username).toBe('bob');
      expect(code(await t.gql(REMOVE_KEY, { id }, { token: aliceToken }))).toBe('FORBIDDEN');
      expect(code(await t.gql(ADD_KEY, { i: { userId: s.gid('User', bob), kind: 'SSH', key: newEd25519Key(), label: 'x' } }, { token: aliceToken }))).toBe('FORBIDDEN');
      expect(code(await t.gql(ADD_KEY, { i: { kind: 'SSH', key: newEd25519Key(), label: 'x' } }))).toBe('UNAUTHENTICATED');
      expect(code(await t.gql(REMOVE_KEY, { id }))).toBe('UNAUTHENTICATED');
      expect((await t.gql(REMOVE_KEY, { id }, { token: ADMIN.token })).body.data.removePublicKey.userErrors).toEqual([]);
    });
  });

  describe('devices', () => {
    it('revokes a device once (state, revokedAt, event); again changes nothing', async () => {
      const d = await addDevice(t, alice, 'tablet');
      const id = s.gid('Device', d);
      const r = await t.gql(REVOKE, { id }, { token: aliceToken });
      expect(r.body.data.revokeDevice).toMatchObject({ device: { id, state: 'REVOKED', revokedAt: expect.any(String) }, userErrors: [] });
      const [ev] = await eventsOf(t, 'device.revoke');
      expect(ev).toMatchObject({ actorUserId: alice.id, user2Id: alice.id, deviceId: d.id });
      const again = await t.gql(REVOKE, { id }, { token: aliceToken });
      expect(again.body.data.revokeDevice.device.revokedAt).toBe(r.body.data.revokeDevice.device.revokedAt);
      expect(await eventsOf(t, 'device.revoke')).toHaveLength(1);
      // The event links back to the device, for its user only.
      const q = `{ eventLogs(filter: { actionIn: ["device.revoke"] }) { nodes { device { name state } } } }`;
      expect((await t.gql(q, {}, { token: aliceToken })).body.data.eventLogs.nodes).toEqual([{ device: { name: 'tablet', state: 'REVOKED' } }]);
      expect((await t.gql(q, {}, { token: await s.tokenFor(bob) })).body.data.eventLogs.nodes).toEqual([]);
    });

    it('answers NOT_FOUND for someone else’s device, lets admins revoke it, and wants a signed-in caller', async () => {
      const d = await addDevice(t, bob, 'bob-laptop');
      const id = s.gid('Device', d);
      expect(code(await t.gql(REVOKE, { id }, { token: aliceToken }))).toBe('NOT_FOUND');
      expect(code(await t.gql(REVOKE, { id }))).toBe('UNAUTHENTICATED');
      expect(code(await t.gql(REVOKE, { id: s.gid('Device', { id: '00000000-0000-7000-8000-000000000000' }) }, { token: ADMIN.token }))).toBe('NOT_FOUND');
      const r = await t.gql(REVOKE, { id }, { token: ADMIN.token });
      expect(r.body.data.revokeDevice.device.state).toBe('REVOKED');
    });
  });
});
