// What every write of the users module shares: the signed-in guard, the user a write acts on,
// unique-index violations as CONFLICT userErrors, and dropping what the request's loaders
// cached about a user once it changed.
import type { ServiceContext } from '../../context.js';
import { DomainError, conflict, notFound } from '../../core/errors.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import type { UserRow } from './user.repo.js';

type Ctx = ServiceContext;

/** The caller's user id; UNAUTHENTICATED for anonymous callers, FORBIDDEN for an organization's API key. */
export function requireSignedIn(ctx: Ctx): string {
  const id = ctx.authz.userId;
  // An organization's API key is a credential, but no user: refused (403), not unauthenticated.
  if (!id) throw new DomainError(ctx.principal.kind === 'organization' ? 'FORBIDDEN' : 'UNAUTHENTICATED', ctx.principal.kind === 'organization' ? 'An organization API key may not do this' : undefined);
  return id;
}

/**
 * The user a write acts on; NOT_FOUND when missing. Users are visible to every signed-in
 * caller (userById's rule), so a signed-in caller is all this asks; rights are the caller's
 * next check.
 */
export async function requireUser(ctx: Ctx, id: string): Promise<UserRow> {
  const row = ctx.authz.userId ? await ctx.loaders.userById.load(id) : null;
  if (!row) throw notFound('User not found');
  return row;
}

/** Runs a write, turning violations of the users module's unique indexes into CONFLICT userErrors. */
export async function withUniqueness<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err, 'users_username_lower_key')) throw conflict('username', 'Username is already taken');
    if (isUniqueViolation(err, 'contacts_active_email_key')) throw conflict('email', 'Email address is already in use');
    if (isUniqueViolation(err, 'contacts_primary_key')) throw conflict('id', 'Another primary contact was set at the same time; try again');
    if (isUniqueViolation(err, 'public_keys_ssh_fingerprint_key')) throw conflict('key', 'This key is already in use');
    if (isUniqueViolation(err, 'public_keys_user_label_key')) throw conflict('label', 'A key with this label already exists');
    if (isUniqueViolation(err, 'identities_provider_uid_key')) throw conflict('externalUid', 'This external account is linked to another user');
    throw err;
  }
}

/** Drops what this request's loaders cached about a user, so payloads show the change. */
export function forgetUser(ctx: Ctx, userId: string): void {
  ctx.loaders.userById.clear(userId);
  ctx.loaders.contactsByUserId.clear(userId);
  ctx.loaders.publicKeysByUserId.clear(userId);
  ctx.loaders.devicesByUserId.clear(userId);
  ctx.loaders.identitiesByUserId.clear(userId);
}
