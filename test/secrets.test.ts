// Secrets at rest: core/auth/sealed.ts (AES-256-GCM under MASTER_KEY, bound to a purpose), the
// JWT signing key and the validation-code key sealed when MASTER_KEY is set (and stored as they
// are when it is not: the honest default), a key stored before MASTER_KEY sealed at the next
// start, and a start without the key refusing a sealed database; TOTP, team JWT and webhook
// secrets sealed too (new ones at once, those stored in the clear at the next start).
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { authenticator } from 'otplib';
import { afterAll, describe, expect, it } from 'vitest';
import { signingKeys } from '../schema/auth.js';
import { jwtSharedSecrets, userTotp } from '../schema/dashboard.js';
import { organizations } from '../schema/organizations.js';
import { webhooks } from '../schema/webhooks.js';
import { insertJwtSecret } from '../src/modules/dashboard/dashboard.repo.js';
import { insertWebhook } from '../src/modules/webhooks/webhook.repo.js';
import { serverSecrets } from '../schema/secrets.js';
import { isSealed, seal, unseal } from '../src/core/auth/sealed.js';
import { ConfigError, loadConfig, masterKeyBytes } from '../src/config.js';
import { ADMIN, DRIVERS, openTestDatabase, startTestGateway, type TestGateway } from './helpers/gateway.js';

describe('sealed values', () => {
  const key = randomBytes(32);

  it('open with their key and purpose only, and not once altered', () => {
    const s = seal('the secret', key, 'purpose-a');
    expect(isSealed(s)).toBe(true);
    expect(s).not.toContain('the secret');
    expect(unseal(s, key, 'purpose-a').toString()).toBe('the secret');
    // A fresh nonce each time: the same plaintext seals differently.
    expect(seal('the secret', key, 'purpose-a')).not.toBe(s);
    expect(() => unseal(s, randomBytes(32), 'purpose-a')).toThrow(/does not open/);
    expect(() => unseal(s, key, 'purpose-b')).toThrow(/does not open/);
    const raw = Buffer.from(s.slice('sealed:v1:'.length), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => unseal('sealed:v1:' + raw.toString('base64url'), key, 'purpose-a')).toThrow(/does not open/);
    expect(() => unseal('sealed:v1:abc', key, 'purpose-a')).toThrow(/truncated/);
    expect(() => seal('x', randomBytes(16), 'p')).toThrow(/32 bytes/);
  });

  it('MASTER_KEY takes 32 bytes as hex or base64, nothing else', () => {
    expect(masterKeyBytes('ab'.repeat(32))).toHaveLength(32);
    expect(masterKeyBytes(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(masterKeyBytes(randomBytes(32).toString('base64url'))).toHaveLength(32);
    expect(masterKeyBytes('ab'.repeat(31))).toBeNull();
    expect(masterKeyBytes(randomBytes(24).toString('base64'))).toBeNull();
    expect(masterKeyBytes('not a key')).toBeNull();
  });
});

describe.each(DRIVERS)('secrets at rest on %s', (driver) => {
  const MASTER = randomBytes(32).toString('hex');
  const gateways: TestGateway[] = [];
  afterAll(async () => {
    // The database handle is shared: close the gateway that owns it last.
    for (const g of gateways.reverse()) await g.close().catch(() => {});
  });

  it('are stored as they are without MASTER_KEY, sealed once it is set, and refuse a start without it', async () => {
    const database = await openTestDatabase(driver);
    const plain = await startTestGateway(driver, { database });
    gateways.push(plain);
    const [key] = await plain.db.db.select().from(signingKeys);
    // The default, honestly: readable by whoever reads the table.
    expect(key!.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    const [hmac] = await plain.db.db.select().from(serverSecrets);
    expect(isSealed(hmac!.value)).toBe(false);
    const before = await plain.login(ADMIN.username, ADMIN.password);

    // A second process with MASTER_KEY seals what the first stored; tokens signed before still verify.
    const sealed = await startTestGateway(driver, { database, env: { MASTER_KEY: MASTER } });
    gateways.push(sealed);
    const [key2] = await sealed.db.db.select().from(signingKeys);
    expect(isSealed(key2!.privateKeyPem)).toBe(true);
    expect(key2!.privateKeyPem).not.toContain('PRIVATE KEY');
    expect(key2!.publicKeyPem).toBe(key!.publicKeyPem);
    const [hmac2] = await sealed.db.db.select().from(serverSecrets);
    expect(isSealed(hmac2!.value)).toBe(true);
    expect((await sealed.gql(`{ viewer { username } }`, {}, { token: before })).body.data.viewer.username).toBe(ADMIN.username);
    const after = await sealed.login(ADMIN.username, ADMIN.password);
    expect((await plain.gql(`{ viewer { username } }`, {}, { token: after })).body.data.viewer.username).toBe(ADMIN.username);

    // Another key, or none, cannot read the sealed key: the start stops and says why.
    await expect(startTestGateway(driver, { database: { ...database, close: async () => {} }, env: { MASTER_KEY: 'cd'.repeat(32) } })).rejects.toThrow(/does not open with this MASTER_KEY/);
    await expect(startTestGateway(driver, { database: { ...database, close: async () => {} } })).rejects.toThrow(/sealed: set MASTER_KEY/);
  });

  it('seals TOTP secrets under MASTER_KEY; a factor set up before it keeps working', async () => {
    const codeAt = (secret: string, steps: number) => authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);
    const database = await openTestDatabase(driver);
    const plain = await startTestGateway(driver, { database });
    gateways.push(plain);
    const setUp = async (g: TestGateway, username: string) => {
      const user = await g.createUser({ username, password: `${username}-password`, email: `${username}@example.com` });
      const token = await g.login(username, `${username}-password`);
      const secret = (await g.gql(`mutation { setUpTwoFactor { secret } }`, {}, { token })).body.data.setUpTwoFactor.secret as string;
      const confirmed = await g.gql(`mutation($i: TwoFactorCodeInput!) { confirmTwoFactor(input: $i) { recoveryCodes userErrors { code } } }`, { i: { otp: codeAt(secret, 0) } }, { token });
      expect(confirmed.body.data.confirmTwoFactor.userErrors).toEqual([]);
      const [row] = await g.db.db.select().from(userTotp).where(eq(userTotp.userId, user.id));
      return { secret, stored: row!.secret };
    };
    const signIn = (g: TestGateway, username: string, otp: string) =>
      g.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { code } } }`, { i: { login: username, password: `${username}-password`, otp } });
    // Without MASTER_KEY: stored as it is (the honest default) — a factor, a team's JWT secret, a webhook's.
    const before = await setUp(plain, 'totp-before');
    expect(before.stored).toBe(before.secret);
    const [org] = await plain.db.db.select().from(organizations).where(eq(organizations.slug, 'default'));
    const jwt = await insertJwtSecret(plain.db.db, { organizationId: org!.id, sharedSecret: 'a-team-jwt-secret-in-the-clear', permissions: [-1] });
    const hook = await insertWebhook(plain.db.db, { organizationId: org!.id, url: 'https://hooks.example.com/in', secret: 'whsec_in_the_clear' });
    // With it: what was stored in the clear is sealed at the start, a new factor's secret is sealed, and codes of both factors sign in.
    const sealed = await startTestGateway(driver, { database, env: { MASTER_KEY: MASTER } });
    gateways.push(sealed);
    const [beforeRow] = await sealed.db.db.select().from(userTotp).where(eq(userTotp.secret, before.stored));
    expect(beforeRow, 'the clear TOTP secret is gone').toBeUndefined();
    const [jwtRow] = await sealed.db.db.select().from(jwtSharedSecrets).where(eq(jwtSharedSecrets.id, jwt.id));
    expect(isSealed(jwtRow!.sharedSecret) && unseal(jwtRow!.sharedSecret, Buffer.from(MASTER, 'hex'), 'team jwt secret').toString()).toBe('a-team-jwt-secret-in-the-clear');
    const [hookRow] = await sealed.db.db.select().from(webhooks).where(eq(webhooks.id, hook.id));
    expect(isSealed(hookRow!.secret) && unseal(hookRow!.secret, Buffer.from(MASTER, 'hex'), 'webhook secret').toString()).toBe('whsec_in_the_clear');
    const after = await setUp(sealed, 'totp-after');
    expect(isSealed(after.stored)).toBe(true);
    expect(after.stored).not.toContain(after.secret);
    expect((await signIn(sealed, 'totp-after', codeAt(after.secret, 1))).body.data.login.accessToken).toEqual(expect.any(String));
    expect((await signIn(sealed, 'totp-before', codeAt(before.secret, 1))).body.data.login.accessToken).toEqual(expect.any(String));
    // A wrong code is still refused.
    expect((await signIn(sealed, 'totp-after', codeAt(before.secret, 1))).body.data.login.accessToken).toBeNull();
  });

  it('a first start with MASTER_KEY never stores the key in the clear', async () => {
    const g = await startTestGateway(driver, { env: { MASTER_KEY: MASTER } });
    gateways.push(g);
    const [key] = await g.db.db.select().from(signingKeys);
    expect(isSealed(key!.privateKeyPem)).toBe(true);
    const [hmac] = await g.db.db.select().from(serverSecrets);
    expect(isSealed(hmac!.value)).toBe(true);
    const tok = await g.login(ADMIN.username, ADMIN.password);
    expect((await g.gql(`{ viewer { username } }`, {}, { token: tok })).body.data.viewer.username).toBe(ADMIN.username);
  });
});

// The settings this work added refuse what they cannot mean, by name (never echoing a secret).
describe('settings of sessions, links, secrets and passwords', () => {
  it('read and default', () => {
    const d = loadConfig({});
    expect(d).toMatchObject({ publicUrl: undefined, masterKey: undefined, validationCodeSecret: undefined, validationCodeTtlMs: 3_600_000, passwordPolicy: { minLength: 8, refuseCommon: true } });
    const c = loadConfig({
      PUBLIC_URL: 'https://id.example.com/',
      MASTER_KEY: 'ab'.repeat(32),
      VALIDATION_CODE_SECRET: 's'.repeat(32),
      VALIDATION_CODE_TTL_S: '600',
      PASSWORD_MIN_LENGTH: '12',
      PASSWORD_REFUSE_COMMON: 'false',
    });
    expect(c).toMatchObject({ publicUrl: 'https://id.example.com', validationCodeSecret: 's'.repeat(32), validationCodeTtlMs: 600_000, passwordPolicy: { minLength: 12, refuseCommon: false } });
    expect(c.masterKey).toEqual(Buffer.from('ab'.repeat(32), 'hex'));
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:8080' }).publicUrl).toBe('http://localhost:8080');
  });

  const BAD: Record<string, string[]> = {
    PUBLIC_URL: ['evil.example', 'ftp://id.example.com', 'https://id.example.com/base', 'https://id.example.com/?x=1', 'https://u:p@id.example.com', 'https://id.example.com#x', 'https://id.example.com/\u0000'],
    MASTER_KEY: ['secret-master-key', 'ab'.repeat(31), 'ab'.repeat(33), `${'ab'.repeat(32)}\u0000`],
    VALIDATION_CODE_SECRET: ['too-short-secret-value'],
    VALIDATION_CODE_TTL_S: ['many', '-1', '59', '1e400', '1.5', '1\u0000'],
    PASSWORD_MIN_LENGTH: ['many', '7', '129', '1.5', '8\u0000'],
    PASSWORD_REFUSE_COMMON: ['maybe', 'true\u0000'],
  };
  for (const [name, values] of Object.entries(BAD)) {
    it(`refuses bad values of ${name}`, () => {
      for (const bad of values) {
        let problems = '';
        try {
          loadConfig({ [name]: bad });
        } catch (err) {
          problems = (err as ConfigError).problems.join('\n');
        }
        expect(problems, `${name}=${JSON.stringify(bad)}`).toMatch(new RegExp(`^${name}:`));
        if (name === 'MASTER_KEY' || name === 'VALIDATION_CODE_SECRET') expect(problems).not.toContain(bad);
      }
    });
  }
});
