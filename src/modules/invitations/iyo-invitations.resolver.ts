// Thin resolvers for Itsyouonline's invitations by name (organizations by slug, users by
// username, email or phone): inviting people, linking or inviting an organization as org-owner
// / org-member, the invited organization's answer, and cancelling by invitee.
import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { payload } from '../../core/graphql/payload.js';
import { UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow } from '../../core/read/reads.js';
import { inviteByName } from '../organizations/iyo-org-people.service.js';
import { linkOrganization } from '../organizations/iyo-orgs.service.js';
import { OrganizationLinkInput } from '../organizations/iyo-orgs.type.js';
import { MembershipRole, Organization, OrganizationMemberRole } from '../organizations/organization.type.js';
import { answerOrganizationInvitationOf, revokeInvitationsNamed } from './invitation.service.js';
import { Invitation, InvitationPayload, RevokeInvitationsPayload } from './invitation.type.js';

@InputType({ description: 'Who to invite into an organization, named as Itsyouonline names people.' })
export class OrganizationInviteUserInput {
  @Field({ description: 'The inviting organization’s slug.' })
  organization!: string;

  @Field({ description: 'A username, an email address or a phone number.' })
  searchString!: string;

  @Field(() => MembershipRole, { description: 'OWNER or MEMBER.' })
  role!: MembershipRole;

  @Field(() => Boolean, { nullable: true, description: 'false: no email or SMS is queued; default true.' })
  notify?: boolean | null;
}

@InputType({ description: 'The invited organization’s answer to an organization’s invitation.' })
export class OrganizationAnswerInvitationInput {
  @Field({ description: 'The invited organization’s slug (you own it).' })
  organization!: string;

  @Field({ description: 'The inviting organization’s slug.' })
  invitingOrganization!: string;

  @Field(() => OrganizationMemberRole, { description: 'The role offered: org-owner or org-member.' })
  role!: OrganizationMemberRole;

  @Field({ description: 'true accepts (the link is made), false rejects.' })
  accept!: boolean;
}

@InputType({ description: 'The pending invitations of one invitee into an organization.' })
export class OrganizationRevokeInvitationsInput {
  @Field({ description: 'The organization’s slug.' })
  organization!: string;

  @Field({ description: 'The invitee: username, email address or phone number.' })
  invitee!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of linking an organization as org-owner or org-member: made at once, or an invitation its owners answer.' })
export class OrganizationLinkPayload {
  @Field(() => Organization, { nullable: true, description: 'The organization linked to.' })
  organization?: Organization | null;

  @Field(() => Invitation, { nullable: true, description: 'The invitation, when you do not own the other organization; null when the link was made at once.' })
  invitation?: Invitation | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@Resolver()
export class OrganizationInvitationsIyoResolver {
  @Mutation(() => InvitationPayload, { description: 'Invites a user by username, email or phone, as OWNER or MEMBER (owners of the organization).' })
  organizationInviteUser(@Arg('input', () => OrganizationInviteUserInput, { description: 'Organization, invitee and role.' }) input: OrganizationInviteUserInput, @Ctx() ctx: Context) {
    return payload(async () => ({
      invitation: Invitation.from(await inviteByName(ctx, input.organization, input.searchString, input.role === MembershipRole.OWNER ? 'owner' : 'member', input.notify !== false)),
    }));
  }

  @Mutation(() => OrganizationLinkPayload, { description: 'Makes another organization org-owner or org-member (owners): at once when you own it too, else by an invitation its owners answer.' })
  organizationLink(@Arg('input', () => OrganizationLinkInput, { description: 'The two organizations and the role.' }) input: OrganizationLinkInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const r = await linkOrganization(ctx, input.organization, input.other, input.role as 'owner' | 'member');
      return { organization: Organization.from(r.organization), invitation: r.invitation ? Invitation.from(r.invitation) : null };
    });
  }

  @Mutation(() => InvitationPayload, { description: 'Accepts or rejects an organization’s invitation of your organization (owners of the invited organization), once.' })
  organizationAnswerInvitation(@Arg('input', () => OrganizationAnswerInvitationInput, { description: 'The two organizations, the role and the answer.' }) input: OrganizationAnswerInvitationInput, @Ctx() ctx: Context) {
    return payload(async () => ({
      invitation: Invitation.from(await answerOrganizationInvitationOf(ctx, input.organization, input.invitingOrganization, input.role as 'owner' | 'member', input.accept)),
    }));
  }

  @Mutation(() => RevokeInvitationsPayload, { description: 'Cancels the pending invitations of one invitee (username, email or phone) into an organization (its admins; owners for owner invitations).' })
  organizationRevokeInvitations(@Arg('input', () => OrganizationRevokeInvitationsInput, { description: 'Organization and invitee.' }) input: OrganizationRevokeInvitationsInput, @Ctx() ctx: Context) {
    return payload(async () => ({ revokedCount: await revokeInvitationsNamed(ctx, input.organization, input.invitee) }));
  }
}
