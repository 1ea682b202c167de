// Rules for invitations: who may see, send, resend, revoke, accept and reject them; the
// invitee (a user by username, an email, a phone, or an organization); validity windows; one
// pending invitation per organization and invitee. Every change commits with its event-log row
// and, for email and phone invitations, the outbox message that tells the invitee.
import type { ServiceContext } from '../../context.js';
import type { Role } from '../../core/auth/policy.js';
import { tenantScopeOf } from '../../core/auth/tenant.js';
import type { Database } from '../../core/db.js';
import { DomainError, conflict, notFound, validation } from '../../core/errors.js';
import { emptyConnection, pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { idOfType, toGlobalId } from '../../core/graphql/node.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { offsetPage, MAX_OFFSET } from '../../core/offset.js';
import { isE164Phone, isEmail, isSlug, normalizePhone } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import { findMembership, findOrganizationBySlug, insertMembership, type OrganizationRow } from '../organizations/organization.repo.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { enqueue } from '../outbox/outbox.service.js';
import { findUserByEmail, findUserByUsername, type UserRow } from '../users/user.repo.js';
import {
  countInvitations,
  expireLapsedFor,
  findInvitationById,
  findPendingInvitationsNamed,
  findPendingOrganizationInvitation,
  findPendingPhoneInvitation,
  insertInvitation,
  listInvitations,
  revokePendingForEmail,
  transitionPending,
  type InvitationFilter,
  type InvitationRow,
  type InvitationStatusValue,
} from './invitation.repo.js';
import { findOrganizationMembership, insertOrganizationMembership } from '../organizations/organization.repo.js';
import { effectiveStatus } from './invitation.type.js';

type Ctx = ServiceContext;

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_VALIDITY_DAYS = 7;
export const MAX_VALIDITY_DAYS = 30;
/** How far a resend pushes validUntil (from now, or from a later validUntil). */
export const RESEND_EXTENSION_DAYS = 7;

// ---- visibility ----

/** Whether the invitation is addressed to the caller: by user id, else by one of their active emails or phones. */
async function addressedToCaller(ctx: Ctx, row: InvitationRow): Promise<boolean> {
  const me = ctx.authz.userId;
  if (!me) return false;
  if (row.inviteeUserId) return row.inviteeUserId === me;
  if (!row.inviteeEmail && !row.inviteePhone) return false;
  const mine = await ctx.loaders.activeContactsByUserId.load(me);
  return (row.inviteeEmail !== null && mine.emails.has(row.inviteeEmail.toLowerCase())) || (row.inviteePhone !== null && mine.phones.has(row.inviteePhone));
}

/** Managers of the inviting organization, the invitee, and admins of an invitee organization may read it. */
export async function canReadInvitation(ctx: Ctx, row: InvitationRow): Promise<boolean> {
  if (await ctx.authz.can('invitation:read', { organizationId: row.organizationId })) return true;
  // The tenant rule holds for received invitations too (core/auth/tenant.ts).
  if (!(await ctx.authz.withinTokenSubtree(row.organizationId))) return false;
  if (row.inviteeOrganizationId) return ctx.authz.can('invitation:read', { organizationId: row.inviteeOrganizationId });
  return addressedToCaller(ctx, row);
}

/** Whether the caller may accept or reject: the invited user, or an owner of the invited organization. */
async function mayAnswer(ctx: Ctx, row: InvitationRow): Promise<boolean> {
  if (row.inviteeOrganizationId) return ctx.authz.can('membership:grantOwner', { organizationId: row.inviteeOrganizationId });
  return addressedToCaller(ctx, row);
}

/** An invitation the caller may read; missing and unreadable answer alike (null). */
export async function readableInvitation(ctx: Ctx, id: string): Promise<InvitationRow | null> {
  const row = await ctx.loaders.invitationById.load(id);
  return row && (await canReadInvitation(ctx, row)) ? row : null;
}

/** Changes need a signed-in caller; anonymous ones are told so rather than NOT_FOUND. */
function requireSignedIn(ctx: Ctx): string {
  const me = ctx.authz.userId;
  if (!me) throw new DomainError('UNAUTHENTICATED');
  return me;
}

async function requireInvitation(ctx: Ctx, id: string): Promise<InvitationRow> {
  requireSignedIn(ctx);
  const row = await readableInvitation(ctx, id);
  if (!row) throw notFound('Invitation not found');
  return row;
}

async function requireOrganization(ctx: Ctx, id: string): Promise<OrganizationRow> {
  const row = await readableOrganization(ctx, id);
  if (!row) throw notFound('Organization not found');
  return row;
}

const empty = <T>(args: ConnectionArgs): Connection<T> => emptyConnection(pageRequest(args));

export async function listVisibleInvitations(ctx: Ctx, args: ConnectionArgs, filter: InvitationFilter, offset?: number | null): Promise<Connection<InvitationRow>> {
  const page = offsetPage(pageRequest(args), offset, MAX_OFFSET);
  const skip = page.skipped;
  const scope = tenantScopeOf(ctx.principal);
  if (!scope) return empty(args);
  const rows = await listInvitations(ctx.db, scope, filter, page, skip);
  for (const r of rows) ctx.loaders.invitationById.prime(r.id, r);
  return toConnection(rows, page, (r) => [r.id], (r) => r, () => countInvitations(ctx.db, scope, filter));
}

/** One organization's invitations (batched across organizations); empty unless you manage invitations there. */
export async function invitationsOfOrganization(ctx: Ctx, organizationId: string, args: ConnectionArgs & { status?: InvitationStatusValue | null }) {
  const page = pageRequest(args);
  const status = args.status ?? null;
  if (!(await ctx.authz.can('invitation:read', { organizationId }))) return empty<InvitationRow>(args);
  const rows = await ctx.loaders.invitationPageByOrganizationId({ status, page }).load(organizationId);
  return toConnection(rows, page, (r) => [r.id], (r) => r, () => ctx.loaders.invitationCountByOrganizationId(status).load(organizationId));
}

/** Invitations a user received (batched across users); empty unless you are that user or an instance admin. */
export async function invitationsReceivedBy(ctx: Ctx, userId: string, args: ConnectionArgs & { status?: InvitationStatusValue | null }) {
  const page = pageRequest(args);
  const status = args.status ?? null;
  if (!ctx.authz.isSelfOrAdmin(userId)) return empty<InvitationRow>(args);
  const rows = await ctx.loaders.receivedInvitationPageByUserId({ status, page }).load(userId);
  return toConnection(rows, page, (r) => [r.id], (r) => r, () => ctx.loaders.receivedInvitationCountByUserId(status).load(userId));
}

// ---- changes ----

export interface InviteInput {
  organizationId: string;
  username?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Slug or global ID of the invited organization. */
  organization?: string | null;
  role?: Role | null;
  validUntil?: Date | null;
  /** false: no email or SMS is queued (Itsyouonline's `invitenotification=none`); default true. */
  notify?: boolean | null;
}

/**
 * A rule a caller adds to an invitation (a dialect's licence limit): run inside the invitation's
 * transaction before the row is written, so that what it counts cannot change before the commit
 * (it locks what it reads). Throws to refuse.
 */
export type InvitationGuard = (tx: Database, organizationId: string) => Promise<void>;

type Invitee =
  | { kind: 'user'; field: 'username'; userId: string }
  | { kind: 'email'; field: 'email'; email: string; userId: string | null }
  | { kind: 'phone'; field: 'phone'; phone: string }
  | { kind: 'organization'; field: 'organization'; organization: OrganizationRow };

function checkValidUntil(value: Date | null | undefined, now: Date): Date {
  if (value == null) return new Date(now.getTime() + DEFAULT_VALIDITY_DAYS * DAY_MS);
  if (Number.isNaN(value.getTime()) || value.getTime() <= now.getTime()) throw validation('validUntil', 'validUntil must be in the future');
  // A minute of slack, so "exactly 30 days from now" computed by the client passes.
  if (value.getTime() > now.getTime() + MAX_VALIDITY_DAYS * DAY_MS + 60_000) throw validation('validUntil', `validUntil must be at most ${MAX_VALIDITY_DAYS} days ahead`);
  return value;
}

async function resolveInvitee(ctx: Ctx, org: OrganizationRow, input: InviteInput, role: Role): Promise<Invitee> {
  const given = (['username', 'email', 'phone', 'organization'] as const).filter((k) => input[k] != null);
  if (given.length === 0) throw validation('username', 'Give one of username, email, phone or organization');
  if (given.length > 1) throw validation(given[1]!, 'Give only one of username, email, phone or organization');
  const field = given[0]!;
  switch (field) {
    case 'username': {
      const name = input.username!.trim();
      const user = name.length > 0 && name.length <= 255 ? await findUserByUsername(ctx.db, name) : undefined;
      if (!user) throw notFound('User not found');
      if (await findMembership(ctx.db, org.id, user.id)) throw conflict('username', 'This user is already a member');
      return { kind: 'user', field, userId: user.id };
    }
    case 'email': {
      const email = input.email!.trim();
      if (!isEmail(email)) throw validation('email', 'Not an email address');
      // An address that belongs to a user invites that user (and only they may accept).
      const user = await findUserByEmail(ctx.db, email);
      if (user && (await findMembership(ctx.db, org.id, user.id))) throw conflict('email', 'The user with this email address is already a member');
      return { kind: 'email', field, email, userId: user?.id ?? null };
    }
    case 'phone': {
      // The "+" is optional here (the accounts dialect's invitee_identifier): digits alone are
      // read as an international number, so the invitation matches the invitee's E.164 contact.
      const phone = normalizePhone(input.phone!, { plusOptional: true });
      if (!isE164Phone(phone)) throw validation('phone', 'Not a phone number: give it in international form, e.g. +32475123456 (the "+" may be left out)');
      return { kind: 'phone', field, phone };
    }
    case 'organization': {
      const ref = input.organization!.trim();
      const byId = idOfType(ref, 'Organization');
      // Inviting an organization does not need to see it: its owners decide by accepting.
      const target = byId ? await ctx.loaders.organizationById.load(byId) : ref.length <= 64 ? await findOrganizationBySlug(ctx.db, ref) : undefined;
      if (!target) throw notFound('Organization not found');
      if (target.id === org.id) throw validation('organization', 'An organization cannot invite itself');
      if (role === 'admin') throw validation('role', 'Organizations join as OWNER or MEMBER');
      if (await findOrganizationMembership(ctx.db, org.id, target.id)) throw conflict('organization', 'This organization is already a member');
      return { kind: 'organization', field, organization: target };
    }
  }
}

const PENDING_KEYS = ['invitations_pending_user_key', 'invitations_pending_email_key', 'invitations_pending_phone_key', 'invitations_pending_org_key'];

export async function inviteToOrganization(ctx: Ctx, input: InviteInput, guard?: InvitationGuard): Promise<InvitationRow> {
  requireSignedIn(ctx);
  const org = await requireOrganization(ctx, input.organizationId);
  await ctx.authz.assert('invitation:manage', { organizationId: org.id });
  const role: Role = input.role ?? 'member';
  if (role === 'owner') await ctx.authz.assert('membership:grantOwner', { organizationId: org.id }, { message: 'Only owners invite owners' });
  const now = new Date();
  const validUntil = checkValidUntil(input.validUntil, now);
  const invitee = await resolveInvitee(ctx, org, input, role);
  const values = {
    organizationId: org.id,
    inviteeUserId: invitee.kind === 'user' || invitee.kind === 'email' ? invitee.userId : null,
    inviteeEmail: invitee.kind === 'email' ? invitee.email : null,
    inviteePhone: invitee.kind === 'phone' ? invitee.phone : null,
    inviteeOrganizationId: invitee.kind === 'organization' ? invitee.organization.id : null,
    role,
    method: invitee.kind === 'email' ? 'email' : invitee.kind === 'phone' ? 'phone' : 'website',
    invitedById: ctx.authz.userId,
    sentAt: now,
    validUntil,
  } as const;
  const inviter = await inviterOf(ctx, values);
  try {
    return await ctx.db.transaction(async (tx) => {
      await expireLapsedFor(tx, org.id, { userId: values.inviteeUserId, email: values.inviteeEmail, phone: values.inviteePhone, organizationId: values.inviteeOrganizationId });
      await guard?.(tx, org.id);
      // Phones have no partial unique index; this check is the guard (not race-proof).
      if (values.inviteePhone && (await findPendingPhoneInvitation(tx, org.id, values.inviteePhone))) throw conflict('phone', 'A pending invitation for this phone number already exists');
      const inv = await insertInvitation(tx, values);
      if (input.notify !== false) await notifyInvitee(tx, org, inv, inviter);
      await recordEvent(tx, ctx, {
        action: 'invitation.create',
        organizationId: org.id,
        user2Id: inv.inviteeUserId,
        email: inv.inviteeEmail,
        data: { invitationId: inv.id, role, method: inv.method, inviteePhone: inv.inviteePhone, inviteeOrganizationId: inv.inviteeOrganizationId },
      });
      return inv;
    });
  } catch (err) {
    if (PENDING_KEYS.some((k) => isUniqueViolation(err, k))) throw conflict(invitee.field, 'A pending invitation for this invitee already exists');
    throw err;
  }
}

/** Who sent an invitation, for its message; loaded before the transaction opens. */
async function inviterOf(ctx: Ctx, inv: Pick<InvitationRow, 'invitedById'>): Promise<UserRow | null> {
  return inv.invitedById ? ctx.loaders.userById.load(inv.invitedById) : null;
}

/**
 * Queues the email or SMS of an email or phone invitation, in the caller's transaction. Only
 * `tx` may be used here: on PGlite a statement on another handle waits for the transaction.
 */
async function notifyInvitee(tx: Database, org: OrganizationRow, inv: InvitationRow, inviter: UserRow | null): Promise<void> {
  const recipient = inv.method === 'email' ? inv.inviteeEmail : inv.method === 'phone' ? inv.inviteePhone : null;
  if (!recipient) return;
  const who = inviter?.displayName || inviter?.username || 'Someone';
  const gid = toGlobalId('Invitation', inv.id);
  const until = inv.validUntil.toISOString();
  const role = inv.role.toUpperCase();
  await enqueue(tx, {
    channel: inv.method === 'email' ? 'email' : 'sms',
    template: 'invitation',
    recipient,
    subject: inv.method === 'email' ? `Invitation to join ${org.name}` : null,
    body:
      inv.method === 'email'
        ? `${who} invited you to join ${org.name} (${org.slug}) as ${role}.\n\nSign in and accept the invitation before ${until}. Its id:\n\n${gid}\n`
        : `${who} invited you to join ${org.name} as ${role}. Invitation ${gid}, valid until ${until}.`,
    payload: { invitationId: gid, organizationId: toGlobalId('Organization', org.id), organizationSlug: org.slug, organizationName: org.name, role, validUntil: until, invitedBy: inviter?.username ?? null },
    organizationId: org.id,
  });
}

function notAnswerable(row: InvitationRow | null | undefined): DomainError {
  const status = row ? effectiveStatus(row) : 'gone';
  return new DomainError('PRECONDITION_FAILED', `The invitation is ${status}`, 'id');
}

export async function resendInvitation(ctx: Ctx, id: string): Promise<InvitationRow> {
  const row = await requireInvitation(ctx, id);
  await ctx.authz.assert('invitation:manage', { organizationId: row.organizationId });
  if (row.role === 'owner') await ctx.authz.assert('membership:grantOwner', { organizationId: row.organizationId }, { message: 'Only owners resend invitations as owner' });
  // A lapsed invitation that was never replaced is still the pending row: resending revives it.
  if (row.status !== 'pending') throw notAnswerable(row);
  const org = await requireOrganization(ctx, row.organizationId);
  const now = new Date();
  const from = Math.max(now.getTime(), row.validUntil.getTime());
  const validUntil = new Date(Math.min(from + RESEND_EXTENSION_DAYS * DAY_MS, now.getTime() + MAX_VALIDITY_DAYS * DAY_MS));
  const inviter = await inviterOf(ctx, row);
  return ctx.db.transaction(async (tx) => {
    const updated = await transitionPending(tx, row, { sentAt: now, validUntil }, { requireValid: false });
    if (!updated) throw notAnswerable(await findInvitationById(tx, row.id));
    await notifyInvitee(tx, org, updated, inviter);
    await recordEvent(tx, ctx, { action: 'invitation.resend', organizationId: row.organizationId, user2Id: row.inviteeUserId, email: row.inviteeEmail, data: { invitationId: row.id, validUntil: validUntil.toISOString() } });
    return updated;
  });
}

export async function revokeInvitation(ctx: Ctx, id: string): Promise<InvitationRow> {
  const row = await requireInvitation(ctx, id);
  await ctx.authz.assert('invitation:manage', { organizationId: row.organizationId });
  if (row.status !== 'pending') throw notAnswerable(row);
  return ctx.db.transaction(async (tx) => {
    // Lapsed pending invitations may be revoked too: the row then says who closed it.
    const updated = await transitionPending(tx, row, { status: 'revoked', revokedAt: new Date() }, { requireValid: false });
    if (!updated) throw notAnswerable(await findInvitationById(tx, row.id));
    await recordEvent(tx, ctx, { action: 'invitation.revoke', organizationId: row.organizationId, user2Id: row.inviteeUserId, email: row.inviteeEmail, data: { invitationId: row.id } });
    return updated;
  });
}

/** The invitation an invitee may answer: readable, addressed to them, still pending and valid. */
async function requireAnswerable(ctx: Ctx, id: string): Promise<InvitationRow> {
  const row = await requireInvitation(ctx, id);
  if (!(await mayAnswer(ctx, row))) throw new DomainError('FORBIDDEN', row.inviteeOrganizationId ? 'Only owners of the invited organization answer' : 'Only the invitee answers');
  if (effectiveStatus(row) !== 'pending') throw notAnswerable(row);
  return row;
}

export async function acceptInvitation(ctx: Ctx, id: string): Promise<InvitationRow> {
  const me = requireSignedIn(ctx);
  const row = await requireAnswerable(ctx, id);
  try {
    return await ctx.db.transaction(async (tx) => {
      // The conditional UPDATE is the lock: of two concurrent accepts, the second finds the row
      // no longer pending once the first commits, and fails here.
      const updated = await transitionPending(tx, row, { status: 'accepted', acceptedAt: new Date(), inviteeUserId: row.inviteeOrganizationId ? row.inviteeUserId : (row.inviteeUserId ?? me) });
      if (!updated) throw notAnswerable(await findInvitationById(tx, row.id));
      let membershipId: string;
      if (row.inviteeOrganizationId) {
        const m = await insertOrganizationMembership(tx, { organizationId: row.organizationId, memberOrganizationId: row.inviteeOrganizationId, role: row.role === 'owner' ? 'owner' : 'member' });
        membershipId = m.id;
      } else {
        const m = await insertMembership(tx, { organizationId: row.organizationId, userId: me, role: row.role });
        membershipId = m.id;
      }
      await recordEvent(tx, ctx, {
        action: 'invitation.accept',
        organizationId: row.organizationId,
        user2Id: row.invitedById,
        email: row.inviteeEmail,
        data: { invitationId: row.id, role: row.role, membershipId, inviteeOrganizationId: row.inviteeOrganizationId },
      });
      return updated;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'memberships_user_org_key')) throw conflict('id', 'You are already a member of this organization');
    if (isUniqueViolation(err, 'organization_memberships_pair_key')) throw conflict('id', 'The invited organization is already a member');
    throw err;
  }
}

export async function rejectInvitation(ctx: Ctx, id: string): Promise<InvitationRow> {
  const me = requireSignedIn(ctx);
  const row = await requireAnswerable(ctx, id);
  return ctx.db.transaction(async (tx) => {
    const updated = await transitionPending(tx, row, { status: 'rejected', declinedAt: new Date(), inviteeUserId: row.inviteeOrganizationId ? row.inviteeUserId : (row.inviteeUserId ?? me) });
    if (!updated) throw notAnswerable(await findInvitationById(tx, row.id));
    await recordEvent(tx, ctx, { action: 'invitation.reject', organizationId: row.organizationId, user2Id: row.invitedById, email: row.inviteeEmail, data: { invitationId: row.id } });
    return updated;
  });
}

/** Revokes every pending invitation of one email into an organization (admins); 0 when none. */
export async function revokeInvitationsForEmail(ctx: Ctx, organizationId: string, email: string): Promise<number> {
  requireSignedIn(ctx);
  const org = await readableOrganization(ctx, organizationId);
  if (!org) throw notFound('Organization not found');
  await ctx.authz.assert('invitation:manage', { organizationId: org.id });
  return ctx.db.transaction(async (tx) => {
    const revoked = await revokePendingForEmail(tx, org.id, email.trim(), new Date());
    for (const row of revoked) {
      await recordEvent(tx, ctx, { action: 'invitation.revoke', organizationId: org.id, user2Id: row.inviteeUserId, email: row.inviteeEmail, data: { invitationId: row.id } });
    }
    return revoked.length;
  });
}

/**
 * Accepts or declines the pending invitation of a user into an organization with a role, named
 * by those three (the Itsyouonline dialect's paths) instead of the invitation's id: the user
 * themself answers (an instance admin may read it but answering stays the invitee's, as by id).
 * NOT_FOUND when there is no such pending invitation.
 */
export async function answerInvitationOf(ctx: Ctx, userId: string, organizationSlug: string, role: string, accept: boolean): Promise<InvitationRow> {
  requireSignedIn(ctx);
  const org = isSlug(organizationSlug) ? await findOrganizationBySlug(ctx.db, organizationSlug) : undefined;
  const page = org ? await invitationsReceivedBy(ctx, userId, { first: 100, status: 'pending' }) : null;
  const row = page?.edges.map((e) => e.node).find((r) => r.role === role && r.organizationId === org!.id);
  if (!row) throw notFound('Invitation not found');
  return accept ? acceptInvitation(ctx, row.id) : rejectInvitation(ctx, row.id);
}

/**
 * The invited organization's answer to an organization's invitation (Itsyouonline's
 * `/organizations/{globalid}/organizations/{invitingorg}/roles/{role}`): an owner of the invited
 * organization accepts (the org-membership is made) or rejects, once. NOT_FOUND when there is
 * no such pending invitation, or the caller cannot see the invited organization.
 */
export async function answerOrganizationInvitationOf(ctx: Ctx, inviteeSlug: string, invitingSlug: string, role: 'owner' | 'member', accept: boolean): Promise<InvitationRow> {
  requireSignedIn(ctx);
  const [invitee, inviting] = await Promise.all([
    isSlug(inviteeSlug) ? findOrganizationBySlug(ctx.db, inviteeSlug) : undefined,
    isSlug(invitingSlug) ? findOrganizationBySlug(ctx.db, invitingSlug) : undefined,
  ]);
  if (!invitee || !(await readableOrganization(ctx, invitee.id))) throw notFound('Organization not found');
  const row = inviting ? await findPendingOrganizationInvitation(ctx.db, inviting.id, invitee.id, role) : undefined;
  if (!row) throw notFound('Invitation not found');
  ctx.loaders.invitationById.prime(row.id, row);
  return accept ? acceptInvitation(ctx, row.id) : rejectInvitation(ctx, row.id);
}

/**
 * Revokes the pending invitations of an organization addressed to one invitee by username,
 * email or phone (Itsyouonline's `DELETE /organizations/{globalid}/invitations/{username}`), in
 * one transaction with an event row each. NOT_FOUND when there is none.
 */
export async function revokeInvitationsNamed(ctx: Ctx, organizationSlug: string, name: string): Promise<number> {
  requireSignedIn(ctx);
  const org = isSlug(organizationSlug) ? await findOrganizationBySlug(ctx.db, organizationSlug) : undefined;
  if (!org || !(await readableOrganization(ctx, org.id))) throw notFound('Organization not found');
  await ctx.authz.assert('invitation:manage', { organizationId: org.id });
  const rows = name.length <= 255 ? await findPendingInvitationsNamed(ctx.db, org.id, name) : [];
  if (rows.length === 0) throw notFound('Invitation not found');
  if (rows.some((r) => r.role === 'owner')) await ctx.authz.assert('membership:grantOwner', { organizationId: org.id }, { message: 'Only owners cancel invitations as owner' });
  return ctx.db.transaction(async (tx) => {
    let n = 0;
    for (const row of rows) {
      const updated = await transitionPending(tx, row, { status: 'revoked', revokedAt: new Date() }, { requireValid: false });
      if (!updated) continue;
      n++;
      await recordEvent(tx, ctx, { action: 'invitation.revoke', organizationId: org.id, user2Id: row.inviteeUserId, email: row.inviteeEmail, data: { invitationId: row.id } });
    }
    if (n === 0) throw notFound('Invitation not found');
    return n;
  });
}
