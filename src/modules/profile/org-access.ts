// Who may read and change an Itsyouonline organization's own data (API keys, registry,
// descriptions, logo, 2FA validity, contracts), found by its slug (the dialect's `globalid`):
// - reads: whoever may read the organization (its members, inherited down the tree; the
//   organization's own API keys, policy.ts) — a stranger gets NOT_FOUND, as for a missing one;
// - owner data (API keys, contracts): its owners, and for contracts its own API keys;
// - changes: its owners only ('organization:update'); a plain member FORBIDDEN.
import type { ServiceContext } from '../../context.js';
import { DomainError, notFound } from '../../core/errors.js';
import { organizationBySlug } from '../organizations/organization.service.js';
import type { OrganizationRow } from '../organizations/organization.repo.js';

type Ctx = ServiceContext;

/** The organization a request names, once the caller may read it. */
async function organizationForRead(ctx: Ctx, slug: string): Promise<OrganizationRow> {
  if (ctx.principal.kind === 'anonymous') throw new DomainError('UNAUTHENTICATED');
  const org = await organizationBySlug(ctx, slug);
  if (!org) throw notFound('Organization not found');
  return org;
}

/** The organization a change names, once the caller owns it. */
export async function organizationForChange(ctx: Ctx, slug: string, what: string): Promise<OrganizationRow> {
  const org = await organizationForRead(ctx, slug);
  await ctx.authz.assert('organization:update', { organizationId: org.id }, { message: `Only owners of the organization may change ${what}` });
  return org;
}

/** Whether the caller may read the organization's owner-only data: its owners, and the organization itself (its API keys). */
export async function mayReadOwnerData(ctx: Ctx, organizationId: string): Promise<boolean> {
  if (ctx.principal.kind === 'organization') return ctx.principal.organizationId === organizationId;
  return ctx.authz.can('organization:update', { organizationId });
}
