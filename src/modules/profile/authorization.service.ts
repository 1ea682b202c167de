// The rule of authorizations: a user (or an instance admin for them) grants one organization
// the right to read chosen parts of the user — the name, labelled entries by label (shown under
// the label the organization asked for), linked accounts, memberships. What `User.info` shows is
// decided here from (user, organization): everything for the user themself and instance admins,
// exactly the granted parts for an organization, nothing once the grant is gone. Each change
// commits with its event-log row.
import type { AuthorizationGrants, AuthorizationLabelMap } from '../../../schema/index.js';
import type { ServiceContext } from '../../context.js';
import { DomainError, notFound, validation } from '../../core/errors.js';
import { isSlug } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import { findOrganizationBySlug } from '../organizations/organization.repo.js';
import type { ContactRow, PublicKeyRow, UserRow } from '../users/user.repo.js';
import { userByUsername } from '../users/user.service.js';
import { requireSignedIn } from '../users/user.writes.js';
import { deleteAuthorization, upsertAuthorization, type AuthorizationRow } from './authorization.repo.js';
import type { ProfileEntryRow } from './profile.repo.js';
import { checkLabel } from './profile.service.js';

type Ctx = ServiceContext;

/** Entries one grant may map per collection, and organizations it may list. */
const MAX_GRANTED = 50;
/** Organizations one user may authorize (bounds what User.authorizations answers, and its query cost). */
export const MAX_AUTHORIZATIONS = 50;

const LISTS = ['emailaddresses', 'phonenumbers', 'addresses', 'bankaccounts', 'publicKeys', 'digitalwallet'] as const;
type ListName = (typeof LISTS)[number];

export interface AuthorizationInput {
  username: string;
  organization: string;
  name?: boolean | null;
  emailAddresses?: { requestedLabel: string; realLabel: string }[] | null;
  phoneNumbers?: { requestedLabel: string; realLabel: string }[] | null;
  addresses?: { requestedLabel: string; realLabel: string }[] | null;
  bankAccounts?: { requestedLabel: string; realLabel: string }[] | null;
  publicKeys?: { requestedLabel: string; realLabel: string }[] | null;
  digitalWallet?: { requestedLabel: string; realLabel: string }[] | null;
  facebook?: boolean | null;
  github?: boolean | null;
  organizations?: string[] | null;
}

const INPUT_OF: Record<ListName, keyof AuthorizationInput> = {
  emailaddresses: 'emailAddresses',
  phonenumbers: 'phoneNumbers',
  addresses: 'addresses',
  bankaccounts: 'bankAccounts',
  publicKeys: 'publicKeys',
  digitalwallet: 'digitalWallet',
};

function labelMaps(given: { requestedLabel: string; realLabel: string }[] | null | undefined, field: string): AuthorizationLabelMap[] {
  const list = given ?? [];
  if (list.length > MAX_GRANTED) throw validation(field, `At most ${MAX_GRANTED} entries`);
  return list.map((m) => ({ requestedlabel: checkLabel(m.requestedLabel, field), reallabel: checkLabel(m.realLabel, field) }));
}

/** The user and organization of a grant, once the caller may manage the user's grants. */
async function grantParties(ctx: Ctx, username: string, slug: string): Promise<{ user: UserRow; organizationId: string }> {
  requireSignedIn(ctx);
  const user = await userByUsername(ctx, username);
  if (!user) throw notFound('User not found');
  await ctx.authz.assert('user:update', { userId: user.id }, { message: 'You may change only your own authorizations' });
  // A user may authorize any organization (one they are not a member of, too): found by slug, not by visibility.
  const org = isSlug(slug) ? await findOrganizationBySlug(ctx.db, slug) : undefined;
  if (!org) throw notFound('Organization not found');
  return { user, organizationId: org.id };
}

// ---- reading ----

/** The grants of a user: the user and instance admins see them, others none. */
export async function authorizationsOf(ctx: Ctx, userId: string): Promise<AuthorizationRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return ctx.loaders.authorizationsByUserId.load(userId);
}

/** The user's grant to the organization, or null (no grant: the organization sees nothing). */
export async function grantOf(ctx: Ctx, userId: string, organizationId: string): Promise<AuthorizationGrants | null> {
  return (await ctx.loaders.authorizationsByUserId.load(userId)).find((a) => a.organizationId === organizationId)?.grants ?? null;
}

export interface UserData {
  user: UserRow;
  contacts: ContactRow[];
  keys: PublicKeyRow[];
  entries: ProfileEntryRow[];
  memberships: string[];
}

/** Keeps the granted items (by real label) under the label the organization asked for; `all` keeps each under its own. */
function granted<R extends { label: string | null }>(rows: R[], maps: AuthorizationLabelMap[] | 'all'): (R & { shownLabel: string | null })[] {
  if (maps === 'all') return rows.map((r) => ({ ...r, shownLabel: r.label }));
  return maps.flatMap((m) => rows.filter((r) => r.label === m.reallabel).map((r) => ({ ...r, shownLabel: m.requestedlabel })));
}

/**
 * What a view of the user shows: `grants` null means the full view (the user, instance admins),
 * else exactly the granted parts. The one place that decides it.
 */
export function viewOf(data: UserData, grants: AuthorizationGrants | null) {
  const maps = (name: ListName): AuthorizationLabelMap[] | 'all' => (grants ? (grants[name] ?? []) : 'all');
  const entries = (kind: ProfileEntryRow['kind']) => data.entries.filter((e) => e.kind === kind);
  const showName = !grants || grants.name === true;
  return {
    username: data.user.username,
    firstName: showName ? data.user.firstName : null,
    lastName: showName ? data.user.lastName : null,
    emails: granted(data.contacts.filter((c) => c.type === 'email'), maps('emailaddresses')),
    phones: granted(data.contacts.filter((c) => c.type === 'phone'), maps('phonenumbers')),
    keys: granted(data.keys.filter((k) => k.kind === 'labelled'), maps('publicKeys')),
    addresses: granted(entries('address'), maps('addresses')),
    bankAccounts: granted(entries('bank_account'), maps('bankaccounts')),
    digitalWallet: granted(entries('digital_wallet'), maps('digitalwallet')),
    organizations: grants ? data.memberships.filter((slug) => grants.organizations.includes(slug)) : data.memberships,
  };
}

/**
 * The view of a user for this caller. Without an organization: the user themself and instance
 * admins see everything (other callers: FORBIDDEN). With one: what that organization was granted
 * — a preview for the user and instance admins. An organization principal (its API key) gets its
 * own grant, whatever `organizationSlug` says, and null without one.
 */
export async function infoOf(ctx: Ctx, user: UserRow, organizationSlug: string | null) {
  let grants: AuthorizationGrants | null = null;
  if (ctx.principal.kind === 'organization') {
    // The organization itself (its API key): exactly what the user granted it, nothing without a
    // grant; `organizationSlug` cannot widen it (another organization's view is not its to see).
    grants = await grantOf(ctx, user.id, ctx.principal.organizationId);
    if (!grants) return null;
  } else if (!ctx.authz.isSelfOrAdmin(user.id)) return null;
  else if (organizationSlug !== null) {
    const org = isSlug(organizationSlug) ? await findOrganizationBySlug(ctx.db, organizationSlug) : undefined;
    grants = org ? await grantOf(ctx, user.id, org.id) : null;
    // No grant: the organization sees the username only.
    grants ??= { name: false, emailaddresses: [], phonenumbers: [], addresses: [], bankaccounts: [], publicKeys: [], digitalwallet: [], facebook: false, github: false, organizations: [] };
  }
  const [contacts, keys, entries, memberships] = await Promise.all([
    ctx.loaders.contactsByUserId.load(user.id),
    ctx.loaders.publicKeysByUserId.load(user.id),
    ctx.loaders.profileEntriesByUserId.load(user.id),
    ctx.loaders.membershipsByUserId.load(user.id),
  ]);
  const orgs = await Promise.all(memberships.map((m) => ctx.loaders.organizationById.load(m.organizationId)));
  return viewOf({ user, contacts, keys, entries, memberships: orgs.flatMap((o) => (o ? [o.slug] : [])) }, grants);
}

// ---- writes ----

/** Grants an organization the given parts of the user, replacing any earlier grant to it. */
export async function setAuthorization(ctx: Ctx, input: AuthorizationInput): Promise<AuthorizationRow> {
  const { user, organizationId } = await grantParties(ctx, input.username, input.organization);
  const orgs = input.organizations ?? [];
  if (orgs.length > MAX_GRANTED || orgs.some((s) => !isSlug(s))) throw validation('organizations', `At most ${MAX_GRANTED} organization slugs`);
  const grants: AuthorizationGrants = {
    name: input.name === true,
    ...(Object.fromEntries(LISTS.map((l) => [l, labelMaps(input[INPUT_OF[l]] as never, INPUT_OF[l])])) as Record<ListName, AuthorizationLabelMap[]>),
    facebook: input.facebook === true,
    github: input.github === true,
    organizations: [...new Set(orgs)],
  };
  const existing = await ctx.loaders.authorizationsByUserId.load(user.id);
  if (existing.length >= MAX_AUTHORIZATIONS && !existing.some((a) => a.organizationId === organizationId)) {
    throw new DomainError('PRECONDITION_FAILED', `At most ${MAX_AUTHORIZATIONS} organizations may be authorized`);
  }
  await ctx.db.transaction(async (tx) => {
    await upsertAuthorization(tx, user.id, organizationId, grants);
    await recordEvent(tx, ctx, { action: 'authorization.set', user2Id: user.id, organizationId, data: { grants } });
  });
  ctx.loaders.authorizationsByUserId.clear(user.id);
  return (await ctx.loaders.authorizationsByUserId.load(user.id)).find((a) => a.organizationId === organizationId)!;
}

/** Withdraws the grant: the organization reads nothing of the user from now on. NOT_FOUND when there was none. */
export async function removeAuthorization(ctx: Ctx, input: { username: string; organization: string }): Promise<void> {
  const { user, organizationId } = await grantParties(ctx, input.username, input.organization);
  await ctx.db.transaction(async (tx) => {
    if (!(await deleteAuthorization(tx, user.id, organizationId))) throw notFound('Authorization not found');
    await recordEvent(tx, ctx, { action: 'authorization.remove', user2Id: user.id, organizationId, data: {} });
  });
  ctx.loaders.authorizationsByUserId.clear(user.id);
}
