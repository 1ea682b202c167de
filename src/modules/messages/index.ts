// What the messages module adds to the graph: messages, accesses, User.ownedMessages and User.receivedMessages.
import type { NodeFetchers } from '../node/node.registry.js';
import { MessageAccessResolver, MessageResolver, UserMessagesResolver } from './message.resolver.js';
import { MessageKeysResolver, OrganizationMessagesResolver } from './message-keys.resolver.js';
import { readableMessage } from './message.service.js';
import { Message } from './message.type.js';

export const resolvers = [MessageResolver, MessageAccessResolver, UserMessagesResolver, MessageKeysResolver, OrganizationMessagesResolver] as const;

export const nodeFetchers: NodeFetchers = {
  Message: async (ctx, id) => {
    const row = await readableMessage(ctx, id);
    return row ? Message.from(row) : null;
  },
};
