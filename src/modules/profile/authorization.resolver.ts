// Thin resolvers of authorizations: a user's grants and their view (`User.authorizations`,
// `User.info`), and the set / remove mutations. Rules live in authorization.service.ts.
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root, Extensions } from 'type-graphql';
import type { Context } from '../../context.js';
import { payload } from '../../core/graphql/payload.js';
import { User, UserReads } from '../users/user.type.js';
import { MAX_AUTHORIZATIONS, authorizationsOf, infoOf, removeAuthorization, setAuthorization, viewOf } from './authorization.service.js';
import { Authorization, AuthorizationPayload, AuthorizationRefInput, LabelledValue, SetAuthorizationInput, UserInfo } from './authorization.type.js';
import { Address, BankAccount, DigitalAssetAddress } from './profile.type.js';

type View = ReturnType<typeof viewOf>;
const valueOf = (r: { shownLabel: string | null; value?: string; key?: string; validatedAt?: Date | null }) =>
  Object.assign(new LabelledValue(), { label: r.shownLabel, value: r.value ?? r.key ?? '', validated: r.validatedAt != null });
const relabel = <T extends { label: string }>(o: T, label: string | null): T => Object.assign(o, { label: label ?? '' });

function userInfo(v: View): UserInfo {
  return Object.assign(new UserInfo(), {
    username: v.username,
    firstName: v.firstName,
    lastName: v.lastName,
    emailAddresses: v.emails.map(valueOf),
    phoneNumbers: v.phones.map(valueOf),
    publicKeys: v.keys.map(valueOf),
    addresses: v.addresses.map((e) => relabel(Address.from(e), e.shownLabel)),
    bankAccounts: v.bankAccounts.map((e) => relabel(BankAccount.from(e), e.shownLabel)),
    digitalWallet: v.digitalWallet.map((e) => relabel(DigitalAssetAddress.from(e), e.shownLabel)),
    organizations: v.organizations,
  });
}

@Resolver(() => User)
export class AuthorizationUserResolver {
  @UserReads('id')
  @Extensions({ maxItems: MAX_AUTHORIZATIONS })
  @FieldResolver(() => [Authorization], { description: 'What the user lets organizations read, oldest grant first. Empty unless you are the user or an instance admin.' })
  async authorizations(@Root() user: User, @Ctx() ctx: Context): Promise<Authorization[]> {
    return (await authorizationsOf(ctx, user.uuid)).map(Authorization.from);
  }

  @UserReads('id')
  @FieldResolver(() => UserInfo, {
    nullable: true,
    description: 'What may be seen of the user: without `organization`, everything (the user and instance admins); with it, exactly what the user authorized that organization to read. Null for other callers.',
  })
  async info(
    @Root() user: User,
    @Ctx() ctx: Context,
    @Arg('organization', () => String, { nullable: true, description: 'Show the view of this organization (slug).' }) organization?: string | null,
  ): Promise<UserInfo | null> {
    const row = await ctx.loaders.userById.load(user.uuid);
    const view = row ? await infoOf(ctx, row, organization ?? null) : null;
    return view ? userInfo(view) : null;
  }
}

@Resolver()
export class AuthorizationMutationsResolver {
  @Mutation(() => AuthorizationPayload, { description: 'Lets an organization read chosen parts of a user (yourself, or anyone for instance admins); replaces an earlier grant to it.' })
  setAuthorization(@Arg('input', () => SetAuthorizationInput, { description: 'User, organization and what it may read.' }) input: SetAuthorizationInput, @Ctx() ctx: Context) {
    return payload(async () => ({ authorization: Authorization.from(await setAuthorization(ctx, input)) }));
  }

  @Mutation(() => AuthorizationPayload, { description: 'Withdraws a grant: the organization reads nothing of the user from now on.' })
  removeAuthorization(@Arg('input', () => AuthorizationRefInput, { description: 'User and organization.' }) input: AuthorizationRefInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await removeAuthorization(ctx, input);
      return { authorization: null };
    });
  }
}
