// What the users module adds to the graph.
import type { NodeFetchers } from '../node/node.registry.js';
import { UserResolver } from './user.resolver.js';
import { userById } from './user.service.js';
import { User } from './user.type.js';

export const resolvers = [UserResolver] as const;

export const nodeFetchers: NodeFetchers = {
  User: async (ctx, id) => {
    const row = await userById(ctx, id);
    return row ? User.from(row) : null;
  },
};
