// Thin mutation resolvers of the users module: global ids in, one service call, payload out.
// Expected failures become userErrors (payload()); not-found and forbidden stay top-level.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { optionalId, requireId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import {
  AddEmailInput,
  AddPhoneInput,
  AddPublicKeyInput,
  ContactIdInput,
  ContactPayload,
  CreateUserInput,
  DeleteUserPayload,
  DeviceIdInput,
  DevicePayload,
  PublicKeyIdInput,
  PublicKeyPayload,
  RemoveContactPayload,
  RemovePublicKeyPayload,
  UpdateUserInput,
  UserIdInput,
  UserPayload,
  ValidateContactInput,
} from './user.inputs.js';
import {
  addContact,
  addPublicKey,
  createUser,
  deleteUserService,
  removeContact,
  removePublicKey,
  revokeDevice,
  setBlocked,
  setPrimaryContact,
  updateUserService,
  validateContact,
} from './user.service.js';
import { Contact, Device, PublicKey, User } from './user.type.js';

const contactPayload = (r: { contact: Parameters<typeof Contact.from>[0]; user: Parameters<typeof User.from>[0] }) => ({
  contact: Contact.from(r.contact),
  user: User.from(r.user),
});

@Resolver()
export class UserMutationsResolver {
  @Mutation(() => UserPayload, { description: 'Creates an account (instance admins).' })
  createUser(@Arg('input', () => CreateUserInput, { description: 'The new account.' }) input: CreateUserInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await createUser(ctx, input)) }));
  }

  @Mutation(() => UserPayload, { description: 'Changes a profile (the user or instance admins); admin flag and limits only by instance admins.' })
  updateUser(@Arg('input', () => UpdateUserInput, { description: 'What to change.' }) input: UpdateUserInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await updateUserService(ctx, { ...input, id: requireId(input.id, 'User') })) }));
  }

  @Mutation(() => DeleteUserPayload, { description: 'Deletes an account and everything it owns (instance admins; not yourself, not an organization’s only owner).' })
  deleteUser(@Arg('input', () => UserIdInput, { description: 'The user.' }) input: UserIdInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await deleteUserService(ctx, requireId(input.id, 'User'));
      return { deletedId: input.id };
    });
  }

  @Mutation(() => UserPayload, { description: 'Blocks an account: it cannot sign in and its tokens stop working (instance admins).' })
  blockUser(@Arg('input', () => UserIdInput, { description: 'The user.' }) input: UserIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await setBlocked(ctx, requireId(input.id, 'User'), true)) }));
  }

  @Mutation(() => UserPayload, { description: 'Unblocks a blocked account (instance admins).' })
  unblockUser(@Arg('input', () => UserIdInput, { description: 'The user.' }) input: UserIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await setBlocked(ctx, requireId(input.id, 'User'), false)) }));
  }

  @Mutation(() => ContactPayload, { description: 'Adds an email address (yours, or anyone’s for instance admins) and sends it a validation code.' })
  addEmail(@Arg('input', () => AddEmailInput, { description: 'User and address.' }) input: AddEmailInput, @Ctx() ctx: Context) {
    return payload(async () =>
      contactPayload(await addContact(ctx, { userId: optionalId(input.userId, 'User'), type: 'email', value: input.email, label: input.label })),
    );
  }

  @Mutation(() => RemoveContactPayload, { description: 'Removes an email address. The primary one goes only when it is the last one.' })
  removeEmail(@Arg('input', () => ContactIdInput, { description: 'The email.' }) input: ContactIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ deletedId: input.id, user: User.from(await removeContact(ctx, requireId(input.id, 'Contact', 'Email'), 'email')) }));
  }

  @Mutation(() => ContactPayload, { description: 'Validates an email address with the code sent to it (instance admins may omit the code).' })
  validateEmail(@Arg('input', () => ValidateContactInput, { description: 'The email and its code.' }) input: ValidateContactInput, @Ctx() ctx: Context) {
    return payload(async () => contactPayload(await validateContact(ctx, requireId(input.id, 'Contact', 'Email'), 'email', input.code)));
  }

  @Mutation(() => ContactPayload, { description: 'Adds a phone number (yours, or anyone’s for instance admins) and sends it a validation code by SMS.' })
  addPhone(@Arg('input', () => AddPhoneInput, { description: 'User and number.' }) input: AddPhoneInput, @Ctx() ctx: Context) {
    return payload(async () =>
      contactPayload(await addContact(ctx, { userId: optionalId(input.userId, 'User'), type: 'phone', value: input.phone, label: input.label })),
    );
  }

  @Mutation(() => RemoveContactPayload, { description: 'Removes a phone number. The primary one goes only when it is the last one.' })
  removePhone(@Arg('input', () => ContactIdInput, { description: 'The phone number.' }) input: ContactIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ deletedId: input.id, user: User.from(await removeContact(ctx, requireId(input.id, 'Contact', 'Phone number'), 'phone')) }));
  }

  @Mutation(() => ContactPayload, { description: 'Validates a phone number with the code sent to it (instance admins may omit the code).' })
  validatePhone(@Arg('input', () => ValidateContactInput, { description: 'The phone number and its code.' }) input: ValidateContactInput, @Ctx() ctx: Context) {
    return payload(async () => contactPayload(await validateContact(ctx, requireId(input.id, 'Contact', 'Phone number'), 'phone', input.code)));
  }

  @Mutation(() => ContactPayload, { description: 'Makes a validated contact the primary one of its type (the previous primary stays, as non-primary).' })
  setPrimaryContact(@Arg('input', () => ContactIdInput, { description: 'The contact.' }) input: ContactIdInput, @Ctx() ctx: Context) {
    return payload(async () => contactPayload(await setPrimaryContact(ctx, requireId(input.id, 'Contact'))));
  }

  @Mutation(() => PublicKeyPayload, { description: 'Adds a public key (yours, or anyone’s for instance admins). SSH fingerprints are unique system-wide.' })
  addPublicKey(@Arg('input', () => AddPublicKeyInput, { description: 'User, kind, label and key.' }) input: AddPublicKeyInput, @Ctx() ctx: Context) {
    return payload(async () => ({ publicKey: PublicKey.from(await addPublicKey(ctx, { ...input, userId: optionalId(input.userId, 'User') })) }));
  }

  @Mutation(() => RemovePublicKeyPayload, { description: 'Removes a public key (its owner or instance admins).' })
  removePublicKey(@Arg('input', () => PublicKeyIdInput, { description: 'The key.' }) input: PublicKeyIdInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await removePublicKey(ctx, requireId(input.id, 'PublicKey', 'Public key'));
      return { deletedId: input.id };
    });
  }

  @Mutation(() => DevicePayload, { description: 'Revokes a device (its owner or instance admins); its keys stop being trusted.' })
  revokeDevice(@Arg('input', () => DeviceIdInput, { description: 'The device.' }) input: DeviceIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ device: Device.from(await revokeDevice(ctx, requireId(input.id, 'Device'))) }));
  }
}
