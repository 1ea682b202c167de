// Thin resolvers for organizations and memberships: arguments in, service call, object out.
// Relations load through the per-request loaders.
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { Role } from '../../core/auth/policy.js';
import { DomainError } from '../../core/errors.js';
import { ConnectionArgs, mapConnection } from '../../core/graphql/connection.js';
import { selectedFieldsAt } from '../../core/graphql/selection.js';
import { idOfType, optionalId, requireId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { memberPagePlan, membershipsOfPage, membershipWithUser } from './organization.read.js';
import { Reads } from '../../core/read/reads.js';
import { userByUsername } from '../users/user.service.js';
import { User, UserReads } from '../users/user.type.js';
import {
  changeMemberRole,
  childrenOf,
  createOrganization,
  deleteOrganizationService,
  listVisibleOrganizations,
  membershipsOf,
  organizationBySlug,
  readableOrganization,
  removeMember,
  removeOrganizationMember,
  updateOrganizationService,
  incrementOrganizationUsageService,
  leaveOrganization,
} from './organization.service.js';
import {
  ChangeMemberRoleInput,
  CreateOrganizationInput,
  UpdateOrganizationInput,
  DeleteOrganizationInput,
  DeleteOrganizationPayload,
  MemberInput,
  Membership,
  MembershipConnection,
  MembershipPayload,
  MembershipRole,
  MembershipsArgs,
  Organization,
  OrganizationConnection,
  OrganizationMemberRole,
  OrganizationMembership,
  OrganizationPayload,
  RemoveOrganizationMemberInput,
  OrganizationsArgs,
  IncrementOrganizationUsageInput,
  UserInOrganizationInput,
} from './organization.type.js';




// The connection's own fields (totalCount, pageInfo, …).
const CONNECTION_PATH = [[]];

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { nullable: true, description: 'An organization by global ID or slug; null when missing or not visible to you.' })
  async organization(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true, description: 'Global ID.' }) id?: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'Slug (case-insensitive).' }) slug?: string | null,
  ): Promise<Organization | null> {
    if ((id == null) === (slug == null)) throw new DomainError('BAD_USER_INPUT', 'Give exactly one of id and slug');
    const uuid = id != null ? idOfType(id, 'Organization') : null;
    const row = id != null ? (uuid ? await readableOrganization(ctx, uuid) : null) : await organizationBySlug(ctx, slug!);
    return row ? Organization.from(row) : null;
  }

  @Query(() => OrganizationConnection, { description: 'Organizations visible to you (instance admins: all), keyset-paginated.' })
  async organizations(@Args(() => OrganizationsArgs) args: OrganizationsArgs, @Ctx() ctx: Context) {
    const parentId = args.filter?.parent != null ? requireId(args.filter.parent, 'Organization', 'Parent organization') : args.filter?.rootsOnly ? null : undefined;
    const c = await listVisibleOrganizations(
      ctx,
      args,
      {
        slugContains: args.filter?.slugContains ?? null,
        search: args.filter?.search ?? null,
        parentId,
        id: optionalId(args.filter?.id, 'Organization'),
        slug: args.filter?.slug ?? null,
        name: args.filter?.name ?? null,
      },
      { field: args.orderBy?.field ?? 'slug', direction: args.orderBy?.direction ?? 'asc' },
      args.offset,
    );
    return mapConnection(c, Organization.from);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The parent organization; null for a root (or a parent you cannot see).' })
  async parent(@Root() org: Organization, @Ctx() ctx: Context): Promise<Organization | null> {
    if (!org.row.parentId) return null;
    const row = await readableOrganization(ctx, org.row.parentId);
    return row ? Organization.from(row) : null;
  }

  @FieldResolver(() => OrganizationConnection, { description: 'Direct sub-organizations, by slug.' })
  async children(@Root() org: Organization, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    // The count comes with the page when the query reads it: one statement for both.
    return mapConnection(await childrenOf(ctx, org.row, args, selectedFieldsAt(info, CONNECTION_PATH).has('totalCount')), Organization.from);
  }

  @FieldResolver(() => [Organization], { description: 'Every ancestor, nearest first (only those you can see).' })
  async ancestors(@Root() org: Organization, @Ctx() ctx: Context): Promise<Organization[]> {
    const rows = await ctx.loaders.ancestorsById.load(org.uuid);
    const visible = await Promise.all(rows.map(async (r) => ((await ctx.authz.can('organization:read', { organizationId: r.id })) ? r : null)));
    return visible.filter((r) => r !== null).map((r) => Organization.from(r!));
  }

  @FieldResolver(() => MembershipConnection, { description: 'Members, in the order they joined.' })
  async memberships(@Root() org: Organization, @Args(() => MembershipsArgs) args: MembershipsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    // The read layer reads what the selection's fields declare, users included.
    const plan = memberPagePlan(info, ctx.principal);
    const c = await membershipsOf(ctx, org.row, { ...args, role: (args.role as Role | null) ?? null, plan });
    return mapConnection(c, membershipsOfPage(ctx, plan));
  }

  @FieldResolver(() => [User], { description: 'Owners of this organization itself (at most 100).' })
  async owners(@Root() org: Organization, @Ctx() ctx: Context): Promise<User[]> {
    const c = await membershipsOf(ctx, org.row, { first: 100, role: 'owner' });
    // No plan: the page read whole rows, user ids included.
    const users = await Promise.all(c.nodes.map((m) => ctx.loaders.userById.load(m.membership.userId!)));
    return users.filter((u) => u !== null).map((u) => User.from(u!, ctx.principal));
  }

  @FieldResolver(() => [OrganizationMembership], { description: 'Organizations that are org-owners or org-members of this one (visible to its members).' })
  async orgMembers(
    @Root() org: Organization,
    @Ctx() ctx: Context,
    @Arg('role', () => OrganizationMemberRole, { nullable: true, description: 'Only this kind.' }) role?: OrganizationMemberRole | null,
  ): Promise<OrganizationMembership[]> {
    if (!(await ctx.authz.can('membership:read', { organizationId: org.uuid }))) return [];
    const rows = await ctx.loaders.organizationMembershipsByOrganizationId.load(org.uuid);
    return rows.filter((r) => !role || r.role === role).map(OrganizationMembership.from);
  }

  @Mutation(() => OrganizationPayload, { description: 'Removes an org-owner or org-member organization (admins; owners for org-owners).' })
  removeOrganizationMember(@Arg('input', () => RemoveOrganizationMemberInput, { description: 'The two organizations.' }) input: RemoveOrganizationMemberInput, @Ctx() ctx: Context) {
    return payload(async () => ({
      organization: Organization.from(await removeOrganizationMember(ctx, requireId(input.organizationId, 'Organization'), requireId(input.memberOrganizationId, 'Organization', 'Member organization'))),
    }));
  }

  @FieldResolver(() => MembershipRole, { nullable: true, description: 'Your role here, inherited from ancestors; null when you are not a member.' })
  viewerRole(@Root() org: Organization, @Ctx() ctx: Context): Promise<Role | null> {
    return ctx.authz.roleIn(org.uuid);
  }

  @FieldResolver(() => Boolean, { description: 'Whether you may change this organization.' })
  viewerCanUpdate(@Root() org: Organization, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.authz.can('organization:update', { organizationId: org.uuid });
  }

  @FieldResolver(() => Boolean, { description: 'Whether you may manage members and invitations here.' })
  viewerCanManageMembers(@Root() org: Organization, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.authz.can('membership:manage', { organizationId: org.uuid });
  }

  @Mutation(() => OrganizationPayload, { description: 'Creates an organization (you become its owner) or, with parentId, a sub-organization (owners of the parent).' })
  createOrganization(@Arg('input', () => CreateOrganizationInput, { description: 'Slug, name, optional parent.' }) input: CreateOrganizationInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const parentId = optionalId(input.parentId, 'Organization');
      return { organization: Organization.from(await createOrganization(ctx, { ...input, parentId })) };
    });
  }

  @Mutation(() => OrganizationPayload, { description: 'Changes an organization’s slug, name or parent (owners), or its quota (instance admins).' })
  updateOrganization(@Arg('input', () => UpdateOrganizationInput, { description: 'What to change.' }) input: UpdateOrganizationInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const id = requireId(input.id, 'Organization');
      const parentId = optionalId(input.parentId, 'Organization');
      return { organization: Organization.from(await updateOrganizationService(ctx, { ...input, id, parentId })) };
    });
  }

  @Mutation(() => DeleteOrganizationPayload, { description: 'Deletes an organization without sub-organizations (owners).' })
  deleteOrganization(@Arg('input', () => DeleteOrganizationInput, { description: 'The organization.' }) input: DeleteOrganizationInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await deleteOrganizationService(ctx, requireId(input.id, 'Organization'));
      return { deletedId: input.id };
    });
  }

  @Mutation(() => MembershipPayload, { description: 'Removes a member (admins; owners for owners). The last owner stays.' })
  removeMember(@Arg('input', () => MemberInput, { description: 'Organization and user.' }) input: MemberInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const org = await removeMember(ctx, requireId(input.organizationId, 'Organization'), requireId(input.userId, 'User'));
      return { membership: null, organization: Organization.from(org) };
    });
  }

  @Mutation(() => MembershipPayload, { description: 'A user leaves an organization (the user, or an instance admin for them). The last owner stays.' })
  leaveOrganization(@Arg('input', () => UserInOrganizationInput, { description: 'User and organization.' }) input: UserInOrganizationInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const [user, org] = await Promise.all([userByUsername(ctx, input.username), organizationBySlug(ctx, input.organization)]);
      if (!user || !org) throw new DomainError('NOT_FOUND', user ? 'Organization not found' : 'User not found');
      return { membership: null, organization: Organization.from(await leaveOrganization(ctx, org.id, user.id)) };
    });
  }

  @Mutation(() => MembershipPayload, { description: 'Changes a member’s role (admins; only owners grant or take ownership).' })
  changeMemberRole(@Arg('input', () => ChangeMemberRoleInput, { description: 'Organization, user and role.' }) input: ChangeMemberRoleInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const r = await changeMemberRole(ctx, requireId(input.organizationId, 'Organization'), requireId(input.userId, 'User'), input.role as Role);
      return { membership: await membershipWithUser(ctx, r.membership), organization: Organization.from(r.org) };
    });
  }
}

@Resolver(() => OrganizationMembership)
export class OrganizationMembershipResolver {
  @FieldResolver(() => Organization, { nullable: true, description: 'The member organization (null when you cannot see it).' })
  async organization(@Root() m: OrganizationMembership, @Ctx() ctx: Context): Promise<Organization | null> {
    const row = await readableOrganization(ctx, m.memberOrganizationUuid);
    return row ? Organization.from(row) : null;
  }
}

@Resolver(() => Membership)
export class MembershipResolver {
  @Reads('organizationId')
  @FieldResolver(() => Organization, { nullable: true, description: 'The organization.' })
  async organization(@Root() m: Membership, @Ctx() ctx: Context): Promise<Organization | null> {
    const row = await readableOrganization(ctx, m.organizationUuid);
    return row ? Organization.from(row) : null;
  }
}

@Resolver(() => User)
export class UserOrganizationsResolver {
  @UserReads('id')
  @FieldResolver(() => [Membership], { description: 'The user’s memberships (only in organizations you can see).' })
  async memberships(@Root() user: User, @Ctx() ctx: Context): Promise<Membership[]> {
    const rows = await ctx.loaders.membershipsByUserId.load(user.uuid);
    const visible = await Promise.all(rows.map(async (m) => ((await ctx.authz.can('organization:read', { organizationId: m.organizationId })) ? m : null)));
    // Each is a membership of this user, but not with the parent as its user: the parent may be
    // a partly read row (a membership page reads only the columns its selection shows). The
    // loader reads the user once for all of them.
    return Promise.all(visible.filter((m) => m !== null).map((m) => membershipWithUser(ctx, m!)));
  }

  @UserReads('id')
  @FieldResolver(() => [Organization], { description: 'Organizations the user is a member of (only those you can see).' })
  async organizations(@Root() user: User, @Ctx() ctx: Context): Promise<Organization[]> {
    const rows = await ctx.loaders.membershipsByUserId.load(user.uuid);
    const orgs = await Promise.all(rows.map((m) => readableOrganization(ctx, m.organizationId)));
    return orgs.filter((o) => o !== null).map((o) => Organization.from(o!));
  }
}

@Resolver(() => Organization)
export class OrganizationQuotaResolver {
  @Mutation(() => OrganizationPayload, {
    description: 'Adds usage to an organization’s quota (admins): refused with PRECONDITION_FAILED “quota exhausted” when it would pass the limit, unless the quota is overridden.',
  })
  incrementOrganizationUsage(@Arg('input', () => IncrementOrganizationUsageInput, { description: 'Organization and amount.' }) input: IncrementOrganizationUsageInput, @Ctx() ctx: Context) {
    return payload(async () => ({ organization: Organization.from(await incrementOrganizationUsageService(ctx, requireId(input.id, 'Organization'), input.amount)) }));
  }
}

void Int;
