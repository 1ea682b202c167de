// Key material the clients encrypt (message keys, encrypted private keys, public keys): the
// server stores it exactly as given and can decrypt none of it, so the one thing it checks is
// the form — canonical standard base64 (padding included) of a bounded size. Used by every
// module that accepts key material, and by the REST schemas (the same pattern and bounds).
import { validation } from './errors.js';

/** Standard base64 with padding: groups of four, no whitespace (the SDKs' encoding). */
export const BASE64_PATTERN_SOURCE = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
const BASE64 = new RegExp(BASE64_PATTERN_SOURCE);

/** Size bounds in characters of base64 (4/3 of the decoded bytes). */
export const KEY_LIMITS = {
  /** An encrypted message key (a 64-byte symmetric key under RSA-4096: 684 characters). */
  messageKey: 8 * 1024,
  /** A public key (RSA-4096 SPKI: about 740 characters). */
  publicKey: 8 * 1024,
  /** An encrypted private key or key pair (admin keys, backup keys). */
  privateKey: 64 * 1024,
} as const;

/** Whether `value` is non-empty canonical base64 of at most `maxChars` characters. */
export function isKeyMaterial(value: string, maxChars: number): boolean {
  return value.length > 0 && value.length <= maxChars && BASE64.test(value);
}

/** Throws VALIDATION_FAILED on `field` unless `value` is key material within `maxChars`. */
export function checkKeyMaterial(value: string, field: string, maxChars: number): string {
  if (value.length > maxChars) throw validation(field, `Ensure this field has no more than ${maxChars} characters.`);
  if (!isKeyMaterial(value, maxChars)) throw validation(field, 'Must be base64 (standard alphabet, padded).');
  return value;
}

/** The JSON schema of a key-material string field (REST routes): same pattern and bound. */
export const keyMaterialSchema = (maxChars: number) => ({ type: 'string', minLength: 1, maxLength: maxChars, pattern: BASE64_PATTERN_SOURCE });
