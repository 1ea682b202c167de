// What the webhooks module adds to the graph: webhook mutations, Organization.webhooks and each webhook's deliveries.
import type { NodeFetchers } from '../node/node.registry.js';
import { OrganizationWebhooksResolver, WebhookResolver } from './webhook.resolver.js';
import { manageableWebhook } from './webhook.service.js';
import { Webhook } from './webhook.type.js';

export const resolvers: readonly Function[] = [WebhookResolver, OrganizationWebhooksResolver];

export const nodeFetchers: NodeFetchers = {
  Webhook: async (ctx, id) => {
    const row = await manageableWebhook(ctx, id);
    return row ? Webhook.from(row) : null;
  },
};
