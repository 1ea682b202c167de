// What the users module adds to the graph.
import type { NodeFetchers } from '../node/node.registry.js';
import { UserMutationsResolver } from './user-mutations.resolver.js';
import { PublicKeyResolver, UserConnectionResolver, UserResolver } from './user.resolver.js';
import { readableContact } from './contact.service.js';
import { readableDevice } from './device.service.js';
import { readablePublicKey } from './key.service.js';
import { TwoFactorResolver, UserTwoFactorResolver } from './totp.resolver.js';
import { userById } from './user.service.js';
import { Contact, Device, PublicKey, User } from './user.type.js';

export const resolvers = [UserResolver, UserConnectionResolver, PublicKeyResolver, UserMutationsResolver, TwoFactorResolver, UserTwoFactorResolver] as const;

export const nodeFetchers: NodeFetchers = {
  User: async (ctx, id) => {
    const row = await userById(ctx, id);
    return row ? User.from(row, ctx.principal) : null;
  },
  Contact: async (ctx, id) => {
    const row = await readableContact(ctx, id);
    return row ? Contact.from(row) : null;
  },
  PublicKey: async (ctx, id) => {
    const row = await readablePublicKey(ctx, id);
    return row ? PublicKey.from(row) : null;
  },
  Device: async (ctx, id) => {
    const row = await readableDevice(ctx, id);
    return row ? Device.from(row) : null;
  },
};
