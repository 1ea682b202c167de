// Inputs and payloads of the users module's mutations: one `input` each, a payload with the
// changed object and userErrors.
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../core/graphql/payload.js';
import { Contact, Device, PublicKey, PublicKeyKind, User } from './user.type.js';
import { ReadsNoRow } from '../../core/read/reads.js';

@InputType({ description: 'An account at an external identity provider (LDAP, SAML, OAuth), linked to a user.' })
export class IdentityInput {
  @Field({ description: 'The provider’s name, e.g. "ldapmain" (1 to 255 characters).' })
  provider!: string;

  @Field({ description: 'The user’s id at that provider (1 to 255 characters); unique per provider.' })
  externalUid!: string;
}

@InputType({ description: 'A new account (instance admins only).' })
export class CreateUserInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Unique username (case-insensitive): letters, digits, `_`, `.`, `-`, not starting with `.` or `-`; at most 255 characters. Default: the email’s local part, with `-2`, `-3`, … when taken.',
  })
  username?: string | null;

  @Field(() => String, { nullable: true, description: 'Email address; becomes the primary email. Unique among active emails.' })
  email?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Treat the email as validated and the account as confirmed (no validation message is sent). Default false: a validation code is sent.',
  })
  skipConfirmation?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Password under the password policy (PASSWORD_MIN_LENGTH to 1024 characters, not a common password, not the username or email); without one the user cannot sign in with a password.' })
  password?: string | null;

  @Field(() => String, { nullable: true, description: 'Given name.' })
  firstName?: string | null;

  @Field(() => String, { nullable: true, description: 'Family name.' })
  lastName?: string | null;

  @Field(() => String, { nullable: true, description: 'Name to show.' })
  displayName?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Make the user an instance admin (default false).' })
  isAdmin?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Short self-description (at most 2000 characters).' })
  bio?: string | null;

  @Field(() => String, { nullable: true, description: 'Location (at most 255 characters).' })
  location?: string | null;

  @Field(() => String, { nullable: true, description: 'Website: an http or https URL.' })
  website?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Social handles by network; string values only.' })
  social?: Record<string, unknown> | null;

  @Field(() => Int, { nullable: true, description: 'Projects limit (default 10).' })
  projectsLimit?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'May create root organizations (default true).' })
  canCreateGroup?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'External user (default false).' })
  external?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'false: the account starts disabled (cannot sign in until activated). Default true.' })
  isActive?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Also make the user a member of this organization (global ID); groups must belong to it.' })
  organizationId?: string | null;

  @Field(() => IdentityInput, { nullable: true, description: 'Link the user to an external account (instance admins only); replaces the link to that provider.' })
  identity?: IdentityInput | null;

  @Field(() => [ID], { nullable: true, description: 'The groups the user is in (global IDs); replaces the memberships among the groups you manage.' })
  groupIds?: string[] | null;

  @Field(() => [Int], { nullable: true, description: 'Like groupIds, by integer id (the accounts dialect’s `groups`); give at most one of the two.' })
  groupDatabaseIds?: number[] | null;
}

@InputType({ description: 'Changes to a user; omitted fields stay as they are, null clears a text field.' })
export class UpdateUserInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the user (yourself, or anyone for instance admins). Give this, databaseId or byUsername.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'The user by their current username instead of `id` (give exactly one of id, databaseId and byUsername).' })
  byUsername?: string | null;

  @Field(() => String, { nullable: true, description: 'Given name.' })
  firstName?: string | null;

  @Field(() => String, { nullable: true, description: 'Family name.' })
  lastName?: string | null;

  @Field(() => String, { nullable: true, description: 'Name to show.' })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'Short self-description (at most 2000 characters).' })
  bio?: string | null;

  @Field(() => String, { nullable: true, description: 'Location (at most 255 characters).' })
  location?: string | null;

  @Field(() => String, { nullable: true, description: 'Website: an http or https URL.' })
  website?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Social handles by network (replaces the whole map); string values only.' })
  social?: Record<string, unknown> | null;

  @Field(() => Boolean, { nullable: true, description: 'Instance admin flag (instance admins only; you cannot drop your own).' })
  isAdmin?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Projects limit (instance admins only).' })
  projectsLimit?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'May create root organizations (instance admins only).' })
  canCreateGroup?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'External user (instance admins only).' })
  external?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Integer id of the user instead of `id`, for the REST dialects (give exactly one).' })
  databaseId?: number | null;

  @Field(() => String, { nullable: true, description: 'New username (instance admins only).' })
  username?: string | null;

  @Field(() => String, { nullable: true, description: 'New primary email, taken as validated (instance admins only). Unique among active emails.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'New password under the password policy (instance admins only); ends the user\'s sessions (earlier access tokens).' })
  password?: string | null;

  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'Sets the social handles given and keeps the others (an empty string removes one); `social` replaces the whole map instead.',
  })
  socialChanges?: Record<string, unknown> | null;

  @Field(() => IdentityInput, { nullable: true, description: 'Link the user to an external account (instance admins only); replaces the link to that provider.' })
  identity?: IdentityInput | null;

  @Field(() => Boolean, { nullable: true, description: 'false disables the account (it cannot sign in, its tokens stop working); true re-enables a disabled one (instance admins only; a blocked account is unblocked with unblockUser).' })
  isActive?: boolean | null;

  @Field(() => [ID], { nullable: true, description: 'The groups the user is in (global IDs); replaces the memberships among the groups you manage.' })
  groupIds?: string[] | null;

  @Field(() => [Int], { nullable: true, description: 'Like groupIds, by integer id (the accounts dialect’s `groups`); give at most one of the two.' })
  groupDatabaseIds?: number[] | null;
}

@InputType({ description: 'Consent to act as an analyst.' })
export class SetAnalystConsentInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the user; default yourself (others: instance admins only).' })
  userId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether consent is given (true) or withdrawn (false); omitted: no change.' })
  consentGiven?: boolean | null;
}

@InputType({ description: 'A user’s link to an external provider.' })
export class UnlinkIdentityInput {
  @Field({ description: 'The user’s username (yourself, or anyone for instance admins).' })
  username!: string;

  @Field({ description: 'The provider, e.g. "github".' })
  provider!: string;
}

@InputType({ description: 'A user to act on.' })
export class UserIdInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the user. Give this or databaseId.' })
  id?: string | null;

  @Field(() => Int, { nullable: true, description: 'Integer id of the user instead of `id`, for the REST dialects (give exactly one).' })
  databaseId?: number | null;
}

@InputType({ description: 'A new email address for a user. A 6-digit validation code is sent to it.' })
export class AddEmailInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the user; default yourself.' })
  userId?: string | null;

  @Field({ description: 'The email address (at most 254 characters).' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'A label such as "work".' })
  label?: string | null;

  @Field(() => Int, { nullable: true, description: 'Integer id of the user instead of `userId`, for the REST dialects.' })
  userDatabaseId?: number | null;
}

@InputType({ description: 'A new phone number for a user (E.164, e.g. +32475123456). A 6-digit validation code is sent to it by SMS.' })
export class AddPhoneInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the user; default yourself.' })
  userId?: string | null;

  @Field({ description: 'The phone number; spaces, dots, dashes and parentheses are ignored.' })
  phone!: string;

  @Field(() => String, { nullable: true, description: 'A label such as "mobile".' })
  label?: string | null;
}

@InputType({ description: 'A contact (email or phone) to act on.' })
export class ContactIdInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the contact. Give this or databaseId.' })
  id?: string | null;

  @Field(() => Int, { nullable: true, description: 'Integer id of the contact instead of `id`, for the REST dialects (give exactly one).' })
  databaseId?: number | null;

  @Field(() => ID, { nullable: true, description: 'Only when it belongs to this user (global ID); otherwise NOT_FOUND.' })
  userId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only when it belongs to this user (integer id); otherwise NOT_FOUND.' })
  userDatabaseId?: number | null;
}

@InputType({ description: 'Proof of ownership of an email address or phone number.' })
export class ValidateContactInput {
  @Field(() => ID, { description: 'Global ID of the contact.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The 6-digit code that was sent. Instance admins may validate without one.' })
  code?: string | null;
}

@InputType({ description: 'A new public key for a user.' })
export class AddPublicKeyInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the user; default yourself.' })
  userId?: string | null;

  @Field(() => PublicKeyKind, { description: 'SSH (parsed and fingerprinted) or LABELLED (any key text).' })
  kind!: PublicKeyKind;

  @Field(() => String, { nullable: true, description: 'Title or label (at most 255 characters); for SSH keys defaults to the key’s comment.' })
  label?: string | null;

  @Field({ description: 'The key. SSH: `ssh-ed25519|ssh-rsa|ecdsa-sha2-… <base64> [comment]`.' })
  key!: string;

  @Field(() => Int, { nullable: true, description: 'Integer id of the user instead of `userId`, for the REST dialects.' })
  userDatabaseId?: number | null;
}

@InputType({ description: 'A public key to remove.' })
export class PublicKeyIdInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the public key. Give this or databaseId.' })
  id?: string | null;

  @Field(() => Int, { nullable: true, description: 'Integer id of the key instead of `id`, for the REST dialects (give exactly one).' })
  databaseId?: number | null;

  @Field(() => ID, { nullable: true, description: 'Only when it belongs to this user (global ID); otherwise NOT_FOUND.' })
  userId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only when it belongs to this user (integer id); otherwise NOT_FOUND.' })
  userDatabaseId?: number | null;
}

@InputType({ description: 'A device to revoke.' })
export class DeviceIdInput {
  @Field(() => ID, { description: 'Global ID of the device.' })
  id!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of creating or changing a user.' })
export class UserPayload {
  @Field(() => User, { nullable: true, description: 'The user.' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of deleting a user.' })
export class DeleteUserPayload {
  @Field(() => ID, { nullable: true, description: 'Global ID of the deleted user.' })
  deletedId?: string | null;

  @Field(() => User, { nullable: true, description: 'The user as it was before the deletion (private fields that load from the database, such as email, are null).' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why the deletion failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of adding, validating or changing a contact.' })
export class ContactPayload {
  @Field(() => Contact, { nullable: true, description: 'The contact.' })
  contact?: Contact | null;

  @Field(() => User, { nullable: true, description: 'Its user.' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of removing a contact.' })
export class RemoveContactPayload {
  @Field(() => ID, { nullable: true, description: 'Global ID of the removed contact.' })
  deletedId?: string | null;

  @Field(() => User, { nullable: true, description: 'Its user.' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why the removal failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of adding a public key.' })
export class PublicKeyPayload {
  @Field(() => PublicKey, { nullable: true, description: 'The key.' })
  publicKey?: PublicKey | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of removing a public key.' })
export class RemovePublicKeyPayload {
  @Field(() => ID, { nullable: true, description: 'Global ID of the removed key.' })
  deletedId?: string | null;

  @Field(() => [UserError], { description: 'Why the removal failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of revoking a device.' })
export class DevicePayload {
  @Field(() => Device, { nullable: true, description: 'The device.' })
  device?: Device | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}
