// Thin resolvers for invitations: arguments in, service call, object out. Relations load
// through the per-request loaders; Organization.invitations and User.invitations are added
// here, beside the types of the modules that own them.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { Role } from '../../core/auth/policy.js';
import { mapConnection } from '../../core/graphql/connection.js';
import { idOfType, requireId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { Organization } from '../organizations/organization.type.js';
import { DomainError } from '../../core/errors.js';
import { userById, userByUsername } from '../users/user.service.js';
import { User, UserReads } from '../users/user.type.js';
import {
  acceptInvitation,
  answerInvitationOf,
  invitationsOfOrganization,
  invitationsReceivedBy,
  inviteToOrganization,
  listVisibleInvitations,
  readableInvitation,
  rejectInvitation,
  resendInvitation,
  revokeInvitation,
  revokeInvitationsForEmail,
} from './invitation.service.js';
import type { InvitationStatusValue } from './invitation.repo.js';
import {
  AnswerInvitationInput,
  Invitation,
  InvitationConnection,
  InvitationIdInput,
  InvitationPayload,
  RevokeInvitationsForEmailInput,
  RevokeInvitationsPayload,
  InvitationsArgs,
  InvitationsOfArgs,
  InviteToOrganizationInput,
} from './invitation.type.js';

const statusOf = (s: string | null | undefined) => (s ?? null) as InvitationStatusValue | null;

@Resolver(() => Invitation)
export class InvitationResolver {
  @Query(() => Invitation, { nullable: true, description: 'An invitation by global ID; null when missing or not visible to you.' })
  async invitation(@Arg('id', () => ID, { description: 'Global ID.' }) id: string, @Ctx() ctx: Context): Promise<Invitation | null> {
    const uuid = idOfType(id, 'Invitation');
    const row = uuid ? await readableInvitation(ctx, uuid) : null;
    return row ? Invitation.from(row) : null;
  }

  @Query(() => InvitationConnection, {
    description: 'Invitations visible to you, newest first: those of organizations you administer, those addressed to you (by account, email or phone), or (instance admins) all.',
  })
  async invitations(@Args(() => InvitationsArgs) args: InvitationsArgs, @Ctx() ctx: Context) {
    const f = args.filter;
    const organizationId = f?.organization != null ? requireId(f.organization, 'Organization') : null;
    const c = await listVisibleInvitations(ctx, args, { organizationId, email: f?.email ?? null, status: statusOf(f?.status), emailsOnly: f?.emailsOnly ?? null }, args.offset);
    return mapConnection(c, Invitation.from);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The inviting organization (null when you cannot read it; see organizationName).' })
  async organization(@Root() inv: Invitation, @Ctx() ctx: Context): Promise<Organization | null> {
    const row = await readableOrganization(ctx, inv.row.organizationId);
    return row ? Organization.from(row) : null;
  }

  @FieldResolver(() => String, { description: 'Name of the inviting organization, visible to the invitee too.' })
  async organizationName(@Root() inv: Invitation, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.organizationById.load(inv.row.organizationId))?.name ?? '';
  }

  @FieldResolver(() => String, { description: 'Slug of the inviting organization, visible to the invitee too.' })
  async organizationSlug(@Root() inv: Invitation, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.organizationById.load(inv.row.organizationId))?.slug ?? '';
  }

  @FieldResolver(() => User, { nullable: true, description: 'The invited user: invited by username, or the owner of the invited email (set on acceptance at the latest).' })
  async inviteeUser(@Root() inv: Invitation, @Ctx() ctx: Context): Promise<User | null> {
    const row = inv.row.inviteeUserId ? await userById(ctx, inv.row.inviteeUserId) : null;
    return row ? User.from(row, ctx.principal) : null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The invited organization, for organization invitees (null when you cannot read it).' })
  async inviteeOrganization(@Root() inv: Invitation, @Ctx() ctx: Context): Promise<Organization | null> {
    const row = inv.row.inviteeOrganizationId ? await ctx.loaders.organizationById.load(inv.row.inviteeOrganizationId) : null;
    if (!row) return null;
    // The inviting side sees whom it invited, even without reading that organization otherwise.
    const visible = (await readableOrganization(ctx, row.id)) ?? ((await ctx.authz.can('invitation:read', { organizationId: inv.row.organizationId })) ? row : null);
    return visible ? Organization.from(visible) : null;
  }

  @FieldResolver(() => String, { description: 'Who is invited, as one string: the email, phone, username or organization slug (the accounts API’s invitee_identifier).' })
  async inviteeIdentifier(@Root() inv: Invitation, @Ctx() ctx: Context): Promise<string> {
    const r = inv.row;
    if (r.inviteeEmail) return r.inviteeEmail;
    if (r.inviteePhone) return r.inviteePhone;
    if (r.inviteeUserId) return (await ctx.loaders.userById.load(r.inviteeUserId))?.username ?? '';
    if (r.inviteeOrganizationId) return (await ctx.loaders.organizationById.load(r.inviteeOrganizationId))?.slug ?? '';
    return '';
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who sent the invitation (null when that account is gone).' })
  async invitedBy(@Root() inv: Invitation, @Ctx() ctx: Context): Promise<User | null> {
    const row = inv.row.invitedById ? await userById(ctx, inv.row.invitedById) : null;
    return row ? User.from(row, ctx.principal) : null;
  }

  @Mutation(() => InvitationPayload, {
    description:
      'Invites a user (by username), an email address, a phone number or another organization to an organization (admins; only owners invite as OWNER). Email and phone invitations queue a message.',
  })
  inviteToOrganization(@Arg('input', () => InviteToOrganizationInput, { description: 'Organization, invitee, role and validity.' }) input: InviteToOrganizationInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const organizationId = requireId(input.organizationId, 'Organization');
      const row = await inviteToOrganization(ctx, { ...input, organizationId, role: (input.role as Role | null) ?? null });
      return { invitation: Invitation.from(row) };
    });
  }

  @Mutation(() => InvitationPayload, { description: 'Sends a pending invitation again: a new sentAt, validUntil pushed 7 days further (at most 30 days ahead), a new message (admins).' })
  resendInvitation(@Arg('input', () => InvitationIdInput, { description: 'The invitation.' }) input: InvitationIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ invitation: Invitation.from(await resendInvitation(ctx, requireId(input.id, 'Invitation'))) }));
  }

  @Mutation(() => RevokeInvitationsPayload, { description: 'Withdraws every pending invitation of one email address into an organization (admins of that organization).' })
  revokeInvitationsForEmail(@Arg('input', () => RevokeInvitationsForEmailInput, { description: 'Organization and email.' }) input: RevokeInvitationsForEmailInput, @Ctx() ctx: Context) {
    return payload(async () => ({ revokedCount: await revokeInvitationsForEmail(ctx, requireId(input.organizationId, 'Organization'), input.email) }));
  }

  @Mutation(() => InvitationPayload, { description: 'Withdraws a pending invitation (admins of the inviting organization).' })
  revokeInvitation(@Arg('input', () => InvitationIdInput, { description: 'The invitation.' }) input: InvitationIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ invitation: Invitation.from(await revokeInvitation(ctx, requireId(input.id, 'Invitation'))) }));
  }

  @Mutation(() => InvitationPayload, { description: 'Accepts a pending invitation addressed to you (or, for an organization invitee, as its owner): the membership is created.' })
  acceptInvitation(@Arg('input', () => InvitationIdInput, { description: 'The invitation.' }) input: InvitationIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ invitation: Invitation.from(await acceptInvitation(ctx, requireId(input.id, 'Invitation'))) }));
  }

  @Mutation(() => InvitationPayload, { description: 'Accepts or declines your pending invitation into an organization, named by organization and role instead of its id.' })
  answerOrganizationInvitation(@Arg('input', () => AnswerInvitationInput, { description: 'Invitee, organization, role and answer.' }) input: AnswerInvitationInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const user = await userByUsername(ctx, input.username);
      if (!user) throw new DomainError('NOT_FOUND', 'User not found');
      return { invitation: Invitation.from(await answerInvitationOf(ctx, user.id, input.organization, input.role, input.accept)) };
    });
  }

  @Mutation(() => InvitationPayload, { description: 'Declines a pending invitation addressed to you (or, for an organization invitee, as its owner).' })
  rejectInvitation(@Arg('input', () => InvitationIdInput, { description: 'The invitation.' }) input: InvitationIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ invitation: Invitation.from(await rejectInvitation(ctx, requireId(input.id, 'Invitation'))) }));
  }
}

@Resolver(() => Organization)
export class OrganizationInvitationsResolver {
  @FieldResolver(() => InvitationConnection, { description: 'Invitations of this organization, newest first (empty unless you administer it).' })
  async invitations(@Root() org: Organization, @Args(() => InvitationsOfArgs) args: InvitationsOfArgs, @Ctx() ctx: Context) {
    return mapConnection(await invitationsOfOrganization(ctx, org.uuid, { ...args, status: statusOf(args.status) }), Invitation.from);
  }
}

@Resolver(() => User)
export class UserInvitationsResolver {
  @UserReads('id')
  @FieldResolver(() => InvitationConnection, { description: 'Invitations the user received (by account, email or phone), newest first; empty unless you are the user or an instance admin.' })
  async invitations(@Root() user: User, @Args(() => InvitationsOfArgs) args: InvitationsOfArgs, @Ctx() ctx: Context) {
    return mapConnection(await invitationsReceivedBy(ctx, user.uuid, { ...args, status: statusOf(args.status) }), Invitation.from);
  }
}
