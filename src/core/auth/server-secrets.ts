// Secrets and settings the services need beyond a request's context: the key that turns contact
// validation codes into HMACs, how long a code lives, and the password policy. Loaded once at
// start (gateway.ts) and kept per database handle, as the credential cache is, so gateways in
// one process (tests) never share them.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { serverSecrets } from '../../../schema/secrets.js';
import type { Config } from '../../config.js';
import type { Database } from '../db.js';
import { openStored, isSealed, storedForm } from './sealed.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './password-policy.js';

export interface ServerSettings {
  /** HMAC-SHA256 key of contact validation codes. */
  codeKey: Buffer;
  codeTtlMs: number;
  passwordPolicy: PasswordPolicy;
  /** MASTER_KEY, which seals secrets the services keep (sealed.ts); undefined: stored as they are. */
  masterKey?: Buffer;
}

const settings = new WeakMap<Database, ServerSettings>();

export function registerServerSettings(db: Database, s: ServerSettings): void {
  settings.set(db, s);
}

/** The settings of the gateway on this database; fails loudly if it was never started on it. */
export function serverSettingsOf(db: Database): ServerSettings {
  const s = settings.get(db);
  if (!s) throw new Error('Server settings were not loaded for this database (startGateway loads them)');
  return s;
}

/**
 * A transaction opened on `db` answers serverSettingsOf as `db` does (services run on a
 * transaction when a caller makes several of their changes one: context.ts transactionContext).
 */
export function shareServerSettings(db: Database, tx: Database): void {
  const s = settings.get(db);
  if (s) settings.set(tx, s);
}

/** The master key of the gateway on this database (undefined: none set, or a tool that starts no gateway). */
export const masterKeyOf = (db: Database): Buffer | undefined => settings.get(db)?.masterKey;

/**
 * A secret the services keep (TOTP secrets, team JWT secrets, webhook signing secrets), as the
 * gateway on `db` stores it: sealed under its master key when it has one (sealed.ts), bound to
 * `purpose`. Call with the request's handle, not a transaction opened on it.
 */
export const storeSecret = (db: Database, plaintext: string, purpose: string): string => storedForm(plaintext, masterKeyOf(db), purpose);

/** The plaintext of a secret stored by storeSecret (or before MASTER_KEY was set: as it is). */
export const openSecret = (db: Database, stored: string, purpose: string): string => openStored(stored, masterKeyOf(db), purpose);

/** The password policy of the gateway on this database; the defaults for tools that start none. */
export const passwordPolicyOf = (db: Database): PasswordPolicy => settings.get(db)?.passwordPolicy ?? DEFAULT_PASSWORD_POLICY;

/**
 * The secret stored for `purpose` (generated, 32 random bytes, on the first start), opened with
 * the master key when sealed. With a master key, a secret stored before it was set is sealed
 * now. Two processes may race on the first start: the insert that loses is ignored and both
 * read back the winner's secret.
 */
export async function loadOrCreateSecret(db: Database, purpose: string, masterKey: Buffer | undefined): Promise<Buffer> {
  const read = async () => (await db.select().from(serverSecrets).where(eq(serverSecrets.purpose, purpose)))[0];
  let row = await read();
  if (!row) {
    await db.insert(serverSecrets).values({ purpose, value: storedForm(randomBytes(32).toString('base64'), masterKey, purpose) }).onConflictDoNothing();
    row = (await read())!;
  }
  const plain = openStored(row.value, masterKey, purpose);
  if (masterKey && !isSealed(row.value)) await db.update(serverSecrets).set({ value: storedForm(plain, masterKey, purpose) }).where(eq(serverSecrets.purpose, purpose));
  return Buffer.from(plain, 'base64');
}

/**
 * Loads this gateway's settings for the services on `db` (the validation-code key from
 * VALIDATION_CODE_SECRET, else the one kept in the database) and registers them.
 */
export async function loadServerSettings(db: Database, config: Pick<Config, 'validationCodeSecret' | 'validationCodeTtlMs' | 'passwordPolicy' | 'masterKey'>): Promise<void> {
  registerServerSettings(db, {
    codeKey: config.validationCodeSecret ? Buffer.from(config.validationCodeSecret, 'utf8') : await loadOrCreateSecret(db, 'validation_code_hmac', config.masterKey),
    codeTtlMs: config.validationCodeTtlMs,
    passwordPolicy: config.passwordPolicy,
    masterKey: config.masterKey,
  });
}
