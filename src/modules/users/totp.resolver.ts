// Thin resolvers of TOTP second factors: the caller's own factor (mutations) and User.twoFactor.
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { payload } from '../../core/graphql/payload.js';
import {
  confirmTwoFactor,
  enableTwoFactorWithSecret,
  newTwoFactorSecret,
  removeTwoFactor,
  removeTwoFactorOf,
  resetRecoveryCodes,
  setUpTwoFactor,
  twoFactorStatus,
  twoFactorUserId,
} from './totp.service.js';
import {
  EnableTwoFactorWithSecretInput,
  RemoveTwoFactorPayload,
  SetUpTwoFactorPayload,
  TwoFactorCodeInput,
  TwoFactorRecoveryCodesPayload,
  TwoFactorSecret,
  TwoFactorStatus,
  UserTwoFactorInput,
} from './totp.type.js';
import { User, UserReads } from './user.type.js';
import { requireSignedIn } from './user.writes.js';

@Resolver()
export class TwoFactorResolver {
  @Mutation(() => SetUpTwoFactorPayload, { description: 'Starts setting up TOTP for yourself: a new secret, pending until confirmTwoFactor.' })
  setUpTwoFactor(@Ctx() ctx: Context): Promise<SetUpTwoFactorPayload> {
    return payload(() => setUpTwoFactor(ctx));
  }

  @Mutation(() => TwoFactorRecoveryCodesPayload, { description: 'Enables your pending TOTP with a valid code; returns recovery codes once.' })
  confirmTwoFactor(@Arg('input', () => TwoFactorCodeInput, { description: 'A code of the new secret.' }) input: TwoFactorCodeInput, @Ctx() ctx: Context): Promise<TwoFactorRecoveryCodesPayload> {
    return payload(async () => ({ recoveryCodes: await confirmTwoFactor(ctx, input.otp) }));
  }

  @Mutation(() => RemoveTwoFactorPayload, { description: 'Removes your TOTP, given a valid code or an unused recovery code.' })
  removeTwoFactor(@Arg('input', () => TwoFactorCodeInput, { description: 'A code or a recovery code.' }) input: TwoFactorCodeInput, @Ctx() ctx: Context): Promise<RemoveTwoFactorPayload> {
    return payload(async () => {
      await removeTwoFactor(ctx, input.otp);
      return { twoFactor: await twoFactorStatus(ctx.db, requireSignedIn(ctx)) };
    });
  }

  @Query(() => TwoFactorSecret, { description: 'A fresh TOTP secret and issuer for setting TOTP up from your own client (not stored; enable it with enableTwoFactorWithSecret).' })
  newTwoFactorSecret(@Ctx() ctx: Context): TwoFactorSecret {
    return newTwoFactorSecret(ctx);
  }

  @Mutation(() => TwoFactorRecoveryCodesPayload, {
    description: 'Enables TOTP for a user (yourself, or anyone for instance admins) from a secret the client chose and a valid code of it, replacing any factor; returns recovery codes once.',
  })
  enableTwoFactorWithSecret(@Arg('input', () => EnableTwoFactorWithSecretInput, { description: 'The user, the secret and a code.' }) input: EnableTwoFactorWithSecretInput, @Ctx() ctx: Context): Promise<TwoFactorRecoveryCodesPayload> {
    return payload(async () => ({ recoveryCodes: await enableTwoFactorWithSecret(ctx, await twoFactorUserId(ctx, input.username), input.secret, input.otp) }));
  }

  @Mutation(() => RemoveTwoFactorPayload, {
    description: 'Removes a user’s TOTP without a code (yourself, or anyone for instance admins); CONFLICT when it is their last second factor (no validated phone number).',
  })
  removeTwoFactorOf(@Arg('input', () => UserTwoFactorInput, { description: 'The user.' }) input: UserTwoFactorInput, @Ctx() ctx: Context): Promise<RemoveTwoFactorPayload> {
    return payload(async () => {
      const userId = await twoFactorUserId(ctx, input.username);
      await removeTwoFactorOf(ctx, userId);
      return { twoFactor: await twoFactorStatus(ctx.db, userId) };
    });
  }

  @Mutation(() => TwoFactorRecoveryCodesPayload, { description: 'Replaces your recovery codes (the old ones stop working), given a valid code; returns them once.' })
  resetTwoFactorRecoveryCodes(@Arg('input', () => TwoFactorCodeInput, { description: 'A code.' }) input: TwoFactorCodeInput, @Ctx() ctx: Context): Promise<TwoFactorRecoveryCodesPayload> {
    return payload(async () => ({ recoveryCodes: await resetRecoveryCodes(ctx, input.otp) }));
  }
}

@Resolver(() => User)
export class UserTwoFactorResolver {
  @UserReads('id')
  @FieldResolver(() => TwoFactorStatus, { nullable: true, description: 'The user’s second factor (the user and instance admins; null for others).' })
  async twoFactor(@Root() user: User, @Ctx() ctx: Context): Promise<TwoFactorStatus | null> {
    return ctx.authz.isSelfOrAdmin(user.uuid) ? twoFactorStatus(ctx.db, user.uuid) : null;
  }
}
