// Thin resolvers of a user's registry: `User.registry` and the set / remove mutations; rules in
// registry.service.ts.
import { Arg, Ctx, Field, FieldResolver, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { payload, UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';
import { User, UserReads } from '../users/user.type.js';
import type { RegistryEntryRow } from './registry.repo.js';
import { registryOf, removeRegistryEntry, setRegistryEntry } from './registry.service.js';

@ReadsWholeRow()
@ObjectType({ description: 'A key and its value in a user’s registry.' })
export class RegistryEntry {
  @Field({ description: 'The key (unique per user).' })
  key!: string;
  @Field({ description: 'The value.' })
  value!: string;
  @Field({ description: 'When the key was first written.' })
  createdAt!: Date;

  static from(row: RegistryEntryRow): RegistryEntry {
    return Object.assign(new RegistryEntry(), { key: row.key, value: row.value, createdAt: row.createdAt });
  }
}

@InputType({ description: 'A registry entry to write (overwrites the key’s value).' })
export class SetRegistryEntryInput {
  @Field({ description: 'Whose registry (username): yours, or anyone’s for instance admins.' })
  username!: string;
  @Field({ description: 'The key, 1 to 256 characters.' })
  key!: string;
  @Field({ description: 'The value, at most 1024 characters.' })
  value!: string;
}

@InputType({ description: 'A registry entry to remove.' })
export class RegistryEntryRefInput {
  @Field({ description: 'Whose registry (username).' })
  username!: string;
  @Field({ description: 'The key.' })
  key!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of a registry change.' })
export class RegistryEntryPayload {
  @Field(() => RegistryEntry, { nullable: true, description: 'The entry as written (null after a removal).' })
  entry?: RegistryEntry | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@Resolver(() => User)
export class RegistryUserResolver {
  @UserReads('id')
  @FieldResolver(() => [RegistryEntry], { description: 'The user’s registry, by key. Empty unless you are the user or an instance admin.' })
  async registry(@Root() user: User, @Ctx() ctx: Context): Promise<RegistryEntry[]> {
    return (await registryOf(ctx, user.uuid)).map(RegistryEntry.from);
  }
}

@Resolver()
export class RegistryMutationsResolver {
  @Mutation(() => RegistryEntryPayload, { description: 'Writes a key of a user’s registry (overwriting it); a value over 1024 characters is PAYLOAD_TOO_LARGE.' })
  setRegistryEntry(@Arg('input', () => SetRegistryEntryInput, { description: 'User, key and value.' }) input: SetRegistryEntryInput, @Ctx() ctx: Context) {
    return payload(async () => ({ entry: RegistryEntry.from(await setRegistryEntry(ctx, input)) }));
  }

  @Mutation(() => RegistryEntryPayload, { description: 'Removes a key of a user’s registry.' })
  removeRegistryEntry(@Arg('input', () => RegistryEntryRefInput, { description: 'User and key.' }) input: RegistryEntryRefInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await removeRegistryEntry(ctx, input);
      return { entry: null };
    });
  }
}
