// Thin resolvers for the login log: the top-level list, the user of each row, and
// User.loginLogs (batched). Registered from the invitations module's index.ts.
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { ConnectionArgs, mapConnection } from '../../core/graphql/connection.js';
import { requireId } from '../../core/graphql/node.js';
import { userById } from '../users/user.service.js';
import { User, UserReads } from '../users/user.type.js';
import { listVisibleLoginLogs, loginLogsOfUser } from './login-log.service.js';
import { LoginLog, LoginLogConnection, LoginLogsArgs } from './login-log.type.js';

@Resolver(() => LoginLog)
export class LoginLogResolver {
  @Query(() => LoginLogConnection, { description: 'Sign-in attempts, newest first: yours, or (instance admins) anyone’s.' })
  async loginLogs(@Args(() => LoginLogsArgs) args: LoginLogsArgs, @Ctx() ctx: Context) {
    const userId = args.filter?.user != null ? requireId(args.filter.user, 'User') : null;
    return mapConnection(await listVisibleLoginLogs(ctx, args, { userId, success: args.filter?.success ?? null }, args.offset), LoginLog.from);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Whose account the attempt was for; null for unknown logins.' })
  async user(@Root() log: LoginLog, @Ctx() ctx: Context): Promise<User | null> {
    const row = log.row.userId ? await userById(ctx, log.row.userId) : null;
    return row ? User.from(row, ctx.principal) : null;
  }
}

@Resolver(() => User)
export class UserLoginLogsResolver {
  @UserReads('id')
  @FieldResolver(() => LoginLogConnection, { description: 'The user’s sign-in attempts, newest first (empty unless you are the user or an instance admin).' })
  async loginLogs(@Root() user: User, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return mapConnection(await loginLogsOfUser(ctx, user.uuid, args), LoginLog.from);
  }
}
