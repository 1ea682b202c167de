// Rules for user accounts: who may read users (signed-in callers see every user; the list's
// private filters are for instance admins), who may create, change, block and delete accounts
// (instance admins; users change their own profile), and the integer-id references of the REST
// dialects. Contacts, keys, devices, identities and consent have their own services beside this
// one. Each change commits with its event-log row (and outbox message) in one transaction.
import type { Context, ServiceContext } from '../../context.js';
import { hashPassword, verifyPassword } from '../../core/auth/passwords.js';
import { DomainError, notFound, validation } from '../../core/errors.js';
import { emptyConnection, pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { offsetPage, MAX_USERS_OFFSET } from '../../core/offset.js';
import { applyGroupsOfUser, planGroupsOfUser, type GroupRefs } from '../groups/group.service.js';
import { recordEvent } from '../logs/event-log.service.js';
import { insertMembership } from '../organizations/organization.repo.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { newValidationCode, replacePrimaryEmail, sendValidationCode } from './contact.service.js';
import { checkIdentity, type IdentityInput } from './identity.service.js';
import { checkEmail, checkPassword, checkProjectsLimit, checkUsername, mergeSocial, profileValues, type ProfileInput } from './user.checks.js';
import {
  countUsersMatching,
  deleteUser,
  findContactIdByDatabaseId,
  findPublicKeyIdByDatabaseId,
  findSignInUser,
  findSoleOwnedOrganizationSlugs,
  findUserByDatabaseId,
  findUserById,
  findUserByUsername,
  findTakenUsernames,
  replaceIdentity,
  insertContact,
  insertUser,
  listUsers,
  updatePasswordHash,
  updateUser,
  userKeyset,
  type ListedUser,
  type NewUser,
  type UserListFilter,
  type UserOrderField,
  type UserRow,
} from './user.repo.js';
import { bumpTokenVersion } from '../auth/session.repo.js';
import { serverSettingsOf } from '../../core/auth/server-secrets.js';
import { forgetUser, requireSignedIn, requireUser, withUniqueness } from './user.writes.js';

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
  if (username.length > 255) return null;
  if (ctx.principal.kind === 'organization') return userGrantingOrganization(ctx, username, ctx.principal.organizationId);
  if (ctx.principal.kind !== 'user') return null;
  const found = await findUserByUsername(ctx.db, username);
  if (!found) return null;
  ctx.loaders.userById.prime(found.id, found);
  return found;
}

/**
 * An organization (its API key) sees a user only while the user authorizes it (part 1's
 * authorizations): without a grant the user is as missing as an unknown one.
 */
async function userGrantingOrganization(ctx: Ctx, username: string, organizationId: string): Promise<UserRow | null> {
  const found = await findUserByUsername(ctx.db, username);
  if (!found) return null;
  const grants = await ctx.loaders.authorizationsByUserId.load(found.id);
  if (!grants.some((g) => g.organizationId === organizationId)) return null;
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
  ref: { id?: string | null; databaseId?: number | null; username?: string | null },
  what: string,
  fromGlobal: (id: string) => string,
): Promise<string> {
  // A username names users only (the Itsyouonline dialect's paths), as `user(username:)` reads them.
  const given = [ref.id, ref.databaseId, type === 'User' ? ref.username : null].filter((v) => v != null).length;
  if (given !== 1) throw new DomainError('BAD_USER_INPUT', `Give exactly one of the global id and the databaseId${type === 'User' ? ' and the username' : ''} of the ${what.toLowerCase()}`);
  if (ref.id != null) return fromGlobal(ref.id);
  if (ref.username != null) {
    requireSignedIn(ctx);
    const found = await userByUsername(ctx, ref.username);
    if (!found) throw notFound(`${what} not found`);
    return found.id;
  }
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

/** Users visible to the caller (every user, for any signed-in caller; nobody for anonymous ones). */
export async function listVisibleUsers(
  ctx: Ctx,
  args: ConnectionArgs,
  filter: UserFilterInput,
  order: { field: UserOrderField; direction: 'asc' | 'desc' },
  offset?: number | null,
): Promise<Connection<UserRow>> {
  const page = offsetPage(pageRequest(args), offset, MAX_USERS_OFFSET);
  const skip = page.skipped;
  if (!ctx.authz.userId) return emptyConnection(page);
  // The admin flag is private: filtering on it would reveal it.
  if (filter.isAdmin != null && !ctx.authz.isInstanceAdmin) throw new DomainError('FORBIDDEN', 'Only instance admins filter users by isAdmin');
  if (filter.analystConsent === false && !ctx.authz.isInstanceAdmin) throw new DomainError('FORBIDDEN', 'Only instance admins list users without analyst consent');
  // Who belongs to an organization is for its members to know (organizations are isolated).
  if (filter.organizationId) await ctx.authz.assert('membership:read', { organizationId: filter.organizationId }, { hideAs: 'NOT_FOUND', message: 'Organization not found' });
  const search = filter.search?.trim() || null;
  if ((search?.length ?? 0) > 255 || (filter.username?.length ?? 0) > 255) throw new DomainError('BAD_USER_INPUT', 'Search terms are at most 255 characters');
  // Emails are private: others find a user by a whole address (as GitLab does), not by fragments,
  // and only by a primary or validated one (or their own).
  const f: UserListFilter = { ...filter, search, ...(ctx.authz.isInstanceAdmin ? { emailSearch: 'substring' } : { emailSearch: 'exact', viewerId: ctx.authz.userId }) };
  const keyset = userKeyset(order.field, order.direction);
  const rows = await listUsers(ctx.db, f, keyset, page, skip);
  for (const r of rows) ctx.loaders.userById.prime(r.user.id, r.user);
  const keyOf = (r: ListedUser) => [order.field === 'createdAt' ? r.createdAtKey : r.user[order.field], r.user.id];
  return toConnection(rows, page, keyOf, (r) => r.user, (limit) => countUsersMatching(ctx.db, f, limit));
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
  const password = input.password != null ? await checkPassword(ctx.db, input.password, { username, emails: [email] }) : null;
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
        const pending = confirmed ? null : newValidationCode(ctx.db, now);
        const contact = await insertContact(tx, {
          userId: user.id,
          type: 'email',
          value: email,
          isPrimary: true,
          validatedAt: confirmed ? now : null,
          validationCodeHash: pending?.validationCodeHash ?? null,
          validationSentAt: pending?.validationSentAt ?? null,
        });
        if (pending) await sendValidationCode(tx, contact, pending.code, serverSettingsOf(ctx.db).codeTtlMs);
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
    if (input.password != null) {
      const owner = { username: values.username ?? target.username, emails: [input.email, currentEmail] };
      values.passwordHash = await hashPassword(await checkPassword(ctx.db, input.password, owner));
    }
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
      let row = Object.keys(values).length ? await updateUser(tx, target.id, values) : target;
      // A reset password or a disabled account ends the user's sessions (earlier access tokens).
      if (values.passwordHash !== undefined || (values.state !== undefined && values.state !== 'active')) {
        row = { ...row!, tokenVersion: await bumpTokenVersion(tx, target.id) };
      }
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

/** Blocks (or unblocks) an account. Authentication refuses blocked users, so their tokens stop working at once; access tokens from before a block stay void after an unblock. */
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
    let row = (await updateUser(tx, target.id, { state }))!;
    // Authentication refuses blocked users anyway; the version also keeps tokens from before
    // the block dead after an unblock.
    if (blocked) row = { ...row, tokenVersion: await bumpTokenVersion(tx, target.id) };
    await recordEvent(tx, ctx, { action: blocked ? 'user.block' : 'user.unblock', user2Id: target.id, data: { from: target.state } });
    return row!;
  });
  forgetUser(ctx, target.id);
  ctx.loaders.userById.prime(updated.id, updated);
  return updated;
}

