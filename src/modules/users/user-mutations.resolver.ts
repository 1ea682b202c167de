// Thin mutation resolvers of the users module: global ids in, one service call, payload out.
// Expected failures become userErrors (payload()); not-found and forbidden stay top-level.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { idOfType, optionalId, requireId, toGlobalId } from '../../core/graphql/node.js';
import { DomainError, notFound } from '../../core/errors.js';
import type { GroupRefs } from '../groups/group.service.js';
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
  SetAnalystConsentInput,
  UnlinkIdentityInput,
  UpdateUserInput,
  UserIdInput,
  UserPayload,
  ValidateContactInput,
} from './user.inputs.js';
import { setAnalystConsent } from './consent.service.js';
import { addContact, removeContact, setPrimaryContact, validateContact } from './contact.service.js';
import { revokeDevice } from './device.service.js';
import { unlinkIdentity } from './identity.service.js';
import { addPublicKey, removePublicKey } from './key.service.js';
import { createUser, deleteUserService, resolveRef, setBlocked, updateUserService } from './user.service.js';
import { requireSignedIn } from './user.writes.js';
import { Contact, Device, PublicKey, User } from './user.type.js';

const contactPayload = (ctx: Context, r: { contact: Parameters<typeof Contact.from>[0]; user: Parameters<typeof User.from>[0] }) => ({
  contact: Contact.from(r.contact),
  user: User.from(r.user, ctx.principal),
});

// Inputs name their object by global id or, for the REST dialects, by integer id (databaseId).
const userRef = (ctx: Context, ref: { id?: string | null; databaseId?: number | null; username?: string | null }) => resolveRef(ctx, 'User', ref, 'User', (id) => requireId(id, 'User'));
const contactRef = (ctx: Context, ref: { id?: string | null; databaseId?: number | null }, what: string) =>
  resolveRef(ctx, 'Contact', ref, what, (id) => requireId(id, 'Contact', what));
const keyRef = (ctx: Context, ref: { id?: string | null; databaseId?: number | null }) =>
  resolveRef(ctx, 'PublicKey', ref, 'Public key', (id) => requireId(id, 'PublicKey', 'Public key'));
type OwnerRef = { userId?: string | null; userDatabaseId?: number | null };
/** NOT_FOUND unless the object belongs to the user the input names (when it names one). */
async function checkOwner(ctx: Context, ownerUuid: string | undefined, input: OwnerRef, what: string): Promise<void> {
  if (!ownerUuid || (input.userId == null && input.userDatabaseId == null)) return;
  if (input.userId != null && idOfType(input.userId, 'User') !== ownerUuid) throw notFound(`${what} not found`);
  if (input.userDatabaseId != null && (await ctx.loaders.userById.load(ownerUuid))?.databaseId !== input.userDatabaseId) throw notFound(`User not found`);
}
const ownContactRef = async (ctx: Context, input: ContactIdInput, what: string) => {
  const id = await contactRef(ctx, input, what);
  await checkOwner(ctx, (await ctx.loaders.contactById.load(id))?.userId, input, what);
  return id;
};
const ownKeyRef = async (ctx: Context, input: PublicKeyIdInput) => {
  const id = await keyRef(ctx, input);
  await checkOwner(ctx, (await ctx.loaders.publicKeyById.load(id))?.userId, input, 'Public key');
  return id;
};
/** An optional owner: the global id, the integer id, or neither (yourself). */
const optionalUserRef = (ctx: Context, userId: string | null | undefined, userDatabaseId: number | null | undefined) =>
  userId == null && userDatabaseId == null ? Promise.resolve(userId) : userRef(ctx, { id: userId, databaseId: userDatabaseId });

/** Group memberships to set: by global ids or by integer ids, not both. */
function groupRefs(input: { groupIds?: string[] | null; groupDatabaseIds?: number[] | null }): GroupRefs | null {
  if (input.groupIds != null && input.groupDatabaseIds != null) throw new DomainError('BAD_USER_INPUT', 'Give groupIds or groupDatabaseIds, not both', 'groupIds');
  if (input.groupIds != null) return { ids: input.groupIds.map((id) => requireId(id, 'Group')) };
  return input.groupDatabaseIds != null ? { databaseIds: input.groupDatabaseIds } : null;
}

@Resolver()
export class UserMutationsResolver {
  @Mutation(() => UserPayload, { description: 'Creates an account (instance admins).' })
  createUser(@Arg('input', () => CreateUserInput, { description: 'The new account.' }) input: CreateUserInput, @Ctx() ctx: Context) {
    return payload(async () => ({
      user: User.from(await createUser(ctx, { ...input, organizationId: optionalId(input.organizationId, 'Organization'), groups: groupRefs(input) }), ctx.principal),
    }));
  }

  @Mutation(() => UserPayload, { description: 'Changes a profile (the user or instance admins); admin flag and limits only by instance admins.' })
  updateUser(@Arg('input', () => UpdateUserInput, { description: 'What to change.' }) input: UpdateUserInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await updateUserService(ctx, { ...input, id: await userRef(ctx, { id: input.id, databaseId: input.databaseId, username: input.byUsername }), groups: groupRefs(input) }), ctx.principal) }));
  }


  @Mutation(() => UserPayload, { description: 'Unlinks the user’s account at an external provider (the user, or instance admins); no link is no change.' })
  unlinkIdentity(@Arg('input', () => UnlinkIdentityInput, { description: 'User and provider.' }) input: UnlinkIdentityInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await unlinkIdentity(ctx, await userRef(ctx, { username: input.username }), input.provider), ctx.principal) }));
  }

  @Mutation(() => UserPayload, { description: 'Gives or withdraws your consent to act as an analyst (instance admins: anyone’s).' })
  setAnalystConsent(@Arg('input', () => SetAnalystConsentInput, { description: 'Whose consent, and whether it is given.' }) input: SetAnalystConsentInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await setAnalystConsent(ctx, optionalId(input.userId, 'User'), input.consentGiven), ctx.principal) }));
  }

  @Mutation(() => DeleteUserPayload, { description: 'Deletes an account and everything it owns (instance admins; not yourself, not an organization’s only owner).' })
  deleteUser(@Arg('input', () => UserIdInput, { description: 'The user.' }) input: UserIdInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const id = await userRef(ctx, input);
      const row = await deleteUserService(ctx, id);
      return { deletedId: toGlobalId('User', id), user: User.from(row, ctx.principal) };
    });
  }

  @Mutation(() => UserPayload, { description: 'Blocks an account: it cannot sign in and its tokens stop working (instance admins).' })
  blockUser(@Arg('input', () => UserIdInput, { description: 'The user.' }) input: UserIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await setBlocked(ctx, await userRef(ctx, input), true), ctx.principal) }));
  }

  @Mutation(() => UserPayload, { description: 'Unblocks a blocked account (instance admins).' })
  unblockUser(@Arg('input', () => UserIdInput, { description: 'The user.' }) input: UserIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ user: User.from(await setBlocked(ctx, await userRef(ctx, input), false), ctx.principal) }));
  }

  @Mutation(() => ContactPayload, { description: 'Adds an email address (yours, or anyone’s for instance admins) and sends it a validation code.' })
  addEmail(@Arg('input', () => AddEmailInput, { description: 'User and address.' }) input: AddEmailInput, @Ctx() ctx: Context) {
    return payload(async () =>
      contactPayload(ctx, await addContact(ctx, { userId: await optionalUserRef(ctx, input.userId, input.userDatabaseId), type: 'email', value: input.email, label: input.label })),
    );
  }

  @Mutation(() => RemoveContactPayload, { description: 'Removes an email address. The primary one goes only when it is the last one.' })
  removeEmail(@Arg('input', () => ContactIdInput, { description: 'The email.' }) input: ContactIdInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const id = await ownContactRef(ctx, input, 'Email');
      return { deletedId: toGlobalId('Contact', id), user: User.from(await removeContact(ctx, id, 'email'), ctx.principal) };
    });
  }

  @Mutation(() => ContactPayload, { description: 'Validates an email address with the code sent to it (instance admins may omit the code).' })
  validateEmail(@Arg('input', () => ValidateContactInput, { description: 'The email and its code.' }) input: ValidateContactInput, @Ctx() ctx: Context) {
    return payload(async () => contactPayload(ctx, await validateContact(ctx, requireId(input.id, 'Contact', 'Email'), 'email', input.code)));
  }

  @Mutation(() => ContactPayload, { description: 'Adds a phone number (yours, or anyone’s for instance admins) and sends it a validation code by SMS.' })
  addPhone(@Arg('input', () => AddPhoneInput, { description: 'User and number.' }) input: AddPhoneInput, @Ctx() ctx: Context) {
    return payload(async () =>
      contactPayload(ctx, await addContact(ctx, { userId: optionalId(input.userId, 'User'), type: 'phone', value: input.phone, label: input.label })),
    );
  }

  @Mutation(() => RemoveContactPayload, { description: 'Removes a phone number. The primary one goes only when it is the last one.' })
  removePhone(@Arg('input', () => ContactIdInput, { description: 'The phone number.' }) input: ContactIdInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const id = await ownContactRef(ctx, input, 'Phone number');
      return { deletedId: toGlobalId('Contact', id), user: User.from(await removeContact(ctx, id, 'phone'), ctx.principal) };
    });
  }

  @Mutation(() => ContactPayload, { description: 'Validates a phone number with the code sent to it (instance admins may omit the code).' })
  validatePhone(@Arg('input', () => ValidateContactInput, { description: 'The phone number and its code.' }) input: ValidateContactInput, @Ctx() ctx: Context) {
    return payload(async () => contactPayload(ctx, await validateContact(ctx, requireId(input.id, 'Contact', 'Phone number'), 'phone', input.code)));
  }

  @Mutation(() => ContactPayload, { description: 'Makes a validated contact the primary one of its type (the previous primary stays, as non-primary).' })
  setPrimaryContact(@Arg('input', () => ContactIdInput, { description: 'The contact.' }) input: ContactIdInput, @Ctx() ctx: Context) {
    return payload(async () => contactPayload(ctx, await setPrimaryContact(ctx, await ownContactRef(ctx, input, 'Contact'))));
  }

  @Mutation(() => PublicKeyPayload, { description: 'Adds a public key (yours, or anyone’s for instance admins). SSH fingerprints are unique system-wide.' })
  addPublicKey(@Arg('input', () => AddPublicKeyInput, { description: 'User, kind, label and key.' }) input: AddPublicKeyInput, @Ctx() ctx: Context) {
    return payload(async () => ({ publicKey: PublicKey.from(await addPublicKey(ctx, { ...input, userId: await optionalUserRef(ctx, input.userId, input.userDatabaseId) })) }));
  }

  @Mutation(() => RemovePublicKeyPayload, { description: 'Removes a public key (its owner or instance admins).' })
  removePublicKey(@Arg('input', () => PublicKeyIdInput, { description: 'The key.' }) input: PublicKeyIdInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const id = await ownKeyRef(ctx, input);
      await removePublicKey(ctx, id);
      return { deletedId: toGlobalId('PublicKey', id) };
    });
  }

  @Mutation(() => DevicePayload, { description: 'Revokes a device (its owner or instance admins); its keys stop being trusted.' })
  revokeDevice(@Arg('input', () => DeviceIdInput, { description: 'The device.' }) input: DeviceIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ device: Device.from(await revokeDevice(ctx, requireId(input.id, 'Device'))) }));
  }
}
