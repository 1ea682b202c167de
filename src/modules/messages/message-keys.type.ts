// GraphQL types of messages' key material (per-device keys, entrusted keys) and of a team's
// messages by page number (the Seald dashboard pages by number, not by cursor).
import { ArgsType, Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { Node, toGlobalId } from '../../core/graphql/node.js';
import { UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';
import { TeamPageArgs } from '../dashboard/dashboard.type.js';
import type { EntrustedKeyRow, MessageKeyRow } from './message-keys.repo.js';
import { Message, MessageAccess, MessageFilterInput, MessageKeyInput } from './message.type.js';

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'One device’s encrypted copy of a message key: the server stores it and cannot decrypt it.' })
export class MessageKey extends Node {
  static readonly nodeType = 'MessageKey';
  row!: MessageKeyRow;

  @Field({ description: 'The key, encrypted for the device (base64).' })
  encryptedMessageKey!: string;

  @Field(() => String, { nullable: true, description: 'Hash of the device key it was created for, as the client gave it.' })
  createdForKeyHash!: string | null;

  @Field({ description: 'When it was added.' })
  createdAt!: Date;

  static from(row: MessageKeyRow): MessageKey {
    const k = new MessageKey();
    k.uuid = row.id;
    k.row = row;
    k.encryptedMessageKey = row.encryptedKey;
    k.createdForKeyHash = row.createdForKeyHash;
    k.createdAt = row.createdAt;
    return k;
  }
}

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'A message key entrusted to a recipient outside the team (by email or another connector), until they join.' })
export class MessageEntrustedKey extends Node {
  static readonly nodeType = 'MessageEntrustedKey';
  row!: EntrustedKeyRow;

  @Field({ description: 'The recipient’s connector type (EM for an email, PH for a phone, …).' })
  createdForType!: string;

  @Field({ description: 'The recipient’s connector value (the email, the phone number, …).' })
  createdForValue!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The additional factor the recipient must prove (as the client gave it).' })
  additionalFactor!: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true, description: 'When the recipient first read the message.' })
  readFirstAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the recipient last read the message.' })
  readLastAt!: Date | null;

  @Field(() => Int, { description: 'How many times the recipient read the message.' })
  readCount!: number;

  @Field(() => [String], { description: 'When the recipient replied (ISO dates).' })
  replies!: string[];

  @Field({ description: 'Whether the key was revoked.' })
  revoked!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked.' })
  revokedAt!: Date | null;

  @Field({ description: 'When it was added.' })
  createdAt!: Date;

  @Field(() => ID, { nullable: true, description: 'Global ID of the user the key was converted for once the recipient joined; null until then.' })
  convertedForId!: string | null;

  static from(row: EntrustedKeyRow): MessageEntrustedKey {
    const k = new MessageEntrustedKey();
    k.uuid = row.id;
    k.row = row;
    k.createdForType = row.createdForType;
    k.createdForValue = row.createdForValue;
    k.additionalFactor = row.additionalFactor;
    k.readFirstAt = row.readFirstAt;
    k.readLastAt = row.readLastAt;
    k.readCount = row.readCount;
    k.replies = row.replies;
    k.revoked = row.revoked;
    k.revokedAt = row.revokedAt;
    k.createdAt = row.createdAt;
    k.convertedForId = row.convertedForId ? toGlobalId('User', row.convertedForId) : null;
    return k;
  }
}

@ReadsNoRow()
@ObjectType({ description: 'A page of a team’s messages, by page number (offset).' })
export class MessagePage {
  @Field(() => Int, { description: 'How many match in all.' })
  totalCount!: number;

  // Counted once: the page field's `first` already multiplies (core/graphql/query-cost.ts).
  @Extensions({ maxItems: 1 })
  @Field(() => [Message], { description: 'This page, newest first.' })
  nodes!: Message[];
}

@ReadsNoRow()
@ObjectType({ description: 'A page of a message’s accesses, by page number (offset).' })
export class MessageAccessPage {
  @Field(() => Int, { description: 'How many there are in all.' })
  totalCount!: number;

  // Counted once: the page field's `first` already multiplies (core/graphql/query-cost.ts).
  @Extensions({ maxItems: 1 })
  @Field(() => [MessageAccess], { description: 'This page, in the order they were granted.' })
  nodes!: MessageAccess[];
}

@ReadsNoRow()
@ObjectType({ description: 'A page of a message’s entrusted keys, by page number (offset).' })
export class MessageEntrustedKeyPage {
  @Field(() => Int, { description: 'How many there are in all.' })
  totalCount!: number;

  // Counted once: the page field's `first` already multiplies (core/graphql/query-cost.ts).
  @Extensions({ maxItems: 1 })
  @Field(() => [MessageEntrustedKey], { description: 'This page, in the order they were added.' })
  nodes!: MessageEntrustedKey[];
}

@ArgsType()
export class MessageTeamArgs extends TeamPageArgs {
  @Field(() => MessageFilterInput, { nullable: true, description: 'Filter.' })
  filter?: MessageFilterInput | null;
}

@InputType({ description: 'Encrypted copies of a message key for recipient devices that lack one.' })
export class AddMessageKeysInput {
  @Field(() => ID, { description: 'Global ID of the message (of your team).' })
  messageId!: string;

  @Field(() => [MessageKeyInput], { description: 'The keys, 1 to 100, one per device.' })
  keys!: MessageKeyInput[];
}

@InputType({ description: 'A message key entrusted to a recipient outside the team: `email`, or `createdForType` with `createdForValue`.' })
export class AddMessageEntrustedKeyInput {
  @Field(() => ID, { description: 'Global ID of the message (of your team).' })
  messageId!: string;

  @Field(() => String, { nullable: true, description: 'The recipient’s email (connector type EM).' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'The recipient’s connector type (two capitals: EM, PH, …).' })
  createdForType?: string | null;

  @Field(() => String, { nullable: true, description: 'The recipient’s connector value.' })
  createdForValue?: string | null;

  @Field({ description: 'The message key encrypted for the recipient (base64, at most 8 KiB).' })
  messageKey!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The additional factor the recipient must prove (at most 4 KiB of JSON).' })
  additionalFactor?: Record<string, unknown> | null;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of adding message keys.' })
export class AddMessageKeysPayload {
  @Field(() => Message, { nullable: true, description: 'The message.' })
  message?: Message | null;

  @Field(() => [MessageKey], { nullable: true, description: 'The keys added.' })
  messageKeys?: MessageKey[] | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of entrusting a message key.' })
export class AddMessageEntrustedKeyPayload {
  @Field(() => Message, { nullable: true, description: 'The message.' })
  message?: Message | null;

  @Field(() => MessageEntrustedKey, { nullable: true, description: 'The entrusted key.' })
  entrustedKey?: MessageEntrustedKey | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}
