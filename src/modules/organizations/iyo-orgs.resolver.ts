// Thin resolvers for what Itsyouonline adds to organizations (iyo-orgs.service.ts): the whole
// create and the subtree delete, DNS names, required scopes, the tree, org-owner / org-member
// links, and people by username. Lists are bounded (maxItems = what the service allows).
import { Arg, Ctx, Extensions, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { Role } from '../../core/auth/policy.js';
import { DomainError } from '../../core/errors.js';
import { toGlobalId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { Reads } from '../../core/read/reads.js';
import { User, UserReads } from '../users/user.type.js';
import { MAX_DNS_NAMES, MAX_REQUIRED_SCOPES, MAX_TREE } from './iyo-orgs.limits.js';
import {
  addDnsName,
  addRequiredScope,
  changeOrganizationLinkRole,
  createOrganizationFull,
  deleteOrganizationTree,
  hasMember,
  missingScopesOf,
  missingScopesOfUser,
  removeDns,
  removeRequiredScope,
  renameDns,
  setIncludeSubOrganizations,
  subtreeOf,
  unlinkOrganization,
  updateRequiredScopeOf,
} from './iyo-orgs.service.js';
import { changeRoleByName, removeByName } from './iyo-org-people.service.js';
import {
  OrganizationCreateFullInput,
  OrganizationDnsNameInput,
  OrganizationIncludeSubOrgsInput,
  OrganizationLinkInput,
  OrganizationMissingScopes,
  OrganizationRequiredScope,
  OrganizationRequiredScopeChangeInput,
  OrganizationSlugInput,
  OrganizationTreeEntry,
  OrganizationUserRoleInput,
} from './iyo-orgs.type.js';
import { DeleteOrganizationPayload, Membership, Organization, OrganizationMembership, OrganizationPayload } from './organization.type.js';

const orgPayload = (run: () => Promise<{ id: string } & Parameters<typeof Organization.from>[0]>) => payload(async () => ({ organization: Organization.from(await run()) }));

function required<T>(value: T | null | undefined, field: string): T {
  if (value == null) throw new DomainError('VALIDATION_FAILED', `${field} is required`, field);
  return value;
}

@Resolver(() => Organization)
export class OrganizationIyoResolver {
  @Extensions({ maxItems: MAX_DNS_NAMES })
  @FieldResolver(() => [String], { description: 'DNS names the organization claims.' })
  async dnsNames(@Root() org: Organization, @Ctx() ctx: Context): Promise<string[]> {
    return (await ctx.loaders.dnsNamesByOrganizationId.load(org.uuid)).map((r) => r.name);
  }

  @Extensions({ maxItems: MAX_REQUIRED_SCOPES })
  @FieldResolver(() => [OrganizationRequiredScope], { description: 'Scopes the organization requires its members to grant it.' })
  async requiredScopes(@Root() org: Organization, @Ctx() ctx: Context): Promise<OrganizationRequiredScope[]> {
    return (await ctx.loaders.requiredScopesByOrganizationId.load(org.uuid)).map((r) => ({ scope: r.scope, accessScopes: r.accessScopes }));
  }

  @Extensions({ maxItems: MAX_TREE })
  @FieldResolver(() => [OrganizationTreeEntry], { description: `The organization and all its sub-organizations, shallowest first, then by slug (at most ${MAX_TREE}; one statement).` })
  subtree(@Root() org: Organization, @Ctx() ctx: Context): Promise<OrganizationTreeEntry[]> {
    return subtreeOf(ctx, org.row);
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Whether the user is a member in any way roles count (own, inherited from a parent, through an org-owner / org-member); null unless you own the organization.',
  })
  hasMember(@Root() org: Organization, @Arg('username', () => String, { description: 'The username.' }) username: string, @Ctx() ctx: Context): Promise<boolean | null> {
    return hasMember(ctx, org.row, username);
  }

  @Mutation(() => OrganizationPayload, { description: 'Creates an organization (or, with parent, a sub-organization `<parent>.<local>`) from Itsyouonline’s whole body, in one transaction.' })
  organizationCreateFull(@Arg('input', () => OrganizationCreateFullInput, { description: 'The organization.' }) input: OrganizationCreateFullInput, @Ctx() ctx: Context) {
    return orgPayload(() => createOrganizationFull(ctx, { ...input, requiredscopes: input.requiredScopes, includesuborgsof: input.includeSubOrgsOf }));
  }

  @Mutation(() => DeleteOrganizationPayload, { description: 'Deletes an organization and all its sub-organizations, with everything attached (owners).' })
  organizationDeleteTree(@Arg('input', () => OrganizationSlugInput, { description: 'The organization.' }) input: OrganizationSlugInput, @Ctx() ctx: Context) {
    return payload(async () => ({ deletedId: toGlobalId('Organization', (await deleteOrganizationTree(ctx, input.organization)).id) }));
  }

  @Mutation(() => OrganizationPayload, { description: 'Adds a DNS name (owners); a name used by any organization is CONFLICT.' })
  organizationAddDnsName(@Arg('input', () => OrganizationDnsNameInput, { description: 'Organization and name.' }) input: OrganizationDnsNameInput, @Ctx() ctx: Context) {
    return orgPayload(() => addDnsName(ctx, input.organization, input.name));
  }

  @Mutation(() => OrganizationPayload, { description: 'Renames a DNS name (owners).' })
  organizationRenameDnsName(@Arg('input', () => OrganizationDnsNameInput, { description: 'Organization, name and new name.' }) input: OrganizationDnsNameInput, @Ctx() ctx: Context) {
    return orgPayload(() => renameDns(ctx, input.organization, input.name, required(input.newName, 'newName')));
  }

  @Mutation(() => OrganizationPayload, { description: 'Removes a DNS name (owners).' })
  organizationRemoveDnsName(@Arg('input', () => OrganizationDnsNameInput, { description: 'Organization and name.' }) input: OrganizationDnsNameInput, @Ctx() ctx: Context) {
    return orgPayload(() => removeDns(ctx, input.organization, input.name));
  }

  @Mutation(() => OrganizationPayload, { description: 'Adds a required scope (owners).' })
  organizationAddRequiredScope(@Arg('input', () => OrganizationRequiredScopeChangeInput, { description: 'Organization and scope.' }) input: OrganizationRequiredScopeChangeInput, @Ctx() ctx: Context) {
    return orgPayload(() => addRequiredScope(ctx, input.organization, required(input.requiredScope, 'requiredScope')));
  }

  @Mutation(() => OrganizationPayload, { description: 'Changes a required scope (owners).' })
  organizationUpdateRequiredScope(@Arg('input', () => OrganizationRequiredScopeChangeInput, { description: 'Organization, existing scope and what it becomes.' }) input: OrganizationRequiredScopeChangeInput, @Ctx() ctx: Context) {
    return orgPayload(() => updateRequiredScopeOf(ctx, input.organization, required(input.scope, 'scope'), required(input.requiredScope, 'requiredScope')));
  }

  @Mutation(() => OrganizationPayload, { description: 'Removes a required scope (owners).' })
  organizationRemoveRequiredScope(@Arg('input', () => OrganizationRequiredScopeChangeInput, { description: 'Organization and scope.' }) input: OrganizationRequiredScopeChangeInput, @Ctx() ctx: Context) {
    return orgPayload(() => removeRequiredScope(ctx, input.organization, required(input.scope, 'scope')));
  }

  @Mutation(() => OrganizationPayload, { description: 'Makes a linked organization org-owner or org-member (owners).' })
  organizationChangeLinkRole(@Arg('input', () => OrganizationLinkInput, { description: 'The two organizations and the role.' }) input: OrganizationLinkInput, @Ctx() ctx: Context) {
    return orgPayload(() => changeOrganizationLinkRole(ctx, input.organization, input.other, input.role as 'owner' | 'member'));
  }

  @Mutation(() => OrganizationPayload, { description: 'Removes an org-owner (role OWNER) or org-member (role MEMBER) (owners).' })
  organizationRemoveLink(@Arg('input', () => OrganizationLinkInput, { description: 'The two organizations and the role.' }) input: OrganizationLinkInput, @Ctx() ctx: Context) {
    return orgPayload(() => unlinkOrganization(ctx, input.organization, input.other, input.role as 'owner' | 'member'));
  }

  @Mutation(() => OrganizationPayload, { description: 'Whether roles granted to a linked organization reach its sub-organizations’ members too (owners).' })
  organizationSetIncludeSubOrgs(@Arg('input', () => OrganizationIncludeSubOrgsInput, { description: 'The two organizations and the flag.' }) input: OrganizationIncludeSubOrgsInput, @Ctx() ctx: Context) {
    return orgPayload(() => setIncludeSubOrganizations(ctx, input.organization, input.other, input.include));
  }

  @Mutation(() => OrganizationPayload, { description: 'Changes a member’s role, by username (owners).' })
  organizationChangeUserRole(@Arg('input', () => OrganizationUserRoleInput, { description: 'Organization, username and role.' }) input: OrganizationUserRoleInput, @Ctx() ctx: Context) {
    return orgPayload(() => changeRoleByName(ctx, input.organization, input.username, required(input.role, 'role') as Role));
  }

  @Mutation(() => OrganizationPayload, { description: 'Removes a member by username, or only one with the given role (owners). The last owner stays.' })
  organizationRemoveUser(@Arg('input', () => OrganizationUserRoleInput, { description: 'Organization, username and (optionally) role.' }) input: OrganizationUserRoleInput, @Ctx() ctx: Context) {
    return orgPayload(() => removeByName(ctx, input.organization, input.username, (input.role as Role | null | undefined) ?? null));
  }
}

@Resolver(() => OrganizationMembership)
export class OrganizationMembershipSlugResolver {
  @FieldResolver(() => String, { description: 'The member organization’s slug (shown to whoever sees the link, even when the organization itself is not visible to them).' })
  async memberOrganizationSlug(@Root() m: OrganizationMembership, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.organizationById.load(m.memberOrganizationUuid))?.slug ?? '';
  }
}

@Resolver(() => Membership)
export class MembershipScopesResolver {
  @Reads('userId')
  @Extensions({ maxItems: MAX_REQUIRED_SCOPES })
  @FieldResolver(() => [String], { description: 'The organization’s required scopes this member has not granted it (batched per organization).' })
  missingRequiredScopes(@Root() m: Membership, @Ctx() ctx: Context): Promise<string[]> {
    return missingScopesOf(ctx, m.organizationUuid, m.row.userId!);
  }
}

/** Organizations one user's missing scopes list at most (one entry per organization). */
const MAX_MISSING = 100;

@Resolver(() => User)
export class UserMissingScopesResolver {
  @UserReads('id')
  @Extensions({ maxItems: MAX_MISSING })
  @FieldResolver(() => [OrganizationMissingScopes], { description: `Per organization the user belongs to, the required scopes not granted yet (at most ${MAX_MISSING}); empty unless you are the user or an instance admin.` })
  async organizationMissingScopes(@Root() user: User, @Ctx() ctx: Context): Promise<OrganizationMissingScopes[]> {
    return (await missingScopesOfUser(ctx, user.uuid)).slice(0, MAX_MISSING);
  }
}
