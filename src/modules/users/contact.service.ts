// Rules for a user's contacts (emails and phones): only the user and instance admins see them;
// the user (user:manageContacts) adds, validates, removes them and picks the primary one of each
// type. A contact is proven by a 6-digit code sent through the outbox and stored as an HMAC. The
// sign-in hint for an email address lives here too (which account holds it). Each change commits
// with its event-log row (and outbox message) in one transaction.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { serverSettingsOf } from '../../core/auth/server-secrets.js';
import type { ServiceContext } from '../../context.js';
import type { Database } from '../../core/db.js';
import { DomainError, conflict, notFound, validation } from '../../core/errors.js';
import { isE164Phone, normalizePhone } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import { enqueue } from '../outbox/outbox.service.js';
import { checkEmail, optionalText } from './user.checks.js';
import {
  clearPrimaryContact,
  countOtherContacts,
  deleteContact,
  findContactByValue,
  findUsersHoldingEmail,
  insertContact,
  updateContact,
  updateUser,
  type ContactRow,
  type UserRow,
} from './user.repo.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { forgetUser, requireSignedIn, requireUser, withUniqueness } from './user.writes.js';

type Ctx = ServiceContext;

// ---- reading ----

/** Emails or phones of a user: only the user and instance admins see them (others get none). */
export async function contactsOf(ctx: Ctx, userId: string, type: 'email' | 'phone'): Promise<ContactRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return (await ctx.loaders.contactsByUserId.load(userId)).filter((c) => c.type === type);
}

/** A contact the caller may see (their own, or anyone's for instance admins); others answer like missing ones. */
export async function readableContact(ctx: Ctx, id: string): Promise<ContactRow | null> {
  const row = await ctx.loaders.contactById.load(id);
  return row && ctx.authz.isSelfOrAdmin(row.userId) ? row : null;
}

/** A contact of the given type the caller may manage; another user's answers like a missing one. */
async function requireOwnContact(ctx: Ctx, id: string, type?: 'email' | 'phone'): Promise<ContactRow> {
  const row = await readableContact(ctx, id);
  const what = type === 'phone' ? 'Phone number' : type === 'email' ? 'Email' : 'Contact';
  if (!row || row.state !== 'active' || (type && row.type !== type)) throw notFound(`${what} not found`);
  await ctx.authz.assert('user:manageContacts', { userId: row.userId }, { hideAs: 'NOT_FOUND', message: `${what} not found` });
  return row;
}

// ---- validation codes ----
// A code is 6 digits, so a plain hash of it is reversed by trying all million: it is stored as
// HMAC-SHA256 under the server's validation-code key (core/auth/server-secrets.ts, never in the
// contacts table), tagged `h1:` so a later scheme can tell its rows apart. A code lives
// VALIDATION_CODE_TTL_S (default 1 h) and dies after MAX_CODE_ATTEMPTS wrong tries.

const CODE_HASH_PREFIX = 'h1:';
const codeHash = (key: Buffer, code: string) => CODE_HASH_PREFIX + createHmac('sha256', key).update(`contact-validation-code:${code}`, 'utf8').digest('hex');

/** A fresh 6-digit code (uniform, from the CSPRNG), its HMAC and when it was sent. */
export function newValidationCode(db: Database, now: Date) {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return { code, validationCodeHash: codeHash(serverSettingsOf(db).codeKey, code), validationSentAt: now, validationAttempts: 0 };
}

/** Wrong codes allowed against one code before it is void (1 in 200,000 to guess it). */
export const MAX_CODE_ATTEMPTS = 5;

/** "1 hour", "90 minutes", "2 days": the code's lifetime as the message tells it. */
function lifetimeText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 1440 === 0) return minutes === 1440 ? '24 hours' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

/** Queues the code to the contact in the caller's transaction: it is sent exactly when the contact exists. */
export function sendValidationCode(tx: Database, contact: ContactRow, code: string, ttlMs: number) {
  const isEmail = contact.type === 'email';
  return enqueue(tx, {
    channel: isEmail ? 'email' : 'sms',
    template: isEmail ? 'email_validation' : 'phone_validation',
    recipient: contact.value,
    subject: isEmail ? 'Confirm your email address' : null,
    body: `Your validation code is ${code}. It is valid for ${lifetimeText(ttlMs)}.`,
    payload: { code, contactId: contact.id, userId: contact.userId },
  });
}

function codeMatches(db: Database, row: ContactRow, code: string, now: Date): boolean {
  const { codeKey, codeTtlMs } = serverSettingsOf(db);
  if (!row.validationCodeHash || !row.validationSentAt) return false;
  if (now.getTime() - row.validationSentAt.getTime() > codeTtlMs) return false;
  // A code stored before HMACs (a bare sha256) never matches: its contact asks for a new one.
  const given = Buffer.from(codeHash(codeKey, code.trim()), 'utf8');
  const stored = Buffer.from(row.validationCodeHash, 'utf8');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

// ---- sign-in hint ----

export interface LoginHint {
  /** Query parameters for the sign-in page, `application/x-www-form-urlencoded`. */
  params: string;
  /** Several accounts hold the address: the person must enter their username themselves. */
  manualEntry: boolean;
}

/**
 * Sign-in parameters for an email address: `login_hint` and, when one account holds the address
 * and belongs to an organization, that organization's slug (where it signs in). When several
 * accounts hold it (one active, others as disabled contacts of former owners) there is no telling
 * which is meant: `route=manual` asks for manual entry.
 *
 * It answers only what the caller may already see, or it would tell anyone signed in (a
 * read-only token included) who holds an address and where they belong: a user's emails are
 * visible to the user and instance admins (contactsOf), so instance admins get the full answer,
 * anyone else only about their own address — and the organization only when they may read it
 * (an organization-bound token). Every other address gets the bare hint, as an unknown one does.
 */
export async function loginHint(ctx: Ctx, email: string): Promise<LoginHint> {
  const me = requireSignedIn(ctx);
  const address = checkEmail(email);
  const admin = ctx.authz.isInstanceAdmin;
  const holders = await findUsersHoldingEmail(ctx.db, address, 2, admin ? null : me);
  if (holders.length > 1) return { params: new URLSearchParams({ route: 'manual', login_hint: address }).toString(), manualEntry: true };
  const p = new URLSearchParams({ login_hint: address });
  const orgId = holders[0]?.organizationId;
  if (orgId && (await readableOrganization(ctx, orgId))) p.set('organization', holders[0]!.organizationSlug!);
  return { params: p.toString(), manualEntry: false };
}

// ---- writes ----

/** A phone number in E.164 form (separators removed; the "+" is required for contacts), or a VALIDATION_FAILED userError. */
function checkPhone(phone: string, field = 'phone'): string {
  const p = normalizePhone(phone);
  if (!isE164Phone(p)) throw validation(field, 'Phone number must be in international form, e.g. +32475123456');
  return p;
}

/** Sets the user's primary email (admins): the primary contact takes the new, validated address. */
export async function replacePrimaryEmail(tx: Database, userId: string, email: string): Promise<void> {
  const existing = await findContactByValue(tx, userId, 'email', email);
  const now = new Date();
  if (existing?.isPrimary && existing.state === 'active') return;
  await clearPrimaryContact(tx, userId, 'email');
  if (existing) await updateContact(tx, existing.id, { isPrimary: true, state: 'active', validatedAt: existing.validatedAt ?? now, validationCodeHash: null });
  else await insertContact(tx, { userId, type: 'email', value: email, isPrimary: true, validatedAt: now });
}

export interface AddContactInput {
  userId?: string | null;
  type: 'email' | 'phone';
  value: string;
  label?: string | null;
}

/** Adds an unvalidated email or phone and sends it a 6-digit code (outbox, same transaction). */
export async function addContact(ctx: Ctx, input: AddContactInput): Promise<{ contact: ContactRow; user: UserRow }> {
  const me = requireSignedIn(ctx);
  const user = await requireUser(ctx, input.userId ?? me);
  await ctx.authz.assert('user:manageContacts', { userId: user.id }, { message: 'You may change only your own contacts' });
  const value = input.type === 'email' ? checkEmail(input.value) : checkPhone(input.value);
  const label = optionalText(input.label, 'label', 255) ?? null;
  // A label names one contact of a type per user (Itsyouonline addresses contacts by label).
  if (label && (await contactByLabel(ctx, user.id, input.type, label))) throw conflict('label', 'Label is already used');
  // Emails are unique system-wide by index; a phone only needs to be new for this user.
  if (input.type === 'phone' && (await findContactByValue(ctx.db, user.id, 'phone', value))) throw conflict('phone', 'You already have this phone number');
  const pending = newValidationCode(ctx.db, new Date());
  const contact = await withUniqueness(() =>
    ctx.db.transaction(async (tx) => {
      const contact = await insertContact(tx, { userId: user.id, type: input.type, value, label, ...pending });
      await sendValidationCode(tx, contact, pending.code, serverSettingsOf(ctx.db).codeTtlMs);
      await recordEvent(tx, ctx, {
        action: 'contact.add',
        user2Id: user.id,
        email: input.type === 'email' ? value : null,
        data: { contactId: contact.id, type: input.type },
      });
      return contact;
    }),
  );
  forgetUser(ctx, user.id);
  return { contact, user };
}

/**
 * What must remain when a contact goes: `any` keeps the last contact of its type (Itsyouonline's
 * "the last email address can not be removed"), `validated` the last validated one (its "last
 * verified phone number"); both answer CONFLICT.
 */
export type KeepLast = 'any' | 'validated';

/**
 * Removes an email or phone. Without `keepLast` the primary one cannot go while others of its
 * type remain (make another primary first, so the account never silently loses its primary
 * address) and the last one may go. With `keepLast` (callers that know no primary: Itsyouonline)
 * the rule is the last one (or last validated one) stays, and a removed primary hands the primary
 * flag to the oldest other validated contact of its type, in the same transaction. `orIfLast`
 * may still allow the last (validated) one: it runs first in the transaction and throws to
 * refuse (Itsyouonline's `force` on a phone number once TOTP is set up).
 */
export async function removeContact(ctx: Ctx, id: string, type: 'email' | 'phone', keepLast?: KeepLast, orIfLast?: (tx: Database, contact: ContactRow) => Promise<void>): Promise<UserRow> {
  requireSignedIn(ctx);
  const contact = await requireOwnContact(ctx, id, type);
  const others = (await ctx.loaders.contactsByUserId.load(contact.userId)).filter((c) => c.type === type && c.id !== contact.id && c.state === 'active');
  const what = type === 'email' ? 'email address' : 'phone number';
  const last = (keepLast === 'any' && others.length === 0) || (keepLast === 'validated' && !!contact.validatedAt && !others.some((c) => c.validatedAt));
  if (last && !orIfLast) throw conflict('label', `The last ${keepLast === 'validated' ? 'validated ' : ''}${what} can not be removed`);
  const heir = keepLast && contact.isPrimary ? (others.find((c) => c.validatedAt) ?? null) : null;
  await ctx.db.transaction(async (tx) => {
    if (last) await orIfLast!(tx, contact);
    if (!keepLast && contact.isPrimary && (await countOtherContacts(tx, contact.userId, type, contact.id)) > 0) {
      throw new DomainError('PRECONDITION_FAILED', `Make another ${type === 'email' ? 'email' : 'phone number'} primary before removing the primary one`, 'id');
    }
    await deleteContact(tx, contact.id);
    if (heir) await updateContact(tx, heir.id, { isPrimary: true });
    await recordEvent(tx, ctx, {
      action: 'contact.remove',
      user2Id: contact.userId,
      email: type === 'email' ? contact.value : null,
      data: { contactId: contact.id, type, wasPrimary: contact.isPrimary, ...(heir ? { newPrimaryId: heir.id } : {}) },
    });
  });
  forgetUser(ctx, contact.userId);
  return (await ctx.loaders.userById.load(contact.userId))!;
}

// ---- by label (Itsyouonline) ----

/** The active contact of this user and type with this label, or null (no visibility check: callers check). */
export async function contactByLabel(ctx: Ctx, userId: string, type: 'email' | 'phone', label: string): Promise<ContactRow | null> {
  return (await ctx.loaders.contactsByUserId.load(userId)).find((c) => c.type === type && c.state === 'active' && c.label === label) ?? null;
}

/**
 * Renames a contact and/or changes its value. A validated value cannot change (Itsyouonline:
 * "validated and can not be changed, only deleted": PRECONDITION_FAILED); a new value is
 * unvalidated and gets a fresh code through the outbox, in the same transaction.
 */
export async function updateContactLabelled(ctx: Ctx, id: string, type: 'email' | 'phone', change: { label?: string | null; value?: string | null }): Promise<UserRow> {
  requireSignedIn(ctx);
  const contact = await requireOwnContact(ctx, id, type);
  const label = change.label == null ? contact.label : optionalText(change.label, 'label', 255) ?? null;
  if (label && label !== contact.label && (await contactByLabel(ctx, contact.userId, type, label))) throw conflict('label', 'Label is already used');
  const raw = change.value == null ? null : type === 'email' ? checkEmail(change.value) : checkPhone(change.value);
  const value = raw !== null && raw.toLowerCase() !== contact.value.toLowerCase() ? raw : null;
  if (value !== null && contact.validatedAt) throw new DomainError('PRECONDITION_FAILED', `The ${type === 'email' ? 'email address' : 'phone number'} is validated and can not be changed, only deleted`, 'value');
  if (value !== null && type === 'phone' && (await findContactByValue(ctx.db, contact.userId, 'phone', value))) throw conflict('phone', 'You already have this phone number');
  const pending = value !== null ? newValidationCode(ctx.db, new Date()) : null;
  await withUniqueness(() =>
    ctx.db.transaction(async (tx) => {
      const { code, ...codeColumns } = pending ?? { code: null };
      const updated = await updateContact(tx, contact.id, { label, ...(value !== null ? { value, ...codeColumns } : {}) });
      if (code !== null) await sendValidationCode(tx, updated!, code, serverSettingsOf(ctx.db).codeTtlMs);
      await recordEvent(tx, ctx, {
        action: 'contact.update',
        user2Id: contact.userId,
        email: type === 'email' ? (value ?? contact.value) : null,
        data: { contactId: contact.id, type, labelChanged: label !== contact.label, valueChanged: value !== null },
      });
    }),
  );
  forgetUser(ctx, contact.userId);
  return (await ctx.loaders.userById.load(contact.userId))!;
}

/** Sends an unvalidated contact a fresh code (the old one stops working); a validated one gets nothing. */
export async function resendValidationCode(ctx: Ctx, id: string, type: 'email' | 'phone'): Promise<ContactRow> {
  requireSignedIn(ctx);
  const contact = await requireOwnContact(ctx, id, type);
  if (contact.validatedAt) return contact;
  const { code, ...columns } = newValidationCode(ctx.db, new Date());
  const row = await ctx.db.transaction(async (tx) => {
    const updated = await updateContact(tx, contact.id, columns);
    await sendValidationCode(tx, updated!, code, serverSettingsOf(ctx.db).codeTtlMs);
    await recordEvent(tx, ctx, { action: 'contact.sendValidation', user2Id: contact.userId, email: type === 'email' ? contact.value : null, data: { contactId: contact.id, type } });
    return updated!;
  });
  forgetUser(ctx, contact.userId);
  return row;
}

/** Marks a contact validated with the code it was sent; instance admins may skip the code. */
export async function validateContact(ctx: Ctx, id: string, type: 'email' | 'phone', code: string | null | undefined): Promise<{ contact: ContactRow; user: UserRow }> {
  requireSignedIn(ctx);
  const contact = await requireOwnContact(ctx, id, type);
  const user = (await ctx.loaders.userById.load(contact.userId))!;
  if (contact.validatedAt) return { contact, user };
  const now = new Date();
  if (code == null || code.trim() === '') {
    if (!ctx.authz.isInstanceAdmin) throw validation('code', 'The validation code is required');
  } else if (!codeMatches(ctx.db, contact, code, now)) {
    // Counted in its own statement, so the failure is remembered although the mutation fails.
    const attempts = contact.validationAttempts + 1;
    const voided = attempts >= MAX_CODE_ATTEMPTS;
    if (contact.validationCodeHash) await updateContact(ctx.db, contact.id, { validationAttempts: attempts, ...(voided ? { validationCodeHash: null } : {}) });
    if (voided || !contact.validationCodeHash) throw validation('code', 'Too many wrong codes: remove this contact and add it again for a new code');
    throw validation('code', 'The code is wrong or has expired');
  }
  const result = await ctx.db.transaction(async (tx) => {
    const updated = await updateContact(tx, contact.id, { validatedAt: now, validationCodeHash: null });
    // A validated email confirms the account (GitLab's confirmed_at).
    const u = type === 'email' && !user.confirmedAt ? await updateUser(tx, user.id, { confirmedAt: now }) : user;
    await recordEvent(tx, ctx, {
      action: 'contact.validate',
      user2Id: user.id,
      email: type === 'email' ? contact.value : null,
      data: { contactId: contact.id, type, withCode: code != null && code.trim() !== '' },
    });
    return { contact: updated!, user: u! };
  });
  forgetUser(ctx, user.id);
  return result;
}

/** Makes a validated contact the primary of its type, unsetting the old one in the same transaction. */
export async function setPrimaryContact(ctx: Ctx, id: string): Promise<{ contact: ContactRow; user: UserRow }> {
  requireSignedIn(ctx);
  const contact = await requireOwnContact(ctx, id);
  const user = (await ctx.loaders.userById.load(contact.userId))!;
  if (!contact.validatedAt) throw new DomainError('PRECONDITION_FAILED', 'Only a validated contact can become primary', 'id');
  if (contact.isPrimary) return { contact, user };
  const updated = await withUniqueness(() =>
    ctx.db.transaction(async (tx) => {
      await clearPrimaryContact(tx, contact.userId, contact.type);
      const row = await updateContact(tx, contact.id, { isPrimary: true });
      await recordEvent(tx, ctx, {
        action: 'contact.setPrimary',
        user2Id: contact.userId,
        email: contact.type === 'email' ? contact.value : null,
        data: { contactId: contact.id, type: contact.type },
      });
      return row!;
    }),
  );
  forgetUser(ctx, contact.userId);
  // A new primary email is the user's email now (users.primary_email, set by the database).
  return { contact: updated, user: contact.type === 'email' ? (await ctx.loaders.userById.load(contact.userId))! : user };
}
