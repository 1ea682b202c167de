// What the groups module adds to the graph: groups, their members, Organization.groups and User.groups.
import type { NodeFetchers } from '../node/node.registry.js';
import { GroupMemberResolver, GroupResolver, OrganizationGroupsResolver, UserGroupsResolver } from './group.resolver.js';
import { readableGroup } from './group.service.js';
import { GroupKeysResolver } from './group-keys.resolver.js';
import { Group } from './group.type.js';

export const resolvers = [GroupResolver, GroupMemberResolver, OrganizationGroupsResolver, UserGroupsResolver, GroupKeysResolver] as const;

export const nodeFetchers: NodeFetchers = {
  Group: async (ctx, id) => {
    const row = await readableGroup(ctx, id);
    return row ? Group.from(row) : null;
  },
};
