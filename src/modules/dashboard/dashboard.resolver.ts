// Thin resolvers of the Seald dashboard's admin side: the caller's team, sessions, passwords,
// team API keys and team members. Rules live in dashboard.service.ts.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { DomainError, notFound } from '../../core/errors.js';
import { idOfType } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { MAX_OFFSET } from '../../core/offset.js';
import { PersonalAccessToken } from '../auth/auth.types.js';
import { Invitation, InvitationPayload } from '../invitations/invitation.type.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { Organization } from '../organizations/organization.type.js';
import { User } from '../users/user.type.js';
import {
  changePassword,
  createTeamApiToken,
  dashboardLogin,
  dashboardLogout,
  deleteTeamApiToken,
  disableTeamUser,
  exportTeamEventLogs,
  fullRevokeTeamUser,
  generateSsksApiKey,
  resetPassword,
  teamApiTokens,
  teamOf,
  teamUsers,
  type TeamUserRow,
  createJwtSharedSecret,
  deleteJwtSharedSecret,
  inviteTeamEmail,
  teamLicences,
  sigchainOf,
  teamJwtSharedSecrets,
} from './dashboard.service.js';
import type { JwtSecretRow } from './dashboard.repo.js';
import { isUuid } from '../../core/validation.js';
import {
  ChangePasswordInput,
  CreateTeamApiTokenInput,
  CreateTeamApiTokenPayload,
  DashboardActionPayload,
  DashboardLoginInput,
  DashboardLoginPayload,
  ExportTeamEventLogsInput,
  GenerateSsksApiKeyPayload,
  ResetPasswordInput,
  TeamApiTokenIdInput,
  TeamApiTokenPage,
  TeamPageArgs,
  TeamUser,
  TeamUserInput,
  TeamUserPayload,
  TeamUserPage,
  TeamUsersArgs,
  CreateJwtSharedSecretInput,
  InviteTeamEmailInput,
  TeamLicences,
  JwtSharedSecret,
  JwtSharedSecretIdInput,
  JwtSharedSecretPage,
  JwtSharedSecretPayload,
  SigchainTransaction,
} from './dashboard.type.js';

export function checkPage(a: TeamPageArgs): void {
  if (!Number.isInteger(a.first) || a.first < 1 || a.first > 100) throw new DomainError('BAD_USER_INPUT', 'first must be 1 to 100');
  if (!Number.isInteger(a.offset) || a.offset < 0 || a.offset > MAX_OFFSET) throw new DomainError('BAD_USER_INPUT', `offset must be 0 to ${MAX_OFFSET}`);
}

const teamUser = (r: TeamUserRow, ctx: Context): TeamUser => ({ user: User.from(r.user, ctx.principal), email: r.user.primaryEmail, teamDisabled: r.disabledAt !== null, disabledAt: r.disabledAt });

function userIdOf(gid: string): string {
  const id = idOfType(gid, 'User');
  if (!id) throw notFound('User not found');
  return id;
}

@Resolver()
export class DashboardResolver {
  @Query(() => Organization, { nullable: true, description: 'The team (organization) your credential administers in the Seald dashboard: the one your API key or dashboard session is bound to; null when none.' })
  async dashboardTeam(@Ctx() ctx: Context): Promise<Organization | null> {
    const team = await teamOf(ctx).catch((e) => {
      if (e instanceof DomainError && e.code === 'FORBIDDEN') return null;
      throw e;
    });
    const row = team ? await readableOrganization(ctx, team) : null;
    return row ? Organization.from(row) : null;
  }

  @Mutation(() => DashboardLoginPayload, { description: 'Signs in to the dashboard (password, and `otp` when the account has TOTP): a session bound to the first team you administer.' })
  dashboardLogin(@Arg('input', () => DashboardLoginInput, { description: 'Credentials.' }) input: DashboardLoginInput, @Ctx() ctx: Context): Promise<DashboardLoginPayload> {
    return payload(async () => {
      const s = await dashboardLogin(ctx, input);
      const org = await ctx.loaders.organizationById.load(s.team);
      return { sessionToken: s.sessionToken, expiresAt: s.expiresAt, team: org ? Organization.from(org) : null, user: User.from(s.user, ctx.principal) };
    });
  }

  @Mutation(() => DashboardActionPayload, { description: 'Ends the dashboard session you call with (only that one).' })
  dashboardLogout(@Ctx() ctx: Context): Promise<DashboardActionPayload> {
    return payload(async () => ({ ok: (await dashboardLogout(ctx), true) }));
  }

  @Mutation(() => DashboardActionPayload, { description: 'Changes your password, given the current one, from a dashboard session: your other dashboard sessions and every earlier access token end.' })
  changeDashboardPassword(@Arg('input', () => ChangePasswordInput, { description: 'Current and new password.' }) input: ChangePasswordInput, @Ctx() ctx: Context): Promise<DashboardActionPayload> {
    return payload(async () => ({ ok: (await changePassword(ctx, input), true) }));
  }

  @Mutation(() => DashboardActionPayload, {
    description: 'The mailed password reset: without challenge, mails one (same answer for unknown addresses); with challenge, checks it; with challenge and newPassword, sets the password.',
  })
  resetPassword(@Arg('input', () => ResetPasswordInput, { description: 'Email, and the step’s fields.' }) input: ResetPasswordInput, @Ctx() ctx: Context): Promise<DashboardActionPayload> {
    return payload(async () => ({ ok: (await resetPassword(ctx, input), true) }));
  }

  @Mutation(() => DashboardActionPayload, { description: 'Mails your team’s events between two dates to you as a CSV attachment (through the outbox).' })
  exportTeamEventLogs(@Arg('input', () => ExportTeamEventLogsInput, { description: 'The range.' }) input: ExportTeamEventLogsInput, @Ctx() ctx: Context): Promise<DashboardActionPayload> {
    return payload(async () => ({ ok: (await exportTeamEventLogs(ctx, input), true) }));
  }

  @Mutation(() => GenerateSsksApiKeyPayload, { description: 'A new SSKS API key for your team, shown once.' })
  generateSsksApiKey(@Ctx() ctx: Context): Promise<GenerateSsksApiKeyPayload> {
    return payload(async () => ({ apiKey: await generateSsksApiKey(ctx) }));
  }

  @Mutation(() => CreateTeamApiTokenPayload, { description: 'A new API key of your team (yours, scope API, bound to the team); the secret once.' })
  createTeamApiToken(@Arg('input', () => CreateTeamApiTokenInput, { description: 'Name and expiry.' }) input: CreateTeamApiTokenInput, @Ctx() ctx: Context): Promise<CreateTeamApiTokenPayload> {
    return payload(async () => {
      const r = await createTeamApiToken(ctx, input);
      return { token: r.token, personalAccessToken: PersonalAccessToken.from(r.row) };
    });
  }

  @Mutation(() => CreateTeamApiTokenPayload, { description: 'Revokes one of your team’s API keys: it stops working at once.' })
  deleteTeamApiToken(@Arg('input', () => TeamApiTokenIdInput, { description: 'The key.' }) input: TeamApiTokenIdInput, @Ctx() ctx: Context): Promise<CreateTeamApiTokenPayload> {
    return payload(async () => {
      const id = idOfType(input.id, 'PersonalAccessToken');
      if (!id) throw notFound('API token not found');
      return { personalAccessToken: PersonalAccessToken.from(await deleteTeamApiToken(ctx, id)) };
    });
  }

  @Mutation(() => TeamUserPayload, { description: 'Disables a member in your team; they stay listed (teamDisabled).' })
  disableTeamUser(@Arg('input', () => TeamUserInput, { description: 'The member.' }) input: TeamUserInput, @Ctx() ctx: Context): Promise<TeamUserPayload> {
    return payload(async () => ({ teamUser: teamUser(await disableTeamUser(ctx, userIdOf(input.userId)), ctx) }));
  }

  @Mutation(() => TeamUserPayload, { description: 'Revokes every device of a member and their API keys and sessions in your team, then disables them in it.' })
  fullRevokeTeamUser(@Arg('input', () => TeamUserInput, { description: 'The member.' }) input: TeamUserInput, @Ctx() ctx: Context): Promise<TeamUserPayload> {
    return payload(async () => ({ teamUser: teamUser(await fullRevokeTeamUser(ctx, userIdOf(input.userId)), ctx) }));
  }

  @Mutation(() => InvitationPayload, { description: 'Invites an email to your team when a licence is left (PRECONDITION_FAILED otherwise).' })
  inviteTeamEmail(@Arg('input', () => InviteTeamEmailInput, { description: 'The email.' }) input: InviteTeamEmailInput, @Ctx() ctx: Context): Promise<InvitationPayload> {
    return payload(async () => ({ invitation: Invitation.from(await inviteTeamEmail(ctx, input.email)) }));
  }

  @Mutation(() => JwtSharedSecretPayload, { description: 'A new JWT shared secret of your team (generated) with these permissions.' })
  createJwtSharedSecret(@Arg('input', () => CreateJwtSharedSecretInput, { description: 'Permissions.' }) input: CreateJwtSharedSecretInput, @Ctx() ctx: Context): Promise<JwtSharedSecretPayload> {
    return payload(async () => ({ jwtSharedSecret: jwtSecret(await createJwtSharedSecret(ctx, input.permissions)) }));
  }

  @Mutation(() => JwtSharedSecretPayload, { description: 'Deletes a JWT shared secret of your team: its JWTs stop working at once.' })
  deleteJwtSharedSecret(@Arg('input', () => JwtSharedSecretIdInput, { description: 'The secret.' }) input: JwtSharedSecretIdInput, @Ctx() ctx: Context): Promise<JwtSharedSecretPayload> {
    return payload(async () => {
      if (!isUuid(input.id)) throw notFound('JWT shared secret not found');
      return { jwtSharedSecret: jwtSecret(await deleteJwtSharedSecret(ctx, input.id.toLowerCase())) };
    });
  }

  @Query(() => [SigchainTransaction], { nullable: true, description: 'A team member’s signature chain, in order: for the team’s admins and for JWTs of the team with the sigchain permission; null for anyone else.' })
  async sigchain(@Arg('userId', () => ID, { description: 'Global ID of the user.' }) userId: string, @Ctx() ctx: Context): Promise<SigchainTransaction[] | null> {
    const id = idOfType(userId, 'User');
    return id ? sigchainOf(ctx, id) : null;
  }
}

const jwtSecret = (r: JwtSecretRow): JwtSharedSecret => ({ uuid: r.id, sharedSecret: r.sharedSecret, permissions: r.permissions, createdAt: r.createdAt });

@Resolver(() => Organization)
export class OrganizationTeamResolver {
  @FieldResolver(() => TeamLicences, { nullable: true, description: 'Licences of this organization as a team (its admins; null for others).' })
  licences(@Root() org: Organization, @Ctx() ctx: Context): Promise<TeamLicences | null> {
    return teamLicences(ctx, org.uuid);
  }

  @FieldResolver(() => JwtSharedSecretPage, { description: 'The JWT shared secrets of this organization as a team (its admins; empty for others), newest first.' })
  async jwtSharedSecrets(@Root() org: Organization, @Args(() => TeamPageArgs) args: TeamPageArgs, @Ctx() ctx: Context): Promise<JwtSharedSecretPage> {
    checkPage(args);
    const r = await teamJwtSharedSecrets(ctx, org.uuid, args.first, args.offset);
    return { nodes: r.rows.map(jwtSecret), get totalCount() { return r.count() as unknown as number; } };
  }

  @FieldResolver(() => TeamApiTokenPage, { description: 'The usable API keys bound to this organization (its admins; empty for others), newest first.' })
  async apiTokens(@Root() org: Organization, @Args(() => TeamPageArgs) args: TeamPageArgs, @Ctx() ctx: Context): Promise<TeamApiTokenPage> {
    checkPage(args);
    const r = await teamApiTokens(ctx, org.uuid, args.first, args.offset);
    return { nodes: r.rows.map(PersonalAccessToken.from), get totalCount() { return r.count() as unknown as number; } };
  }

  @FieldResolver(() => TeamUserPage, { description: 'Direct members with their team state (its admins; empty for others), by username.' })
  async teamUsers(@Root() org: Organization, @Args(() => TeamUsersArgs) args: TeamUsersArgs, @Ctx() ctx: Context): Promise<TeamUserPage> {
    checkPage(args);
    const f = args.filter;
    const r = await teamUsers(ctx, org.uuid, { ...f, userId: f?.userId != null ? userIdOf(f.userId) : null, connectorType: f?.connectorType ?? null }, args.first, args.offset);
    return { nodes: r.rows.map((x) => teamUser(x, ctx)), get totalCount() { return r.count() as unknown as number; } };
  }
}
