// GraphQL types of what Itsyouonline adds to organizations: required scopes, the tree, the
// scopes a member still has to grant, and the inputs of their changes (organizations and
// users named by slug and username, as the REST dialect names them).
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { ReadsNoRow } from '../../core/read/reads.js';
import { MembershipRole, OrganizationMemberRole } from './organization.type.js';

@ReadsNoRow()
@ObjectType({ description: 'A scope an organization requires its members to grant it, and who may see what is shared.' })
export class OrganizationRequiredScope {
  @Field({ description: 'The scope, e.g. `user:name` or `user:email:work` (user:<kind>[:<label>]).' })
  scope!: string;

  @Field(() => [String], { description: 'Who may see the shared information: `organization:owner`, `organization:member`.' })
  accessScopes!: string[];
}

@ReadsNoRow()
@ObjectType({ description: 'One organization of a tree: the root (depth 0) or a descendant.' })
export class OrganizationTreeEntry {
  @Field({ description: 'The organization’s slug.' })
  slug!: string;

  @Field(() => String, { nullable: true, description: 'The parent’s slug; null for the tree’s root.' })
  parentSlug!: string | null;

  @Field(() => Int, { description: 'How far below the root (0 for the root).' })
  depth!: number;
}

@ReadsNoRow()
@ObjectType({ description: 'The required scopes a user has not granted one organization they belong to.' })
export class OrganizationMissingScopes {
  @Field({ description: 'The organization’s slug.' })
  organizationSlug!: string;

  @Field(() => [String], { description: 'The scopes not granted yet.' })
  scopes!: string[];
}

@InputType({ description: 'A required scope.' })
export class OrganizationRequiredScopeInput {
  @Field({ description: 'user:<name|email|phone|address|bankaccount|publickey|digitalwalletaddress|github|facebook|memberof>[:<label>] (at most 1,024 characters).' })
  scope!: string;

  @Field(() => [String], { description: '`organization:owner` and/or `organization:member`.' })
  accessScopes!: string[];
}

@InputType({ description: 'An organization as Itsyouonline creates it, whole.' })
export class OrganizationCreateFullInput {
  @Field({ description: 'The globalid: 3 to 150 of a-z, 0-9, "-", "_"; under a parent, the local part (with or without the `<parent>.` prefix).' })
  globalid!: string;

  @Field(() => String, { nullable: true, description: 'The parent’s slug, for a sub-organization (its owners create it).' })
  parent?: string | null;

  @Field(() => [String], { nullable: true, description: 'Usernames invited as owners (you own it already).' })
  owners?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Usernames invited as members.' })
  members?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Organizations made org-owners (invited when you do not own them).' })
  orgowners?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Organizations made org-members (invited when you do not own them).' })
  orgmembers?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'DNS names.' })
  dns?: string[] | null;

  @Field(() => [OrganizationRequiredScopeInput], { nullable: true, description: 'Required scopes.' })
  requiredScopes?: OrganizationRequiredScopeInput[] | null;

  @Field(() => [String], { nullable: true, description: 'Org-owners / org-members whose sub-organizations’ members count too.' })
  includeSubOrgsOf?: string[] | null;
}

@InputType({ description: 'An organization by slug.' })
export class OrganizationSlugInput {
  @Field({ description: 'The organization’s slug.' })
  organization!: string;
}

@InputType({ description: 'A DNS name of an organization, and (to rename it) its new name.' })
export class OrganizationDnsNameInput {
  @Field({ description: 'The organization’s slug.' })
  organization!: string;

  @Field({ description: 'The DNS name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The new name (renaming only).' })
  newName?: string | null;
}

@InputType({ description: 'A required scope of an organization: to add (scope only), change (scope and newScope) or remove.' })
export class OrganizationRequiredScopeChangeInput {
  @Field({ description: 'The organization’s slug.' })
  organization!: string;

  @Field(() => OrganizationRequiredScopeInput, { nullable: true, description: 'The scope to add, or the scope it becomes (changing).' })
  requiredScope?: OrganizationRequiredScopeInput | null;

  @Field(() => String, { nullable: true, description: 'The existing scope (changing and removing).' })
  scope?: string | null;
}

@InputType({ description: 'An organization linked to another as org-owner or org-member.' })
export class OrganizationLinkInput {
  @Field({ description: 'The organization’s slug.' })
  organization!: string;

  @Field({ description: 'The org-owner or org-member organization’s slug.' })
  other!: string;

  @Field(() => OrganizationMemberRole, { description: 'Org-owner or org-member.' })
  role!: OrganizationMemberRole;
}

@InputType({ description: 'Whether roles granted to a linked organization reach its sub-organizations’ members too.' })
export class OrganizationIncludeSubOrgsInput {
  @Field({ description: 'The organization’s slug.' })
  organization!: string;

  @Field({ description: 'The linked organization’s slug.' })
  other!: string;

  @Field({ description: 'true includes the sub-organizations, false stops including them.' })
  include!: boolean;
}

@InputType({ description: 'A user’s role in an organization, by slug and username.' })
export class OrganizationUserRoleInput {
  @Field({ description: 'The organization’s slug.' })
  organization!: string;

  @Field({ description: 'The member’s username.' })
  username!: string;

  @Field(() => MembershipRole, { nullable: true, description: 'The new role (changing); removing: only a member with this role.' })
  role?: MembershipRole | null;
}
