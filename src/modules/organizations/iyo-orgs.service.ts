// Rules for what Itsyouonline adds to organizations: creating one from the whole documented
// body (or a sub-organization `<parent>.<local>`), deleting a whole subtree, the tree, DNS
// names, required scopes (and which of them a member has not granted), organizations as
// org-owners / org-members of others (people named by username: iyo-org-people.service.ts). Owners decide (the
// documented `organization:owner`); every change commits with its event-log row, and a change
// made of several (the full create) commits or rolls back as one.
import { transactionContext, type ServiceContext } from '../../context.js';
import type { Role } from '../../core/auth/policy.js';
import { DomainError, conflict, notFound, validation } from '../../core/errors.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { isSlug, SLUG_MAX_LENGTH } from '../../core/validation.js';
import type { AuthorizationGrants } from '../../../schema/index.js';
import { recordEvent } from '../logs/event-log.service.js';
import { inviteToOrganization } from '../invitations/invitation.service.js';
import type { InvitationRow } from '../invitations/invitation.repo.js';
import { userByUsername } from '../users/user.service.js';
import { createOrganization, readableOrganization } from './organization.service.js';
import {
  deleteOrganizationMembership,
  findEffectiveRoles,
  findOrganizationBySlug,
  findOrganizationMembership,
  insertOrganizationMembership,
  type OrganizationMembershipRow,
  type OrganizationRow,
} from './organization.repo.js';
import {
  deleteDnsName,
  deleteRequiredScope,
  deleteSubtree,
  findSubtree,
  insertDnsName,
  insertRequiredScope,
  renameDnsName,
  updateOrganizationMembership,
  updateRequiredScope,
  type SubtreeRow,
} from './iyo-orgs.repo.js';

type Ctx = ServiceContext;

import { MAX_DNS_NAMES, MAX_REQUIRED_SCOPES } from './iyo-orgs.limits.js';

/** Itsyouonline's globalid, less the spaces a slug cannot hold: 3 to 150 of `a-z 0-9 - _`. */
const GLOBALID = /^[a-z\d\-_]{3,150}$/;
/** Itsyouonline's DNS name pattern. */
const DNS_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{1,61}[a-zA-Z0-9](?:\.[a-zA-Z]{2,})+$/;
/** The scopes an organization may require, each optionally narrowed by `:<label>`. */
const SCOPE_KINDS = ['name', 'email', 'phone', 'address', 'bankaccount', 'publickey', 'digitalwalletaddress', 'github', 'facebook', 'memberof'] as const;
const ACCESS_SCOPES = ['organization:owner', 'organization:member'];

// ---- reading ----

/** An organization by slug that the caller may read; missing and unreadable alike: NOT_FOUND. */
export async function requireOrganizationBySlug(ctx: Ctx, slug: string): Promise<OrganizationRow> {
  const row = isSlug(slug) ? await findOrganizationBySlug(ctx.db, slug) : undefined;
  const readable = row ? await readableOrganization(ctx, row.id) : null;
  if (!readable) throw notFound('Organization not found');
  return readable;
}

/** The organization, once the caller owns it (inherited and org-owner roles count): else FORBIDDEN. */
export async function requireOwned(ctx: Ctx, slug: string): Promise<OrganizationRow> {
  const org = await requireOrganizationBySlug(ctx, slug);
  await ctx.authz.assert('organization:update', { organizationId: org.id }, { message: 'Only owners of the organization may do this' });
  return org;
}

export interface TreeEntry {
  slug: string;
  parentSlug: string | null;
  depth: number;
}

/** The organization and its descendants, shallowest first (one statement); empty unless the caller reads it. */
export async function subtreeOf(ctx: Ctx, org: OrganizationRow): Promise<TreeEntry[]> {
  if (!(await ctx.authz.can('organization:read', { organizationId: org.id }))) return [];
  const rows: SubtreeRow[] = await ctx.loaders.subtreeById.load(org.id);
  const slugOf = new Map(rows.map((r) => [r.id, r.slug]));
  return rows.map((r) => ({ slug: r.slug, parentSlug: r.depth === 0 ? null : (slugOf.get(r.parentId!) ?? null), depth: r.depth }));
}

/**
 * Whether the user is a member of the organization in any way the policy counts (own role,
 * inherited from a parent, through a member organization); owners of the organization ask.
 * Null when the caller may not ask.
 */
export async function hasMember(ctx: Ctx, org: OrganizationRow, username: string): Promise<boolean | null> {
  if (!(await ctx.authz.can('organization:update', { organizationId: org.id }))) return null;
  const user = await userByUsername(ctx, username);
  if (!user) return false;
  return (await findEffectiveRoles(ctx.db, user.id, [org.id])).has(org.id);
}

/**
 * The required scopes the user has not granted the organization (by part 1's authorizations):
 * `user:name`, `user:github`, `user:facebook` by their flags; `user:email[:label]` and the other
 * labelled kinds by a grant of that requested label (any label when none is named);
 * `user:memberof:<slug>` by that organization in the grant. No grant: every scope is missing.
 */
export function missingScopes(required: readonly string[], grants: AuthorizationGrants | null | undefined): string[] {
  return required.filter((scope) => !grantedScope(scope, grants ?? null));
}

function grantedScope(scope: string, g: AuthorizationGrants | null): boolean {
  if (!g) return false;
  const [, kind, ...rest] = scope.split(':');
  const label = rest.length ? rest.join(':') : null;
  const labelled = (maps: { requestedlabel: string }[] | undefined) => (maps ?? []).some((m) => label === null || m.requestedlabel === label);
  switch (kind) {
    case 'name':
      return g.name === true;
    case 'github':
      return g.github === true;
    case 'facebook':
      return g.facebook === true;
    case 'email':
      return labelled(g.emailaddresses);
    case 'phone':
      return labelled(g.phonenumbers);
    case 'address':
      return labelled(g.addresses);
    case 'bankaccount':
      return labelled(g.bankaccounts);
    case 'publickey':
      return labelled(g.publicKeys);
    case 'digitalwalletaddress':
      return labelled(g.digitalwallet);
    case 'memberof':
      return label !== null && (g.organizations ?? []).includes(label);
    default:
      return false;
  }
}

/** The scopes of `organizationId` that the user has not granted it (batched by loaders). */
export async function missingScopesOf(ctx: Ctx, organizationId: string, userId: string): Promise<string[]> {
  const [required, grants] = await Promise.all([ctx.loaders.requiredScopesByOrganizationId.load(organizationId), ctx.loaders.grantsByOrganizationId.load(organizationId)]);
  if (required.length === 0) return [];
  return missingScopes(
    required.map((r) => r.scope),
    grants.find((g) => g.userId === userId)?.grants,
  );
}

/**
 * What a user still has to grant each organization they belong to (own memberships): the
 * "missingscopes" of their notifications. Only the user and instance admins read it.
 */
export async function missingScopesOfUser(ctx: Ctx, userId: string): Promise<{ organizationSlug: string; scopes: string[] }[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  const memberships = await ctx.loaders.membershipsByUserId.load(userId);
  const grants = await ctx.loaders.authorizationsByUserId.load(userId);
  const out = await Promise.all(
    memberships.map(async (m) => {
      const [org, required] = await Promise.all([ctx.loaders.organizationById.load(m.organizationId), ctx.loaders.requiredScopesByOrganizationId.load(m.organizationId)]);
      const scopes = missingScopes(
        required.map((r) => r.scope),
        grants.find((g) => g.organizationId === m.organizationId)?.grants,
      );
      return org && scopes.length ? [{ organizationSlug: org.slug, scopes }] : [];
    }),
  );
  return out.flat();
}

// ---- creating and deleting ----

export interface RequiredScopeInput {
  scope: string;
  accessScopes: string[];
}

export interface CreateFullInput {
  globalid: string;
  /** The parent's slug for a sub-organization (`POST /organizations/{globalid}`). */
  parent?: string | null;
  owners?: string[] | null;
  members?: string[] | null;
  orgowners?: string[] | null;
  orgmembers?: string[] | null;
  dns?: string[] | null;
  requiredscopes?: RequiredScopeInput[] | null;
  includesuborgsof?: string[] | null;
}

/** The slug of a new organization: a root's globalid, or `<parent>.<local>` (the local part given alone or with the prefix). */
function newSlug(globalid: string, parent: OrganizationRow | null): string {
  const local = parent && globalid.toLowerCase().startsWith(parent.slug.toLowerCase() + '.') ? globalid.slice(parent.slug.length + 1) : globalid;
  if (!GLOBALID.test(local)) throw validation('globalid', 'globalid must be 3 to 150 of a-z, 0-9, "-" and "_"');
  const slug = parent ? `${parent.slug}.${local}` : local;
  if (slug.length > SLUG_MAX_LENGTH) throw validation('globalid', `The organization's full name must be at most ${SLUG_MAX_LENGTH} characters`);
  return slug;
}

const unique = (list: string[] | null | undefined) => [...new Set(list ?? [])];

/**
 * Creates an organization from Itsyouonline's whole body, in one transaction: the caller owns a
 * root (sub-organizations inherit their parent's owners); listed owners and members are
 * invited (they accept through their own routes); org-owners and org-members are linked, or
 * invited when the caller does not own them; DNS names and required scopes are stored;
 * `includesuborgsof` marks linked org-owners / org-members. Any refusal leaves nothing.
 */
export async function createOrganizationFull(ctx: Ctx, input: CreateFullInput): Promise<OrganizationRow> {
  const me = ctx.authz.userId;
  if (!me) throw new DomainError('UNAUTHENTICATED');
  const parent = input.parent != null ? await requireOrganizationBySlug(ctx, input.parent) : null;
  const slug = newSlug(input.globalid, parent);
  const linked = new Set([...unique(input.orgowners), ...unique(input.orgmembers)]);
  for (const name of unique(input.includesuborgsof)) if (!linked.has(name)) throw validation('includesuborgsof', `${name} is not among orgowners or orgmembers`);
  if (unique(input.dns).length > MAX_DNS_NAMES) throw validation('dns', `At most ${MAX_DNS_NAMES} DNS names`);
  if ((input.requiredscopes ?? []).length > MAX_REQUIRED_SCOPES) throw validation('requiredscopes', `At most ${MAX_REQUIRED_SCOPES} required scopes`);
  const myName = ctx.principal.kind === 'user' ? ctx.principal.username : '';
  return ctx.db.transaction(async (tx) => {
    const t = transactionContext(ctx, tx);
    const org = await createOrganization(t, { slug, name: slug, parentId: parent?.id ?? null });
    for (const name of unique(input.dns)) await addDnsNameTo(t, tx, org, name);
    for (const s of input.requiredscopes ?? []) await addRequiredScopeTo(t, tx, org, s);
    for (const username of unique(input.owners)) if (username.toLowerCase() !== myName.toLowerCase()) await inviteToOrganization(t, { organizationId: org.id, username, role: 'owner' });
    for (const username of unique(input.members)) if (username.toLowerCase() !== myName.toLowerCase()) await inviteToOrganization(t, { organizationId: org.id, username, role: 'member' });
    for (const other of unique(input.orgowners)) await linkOrganizationTo(t, org, other, 'owner');
    for (const other of unique(input.orgmembers)) await linkOrganizationTo(t, org, other, 'member');
    for (const other of unique(input.includesuborgsof)) {
      const target = await findOrganizationBySlug(tx, other);
      // Only links made now can include sub-organizations; an invited organization's owners decide first.
      if (target && (await findOrganizationMembership(tx, org.id, target.id))) await setIncludeFlag(t, tx, org, target, true);
    }
    return org;
  });
}

/**
 * Deletes the organization with every sub-organization (owners): their memberships,
 * org-memberships both ways, invitations, DNS names, required scopes and grants go with them
 * (foreign keys). One event row names every organization deleted.
 */
export async function deleteOrganizationTree(ctx: Ctx, slug: string): Promise<OrganizationRow> {
  const org = await requireOrganizationBySlug(ctx, slug);
  await ctx.authz.assert('organization:delete', { organizationId: org.id }, { message: 'Only owners delete an organization' });
  await ctx.db.transaction(async (tx) => {
    // The event row outlives the organizations (its organization_id is set null on delete).
    const ids = await deleteSubtree(tx, org.id);
    await recordEvent(tx, ctx, { action: 'organization.deleteTree', data: { organizationId: org.id, slug: org.slug, deletedIds: ids } });
  });
  return org;
}

// ---- DNS names ----

function checkDnsName(name: string, field = 'name'): string {
  if (name.length < 4 || name.length > 250 || !DNS_NAME.test(name)) throw validation(field, 'Not a DNS name');
  return name;
}

async function addDnsNameTo(ctx: Ctx, tx: Ctx['db'], org: OrganizationRow, name: string): Promise<void> {
  checkDnsName(name, 'dns');
  const existing = await ctx.loaders.dnsNamesByOrganizationId.load(org.id);
  if (existing.length >= MAX_DNS_NAMES) throw new DomainError('PRECONDITION_FAILED', `At most ${MAX_DNS_NAMES} DNS names`, 'name');
  try {
    await tx.transaction(async (sp) => {
      await insertDnsName(sp, org.id, name);
      await recordEvent(sp, ctx, { action: 'organization.dns.add', organizationId: org.id, data: { name } });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'organization_dns_names_name_key')) throw conflict('name', 'DNS name is already used');
    throw err;
  }
  ctx.loaders.dnsNamesByOrganizationId.clear(org.id);
}

export async function addDnsName(ctx: Ctx, slug: string, name: string): Promise<OrganizationRow> {
  const org = await requireOwned(ctx, slug);
  checkDnsName(name);
  await addDnsNameTo(ctx, ctx.db, org, name);
  return org;
}

export async function renameDns(ctx: Ctx, slug: string, name: string, to: string): Promise<OrganizationRow> {
  const org = await requireOwned(ctx, slug);
  checkDnsName(to);
  try {
    await ctx.db.transaction(async (tx) => {
      const row = await renameDnsName(tx, org.id, name, to);
      if (!row) throw notFound('DNS name not found');
      await recordEvent(tx, ctx, { action: 'organization.dns.rename', organizationId: org.id, data: { from: name, to } });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'organization_dns_names_name_key')) throw conflict('name', 'New DNS name is already used');
    throw err;
  }
  ctx.loaders.dnsNamesByOrganizationId.clear(org.id);
  return org;
}

export async function removeDns(ctx: Ctx, slug: string, name: string): Promise<OrganizationRow> {
  const org = await requireOwned(ctx, slug);
  await ctx.db.transaction(async (tx) => {
    const row = await deleteDnsName(tx, org.id, name);
    if (!row) throw notFound('DNS name not found');
    await recordEvent(tx, ctx, { action: 'organization.dns.remove', organizationId: org.id, data: { name: row.name } });
  });
  ctx.loaders.dnsNamesByOrganizationId.clear(org.id);
  return org;
}

// ---- required scopes ----

function checkScope(input: RequiredScopeInput, field = 'scope'): RequiredScopeInput {
  const [prefix, kind, ...rest] = input.scope.split(':');
  if (input.scope.length > 1024 || prefix !== 'user' || !(SCOPE_KINDS as readonly string[]).includes(kind ?? '') || (rest.length > 0 && rest.join(':').trim() === '') || (kind === 'memberof' && rest.length === 0)) {
    throw validation(field, `A required scope is user:<${SCOPE_KINDS.join('|')}>[:<label>] (user:memberof:<globalid>)`);
  }
  const access = [...new Set(input.accessScopes)];
  if (access.some((a) => !ACCESS_SCOPES.includes(a))) throw validation('accessscopes', `Access scopes are ${ACCESS_SCOPES.join(' and ')}`);
  return { scope: input.scope, accessScopes: access };
}

async function addRequiredScopeTo(ctx: Ctx, tx: Ctx['db'], org: OrganizationRow, input: RequiredScopeInput): Promise<void> {
  const s = checkScope(input, 'requiredscopes');
  const existing = await ctx.loaders.requiredScopesByOrganizationId.load(org.id);
  if (existing.length >= MAX_REQUIRED_SCOPES) throw new DomainError('PRECONDITION_FAILED', `At most ${MAX_REQUIRED_SCOPES} required scopes`, 'scope');
  try {
    await tx.transaction(async (sp) => {
      await insertRequiredScope(sp, org.id, s.scope, s.accessScopes);
      await recordEvent(sp, ctx, { action: 'organization.requiredScope.add', organizationId: org.id, data: { ...s } });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'organization_required_scopes_org_scope_key')) throw conflict('scope', 'The required scope conflicts with an existing one');
    throw err;
  }
  ctx.loaders.requiredScopesByOrganizationId.clear(org.id);
}

export async function addRequiredScope(ctx: Ctx, slug: string, input: RequiredScopeInput): Promise<OrganizationRow> {
  const org = await requireOwned(ctx, slug);
  checkScope(input);
  await addRequiredScopeTo(ctx, ctx.db, org, input);
  return org;
}

export async function updateRequiredScopeOf(ctx: Ctx, slug: string, scope: string, input: RequiredScopeInput): Promise<OrganizationRow> {
  const org = await requireOwned(ctx, slug);
  const s = checkScope(input);
  try {
    await ctx.db.transaction(async (tx) => {
      const row = await updateRequiredScope(tx, org.id, scope, s);
      if (!row) throw notFound('The required scope was not found');
      await recordEvent(tx, ctx, { action: 'organization.requiredScope.update', organizationId: org.id, data: { from: scope, ...s } });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'organization_required_scopes_org_scope_key')) throw conflict('scope', 'The new required scope conflicts with an existing one');
    throw err;
  }
  ctx.loaders.requiredScopesByOrganizationId.clear(org.id);
  return org;
}

export async function removeRequiredScope(ctx: Ctx, slug: string, scope: string): Promise<OrganizationRow> {
  const org = await requireOwned(ctx, slug);
  await ctx.db.transaction(async (tx) => {
    const row = await deleteRequiredScope(tx, org.id, scope);
    if (!row) throw notFound('The required scope was not found');
    await recordEvent(tx, ctx, { action: 'organization.requiredScope.remove', organizationId: org.id, data: { scope } });
  });
  ctx.loaders.requiredScopesByOrganizationId.clear(org.id);
  return org;
}

// ---- organizations as org-owners / org-members ----

export interface LinkResult {
  organization: OrganizationRow;
  /** The invitation the other organization's owners answer, when the caller does not own it. */
  invitation: InvitationRow | null;
}

async function linkOrganizationTo(ctx: Ctx, org: OrganizationRow, otherSlug: string, role: 'owner' | 'member'): Promise<InvitationRow | null> {
  const target = isSlug(otherSlug) ? await findOrganizationBySlug(ctx.db, otherSlug) : undefined;
  if (!target) throw notFound('Organization not found');
  if (target.id === org.id) throw validation('globalid', 'An organization cannot be its own org-owner or org-member');
  if (await findOrganizationMembership(ctx.db, org.id, target.id)) throw conflict('globalid', 'Organization is already an owner or a member');
  // Owning both sides, the caller speaks for the other organization too: the link is made now.
  if (await ctx.authz.can('membership:grantOwner', { organizationId: target.id })) {
    try {
      await ctx.db.transaction(async (tx) => {
        await insertOrganizationMembership(tx, { organizationId: org.id, memberOrganizationId: target.id, role });
        await recordEvent(tx, ctx, { action: 'organizationMembership.add', organizationId: org.id, data: { memberOrganizationId: target.id, role } });
      });
    } catch (err) {
      if (isUniqueViolation(err, 'organization_memberships_pair_key')) throw conflict('globalid', 'Organization is already an owner or a member');
      throw err;
    }
    ctx.loaders.organizationMembershipsByOrganizationId.clear(org.id);
    return null;
  }
  return inviteToOrganization(ctx, { organizationId: org.id, organization: target.slug, role });
}

/** Adds an org-owner or org-member (owners of the organization). */
export async function linkOrganization(ctx: Ctx, slug: string, otherSlug: string, role: 'owner' | 'member'): Promise<LinkResult> {
  const org = await requireOwned(ctx, slug);
  return { organization: org, invitation: await linkOrganizationTo(ctx, org, otherSlug, role) };
}

async function requireLink(ctx: Ctx, slug: string, otherSlug: string): Promise<{ org: OrganizationRow; target: OrganizationRow; link: OrganizationMembershipRow }> {
  const org = await requireOwned(ctx, slug);
  const target = isSlug(otherSlug) ? await findOrganizationBySlug(ctx.db, otherSlug) : undefined;
  const link = target ? await findOrganizationMembership(ctx.db, org.id, target.id) : undefined;
  if (!target || !link) throw notFound('Organization not found');
  return { org, target, link };
}

/** Makes a linked organization org-owner or org-member (owners). */
export async function changeOrganizationLinkRole(ctx: Ctx, slug: string, otherSlug: string, role: 'owner' | 'member'): Promise<OrganizationRow> {
  const { org, target, link } = await requireLink(ctx, slug, otherSlug);
  if (link.role === role) return org;
  await ctx.db.transaction(async (tx) => {
    await updateOrganizationMembership(tx, org.id, target.id, { role });
    await recordEvent(tx, ctx, { action: 'organizationMembership.changeRole', organizationId: org.id, data: { memberOrganizationId: target.id, from: link.role, to: role } });
  });
  ctx.loaders.organizationMembershipsByOrganizationId.clear(org.id);
  return org;
}

/** Removes an org-owner (role owner) or org-member (role member); another kind of link is NOT_FOUND. */
export async function unlinkOrganization(ctx: Ctx, slug: string, otherSlug: string, role: 'owner' | 'member'): Promise<OrganizationRow> {
  const { org, target, link } = await requireLink(ctx, slug, otherSlug);
  if (link.role !== role) throw notFound('Organization not found');
  await ctx.db.transaction(async (tx) => {
    await deleteOrganizationMembership(tx, org.id, target.id);
    await recordEvent(tx, ctx, { action: 'organizationMembership.remove', organizationId: org.id, data: { memberOrganizationId: target.id, role } });
  });
  ctx.loaders.organizationMembershipsByOrganizationId.clear(org.id);
  return org;
}

async function setIncludeFlag(ctx: Ctx, tx: Ctx['db'], org: OrganizationRow, target: OrganizationRow, on: boolean): Promise<void> {
  await tx.transaction(async (sp) => {
    await updateOrganizationMembership(sp, org.id, target.id, { includeSubOrganizations: on });
    await recordEvent(sp, ctx, { action: on ? 'organizationMembership.includeSubOrganizations' : 'organizationMembership.excludeSubOrganizations', organizationId: org.id, data: { memberOrganizationId: target.id } });
  });
  ctx.loaders.organizationMembershipsByOrganizationId.clear(org.id);
}

/**
 * Whether the roles granted to a linked organization also reach its sub-organizations' members
 * (owners). Adding twice is CONFLICT; removing one that is not there NOT_FOUND.
 */
export async function setIncludeSubOrganizations(ctx: Ctx, slug: string, otherSlug: string, on: boolean): Promise<OrganizationRow> {
  const { org, target, link } = await requireLink(ctx, slug, otherSlug);
  if (on && link.includeSubOrganizations) throw conflict('globalid', 'Organization is already in the list');
  if (!on && !link.includeSubOrganizations) throw notFound('Organization not found');
  await setIncludeFlag(ctx, ctx.db, org, target, on);
  return org;
}
