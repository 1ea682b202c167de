// GraphQL types of authorizations (what a user lets an organization read) and of the view of a
// user they produce (`User.info`).
import { Field, InputType, ObjectType, Extensions } from 'type-graphql';
import { UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';
import type { AuthorizationRow } from './authorization.repo.js';
import { Address, BankAccount, DigitalAssetAddress } from './profile.type.js';

@ReadsNoRow()
@ObjectType({ description: 'One granted entry: the user’s real label, shown to the organization under the label it asked for.' })
export class AuthorizationMap {
  @Field({ description: 'The label the organization asked for.' })
  requestedLabel!: string;
  @Field({ description: 'The user’s own label of the granted entry.' })
  realLabel!: string;
}

const maps = (m: { requestedlabel: string; reallabel: string }[] | undefined): AuthorizationMap[] =>
  (m ?? []).map((x) => Object.assign(new AuthorizationMap(), { requestedLabel: x.requestedlabel, realLabel: x.reallabel }));

@ReadsWholeRow()
@ObjectType({ description: 'What a user lets one organization read of them. Visible to the user and instance admins.' })
export class Authorization {
  @Field({ description: 'The organization (its slug, Itsyouonline’s global id).' })
  grantedTo!: string;
  @Field({ description: 'Whether it may read the first and last name.' })
  name!: boolean;
  @Extensions({ maxItems: 50 })
  @Field(() => [AuthorizationMap], { description: 'Email addresses it may read.' })
  emailAddresses!: AuthorizationMap[];
  @Extensions({ maxItems: 50 })
  @Field(() => [AuthorizationMap], { description: 'Phone numbers it may read.' })
  phoneNumbers!: AuthorizationMap[];
  @Extensions({ maxItems: 50 })
  @Field(() => [AuthorizationMap], { description: 'Addresses it may read.' })
  addresses!: AuthorizationMap[];
  @Extensions({ maxItems: 50 })
  @Field(() => [AuthorizationMap], { description: 'Bank accounts it may read.' })
  bankAccounts!: AuthorizationMap[];
  @Extensions({ maxItems: 50 })
  @Field(() => [AuthorizationMap], { description: 'Public keys it may read.' })
  publicKeys!: AuthorizationMap[];
  @Extensions({ maxItems: 50 })
  @Field(() => [AuthorizationMap], { description: 'Digital-wallet addresses it may read.' })
  digitalWallet!: AuthorizationMap[];
  @Field({ description: 'Whether it may see the linked Facebook account.' })
  facebook!: boolean;
  @Field({ description: 'Whether it may see the linked GitHub account.' })
  github!: boolean;
  @Extensions({ maxItems: 50 })
  @Field(() => [String], { description: 'Organizations (slugs) whose membership of the user it may see.' })
  organizations!: string[];
  @Field({ description: 'When the user first granted it.' })
  createdAt!: Date;

  static from(row: AuthorizationRow): Authorization {
    const g = row.grants;
    return Object.assign(new Authorization(), {
      grantedTo: row.organizationSlug,
      name: g.name === true,
      emailAddresses: maps(g.emailaddresses),
      phoneNumbers: maps(g.phonenumbers),
      addresses: maps(g.addresses),
      bankAccounts: maps(g.bankaccounts),
      publicKeys: maps(g.publicKeys),
      digitalWallet: maps(g.digitalwallet),
      facebook: g.facebook === true,
      github: g.github === true,
      organizations: g.organizations ?? [],
      createdAt: row.createdAt,
    });
  }
}

@ReadsNoRow()
@ObjectType({ description: 'A labelled value (email address, phone number, public key) as a view shows it.' })
export class LabelledValue {
  @Field(() => String, { nullable: true, description: 'The label (the one the organization asked for, in an organization’s view).' })
  label!: string | null;
  @Field({ description: 'The value.' })
  value!: string;
  @Field({ description: 'Whether it is validated (emails and phones; keys: always false).' })
  validated!: boolean;
}

@ReadsNoRow()
@ObjectType({ description: 'What a caller may see of a user: everything for the user and instance admins; for an organization, what the user authorized it to read.' })
export class UserInfo {
  @Field({ description: 'The username.' })
  username!: string;
  @Field(() => String, { nullable: true, description: 'Given name (null when not granted).' })
  firstName!: string | null;
  @Field(() => String, { nullable: true, description: 'Family name (null when not granted).' })
  lastName!: string | null;
  @Field(() => [LabelledValue], { description: 'Email addresses.' })
  emailAddresses!: LabelledValue[];
  @Field(() => [LabelledValue], { description: 'Phone numbers.' })
  phoneNumbers!: LabelledValue[];
  @Field(() => [LabelledValue], { description: 'Labelled public keys.' })
  publicKeys!: LabelledValue[];
  @Field(() => [Address], { description: 'Postal addresses.' })
  addresses!: Address[];
  @Field(() => [BankAccount], { description: 'Bank accounts.' })
  bankAccounts!: BankAccount[];
  @Field(() => [DigitalAssetAddress], { description: 'Digital-wallet addresses.' })
  digitalWallet!: DigitalAssetAddress[];
  @Field(() => [String], { description: 'Organizations (slugs) the user is a member of that this view may show.' })
  organizations!: string[];
}

@InputType({ description: 'One entry to grant: the user’s real label and the label the organization asked for.' })
export class AuthorizationMapInput {
  @Field({ description: 'The label the organization asked for.' })
  requestedLabel!: string;
  @Field({ description: 'The user’s own label.' })
  realLabel!: string;
}

@InputType({ description: 'What a user lets an organization read (replaces an earlier grant to it).' })
export class SetAuthorizationInput {
  @Field({ description: 'Whose grant (username): yourself, or anyone for instance admins.' })
  username!: string;
  @Field({ description: 'The organization (slug).' })
  organization!: string;
  @Field(() => Boolean, { nullable: true, description: 'First and last name (default false).' })
  name?: boolean | null;
  @Field(() => [AuthorizationMapInput], { nullable: true, description: 'Email addresses.' })
  emailAddresses?: AuthorizationMapInput[] | null;
  @Field(() => [AuthorizationMapInput], { nullable: true, description: 'Phone numbers.' })
  phoneNumbers?: AuthorizationMapInput[] | null;
  @Field(() => [AuthorizationMapInput], { nullable: true, description: 'Addresses.' })
  addresses?: AuthorizationMapInput[] | null;
  @Field(() => [AuthorizationMapInput], { nullable: true, description: 'Bank accounts.' })
  bankAccounts?: AuthorizationMapInput[] | null;
  @Field(() => [AuthorizationMapInput], { nullable: true, description: 'Public keys.' })
  publicKeys?: AuthorizationMapInput[] | null;
  @Field(() => [AuthorizationMapInput], { nullable: true, description: 'Digital-wallet addresses.' })
  digitalWallet?: AuthorizationMapInput[] | null;
  @Field(() => Boolean, { nullable: true, description: 'The linked Facebook account.' })
  facebook?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'The linked GitHub account.' })
  github?: boolean | null;
  @Field(() => [String], { nullable: true, description: 'Organizations (slugs) whose membership of the user it may see.' })
  organizations?: string[] | null;
}

@InputType({ description: 'A user’s grant to an organization.' })
export class AuthorizationRefInput {
  @Field({ description: 'Whose grant (username).' })
  username!: string;
  @Field({ description: 'The organization (slug).' })
  organization!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of changing an authorization.' })
export class AuthorizationPayload {
  @Field(() => Authorization, { nullable: true, description: 'The grant as it is now (null after a removal).' })
  authorization?: Authorization | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}
