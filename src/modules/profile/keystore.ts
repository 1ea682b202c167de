// A user's keystore: keys an organization keeps for the user (Itsyouonline's user:keystore).
// The accessing organization is the one the caller's token is bound to (an organization-bound
// personal token of the user; organization principals are part 2): each organization reads and
// writes only its own keys, by label (a used label is a CONFLICT; keys are never overwritten).
// Key data is a JSON object of at most KEYSTORE_DATA_MAX bytes and the key at most
// KEYSTORE_KEY_MAX characters (larger: PAYLOAD_TOO_LARGE). Repository, rule and GraphQL in one
// file: the keystore is small and has no other reader.
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { Arg, Ctx, Field, FieldResolver, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { keystoreKeys, organizations } from '../../../schema/index.js';
import { tokenOrganizationOf } from '../../core/auth/tenant.js';
import type { Context, ServiceContext } from '../../context.js';
import type { Database } from '../../core/db.js';
import { conflict, DomainError, notFound, validation } from '../../core/errors.js';
import { payload, UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { isPlainText } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import { userByUsername } from '../users/user.service.js';
import { User, UserReads } from '../users/user.type.js';
import { requireSignedIn } from '../users/user.writes.js';
import { checkLabel } from './profile.service.js';

type ServiceCtx = ServiceContext;

export const KEYSTORE_KEY_MAX = 16_384;
export const KEYSTORE_DATA_MAX = 16_384;
const MAX_KEYS = 100;

export type KeyRow = typeof keystoreKeys.$inferSelect & { organizationSlug: string };

// ---- SQL ----

/** Keys with their organization's slug (`where` picks which). */
const keysWhere = (db: Database, where: SQL | undefined) =>
  db
    .select({
      id: keystoreKeys.id,
      userId: keystoreKeys.userId,
      organizationId: keystoreKeys.organizationId,
      label: keystoreKeys.label,
      key: keystoreKeys.key,
      keyData: keystoreKeys.keyData,
      comment: keystoreKeys.comment,
      algorithm: keystoreKeys.algorithm,
      createdAt: keystoreKeys.createdAt,
      organizationSlug: organizations.slug,
    })
    .from(keystoreKeys)
    .innerJoin(organizations, eq(organizations.id, keystoreKeys.organizationId))
    .where(where)
    .orderBy(asc(keystoreKeys.createdAt), asc(keystoreKeys.id));

/** Every key of each user, with its organization's slug (one statement per batch of users). */
export const findKeystoreKeysByUserIds = (db: Database, userIds: readonly string[]): Promise<KeyRow[]> =>
  keysWhere(db, inArray(keystoreKeys.userId, [...userIds]));

const findKeys = (db: Database, userId: string, organizationId: string): Promise<KeyRow[]> =>
  keysWhere(db, and(eq(keystoreKeys.userId, userId), eq(keystoreKeys.organizationId, organizationId)));

// ---- the rule ----

/** The organization the caller accesses the keystore as; FORBIDDEN without one. */
function accessingOrganization(ctx: ServiceCtx): string {
  const org = tokenOrganizationOf(ctx.principal);
  if (!org) throw new DomainError('FORBIDDEN', 'The keystore is read and written by an organization: use a token bound to one');
  return org;
}

/** The keys the caller's organization keeps for the user (the user's own tokens bound to it); others none. */
export async function keystoreOf(ctx: ServiceCtx, userId: string): Promise<KeyRow[]> {
  const org = tokenOrganizationOf(ctx.principal);
  if (!org || !ctx.authz.isSelfOrAdmin(userId)) return [];
  return (await ctx.loaders.keystoreKeysByUserId.load(userId)).filter((k) => k.organizationId === org);
}

export async function saveKeystoreKey(
  ctx: ServiceCtx,
  input: { username: string; label: string; key: string; keyData: Record<string, unknown>; comment?: string | null; algorithm: string },
): Promise<KeyRow> {
  requireSignedIn(ctx);
  const organizationId = accessingOrganization(ctx);
  const user = await userByUsername(ctx, input.username);
  if (!user) throw notFound('User not found');
  await ctx.authz.assert('user:update', { userId: user.id }, { message: 'An organization keeps keys only for the user who authorized it' });
  const label = checkLabel(input.label);
  if (input.key.length > KEYSTORE_KEY_MAX) throw new DomainError('PAYLOAD_TOO_LARGE', `A key is at most ${KEYSTORE_KEY_MAX} characters`);
  const data = JSON.stringify(input.keyData);
  if (Buffer.byteLength(data) > KEYSTORE_DATA_MAX) throw new DomainError('PAYLOAD_TOO_LARGE', `Key data is at most ${KEYSTORE_DATA_MAX} bytes`);
  if (!isPlainText(input.key) || !isPlainText(data)) throw validation('key', 'The key holds characters that cannot be stored');
  const algorithm = input.algorithm.trim();
  if (algorithm.length < 1 || algorithm.length > 64 || !isPlainText(algorithm)) throw validation('algorithm', 'An algorithm is 1 to 64 characters');
  const comment = input.comment ?? null;
  if (comment !== null && (comment.length > 1024 || !isPlainText(comment))) throw validation('comment', 'A comment is at most 1024 characters');
  const existing = await findKeys(ctx.db, user.id, organizationId);
  if (existing.some((k) => k.label === label)) throw conflict('label', 'A key with this label exists already');
  if (existing.length >= MAX_KEYS) throw validation('label', `At most ${MAX_KEYS} keys per organization`);
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(keystoreKeys).values({ userId: user.id, organizationId, label, key: input.key, keyData: input.keyData, comment, algorithm });
      await recordEvent(tx, ctx, { action: 'keystore.save', user2Id: user.id, organizationId, data: { label, algorithm } });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'keystore_keys_user_org_label_key')) throw conflict('label', 'A key with this label exists already');
    throw err;
  }
  ctx.loaders.keystoreKeysByUserId.clear(user.id);
  return (await findKeys(ctx.db, user.id, organizationId)).find((k) => k.label === label)!;
}

// ---- GraphQL ----

@ReadsWholeRow()
@ObjectType({ description: 'A key an organization keeps in a user’s keystore.' })
export class KeystoreKey {
  @Field({ description: 'Its label (unique per user and organization).' })
  label!: string;
  @Field({ description: 'The organization that keeps it (slug).' })
  organization!: string;
  @Field({ description: 'The key.' })
  key!: string;
  @Field(() => JSONObjectScalar, { description: 'Data about the key.' })
  keyData!: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: 'A comment.' })
  comment!: string | null;
  @Field({ description: 'The key’s algorithm.' })
  algorithm!: string;
  @Field({ description: 'When it was saved.' })
  createdAt!: Date;

  static from(row: KeyRow): KeystoreKey {
    return Object.assign(new KeystoreKey(), { ...row, organization: row.organizationSlug });
  }
}

@InputType({ description: 'A key for a user’s keystore, saved by the caller’s organization.' })
export class SaveKeystoreKeyInput {
  @Field({ description: 'Whose keystore (username).' })
  username!: string;
  @Field({ description: 'The label.' })
  label!: string;
  @Field({ description: 'The key (at most 16384 characters).' })
  key!: string;
  @Field(() => JSONObjectScalar, { description: 'Data about the key (at most 16384 bytes of JSON).' })
  keyData!: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: 'A comment.' })
  comment?: string | null;
  @Field({ description: 'The key’s algorithm.' })
  algorithm!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of saving a keystore key.' })
export class KeystoreKeyPayload {
  @Field(() => KeystoreKey, { nullable: true, description: 'The saved key.' })
  key?: KeystoreKey | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@Resolver(() => User)
export class KeystoreResolver {
  @UserReads('id')
  @FieldResolver(() => [KeystoreKey], { description: 'The keys the caller’s organization (its token’s) keeps for the user; empty without one.' })
  async keystore(@Root() user: User, @Ctx() ctx: Context): Promise<KeystoreKey[]> {
    return (await keystoreOf(ctx, user.uuid)).map(KeystoreKey.from);
  }

  @Mutation(() => KeystoreKeyPayload, { description: 'Saves a key in a user’s keystore for the caller’s organization (a token bound to one); a used label is a CONFLICT.' })
  saveKeystoreKey(@Arg('input', () => SaveKeystoreKeyInput, { description: 'The key.' }) input: SaveKeystoreKeyInput, @Ctx() ctx: Context) {
    return payload(async () => ({ key: KeystoreKey.from(await saveKeystoreKey(ctx, input)) }));
  }
}
