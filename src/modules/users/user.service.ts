// Rules for users and what they own: who may read (signed-in callers see users and public
// keys; contacts, devices and identities only the user and instance admins), who may create,
// change, block and delete accounts (instance admins; users change their own profile), how
// contacts are proven (6-digit codes sent through the outbox, stored as sha256) and which
// contact is primary, SSH key parsing and fingerprint uniqueness. Each change commits with its
// event-log row (and outbox message) in one transaction.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Context, ServiceContext } from '../../context.js';
import { hashPassword } from '../../core/auth/passwords.js';
import type { Database } from '../../core/db.js';
import { DomainError, conflict, notFound, validation } from '../../core/errors.js';
import { pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { checkOffset } from '../../core/offset.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { applyGroupsOfUser, planGroupsOfUser, type GroupRefs } from '../groups/group.service.js';
import { recordEvent } from '../logs/event-log.service.js';
import { insertMembership } from '../organizations/organization.repo.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { enqueue } from '../outbox/outbox.service.js';
import { MAX_KEY_LENGTH, parseSshKey, sha256Fingerprint } from './ssh-key.js';
import {
  clearPrimaryContact,
  countOtherContacts,
  countUsersMatching,
  deleteContact,
  deletePublicKey,
  deleteUser,
  findContactById,
  findContactByValue,
  findContactIdByDatabaseId,
  findPublicKeyIdByDatabaseId,
  findSoleOwnedOrganizationSlugs,
  findUserByDatabaseId,
  findUserById,
  findUserByUsername,
  findTakenUsernames,
  replaceIdentity,
  findUsersHoldingEmail,
  insertContact,
  insertPublicKey,
  insertUser,
  listUsers,
  updateContact,
  updateDevice,
  updateUser,
  userKeyset,
  type ContactRow,
  type DeviceRow,
  type IdentityRow,
  type ListedUser,
  type NewUser,
  type PublicKeyRow,
  type UserListFilter,
  type UserOrderField,
  type UserRow,
} from './user.repo.js';

type Ctx = ServiceContext;

// ---- reading ----

/** The calling user's row; null when anonymous. */
export async function viewer(ctx: Pick<Context, 'principal' | 'loaders'>): Promise<UserRow | null> {
  if (ctx.principal.kind !== 'user') return null;
  return ctx.loaders.userById.load(ctx.principal.userId);
}

/** A user by uuid: users are visible to every signed-in caller (as on GitLab), not to anonymous ones. */
export async function userById(ctx: Pick<Context, 'principal' | 'loaders'>, id: string): Promise<UserRow | null> {
  if (ctx.principal.kind !== 'user') return null;
  return ctx.loaders.userById.load(id);
}

export async function userByUsername(ctx: Ctx, username: string): Promise<UserRow | null> {
  if (ctx.principal.kind !== 'user' || username.length > 255) return null;
  const found = await findUserByUsername(ctx.db, username);
  if (!found) return null;
  ctx.loaders.userById.prime(found.id, found);
  return found;
}

/** A user by integer id (databaseId), visible like userById: to every signed-in caller. */
export async function userByDatabaseId(ctx: Ctx, databaseId: number): Promise<UserRow | null> {
  if (ctx.principal.kind !== 'user' || !Number.isSafeInteger(databaseId) || databaseId < 1) return null;
  const row = await findUserByDatabaseId(ctx.db, databaseId);
  if (row) ctx.loaders.userById.prime(row.id, row);
  return row ?? null;
}

/**
 * The uuid behind a global id or an integer id (give exactly one), for mutation inputs that
 * accept either: the REST dialects carry integer ids in their paths. NOT_FOUND when missing.
 */
export async function resolveRef(
  ctx: Ctx,
  type: 'User' | 'Contact' | 'PublicKey',
  ref: { id?: string | null; databaseId?: number | null },
  what: string,
  fromGlobal: (id: string) => string,
): Promise<string> {
  if ((ref.id == null) === (ref.databaseId == null)) throw new DomainError('BAD_USER_INPUT', `Give exactly one of the global id and the databaseId of the ${what.toLowerCase()}`);
  if (ref.id != null) return fromGlobal(ref.id);
  const n = ref.databaseId!;
  if (!ctx.authz.userId || !Number.isSafeInteger(n) || n < 1) throw notFound(`${what} not found`);
  const id =
    type === 'User' ? (await findUserByDatabaseId(ctx.db, n))?.id : type === 'Contact' ? await findContactIdByDatabaseId(ctx.db, n) : await findPublicKeyIdByDatabaseId(ctx.db, n);
  if (!id) throw notFound(`${what} not found`);
  return id;
}

export interface UserFilterInput {
  search?: string | null;
  username?: string | null;
  state?: UserRow['state'] | null;
  isAdmin?: boolean | null;
  /** Only direct members of this organization (uuid); the caller must be able to see its members. */
  organizationId?: string | null;
  /** true: analysts (consent given, public); false: the others (instance admins only). */
  analystConsent?: boolean | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor of another ordering (or a forged one) must not reach SQL as a bad cast (a 500). */
function checkCursor(cursor: unknown[] | null, field: UserOrderField): void {
  if (!cursor) return;
  const [v, id] = cursor;
  const valueOk = field === 'databaseId' ? Number.isInteger(v) : field === 'createdAt' ? typeof v === 'string' && !Number.isNaN(Date.parse(v)) : typeof v === 'string';
  if (cursor.length !== 2 || !valueOk || typeof id !== 'string' || !UUID.test(id)) throw new DomainError('BAD_USER_INPUT', 'Invalid cursor');
}

/** Users visible to the caller (every user, for any signed-in caller; nobody for anonymous ones). */
export async function listVisibleUsers(
  ctx: Ctx,
  args: ConnectionArgs,
  filter: UserFilterInput,
  order: { field: UserOrderField; direction: 'asc' | 'desc' },
  offset?: number | null,
): Promise<Connection<UserRow>> {
  const page = pageRequest(args);
  const skip = checkOffset(page, offset, 1_000_000);
  if (!ctx.authz.userId) return toConnection([], page, () => [], (r) => r, async () => 0);
  // The admin flag is private: filtering on it would reveal it.
  if (filter.isAdmin != null && !ctx.authz.isInstanceAdmin) throw new DomainError('FORBIDDEN', 'Only instance admins filter users by isAdmin');
  if (filter.analystConsent === false && !ctx.authz.isInstanceAdmin) throw new DomainError('FORBIDDEN', 'Only instance admins list users without analyst consent');
  checkCursor(page.cursor, order.field);
  // Who belongs to an organization is for its members to know (organizations are isolated).
  if (filter.organizationId) await ctx.authz.assert('membership:read', { organizationId: filter.organizationId }, { hideAs: 'NOT_FOUND', message: 'Organization not found' });
  const search = filter.search?.trim() || null;
  if ((search?.length ?? 0) > 255 || (filter.username?.length ?? 0) > 255) throw new DomainError('BAD_USER_INPUT', 'Search terms are at most 255 characters');
  // Emails are private: others find a user by a whole address (as GitLab does), not by fragments.
  const f: UserListFilter = { ...filter, search, emailSearch: ctx.authz.isInstanceAdmin ? 'substring' : 'exact' };
  const keyset = userKeyset(order.field, order.direction);
  const rows = await listUsers(ctx.db, f, keyset, page, skip);
  for (const r of rows) ctx.loaders.userById.prime(r.user.id, r.user);
  const keyOf = (r: ListedUser) => [order.field === 'createdAt' ? r.createdAtKey : r.user[order.field], r.user.id];
  return toConnection(rows, page, keyOf, (r) => r.user, (limit) => countUsersMatching(ctx.db, f, limit));
}

/** Emails or phones of a user: only the user and instance admins see them (others get none). */
export async function contactsOf(ctx: Ctx, userId: string, type: 'email' | 'phone'): Promise<ContactRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return (await ctx.loaders.contactsByUserId.load(userId)).filter((c) => c.type === type);
}

/** Public keys are visible to every signed-in caller (GitLab serves them even at /<user>.keys). */
export async function publicKeysOf(ctx: Ctx, userId: string): Promise<PublicKeyRow[]> {
  if (!ctx.authz.userId) return [];
  return ctx.loaders.publicKeysByUserId.load(userId);
}

export async function devicesOf(ctx: Ctx, userId: string): Promise<DeviceRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return ctx.loaders.devicesByUserId.load(userId);
}

export async function identitiesOf(ctx: Ctx, userId: string): Promise<IdentityRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return ctx.loaders.identitiesByUserId.load(userId);
}

/** A contact the caller may see (their own, or anyone's for instance admins); others answer like missing ones. */
export async function readableContact(ctx: Ctx, id: string): Promise<ContactRow | null> {
  const row = await ctx.loaders.contactById.load(id);
  return row && ctx.authz.isSelfOrAdmin(row.userId) ? row : null;
}

export async function readablePublicKey(ctx: Ctx, id: string): Promise<PublicKeyRow | null> {
  if (!ctx.authz.userId) return null;
  return ctx.loaders.publicKeyById.load(id);
}

export async function readableDevice(ctx: Ctx, id: string): Promise<DeviceRow | null> {
  const row = await ctx.loaders.deviceById.load(id);
  return row && ctx.authz.isSelfOrAdmin(row.userId) ? row : null;
}

// ---- validation of input ----

export const USERNAME_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,254}$/;
const MIN_PASSWORD = 8;
// argon2's work grows with the input; the same bound as sign-in.
const MAX_PASSWORD = 1024;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,253}$/;
const PHONE_PATTERN = /^\+[1-9][0-9]{6,14}$/;

function checkUsername(username: string): string {
  if (!USERNAME_PATTERN.test(username)) {
    throw validation('username', 'Username must be 1 to 255 letters, digits, "_", "." or "-", and start with a letter, digit or "_"');
  }
  return username;
}

function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) throw validation('password', `Password must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`);
  return password;
}

function checkEmail(email: string, field = 'email'): string {
  const e = email.trim();
  if (e.length > 254 || !EMAIL_PATTERN.test(e)) throw validation(field, 'Not a valid email address');
  return e;
}

function checkPhone(phone: string, field = 'phone'): string {
  const p = phone.replace(/[\s.\-()]/g, '');
  if (!PHONE_PATTERN.test(p)) throw validation(field, 'Phone number must be in international form, e.g. +32475123456');
  return p;
}

/** Optional text: undefined keeps, null or blank clears, else trimmed and bounded. */
function optionalText(value: string | null | undefined, field: string, max: number): string | null | undefined {
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
  if (entries.length > 20) throw validation('social', 'At most 20 social handles');
  for (const [k, v] of entries) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/.test(k)) throw validation('social', `Invalid network name "${k.slice(0, 40)}"`);
    if (typeof v !== 'string' || v.length > 255) throw validation('social', `Handle for "${k}" must be a string of at most 255 characters`);
  }
  return Object.fromEntries(entries.filter(([, v]) => (v as string).trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
}

function checkProjectsLimit(n: number | null | undefined): number | undefined {
  if (n == null) return undefined;
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw validation('projectsLimit', 'Projects limit must be a whole number from 0 to 1000000');
  return n;
}

interface ProfileInput {
  firstName?: string | null;
  lastName?: string | null;
  displayName?: string | null;
  bio?: string | null;
  location?: string | null;
  website?: string | null;
  social?: Record<string, unknown> | null;
}

/** The profile columns the input sets (undefined ones are left out). */
function profileValues(input: ProfileInput): Partial<NewUser> {
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

// ---- helpers for writes ----

function requireSignedIn(ctx: Ctx): string {
  const id = ctx.authz.userId;
  if (!id) throw new DomainError('UNAUTHENTICATED');
  return id;
}

async function requireUser(ctx: Ctx, id: string): Promise<UserRow> {
  const row = await userById(ctx, id);
  if (!row) throw notFound('User not found');
  return row;
}

/** A contact of the given type the caller may manage; another user's answers like a missing one. */
async function requireOwnContact(ctx: Ctx, id: string, type?: 'email' | 'phone'): Promise<ContactRow> {
  const row = await readableContact(ctx, id);
  const what = type === 'phone' ? 'Phone number' : type === 'email' ? 'Email' : 'Contact';
  if (!row || row.state !== 'active' || (type && row.type !== type)) throw notFound(`${what} not found`);
  await ctx.authz.assert('user:manageContacts', { userId: row.userId }, { hideAs: 'NOT_FOUND', message: `${what} not found` });
  return row;
}

/** Runs a write, turning violations of the users module's unique indexes into CONFLICT userErrors. */
async function withUniqueness<T>(run: () => Promise<T>): Promise<T> {
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

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** How long a validation code stays good. */
export const VALIDATION_CODE_TTL_MS = 24 * 60 * 60 * 1000;

/** A fresh 6-digit code (uniform, from the CSPRNG), its hash and when it was sent. */
function newValidationCode(now: Date) {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return { code, validationCodeHash: sha256Hex(code), validationSentAt: now, validationAttempts: 0 };
}

/** Wrong codes allowed against one code before it is void (1 in 200,000 to guess it). */
export const MAX_CODE_ATTEMPTS = 5;

/** Queues the code to the contact in the caller's transaction: it is sent exactly when the contact exists. */
function sendValidationCode(tx: Database, contact: ContactRow, code: string) {
  const isEmail = contact.type === 'email';
  return enqueue(tx, {
    channel: isEmail ? 'email' : 'sms',
    template: isEmail ? 'email_validation' : 'phone_validation',
    recipient: contact.value,
    subject: isEmail ? 'Confirm your email address' : null,
    body: `Your validation code is ${code}. It is valid for 24 hours.`,
    payload: { code, contactId: contact.id, userId: contact.userId },
  });
}

function codeMatches(row: ContactRow, code: string, now: Date): boolean {
  if (!row.validationCodeHash || !row.validationSentAt) return false;
  if (now.getTime() - row.validationSentAt.getTime() > VALIDATION_CODE_TTL_MS) return false;
  const given = Buffer.from(sha256Hex(code.trim()), 'hex');
  const stored = Buffer.from(row.validationCodeHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Drops what this request's loaders cached about a user, so payloads show the change. */
function forgetUser(ctx: Ctx, userId: string): void {
  ctx.loaders.userById.clear(userId);
  ctx.loaders.contactsByUserId.clear(userId);
  ctx.loaders.publicKeysByUserId.clear(userId);
  ctx.loaders.devicesByUserId.clear(userId);
  ctx.loaders.identitiesByUserId.clear(userId);
}

// ---- accounts ----

export interface CreateUserInput extends ProfileInput {
  /** Default: derived from the email (see deriveUsername). */
  username?: string | null;
  email?: string | null;
  skipConfirmation?: boolean | null;
  password?: string | null;
  isAdmin?: boolean | null;
  projectsLimit?: number | null;
  canCreateGroup?: boolean | null;
  external?: boolean | null;
  /** false: created disabled (cannot sign in until activated). */
  isActive?: boolean | null;
  /** Also make the user a member of this organization (uuid). */
  organizationId?: string | null;
  /** The groups to put the user in (of that organization). */
  groups?: GroupRefs | null;
  identity?: IdentityInput | null;
}

export interface IdentityInput {
  provider: string;
  externalUid: string;
}

function checkIdentity(i: IdentityInput): IdentityInput {
  const provider = i.provider.trim();
  const externalUid = i.externalUid.trim();
  if (provider.length < 1 || provider.length > 255) throw validation('provider', 'Provider must be 1 to 255 characters');
  if (externalUid.length < 1 || externalUid.length > 255) throw validation('externalUid', 'External uid must be 1 to 255 characters');
  return { provider, externalUid };
}

/** The social map after setting the handles given (an empty string removes one). */
function mergeSocial(current: Record<string, string>, changes: Record<string, unknown>): Record<string, string> {
  const checked = checkSocial(Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v === null ? '' : v])))!;
  const merged = { ...current, ...checked };
  for (const [k, v] of Object.entries(changes)) if (v === null || (typeof v === 'string' && v.trim() === '')) delete merged[k];
  if (Object.keys(merged).length > 20) throw validation('social', 'At most 20 social handles');
  return merged;
}

/**
 * A free username from an email's local part: its letters, digits, `_`, `.`, `-` (lowercased),
 * with `-2`, `-3`, … appended when taken. Accounts APIs create users by email only.
 */
async function deriveUsername(ctx: Ctx, email: string | null): Promise<string> {
  if (!email) throw validation('username', 'Give a username or an email to derive it from');
  const local = email.slice(0, email.lastIndexOf('@')).toLowerCase();
  const base = local.replace(/[^a-z0-9_.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 200) || 'user';
  const taken = new Set(await findTakenUsernames(ctx.db, base));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<UserRow> {
  await ctx.authz.assert('user:create', {}, { message: 'Only instance admins create users' });
  const email = input.email != null && input.email.trim() !== '' ? checkEmail(input.email) : null;
  const username = input.username != null ? checkUsername(input.username) : await deriveUsername(ctx, email);
  const org = input.organizationId != null ? await readableOrganization(ctx, input.organizationId) : null;
  if (input.organizationId != null && !org) throw new DomainError('NOT_FOUND', 'Organization not found', 'organizationId');
  if (input.groups && !org && groupCount(input.groups) > 0) throw validation('groups', 'Give the organization the groups belong to');
  const groupsPlan = input.groups ? await planGroupsOfUser(ctx, null, input.groups) : null;
  const identity = input.identity ? checkIdentity(input.identity) : null;
  const password = input.password != null ? checkPassword(input.password) : null;
  const profile = profileValues(input);
  const projectsLimit = checkProjectsLimit(input.projectsLimit);
  const confirmed = Boolean(input.skipConfirmation);
  // Hashing is slow (by design): outside the transaction, so no locks are held meanwhile.
  const passwordHash = password ? await hashPassword(password) : null;
  const now = new Date();
  const user = await withUniqueness(() =>
    ctx.db.transaction(async (tx) => {
      const user = await insertUser(tx, {
        ...profile,
        username,
        passwordHash,
        isAdmin: input.isAdmin ?? false,
        ...(projectsLimit !== undefined ? { projectsLimit } : {}),
        ...(input.canCreateGroup != null ? { canCreateGroup: input.canCreateGroup } : {}),
        ...(input.external != null ? { external: input.external } : {}),
        confirmedAt: confirmed ? now : null,
        state: input.isActive === false ? 'disabled' : 'active',
      });
      if (org) await insertMembership(tx, { userId: user.id, organizationId: org.id, role: 'member' });
      if (groupsPlan) await applyGroupsOfUser(tx, ctx, user.id, groupsPlan);
      if (identity) await replaceIdentity(tx, user.id, identity.provider, identity.externalUid);
      if (email) {
        const pending = confirmed ? null : newValidationCode(now);
        const contact = await insertContact(tx, {
          userId: user.id,
          type: 'email',
          value: email,
          isPrimary: true,
          validatedAt: confirmed ? now : null,
          validationCodeHash: pending?.validationCodeHash ?? null,
          validationSentAt: pending?.validationSentAt ?? null,
        });
        if (pending) await sendValidationCode(tx, contact, pending.code);
      }
      await recordEvent(tx, ctx, {
        action: 'user.create',
        user2Id: user.id,
        organizationId: org?.id ?? null,
        email,
        data: { username, isAdmin: user.isAdmin, state: user.state },
      });
      // With an email, the row now has its primary_email (set by the database).
      return email ? (await findUserById(tx, user.id))! : user;
    }),
  );
  ctx.loaders.userById.prime(user.id, user);
  return user;
}

export interface UpdateUserInput extends ProfileInput {
  id: string;
  /** Instance admins only: a new username. */
  username?: string | null;
  /** Instance admins only: a new primary email (taken as validated). */
  email?: string | null;
  /** Instance admins only: a new password. */
  password?: string | null;
  isAdmin?: boolean | null;
  projectsLimit?: number | null;
  canCreateGroup?: boolean | null;
  external?: boolean | null;
  /** Instance admins only: false disables the account, true re-enables a disabled one. */
  isActive?: boolean | null;
  /** Replaces the user's memberships among the groups the caller manages. */
  groups?: GroupRefs | null;
  /** Sets these social handles, keeping the others. */
  socialChanges?: Record<string, unknown> | null;
  /** Instance admins only: links an external account. */
  identity?: IdentityInput | null;
}

const groupCount = (refs: GroupRefs) => ('ids' in refs ? refs.ids.length : refs.databaseIds.length);

/** The state an isActive change leads to; a blocked account is unblocked explicitly, not activated. */
function stateFor(target: UserRow, isActive: boolean, me: string): UserRow['state'] {
  if (!isActive) {
    if (target.id === me) throw new DomainError('PRECONDITION_FAILED', 'You cannot deactivate yourself', 'isActive');
    return target.state === 'active' ? 'disabled' : target.state;
  }
  if (target.state === 'blocked') throw new DomainError('PRECONDITION_FAILED', 'The account is blocked: unblock it instead', 'isActive');
  return 'active';
}

export async function updateUserService(ctx: Ctx, input: UpdateUserInput): Promise<UserRow> {
  const me = requireSignedIn(ctx);
  const target = await requireUser(ctx, input.id);
  // A value equal to the current one is no change (legacy clients PUT back what they read), so
  // it needs no right: a group admin may send a user's whole record to change only its groups.
  const profile = profileValues(input);
  if (input.socialChanges != null) profile.social = mergeSocial(profile.social ?? target.social ?? {}, input.socialChanges);
  const values = Object.fromEntries(
    Object.entries(profile).filter(([k, v]) => JSON.stringify(v ?? null) !== JSON.stringify(target[k as keyof UserRow] ?? null)),
  ) as Partial<NewUser>;
  const adminOnly = {
    isAdmin: input.isAdmin,
    projectsLimit: input.projectsLimit,
    canCreateGroup: input.canCreateGroup,
    external: input.external,
    username: input.username,
    email: input.email,
    password: input.password,
    isActive: input.isActive,
    identity: input.identity,
  };
  let newEmail: string | null = null;
  const currentEmail = target.primaryEmail;
  const current: Record<string, unknown> = {
    isAdmin: target.isAdmin,
    projectsLimit: target.projectsLimit,
    canCreateGroup: target.canCreateGroup,
    external: target.external,
    username: target.username,
    email: currentEmail?.toLowerCase(),
    isActive: target.state === 'active',
  };
  const same = (k: string, v: unknown) => (k === 'email' ? String(v).trim().toLowerCase() === current.email : k === 'identity' ? false : current[k] === v);
  let identity: IdentityInput | null = null;
  const adminFields = Object.entries(adminOnly).filter(([k, v]) => v != null && !same(k, v));
  // Groups follow the groups' own rules (setGroupsOfUser); the rest needs the user or an admin.
  if (Object.keys(values).length > 0 || adminFields.length > 0) {
    await ctx.authz.assert('user:update', { userId: target.id }, { message: 'You may change only your own profile' });
  }
  if (adminFields.length > 0) {
    if (!ctx.authz.isInstanceAdmin) throw new DomainError('FORBIDDEN', `Only instance admins change ${adminFields.map(([k]) => k).join(', ')}`);
    // Dropping one's own admin flag could leave the instance without an admin who can undo it.
    if (input.isAdmin === false && target.id === me) throw new DomainError('PRECONDITION_FAILED', 'You cannot remove your own admin rights', 'isAdmin');
    if (input.isAdmin != null) values.isAdmin = input.isAdmin;
    const limit = checkProjectsLimit(input.projectsLimit);
    if (limit !== undefined) values.projectsLimit = limit;
    if (input.canCreateGroup != null) values.canCreateGroup = input.canCreateGroup;
    if (input.external != null) values.external = input.external;
    if (input.username != null && !same('username', input.username)) values.username = checkUsername(input.username);
    if (input.password != null) values.passwordHash = await hashPassword(checkPassword(input.password));
    if (input.email != null && !same('email', input.email)) newEmail = checkEmail(input.email);
    if (input.identity != null) identity = checkIdentity(input.identity);
    if (input.isActive != null) {
      const state = stateFor(target, input.isActive, me);
      if (state !== target.state) values.state = state;
    }
  }
  const groups = input.groups ? await planGroupsOfUser(ctx, target.id, input.groups) : null;
  if (Object.keys(values).length === 0 && newEmail === null && !identity && !(groups && groups.added.length + groups.removed.length > 0)) return target;
  const updated = await withUniqueness(() =>
    ctx.db.transaction(async (tx) => {
      const row = Object.keys(values).length ? await updateUser(tx, target.id, values) : target;
      if (newEmail !== null) await replacePrimaryEmail(tx, target.id, newEmail);
      if (groups) await applyGroupsOfUser(tx, ctx, target.id, groups);
      if (identity) await replaceIdentity(tx, target.id, identity.provider, identity.externalUid);
      const changed = Object.keys(values).map((k) => (k === 'passwordHash' ? 'password' : k));
      if (newEmail !== null) changed.push('email');
      if (identity) changed.push('identity');
      // A new email changed the row's primary_email (set by the database).
      const after = newEmail !== null ? (await findUserById(tx, target.id))! : row!;
      if (changed.length === 0) return after;
      await recordEvent(tx, ctx, { action: 'user.update', user2Id: target.id, email: newEmail, data: { changed, ...(values.state ? { from: target.state } : {}) } });
      return after;
    }),
  );
  forgetUser(ctx, target.id);
  ctx.loaders.userById.prime(updated.id, updated);
  return updated;
}

/** Records whether the user consents to be an analyst (themselves; instance admins for anyone). */
export async function setAnalystConsent(ctx: Ctx, userId: string | null | undefined, consent: boolean | null | undefined): Promise<UserRow> {
  const me = requireSignedIn(ctx);
  const target = await requireUser(ctx, userId ?? me);
  await ctx.authz.assert('user:update', { userId: target.id }, { message: 'You may give or withdraw only your own consent' });
  if (consent == null || target.analystConsent === consent) return target;
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await updateUser(tx, target.id, { analystConsent: consent });
    await recordEvent(tx, ctx, { action: consent ? 'user.consent' : 'user.withdrawConsent', user2Id: target.id, data: { analyst: consent } });
    return row!;
  });
  forgetUser(ctx, target.id);
  ctx.loaders.userById.prime(updated.id, updated);
  return updated;
}

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
 * which is meant: `route=manual` asks for manual entry. An unknown address gets the bare hint, so
 * the answer does not tell who has an account.
 */
export async function loginHint(ctx: Ctx, email: string): Promise<LoginHint> {
  requireSignedIn(ctx);
  const address = checkEmail(email);
  const holders = await findUsersHoldingEmail(ctx.db, address, 2);
  if (holders.length > 1) return { params: new URLSearchParams({ route: 'manual', login_hint: address }).toString(), manualEntry: true };
  const p = new URLSearchParams({ login_hint: address });
  const slug = holders[0]?.organizationSlug;
  if (slug) p.set('organization', slug);
  return { params: p.toString(), manualEntry: false };
}

/** Sets the user's primary email (admins): the primary contact takes the new, validated address. */
async function replacePrimaryEmail(tx: Database, userId: string, email: string): Promise<void> {
  const existing = await findContactByValue(tx, userId, 'email', email);
  const now = new Date();
  if (existing?.isPrimary && existing.state === 'active') return;
  await clearPrimaryContact(tx, userId, 'email');
  if (existing) await updateContact(tx, existing.id, { isPrimary: true, state: 'active', validatedAt: existing.validatedAt ?? now, validationCodeHash: null });
  else await insertContact(tx, { userId, type: 'email', value: email, isPrimary: true, validatedAt: now });
}

/** Deletes the user; answers the row as it was (the REST dialects return it). */
export async function deleteUserService(ctx: Ctx, id: string): Promise<UserRow> {
  const me = requireSignedIn(ctx);
  await ctx.authz.assert('user:delete', {}, { message: 'Only instance admins delete users' });
  const target = await requireUser(ctx, id);
  if (target.id === me) throw new DomainError('PRECONDITION_FAILED', 'You cannot delete yourself', 'id');
  await ctx.db.transaction(async (tx) => {
    // Same rule as removing a member: an organization keeps an owner.
    const orphaned = await findSoleOwnedOrganizationSlugs(tx, target.id);
    if (orphaned.length) {
      throw new DomainError('PRECONDITION_FAILED', `The user is the only owner of ${orphaned.slice(0, 5).join(', ')}: transfer ownership first`, 'id');
    }
    // The event row outlives the user (its user2_id is set null on delete), so it keeps the name.
    await recordEvent(tx, ctx, { action: 'user.delete', user2Id: target.id, data: { userId: target.id, username: target.username } });
    await deleteUser(tx, target.id);
  });
  forgetUser(ctx, target.id);
  return target;
}

/** Blocks (or unblocks) an account. Authentication refuses blocked users, so their tokens stop working at once. */
export async function setBlocked(ctx: Ctx, id: string, blocked: boolean): Promise<UserRow> {
  const me = requireSignedIn(ctx);
  await ctx.authz.assert('user:block', {}, { message: 'Only instance admins block or unblock users' });
  const target = await requireUser(ctx, id);
  if (blocked && target.id === me) throw new DomainError('PRECONDITION_FAILED', 'You cannot block yourself', 'id');
  // Disabled accounts (removed from a team) are not blocked ones; unblocking must not revive them.
  if (!blocked && target.state === 'disabled') throw new DomainError('PRECONDITION_FAILED', 'The account is disabled, not blocked', 'id');
  const state = blocked ? 'blocked' : 'active';
  if (target.state === state) return target;
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await updateUser(tx, target.id, { state });
    await recordEvent(tx, ctx, { action: blocked ? 'user.block' : 'user.unblock', user2Id: target.id, data: { from: target.state } });
    return row!;
  });
  forgetUser(ctx, target.id);
  ctx.loaders.userById.prime(updated.id, updated);
  return updated;
}

// ---- contacts ----

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
  // Emails are unique system-wide by index; a phone only needs to be new for this user.
  if (input.type === 'phone' && (await findContactByValue(ctx.db, user.id, 'phone', value))) throw conflict('phone', 'You already have this phone number');
  const pending = newValidationCode(new Date());
  const contact = await withUniqueness(() =>
    ctx.db.transaction(async (tx) => {
      const contact = await insertContact(tx, { userId: user.id, type: input.type, value, label, ...pending });
      await sendValidationCode(tx, contact, pending.code);
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
 * Removes an email or phone. The primary one cannot go while others of its type remain (make
 * another primary first, so the account never silently loses its primary address); the last
 * one may go, leaving the account without one (sign-in by username still works).
 */
export async function removeContact(ctx: Ctx, id: string, type: 'email' | 'phone'): Promise<UserRow> {
  requireSignedIn(ctx);
  const contact = await requireOwnContact(ctx, id, type);
  await ctx.db.transaction(async (tx) => {
    if (contact.isPrimary && (await countOtherContacts(tx, contact.userId, type, contact.id)) > 0) {
      throw new DomainError('PRECONDITION_FAILED', `Make another ${type === 'email' ? 'email' : 'phone number'} primary before removing the primary one`, 'id');
    }
    await deleteContact(tx, contact.id);
    await recordEvent(tx, ctx, {
      action: 'contact.remove',
      user2Id: contact.userId,
      email: type === 'email' ? contact.value : null,
      data: { contactId: contact.id, type, wasPrimary: contact.isPrimary },
    });
  });
  forgetUser(ctx, contact.userId);
  return (await ctx.loaders.userById.load(contact.userId))!;
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
  } else if (!codeMatches(contact, code, now)) {
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

// ---- public keys ----

export interface AddPublicKeyInput {
  userId?: string | null;
  kind: 'ssh' | 'labelled';
  label?: string | null;
  key: string;
}

export async function addPublicKey(ctx: Ctx, input: AddPublicKeyInput): Promise<PublicKeyRow> {
  const me = requireSignedIn(ctx);
  const user = await requireUser(ctx, input.userId ?? me);
  await ctx.authz.assert('user:manageKeys', { userId: user.id }, { message: 'You may change only your own keys' });
  let key: string;
  let fingerprint: string;
  let label = optionalText(input.label, 'label', 255) ?? null;
  if (input.kind === 'ssh') {
    const parsed = parseSshKey(input.key);
    if ('error' in parsed) throw validation('key', parsed.error);
    key = parsed.normalized;
    fingerprint = parsed.fingerprint;
    label ??= parsed.comment && parsed.comment.length <= 255 ? parsed.comment : null;
  } else {
    key = input.key.trim();
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) throw validation('key', `Key must be 1 to ${MAX_KEY_LENGTH} characters`);
    fingerprint = sha256Fingerprint(key);
  }
  if (!label) throw validation('label', 'A label is required');
  const row = await withUniqueness(() =>
    ctx.db.transaction(async (tx) => {
      const row = await insertPublicKey(tx, { userId: user.id, kind: input.kind, label: label!, key, fingerprint });
      await recordEvent(tx, ctx, { action: 'publicKey.add', user2Id: user.id, data: { publicKeyId: row.id, kind: row.kind, fingerprint } });
      return row;
    }),
  );
  forgetUser(ctx, user.id);
  return row;
}

export async function removePublicKey(ctx: Ctx, id: string): Promise<void> {
  requireSignedIn(ctx);
  const key = await readablePublicKey(ctx, id);
  if (!key) throw notFound('Public key not found');
  // Keys are public, so someone else's key is not hidden: touching it is forbidden, not missing.
  await ctx.authz.assert('user:manageKeys', { userId: key.userId }, { message: 'You may remove only your own keys' });
  await ctx.db.transaction(async (tx) => {
    await deletePublicKey(tx, key.id);
    await recordEvent(tx, ctx, { action: 'publicKey.remove', user2Id: key.userId, data: { publicKeyId: key.id, kind: key.kind, fingerprint: key.fingerprint } });
  });
  forgetUser(ctx, key.userId);
}

// ---- devices ----

/** Revokes a device (its keys stop being trusted); revoking a revoked device changes nothing. */
export async function revokeDevice(ctx: Ctx, id: string): Promise<DeviceRow> {
  requireSignedIn(ctx);
  const device = await readableDevice(ctx, id);
  if (!device) throw notFound('Device not found');
  await ctx.authz.assert('device:revoke', { userId: device.userId }, { hideAs: 'NOT_FOUND', message: 'Device not found' });
  if (device.state === 'revoked') return device;
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await updateDevice(tx, device.id, { state: 'revoked', revokedAt: new Date() });
    await recordEvent(tx, ctx, { action: 'device.revoke', user2Id: device.userId, deviceId: device.id, data: { name: device.name } });
    return row!;
  });
  ctx.loaders.deviceById.clear(device.id);
  forgetUser(ctx, device.userId);
  return updated;
}
