// Thin resolvers for a team's recovery material: Organization pages, Query lookups of the
// caller's team, Message.availableAdminKeys, LostAccount.missingMessageKeys and the mutations.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { idOfType, requireId, toGlobalId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { DomainError } from '../../core/errors.js';
import { checkPage } from '../dashboard/dashboard.resolver.js';
import { TeamPageArgs } from '../dashboard/dashboard.type.js';
import { Message } from '../messages/message.type.js';
import { Organization } from '../organizations/organization.type.js';
import { LOST_ACCOUNT_STATES } from './lost-account.states.js';
import {
  adminKeyStatsOf,
  availableAdminKeys,
  cancelLostAccount,
  createAdminKey,
  createBackupKey,
  createLostAccount,
  findRecoverableMessageKey,
  findTeamBackupKey,
  lostAccountAddMissingKeys,
  lostAccountCreateDevice,
  lostAccountMissingKeys,
  lostAccountValidateSigchain,
  notifyMissingAdminKeyCopies,
  renewBackupKey,
  teamAdminKey,
  teamAdminKeys,
  teamLostAccount,
  teamLostAccounts,
} from './recovery.service.js';
import {
  AdminKey,
  AdminKeyIdInput,
  AdminKeyPage,
  AdminKeyPayload,
  BackupKey,
  BackupKeyPayload,
  CreateAdminKeyInput,
  CreateBackupKeyInput,
  CreateLostAccountInput,
  LostAccount,
  LostAccountAddMissingKeysInput,
  LostAccountCreateDeviceInput,
  LostAccountIdInput,
  LostAccountMissingKeys,
  LostAccountPage,
  LostAccountsArgs,
  LostAccountPayload,
  LostAccountValidateSigchainInput,
  MessageRecoverableKey,
  RenewBackupKeyInput,
} from './recovery.type.js';
import { User } from '../users/user.type.js';
import { userById } from '../users/user.service.js';

/** The uuid inside a global ID of `type`; '' (which no row has) when it is not one. */
const uuidOr = (id: string, type: string) => idOfType(id, type) ?? '';

@Resolver(() => Organization)
export class OrganizationRecoveryResolver {
  @FieldResolver(() => AdminKeyPage, { description: 'The backup admin keys of this organization as a team, newest first (its admins; empty for others).' })
  async teamAdminKeys(@Root() org: Organization, @Args(() => TeamPageArgs) args: TeamPageArgs, @Ctx() ctx: Context): Promise<AdminKeyPage> {
    checkPage(args);
    const r = await teamAdminKeys(ctx, org.uuid, args.first, args.offset);
    return { nodes: r.rows.map(AdminKey.from), get totalCount() { return r.count() as unknown as number; } };
  }

  @FieldResolver(() => LostAccountPage, { description: 'The lost-account recoveries of this organization as a team, newest first (its admins; empty for others).' })
  async teamLostAccounts(@Root() org: Organization, @Args(() => LostAccountsArgs) args: LostAccountsArgs, @Ctx() ctx: Context): Promise<LostAccountPage> {
    checkPage(args);
    if (args.states && (args.states.length > LOST_ACCOUNT_STATES.length || args.states.some((s) => !LOST_ACCOUNT_STATES.includes(s)))) {
      throw new DomainError('BAD_USER_INPUT', 'states must be among 0 to 6');
    }
    const r = await teamLostAccounts(ctx, org.uuid, args.states ?? null, args.first, args.offset);
    return { nodes: r.rows.map(LostAccount.from), get totalCount() { return r.count() as unknown as number; } };
  }
}

@Resolver(() => AdminKey)
export class AdminKeyResolver {
  @Query(() => AdminKey, { nullable: true, description: 'An admin key of the team your credential administers; null when missing or another team’s.' })
  async teamAdminKey(@Arg('id', () => ID, { description: 'Global ID.' }) id: string, @Ctx() ctx: Context): Promise<AdminKey | null> {
    const row = await teamAdminKey(ctx, uuidOr(id, 'AdminKey'));
    return row ? AdminKey.from(row) : null;
  }

  @FieldResolver(() => String, { description: '"backed-up/members": how many of the team’s direct members stored a backup key for it.' })
  stats(@Root() k: AdminKey, @Ctx() ctx: Context): Promise<string> {
    return adminKeyStatsOf(ctx, k.row);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who created it.' })
  async createdBy(@Root() k: AdminKey, @Ctx() ctx: Context): Promise<User | null> {
    const row = k.row.createdById ? await userById(ctx, k.row.createdById) : null;
    return row ? User.from(row, ctx.principal) : null;
  }

  @Mutation(() => AdminKeyPayload, { description: 'Creates a backup admin key of your team (team admins).' })
  createAdminKey(@Arg('input', () => CreateAdminKeyInput, { description: 'Name and keys.' }) input: CreateAdminKeyInput, @Ctx() ctx: Context): Promise<AdminKeyPayload> {
    return payload(async () => ({ adminKey: AdminKey.from(await createAdminKey(ctx, input)) }));
  }

  @Mutation(() => AdminKeyPayload, { description: 'Mails (outbox) every member of your team without a backup key for the admin key.' })
  notifyMissingAdminKeyCopies(@Arg('input', () => AdminKeyIdInput, { description: 'The admin key.' }) input: AdminKeyIdInput, @Ctx() ctx: Context): Promise<AdminKeyPayload> {
    return payload(async () => {
      const r = await notifyMissingAdminKeyCopies(ctx, uuidOr(input.adminKeyId, 'AdminKey'));
      return { adminKey: AdminKey.from(r.adminKey), notifiedCount: r.notified };
    });
  }
}

@Resolver(() => BackupKey)
export class BackupKeyResolver {
  @Query(() => BackupKey, { nullable: true, description: 'The backup key of a user of your team for one of its admin keys; null when none.' })
  async teamBackupKey(
    @Arg('adminKeyId', () => ID, { description: 'Global ID of the admin key.' }) adminKeyId: string,
    @Arg('userId', () => ID, { description: 'Global ID of the user.' }) userId: string,
    @Ctx() ctx: Context,
  ): Promise<BackupKey | null> {
    const a = idOfType(adminKeyId, 'AdminKey');
    const u = idOfType(userId, 'User');
    const row = a && u ? await findTeamBackupKey(ctx, a, u) : null;
    return row ? BackupKey.from(row) : null;
  }

  @Query(() => MessageRecoverableKey, { description: 'What an admin key recovers of a message of your team for a user (NOT_FOUND when nothing).' })
  async teamRecoverableMessageKey(
    @Arg('messageId', () => ID, { description: 'Global ID of the message.' }) messageId: string,
    @Arg('userId', () => ID, { description: 'Global ID of the user.' }) userId: string,
    @Arg('adminKeyId', () => ID, { description: 'Global ID of the admin key.' }) adminKeyId: string,
    @Ctx() ctx: Context,
  ): Promise<MessageRecoverableKey> {
    const r = await findRecoverableMessageKey(ctx, requireId(messageId, 'Message'), requireId(userId, 'User'), requireId(adminKeyId, 'AdminKey', 'Admin key'));
    return { token: r.key.encryptedKey, createdForKey: toGlobalId('Device', r.key.deviceId), backupKey: BackupKey.from(r.backup) };
  }

  @Mutation(() => BackupKeyPayload, { description: 'Stores a user’s keys encrypted for an admin key of their team (the user themself, or the team’s admins).' })
  createBackupKey(@Arg('input', () => CreateBackupKeyInput, { description: 'Team, admin key, user and backup.' }) input: CreateBackupKeyInput, @Ctx() ctx: Context): Promise<BackupKeyPayload> {
    return payload(async () => {
      const row = await createBackupKey(ctx, {
        organizationId: requireId(input.organizationId, 'Organization'),
        adminKeyId: uuidOr(input.adminKeyId, 'AdminKey'),
        userId: input.userId != null ? requireId(input.userId, 'User') : null,
        deviceId: input.deviceId != null ? uuidOr(input.deviceId, 'Device') : null,
        encryptedBackupKey: input.encryptedBackupKey,
      });
      return { backupKey: BackupKey.from(row) };
    });
  }

  @Mutation(() => BackupKeyPayload, { description: 'Replaces a backup key of your team (team admins).' })
  renewBackupKey(@Arg('input', () => RenewBackupKeyInput, { description: 'The backup key and its new version.' }) input: RenewBackupKeyInput, @Ctx() ctx: Context): Promise<BackupKeyPayload> {
    return payload(async () => ({ backupKey: BackupKey.from(await renewBackupKey(ctx, { ...input, id: uuidOr(input.backupKeyId, 'BackupKey') })) }));
  }
}

@Resolver(() => Message)
export class MessageRecoveryResolver {
  @FieldResolver(() => [AdminKey], { description: 'Admin keys of the message’s team under which its owner or a live recipient has a backup key (its admins; empty for others).' })
  async availableAdminKeys(@Root() m: Message, @Ctx() ctx: Context): Promise<AdminKey[]> {
    return (await availableAdminKeys(ctx, m.row)).map(AdminKey.from);
  }
}

@Resolver(() => LostAccount)
export class LostAccountResolver {
  @Query(() => LostAccount, { nullable: true, description: 'A lost account of the team your credential administers; null when missing or another team’s.' })
  async teamLostAccount(@Arg('id', () => ID, { description: 'Global ID.' }) id: string, @Ctx() ctx: Context): Promise<LostAccount | null> {
    const row = await teamLostAccount(ctx, uuidOr(id, 'LostAccount'));
    return row ? LostAccount.from(row) : null;
  }

  @FieldResolver(() => LostAccountMissingKeys, { description: 'Message keys the new device lacks (states 2 and 3; PRECONDITION_FAILED otherwise).' })
  async missingMessageKeys(@Root() a: LostAccount, @Ctx() ctx: Context): Promise<LostAccountMissingKeys> {
    const r = await lostAccountMissingKeys(ctx, a.row);
    return {
      hasMore: r.hasMore,
      items: r.items.map((i) => ({ messageId: toGlobalId('Message', i.messageId), token: i.token, createdForKey: i.createdForKey ? toGlobalId('Device', i.createdForKey) : null })),
    };
  }

  @Mutation(() => LostAccountPayload, { description: 'Opens the recovery of a member of your team who lost every device (team admins); an open one of the same user is superseded.' })
  createLostAccount(@Arg('input', () => CreateLostAccountInput, { description: 'User and new keys.' }) input: CreateLostAccountInput, @Ctx() ctx: Context): Promise<LostAccountPayload> {
    return payload(async () => ({ lostAccount: LostAccount.from(await createLostAccount(ctx, { ...input, userId: requireId(input.userId, 'User') })) }));
  }

  @Mutation(() => LostAccountPayload, { description: 'Lost account 0 → 1: registers the new device.' })
  lostAccountCreateDevice(@Arg('input', () => LostAccountCreateDeviceInput, { description: 'Lost account and device name.' }) input: LostAccountCreateDeviceInput, @Ctx() ctx: Context): Promise<LostAccountPayload> {
    return payload(async () => ({ lostAccount: LostAccount.from(await lostAccountCreateDevice(ctx, uuidOr(input.lostAccountId, 'LostAccount'), input.deviceName)) }));
  }

  @Mutation(() => LostAccountPayload, { description: 'Lost account 1 → 2: appends the transaction adding the new device to the user’s sigchain.' })
  lostAccountValidateSigchain(
    @Arg('input', () => LostAccountValidateSigchainInput, { description: 'Lost account and transaction.' }) input: LostAccountValidateSigchainInput,
    @Ctx() ctx: Context,
  ): Promise<LostAccountPayload> {
    return payload(async () => ({ lostAccount: LostAccount.from(await lostAccountValidateSigchain(ctx, uuidOr(input.lostAccountId, 'LostAccount'), input.sigchainTransaction, input.force)) }));
  }

  @Mutation(() => LostAccountPayload, { description: 'Lost account 2|3 → 3|4: stores message keys the new device lacked.' })
  lostAccountAddMissingKeys(
    @Arg('input', () => LostAccountAddMissingKeysInput, { description: 'Lost account and keys.' }) input: LostAccountAddMissingKeysInput,
    @Ctx() ctx: Context,
  ): Promise<LostAccountPayload> {
    return payload(async () => ({
      lostAccount: LostAccount.from(
        await lostAccountAddMissingKeys(
          ctx,
          uuidOr(input.lostAccountId, 'LostAccount'),
          input.keys.map((k) => ({ ...k, messageId: uuidOr(k.messageId, 'Message') })),
        ),
      ),
    }));
  }

  @Mutation(() => LostAccountPayload, { description: 'Lost account 0–3 → 5: cancels the recovery (its device is revoked).' })
  cancelLostAccount(@Arg('input', () => LostAccountIdInput, { description: 'The lost account.' }) input: LostAccountIdInput, @Ctx() ctx: Context): Promise<LostAccountPayload> {
    return payload(async () => ({ lostAccount: LostAccount.from(await cancelLostAccount(ctx, uuidOr(input.lostAccountId, 'LostAccount'))) }));
  }
}
