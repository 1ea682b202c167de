// Thin resolvers for users: the viewer, user/users lookups, and the fields that only the user
// and instance admins may see (null or empty for everyone else, as a missing value would be).
// Relations load through the per-request loaders (one statement per batch of users).
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { can } from '../../core/auth/policy.js';
import type { Context } from '../../context.js';
import { DomainError } from '../../core/errors.js';
import { mapConnection, MAX_COUNT_LIMIT, totalCountUpTo, type Connection } from '../../core/graphql/connection.js';
import { PersonalAccessToken } from '../auth/auth.types.js';
import { idOfType, optionalId } from '../../core/graphql/node.js';
import { Contact, Device, Identity, LoginHint, PublicKey, User, UserConnection, UserReads, UsersArgs } from './user.type.js';
import { contactsOf, loginHint } from './contact.service.js';
import { devicesOf } from './device.service.js';
import { identitiesOf } from './identity.service.js';
import { publicKeysOf } from './key.service.js';
import { listVisibleUsers, userByDatabaseId, userById, userByUsername, viewer } from './user.service.js';

/**
 * A bounded count for the list that grows without bound: an exact count reads every user on
 * every page (the GitLab dialect's X-Total), while counting up to a limit reads at most
 * limit + 1 of them, whatever the number of users.
 */
@Resolver(() => UserConnection)
export class UserConnectionResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: `Number of users in the whole list when it is at most \`limit\` (0 to ${MAX_COUNT_LIMIT}); null when there are more. Stops counting past the limit, so it stays cheap on long lists.`,
  })
  totalCountUpTo(@Root() c: Connection<User>, @Arg('limit', () => Int, { description: 'Count at most this many.' }) limit: number): Promise<number | null> {
    return totalCountUpTo(c, limit);
  }
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The calling user; null when the request is anonymous.' })
  async viewer(@Ctx() ctx: Context): Promise<User | null> {
    const row = await viewer(ctx);
    return row ? User.from(row, ctx.principal) : null;
  }

  @Query(() => User, { nullable: true, description: 'A user by global ID, username or integer id (give exactly one); null when missing, or when you are not signed in.' })
  async user(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true, description: 'Global ID.' }) id?: string | null,
    @Arg('username', () => String, { nullable: true, description: 'Username (case-insensitive).' }) username?: string | null,
    @Arg('databaseId', () => Int, { nullable: true, description: 'Integer id (as the REST dialects use it).' }) databaseId?: number | null,
  ): Promise<User | null> {
    if ([id, username, databaseId].filter((v) => v != null).length !== 1) throw new DomainError('BAD_USER_INPUT', 'Give exactly one of id, username and databaseId');
    const uuid = id != null ? idOfType(id, 'User') : null;
    const row =
      id != null ? (uuid ? await userById(ctx, uuid) : null) : databaseId != null ? await userByDatabaseId(ctx, databaseId) : await userByUsername(ctx, username!);
    return row ? User.from(row, ctx.principal) : null;
  }

  @Query(() => UserConnection, { description: 'Users, keyset-paginated (every user for signed-in callers; empty for anonymous ones).' })
  async users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() ctx: Context) {
    const f = args.filter;
    const c = await listVisibleUsers(
      ctx,
      args,
      { search: f?.search, username: f?.username, state: f?.state ?? null, isAdmin: f?.isAdmin, organizationId: optionalId(f?.organizationId, 'Organization'), analystConsent: f?.analystConsent },
      { field: args.orderBy?.field ?? 'username', direction: args.orderBy?.direction ?? 'asc' },
      args.offset,
    );
    return mapConnection(c, (row) => User.from(row, ctx.principal));
  }

  @Query(() => LoginHint, { description: 'Sign-in parameters for an email address (signed-in callers): a login hint, with the organization or manual entry only where you may see who holds the address (your own; instance admins: any). Other addresses get the bare hint.' })
  loginHint(@Arg('email', { description: 'The email address.' }) email: string, @Ctx() ctx: Context): Promise<LoginHint> {
    return loginHint(ctx, email);
  }

  @UserReads('analystConsent', { self: true })
  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Whether the user consents to act as an analyst. Consent given is visible to every signed-in caller (that is what it is for); its absence only to the user and instance admins (null for others).',
  })
  analystConsent(@Root() user: User, @Ctx() ctx: Context): boolean | null {
    if (user.row.analystConsent) return ctx.principal.kind === 'user' ? true : null;
    return user.isPrivateTo(ctx.principal) ? false : null;
  }

  @UserReads('id')
  @FieldResolver(() => [Contact], { description: 'Email addresses, oldest first. Empty unless you are the user or an instance admin.' })
  async emails(@Root() user: User, @Ctx() ctx: Context): Promise<Contact[]> {
    return (await contactsOf(ctx, user.uuid, 'email')).map(Contact.from);
  }

  @UserReads('id')
  @FieldResolver(() => [Contact], { description: 'Phone numbers, oldest first. Empty unless you are the user or an instance admin.' })
  async phones(@Root() user: User, @Ctx() ctx: Context): Promise<Contact[]> {
    return (await contactsOf(ctx, user.uuid, 'phone')).map(Contact.from);
  }

  @UserReads('id')
  @FieldResolver(() => [PublicKey], { description: 'Public keys (SSH and labelled), oldest first. Visible to every signed-in caller.' })
  async publicKeys(@Root() user: User, @Ctx() ctx: Context): Promise<PublicKey[]> {
    return (await publicKeysOf(ctx, user.uuid)).map(PublicKey.from);
  }

  @UserReads('id')
  @FieldResolver(() => [Device], { description: 'Devices, oldest first. Empty unless you are the user or an instance admin.' })
  async devices(@Root() user: User, @Ctx() ctx: Context): Promise<Device[]> {
    return (await devicesOf(ctx, user.uuid)).map(Device.from);
  }

  @UserReads('id')
  @FieldResolver(() => [Identity], { description: 'Accounts at external identity providers. Empty unless you are the user or an instance admin.' })
  async identities(@Root() user: User, @Ctx() ctx: Context): Promise<Identity[]> {
    return (await identitiesOf(ctx, user.uuid)).map(Identity.from);
  }

  @UserReads('isAdmin', { self: true })
  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the user is an instance administrator. Visible to the user and instance admins.' })
  isAdmin(@Root() user: User, @Ctx() ctx: Context): boolean | null {
    return user.isPrivateTo(ctx.principal) ? user.row.isAdmin! : null;
  }

  @UserReads('lastSignInAt', { self: true })
  @FieldResolver(() => Date, { nullable: true, description: 'When the user signed in before the current session. Visible to the user and instance admins.' })
  lastSignInAt(@Root() user: User, @Ctx() ctx: Context): Date | null {
    return user.isPrivateTo(ctx.principal) ? user.row.lastSignInAt! : null;
  }

  @UserReads('currentSignInAt', { self: true })
  @FieldResolver(() => Date, { nullable: true, description: 'When the user last signed in. Visible to the user and instance admins.' })
  currentSignInAt(@Root() user: User, @Ctx() ctx: Context): Date | null {
    return user.isPrivateTo(ctx.principal) ? user.row.currentSignInAt! : null;
  }

  @UserReads('id')
  @FieldResolver(() => [PersonalAccessToken], { description: "The user's personal API tokens, newest first (empty unless you are the user or an instance admin)." })
  async personalAccessTokens(@Root() user: User, @Ctx() ctx: Context): Promise<PersonalAccessToken[]> {
    if (!can(ctx.principal, 'user:readPrivate', { userId: user.uuid })) return [];
    return (await ctx.loaders.tokensByUserId.load(user.uuid)).map(PersonalAccessToken.from);
  }
}

@Resolver(() => PublicKey)
export class PublicKeyResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The key’s owner.' })
  async user(@Root() key: PublicKey, @Ctx() ctx: Context): Promise<User | null> {
    const row = await userById(ctx, key.userUuid);
    return row ? User.from(row, ctx.principal) : null;
  }
}
