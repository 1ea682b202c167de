// Thin resolvers for the event log: the eventLogs query, the entry's relations, and
// User.eventLogs, Organization.eventLogs and Message.eventLogs (added from here, so the other
// modules stay unaware of the log). Relations load through the per-request loaders.
import { Args, Ctx, FieldResolver, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../context.js';
import { mapConnection } from '../../core/graphql/connection.js';
import { requireId } from '../../core/graphql/node.js';
import { readableMessage } from '../messages/message.service.js';
import { Message } from '../messages/message.type.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { Organization } from '../organizations/organization.type.js';
import { readableDevice } from '../users/device.service.js';
import { userById } from '../users/user.service.js';
import { Device, User, UserReads } from '../users/user.type.js';
import type { EventLogFilter } from './event-log.repo.js';
import type { LiveEvent } from './event-log.live.js';
import { eventLogsOf, listVisibleEventLogs, openEventLogStream, openViewerEventStream } from './event-log.service.js';
import { EventLog, EventLogAdded, EventLogAddedArgs, EventLogConnection, EventLogFilterInput, EventLogsArgs, RelatedEventLogsArgs, ViewerEventsArgs } from './event-log.type.js';

/** The eventLogs filter argument as the repository's filter (global ids checked and decoded). */
function eventLogFilterOf(f: EventLogFilterInput | null | undefined): EventLogFilter {
  return {
    dateGt: f?.dateGt ?? null,
    dateLt: f?.dateLt ?? null,
    userId: f?.user != null ? requireId(f.user, 'User') : null,
    messageId: f?.message != null ? requireId(f.message, 'Message') : null,
    deviceId: f?.device != null ? requireId(f.device, 'Device') : null,
    email: f?.email ?? null,
    actionIn: f?.actionIn ?? null,
    organizationId: f?.organization != null ? requireId(f.organization, 'Organization') : null,
  };
}

@Resolver(() => EventLog)
export class EventLogResolver {
  @Query(() => EventLogConnection, {
    description: 'Events you may see (yours; your organizations’ when you administer them; instance admins: all), most recent first.',
  })
  async eventLogs(@Args(() => EventLogsArgs) args: EventLogsArgs, @Ctx() ctx: Context) {
    return mapConnection(await listVisibleEventLogs(ctx, args, eventLogFilterOf(args.filter), args.offset), EventLog.from);
  }

  @Subscription(() => EventLogAdded, {
    description:
      'Events you may see (as eventLogs shows them), as they are committed by any gateway on this database; with `after`, first those after that cursor. Over graphql-ws on /graphql.',
    subscribe: ({ args, context }: { args: EventLogAddedArgs; context: Context }) => openEventLogStream(context, eventLogFilterOf(args.filter), args.after ?? null),
  })
  eventLogAdded(@Root() e: LiveEvent, @Args(() => EventLogAddedArgs) _args: EventLogAddedArgs): EventLogAdded {
    return Object.assign(new EventLogAdded(), { cursor: e.cursor, event: EventLog.from(e.row) });
  }

  @Subscription(() => EventLogAdded, {
    description: 'Changes made to you, by anyone (invitations you receive, memberships and roles given or taken, your account): the events where you are the second user, as they are committed.',
    subscribe: ({ args, context }: { args: ViewerEventsArgs; context: Context }) => openViewerEventStream(context, args.after ?? null),
  })
  viewerEventAdded(@Root() e: LiveEvent, @Args(() => ViewerEventsArgs) _args: ViewerEventsArgs): EventLogAdded {
    return Object.assign(new EventLogAdded(), { cursor: e.cursor, event: EventLog.from(e.row) });
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who made the change (null for the system or a deleted user).' })
  async user(@Root() e: EventLog, @Ctx() ctx: Context): Promise<User | null> {
    const row = e.row.actorUserId ? await userById(ctx, e.row.actorUserId) : null;
    return row ? User.from(row, ctx.principal) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The other user involved (for example the member added or the recipient revoked).' })
  async user2(@Root() e: EventLog, @Ctx() ctx: Context): Promise<User | null> {
    const row = e.row.user2Id ? await userById(ctx, e.row.user2Id) : null;
    return row ? User.from(row, ctx.principal) : null;
  }

  @FieldResolver(() => Message, { nullable: true, description: 'The message involved (null when none or not visible to you).' })
  async message(@Root() e: EventLog, @Ctx() ctx: Context): Promise<Message | null> {
    const row = e.row.messageId ? await readableMessage(ctx, e.row.messageId) : null;
    return row ? Message.from(row) : null;
  }

  @FieldResolver(() => Device, { nullable: true, description: 'The device involved (null when none, or not visible to you: devices are private to their user).' })
  async device(@Root() e: EventLog, @Ctx() ctx: Context): Promise<Device | null> {
    const row = e.row.deviceId ? await readableDevice(ctx, e.row.deviceId) : null;
    return row ? Device.from(row) : null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organization the change happened in (null when none or not visible to you).' })
  async organization(@Root() e: EventLog, @Ctx() ctx: Context): Promise<Organization | null> {
    const row = e.row.organizationId ? await readableOrganization(ctx, e.row.organizationId) : null;
    return row ? Organization.from(row) : null;
  }
}

@Resolver(() => User)
export class UserEventLogsResolver {
  @UserReads('id')
  @FieldResolver(() => EventLogConnection, { description: 'Events this user made (as actor), most recent first (only those you may see).' })
  async eventLogs(@Root() user: User, @Args(() => RelatedEventLogsArgs) args: RelatedEventLogsArgs, @Ctx() ctx: Context) {
    return mapConnection(await eventLogsOf(ctx, 'actor', user.uuid, args), EventLog.from);
  }
}

@Resolver(() => Organization)
export class OrganizationEventLogsResolver {
  @FieldResolver(() => EventLogConnection, { description: 'Events in this organization, most recent first (all of them for its admins; else only yours).' })
  async eventLogs(@Root() org: Organization, @Args(() => RelatedEventLogsArgs) args: RelatedEventLogsArgs, @Ctx() ctx: Context) {
    return mapConnection(await eventLogsOf(ctx, 'organization', org.uuid, args), EventLog.from);
  }
}

@Resolver(() => Message)
export class MessageEventLogsResolver {
  @FieldResolver(() => EventLogConnection, { description: 'Events about this message, most recent first (only those you may see).' })
  async eventLogs(@Root() m: Message, @Args(() => RelatedEventLogsArgs) args: RelatedEventLogsArgs, @Ctx() ctx: Context) {
    return mapConnection(await eventLogsOf(ctx, 'message', m.uuid, args), EventLog.from);
  }
}
