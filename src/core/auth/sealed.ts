// Secrets kept in the database, sealed with MASTER_KEY: AES-256-GCM (node:crypto), a fresh
// 96-bit nonce per seal, the 128-bit tag checked on unseal. The purpose of the secret is the
// additional authenticated data, so a sealed value only opens for the purpose it was sealed
// for (a signing key's row pasted into another secret's fails). The text form names its version
// (`sealed:v1:<base64url(nonce | tag | ciphertext)>`), so a later scheme or key rotation can
// tell old values apart.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** How every sealed value begins (its scheme and version). */
export const SEALED_PREFIX = 'sealed:v1:';
const PREFIX = SEALED_PREFIX;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

export function seal(plaintext: string | Buffer, masterKey: Buffer, purpose: string): string {
  if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return PREFIX + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url');
}

/** The plaintext of a sealed value; throws when the key or purpose is wrong or the value was altered. */
export function unseal(sealed: string, masterKey: Buffer, purpose: string): Buffer {
  if (!isSealed(sealed)) throw new Error('Not a sealed value');
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new Error('Sealed value is truncated');
  const decipher = createDecipheriv('aes-256-gcm', masterKey, raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new Error(`The sealed ${purpose} does not open with this MASTER_KEY (wrong key, or the value was altered)`);
  }
}

/** How a secret is stored: sealed when there is a master key, else as it is. */
export const storedForm = (plaintext: string, masterKey: Buffer | undefined, purpose: string): string => (masterKey ? seal(plaintext, masterKey, purpose) : plaintext);

/**
 * The plaintext of a stored secret, sealed or not. A sealed one without a master key stops the
 * start with a message that says so (the operator removed MASTER_KEY).
 */
export function openStored(stored: string, masterKey: Buffer | undefined, purpose: string): string {
  if (!isSealed(stored)) return stored;
  if (!masterKey) throw new Error(`The stored ${purpose} is sealed: set MASTER_KEY to the key it was sealed with`);
  return unseal(stored, masterKey, purpose).toString('utf8');
}
