// Rules for organizations and memberships: who may read, create, change, move and delete;
// slugs and names; no cycles in the tree; an organization keeps at least one owner. Each change
// commits with its event-log row.
import type { Context, ServiceContext } from '../../context.js';
import { outranks, type Role } from '../../core/auth/policy.js';
import { tenantScopeOf } from '../../core/auth/tenant.js';
import type { Database } from '../../core/db.js';
import { DomainError, conflict, notFound, validation } from '../../core/errors.js';
import { emptyConnection, pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { offsetPage, MAX_OFFSET } from '../../core/offset.js';
import { isSlug, SLUG_MAX_LENGTH } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import { revokeTokensBoundWithin } from '../auth/session.repo.js';
import {
  countChildren,
  countOrganizations,
  countOwners,
  deleteMembership,
  deleteOrganization,
  deleteOrganizationMembership,
  findMembership,
  findOrganizationBySlug,
  insertMembership,
  insertOrganization,
  incrementQuotaUsage,
  isSelfOrDescendant,
  listOrganizations,
  updateMembershipRole,
  updateOrganization,
  type MembershipRow,
  type OrganizationFilter,
  type OrganizationOrderField,
  type OrganizationRow,
} from './organization.repo.js';
import { WHOLE_MEMBERS, type MemberPagePlan, type MemberRow } from './organization.read.js';

type Ctx = ServiceContext;

function checkSlug(slug: string, field = 'slug'): string {
  if (slug.length < 1 || slug.length > SLUG_MAX_LENGTH) throw validation(field, `Slug must be 1 to ${SLUG_MAX_LENGTH} characters`);
  if (!isSlug(slug)) throw validation(field, 'Slug may contain only letters, digits, "-", "_" and "."');
  return slug;
}

function checkName(name: string, field = 'name'): string {
  const n = name.trim();
  if (n.length < 1 || n.length > 255) throw validation(field, 'Name must be 1 to 255 characters');
  return n;
}

/** An organization the caller may read; missing and unreadable answer alike (null). */
export async function readableOrganization(ctx: Ctx, id: string): Promise<OrganizationRow | null> {
  const row = await ctx.loaders.organizationById.load(id);
  if (!row || !(await ctx.authz.can('organization:read', { organizationId: row.id }))) return null;
  return row;
}

export async function organizationBySlug(ctx: Ctx, slug: string): Promise<OrganizationRow | null> {
  if (slug.length > 64) return null;
  const row = await findOrganizationBySlug(ctx.db, slug);
  if (!row) return null;
  ctx.loaders.organizationById.prime(row.id, row);
  return readableOrganization(ctx, row.id);
}

/** Like readableOrganization, but throws NOT_FOUND: for writes. */
async function requireOrganization(ctx: Ctx, id: string): Promise<OrganizationRow> {
  const row = await readableOrganization(ctx, id);
  if (!row) throw notFound('Organization not found');
  return row;
}

export async function listVisibleOrganizations(
  ctx: Ctx,
  args: ConnectionArgs,
  filter: OrganizationFilter,
  order: { field: OrganizationOrderField; direction: 'asc' | 'desc' },
  /** Rows to skip, for page-number clients (forward pages without a cursor only). */
  offset?: number | null,
): Promise<Connection<OrganizationRow>> {
  const page = offsetPage(pageRequest(args), offset, MAX_OFFSET);
  const skip = page.skipped;
  const scope = tenantScopeOf(ctx.principal);
  if (!scope) return emptyConnection(page);
  const rows = await listOrganizations(ctx.db, scope, filter, order, page, skip);
  for (const r of rows) ctx.loaders.organizationById.prime(r.org.id, r.org);
  const keyOf = (r: (typeof rows)[number]) => [order.field === 'createdAt' ? r.createdAtKey : r.org[order.field], r.org.id];
  return toConnection(rows, page, keyOf, (r) => r.org, () => countOrganizations(ctx.db, scope, filter));
}

/**
 * A page of an organization's members (batched across organizations by the loader). `plan`:
 * what the caller will read of them (organization.read.ts memberPagePlan); absent, everything.
 */
export async function membershipsOf(ctx: Ctx, org: OrganizationRow, args: ConnectionArgs & { role?: Role | null; plan?: MemberPagePlan }): Promise<Connection<MemberRow>> {
  const page = pageRequest(args);
  if (!(await ctx.authz.can('membership:read', { organizationId: org.id }))) return emptyConnection(page);
  const rows = await ctx.loaders.membershipPage({ role: args.role ?? null, page, plan: args.plan ?? WHOLE_MEMBERS }).load(org.id);
  return toConnection(rows, page, (r) => [r.membership.id], (r) => r, () => ctx.loaders.membershipCount(args.role ?? null).load(org.id));
}

/**
 * A page of an organization's direct children, by slug (batched across parents by the
 * loader); empty when the caller cannot read the organization. `count`: whether the caller
 * reads totalCount (it then comes with the page, in the same statement).
 */
export async function childrenOf(ctx: Ctx, org: OrganizationRow, args: ConnectionArgs, count: boolean): Promise<Connection<OrganizationRow>> {
  const page = pageRequest(args);
  if (!(await ctx.authz.can('organization:read', { organizationId: org.id }))) return emptyConnection(page);
  const { rows, count: total } = await ctx.loaders.childPage({ page, count }).load(org.id);
  return toConnection(rows, page, (r) => [r.slug, r.id], (r) => r, async () => total ?? (await ctx.loaders.childPage({ page, count: true }).load(org.id)).count!);
}

/** Whether the caller sees members' users: the rule of userById (every signed-in caller). */
export function memberUsersVisible(ctx: Pick<Ctx, 'principal'>): boolean {
  return ctx.principal.kind === 'user';
}

export interface CreateOrganizationInput {
  slug: string;
  name: string;
  parentId?: string | null;
}

export async function createOrganization(ctx: Ctx, input: CreateOrganizationInput): Promise<OrganizationRow> {
  const userId = ctx.authz.userId;
  if (!userId) throw new DomainError('UNAUTHENTICATED');
  if (input.parentId) {
    await requireOrganization(ctx, input.parentId);
    await ctx.authz.assert('organization:createChild', { organizationId: input.parentId });
  } else {
    await ctx.authz.assert('organization:createRoot');
    const me = await ctx.loaders.userById.load(userId);
    if (me && !me.canCreateGroup && !ctx.authz.isInstanceAdmin) throw new DomainError('FORBIDDEN', 'You may not create organizations');
  }
  const slug = checkSlug(input.slug);
  const name = checkName(input.name);
  return withUniqueSlug(() =>
    ctx.db.transaction(async (tx) => {
      const org = await insertOrganization(tx, { slug, name, parentId: input.parentId ?? null });
      // The creator of a root organization owns it; sub-organizations inherit their parent's owners.
      if (!input.parentId) await insertMembership(tx, { userId, organizationId: org.id, role: 'owner' });
      await recordEvent(tx, ctx, { action: 'organization.create', organizationId: org.id, data: { slug, parentId: input.parentId ?? null } });
      return org;
    }),
  );
}

async function withUniqueSlug<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err, 'organizations_slug_lower_key')) throw conflict('slug', 'Slug is already taken');
    throw err;
  }
}

export interface UpdateOrganizationInput {
  id: string;
  slug?: string | null;
  name?: string | null;
  parentId?: string | null;
  quotaLimit?: number | null;
  quotaOverride?: boolean | null;
}

export async function updateOrganizationService(ctx: Ctx, input: UpdateOrganizationInput): Promise<OrganizationRow> {
  const org = await requireOrganization(ctx, input.id);
  await ctx.authz.assert('organization:update', { organizationId: org.id });
  const values: Partial<OrganizationRow> = {};
  if (input.slug != null) values.slug = checkSlug(input.slug);
  if (input.name != null) values.name = checkName(input.name);
  if (input.quotaLimit !== undefined || input.quotaOverride != null) {
    if (!ctx.authz.isInstanceAdmin) throw new DomainError('FORBIDDEN', 'Only instance admins change quotas');
    if (input.quotaLimit !== undefined) {
      if (input.quotaLimit !== null && (!Number.isInteger(input.quotaLimit) || input.quotaLimit < 0)) throw validation('quotaLimit', 'Quota limit must be a whole number ≥ 0');
      values.quotaLimit = input.quotaLimit;
    }
    if (input.quotaOverride != null) values.quotaOverride = input.quotaOverride;
  }
  if (input.parentId != null && input.parentId !== org.parentId) {
    await requireOrganization(ctx, input.parentId);
    // Moving needs ownership on both sides: where it leaves and where it lands.
    await ctx.authz.assert('organization:createChild', { organizationId: input.parentId });
    if (await isSelfOrDescendant(ctx.db, org.id, input.parentId)) throw new DomainError('PRECONDITION_FAILED', 'An organization cannot move under itself or its own sub-organization', 'parentId');
    values.parentId = input.parentId;
  }
  if (Object.keys(values).length === 0) return org;
  return withUniqueSlug(() =>
    ctx.db.transaction(async (tx) => {
      const updated = await updateOrganization(tx, org.id, values);
      await recordEvent(tx, ctx, { action: 'organization.update', organizationId: org.id, data: { changed: Object.keys(values) } });
      return updated!;
    }),
  );
}

export async function deleteOrganizationService(ctx: Ctx, id: string): Promise<void> {
  const org = await requireOrganization(ctx, id);
  await ctx.authz.assert('organization:delete', { organizationId: org.id });
  if ((await countChildren(ctx.db, org.id)) > 0) throw new DomainError('PRECONDITION_FAILED', 'Delete or move its sub-organizations first', 'id');
  await ctx.db.transaction(async (tx) => {
    // The event row outlives the organization (its organization_id is set null on delete).
    await recordEvent(tx, ctx, { action: 'organization.delete', data: { organizationId: org.id, slug: org.slug } });
    await deleteOrganization(tx, org.id);
  });
}

async function requireMember(ctx: Ctx, organizationId: string, userId: string): Promise<{ org: OrganizationRow; membership: MembershipRow }> {
  const org = await requireOrganization(ctx, organizationId);
  await ctx.authz.assert('membership:manage', { organizationId: org.id });
  const membership = await findMembership(ctx.db, org.id, userId);
  if (!membership) throw notFound('Membership not found');
  return { org, membership };
}

async function keepAnOwner(tx: Database, organizationId: string, leaving: MembershipRow): Promise<void> {
  if (leaving.role === 'owner' && (await countOwners(tx, organizationId)) <= 1) {
    throw new DomainError('PRECONDITION_FAILED', 'An organization keeps at least one owner', 'userId');
  }
}

export async function removeMember(ctx: Ctx, organizationId: string, userId: string): Promise<OrganizationRow> {
  const { org, membership } = await requireMember(ctx, organizationId, userId);
  if (membership.role === 'owner') await ctx.authz.assert('membership:grantOwner', { organizationId: org.id }, { message: 'Only owners remove owners' });
  await ctx.db.transaction(async (tx) => {
    await keepAnOwner(tx, org.id, membership);
    await deleteMembership(tx, membership);
    const revokedTokenIds = await revokeTokensBoundWithin(tx, userId, org.id, new Date());
    await recordEvent(tx, ctx, { action: 'membership.remove', organizationId: org.id, user2Id: userId, data: { role: membership.role, ...(revokedTokenIds.length ? { revokedTokenIds } : {}) } });
  });
  return org;
}

/**
 * A user leaves an organization (the user themself, or an instance admin for them); the last
 * owner stays (PRECONDITION_FAILED). Not a member, or an organization the caller cannot see:
 * NOT_FOUND.
 */
export async function leaveOrganization(ctx: Ctx, organizationId: string, userId: string): Promise<OrganizationRow> {
  await ctx.authz.assert('user:update', { userId }, { message: 'You may leave organizations only yourself' });
  const org = await readableOrganization(ctx, organizationId);
  const membership = org ? await findMembership(ctx.db, org.id, userId) : undefined;
  if (!org || !membership) throw notFound('Organization not found');
  await ctx.db.transaction(async (tx) => {
    await keepAnOwner(tx, org.id, membership);
    await deleteMembership(tx, membership);
    await recordEvent(tx, ctx, { action: 'membership.leave', organizationId: org.id, user2Id: userId, data: { role: membership.role } });
  });
  return org;
}

export async function changeMemberRole(ctx: Ctx, organizationId: string, userId: string, role: Role): Promise<{ org: OrganizationRow; membership: MembershipRow }> {
  const { org, membership } = await requireMember(ctx, organizationId, userId);
  if (role === 'owner' || membership.role === 'owner') await ctx.authz.assert('membership:grantOwner', { organizationId: org.id }, { message: 'Only owners grant or take ownership' });
  if (membership.role === role) return { org, membership };
  const updated = await ctx.db.transaction(async (tx) => {
    if (role !== 'owner') await keepAnOwner(tx, org.id, membership);
    const row = await updateMembershipRole(tx, membership, role);
    if (!row) throw notFound('Membership not found');
    // A token bound here was made under the stronger role: it does not go on under a weaker one.
    const revokedTokenIds = outranks(membership.role, role) ? await revokeTokensBoundWithin(tx, userId, org.id, new Date()) : [];
    await recordEvent(tx, ctx, { action: 'membership.changeRole', organizationId: org.id, user2Id: userId, data: { from: membership.role, to: role, ...(revokedTokenIds.length ? { revokedTokenIds } : {}) } });
    return row;
  });
  return { org, membership: updated };
}

export async function removeOrganizationMember(ctx: Ctx, organizationId: string, memberOrganizationId: string): Promise<OrganizationRow> {
  const org = await requireOrganization(ctx, organizationId);
  await ctx.authz.assert('membership:manage', { organizationId: org.id });
  const rows = await ctx.loaders.organizationMembershipsByOrganizationId.load(org.id);
  const existing = rows.find((r) => r.memberOrganizationId === memberOrganizationId);
  if (!existing) throw notFound('Member organization not found');
  if (existing.role === 'owner') await ctx.authz.assert('membership:grantOwner', { organizationId: org.id }, { message: 'Only owners remove org-owners' });
  await ctx.db.transaction(async (tx) => {
    await deleteOrganizationMembership(tx, org.id, memberOrganizationId);
    await recordEvent(tx, ctx, { action: 'organizationMembership.remove', organizationId: org.id, data: { memberOrganizationId, role: existing.role } });
  });
  return org;
}

export const MAX_USAGE_INCREMENT = 1_000_000_000;

/**
 * Adds usage to an organization's quota (the accounts API's `increment`): organization admins
 * ('membership:manage' — the role that runs the organization's day-to-day, short of ownership)
 * and instance admins. One conditional UPDATE decides, so concurrent increments never pass the
 * limit together; past the limit (unless overridden) → PRECONDITION_FAILED 'quota exhausted'.
 */
export async function incrementOrganizationUsageService(ctx: Ctx, id: string, amount: number): Promise<OrganizationRow> {
  const org = await requireOrganization(ctx, id);
  await ctx.authz.assert('membership:manage', { organizationId: org.id });
  if (!Number.isInteger(amount) || amount < 1 || amount > MAX_USAGE_INCREMENT) throw validation('amount', `Amount must be a whole number from 1 to ${MAX_USAGE_INCREMENT}`);
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await incrementQuotaUsage(tx, org.id, amount);
    if (!row) return null;
    await recordEvent(tx, ctx, { action: 'organization.incrementUsage', organizationId: org.id, data: { amount, usage: row.quotaUsage, limit: row.quotaLimit } });
    return row;
  });
  if (!updated) throw new DomainError('PRECONDITION_FAILED', 'quota exhausted', 'amount');
  ctx.loaders.organizationById.clear(org.id).prime(org.id, updated);
  return updated;
}
