// GraphQL types of the event log: one entry per change, with who, what, when and where.
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../core/graphql/connection.js';
import { Node, toGlobalId } from '../../core/graphql/node.js';
import type { EventLogRow } from './log.repo.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'An entry of the append-only event log, written with the change it records.' })
export class EventLog extends Node {
  static readonly nodeType = 'EventLog';
  row!: EventLogRow;

  @Field({ description: 'When it happened.' })
  occurredAt!: Date;

  @Field({ description: 'What happened, as `entity.verb` (for example `message.read`, `group.create`).' })
  action!: string;

  @Field(() => String, { nullable: true, description: 'Address of the client that made the change.' })
  ip!: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Where the client was, as geo-IP data.' })
  geo!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'The email address involved (for example a revoked external recipient).' })
  email!: string | null;

  @Field(() => ID, { nullable: true, description: 'Global ID (type Device) of the device involved.' })
  deviceId!: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Details of the change.' })
  data!: Record<string, unknown> | null;

  static from(row: EventLogRow): EventLog {
    const e = new EventLog();
    e.uuid = row.id;
    e.row = row;
    e.occurredAt = row.occurredAt;
    e.action = row.action;
    e.ip = row.ip;
    e.geo = row.geo;
    e.email = row.email;
    e.deviceId = row.deviceId ? toGlobalId('Device', row.deviceId) : null;
    e.data = row.data;
    return e;
  }
}

export const EventLogConnection = ConnectionType(EventLog, 'EventLog');

@InputType({ description: 'Which events to list (the Seald dashboard’s filters).' })
export class EventLogFilterInput {
  @Field(() => Date, { nullable: true, description: 'Only events after this moment.' })
  dateGt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only events before this moment.' })
  dateLt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Only events of this user (global ID), as actor or as second user.' })
  user?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events about this message (global ID).' })
  message?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events about this device (global ID).' })
  device?: string | null;

  @Field(() => String, { nullable: true, description: 'Only events about this email address (case-insensitive).' })
  email?: string | null;

  @Field(() => [String], { nullable: true, description: 'Only events with one of these actions.' })
  actionIn?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Only events in this organization (global ID), such as a Seald team’s.' })
  organization?: string | null;
}

@ArgsType()
export class EventLogsArgs extends ConnectionArgs {
  @Field(() => EventLogFilterInput, { nullable: true, description: 'Filter.' })
  filter?: EventLogFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Skip this many events (with `first` only): for page-number clients such as the REST dialects; prefer cursors.' })
  offset?: number | null;
}

@ArgsType()
export class RelatedEventLogsArgs extends ConnectionArgs {
  @Field(() => [String], { nullable: true, description: 'Only events with one of these actions.' })
  actionIn?: string[] | null;
}

@ReadsNoRow()
@ObjectType({ description: 'An event as the eventLogAdded subscription delivers it, with the cursor to resume after it.' })
export class EventLogAdded {
  @Field({ description: 'Pass it as `after` to resume the subscription (or page eventLogs) after every event it has delivered so far (the furthest position, so a resume never repeats one).' })
  cursor!: string;

  @Field(() => EventLog, { description: 'The event.' })
  event!: EventLog;
}

@ArgsType()
export class EventLogAddedArgs {
  @Field(() => EventLogFilterInput, { nullable: true, description: 'Only events matching this filter (as for eventLogs).' })
  filter?: EventLogFilterInput | null;

  @Field(() => String, {
    nullable: true,
    description: 'A cursor (of eventLogs or of an earlier eventLogAdded): first every event after it, oldest first, then live. Null: from now on.',
  })
  after?: string | null;
}

@ArgsType()
export class ViewerEventsArgs {
  @Field(() => String, { nullable: true, description: 'A cursor of an earlier viewerEventAdded: first every such event after it, then live.' })
  after?: string | null;
}
