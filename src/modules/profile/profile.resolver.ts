// Thin resolvers of the labelled collections: a user's addresses, bank accounts and wallet
// addresses (fields of User), and the add / update / remove / send-validation mutations of every
// labelled collection. Rules live in profile.service.ts.
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { toGlobalId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { User, UserReads } from '../users/user.type.js';
import {
  AddLabelledEntryInput,
  CreateUserWithEntriesInput,
  ContactValidationPayload,
  LabelledEntryPayload,
  LabelledEntryRefInput,
  RemoveLabelledEntryInput,
  UpdateLabelledEntryInput,
} from './profile.inputs.js';
import { addLabelledEntry, createUserWithEntries, profileEntriesOf, removeLabelledEntry, sendLabelledValidation, updateLabelledEntry } from './profile.service.js';
import { Address, BankAccount, DigitalAssetAddress } from './profile.type.js';

@Resolver(() => User)
export class ProfileUserResolver {
  @UserReads('id')
  @FieldResolver(() => [Address], { description: 'Postal addresses, oldest first. Empty unless you are the user or an instance admin.' })
  async addresses(@Root() user: User, @Ctx() ctx: Context): Promise<Address[]> {
    return (await profileEntriesOf(ctx, user.uuid, 'address')).map(Address.from);
  }

  @UserReads('id')
  @FieldResolver(() => [BankAccount], { description: 'Bank accounts, oldest first. Empty unless you are the user or an instance admin.' })
  async bankAccounts(@Root() user: User, @Ctx() ctx: Context): Promise<BankAccount[]> {
    return (await profileEntriesOf(ctx, user.uuid, 'bank_account')).map(BankAccount.from);
  }

  @UserReads('id')
  @FieldResolver(() => [DigitalAssetAddress], { description: 'Digital-wallet addresses, oldest first. Empty unless you are the user or an instance admin.' })
  async digitalWallet(@Root() user: User, @Ctx() ctx: Context): Promise<DigitalAssetAddress[]> {
    return (await profileEntriesOf(ctx, user.uuid, 'digital_wallet')).map(DigitalAssetAddress.from);
  }
}

@Resolver()
export class ProfileMutationsResolver {
  @Mutation(() => LabelledEntryPayload, { description: 'Adds a labelled entry (email, phone, public key, address, bank account, wallet address) to a user: yourself, or anyone for instance admins.' })
  addLabelledEntry(@Arg('input', () => AddLabelledEntryInput, { description: 'User, collection, label and value.' }) input: AddLabelledEntryInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await addLabelledEntry(ctx, input), ctx.principal), label: input.label }));
  }

  @Mutation(() => LabelledEntryPayload, { description: 'Creates a user with their labelled entries (instance admins): all of it, or nothing.' })
  createUserWithEntries(@Arg('input', () => CreateUserWithEntriesInput, { description: 'The user and their entries.' }) input: CreateUserWithEntriesInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await createUserWithEntries(ctx, input), ctx.principal), label: null }));
  }

  @Mutation(() => LabelledEntryPayload, { description: 'Renames a labelled entry and/or changes its value.' })
  updateLabelledEntry(@Arg('input', () => UpdateLabelledEntryInput, { description: 'The entry and the change.' }) input: UpdateLabelledEntryInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const r = await updateLabelledEntry(ctx, input);
      return { user: User.from(r.user, ctx.principal), label: r.label };
    });
  }

  @Mutation(() => LabelledEntryPayload, { description: 'Removes a labelled entry (the last email address stays; the last validated phone number stays unless `force` and TOTP is enabled).' })
  removeLabelledEntry(@Arg('input', () => RemoveLabelledEntryInput, { description: 'The entry.' }) input: RemoveLabelledEntryInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await removeLabelledEntry(ctx, input), ctx.principal), label: null }));
  }

  @Mutation(() => ContactValidationPayload, { description: 'Sends a labelled email address or phone number a fresh validation code (through the outbox); answers the key to validate it with.' })
  sendLabelledValidation(@Arg('input', () => LabelledEntryRefInput, { description: 'The email address or phone number.' }) input: LabelledEntryRefInput, @Ctx() ctx: Context) {
    return payload(async () => ({ validationKey: toGlobalId('Contact', (await sendLabelledValidation(ctx, input)).id) }));
  }
}
