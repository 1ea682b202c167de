// The Seald dashboard's admin side as services: the team a caller administers, dashboard
// sessions (sign-in with the second factor, logout), passwords (change, the mailed three-step
// reset), SSKS API keys, the team's API tokens and users (list, disable, full revoke).
//
// The team: a Seald "team" is an organization. A dashboard caller acts in exactly one — the one
// its API key (an organization-bound personal API token) or its session is bound to — and must
// administer it (admin or owner role, inherited from parent organizations). A credential bound
// to no organization (a login access token, an unbound token) has no team: FORBIDDEN.
//
// Every change commits with its event-log row (and its outbox mail) in one transaction. Revoked
// credentials stop working at once: every mutation clears the credential cache (REST engine and
// /graphql alike).
import { randomBytes } from 'node:crypto';
import type { Context, ServiceContext } from '../../context.js';
import { hashPassword, verifyPassword } from '../../core/auth/passwords.js';
import { JWT_PERMISSIONS, teamJwtMay } from '../../core/auth/principal.js';
import { tokenOrganizationOf } from '../../core/auth/tenant.js';
import { hashToken, newPersonalToken } from '../../core/auth/secrets.js';
import { openSecret, storeSecret } from '../../core/auth/server-secrets.js';
import { DomainError, forbidden, notFound, validation } from '../../core/errors.js';
import { isEmail } from '../../core/validation.js';
import { issueToken, login } from '../auth/auth.service.js';
import { JWT_SECRET_PURPOSE } from '../auth/team-jwt.js';
import { findTokenById, insertToken, revokeToken } from '../auth/token.repo.js';
import { recordEvent } from '../logs/event-log.service.js';
import { inviteToOrganization } from '../invitations/invitation.service.js';
import type { InvitationRow } from '../invitations/invitation.repo.js';
import { insertOutbox } from '../outbox/outbox.repo.js';
import { revokeAccessesInOrganization } from '../messages/message-keys.repo.js';
import { findDevicesByUserIds, findSignInUser, findUserByEmail, updateDevice, updatePasswordHash, type UserRow } from '../users/user.repo.js';
import { requireSignedIn } from '../users/user.writes.js';
import { findEffectiveRoles } from '../organizations/organization.repo.js';
import { checkPassword } from '../users/user.checks.js';
import { bumpTokenVersion } from '../auth/session.repo.js';
import { appendToUserSigchain, serverTransaction, userSigchain } from './sigchain.service.js';
import {
  countChallengeAttempt,
  countUsedLicences,
  lockQuotaLimit,
  countJwtSecrets,
  deleteJwtSecret,
  insertJwtSecret,
  listJwtSecrets,
  type JwtSecretRow,
  findTeamTokenIdsOfUser,
  useChallenge,
  countTeamTokens,
  countTeamUsers,
  findAdministeredTeam,
  findLiveChallenge,
  findSessionByTokenId,
  findTeamUserDisables,
  insertChallenge,
  insertSession,
  insertSsksKey,
  insertTeamUserDisable,
  listTeamEventsBetween,
  revokeSessionsOfUser,
  listTeamTokens,
  listTeamUsers,
  type TeamUserFilter,
  type TokenRow,
} from './dashboard.repo.js';

type Ctx = ServiceContext;

/** How long a dashboard session lasts (a working day), as Seald's dashboard sessions do. */
export const SESSION_TTL_MS = 12 * 3600 * 1000;
/** A mailed password-reset challenge: valid this long, for this many wrong tries. */
export const CHALLENGE_TTL_MS = 3600 * 1000;
export const CHALLENGE_MAX_ATTEMPTS = 5;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 1024;

/** The team the caller administers through its credential; FORBIDDEN when none. */
export async function teamOf(ctx: Ctx): Promise<string> {
  requireSignedIn(ctx);
  const team = tokenOrganizationOf(ctx.principal);
  if (!team) throw forbidden('This credential is bound to no team: use a team API key or a dashboard session');
  if (!(await ctx.authz.can('membership:manage', { organizationId: team }))) throw forbidden('You do not administer this team');
  return team;
}

/** The team's member `userId` (direct or through a parent organization), else NOT_FOUND: other teams' users do not exist here. */
export async function requireTeamUser(ctx: Ctx, team: string, userId: string): Promise<UserRow> {
  const roles = await findEffectiveRoles(ctx.db, userId, [team]);
  const user = roles.has(team) ? await ctx.loaders.userById.load(userId) : null;
  if (!user) throw notFound('User not found');
  return user;
}

// ---- sessions ----

export interface DashboardSession {
  sessionToken: string;
  expiresAt: Date;
  team: string;
  user: UserRow;
}

/**
 * Signs in to the dashboard: the `login` rules (throttle, login log, second factor when the
 * account has one), then a session bound to the first team the user administers.
 */
export async function dashboardLogin(ctx: Context, input: { email: string; password: string; otp?: string | null }): Promise<DashboardSession> {
  const r = await login(ctx, { login: input.email, password: input.password, otp: input.otp });
  const team = await findAdministeredTeam(ctx.db, r.user.id);
  if (!team) throw forbidden('You administer no team');
  const sessionToken = newPersonalToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await ctx.db.transaction(async (tx) => {
    const token = await insertToken(tx, { userId: r.user.id, organizationId: team, name: 'dashboard session', scopes: ['api'], expiresAt, tokenHash: hashToken(sessionToken) });
    await insertSession(tx, { tokenId: token.id, userId: r.user.id, organizationId: team });
    await recordEvent(tx, { principal: r.principal, ip: ctx.ip }, { action: 'dashboard.login', user2Id: r.user.id, organizationId: team });
  });
  return { sessionToken, expiresAt, team, user: r.user };
}

/** Ends the caller's dashboard session (only it: API keys and other sessions stay). */
export async function dashboardLogout(ctx: Ctx): Promise<void> {
  requireSignedIn(ctx);
  const p = ctx.principal;
  const tokenId = p.kind === 'user' && p.credential.type === 'personal_access_token' ? p.credential.tokenId : null;
  const session = tokenId ? await findSessionByTokenId(ctx.db, tokenId) : undefined;
  if (!session) throw new DomainError('PRECONDITION_FAILED', 'Not signed in with a dashboard session');
  await ctx.db.transaction(async (tx) => {
    await revokeToken(tx, session.tokenId, new Date());
    await recordEvent(tx, ctx, { action: 'dashboard.logout', user2Id: session.userId, organizationId: session.organizationId });
  });
}

// ---- passwords ----
// (The graph's changePassword of the auth module is the same change for a signed-in user; this
// one also ends the caller's other dashboard sessions, as the Seald dashboard does.)

function checkNewPassword(password: string, field: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) throw validation(field, `Ensure this field has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
}

/**
 * Changes the caller's password, given the current one (argon2id, the password policy): the
 * user's other dashboard sessions end, and so does every earlier access token (token version).
 */
export async function changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const userId = requireSignedIn(ctx);
  checkNewPassword(input.newPassword, 'newPassword');
  const me = await ctx.loaders.userById.load(userId);
  if (me) await checkPassword(ctx.db, input.newPassword, { username: me.username, emails: [me.primaryEmail] }, 'newPassword');
  const withHash = me ? await findSignInUser(ctx.db, me.username) : undefined;
  if (input.currentPassword.length > PASSWORD_MAX || !(await verifyPassword(withHash?.passwordHash, input.currentPassword))) {
    throw validation('currentPassword', 'Wrong password');
  }
  const hash = await hashPassword(input.newPassword);
  const p = ctx.principal;
  const current = p.kind === 'user' && p.credential.type === 'personal_access_token' ? p.credential.tokenId : null;
  await ctx.db.transaction(async (tx) => {
    await updatePasswordHash(tx, userId, hash);
    const sessions = await revokeSessionsOfUser(tx, userId, new Date(), current);
    await bumpTokenVersion(tx, userId);
    await recordEvent(tx, ctx, { action: 'user.changePassword', user2Id: userId, data: { sessionsEnded: sessions } });
  });
}

/**
 * The mailed three-step reset (Seald's forgot_password): without `challenge`, mail a challenge
 * to the address (through the outbox); with `challenge` only, check it; with both, set the new
 * password and use the challenge up. Step one answers the same whether or not the address
 * belongs to anyone; a wrong challenge counts against its few tries.
 */
export async function resetPassword(ctx: Ctx, input: { email: string; challenge?: string | null; newPassword?: string | null }): Promise<void> {
  const email = input.email.trim();
  if (!isEmail(email)) throw validation('email', 'Enter a valid email address');
  const user = await findUserByEmail(ctx.db, email);
  const now = new Date();
  if (input.challenge == null) {
    if (input.newPassword != null) throw validation('challenge', 'This field is required');
    if (!user || user.state !== 'active') return;
    const challenge = randomBytes(12).toString('base64url');
    await ctx.db.transaction(async (tx) => {
      await insertChallenge(tx, { userId: user.id, challengeHash: hashToken(challenge), expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
      await insertOutbox(tx, {
        channel: 'email',
        template: 'password_reset',
        recipient: email,
        subject: 'Your password reset challenge',
        body: `Someone asked to reset the password of your account. If it was you, enter this challenge: ${challenge}\nIt is valid for one hour. Otherwise ignore this message.`,
        payload: { userId: user.id },
      });
      await recordEvent(tx, ctx, { action: 'password.resetRequest', user2Id: user.id, email });
    });
    return;
  }
  const live = user ? await findLiveChallenge(ctx.db, user.id, now, CHALLENGE_MAX_ATTEMPTS) : undefined;
  if (!user || !live || live.challengeHash !== hashToken(input.challenge)) {
    if (live) await countChallengeAttempt(ctx.db, live.id);
    throw validation('challenge', 'Invalid or expired challenge');
  }
  if (input.newPassword == null) return;
  checkNewPassword(input.newPassword, 'newPassword');
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    const used = await useChallenge(tx, live.id, now);
    if (!used) throw validation('challenge', 'Invalid or expired challenge');
    await updatePasswordHash(tx, user.id, hash);
    // Whoever signed in with the old password is signed out.
    const sessions = await revokeSessionsOfUser(tx, user.id, now, null);
    await recordEvent(tx, ctx, { action: 'password.reset', user2Id: user.id, email, data: { sessionsEnded: sessions } });
  });
}

// ---- team credentials ----

/** A new SSKS API key of the team, shown once (stored as sha256). */
export async function generateSsksApiKey(ctx: Ctx): Promise<string> {
  const team = await teamOf(ctx);
  const apiKey = randomBytes(32).toString('base64url');
  await ctx.db.transaction(async (tx) => {
    const row = await insertSsksKey(tx, { organizationId: team, keyHash: hashToken(apiKey), createdById: ctx.authz.userId });
    await recordEvent(tx, ctx, { action: 'ssksApiKey.create', organizationId: team, data: { ssksApiKeyId: row.id } });
  });
  return apiKey;
}

/** The team's usable API tokens (sessions left out), newest first. */
export async function teamApiTokens(ctx: Ctx, team: string, limit: number, offset: number): Promise<{ rows: TokenRow[]; count: () => Promise<number> }> {
  if (!(await ctx.authz.can('membership:manage', { organizationId: team }))) return { rows: [], count: async () => 0 };
  return { rows: await listTeamTokens(ctx.db, team, limit, offset), count: () => countTeamTokens(ctx.db, team) };
}

// ---- team users ----

export interface TeamUserRow {
  user: UserRow;
  disabledAt: Date | null;
}

export async function teamUsers(ctx: Ctx, team: string, filter: TeamUserFilter, limit: number, offset: number): Promise<{ rows: TeamUserRow[]; count: () => Promise<number> }> {
  if (!(await ctx.authz.can('membership:manage', { organizationId: team }))) return { rows: [], count: async () => 0 };
  const rows = await listTeamUsers(ctx.db, team, filter, limit, offset);
  const disabled = new Map((await findTeamUserDisables(ctx.db, team, rows.map((r) => r.id))).map((d) => [d.userId, d.disabledAt]));
  return { rows: rows.map((user) => ({ user, disabledAt: disabled.get(user.id) ?? null })), count: () => countTeamUsers(ctx.db, team, filter) };
}

/** Disables a user in the team (they stay a member row, readable and filterable); again: no change. */
export async function disableTeamUser(ctx: Ctx, userId: string): Promise<TeamUserRow> {
  const team = await teamOf(ctx);
  const user = await requireTeamUser(ctx, team, userId);
  await ctx.db.transaction(async (tx) => {
    await insertTeamUserDisable(tx, { organizationId: team, userId, disabledById: ctx.authz.userId });
    await recordEvent(tx, ctx, { action: 'team.userDisable', user2Id: userId, organizationId: team });
  });
  const [d] = await findTeamUserDisables(ctx.db, team, [userId]);
  return { user, disabledAt: d?.disabledAt ?? null };
}

/**
 * Seald's full_revoke: revokes every device of the user, their API keys and sessions in this
 * team and their accesses to the team's messages, then disables them in the team — one transaction (Seald runs it as a background task;
 * here it is done when the answer comes).
 */
export async function fullRevokeTeamUser(ctx: Ctx, userId: string): Promise<TeamUserRow> {
  const team = await teamOf(ctx);
  const user = await requireTeamUser(ctx, team, userId);
  const devices = (await findDevicesByUserIds(ctx.db, [userId])).filter((d) => d.state === 'active');
  const tokens = await findTeamTokenIdsOfUser(ctx.db, team, userId);
  const now = new Date();
  await ctx.db.transaction(async (tx) => {
    for (const d of devices) {
      await updateDevice(tx, d.id, { state: 'revoked', revokedAt: now });
      await appendToUserSigchain(tx, userId, serverTransaction('device.revoke', { device_id: d.id, revoked_by: ctx.authz.userId }));
      await recordEvent(tx, ctx, { action: 'device.revoke', user2Id: userId, deviceId: d.id, organizationId: team, data: { name: d.name } });
    }
    for (const id of tokens) await revokeToken(tx, id, now);
    // Their accesses to the team's messages too: their devices' keys stop being returned at once.
    const accesses = await revokeAccessesInOrganization(tx, team, userId, now);
    await insertTeamUserDisable(tx, { organizationId: team, userId, disabledById: ctx.authz.userId });
    await recordEvent(tx, ctx, { action: 'team.userFullRevoke', user2Id: userId, organizationId: team, data: { devices: devices.length, tokens: tokens.length, messageAccesses: accesses } });
  });
  for (const d of devices) ctx.loaders.deviceById.clear(d.id);
  const [d] = await findTeamUserDisables(ctx.db, team, [userId]);
  return { user, disabledAt: d?.disabledAt ?? now };
}

/** A new API key of the team for the caller (scope api, bound to the team); the secret once. */
export async function createTeamApiToken(ctx: Ctx, input: { name: string; expiresAt?: Date | null }): Promise<{ token: string; row: TokenRow }> {
  const team = await teamOf(ctx);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 255) throw validation('name', 'Name must be 1 to 255 characters');
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw validation('expiresAt', 'Expiry must be in the future');
  const r = await issueToken(ctx.db, ctx, { userId: requireSignedIn(ctx), organizationId: team, name, scopes: ['api'], expiresAt: input.expiresAt ?? null });
  return { token: r.token, row: r.personalAccessToken };
}

/** Revokes one of the team's API keys (whoever's it is); another team's, a session or a missing one: NOT_FOUND. */
export async function deleteTeamApiToken(ctx: Ctx, tokenId: string): Promise<TokenRow> {
  const team = await teamOf(ctx);
  const row = await findTokenById(ctx.db, tokenId);
  if (!row || row.organizationId !== team || row.revokedAt || (await findSessionByTokenId(ctx.db, row.id))) throw notFound('API token not found');
  return ctx.db.transaction(async (tx) => {
    const revoked = await revokeToken(tx, row.id, new Date());
    await recordEvent(tx, ctx, { action: 'personalAccessToken.revoke', user2Id: row.userId, organizationId: team, data: { tokenId: row.id } });
    return revoked!;
  });
}

// ---- event-log export ----

/** The most events one export mails. */
export const EXPORT_MAX_EVENTS = 10_000;

const csvCell = (v: unknown): string => {
  const s = v == null ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Quoted always; a leading =, +, - or @ is defused so a spreadsheet does not run it as a formula.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

/**
 * Mails the team's events between two dates to the caller as a CSV attachment (outbox
 * template `eventlogs_export`; the attachment is in the row's payload, so the mail commits with
 * its event-log row). At most EXPORT_MAX_EVENTS events, oldest first.
 */
export async function exportTeamEventLogs(ctx: Ctx, input: { dateMin: Date; dateMax: Date }): Promise<number> {
  const team = await teamOf(ctx);
  if (!(input.dateMin < input.dateMax)) throw validation('dateMax', 'date_max must be after date_min');
  const me = await ctx.loaders.userById.load(requireSignedIn(ctx));
  if (!me?.primaryEmail) throw new DomainError('PRECONDITION_FAILED', 'You have no email address to send the export to');
  const rows = await listTeamEventsBetween(ctx.db, team, input.dateMin, input.dateMax, EXPORT_MAX_EVENTS);
  const header = ['id', 'date', 'action', 'user_id', 'user2_id', 'device_id', 'message_id', 'email', 'ip'];
  const lines = rows.map((e) => [e.id, e.occurredAt, e.action, e.actorUserId, e.user2Id, e.deviceId, e.messageId, e.email, e.ip].map(csvCell).join(','));
  const csv = [header.join(','), ...lines].join('\r\n') + '\r\n';
  await ctx.db.transaction(async (tx) => {
    await insertOutbox(tx, {
      channel: 'email',
      template: 'eventlogs_export',
      recipient: me.primaryEmail!,
      organizationId: team,
      subject: 'Your event log export',
      body: `The ${rows.length} events of your team between ${input.dateMin.toISOString()} and ${input.dateMax.toISOString()} are attached (CSV).`,
      payload: { attachments: [{ filename: 'eventlogs.csv', contentType: 'text/csv', content: csv }] },
    });
    await recordEvent(tx, ctx, { action: 'eventLog.export', organizationId: team, data: { dateMin: input.dateMin.toISOString(), dateMax: input.dateMax.toISOString(), events: rows.length } });
  });
  return rows.length;
}

// ---- JWT shared secrets and sigchains ----

/** A new shared secret of the team with these permissions (each of JWT_PERMISSIONS, at least one). */
export async function createJwtSharedSecret(ctx: Ctx, permissions: number[]): Promise<JwtSecretRow> {
  const team = await teamOf(ctx);
  const perms = [...new Set(permissions)].sort((a, b) => a - b);
  if (perms.length === 0 || perms.some((p) => !(JWT_PERMISSIONS as readonly number[]).includes(p))) {
    throw validation('permissions', `Permissions must be among ${JWT_PERMISSIONS.join(', ')}`);
  }
  // 256 random bits: HS256's key size (43 characters, above Seald's minimum of 16); stored sealed under MASTER_KEY when set.
  const plain = randomBytes(32).toString('base64url');
  const stored = storeSecret(ctx.db, plain, JWT_SECRET_PURPOSE);
  return ctx.db.transaction(async (tx) => {
    const row = await insertJwtSecret(tx, { organizationId: team, sharedSecret: stored, permissions: perms, createdById: ctx.authz.userId });
    await recordEvent(tx, ctx, { action: 'jwtSharedSecret.create', organizationId: team, data: { jwtSharedSecretId: row.id, permissions: perms } });
    return { ...row, sharedSecret: plain };
  });
}

/** A secret's row as the team sees it: the shared secret opened (the dashboard shows it, as Seald's does). */
const opened = (ctx: Ctx, r: JwtSecretRow): JwtSecretRow => ({ ...r, sharedSecret: openSecret(ctx.db, r.sharedSecret, JWT_SECRET_PURPOSE) });

export async function teamJwtSharedSecrets(ctx: Ctx, team: string, limit: number, offset: number): Promise<{ rows: JwtSecretRow[]; count: () => Promise<number> }> {
  if (!(await ctx.authz.can('membership:manage', { organizationId: team }))) return { rows: [], count: async () => 0 };
  return { rows: (await listJwtSecrets(ctx.db, team, limit, offset)).map((r) => opened(ctx, r)), count: () => countJwtSecrets(ctx.db, team) };
}

/** Deletes a secret of the team: JWTs signed with it stop working at once. */
export async function deleteJwtSharedSecret(ctx: Ctx, id: string): Promise<JwtSecretRow> {
  const team = await teamOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await deleteJwtSecret(tx, team, id);
    if (!row) throw notFound('JWT shared secret not found');
    await recordEvent(tx, ctx, { action: 'jwtSharedSecret.delete', organizationId: team, data: { jwtSharedSecretId: id } });
    return opened(ctx, row);
  });
}

/**
 * A team member's signature chain, in order (possibly empty): for the team's admins, and for a
 * JWT of the team with the sigchain permission. Anyone else: null (as a missing user).
 */
export async function sigchainOf(ctx: Ctx, userId: string) {
  const p = ctx.principal;
  const team = p.kind === 'teamJwt' ? p.organizationId : tokenOrganizationOf(p);
  if (!team) return null;
  const allowed = p.kind === 'teamJwt' ? teamJwtMay(p, team, 2) : await ctx.authz.can('membership:manage', { organizationId: team });
  if (!allowed || !(await findEffectiveRoles(ctx.db, userId, [team])).has(team)) return null;
  return userSigchain(ctx.db, userId);
}

// ---- invited emails and licences ----

export interface Licences {
  used: number;
  /** The team's licences (the organization's quota limit); null: unlimited. */
  total: number | null;
  available: number | null;
}

/**
 * A team's licences: each email invitation pending or accepted uses one; the team has as many
 * as its organization's quota limit (null: unlimited).
 */
export async function teamLicences(ctx: Ctx, team: string): Promise<Licences | null> {
  if (!(await ctx.authz.can('membership:manage', { organizationId: team }))) return null;
  const org = await ctx.loaders.organizationById.load(team);
  const used = await countUsedLicences(ctx.db, team);
  const total = org?.quotaLimit ?? null;
  return { used, total, available: total === null ? null : Math.max(0, total - used) };
}

const NO_LICENCE = 'No licence left: disable an invited email or get more licences';

/**
 * Invites an email to the caller's team when a licence is left (the invitation rules of the graph
 * apply). Counted again inside the invitation's transaction with the team's row locked, so two
 * invitations at once cannot both take the last licence.
 */
export async function inviteTeamEmail(ctx: Ctx, email: string): Promise<InvitationRow> {
  const team = await teamOf(ctx);
  const licences = await teamLicences(ctx, team);
  if (licences?.available === 0) throw new DomainError('PRECONDITION_FAILED', NO_LICENCE, 'email');
  return inviteToOrganization(ctx, { organizationId: team, email }, async (tx, organizationId) => {
    const total = await lockQuotaLimit(tx, organizationId);
    if (total !== null && (await countUsedLicences(tx, organizationId)) >= total) throw new DomainError('PRECONDITION_FAILED', NO_LICENCE, 'email');
  });
}
