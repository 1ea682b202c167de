// What a new password must be (sign-up, password change, an admin setting one): long enough
// (PASSWORD_MIN_LENGTH; at most 1024 characters, since argon2's work grows with the input), not
// one of the most common passwords (PASSWORD_REFUSE_COMMON: the ranked list of
// @zxcvbn-ts/language-common, ~49,000 passwords from public breach corpora, compared
// case-insensitively), and not the account's own username, email address or its local part.
// Signing in never applies it: an older password keeps working until it is changed.
import { validation } from '../errors.js';

export interface PasswordPolicy {
  minLength: number;
  refuseCommon: boolean;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = Object.freeze({ minLength: 8, refuseCommon: true });
export const MAX_PASSWORD_LENGTH = 1024;

/** The account a password is for: what it must not equal. */
export interface PasswordOwner {
  username?: string | null;
  emails?: readonly (string | null | undefined)[];
}

// Loaded on the first check, not at start: ~70 ms and a few MB that a gateway which never sets
// a password (most requests) does not need. Only entries as long as the shortest allowed password
// are kept: shorter ones fail the length rule first.
let common: Promise<Set<string>> | undefined;
const SHORTEST = DEFAULT_PASSWORD_POLICY.minLength;

function commonPasswords(): Promise<Set<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => {
    const list = (dictionary as Record<string, readonly string[]>)['passwords-common'];
    if (!Array.isArray(list) || list.length < 10_000) throw new Error('@zxcvbn-ts/language-common no longer ships its passwords-common list');
    return new Set(list.filter((p) => p.length >= SHORTEST).map((p) => p.toLowerCase()));
  });
  return common;
}

/** Why the password is refused, or null when it may be set. */
export async function passwordProblem(policy: PasswordPolicy, password: string, owner: PasswordOwner = {}): Promise<string | null> {
  if (password.length < policy.minLength || password.length > MAX_PASSWORD_LENGTH) return `Password must be ${policy.minLength} to ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.trim().toLowerCase();
  const own = [owner.username, ...(owner.emails ?? []).flatMap((e) => (e ? [e, e.slice(0, e.lastIndexOf('@'))] : []))];
  if (own.some((v) => v && v.trim().length > 0 && v.trim().toLowerCase() === lower)) return 'Password must not be your username or email address';
  if (policy.refuseCommon && (await commonPasswords()).has(lower)) return 'This password is one of the most common ones; choose another';
  return null;
}

/** The password when the policy allows it, else a VALIDATION_FAILED userError on `field`. */
export async function checkNewPassword(policy: PasswordPolicy, password: string, owner: PasswordOwner = {}, field = 'password'): Promise<string> {
  const problem = await passwordProblem(policy, password, owner);
  if (problem) throw validation(field, problem);
  return password;
}
