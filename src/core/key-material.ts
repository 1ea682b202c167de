// Key material as clients send it (public keys, encrypted private keys, encrypted message keys,
// signed sigchain transactions): the server stores it exactly as given and can decrypt none of
// it, so the one thing it checks is the form — base64 text of a bounded size, and transactions
// as bounded JSON objects. The one rule for every module that accepts key material, and for the
// REST schemas (the same pattern and bounds).
import { DomainError, validation } from './errors.js';

/**
 * Base64 text, standard or URL-safe alphabet, padding optional and only at the end (Seald's SDKs
 * send both alphabets). The alphabet is what is checked: the server never decodes it.
 */
export const BASE64_PATTERN_SOURCE = '^[A-Za-z0-9+/_-]+={0,2}$';
const BASE64 = new RegExp(BASE64_PATTERN_SOURCE);

/** Size bounds in characters of base64 (4/3 of the decoded bytes). */
export const KEY_LIMITS = {
  /** A public key: Seald documents 10–2048 characters (RSA-4096 SPKI: about 740). */
  publicKey: 2048,
  /** A group's encrypted private key, or a device's copy of a group key: Seald documents 10–4096. */
  encryptedKey: 4096,
  /** An encrypted message key (a 64-byte symmetric key under RSA-4096: 684 characters). */
  messageKey: 8 * 1024,
  /** An encrypted key pair with no documented bound (admin keys, backup keys). */
  privateKey: 64 * 1024,
} as const;

/** The shortest key (public or private) taken: anything shorter is no key of any scheme. */
export const KEY_MIN = 10;

/** Whether `value` is base64 text (either alphabet). */
export function isBase64(value: string): boolean {
  return BASE64.test(value);
}

/** Whether `value` is non-empty base64 of at most `maxChars` characters. */
export function isKeyMaterial(value: string, maxChars: number): boolean {
  return value.length > 0 && value.length <= maxChars && BASE64.test(value);
}

/**
 * `value` as key material of `minChars`..`maxChars` characters: PAYLOAD_TOO_LARGE on `field` when
 * too long (an oversized key is a body problem, 413), VALIDATION_FAILED when too short or not base64.
 */
export function checkKeyMaterial(value: string, field: string, maxChars: number, minChars = 1): string {
  if (value.length > maxChars) throw new DomainError('PAYLOAD_TOO_LARGE', `Must be at most ${maxChars} characters`, field);
  if (value.length < minChars) throw validation(field, `Must be at least ${minChars} characters`);
  if (!BASE64.test(value)) throw validation(field, 'Must be base64');
  return value;
}

/** The JSON schema of a key-material string field (REST routes): the same pattern and bound. */
export const keyMaterialSchema = (maxChars: number) => ({ type: 'string', minLength: 1, maxLength: maxChars, pattern: BASE64_PATTERN_SOURCE });

/** The largest signed transaction (sigchain entry) accepted, as JSON. */
export const MAX_TRANSACTION_BYTES = 16 * 1024;

/** A sigchain transaction as the SDK sent it: a JSON object of at most MAX_TRANSACTION_BYTES. */
export function checkTransaction(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw validation(field, 'Must be a JSON object');
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_TRANSACTION_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', `Must be at most ${MAX_TRANSACTION_BYTES} bytes of JSON`, field);
  return value as Record<string, unknown>;
}
