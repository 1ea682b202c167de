// Thin resolvers of TOTP second factors: the caller's own factor (mutations) and User.twoFactor.
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { payload } from '../../core/graphql/payload.js';
import { confirmTwoFactor, removeTwoFactor, resetRecoveryCodes, setUpTwoFactor, twoFactorStatus } from './totp.service.js';
import { RemoveTwoFactorPayload, SetUpTwoFactorPayload, TwoFactorCodeInput, TwoFactorRecoveryCodesPayload, TwoFactorStatus } from './totp.type.js';
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
