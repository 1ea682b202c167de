// GraphQL types of the outbox: every email and SMS the system queued, for operators (instance
// admins) and tests. Bodies may hold codes meant for one recipient, hence admins only.
import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { ConnectionArgs, ConnectionType } from '../../core/graphql/connection.js';
import { Node } from '../../core/graphql/node.js';
import type { OutboxRow } from './outbox.repo.js';
import { ReadsWholeRow } from '../../core/read/reads.js';

export enum OutboxStatus {
  PENDING = 'pending',
  SENT = 'sent',
  FAILED = 'failed',
}
registerEnumType(OutboxStatus, {
  name: 'OutboxStatus',
  description: 'Delivery state of an outbox message.',
  valuesConfig: {
    PENDING: { description: 'Waiting for delivery (or for its next attempt).' },
    SENT: { description: 'Handed to the mail server (or SMS gateway).' },
    FAILED: { description: 'Gave up: too many failed attempts, or refused permanently.' },
  },
});

export enum OutboxChannel {
  EMAIL = 'email',
  SMS = 'sms',
  WEBHOOK = 'webhook',
}
registerEnumType(OutboxChannel, {
  name: 'OutboxChannel',
  description: 'How an outbox message travels.',
  valuesConfig: { EMAIL: { description: 'Email (SMTP).' }, SMS: { description: 'Text message.' }, WEBHOOK: { description: 'A signed HTTP POST to a webhook endpoint.' } },
});

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'An email or SMS queued in the same transaction as the change that caused it.' })
export class OutboxMessage extends Node {
  static readonly nodeType = 'OutboxMessage';
  organizationUuid!: string | null;

  @Field(() => OutboxChannel, { description: 'Email or SMS.' })
  channel!: OutboxChannel;

  @Field({ description: 'Which message it is: invitation, email_validation, phone_validation, password_reset.' })
  template!: string;

  @Field({ description: 'Email address or phone number.' })
  recipient!: string;

  @Field(() => String, { nullable: true, description: 'Subject line (email only).' })
  subject!: string | null;

  @Field({ description: 'Plain-text body.' })
  body!: string;

  @Field(() => JSONObjectScalar, { description: 'Structured data of the message (ids, links), for templates and tests.' })
  payload!: Record<string, unknown>;

  @Field(() => OutboxStatus, { description: 'Delivery state.' })
  status!: OutboxStatus;

  @Field(() => Int, { description: 'Delivery attempts so far.' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Error of the last failed attempt.' })
  lastError!: string | null;

  @Field({ description: 'When it was queued.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was delivered.' })
  sentAt!: Date | null;

  static from(row: OutboxRow): OutboxMessage {
    const m = new OutboxMessage();
    m.uuid = row.id;
    m.organizationUuid = row.organizationId;
    m.channel = row.channel as OutboxChannel;
    m.template = row.template;
    m.recipient = row.recipient;
    m.subject = row.subject;
    m.body = row.body;
    m.payload = row.payload;
    m.status = row.status as OutboxStatus;
    m.attempts = row.attempts;
    m.lastError = row.lastError;
    m.createdAt = row.createdAt;
    m.sentAt = row.sentAt;
    return m;
  }
}

export const OutboxMessageConnection = ConnectionType(OutboxMessage, 'OutboxMessage');

@ArgsType()
export class OutboxMessagesArgs extends ConnectionArgs {
  @Field(() => OutboxStatus, { nullable: true, description: 'Only messages in this state.' })
  status?: OutboxStatus | null;
}
