// Thin resolvers for messages and accesses: arguments in, service call, object out. Adds
// User.ownedMessages and User.receivedMessages from here (the users module stays unaware).
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { ConnectionArgs, mapConnection } from '../../core/graphql/connection.js';
import { idOfType, optionalId, requireId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { validation } from '../../core/errors.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { Organization } from '../organizations/organization.type.js';
import { userById } from '../users/user.service.js';
import { User, UserReads } from '../users/user.type.js';
import {
  accessesOf,
  canManageMessage,
  createMessageService,
  listVisibleMessages,
  messagesOfUser,
  readableMessage,
  recipientsOf,
  recordMessageReadService,
  revokeMessageAccessService,
  setMessageAllowDownloadService,
  setMessageSelfDestructDateService,
} from './message.service.js';
import {
  CreateMessageInput,
  Message,
  MessageAccess,
  MessageConnection,
  MessagePayload,
  MessagesArgs,
  RecordMessageReadInput,
  RecordMessageReadPayload,
  RevokeMessageAccessInput,
  RevokeMessageAccessPayload,
  SetMessageAllowDownloadInput,
  SetMessageSelfDestructDateInput,
} from './message.type.js';

/** The entrusted recipient of a revocation: both halves or neither. */
function entrustedOf(input: RevokeMessageAccessInput): { type: string; value: string } | null {
  if (input.entrustedType == null && input.entrustedValue == null) return null;
  if (input.entrustedType == null || input.entrustedValue == null) throw validation(input.entrustedType == null ? 'entrustedType' : 'entrustedValue', 'entrustedType and entrustedValue go together');
  return { type: input.entrustedType, value: input.entrustedValue };
}

const toUser = (ctx: Context, row: Awaited<ReturnType<typeof userById>>) => (row ? User.from(row, ctx.principal) : null);

@Resolver(() => Message)
export class MessageResolver {
  @Query(() => Message, { nullable: true, description: 'A message by global ID; null when missing or not visible to you.' })
  async message(@Arg('id', () => ID, { description: 'Global ID.' }) id: string, @Ctx() ctx: Context): Promise<Message | null> {
    const uuid = idOfType(id, 'Message');
    const row = uuid ? await readableMessage(ctx, uuid) : null;
    return row ? Message.from(row) : null;
  }

  @Query(() => MessageConnection, {
    description: 'Messages you may see (yours, those you received, those of organizations you administer; instance admins: all), newest first.',
  })
  async messages(@Args(() => MessagesArgs) args: MessagesArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    const c = await listVisibleMessages(ctx, args, {
      messageId: f.id != null ? requireId(f.id, 'Message') : null,
      recipientId: f.recipient != null ? requireId(f.recipient, 'User') : null,
      ownerId: f.owner != null ? requireId(f.owner, 'User') : null,
      metadataContains: f.metaDataContains ?? null,
      onlyVisible: f.onlyVisible ?? null,
    });
    return mapConnection(c, Message.from);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who created the message.' })
  async owner(@Root() m: Message, @Ctx() ctx: Context): Promise<User | null> {
    return toUser(ctx, await userById(ctx, m.row.ownerId));
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organization the message was created in (null when none or not visible to you).' })
  async organization(@Root() m: Message, @Ctx() ctx: Context): Promise<Organization | null> {
    if (!m.row.organizationId) return null;
    const row = await readableOrganization(ctx, m.row.organizationId);
    return row ? Organization.from(row) : null;
  }

  @FieldResolver(() => [MessageAccess], { description: 'Accesses in the order they were granted: all of them for those who manage the message, else only yours.' })
  async accesses(@Root() m: Message, @Ctx() ctx: Context): Promise<MessageAccess[]> {
    return (await accessesOf(ctx, m.row)).map(MessageAccess.from);
  }

  @FieldResolver(() => [User], { description: 'User recipients whose access is not revoked (for those who manage the message; else only you).' })
  async recipients(@Root() m: Message, @Ctx() ctx: Context): Promise<User[]> {
    return (await recipientsOf(ctx, m.row)).map((row) => User.from(row, ctx.principal));
  }

  @FieldResolver(() => Boolean, { description: 'Whether you may revoke accesses and change the message’s settings.' })
  viewerCanManage(@Root() m: Message, @Ctx() ctx: Context): Promise<boolean> {
    return canManageMessage(ctx, m.row);
  }

  @Mutation(() => MessagePayload, { description: 'Creates a message owned by you, with its user and email recipients (any signed-in user).' })
  createMessage(@Arg('input', () => CreateMessageInput, { description: 'Metadata, recipients and settings.' }) input: CreateMessageInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const row = await createMessageService(ctx, {
        ...input,
        recipientIds: input.recipientIds?.map((id) => requireId(id, 'User')),
        recipientGroupIds: input.recipientGroupIds?.map((id) => requireId(id, 'Group')),
        keys: input.keys?.map((k) => ({ ...k, deviceId: requireId(k.deviceId, 'Device') })),
        organizationId: optionalId(input.organizationId, 'Organization'),
      });
      return { message: Message.from(row) };
    });
  }

  @Mutation(() => RevokeMessageAccessPayload, { description: 'Revokes one user’s, one email’s or everyone’s access to a message (the owner and organization admins).' })
  revokeMessageAccess(@Arg('input', () => RevokeMessageAccessInput, { description: 'Message and whose access.' }) input: RevokeMessageAccessInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const r = await revokeMessageAccessService(ctx, {
        messageId: requireId(input.messageId, 'Message'),
        userId: optionalId(input.userId, 'User'),
        email: input.email,
        everyone: input.everyone,
        entrusted: entrustedOf(input),
      });
      return { message: Message.from(r.message), revokedAccesses: r.revoked.map(MessageAccess.from), revokedEntrustedKeyCount: r.revokedEntrusted };
    });
  }

  @Mutation(() => MessagePayload, { description: 'Allows or forbids downloading a message (the owner and organization admins).' })
  setMessageAllowDownload(
    @Arg('input', () => SetMessageAllowDownloadInput, { description: 'Message and flag.' }) input: SetMessageAllowDownloadInput,
    @Ctx() ctx: Context,
  ) {
    return payload(async () => ({ message: Message.from(await setMessageAllowDownloadService(ctx, requireId(input.messageId, 'Message'), input.allowDownload)) }));
  }

  @Mutation(() => MessagePayload, { description: 'Sets or clears the date a message self-destructs (the owner and organization admins).' })
  setMessageSelfDestructDate(
    @Arg('input', () => SetMessageSelfDestructDateInput, { description: 'Message and date.' }) input: SetMessageSelfDestructDateInput,
    @Ctx() ctx: Context,
  ) {
    return payload(async () => ({
      message: Message.from(await setMessageSelfDestructDateService(ctx, requireId(input.messageId, 'Message'), input.date ?? null)),
    }));
  }

  @Mutation(() => RecordMessageReadPayload, { description: 'Records that you (a recipient) read a message: first/last read and read count.' })
  recordMessageRead(@Arg('input', () => RecordMessageReadInput, { description: 'The message.' }) input: RecordMessageReadInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const r = await recordMessageReadService(ctx, requireId(input.messageId, 'Message'));
      return { message: Message.from(r.message), access: MessageAccess.from(r.access) };
    });
  }
}

@Resolver(() => MessageAccess)
export class MessageAccessResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The user recipient; null for an external recipient.' })
  async user(@Root() a: MessageAccess, @Ctx() ctx: Context): Promise<User | null> {
    return a.row.userId ? toUser(ctx, await userById(ctx, a.row.userId)) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who granted the access.' })
  async addedBy(@Root() a: MessageAccess, @Ctx() ctx: Context): Promise<User | null> {
    return a.row.addedById ? toUser(ctx, await userById(ctx, a.row.addedById)) : null;
  }

  @FieldResolver(() => Message, { nullable: true, description: 'The message.' })
  async message(@Root() a: MessageAccess, @Ctx() ctx: Context): Promise<Message | null> {
    const row = await readableMessage(ctx, a.row.messageId);
    return row ? Message.from(row) : null;
  }
}

@Resolver(() => User)
export class UserMessagesResolver {
  @UserReads('id')
  @FieldResolver(() => MessageConnection, { description: 'Messages the user owns, newest first (only those you may see).' })
  async ownedMessages(@Root() user: User, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return mapConnection(await messagesOfUser(ctx, 'owned', user.uuid, args), Message.from);
  }

  @UserReads('id')
  @FieldResolver(() => MessageConnection, { description: 'Messages the user received and may still read, newest first (only those you may see).' })
  async receivedMessages(@Root() user: User, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return mapConnection(await messagesOfUser(ctx, 'received', user.uuid, args), Message.from);
  }
}
