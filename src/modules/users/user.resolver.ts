// Thin resolvers for users: the viewer, and the private fields that only the user and
// instance admins may see (null for everyone else, as a missing value would be).
import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { can } from '../../core/auth/policy.js';
import type { Context } from '../../context.js';
import { PersonalAccessToken } from '../auth/auth.types.js';
import { User } from './user.type.js';
import { viewer } from './user.service.js';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The calling user; null when the request is anonymous.' })
  async viewer(@Ctx() ctx: Context): Promise<User | null> {
    const row = await viewer(ctx);
    return row ? User.from(row) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Primary email address. Visible to the user and instance admins.' })
  async email(@Root() user: User, @Ctx() ctx: Context): Promise<string | null> {
    if (!can(ctx.principal, 'user:readPrivate', { userId: user.uuid })) return null;
    return ctx.loaders.primaryEmailByUserId.load(user.uuid);
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the user is an instance administrator. Visible to the user and instance admins.' })
  isAdmin(@Root() user: User, @Ctx() ctx: Context): boolean | null {
    return can(ctx.principal, 'user:readPrivate', { userId: user.uuid }) ? user.row.isAdmin : null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the user signed in before the current session. Visible to the user and instance admins.' })
  lastSignInAt(@Root() user: User, @Ctx() ctx: Context): Date | null {
    return can(ctx.principal, 'user:readPrivate', { userId: user.uuid }) ? user.row.lastSignInAt : null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the user last signed in. Visible to the user and instance admins.' })
  currentSignInAt(@Root() user: User, @Ctx() ctx: Context): Date | null {
    return can(ctx.principal, 'user:readPrivate', { userId: user.uuid }) ? user.row.currentSignInAt : null;
  }

  @FieldResolver(() => [PersonalAccessToken], { description: "The user's personal API tokens, newest first (empty unless you are the user or an instance admin)." })
  async personalAccessTokens(@Root() user: User, @Ctx() ctx: Context): Promise<PersonalAccessToken[]> {
    if (!can(ctx.principal, 'user:readPrivate', { userId: user.uuid })) return [];
    return (await ctx.loaders.tokensByUserId.load(user.uuid)).map(PersonalAccessToken.from);
  }
}
