// GraphQL types of TOTP second factors (totp.service.ts).
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow } from '../../core/read/reads.js';

@ReadsNoRow()
@ObjectType({ description: 'Whether a user signs in with a second factor (TOTP).' })
export class TwoFactorStatus {
  @Field({ description: 'Sign-in asks for a code (`otp`).' })
  enabled!: boolean;

  @Field({ description: 'Set up but not confirmed yet: sign-in does not ask for a code.' })
  pending!: boolean;

  @Field(() => Int, { description: 'Unused recovery codes left.' })
  recoveryCodesLeft!: number;
}

@InputType({ description: 'A code proving the second factor.' })
export class TwoFactorCodeInput {
  @Field({ description: 'The 6-digit code of the authenticator app (for removal, a recovery code also works).' })
  otp!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'A new TOTP secret, pending until confirmed with a code.' })
export class SetUpTwoFactorPayload {
  @Field(() => String, { nullable: true, description: 'The base32 secret, shown this once.' })
  secret?: string | null;

  @Field(() => String, { nullable: true, description: 'The `otpauth://totp/…` URI of the secret (for a QR code).' })
  uri?: string | null;

  @Field(() => [UserError], { description: 'Why set-up failed (PRECONDITION_FAILED: already enabled).' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'Recovery codes, shown this once; each works once.' })
export class TwoFactorRecoveryCodesPayload {
  @Field(() => [String], { nullable: true, description: 'Single-use recovery codes.' })
  recoveryCodes?: string[] | null;

  @Field(() => [UserError], { description: 'Why it failed (VALIDATION_FAILED on `otp`: a wrong or reused code).' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of removing the second factor.' })
export class RemoveTwoFactorPayload {
  @Field(() => TwoFactorStatus, { nullable: true, description: 'The status now (disabled).' })
  twoFactor?: TwoFactorStatus | null;

  @Field(() => [UserError], { description: 'Why removal failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'A fresh TOTP secret for a client that sets TOTP up itself; not stored until enableTwoFactorWithSecret.' })
export class TwoFactorSecret {
  @Field({ description: 'A random base32 secret (160 bits).' })
  secret!: string;

  @Field({ description: 'The issuer authenticator apps show next to the account.' })
  issuer!: string;
}

@InputType({ description: 'Enables TOTP for a user from a secret the client chose, proven by a code of it.' })
export class EnableTwoFactorWithSecretInput {
  @Field({ description: 'Whose factor (username): yourself, or anyone for instance admins.' })
  username!: string;

  @Field({ description: 'The base32 secret (16 to 128 characters; case and `=` padding ignored).' })
  secret!: string;

  @Field({ description: 'A 6-digit code computed from the secret now.' })
  otp!: string;
}

@InputType({ description: 'Whose TOTP factor.' })
export class UserTwoFactorInput {
  @Field({ description: 'The username: yourself, or anyone for instance admins.' })
  username!: string;
}
