// Key material as clients send it (Seald's public keys, encrypted private keys, encrypted
// message keys, signed transactions): checked for shape and size and stored as given. The
// server never decrypts it, so "valid" means base64 of a sane length, nothing more.
import { DomainError, validation } from './errors.js';

// Standard or URL-safe base64, padding optional (Seald's SDK sends both alphabets).
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Whether `value` is base64 text (either alphabet, padding optional, only at the end). The
 * alphabet is what is checked: clients may send unpadded or truncated-looking encodings of
 * their own formats, and the server never decodes them.
 */
export function isBase64(value: string): boolean {
  return BASE64.test(value);
}

/**
 * `value` as key material of `min`..`max` characters: VALIDATION_FAILED on `field` when it is not
 * base64 or too short, PAYLOAD_TOO_LARGE when too long (an oversized key is a body problem, 413).
 */
export function checkKeyMaterial(value: string, field: string, min: number, max: number): string {
  if (value.length > max) throw new DomainError('PAYLOAD_TOO_LARGE', `Must be at most ${max} characters`, field);
  if (value.length < min) throw validation(field, `Must be at least ${min} characters`);
  if (!isBase64(value)) throw validation(field, 'Must be base64');
  return value;
}

/** The largest signed transaction (sigchain entry) accepted, as JSON. */
export const MAX_TRANSACTION_BYTES = 16 * 1024;

/** A sigchain transaction as the SDK sent it: a JSON object of at most MAX_TRANSACTION_BYTES. */
export function checkTransaction(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw validation(field, 'Must be a JSON object');
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_TRANSACTION_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', `Must be at most ${MAX_TRANSACTION_BYTES} bytes of JSON`, field);
  return value as Record<string, unknown>;
}
