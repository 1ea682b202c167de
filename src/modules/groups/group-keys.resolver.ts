// Thin resolvers of groups' key side: member key copies (add, change), key renewal, the group
// sigchain's start, and the pages the dashboard reads. Rules live in group-keys.service.ts.
import { Arg, Args, Ctx, Extensions, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { DomainError } from '../../core/errors.js';
import { requireId, toGlobalId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { MAX_OFFSET } from '../../core/offset.js';
import { Device } from '../users/user.type.js';
import { groupDevicePage, groupKeySets, groupMemberPage, initGroupSigchain, renewGroupKeys, setGroupMemberKeys, type KeyCopyInput } from './group-keys.service.js';
import { GroupDeviceKeyInput, GroupDevicePage, GroupKeySet, GroupMemberKeysInput, GroupMemberPage, GroupPageArgs, InitGroupSigchainInput, RenewGroupKeysInput } from './group-keys.type.js';
import { Group, GroupMember, GroupPayload, GroupReads } from './group.type.js';

function checkPage(a: GroupPageArgs): void {
  if (!Number.isInteger(a.first) || a.first < 1 || a.first > 100) throw new DomainError('BAD_USER_INPUT', 'first must be 1 to 100');
  if (!Number.isInteger(a.offset) || a.offset < 0 || a.offset > MAX_OFFSET) throw new DomainError('BAD_USER_INPUT', `offset must be 0 to ${MAX_OFFSET}`);
}

const copiesOf = (keys: GroupDeviceKeyInput[]): KeyCopyInput[] => keys.map((k) => ({ deviceId: requireId(k.deviceId, 'Device'), encryptedMessageKey: k.encryptedMessageKey, keyHash: k.keyHash ?? null }));

const memberKeys = (input: GroupMemberKeysInput) => ({
  members: input.members.map((m) => ({ userId: requireId(m.userId, 'User'), isAdmin: m.isAdmin ?? null, deviceKeys: copiesOf(m.deviceKeys) })),
  transaction: input.transaction ?? null,
});

@Resolver(() => Group)
export class GroupKeysResolver {
  @GroupReads('id')
  @FieldResolver(() => GroupMemberPage, { description: 'A page of the members, admins first.' })
  async memberPage(@Root() g: Group, @Args(() => GroupPageArgs) args: GroupPageArgs, @Ctx() ctx: Context): Promise<GroupMemberPage> {
    checkPage(args);
    const r = await groupMemberPage(ctx, g.row, args.first, args.offset);
    return { nodes: r.rows.map(GroupMember.from), get totalCount() { return r.count() as unknown as number; } };
  }

  @GroupReads('id', 'keyGeneration')
  @FieldResolver(() => GroupDevicePage, { description: 'A page of the members’ devices, each with whether it holds the current key.' })
  async devicePage(@Root() g: Group, @Args(() => GroupPageArgs) args: GroupPageArgs, @Ctx() ctx: Context): Promise<GroupDevicePage> {
    checkPage(args);
    const r = await groupDevicePage(ctx, { id: g.row.id, keyGeneration: g.row.keyGeneration! }, args.first, args.offset);
    const me = ctx.authz.userId;
    return {
      nodes: r.rows.map((d) => ({ device: Device.from(d.device), isAdmin: d.isAdmin, hasKey: d.keyCopy !== null, encryptedMessageKey: d.device.userId === me ? d.keyCopy : null })),
      get totalCount() {
        return r.count() as unknown as number;
      },
    };
  }

  @GroupReads('id')
  @Extensions({ maxItems: 100 })
  @FieldResolver(() => [GroupKeySet], { description: 'Key sets the group had before renewals, newest first (at most `last`).' })
  async previousKeySets(@Root() g: Group, @Arg('last', () => Int, { defaultValue: 20, description: 'How many, 1 to 100.' }) last: number, @Ctx() ctx: Context): Promise<GroupKeySet[]> {
    if (!Number.isInteger(last) || last < 1 || last > 100) throw new DomainError('BAD_USER_INPUT', 'last must be 1 to 100');
    const r = await groupKeySets(ctx, g.row, last);
    return r.rows.map((k) => ({
      generation: k.generation,
      encryptionPublicKey: k.encryptionPublicKey,
      signingPublicKey: k.signingPublicKey,
      encryptedEncryptionPrivateKey: r.member ? k.encryptedEncryptionPrivateKey : null,
      encryptedSigningPrivateKey: r.member ? k.encryptedSigningPrivateKey : null,
      yourDeviceKeys: r.copies.filter((c) => c.generation === k.generation).map((c) => ({ deviceId: c.deviceId ? toGlobalId('Device', c.deviceId) : null, encryptedMessageKey: c.encryptedMessageKey })),
      createdAt: k.createdAt,
      replacedAt: k.replacedAt,
    }));
  }

  @Mutation(() => GroupPayload, { description: 'Adds members with their devices’ copies of the group key (group admins and organization admins).' })
  addGroupMemberKeys(@Arg('input', () => GroupMemberKeysInput, { description: 'Group, members, key copies.' }) input: GroupMemberKeysInput, @Ctx() ctx: Context) {
    return payload(async () => ({ group: Group.from(await setGroupMemberKeys(ctx, requireId(input.groupId, 'Group'), memberKeys(input), true)) }));
  }

  @Mutation(() => GroupPayload, { description: 'Changes members’ admin flags and replaces their devices’ copies of the group key (group admins and organization admins); the last admin stays.' })
  updateGroupMemberKeys(@Arg('input', () => GroupMemberKeysInput, { description: 'Group, members, key copies.' }) input: GroupMemberKeysInput, @Ctx() ctx: Context) {
    return payload(async () => ({ group: Group.from(await setGroupMemberKeys(ctx, requireId(input.groupId, 'Group'), memberKeys(input), false)) }));
  }

  @Mutation(() => GroupPayload, { description: 'Renews the group’s keys: the old set is kept for old messages, the group shows the new one (group admins and organization admins).' })
  renewGroupKeys(@Arg('input', () => RenewGroupKeysInput, { description: 'The new keys and their copies.' }) input: RenewGroupKeysInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const row = await renewGroupKeys(ctx, requireId(input.groupId, 'Group'), { ...input, messageKeys: copiesOf(input.messageKeys), transaction: input.transaction ?? null });
      return { group: Group.from(row) };
    });
  }

  @Mutation(() => GroupPayload, { description: 'Starts the group’s sigchain with its first two transactions, once (group admins and organization admins).' })
  initGroupSigchain(@Arg('input', () => InitGroupSigchainInput, { description: 'The transactions.' }) input: InitGroupSigchainInput, @Ctx() ctx: Context) {
    return payload(async () => ({ group: Group.from(await initGroupSigchain(ctx, requireId(input.groupId, 'Group'), input)) }));
  }
}
