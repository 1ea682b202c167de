// Thin resolvers for a team's messages and their key material: Organization.teamMessages,
// Query.teamMessage, Message's dashboard counters and pages, and the mutations adding keys.
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { idOfType, requireId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { checkPage } from '../dashboard/dashboard.resolver.js';
import { TeamPageArgs } from '../dashboard/dashboard.type.js';
import { Organization } from '../organizations/organization.type.js';
import { addEntrustedMessageKey, addMessageKeys, entrustedKeyPage, messageAccessPage, messageCounters, teamMessage, teamMessages, viewerMessageKeys } from './message-keys.service.js';
import {
  AddMessageEntrustedKeyInput,
  AddMessageEntrustedKeyPayload,
  AddMessageKeysInput,
  AddMessageKeysPayload,
  MessageAccessPage,
  MessageEntrustedKey,
  MessageEntrustedKeyPage,
  MessageKey,
  MessagePage,
  MessageTeamArgs,
} from './message-keys.type.js';
import { Message, MessageAccess } from './message.type.js';

@Resolver(() => Organization)
export class OrganizationMessagesResolver {
  @FieldResolver(() => MessagePage, { description: 'Messages created in this organization as a team, newest first, with the dashboard’s filters (its admins; empty for others).' })
  async teamMessages(@Root() org: Organization, @Args(() => MessageTeamArgs) args: MessageTeamArgs, @Ctx() ctx: Context): Promise<MessagePage> {
    checkPage(args);
    const f = args.filter ?? {};
    const r = await teamMessages(
      ctx,
      org.uuid,
      {
        messageId: f.id != null ? requireId(f.id, 'Message') : null,
        recipientId: f.recipient != null ? requireId(f.recipient, 'User') : null,
        ownerId: f.owner != null ? requireId(f.owner, 'User') : null,
        metadataContains: f.metaDataContains ?? null,
        onlyVisible: f.onlyVisible ?? null,
      },
      args.first,
      args.offset,
    );
    return { nodes: r.rows.map(Message.from), get totalCount() { return r.count() as unknown as number; } };
  }
}

@Resolver(() => Message)
export class MessageKeysResolver {
  @Query(() => Message, { nullable: true, description: 'A message of the team your credential administers (dashboard); null when missing or another team’s.' })
  async teamMessage(@Arg('id', () => ID, { description: 'Global ID of the message.' }) id: string, @Ctx() ctx: Context): Promise<Message | null> {
    const uuid = idOfType(id, 'Message');
    const row = uuid ? await teamMessage(ctx, uuid) : null;
    return row ? Message.from(row) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether every access to the message is revoked (false when it has none).' })
  async everyoneRevoked(@Root() m: Message, @Ctx() ctx: Context): Promise<boolean> {
    return (await messageCounters(ctx, m.row)).everyoneRevoked;
  }

  @FieldResolver(() => Int, { description: 'How many times its recipients read it, in all.' })
  async totalReadCount(@Root() m: Message, @Ctx() ctx: Context): Promise<number> {
    return (await messageCounters(ctx, m.row)).reads;
  }

  @FieldResolver(() => MessageAccessPage, { description: 'The accesses by page number, in the order they were granted (admins of the message’s team; empty for others).' })
  async accessPage(@Root() m: Message, @Args(() => TeamPageArgs) args: TeamPageArgs, @Ctx() ctx: Context): Promise<MessageAccessPage> {
    checkPage(args);
    const r = await messageAccessPage(ctx, m.row, args.first, args.offset);
    return { nodes: r.rows.map(MessageAccess.from), get totalCount() { return r.count() as unknown as number; } };
  }

  @FieldResolver(() => MessageEntrustedKeyPage, { description: 'Keys entrusted to recipients outside the team, by page number (the owner and admins of the message’s team; empty for others).' })
  async entrustedKeys(@Root() m: Message, @Args(() => TeamPageArgs) args: TeamPageArgs, @Ctx() ctx: Context): Promise<MessageEntrustedKeyPage> {
    checkPage(args);
    const r = await entrustedKeyPage(ctx, m.row, args.first, args.offset);
    return { nodes: r.rows.map(MessageEntrustedKey.from), get totalCount() { return r.count() as unknown as number; } };
  }

  @FieldResolver(() => [MessageKey], { description: 'The encrypted keys of the message for your own devices; none once your access is revoked.' })
  async viewerKeys(@Root() m: Message, @Ctx() ctx: Context): Promise<MessageKey[]> {
    return (await viewerMessageKeys(ctx, m.row)).map(MessageKey.from);
  }

  @Mutation(() => AddMessageKeysPayload, { description: 'Adds recipient devices’ encrypted copies of a message key (admins of the message’s team, through the dashboard credential).' })
  addMessageKeys(@Arg('input', () => AddMessageKeysInput, { description: 'Message and keys.' }) input: AddMessageKeysInput, @Ctx() ctx: Context): Promise<AddMessageKeysPayload> {
    return payload(async () => {
      const r = await addMessageKeys(
        ctx,
        requireId(input.messageId, 'Message'),
        input.keys.map((k) => ({ ...k, deviceId: idOfType(k.deviceId, 'Device') ?? '' })),
      );
      return { message: Message.from(r.message), messageKeys: r.keys.map(MessageKey.from) };
    });
  }

  @Mutation(() => AddMessageEntrustedKeyPayload, { description: 'Entrusts a message key to a recipient outside the team (admins of the message’s team, through the dashboard credential).' })
  addMessageEntrustedKey(
    @Arg('input', () => AddMessageEntrustedKeyInput, { description: 'Message, recipient and key.' }) input: AddMessageEntrustedKeyInput,
    @Ctx() ctx: Context,
  ): Promise<AddMessageEntrustedKeyPayload> {
    return payload(async () => {
      const r = await addEntrustedMessageKey(ctx, requireId(input.messageId, 'Message'), input);
      return { message: Message.from(r.message), entrustedKey: MessageEntrustedKey.from(r.key) };
    });
  }
}
