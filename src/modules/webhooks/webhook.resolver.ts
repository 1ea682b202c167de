// Thin resolvers for webhooks: the mutations, Organization.webhooks and Webhook.deliveries.
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { ConnectionArgs, mapConnection } from '../../core/graphql/connection.js';
import { requireId, toGlobalId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { Organization } from '../organizations/organization.type.js';
import { OutboxMessage, OutboxMessageConnection } from '../outbox/outbox.type.js';
import { createWebhookService, deleteWebhookService, deliveriesOf, updateWebhookService, webhooksOfOrganization } from './webhook.service.js';
import { CreateWebhookInput, CreateWebhookPayload, DeleteWebhookInput, DeleteWebhookPayload, UpdateWebhookInput, Webhook, WebhookPayload } from './webhook.type.js';

@Resolver(() => Webhook)
export class WebhookResolver {
  @Mutation(() => CreateWebhookPayload, { description: 'Registers a webhook for an organization’s events (its admins). The signing secret is returned once.' })
  createWebhook(@Arg('input', () => CreateWebhookInput, { description: 'Organization, URL and actions.' }) input: CreateWebhookInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const { row, secret } = await createWebhookService(
        ctx,
        { organizationId: requireId(input.organizationId, 'Organization'), url: input.url, actions: input.actions ?? [] },
        ctx.deps.config.webhooks.allowedHosts,
      );
      return { webhook: Webhook.from(row), secret };
    });
  }

  @Mutation(() => WebhookPayload, { description: 'Changes a webhook’s URL or actions, or enables or disables it (admins of its organization).' })
  updateWebhook(@Arg('input', () => UpdateWebhookInput, { description: 'The webhook and what to change.' }) input: UpdateWebhookInput, @Ctx() ctx: Context) {
    return payload(async () => ({
      webhook: Webhook.from(await updateWebhookService(ctx, requireId(input.id, 'Webhook'), input, ctx.deps.config.webhooks.allowedHosts)),
    }));
  }

  @Mutation(() => DeleteWebhookPayload, { description: 'Deletes a webhook and its delivery log (admins of its organization).' })
  deleteWebhook(@Arg('input', () => DeleteWebhookInput, { description: 'The webhook.' }) input: DeleteWebhookInput, @Ctx() ctx: Context) {
    return payload(async () => ({ deletedId: toGlobalId('Webhook', await deleteWebhookService(ctx, requireId(input.id, 'Webhook'))) }));
  }

  @FieldResolver(() => OutboxMessageConnection, { description: 'Deliveries of this webhook, most recent first: status, attempts, last error.' })
  async deliveries(@Root() w: Webhook, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return mapConnection(await deliveriesOf(ctx, w.uuid, args), OutboxMessage.from);
  }
}

@Resolver(() => Organization)
export class OrganizationWebhooksResolver {
  @FieldResolver(() => [Webhook], { description: 'Webhooks registered for this organization (its admins; empty for others).' })
  async webhooks(@Root() org: Organization, @Ctx() ctx: Context) {
    return (await webhooksOfOrganization(ctx, org.uuid)).map(Webhook.from);
  }
}
