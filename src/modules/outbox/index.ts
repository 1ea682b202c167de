// What the outbox module adds to the graph: the operators' view of queued messages
// (outboxMessages, OutboxMessage nodes).
import type { NodeFetchers } from '../node/node.registry.js';
import { OutboxMessageResolver } from './outbox.resolver.js';
import { readableOutboxMessage } from './outbox.service.js';
import { OutboxMessage } from './outbox.type.js';

export const resolvers: readonly Function[] = [OutboxMessageResolver];

export const nodeFetchers: NodeFetchers = {
  OutboxMessage: async (ctx, id) => {
    const row = await readableOutboxMessage(ctx, id);
    return row ? OutboxMessage.from(row) : null;
  },
};
