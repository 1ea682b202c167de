// Thin resolvers for groups: arguments in, service call, object out. Adds Organization.groups
// and User.groups from here, so the organizations and users modules stay unaware of groups.
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { ConnectionArgs, mapConnection } from '../../core/graphql/connection.js';
import { idOfType, optionalId, requireId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { Organization } from '../organizations/organization.type.js';
import { userById } from '../users/user.service.js';
import { User, UserReads } from '../users/user.type.js';
import {
  addGroupMembersService,
  canManageGroup,
  createGroupService,
  deleteGroupService,
  groupsOfOrganization,
  groupsOfUser,
  isGroupMember,
  listVisibleGroups,
  membersOfGroup,
  readableGroup,
  removeGroupMembersService,
  renameGroupService,
  setGroupAdminService,
} from './group.service.js';
import {
  CreateGroupInput,
  DeleteGroupInput,
  DeleteGroupPayload,
  Group,
  GroupConnection,
  GroupMember,
  GroupMembersInput,
  GroupPayload,
  GroupsArgs,
  GroupReads,
  RenameGroupInput,
  SetGroupAdminInput,
} from './group.type.js';
import { groupPagePlan } from './group.read.js';

@Resolver(() => Group)
export class GroupResolver {
  @Query(() => Group, { nullable: true, description: 'A group by global ID; null when missing or not visible to you.' })
  async group(@Arg('id', () => ID, { description: 'Global ID.' }) id: string, @Ctx() ctx: Context): Promise<Group | null> {
    const uuid = idOfType(id, 'Group');
    const row = uuid ? await readableGroup(ctx, uuid) : null;
    return row ? Group.from(row) : null;
  }

  @Query(() => GroupConnection, { description: 'Groups of the organizations you belong to (instance admins: all), keyset-paginated.' })
  async groups(@Args(() => GroupsArgs) args: GroupsArgs, @Ctx() ctx: Context) {
    const organizationId = args.filter?.organization != null ? requireId(args.filter.organization, 'Organization') : null;
    const c = await listVisibleGroups(
      ctx,
      args,
      { organizationId, nameContains: args.filter?.nameContains ?? null },
      { field: args.orderBy?.field ?? 'name', direction: args.orderBy?.direction ?? 'asc' },
      args.offset,
    );
    return mapConnection(c, Group.from);
  }

  @GroupReads('organizationId')
  @FieldResolver(() => Organization, { nullable: true, description: 'The organization the group belongs to.' })
  async organization(@Root() g: Group, @Ctx() ctx: Context): Promise<Organization | null> {
    const row = await readableOrganization(ctx, g.row.organizationId);
    return row ? Organization.from(row) : null;
  }

  @GroupReads('id')
  @FieldResolver(() => [GroupMember], { description: 'Members, admins first, then in the order they joined.' })
  async members(@Root() g: Group, @Ctx() ctx: Context): Promise<GroupMember[]> {
    return (await membersOfGroup(ctx, g.row)).map(GroupMember.from);
  }

  @GroupReads('id')
  @FieldResolver(() => [User], { description: 'Members who administer the group.' })
  async admins(@Root() g: Group, @Ctx() ctx: Context): Promise<User[]> {
    const admins = (await membersOfGroup(ctx, g.row)).filter((m) => m.isAdmin);
    const users = await Promise.all(admins.map((m) => userById(ctx, m.userId)));
    return users.filter((u) => u !== null).map((u) => User.from(u!, ctx.principal));
  }

  @GroupReads('id', 'encryptedEncryptionPrivateKey')
  @FieldResolver(() => String, { nullable: true, description: 'Encryption private key, encrypted for the members. Visible to group members only.' })
  async encryptedEncryptionPrivateKey(@Root() g: Group, @Ctx() ctx: Context): Promise<string | null> {
    return (await isGroupMember(ctx, g.row)) ? g.row.encryptedEncryptionPrivateKey! : null;
  }

  @GroupReads('id', 'encryptedSigningPrivateKey')
  @FieldResolver(() => String, { nullable: true, description: 'Signing private key, encrypted for the members. Visible to group members only.' })
  async encryptedSigningPrivateKey(@Root() g: Group, @Ctx() ctx: Context): Promise<string | null> {
    return (await isGroupMember(ctx, g.row)) ? g.row.encryptedSigningPrivateKey! : null;
  }

  @GroupReads('id', 'organizationId')
  @FieldResolver(() => Boolean, { description: 'Whether you may rename the group and change its members.' })
  viewerCanManage(@Root() g: Group, @Ctx() ctx: Context): Promise<boolean> {
    return canManageGroup(ctx, g.row);
  }

  @Mutation(() => GroupPayload, { description: 'Creates a group in an organization (organization admins), with optional key material, members and admins.' })
  createGroup(@Arg('input', () => CreateGroupInput, { description: 'Organization, name, keys and initial members.' }) input: CreateGroupInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const row = await createGroupService(ctx, {
        ...input,
        organizationId: requireId(input.organizationId, 'Organization'),
        memberIds: input.memberIds?.map((id) => requireId(id, 'User')),
        adminIds: input.adminIds?.map((id) => requireId(id, 'User')),
        messageKeys: input.messageKeys?.map((k) => ({ ...k, createdForDeviceId: optionalId(k.createdForDeviceId, 'Device') })),
      });
      return { group: Group.from(row) };
    });
  }

  @Mutation(() => GroupPayload, { description: 'Renames a group (organization admins and group admins).' })
  renameGroup(@Arg('input', () => RenameGroupInput, { description: 'Group and new name.' }) input: RenameGroupInput, @Ctx() ctx: Context) {
    return payload(async () => ({ group: Group.from(await renameGroupService(ctx, requireId(input.id, 'Group'), input.name)) }));
  }

  @Mutation(() => DeleteGroupPayload, { description: 'Deletes a group (organization admins and group admins).' })
  deleteGroup(@Arg('input', () => DeleteGroupInput, { description: 'The group.' }) input: DeleteGroupInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await deleteGroupService(ctx, requireId(input.id, 'Group'));
      return { deletedId: input.id };
    });
  }

  @Mutation(() => GroupPayload, { description: 'Adds members of the organization to a group (organization admins and group admins).' })
  addGroupMembers(@Arg('input', () => GroupMembersInput, { description: 'Group and users.' }) input: GroupMembersInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const ids = input.userIds.map((id) => requireId(id, 'User'));
      return { group: Group.from(await addGroupMembersService(ctx, requireId(input.groupId, 'Group'), ids, input.isAdmin ?? false)) };
    });
  }

  @Mutation(() => GroupPayload, { description: 'Removes members from a group (organization admins and group admins; any member may remove only themselves, i.e. leave); the last admin stays. Their devices’ copies of the group keys go with them.' })
  removeGroupMembers(@Arg('input', () => GroupMembersInput, { description: 'Group and users.' }) input: GroupMembersInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const ids = input.userIds.map((id) => requireId(id, 'User'));
      return { group: Group.from(await removeGroupMembersService(ctx, requireId(input.groupId, 'Group'), ids)) };
    });
  }

  @Mutation(() => GroupPayload, { description: 'Grants or takes a member’s admin flag (organization admins and group admins); the last admin stays.' })
  setGroupAdmin(@Arg('input', () => SetGroupAdminInput, { description: 'Group, member and flag.' }) input: SetGroupAdminInput, @Ctx() ctx: Context) {
    return payload(async () => ({
      group: Group.from(await setGroupAdminService(ctx, requireId(input.groupId, 'Group'), requireId(input.userId, 'User'), input.isAdmin)),
    }));
  }
}

@Resolver(() => GroupMember)
export class GroupMemberResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The member.' })
  async user(@Root() m: GroupMember, @Ctx() ctx: Context): Promise<User | null> {
    const row = await userById(ctx, m.userUuid);
    return row ? User.from(row, ctx.principal) : null;
  }
}

@Resolver(() => Organization)
export class OrganizationGroupsResolver {
  @FieldResolver(() => GroupConnection, { description: 'Groups of this organization, by name (empty unless you are a member).' })
  async groups(@Root() org: Organization, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    // Only the columns the selection's fields declare (a page of names leaves the groups' keys in the table).
    return mapConnection(await groupsOfOrganization(ctx, org.row, args, groupPagePlan(info)), Group.from);
  }
}

@Resolver(() => User)
export class UserGroupsResolver {
  @UserReads('id')
  @FieldResolver(() => [Group], { description: 'Groups the user belongs to, by name (only those you can see).' })
  async groups(@Root() user: User, @Ctx() ctx: Context): Promise<Group[]> {
    return (await groupsOfUser(ctx, user.uuid)).map(Group.from);
  }
}
