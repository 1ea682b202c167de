// What the auth module adds to the graph.
import { can } from '../../core/auth/policy.js';
import type { NodeFetchers } from '../node/node.registry.js';
import { AuthResolver, PersonalAccessTokenResolver } from './auth.resolver.js';
import { PersonalAccessToken } from './auth.types.js';

export const resolvers = [AuthResolver, PersonalAccessTokenResolver] as const;

export const nodeFetchers: NodeFetchers = {
  PersonalAccessToken: async (ctx, id) => {
    const row = await ctx.loaders.tokenById.load(id);
    return row && can(ctx.principal, 'user:readPrivate', { userId: row.userId }) ? PersonalAccessToken.from(row) : null;
  },
};
