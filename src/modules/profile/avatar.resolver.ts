// Thin resolvers of avatars: `User.avatars`, `avatarFile(hash)` and the set / upload / remove
// mutations; rules in avatar.service.ts (the size limit comes from the configuration).
import { Arg, Ctx, Field, FieldResolver, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { payload, UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';
import { User, UserReads } from '../users/user.type.js';
import type { AvatarListRow } from './avatar.repo.js';
import { avatarFile, avatarsOf, removeAvatar, setAvatar } from './avatar.service.js';

@ReadsWholeRow()
@ObjectType({ description: 'An avatar of a user: a link, or an image stored here.' })
export class Avatar {
  @Field({ description: 'The label (unique per user; `facebook` and `github` are the linked accounts’).' })
  label!: string;
  @Field(() => String, { nullable: true, description: 'The link, for linked avatars.' })
  source!: string | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of a stored image: fetch it with avatarFile(hash:).' })
  fileHash!: string | null;
  @Field(() => String, { nullable: true, description: 'Content type of a stored image.' })
  contentType!: string | null;

  static from(row: AvatarListRow): Avatar {
    return Object.assign(new Avatar(), { label: row.label, source: row.source, fileHash: row.fileHash, contentType: row.contentType });
  }
}

@ReadsNoRow()
@ObjectType({ description: 'A stored avatar image.' })
export class AvatarFile {
  @Field({ description: 'Its content type.' })
  contentType!: string;
  @Field({ description: 'Its bytes, base64.' })
  base64!: string;
}

@InputType({ description: 'An image to store as an avatar.' })
export class AvatarImageInput {
  @Field({ description: 'image/png, image/jpeg, image/gif or image/webp.' })
  contentType!: string;
  @Field({ description: 'The bytes, base64 (at most AVATAR_MAX_BYTES once decoded).' })
  base64!: string;
}

@InputType({ description: 'A new avatar (no `label`) or a change of one: its label, and its link or image.' })
export class SetAvatarInput {
  @Field({ description: 'Whose avatar (username): yours, or anyone’s for instance admins.' })
  username!: string;
  @Field(() => String, { nullable: true, description: 'The avatar to change; omitted to create one.' })
  label?: string | null;
  @Field({ description: 'The (new) label.' })
  newLabel!: string;
  @Field(() => String, { nullable: true, description: 'A link (http or https).' })
  source?: string | null;
  @Field(() => AvatarImageInput, { nullable: true, description: 'An image to store.' })
  image?: AvatarImageInput | null;
}

@InputType({ description: 'An avatar to remove.' })
export class AvatarRefInput {
  @Field({ description: 'Whose avatar (username).' })
  username!: string;
  @Field({ description: 'Its label.' })
  label!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of an avatar change.' })
export class AvatarPayload {
  @Field(() => Avatar, { nullable: true, description: 'The avatar as it is now (null after a removal).' })
  avatar?: Avatar | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@Resolver(() => User)
export class AvatarUserResolver {
  @UserReads('id')
  @FieldResolver(() => [Avatar], { description: 'The user’s avatars, oldest first. Empty unless you are the user or an instance admin.' })
  async avatars(@Root() user: User, @Ctx() ctx: Context): Promise<Avatar[]> {
    return (await avatarsOf(ctx, user.uuid)).map(Avatar.from);
  }
}

@Resolver()
export class AvatarResolver {
  @Query(() => AvatarFile, { nullable: true, description: 'A stored avatar image by the SHA-256 of its bytes (signed-in callers); null when there is none.' })
  avatarFile(@Arg('hash', { description: 'SHA-256, hex.' }) hash: string, @Ctx() ctx: Context): Promise<AvatarFile | null> {
    return avatarFile(ctx, hash).then((f) => (f ? Object.assign(new AvatarFile(), f) : null));
  }

  @Mutation(() => AvatarPayload, { description: 'Creates or changes an avatar (a link or a stored image); an image over AVATAR_MAX_BYTES is PAYLOAD_TOO_LARGE, a used or reserved label a CONFLICT.' })
  setAvatar(@Arg('input', () => SetAvatarInput, { description: 'The avatar.' }) input: SetAvatarInput, @Ctx() ctx: Context) {
    return payload(async () => ({ avatar: Avatar.from(await setAvatar(ctx, input, ctx.deps.config.avatarMaxBytes)) }));
  }

  @Mutation(() => AvatarPayload, { description: 'Removes an avatar (not those of linked accounts).' })
  removeAvatar(@Arg('input', () => AvatarRefInput, { description: 'The avatar.' }) input: AvatarRefInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await removeAvatar(ctx, input);
      return { avatar: null };
    });
  }
}
