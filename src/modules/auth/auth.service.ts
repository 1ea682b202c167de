// Sign-in, credentials → Principal, and personal API tokens. Owns the rules: who may create
// or revoke a token, what an expired or revoked one gets, what each attempt writes to the logs.
import { hashPassword, needsRehash, verifyPassword } from '../../core/auth/passwords.js';
import { assertCan, can } from '../../core/auth/policy.js';
import { ANONYMOUS, TOKEN_SCOPES, type Principal, type TokenScope } from '../../core/auth/principal.js';
import { hashToken, newPersonalToken, PERSONAL_TOKEN_PREFIX } from '../../core/auth/secrets.js';
import type { Database } from '../../core/db.js';
import { conflict, DomainError, notFound, RateLimitedError, unauthenticated, validation } from '../../core/errors.js';
import { signInKeys, type LiftedLock, type ThrottleVerdict } from '../../core/rate-limit/sign-in.js';
import type { AppDeps, RequestMeta } from '../../context.js';
import { insertLoginLog } from '../logs/log.repo.js';
import { tokenOrganizationOf } from '../../core/auth/tenant.js';
import { findWithinSubtree } from '../../core/auth/tenant.sql.js';
import { findEffectiveRoles } from '../organizations/organization.repo.js';
import { recordEvent } from '../logs/event-log.service.js';
import { checkSignInOtp } from '../users/totp.service.js';
import { findSignInUser, findSignInUserById, findUserById, findUserByUsername, findUsersByIds, recordSignIn, updatePasswordHash, type UserRow } from '../users/user.repo.js';
import { checkPassword } from '../users/user.checks.js';
import { bumpTokenVersion, findAccessTokenHolder, revokeAccessToken } from './session.repo.js';
import { credentialCacheOf } from './credential-cache.js';
import { authenticateTeamJwt } from './team-jwt.js';
import { authenticateOrganizationApiKey, ORGANIZATION_KEY_PREFIX } from '../profile/org-extras.service.js';
import { decodeProtectedHeader } from 'jose';
import { findActiveTokenByName, findTokenById, findTokenWithUserByHash, insertToken, renameToken, revokeToken, touchTokenLastUsed, type TokenRow } from './token.repo.js';

interface Caller extends RequestMeta {
  db: Database;
  deps: AppDeps;
  principal: Principal;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
export const looksLikeJwt = (token: string) => JWT_SHAPE.test(token);

function jwtAlgorithm(token: string): unknown {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}

/** Turns a bearer credential into a Principal, or throws UNAUTHENTICATED. */
export async function authenticate(deps: AppDeps, token: string): Promise<Principal> {
  if (token.length > 4096) throw unauthenticated('Invalid token');
  // An Itsyouonline organization's API key: the organization itself (read fresh, never cached).
  if (token.startsWith(ORGANIZATION_KEY_PREFIX)) {
    const organization = await authenticateOrganizationApiKey(deps.db, token);
    if (organization) return organization;
  }
  if (!token.startsWith(PERSONAL_TOKEN_PREFIX) && looksLikeJwt(token)) {
    // HS256 is never an access token (those are EdDSA): a team's shared-secret JWT, or nothing.
    if (jwtAlgorithm(token) === 'HS256') return authenticateTeamJwt(deps.db, token);
    const claims = await deps.accessTokens.verify(token);
    // Read fresh on every request (never cached), so a logout, a password change or a block
    // elsewhere ends the token at its next request, in this process and every other.
    const found = await findAccessTokenHolder(deps.db, claims.userId, claims.jti);
    if (!found || found.user.state !== 'active') throw unauthenticated('Invalid access token');
    if (found.revoked || claims.version !== found.user.tokenVersion) throw unauthenticated('Access token has been revoked');
    const { user } = found;
    return { kind: 'user', userId: user.id, username: user.username, isInstanceAdmin: user.isAdmin, credential: { type: 'access_token', expiresAt: claims.expiresAt, jti: claims.jti } };
  }
  const tokenHash = hashToken(token);
  const cache = credentialCacheOf(deps.db, deps.config.tokenCacheTtlMs);
  const cached = cache.get(tokenHash, Date.now());
  if (cached) return cached;
  const found = await findTokenWithUserByHash(deps.db, tokenHash);
  if (!found) throw unauthenticated('Invalid token');
  const { token: row, user } = found;
  const now = new Date();
  if (row.revokedAt) throw unauthenticated('Token has been revoked');
  if (row.expiresAt && row.expiresAt <= now) throw unauthenticated('Token has expired');
  if (user.state !== 'active') throw unauthenticated('Invalid token');
  // At most one write a minute per token: a busy script's reads stay reads.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) await touchTokenLastUsed(deps.db, row.id, now);
  const principal: Principal = {
    kind: 'user',
    userId: user.id,
    username: user.username,
    isInstanceAdmin: user.isAdmin,
    credential: { type: 'personal_access_token', tokenId: row.id, organizationId: row.organizationId, scopes: row.scopes as TokenScope[] },
  };
  cache.set(tokenHash, principal, row.expiresAt, now.getTime());
  return principal;
}

export interface LoginResult {
  accessToken: string;
  expiresAt: Date;
  user: UserRow;
  principal: Principal;
}

// argon2 work grows with the input; nobody's password is longer than this.
const MAX_PASSWORD_LENGTH = 1024;

/**
 * Signs in by username or email. Every attempt, good or bad, writes a login-log row. Attempts
 * are throttled per account and per client address (core/rate-limit/sign-in.ts): one over the
 * limit is refused with RATE_LIMITED before its password is checked, whichever password it has.
 */
export async function login(c: Caller, input: { login: string; password: string; otp?: string | null }): Promise<LoginResult> {
  const name = input.login.trim();
  if (name.length === 0 || name.length > 255) throw validation('login', 'Login must be 1 to 255 characters');
  if (input.password.length === 0 || input.password.length > MAX_PASSWORD_LENGTH) {
    throw validation('password', `Password must be 1 to ${MAX_PASSWORD_LENGTH} characters`);
  }
  const user = await findSignInUser(c.db, name);
  const throttle = c.deps.rateLimits.signIn;
  const keys = signInKeys(user?.id ?? null, name, c.ip);
  const verdict = await throttle.attempt(keys);
  const now = new Date();
  const log = (failure: string | null, throttleEvents: Pick<ThrottleVerdict, 'lifted' | 'reachedLimit'>) =>
    c.db.transaction(async (tx) => {
      await insertLoginLog(tx, {
        userId: user?.id ?? null,
        success: failure === null,
        ip: c.ip,
        userAgent: c.userAgent?.slice(0, 512) ?? null,
        failureReason: failure,
        createdAt: now,
      });
      // Locks and their automatic end are events of the account (user2) and the address (ip).
      const actor = { principal: c.principal, ip: c.ip };
      for (const l of throttleEvents.lifted) {
        await recordEvent(tx, actor, { action: 'signIn.unlock', user2Id: l.scope === 'account' ? (user?.id ?? null) : null, data: { scope: l.scope, lockedUntil: l.lockedUntil.toISOString() } });
      }
      for (const l of throttleEvents.reachedLimit) {
        await recordEvent(tx, actor, { action: 'signIn.lock', user2Id: l.scope === 'account' ? (user?.id ?? null) : null, data: { scope: l.scope, until: l.until.toISOString() } });
      }
      if (failure === null) await recordSignIn(tx, user!.id, now);
    });
  if (!verdict.allowed) {
    await log('throttled', { lifted: verdict.lifted, reachedLimit: [] });
    throw new RateLimitedError(verdict.retryAfterSeconds, `Too many sign-in attempts; try again in ${verdict.retryAfterSeconds} s`);
  }
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);

  let failure: 'INVALID_CREDENTIALS' | 'ACCOUNT_BLOCKED' | 'ACCOUNT_DISABLED' | null = null;
  if (!user || !passwordOk) failure = 'INVALID_CREDENTIALS';
  else if (user.state === 'blocked') failure = 'ACCOUNT_BLOCKED';
  else if (user.state === 'disabled') failure = 'ACCOUNT_DISABLED';
  // The second factor, asked only after the password is right (so it tells nothing to a guesser);
  // a wrong or reused code is a failed attempt like a wrong password (throttled, logged).
  const otpFailure = failure === null && input.otp !== undefined && input.otp !== null && input.otp.length > 64 ? 'invalid_otp' : failure === null ? await checkSignInOtp(c.db, user!.id, input.otp) : null;

  // A key that reached its limit with this attempt is locked from now on, unless it signed in.
  await log(otpFailure ?? failure?.toLowerCase() ?? null, { lifted: verdict.lifted, reachedLimit: failure === null && otpFailure === null ? [] : verdict.reachedLimit });
  if (failure !== null) throw new DomainError(failure);
  if (otpFailure !== null) throw new DomainError('INVALID_CREDENTIALS', otpFailure === 'otp_required' ? 'A one-time code (otp) is required for this account' : 'Invalid one-time code (otp)', 'otp');
  await throttle.signedIn(keys);

  if (needsRehash(user!.passwordHash!)) await updatePasswordHash(c.db, user!.id, await hashPassword(input.password));
  const { passwordHash: _hash, ...row } = user!;
  return signedIn(c.deps, { ...row, lastSignInAt: user!.currentSignInAt, currentSignInAt: now });
}

/** A new access token of the user's current token version, and the principal it stands for. */
async function signedIn(deps: AppDeps, user: UserRow): Promise<LoginResult> {
  const { token, expiresAt, jti } = await deps.accessTokens.sign(user.id, user.tokenVersion);
  return {
    accessToken: token,
    expiresAt,
    user,
    principal: { kind: 'user', userId: user.id, username: user.username, isInstanceAdmin: user.isAdmin, credential: { type: 'access_token', expiresAt, jti } },
  };
}

/**
 * Ends sessions: the access token in use (its jti, until it would expire), or with `everywhere`
 * every access token of the user (token version raised). Personal API tokens are not sessions:
 * they are revoked with revokePersonalAccessToken, so signing out with one is refused.
 */
export async function logout(c: Caller, input: { everywhere?: boolean | null }): Promise<void> {
  const p = c.principal;
  if (p.kind !== 'user') throw unauthenticated();
  if (p.credential.type !== 'access_token' || !p.credential.jti) {
    throw new DomainError('PRECONDITION_FAILED', 'Sign-out ends access-token sessions; revoke a personal API token with revokePersonalAccessToken');
  }
  const { jti, expiresAt } = p.credential;
  await c.db.transaction(async (tx) => {
    if (input.everywhere) await bumpTokenVersion(tx, p.userId);
    else await revokeAccessToken(tx, { jti, userId: p.userId, expiresAt }, new Date());
    await recordEvent(tx, { principal: p, ip: c.ip }, { action: 'session.logout', user2Id: p.userId, data: { everywhere: Boolean(input.everywhere) } });
  });
}

/**
 * The signed-in user changes their own password, proving the current one (counted by the sign-in
 * throttle like a sign-in, so a stolen session cannot guess it). Every earlier access token of
 * the user is void afterwards; the answer carries a new one for the caller to go on with.
 * Personal API tokens are kept (they are revoked one by one).
 */
export async function changePassword(c: Caller, input: { currentPassword: string; newPassword: string }): Promise<LoginResult> {
  const p = c.principal;
  if (p.kind !== 'user') throw unauthenticated();
  if (input.currentPassword.length > MAX_PASSWORD_LENGTH) throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong', 'currentPassword');
  const user = await findSignInUserById(c.db, p.userId);
  if (!user) throw unauthenticated();
  const newPassword = await checkPassword(c.db, input.newPassword, { username: user.username, emails: [user.primaryEmail] }, 'newPassword');
  const keys = signInKeys(user.id, user.username, c.ip);
  const verdict = await c.deps.rateLimits.signIn.attempt(keys);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds, `Too many attempts; try again in ${verdict.retryAfterSeconds} s`);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong', 'currentPassword');
  }
  await c.deps.rateLimits.signIn.signedIn(keys);
  const passwordHash = await hashPassword(newPassword);
  const updated = await c.db.transaction(async (tx) => {
    await updatePasswordHash(tx, user.id, passwordHash);
    await bumpTokenVersion(tx, user.id);
    await recordEvent(tx, { principal: p, ip: c.ip }, { action: 'user.changePassword', user2Id: user.id, data: {} });
    return (await findUserById(tx, user.id))!;
  });
  credentialCacheOf(c.deps.db, c.deps.config.tokenCacheTtlMs).clear();
  return signedIn(c.deps, updated);
}

/** Logs the sign-in locks the throttle's sweep found lifted (their window ended with no attempt since). */
export async function recordLiftedLocks(db: Database, locks: readonly LiftedLock[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const l of locks) {
      await recordEvent(tx, { principal: ANONYMOUS, ip: l.ip }, { action: 'signIn.unlock', user2Id: l.userId, data: { scope: l.scope, lockedUntil: l.lockedUntil.toISOString() } });
    }
  });
}

export interface CreateTokenInput {
  username: string;
  name: string;
  scopes: TokenScope[];
  expiresAt?: Date | null;
  /** uuid of the organization to bind the token to. */
  organizationId?: string | null;
  /** The name labels the token: no other active token of the user may have it (CONFLICT). */
  uniqueName?: boolean | null;
}

export async function createPersonalAccessToken(c: Caller, input: CreateTokenInput): Promise<{ token: string; personalAccessToken: TokenRow }> {
  const p = c.principal;
  if (p.kind !== 'user') throw unauthenticated();
  const target = await findUserByUsername(c.db, input.username);
  // Non-admins learn nothing about other accounts: the same answer whether or not they exist.
  if (!target && !p.isInstanceAdmin) throw new DomainError('FORBIDDEN', 'You can only create tokens for yourself');
  if (!target) throw notFound('User not found');
  assertCan(p, 'personalAccessToken:create', { userId: target.id }, 'You can only create tokens for yourself');

  const name = input.name.trim();
  if (name.length === 0 || name.length > 255) throw validation('name', 'Name must be 1 to 255 characters');
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw validation('scopes', 'At least one scope is required');
  if (scopes.some((s) => !TOKEN_SCOPES.includes(s))) throw validation('scopes', `Scopes must be among: ${TOKEN_SCOPES.join(', ')}`);
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw validation('expiresAt', 'Expiry must be in the future');
  if (input.uniqueName && (await findActiveTokenByName(c.db, target.id, name))) throw conflict('name', 'Label is already used');

  // A token created with an organization-bound token stays inside that organization.
  const inherited = tokenOrganizationOf(p);
  let organizationId = inherited;
  if (input.organizationId) {
    // Binding narrows what the token may do; it must be an organization its user belongs to
    // (the caller's own authorization decides what "inside" means for admins).
    const roles = await findEffectiveRoles(c.db, target.id, [input.organizationId]);
    if (!roles.has(input.organizationId)) throw notFound('Organization not found');
    if (inherited && !(await findWithinSubtree(c.db, inherited, [input.organizationId])).has(input.organizationId)) throw notFound('Organization not found');
    organizationId = input.organizationId;
  }
  return issueToken(c.db, { principal: p, ip: c.ip }, { userId: target.id, organizationId, name, scopes, expiresAt: input.expiresAt ?? null });
}

/** Stores a token's hash and its event-log row in one transaction; returns the plaintext once. */
export async function issueToken(
  db: Database,
  actor: { principal: Principal; ip: string | null },
  t: { userId: string; organizationId: string | null; name: string; scopes: TokenScope[]; expiresAt: Date | null; plaintext?: string },
): Promise<{ token: string; personalAccessToken: TokenRow }> {
  const token = t.plaintext ?? newPersonalToken();
  const row = await db.transaction(async (tx) => {
    const created = await insertToken(tx, {
      userId: t.userId,
      organizationId: t.organizationId,
      name: t.name,
      scopes: t.scopes,
      expiresAt: t.expiresAt,
      tokenHash: hashToken(token),
    });
    await recordEvent(tx, actor, {
      action: 'personalAccessToken.create',
      user2Id: t.userId,
      organizationId: t.organizationId,
      data: { tokenId: created.id, name: t.name, scopes: t.scopes },
    });
    return created;
  });
  return { token, personalAccessToken: row };
}

export async function revokePersonalAccessToken(c: Caller, tokenId: string): Promise<TokenRow> {
  const p = c.principal;
  if (p.kind !== 'user') throw unauthenticated();
  const row = await findTokenById(c.db, tokenId);
  // Someone else's token answers exactly like a missing one.
  if (!row) throw notFound('Personal access token not found');
  try {
    assertCan(p, 'personalAccessToken:revoke', { userId: row.userId });
  } catch {
    throw notFound('Personal access token not found');
  }
  const revoked = await c.db.transaction(async (tx) => {
    const r = await revokeToken(tx, row.id, new Date());
    await recordEvent(tx, { principal: p, ip: c.ip }, { action: 'personalAccessToken.revoke', user2Id: row.userId, organizationId: row.organizationId, data: { tokenId: row.id } });
    return r!;
  });
  // "It stops working at once": no cached principal of it survives the revocation.
  credentialCacheOf(c.deps.db, c.deps.config.tokenCacheTtlMs).clear();
  return revoked;
}

// ---- tokens named by label (the Itsyouonline dialect's API keys) ----

/**
 * The active token a (username, name) pair labels, once the caller may manage it; another
 * user's answers exactly like a missing one (NOT_FOUND), as revoking by id does.
 */
async function activeTokenByName(c: Caller, username: string, name: string): Promise<TokenRow> {
  const p = c.principal;
  if (p.kind !== 'user') throw unauthenticated();
  const target = await findUserByUsername(c.db, username);
  const row = target ? await findActiveTokenByName(c.db, target.id, name) : undefined;
  if (!row || !can(p, 'personalAccessToken:revoke', { userId: row.userId })) throw notFound('API key not found');
  return row;
}

/** Renames an active token; a name another active token of the user has is a CONFLICT. */
export async function renamePersonalAccessToken(c: Caller, input: { username: string; name: string; newName: string }): Promise<TokenRow> {
  const row = await activeTokenByName(c, input.username, input.name);
  const newName = input.newName.trim();
  if (newName.length === 0 || newName.length > 255) throw validation('newName', 'Name must be 1 to 255 characters');
  if (newName === row.name) return row;
  if (await findActiveTokenByName(c.db, row.userId, newName)) throw conflict('newName', 'Label is already used');
  return c.db.transaction(async (tx) => {
    const renamed = await renameToken(tx, row.id, newName);
    await recordEvent(tx, c, { action: 'personalAccessToken.rename', user2Id: row.userId, organizationId: row.organizationId, data: { tokenId: row.id, from: row.name, to: newName } });
    return renamed!;
  });
}

/** Revokes the active token a (username, name) pair labels. */
export async function revokePersonalAccessTokenByName(c: Caller, input: { username: string; name: string }): Promise<TokenRow> {
  return revokePersonalAccessToken(c, (await activeTokenByName(c, input.username, input.name)).id);
}
