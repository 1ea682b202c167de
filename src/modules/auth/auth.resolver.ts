// Thin resolvers for sign-in and personal API tokens: arguments in, service call, payload out.
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { readableOrganization } from '../organizations/organization.service.js';
import { Organization } from '../organizations/organization.type.js';
import type { TokenScope } from '../../core/auth/principal.js';
import { idOfType, optionalId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { notFound } from '../../core/errors.js';
import { actAs, type Context } from '../../context.js';
import { User } from '../users/user.type.js';
import {
  ChangePasswordInput,
  ChangePasswordPayload,
  LogoutInput,
  LogoutPayload,
  CreatePersonalAccessTokenInput,
  CreatePersonalAccessTokenPayload,
  LoginInput,
  LoginPayload,
  PersonalAccessToken,
  PersonalAccessTokenByNameInput,
  RenamePersonalAccessTokenInput,
  RevokePersonalAccessTokenInput,
  RevokePersonalAccessTokenPayload,
} from './auth.types.js';
import { changePassword, createPersonalAccessToken, login, logout, renamePersonalAccessToken, revokePersonalAccessToken, revokePersonalAccessTokenByName } from './auth.service.js';


@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, { description: 'Signs in with a username or email and a password; returns a bearer access token.' })
  login(@Arg('input', () => LoginInput, { description: 'Username or email, and password.' }) input: LoginInput, @Ctx() ctx: Context): Promise<LoginPayload> {
    return payload(async () => {
      const r = await login(ctx, input);
      // The rest of this response is read as the user who just signed in (their own email…).
      actAs(ctx, r.principal);
      return { accessToken: r.accessToken, expiresAt: r.expiresAt, user: User.from(r.user, ctx.principal) };
    });
  }

  @Mutation(() => LogoutPayload, { description: 'Signs out: the access token in use (with `everywhere`, every access token of the user) is refused from now on.' })
  logout(@Arg('input', () => LogoutInput, { nullable: true, description: 'How far signing out reaches (default: this token only).' }) input: LogoutInput | null, @Ctx() ctx: Context): Promise<LogoutPayload> {
    return payload(async () => {
      await logout(ctx, input ?? {});
      return { loggedOut: true };
    });
  }

  @Mutation(() => ChangePasswordPayload, { description: 'Changes your own password after proving the current one; every earlier access token of yours is void, a new one is returned.' })
  changePassword(@Arg('input', () => ChangePasswordInput, { description: 'Current and new password.' }) input: ChangePasswordInput, @Ctx() ctx: Context): Promise<ChangePasswordPayload> {
    return payload(async () => {
      const r = await changePassword(ctx, input);
      actAs(ctx, r.principal);
      return { accessToken: r.accessToken, expiresAt: r.expiresAt, user: User.from(r.user, ctx.principal) };
    });
  }

  @Mutation(() => CreatePersonalAccessTokenPayload, { description: 'Creates a personal API token for yourself (instance admins: for anyone). The secret is returned once.' })
  createPersonalAccessToken(
    @Arg('input', () => CreatePersonalAccessTokenInput, { description: 'Owner, name, scopes and expiry of the token.' }) input: CreatePersonalAccessTokenInput,
    @Ctx() ctx: Context,
  ): Promise<CreatePersonalAccessTokenPayload> {
    return payload(async () => {
      const organizationId = optionalId(input.organizationId, 'Organization');
      const r = await createPersonalAccessToken(ctx, { ...input, organizationId, scopes: input.scopes as unknown as TokenScope[] });
      return { token: r.token, personalAccessToken: PersonalAccessToken.from(r.personalAccessToken) };
    });
  }

  @Mutation(() => RevokePersonalAccessTokenPayload, { description: 'Renames an active personal API token (found by owner and name); a name in use is a CONFLICT.' })
  renamePersonalAccessToken(
    @Arg('input', () => RenamePersonalAccessTokenInput, { description: 'The token and its new name.' }) input: RenamePersonalAccessTokenInput,
    @Ctx() ctx: Context,
  ): Promise<RevokePersonalAccessTokenPayload> {
    return payload(async () => ({ personalAccessToken: PersonalAccessToken.from(await renamePersonalAccessToken(ctx, input)) }));
  }

  @Mutation(() => RevokePersonalAccessTokenPayload, { description: 'Revokes the active personal API token an owner and name label: it stops working at once.' })
  revokePersonalAccessTokenByName(
    @Arg('input', () => PersonalAccessTokenByNameInput, { description: 'The token.' }) input: PersonalAccessTokenByNameInput,
    @Ctx() ctx: Context,
  ): Promise<RevokePersonalAccessTokenPayload> {
    return payload(async () => ({ personalAccessToken: PersonalAccessToken.from(await revokePersonalAccessTokenByName(ctx, input)) }));
  }

  @Mutation(() => RevokePersonalAccessTokenPayload, { description: 'Revokes a personal API token: it stops working at once. Revoking twice is harmless.' })
  revokePersonalAccessToken(
    @Arg('input', () => RevokePersonalAccessTokenInput, { description: 'The token to revoke.' }) input: RevokePersonalAccessTokenInput,
    @Ctx() ctx: Context,
  ): Promise<RevokePersonalAccessTokenPayload> {
    return payload(async () => {
      const id = idOfType(input.id, 'PersonalAccessToken');
      if (!id) throw notFound('Personal access token not found');
      return { personalAccessToken: PersonalAccessToken.from(await revokePersonalAccessToken(ctx, id)) };
    });
  }
}

@Resolver(() => PersonalAccessToken)
export class PersonalAccessTokenResolver {
  @FieldResolver(() => Organization, { nullable: true, description: 'The organization the token is bound to (null: not bound, or not visible to you).' })
  async organization(@Root() t: PersonalAccessToken, @Ctx() ctx: Context): Promise<Organization | null> {
    if (!t.organizationUuid) return null;
    const row = await readableOrganization(ctx, t.organizationUuid);
    return row ? Organization.from(row) : null;
  }
}
