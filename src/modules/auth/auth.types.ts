// GraphQL types of sign-in and personal API tokens.
import { Field, InputType, ObjectType, registerEnumType, ID } from 'type-graphql';
import { Node } from '../../core/graphql/node.js';
import { UserError } from '../../core/graphql/payload.js';
import { User } from '../users/user.type.js';
import type { TokenRow } from './token.repo.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';

export enum TokenScopeEnum {
  API = 'api',
  READ_API = 'read_api',
}
registerEnumType(TokenScopeEnum, {
  name: 'TokenScope',
  description: 'What a personal API token may do.',
  valuesConfig: {
    API: { description: 'Everything its user may do: queries and mutations.' },
    READ_API: { description: 'Queries only; mutations are refused with INSUFFICIENT_SCOPE.' },
  },
});

@InputType({ description: 'Credentials for signing in.' })
export class LoginInput {
  @Field({ description: 'Username or email address.' })
  login!: string;

  @Field({ description: 'Password.' })
  password!: string;

  @Field(() => String, { nullable: true, description: 'The current code of your authenticator app, when your account has two-factor authentication (TOTP).' })
  otp?: string | null;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of a sign-in attempt.' })
export class LoginPayload {
  @Field(() => String, { nullable: true, description: 'A bearer access token (JWT) on success.' })
  accessToken?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the access token expires.' })
  expiresAt?: Date | null;

  @Field(() => User, { nullable: true, description: 'The signed-in user.' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why sign-in failed (INVALID_CREDENTIALS, ACCOUNT_BLOCKED, …).' })
  userErrors!: UserError[];
}

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'A personal API token. The secret itself is shown only once, at creation.' })
export class PersonalAccessToken extends Node {
  static readonly nodeType = 'PersonalAccessToken';
  userUuid!: string;

  @Field({ description: 'What the token is for.' })
  name!: string;

  @Field(() => [TokenScopeEnum], { description: 'What the token may do.' })
  scopes!: TokenScopeEnum[];

  @Field(() => Date, { nullable: true, description: 'When the token stops working; null for never.' })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the token was last used (to the minute).' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the token was revoked, if it was.' })
  revokedAt!: Date | null;

  @Field({ description: 'When the token was created.' })
  createdAt!: Date;

  @Field({ description: 'Whether the token can be used now: neither revoked nor expired.' })
  active!: boolean;

  /** uuid of the organization the token is bound to, if any. */
  organizationUuid!: string | null;

  static from(row: TokenRow): PersonalAccessToken {
    const t = new PersonalAccessToken();
    t.uuid = row.id;
    t.userUuid = row.userId;
    t.name = row.name;
    t.scopes = row.scopes as TokenScopeEnum[];
    t.expiresAt = row.expiresAt;
    t.lastUsedAt = row.lastUsedAt;
    t.revokedAt = row.revokedAt;
    t.createdAt = row.createdAt;
    t.active = !row.revokedAt && (!row.expiresAt || row.expiresAt > new Date());
    t.organizationUuid = row.organizationId;
    return t;
  }
}

@InputType({ description: 'A new personal API token.' })
export class CreatePersonalAccessTokenInput {
  @Field({ description: 'Whose token: yourself, or anyone for instance admins.' })
  username!: string;

  @Field({ description: 'What the token is for (1 to 255 characters).' })
  name!: string;

  @Field(() => [TokenScopeEnum], { description: 'What the token may do; at least one.' })
  scopes!: TokenScopeEnum[];

  @Field(() => Date, { nullable: true, description: 'When the token stops working; omitted or null for never.' })
  expiresAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Bind the token to this organization (global ID): it then acts only inside it and its sub-organizations. You must be a member.' })
  organizationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'The name labels the token: refuse it (CONFLICT) when another active token of the user has it. Default false.' })
  uniqueName?: boolean | null;
}

@InputType({ description: 'An active personal API token by its owner and name (its label).' })
export class PersonalAccessTokenByNameInput {
  @Field({ description: 'Whose token.' })
  username!: string;

  @Field({ description: 'The token’s name.' })
  name!: string;
}

@InputType({ description: 'A new name for an active personal API token.' })
export class RenamePersonalAccessTokenInput extends PersonalAccessTokenByNameInput {
  @Field({ description: 'The new name (1 to 255 characters); unique among the user’s active tokens.' })
  newName!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of creating a personal API token.' })
export class CreatePersonalAccessTokenPayload {
  @Field(() => String, { nullable: true, description: 'The secret token. Shown this once: store it now.' })
  token?: string | null;

  @Field(() => PersonalAccessToken, { nullable: true, description: 'The stored token (without its secret).' })
  personalAccessToken?: PersonalAccessToken | null;

  @Field(() => [UserError], { description: 'Why creation failed.' })
  userErrors!: UserError[];
}

@InputType({ description: 'The token to revoke.' })
export class RevokePersonalAccessTokenInput {
  @Field(() => ID, { description: 'Global ID of the token.' })
  id!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of revoking a personal API token.' })
export class RevokePersonalAccessTokenPayload {
  @Field(() => PersonalAccessToken, { nullable: true, description: 'The revoked token.' })
  personalAccessToken?: PersonalAccessToken | null;

  @Field(() => [UserError], { description: 'Why revocation failed.' })
  userErrors!: UserError[];
}

@InputType({ description: 'How far signing out reaches.' })
export class LogoutInput {
  @Field(() => Boolean, { nullable: true, description: 'true: end every access token of the signed-in user (every device), not only the one in use.' })
  everywhere?: boolean | null;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of signing out.' })
export class LogoutPayload {
  @Field(() => Boolean, { nullable: true, description: 'true once the session is ended: the access token in use is refused from now on.' })
  loggedOut?: boolean | null;

  @Field(() => [UserError], { description: 'Why signing out failed (PRECONDITION_FAILED with a personal API token).' })
  userErrors!: UserError[];
}

@InputType({ description: 'The current password and the new one.' })
export class ChangePasswordInput {
  @Field({ description: 'The current password.' })
  currentPassword!: string;

  @Field({ description: 'The new password; the password policy applies (length, common passwords, not the username or email).' })
  newPassword!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of changing your password: earlier access tokens are void, this one replaces them.' })
export class ChangePasswordPayload {
  @Field(() => String, { nullable: true, description: 'A new bearer access token: every earlier one of the user is refused from now on.' })
  accessToken?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the new access token expires.' })
  expiresAt?: Date | null;

  @Field(() => User, { nullable: true, description: 'The user.' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why the change failed (INVALID_CREDENTIALS for a wrong current password, VALIDATION_FAILED for a refused new one).' })
  userErrors!: UserError[];
}
