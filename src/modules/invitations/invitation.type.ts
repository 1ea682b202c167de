// GraphQL types of invitations: one model for every dialect (the IoT API's email invites, the
// accounts API's invitee_identifier with resend/revoke/valid_until, Itsyouonline's
// organization invitees). Status is computed on read: a pending invitation past its validUntil
// reads as EXPIRED, whether or not the row was ever rewritten.
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../core/graphql/connection.js';
import { Node, toGlobalId } from '../../core/graphql/node.js';
import { UserError } from '../../core/graphql/payload.js';
import { MembershipRole } from '../organizations/organization.type.js';
import type { InvitationRow } from './invitation.repo.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';

export enum InvitationStatus {
  PENDING = 'pending',
  ACCEPTED = 'accepted',
  REJECTED = 'rejected',
  REVOKED = 'revoked',
  EXPIRED = 'expired',
}
registerEnumType(InvitationStatus, {
  name: 'InvitationStatus',
  description: 'Where an invitation stands.',
  valuesConfig: {
    PENDING: { description: 'Sent and still valid: the invitee may accept or reject it.' },
    ACCEPTED: { description: 'Accepted: the membership exists.' },
    REJECTED: { description: 'Declined by the invitee.' },
    REVOKED: { description: 'Withdrawn by the organization.' },
    EXPIRED: { description: 'Not answered before validUntil.' },
  },
});

export enum InvitationMethod {
  WEBSITE = 'website',
  EMAIL = 'email',
  PHONE = 'phone',
}
registerEnumType(InvitationMethod, {
  name: 'InvitationMethod',
  description: 'How the invitee is reached.',
  valuesConfig: {
    WEBSITE: { description: 'In the application only (an existing user or organization).' },
    EMAIL: { description: 'By email (an outbox message on the email channel).' },
    PHONE: { description: 'By SMS (an outbox message on the sms channel).' },
  },
});

/** The status as callers see it: pending rows past their validUntil are expired. */
export function effectiveStatus(row: Pick<InvitationRow, 'status' | 'validUntil'>, now = new Date()): InvitationStatus {
  if (row.status === 'pending' && row.validUntil.getTime() <= now.getTime()) return InvitationStatus.EXPIRED;
  return row.status as InvitationStatus;
}

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'An invitation to join an organization, addressed to a user, an email address, a phone number or another organization.' })
export class Invitation extends Node {
  static readonly nodeType = 'Invitation';
  row!: InvitationRow;

  @Field(() => String, { nullable: true, description: 'The invited email address, for email invitations.' })
  inviteeEmail!: string | null;

  @Field(() => String, { nullable: true, description: 'The invited phone number (digits, optional leading +), for phone invitations.' })
  inviteePhone!: string | null;

  @Field(() => MembershipRole, { description: 'The role the invitee gets on acceptance (organization invitees: OWNER or MEMBER).' })
  role!: MembershipRole;

  @Field(() => InvitationStatus, { description: 'Current status; a pending invitation past validUntil reads EXPIRED.' })
  status!: InvitationStatus;

  @Field(() => InvitationMethod, { description: 'How the invitee is reached.' })
  method!: InvitationMethod;

  @Field(() => Date, { nullable: true, description: 'When the invitation was last sent (created or resent).' })
  sentAt!: Date | null;

  @Field({ description: 'Until when the invitation can be accepted.' })
  validUntil!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was accepted.' })
  acceptedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the invitee rejected it.' })
  declinedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the organization revoked it.' })
  revokedAt!: Date | null;

  @Field({ description: 'When the invitation was created.' })
  createdAt!: Date;

  @Field(() => ID, { description: 'Global ID of the inviting organization (given even when you cannot read the organization itself).' })
  organizationId!: string;

  static from(row: InvitationRow): Invitation {
    const i = new Invitation();
    i.uuid = row.id;
    i.organizationId = toGlobalId('Organization', row.organizationId);
    i.row = row;
    i.inviteeEmail = row.inviteeEmail;
    i.inviteePhone = row.inviteePhone;
    i.role = row.role as MembershipRole;
    i.status = effectiveStatus(row);
    i.method = row.method as InvitationMethod;
    i.sentAt = row.sentAt;
    i.validUntil = row.validUntil;
    i.acceptedAt = row.acceptedAt;
    i.declinedAt = row.declinedAt;
    i.revokedAt = row.revokedAt;
    i.createdAt = row.createdAt;
    return i;
  }
}

export const InvitationConnection = ConnectionType(Invitation, 'Invitation');

@InputType({ description: 'Which invitations to list.' })
export class InvitationFilterInput {
  @Field(() => ID, { nullable: true, description: 'Only invitations of this organization (global ID).' })
  organization?: string | null;

  @Field(() => String, { nullable: true, description: 'Only invitations to this email address (case-insensitive).' })
  email?: string | null;

  @Field(() => InvitationStatus, { nullable: true, description: 'Only invitations with this status (EXPIRED includes lapsed pending ones).' })
  status?: InvitationStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only invitations of an email address.' })
  emailsOnly?: boolean | null;
}

@ArgsType()
export class InvitationsArgs extends ConnectionArgs {
  @Field(() => InvitationFilterInput, { nullable: true, description: 'Filter.' })
  filter?: InvitationFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Skip this many invitations (with `first` only, at most 100000): for page-number clients such as the REST dialects; prefer cursors.' })
  offset?: number | null;
}

@ArgsType()
export class InvitationsOfArgs extends ConnectionArgs {
  @Field(() => InvitationStatus, { nullable: true, description: 'Only invitations with this status.' })
  status?: InvitationStatus | null;
}

@InputType({ description: 'Who to invite where: give exactly one of username, email, phone and organization.' })
export class InviteToOrganizationInput {
  @Field(() => ID, { description: 'Global ID of the inviting organization.' })
  organizationId!: string;

  @Field(() => String, { nullable: true, description: 'Invite an existing user by username.' })
  username?: string | null;

  @Field(() => String, { nullable: true, description: 'Invite by email address (linked to the user who owns it, if any); an email is queued.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Invite by phone number; an SMS is queued.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Invite another organization, by slug or global ID.' })
  organization?: string | null;

  @Field(() => MembershipRole, { nullable: true, description: 'Role on acceptance; default MEMBER. Only owners invite as OWNER.' })
  role?: MembershipRole | null;

  @Field(() => Date, { nullable: true, description: 'Until when it can be accepted; default in 7 days, at most 30 days ahead.' })
  validUntil?: Date | null;
}

@InputType({ description: 'The invitation to act on.' })
export class InvitationIdInput {
  @Field(() => ID, { description: 'Global ID of the invitation.' })
  id!: string;
}

@InputType({ description: 'A pending invitation named by the invitee, the organization and the role (the Itsyouonline dialect’s paths), and the answer.' })
export class AnswerInvitationInput {
  @Field({ description: 'The invitee’s username (yourself).' })
  username!: string;

  @Field({ description: 'The inviting organization’s slug.' })
  organization!: string;

  @Field(() => MembershipRole, { description: 'The role the invitation offers.' })
  role!: MembershipRole;

  @Field({ description: 'true accepts (the membership is created), false declines.' })
  accept!: boolean;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of a change to an invitation.' })
export class InvitationPayload {
  @Field(() => Invitation, { nullable: true, description: 'The invitation after the change.' })
  invitation?: Invitation | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Every pending invitation of one email address into one organization.' })
export class RevokeInvitationsForEmailInput {
  @Field(() => ID, { description: 'Global ID of the organization.' })
  organizationId!: string;

  @Field({ description: 'The invited email address (case-insensitive).' })
  email!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of revoking the invitations of an email address.' })
export class RevokeInvitationsPayload {
  @Field(() => Int, { description: 'How many pending invitations were revoked (0 when there were none).' })
  revokedCount!: number;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}
