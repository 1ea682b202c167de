// Thin resolvers for reading the outbox (instance admins). Registered from the invitations
// module's index.ts, the first module that writes outbox rows.
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { mapConnection } from '../../core/graphql/connection.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { Organization } from '../organizations/organization.type.js';
import { listOutboxMessages } from './outbox.service.js';
import { OutboxMessage, OutboxMessageConnection, OutboxMessagesArgs } from './outbox.type.js';

@Resolver(() => OutboxMessage)
export class OutboxMessageResolver {
  @Query(() => OutboxMessageConnection, { description: 'Queued, sent and failed emails and SMS, newest first (instance admins only).' })
  async outboxMessages(@Args(() => OutboxMessagesArgs) args: OutboxMessagesArgs, @Ctx() ctx: Context) {
    return mapConnection(await listOutboxMessages(ctx, args, { status: args.status ?? null }), OutboxMessage.from);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organization the message was sent for, if any.' })
  async organization(@Root() m: OutboxMessage, @Ctx() ctx: Context): Promise<Organization | null> {
    const row = m.organizationUuid ? await readableOrganization(ctx, m.organizationUuid) : null;
    return row ? Organization.from(row) : null;
  }
}
