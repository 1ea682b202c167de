// Checks of account input: username, password, profile fields (names, bio, website, social
// handles) and the projects limit. Each check answers the stored value (trimmed, blank as
// null) or throws a VALIDATION_FAILED userError naming the field.
import { checkNewPassword, type PasswordOwner } from '../../core/auth/password-policy.js';
import { passwordPolicyOf } from '../../core/auth/server-secrets.js';
import type { Database } from '../../core/db.js';
import { validation } from '../../core/errors.js';
import { isEmail, isUsername } from '../../core/validation.js';
import type { NewUser } from './user.repo.js';

const MAX_SOCIAL_HANDLES = 20;

export function checkUsername(username: string): string {
  if (!isUsername(username)) {
    throw validation('username', 'Username must be 1 to 255 letters, digits, "_", "." or "-", and start with a letter, digit or "_"');
  }
  return username;
}

/** A new password under the gateway's policy (core/auth/password-policy.ts), or a VALIDATION_FAILED userError. */
export const checkPassword = (db: Database, password: string, owner: PasswordOwner, field = 'password'): Promise<string> =>
  checkNewPassword(passwordPolicyOf(db), password, owner, field);

/** An email address, trimmed (core/validation's rule). */
export function checkEmail(email: string, field = 'email'): string {
  const e = email.trim();
  if (!isEmail(e)) throw validation(field, 'Not a valid email address');
  return e;
}

/** Optional text: undefined keeps, null or blank clears, else trimmed and bounded. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  const v = value?.trim() ?? '';
  if (v.length > max) throw validation(field, `${field} must be at most ${max} characters`);
  return v === '' ? null : v;
}

function checkWebsite(value: string | null | undefined): string | null | undefined {
  const v = optionalText(value, 'website', 255);
  if (v == null) return v;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw validation('website', 'Website must be an http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw validation('website', 'Website must be an http or https URL');
  return v;
}

function checkSocial(value: Record<string, unknown> | null | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (value === null) return {};
  const entries = Object.entries(value);
  if (entries.length > MAX_SOCIAL_HANDLES) throw validation('social', `At most ${MAX_SOCIAL_HANDLES} social handles`);
  for (const [k, v] of entries) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/.test(k)) throw validation('social', `Invalid network name "${k.slice(0, 40)}"`);
    if (typeof v !== 'string' || v.length > 255) throw validation('social', `Handle for "${k}" must be a string of at most 255 characters`);
  }
  return Object.fromEntries(entries.filter(([, v]) => (v as string).trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
}

/** The social map after setting the handles given (an empty string removes one). */
export function mergeSocial(current: Record<string, string>, changes: Record<string, unknown>): Record<string, string> {
  const checked = checkSocial(Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v === null ? '' : v])))!;
  const merged = { ...current, ...checked };
  for (const [k, v] of Object.entries(changes)) if (v === null || (typeof v === 'string' && v.trim() === '')) delete merged[k];
  if (Object.keys(merged).length > MAX_SOCIAL_HANDLES) throw validation('social', `At most ${MAX_SOCIAL_HANDLES} social handles`);
  return merged;
}

export function checkProjectsLimit(n: number | null | undefined): number | undefined {
  if (n == null) return undefined;
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw validation('projectsLimit', 'Projects limit must be a whole number from 0 to 1000000');
  return n;
}

export interface ProfileInput {
  firstName?: string | null;
  lastName?: string | null;
  displayName?: string | null;
  bio?: string | null;
  location?: string | null;
  website?: string | null;
  social?: Record<string, unknown> | null;
}

/** The profile columns the input sets (undefined ones are left out). */
export function profileValues(input: ProfileInput): Partial<NewUser> {
  const values: Partial<NewUser> = {
    firstName: optionalText(input.firstName, 'firstName', 255),
    lastName: optionalText(input.lastName, 'lastName', 255),
    displayName: optionalText(input.displayName, 'displayName', 255),
    bio: optionalText(input.bio, 'bio', 2000),
    location: optionalText(input.location, 'location', 255),
    website: checkWebsite(input.website),
    social: checkSocial(input.social),
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
