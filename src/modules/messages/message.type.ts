// GraphQL types of messages and message accesses, their inputs and payloads.
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../core/graphql/connection.js';
import { Node } from '../../core/graphql/node.js';
import { UserError } from '../../core/graphql/payload.js';
import type { MessageAccessRow, MessageRow } from './message.repo.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'An end-to-end-encrypted message: the server knows its metadata and who may read it, never its content.' })
export class Message extends Node {
  static readonly nodeType = 'Message';
  row!: MessageRow;

  @Field({ description: 'When the message was created.' })
  createdAt!: Date;

  @Field(() => JSONObjectScalar, { description: 'Metadata the owner attached (a JSON object).' })
  metadata!: Record<string, unknown>;

  @Field({ description: 'Whether recipients may download the content.' })
  allowDownload!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the message stops being readable; null for never.' })
  selfDestructAt!: Date | null;

  @Field({ description: 'Whether the system created it (service message) rather than a user.' })
  isService!: boolean;

  static from(row: MessageRow): Message {
    const m = new Message();
    m.uuid = row.id;
    m.row = row;
    m.createdAt = row.createdAt;
    m.metadata = row.metadata;
    m.allowDownload = row.allowDownload;
    m.selfDestructAt = row.selfDestructAt;
    m.isService = row.isService;
    return m;
  }
}

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'One recipient’s access to a message (a user, or an external recipient known by email).' })
export class MessageAccess extends Node {
  static readonly nodeType = 'MessageAccess';
  row!: MessageAccessRow;

  @Field(() => String, { nullable: true, description: 'Email of an external recipient; null for a user recipient.' })
  email!: string | null;

  @Field(() => [String], { description: 'Ids of the groups through which the access was granted (Seald’s path).' })
  path!: string[];

  @Field(() => Date, { nullable: true, description: 'When the recipient first read the message.' })
  readFirstAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the recipient last read the message.' })
  readLastAt!: Date | null;

  @Field(() => Int, { description: 'How many times the recipient read the message.' })
  readCount!: number;

  @Field({ description: 'Whether the access was revoked.' })
  revoked!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the access was revoked.' })
  revokedAt!: Date | null;

  @Field({ description: 'When the access was granted.' })
  createdAt!: Date;

  static from(row: MessageAccessRow): MessageAccess {
    const a = new MessageAccess();
    a.uuid = row.id;
    a.row = row;
    a.email = row.email;
    a.path = row.path;
    a.readFirstAt = row.readFirstAt;
    a.readLastAt = row.readLastAt;
    a.readCount = row.readCount;
    a.revoked = row.revoked;
    a.revokedAt = row.revokedAt;
    a.createdAt = row.createdAt;
    return a;
  }
}

export const MessageConnection = ConnectionType(Message, 'Message');

@InputType({ description: 'Which messages to list (the Seald dashboard’s filters).' })
export class MessageFilterInput {
  @Field(() => ID, { nullable: true, description: 'Only this message (global ID).' })
  id?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only messages this user (global ID) received and may still read.' })
  recipient?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only messages owned by this user (global ID).' })
  owner?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Only messages whose metadata contains this JSON object (jsonb containment).' })
  metaDataContains?: Record<string, unknown> | null;

  @Field(() => Boolean, { nullable: true, description: 'Only messages created by users, not service messages.' })
  onlyVisible?: boolean | null;
}

@ArgsType()
export class MessagesArgs extends ConnectionArgs {
  @Field(() => MessageFilterInput, { nullable: true, description: 'Filter.' })
  filter?: MessageFilterInput | null;
}

@InputType({ description: 'One device’s encrypted copy of a message key.' })
export class MessageKeyInput {
  @Field(() => ID, { description: 'Global ID of the device (of the owner or of a user recipient).' })
  deviceId!: string;

  @Field({ description: 'The message key encrypted for the device (base64, at most 8 KiB).' })
  encryptedMessageKey!: string;

  @Field(() => String, { nullable: true, description: 'Hash of the device key it is created for (optional, at most 128 characters).' })
  createdForKeyHash?: string | null;
}

@InputType({ description: 'A new message: its metadata and its recipients.' })
export class CreateMessageInput {
  @Field(() => JSONObjectScalar, { nullable: true, description: 'Metadata (a JSON object, at most 64 KiB).' })
  metadata?: Record<string, unknown> | null;

  @Field(() => [ID], { nullable: true, description: 'Global IDs of user recipients.' })
  recipientIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Emails of external recipients.' })
  recipientEmails?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Global IDs of groups (at most 20): their members at this moment become recipients, the group as the access path.' })
  recipientGroupIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Global ID of the organization the message is created in (you must be a member).' })
  organizationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether recipients may download the content (default true).' })
  allowDownload?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'When the message stops being readable (in the future).' })
  selfDestructAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'A service message (instance admins only).' })
  isService?: boolean | null;

  @Field(() => [MessageKeyInput], { nullable: true, description: 'Per-device encrypted copies of the message key, for your devices and your user recipients’ devices.' })
  keys?: MessageKeyInput[] | null;
}

@InputType({ description: 'Whose access to revoke: exactly one of userId, email (its access and the keys entrusted to it), entrustedType with entrustedValue, and everyone.' })
export class RevokeMessageAccessInput {
  @Field(() => ID, { description: 'Global ID of the message.' })
  messageId!: string;

  @Field(() => ID, { nullable: true, description: 'Revoke this user’s access (global ID).' })
  userId?: string | null;

  @Field(() => String, { nullable: true, description: 'Revoke this external recipient’s access.' })
  email?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Revoke every access and every entrusted key.' })
  everyone?: boolean | null;

  @Field(() => String, { nullable: true, description: 'With entrustedValue: revoke the keys entrusted to this recipient (connector type EM, PH, …).' })
  entrustedType?: string | null;

  @Field(() => String, { nullable: true, description: 'With entrustedType: the entrusted recipient’s connector value.' })
  entrustedValue?: string | null;
}

@InputType({ description: 'Whether recipients may download a message.' })
export class SetMessageAllowDownloadInput {
  @Field(() => ID, { description: 'Global ID of the message.' })
  messageId!: string;

  @Field({ description: 'Whether recipients may download it.' })
  allowDownload!: boolean;
}

@InputType({ description: 'When a message stops being readable.' })
export class SetMessageSelfDestructDateInput {
  @Field(() => ID, { description: 'Global ID of the message.' })
  messageId!: string;

  @Field(() => Date, { nullable: true, description: 'A date in the future, or null for never.' })
  date?: Date | null;
}

@InputType({ description: 'The message you read.' })
export class RecordMessageReadInput {
  @Field(() => ID, { description: 'Global ID of the message.' })
  messageId!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of creating or changing a message.' })
export class MessagePayload {
  @Field(() => Message, { nullable: true, description: 'The message.' })
  message?: Message | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of revoking accesses to a message.' })
export class RevokeMessageAccessPayload {
  @Field(() => Message, { nullable: true, description: 'The message.' })
  message?: Message | null;

  @Field(() => [MessageAccess], { nullable: true, description: 'The accesses that were revoked.' })
  revokedAccesses?: MessageAccess[] | null;

  @Field(() => Int, { nullable: true, description: 'How many entrusted keys were revoked.' })
  revokedEntrustedKeyCount?: number | null;

  @Field(() => [UserError], { description: 'Why the revocation failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of recording a read.' })
export class RecordMessageReadPayload {
  @Field(() => Message, { nullable: true, description: 'The message.' })
  message?: Message | null;

  @Field(() => MessageAccess, { nullable: true, description: 'Your access, with its read counters.' })
  access?: MessageAccess | null;

  @Field(() => [UserError], { description: 'Why the read was refused.' })
  userErrors!: UserError[];
}
