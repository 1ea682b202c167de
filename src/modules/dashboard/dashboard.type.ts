// GraphQL types of the Seald dashboard's admin side (dashboard.service.ts).
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow } from '../../core/read/reads.js';
import { PersonalAccessToken } from '../auth/auth.types.js';
import { Organization } from '../organizations/organization.type.js';
import { User } from '../users/user.type.js';

@InputType({ description: 'Dashboard sign-in.' })
export class DashboardLoginInput {
  @Field({ description: 'Email address of the account.' })
  email!: string;

  @Field({ description: 'Password.' })
  password!: string;

  @Field(() => String, { nullable: true, description: 'The current TOTP code, when the account has two-factor authentication.' })
  otp?: string | null;
}

@ReadsNoRow()
@ObjectType({ description: 'A dashboard session.' })
export class DashboardLoginPayload {
  @Field(() => String, { nullable: true, description: 'The session token (the dashboard keeps it in an HttpOnly cookie). Shown once.' })
  sessionToken?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the session ends.' })
  expiresAt?: Date | null;

  @Field(() => Organization, { nullable: true, description: 'The team the session administers.' })
  team?: Organization | null;

  @Field(() => User, { nullable: true, description: 'Who signed in.' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why sign-in failed (INVALID_CREDENTIALS; on `otp`: the second factor).' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of an action with nothing else to return.' })
export class DashboardActionPayload {
  @Field(() => Boolean, { nullable: true, description: 'true when it was done (null with userErrors).' })
  ok?: boolean | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

// A password change takes the auth module's ChangePasswordInput (one input type for both mutations).
export { ChangePasswordInput } from '../auth/auth.types.js';

@InputType({ description: 'One step of the mailed password reset.' })
export class ResetPasswordInput {
  @Field({ description: 'The account’s email address.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'The mailed challenge; omitted: mail one.' })
  challenge?: string | null;

  @Field(() => String, { nullable: true, description: 'The new password; omitted: only check the challenge.' })
  newPassword?: string | null;
}

@ReadsNoRow()
@ObjectType({ description: 'A new SSKS API key of the team.' })
export class GenerateSsksApiKeyPayload {
  @Field(() => String, { nullable: true, description: 'The key, shown this once.' })
  apiKey?: string | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

@InputType({ description: 'The range of an event-log export.' })
export class ExportTeamEventLogsInput {
  @Field({ description: 'Events after this moment.' })
  dateMin!: Date;

  @Field({ description: 'Events before this moment.' })
  dateMax!: Date;
}

@InputType({ description: 'A new API key of the team.' })
export class CreateTeamApiTokenInput {
  @Field({ description: 'What the key is for (1 to 255 characters).' })
  name!: string;

  @Field(() => Date, { nullable: true, description: 'When it stops working; null: never.' })
  expiresAt?: Date | null;
}

@InputType({ description: 'One API key of the team.' })
export class TeamApiTokenIdInput {
  @Field(() => ID, { description: 'Global ID of the token.' })
  id!: string;
}

@InputType({ description: 'A member of the caller’s team.' })
export class TeamUserInput {
  @Field(() => ID, { description: 'Global ID of the user.' })
  userId!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'A member of a team, as its dashboard shows them.' })
export class TeamUser {
  @Field(() => User, { description: 'The user.' })
  user!: User;

  @Field(() => String, { nullable: true, description: 'Primary email address (visible to the team’s admins: the dashboard is how they find their members).' })
  email!: string | null;

  @Field({ description: 'Disabled from the team (team_user_disable or full_revoke).' })
  teamDisabled!: boolean;

  @Field(() => Date, { nullable: true, description: 'When they were disabled from the team.' })
  disabledAt!: Date | null;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of changing a team member.' })
export class TeamUserPayload {
  @Field(() => TeamUser, { nullable: true, description: 'The member now.' })
  teamUser?: TeamUser | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'A new API key of the team.' })
export class CreateTeamApiTokenPayload {
  @Field(() => String, { nullable: true, description: 'The secret key, shown this once.' })
  token?: string | null;

  @Field(() => PersonalAccessToken, { nullable: true, description: 'The stored key.' })
  personalAccessToken?: PersonalAccessToken | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'A page of the team’s API keys, by page number (offset).' })
export class TeamApiTokenPage {
  @Field(() => Int, { description: 'How many there are in all.' })
  totalCount!: number;

  @Field(() => [PersonalAccessToken], { description: 'This page, newest first.' })
  nodes!: PersonalAccessToken[];
}

@ReadsNoRow()
@ObjectType({ description: 'A page of the team’s members, by page number (offset).' })
export class TeamUserPage {
  @Field(() => Int, { description: 'How many match in all.' })
  totalCount!: number;

  @Field(() => [TeamUser], { description: 'This page, by username.' })
  nodes!: TeamUser[];
}

export enum ConnectorTypeEnum {
  EMAIL = 'email',
  PHONE = 'phone',
  APP = 'app',
  MOBILE = 'mobile',
}
registerEnumType(ConnectorTypeEnum, { name: 'ConnectorType', description: 'Kinds of contacts (Seald connectors: EM, PH, AP, MO).' });

@InputType({ description: 'Which team members to list (the Seald dashboard’s filters); all given must hold.' })
export class TeamUserFilterInput {
  @Field(() => ID, { nullable: true, description: 'Only this user (global ID).' })
  userId?: string | null;

  @Field(() => String, { nullable: true, description: 'The display name (or names, or username) contains this.' })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'An email address of theirs contains this.' })
  email?: string | null;

  @Field({ defaultValue: false, description: 'Also match disabled email addresses.' })
  emailAllStates!: boolean;

  @Field(() => ConnectorTypeEnum, { nullable: true, description: 'With connectorValue: a contact of this kind …' })
  connectorType?: ConnectorTypeEnum | null;

  @Field(() => String, { nullable: true, description: '… with exactly this value (case-insensitive).' })
  connectorValue?: string | null;

  @Field({ defaultValue: false, description: 'Also match disabled contacts.' })
  connectorAllStates!: boolean;

  @Field(() => Boolean, { nullable: true, description: 'true: only members disabled from the team; false: only the others.' })
  teamDisabled?: boolean | null;
}

@ArgsType()
export class TeamPageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  first!: number;

  @Field(() => Int, { defaultValue: 0, description: 'Skip this many (page-number clients).' })
  offset!: number;
}

@ArgsType()
export class TeamUsersArgs extends TeamPageArgs {
  @Field(() => TeamUserFilterInput, { nullable: true, description: 'Filter.' })
  filter?: TeamUserFilterInput | null;
}

@ReadsNoRow()
@ObjectType({ description: 'A team’s JWT shared secret: third parties sign HS256 JWTs with it (iss = its uuid) that act in the team with its permissions.' })
export class JwtSharedSecret {
  @Field(() => ID, { description: 'The secret’s uuid (the `iss` of its JWTs).' })
  uuid!: string;

  @Field({ description: 'The secret (HS256 key).' })
  sharedSecret!: string;

  @Field(() => [Int], { description: 'What its JWTs may do: -1 all, 0 create messages, 1 retrieve keys, 2 retrieve sigchains.' })
  permissions!: number[];

  @Field({ description: 'When it was created.' })
  createdAt!: Date;
}

@ReadsNoRow()
@ObjectType({ description: 'A page of the team’s JWT shared secrets, by page number (offset).' })
export class JwtSharedSecretPage {
  @Field(() => Int, { description: 'How many there are in all.' })
  totalCount!: number;

  @Field(() => [JwtSharedSecret], { description: 'This page, newest first.' })
  nodes!: JwtSharedSecret[];
}

@InputType({ description: 'A new JWT shared secret.' })
export class CreateJwtSharedSecretInput {
  @Field(() => [Int], { description: 'Permissions: -1 all, 0 create messages, 1 retrieve keys, 2 retrieve sigchains.' })
  permissions!: number[];
}

@InputType({ description: 'One JWT shared secret of your team.' })
export class JwtSharedSecretIdInput {
  @Field(() => ID, { description: 'The secret’s uuid.' })
  id!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of creating or deleting a JWT shared secret.' })
export class JwtSharedSecretPayload {
  @Field(() => JwtSharedSecret, { nullable: true, description: 'The secret.' })
  jwtSharedSecret?: JwtSharedSecret | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'One transaction of a user’s signature chain (Seald’s sigchain).' })
export class SigchainTransaction {
  @Field(() => Int, { description: 'Position in the chain, from 0.' })
  position!: number;

  @Field(() => Object, { description: 'The signed transaction as the SDK recorded it.' })
  transaction!: Record<string, unknown>;

  @Field({ description: 'When it was recorded.' })
  createdAt!: Date;
}

@ReadsNoRow()
@ObjectType({ description: 'A team’s licences: each email invitation pending or accepted uses one.' })
export class TeamLicences {
  @Field(() => Int, { description: 'Licences in use.' })
  used!: number;

  @Field(() => Int, { nullable: true, description: 'Licences of the team (its quota limit); null: unlimited.' })
  total!: number | null;

  @Field(() => Int, { nullable: true, description: 'Licences left; null: unlimited.' })
  available!: number | null;
}

@InputType({ description: 'An email to invite to your team.' })
export class InviteTeamEmailInput {
  @Field({ description: 'The email address.' })
  email!: string;
}
