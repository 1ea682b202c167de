// Itsyouonline's people of an organization, named as its API names them: invitations by
// username, email or phone (`searchstring`), and members' roles and removal by username. Owners
// decide (requireOwned); the rules themselves are the organization and invitation services'.
import type { ServiceContext } from '../../context.js';
import type { Role } from '../../core/auth/policy.js';
import { notFound, validation } from '../../core/errors.js';
import { isE164Phone, isEmail, normalizePhone } from '../../core/validation.js';
import { inviteToOrganization } from '../invitations/invitation.service.js';
import type { InvitationRow } from '../invitations/invitation.repo.js';
import { userByUsername } from '../users/user.service.js';
import { requireOwned } from './iyo-orgs.service.js';
import { changeMemberRole, removeMember } from './organization.service.js';
import { findMembership, type OrganizationRow } from './organization.repo.js';

type Ctx = ServiceContext;

/** Who `searchstring` names: an email address, a phone number, else a username. */
export function inviteeOf(searchstring: string): { username?: string; email?: string; phone?: string } {
  const s = searchstring.trim();
  if (s.includes('@')) {
    if (!isEmail(s)) throw validation('searchstring', 'Not an email address');
    return { email: s };
  }
  if (/^\+?[0-9][0-9 ()-]{5,}$/.test(s)) {
    const phone = normalizePhone(s, { plusOptional: true });
    if (!isE164Phone(phone)) throw validation('searchstring', 'Not a phone number');
    return { phone };
  }
  return { username: s };
}

/** Invites a user (by username, email or phone) into the organization with a role (owners). */
export async function inviteByName(ctx: Ctx, slug: string, searchstring: string, role: 'owner' | 'member', notify: boolean): Promise<InvitationRow> {
  const org = await requireOwned(ctx, slug);
  return inviteToOrganization(ctx, { organizationId: org.id, ...inviteeOf(searchstring), role, notify });
}

async function memberNamed(ctx: Ctx, slug: string, username: string) {
  const org = await requireOwned(ctx, slug);
  const user = await userByUsername(ctx, username);
  const membership = user ? await findMembership(ctx.db, org.id, user.id) : undefined;
  if (!user || !membership) throw notFound('Member not found');
  return { org, user, membership };
}

/** Changes a member's role (owners). */
export async function changeRoleByName(ctx: Ctx, slug: string, username: string, role: Role): Promise<OrganizationRow> {
  const { org, user } = await memberNamed(ctx, slug, username);
  return (await changeMemberRole(ctx, org.id, user.id, role)).org;
}

/** Removes a member (any role) or, with `onlyRole`, only one with that role (owners; the last owner stays). */
export async function removeByName(ctx: Ctx, slug: string, username: string, onlyRole: Role | null): Promise<OrganizationRow> {
  const { org, user, membership } = await memberNamed(ctx, slug, username);
  if (onlyRole && membership.role !== onlyRole) throw notFound('Member not found');
  return removeMember(ctx, org.id, user.id);
}
