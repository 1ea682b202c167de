// TOTP second factors (RFC 6238, through otplib): one implementation for the whole graph — the
// `login` mutation, the Seald dashboard's twofa/ routes and Itsyouonline's /totp and /twofamethods routes.
//
// Invariants:
// - A factor is pending after set-up and enabled only once a code computed from its secret is
//   confirmed; sign-in asks for a code only when it is enabled.
// - A code is accepted for its 30-second step and one step either side (clock drift), and only
//   for a step later than the last accepted one (`lastUsedStep`, claimed atomically): a code
//   cannot be replayed within its window, not even by two concurrent requests.
// - Recovery codes are random, stored as sha256, shown once (confirm and reset), usable once.
// - Every change commits with its event-log row; the secret never goes into a log or an event.
// - The secret is stored sealed under MASTER_KEY when one is set (core/auth/sealed.ts, purpose
//   TOTP_PURPOSE), as it is otherwise; one stored before MASTER_KEY is sealed at the next start
//   (modules/bootstrap/seal-secrets.ts).
import { randomBytes } from 'node:crypto';
import { authenticator as defaultAuthenticator } from 'otplib';
import type { ServiceContext } from '../../context.js';
import { hashToken } from '../../core/auth/secrets.js';
import { openSecret, storeSecret } from '../../core/auth/server-secrets.js';
import type { Database } from '../../core/db.js';
import { conflict, DomainError, notFound, validation } from '../../core/errors.js';
import { recordEvent } from '../logs/event-log.service.js';
import {
  claimTotpStep,
  countUnusedRecoveryCodes,
  deleteTotp,
  enableTotp,
  findTotp,
  hasValidatedPhone,
  lockUser,
  replaceRecoveryCodes,
  upsertPendingTotp,
  useRecoveryCode,
} from './totp.repo.js';
import { userByUsername } from './user.service.js';
import { requireSignedIn } from './user.writes.js';

type Ctx = ServiceContext;

const STEP_SECONDS = 30;
const authenticator = defaultAuthenticator.clone({ step: STEP_SECONDS, window: 1, digits: 6 });
/** The issuer shown by authenticator apps next to the account. */
export const TOTP_ISSUER = 'identity-graph-gateway';
export const RECOVERY_CODE_COUNT = 10;
const CODE = /^[0-9]{6}$/;
const BASE32 = /^[A-Z2-7]{16,128}$/;

export interface TwoFactorStatus {
  enabled: boolean;
  /** Set up but not confirmed yet. */
  pending: boolean;
  recoveryCodesLeft: number;
}

const newRecoveryCode = () => {
  const s = randomBytes(8).toString('hex');
  return `${s.slice(0, 8)}-${s.slice(8)}`;
};
const normaliseRecoveryCode = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, '');
const hashRecoveryCode = (code: string) => hashToken(normaliseRecoveryCode(code));

/** The time step a valid code belongs to, or null (otplib's window: one step either side). */
function stepOf(secret: string, code: string, now = Date.now()): number | null {
  if (!CODE.test(code)) return null;
  const delta = authenticator.checkDelta(code, secret);
  return delta === null ? null : Math.floor(now / 1000 / STEP_SECONDS) + delta;
}

/** What a TOTP secret is sealed for under MASTER_KEY (core/auth/server-secrets.ts storeSecret). */
export const TOTP_PURPOSE = 'totp secret';


/** Checks a code of the user's factor (its secret as stored, opened with the master key) and claims its step (no replay). */
async function acceptCode(db: Database, userId: string, stored: string, code: string): Promise<boolean> {
  const step = stepOf(openSecret(db, stored, TOTP_PURPOSE), code);
  return step !== null && (await claimTotpStep(db, userId, step));
}

export async function twoFactorStatus(db: Database, userId: string): Promise<TwoFactorStatus> {
  const row = await findTotp(db, userId);
  const enabled = !!row?.enabledAt;
  return { enabled, pending: !!row && !enabled, recoveryCodesLeft: enabled ? await countUnusedRecoveryCodes(db, userId) : 0 };
}

/** Whether the user must give a code to sign in. */
export async function hasTwoFactor(db: Database, userId: string): Promise<boolean> {
  return !!(await findTotp(db, userId))?.enabledAt;
}

/**
 * The second factor of a sign-in: null when the user has none, or `otp` is a valid, unused code
 * or an unused recovery code (used up now: someone who lost the phone can still get in, once per
 * code); else why not (`otp_required`, `invalid_otp`) for the login log.
 */
export async function checkSignInOtp(db: Database, userId: string, otp: string | null | undefined): Promise<'otp_required' | 'invalid_otp' | null> {
  const row = await findTotp(db, userId);
  if (!row?.enabledAt) return null;
  const value = otp?.trim();
  if (!value) return 'otp_required';
  if (CODE.test(value)) return (await acceptCode(db, userId, row.secret, value)) ? null : 'invalid_otp';
  return value.length <= 64 && (await useRecoveryCode(db, userId, hashRecoveryCode(value), new Date())) ? null : 'invalid_otp';
}

/** Starts set-up: a new secret (base32) and its otpauth:// URI, pending until confirmed. */
export async function setUpTwoFactor(ctx: Ctx): Promise<{ secret: string; uri: string }> {
  const userId = requireSignedIn(ctx);
  const current = await findTotp(ctx.db, userId);
  if (current?.enabledAt) throw new DomainError('PRECONDITION_FAILED', 'Two-factor authentication is already enabled; remove it first', 'otp');
  const user = await ctx.loaders.userById.load(userId);
  const secret = authenticator.generateSecret(20);
  const stored = storeSecret(ctx.db, secret, TOTP_PURPOSE);
  await ctx.db.transaction(async (tx) => {
    await upsertPendingTotp(tx, userId, stored);
    await recordEvent(tx, ctx, { action: 'twoFactor.setUp', user2Id: userId });
  });
  return { secret, uri: authenticator.keyuri(user?.primaryEmail ?? user?.username ?? userId, TOTP_ISSUER, secret) };
}

/** Enables the factor with new recovery codes and its event row, in one transaction after `before` (the same transaction). */
async function enableWithCodes(ctx: Ctx, userId: string, action: string, before?: (tx: Database) => Promise<void>): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await ctx.db.transaction(async (tx) => {
    await before?.(tx);
    await enableTotp(tx, userId, new Date());
    await replaceRecoveryCodes(tx, userId, codes.map(hashRecoveryCode));
    await recordEvent(tx, ctx, { action, user2Id: userId });
  });
  return codes;
}

/** Confirms a pending set-up with a valid code: the factor is enabled; returns the recovery codes (once). */
export async function confirmTwoFactor(ctx: Ctx, otp: string): Promise<string[]> {
  const userId = requireSignedIn(ctx);
  const row = await findTotp(ctx.db, userId);
  if (!row) throw new DomainError('PRECONDITION_FAILED', 'Set up two-factor authentication first', 'otp');
  if (row.enabledAt) throw new DomainError('PRECONDITION_FAILED', 'Two-factor authentication is already enabled', 'otp');
  if (!(await acceptCode(ctx.db, userId, row.secret, otp.trim()))) throw validation('otp', 'Invalid code');
  return enableWithCodes(ctx, userId, 'twoFactor.enable');
}

/** Checks a code, or (when allowed) an unused recovery code, which is then used up. */
async function proveFactor(ctx: Ctx, userId: string, otp: string, allowRecovery: boolean): Promise<void> {
  const row = await findTotp(ctx.db, userId);
  if (!row?.enabledAt) throw new DomainError('PRECONDITION_FAILED', 'Two-factor authentication is not enabled', 'otp');
  const value = otp.trim();
  if (CODE.test(value)) {
    if (await acceptCode(ctx.db, userId, row.secret, value)) return;
  } else if (allowRecovery && value.length <= 64 && (await useRecoveryCode(ctx.db, userId, hashRecoveryCode(value), new Date()))) {
    return;
  }
  throw validation('otp', allowRecovery ? 'Invalid code or recovery code' : 'Invalid code');
}

/** Removes the factor, given a valid code or a recovery code. */
export async function removeTwoFactor(ctx: Ctx, otp: string): Promise<void> {
  const userId = requireSignedIn(ctx);
  await proveFactor(ctx, userId, otp, true);
  await removeFactor(ctx, userId);
}

/** New recovery codes (the old ones stop working), given a valid code; shown once. */
export async function resetRecoveryCodes(ctx: Ctx, otp: string): Promise<string[]> {
  const userId = requireSignedIn(ctx);
  await proveFactor(ctx, userId, otp, false);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await ctx.db.transaction(async (tx) => {
    await replaceRecoveryCodes(tx, userId, codes.map(hashRecoveryCode));
    await recordEvent(tx, ctx, { action: 'twoFactor.resetRecoveryCodes', user2Id: userId });
  });
  return codes;
}

/**
 * Enables TOTP from a secret the client chose, proven by a valid code of it (Itsyouonline's
 * `POST /users/{u}/totp` with `{totpsecret, totpcode}`): the user or an instance admin.
 * Replaces any factor the user had. Returns new recovery codes (once).
 */
export async function enableTwoFactorWithSecret(ctx: Ctx, userId: string, secret: string, otp: string): Promise<string[]> {
  requireSignedIn(ctx);
  if (!ctx.authz.isSelfOrAdmin(userId)) throw notFound('User not found');
  const s = secret.trim().toUpperCase().replace(/=+$/, '');
  if (!BASE32.test(s)) throw validation('secret', 'The secret must be 16 to 128 base32 characters');
  const step = stepOf(s, otp.trim());
  if (step === null) throw validation('otp', 'Invalid code');
  const stored = storeSecret(ctx.db, s, TOTP_PURPOSE);
  return enableWithCodes(ctx, userId, 'twoFactor.enable', async (tx) => {
    await upsertPendingTotp(tx, userId, stored);
    await claimTotpStep(tx, userId, step);
  });
}

/**
 * Removes a user's factor without a code (the user or an instance admin: Itsyouonline's
 * `DELETE /users/{u}/totp`). An enabled factor is the user's last way to prove a second factor
 * unless they keep a validated phone number (Itsyouonline's SMS): then CONFLICT, as the document
 * answers 409 "the last available login method". A pending or absent factor goes (or nothing
 * changes) without the check.
 */
export async function removeTwoFactorOf(ctx: Ctx, userId: string): Promise<void> {
  requireSignedIn(ctx);
  if (!ctx.authz.isSelfOrAdmin(userId)) throw notFound('User not found');
  await removeFactor(ctx, userId, async (tx) => {
    await lockUser(tx, userId);
    if ((await findTotp(tx, userId))?.enabledAt && !(await hasValidatedPhone(tx, userId))) {
      throw conflict('username', 'TOTP is the last second factor of this user: validate a phone number before removing it');
    }
  });
}

/**
 * Inside the transaction removing the user's last validated phone number (`phoneId`): allows it
 * only when TOTP is enabled (Itsyouonline's `force`), else CONFLICT. Re-checked under the user's
 * lock, so a concurrent removal of TOTP cannot slip between.
 */
export async function requireTotpBesidesPhone(tx: Database, userId: string, phoneId: string): Promise<void> {
  await lockUser(tx, userId);
  if (await hasValidatedPhone(tx, userId, phoneId)) return;
  if (!(await hasTwoFactor(tx, userId))) throw conflict('label', 'The last validated phone number can be removed (with force) only once TOTP is set up');
}

/** A fresh secret and the issuer, for a client that sets TOTP up itself (not stored: see enableTwoFactorWithSecret). */
export function newTwoFactorSecret(ctx: Ctx): { secret: string; issuer: string } {
  requireSignedIn(ctx);
  return { secret: authenticator.generateSecret(20), issuer: TOTP_ISSUER };
}

async function removeFactor(ctx: Ctx, userId: string, before?: (tx: Database) => Promise<void>): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await before?.(tx);
    await deleteTotp(tx, userId);
    await recordEvent(tx, ctx, { action: 'twoFactor.remove', user2Id: userId });
  });
}

/** The id of the user a username-addressed TOTP call names, when the caller may manage their factor (the user or an instance admin); else NOT_FOUND. */
export async function twoFactorUserId(ctx: Ctx, username: string): Promise<string> {
  requireSignedIn(ctx);
  const user = await userByUsername(ctx, username);
  if (!user || !ctx.authz.isSelfOrAdmin(user.id)) throw notFound('User not found');
  return user.id;
}
