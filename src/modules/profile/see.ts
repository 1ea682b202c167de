// "See" documents: what an organization records about a user (Itsyouonline's user:see), by the
// organization's unique id, with versioned content. The organization writing is the accessing one
// (the caller's token is bound to it; organization principals are part 2); the user and instance
// admins read every document of the user. A change adds a version; signing fills in one
// version's signature. A version's content is the documented string fields, at most
// SEE_CONTENT_MAX bytes (larger: PAYLOAD_TOO_LARGE); its keystore_label must name a key the
// organization keeps for the user (else PRECONDITION_FAILED). Repository, rule and GraphQL in
// one file, as the keystore's.
import { and, asc, eq, inArray, max } from 'drizzle-orm';
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { Arg, Ctx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { keystoreKeys, organizations, seeDocuments, seeVersions } from '../../../schema/index.js';
import { tokenOrganizationOf } from '../../core/auth/tenant.js';
import type { Context, ServiceContext } from '../../context.js';
import type { Database } from '../../core/db.js';
import { conflict, DomainError, notFound, validation } from '../../core/errors.js';
import { payload, UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow } from '../../core/read/reads.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { isPlainText, isSlug } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import type { UserRow } from '../users/user.repo.js';
import { userByUsername } from '../users/user.service.js';
import { User, UserReads } from '../users/user.type.js';
import { requireSignedIn } from '../users/user.writes.js';

type ServiceCtx = ServiceContext;
export const SEE_CONTENT_MAX = 65_536;
const FIELDS = ['category', 'link', 'content_type', 'markdown_short_description', 'markdown_full_description', 'creation_date', 'start_date', 'end_date', 'keystore_label', 'signature'];

export interface DocumentView {
  uniqueId: string;
  organization: string;
  versions: { version: number; content: Record<string, string> }[];
}

// ---- SQL ----

/** Every document of each user with its versions (two statements per batch of users). */
export async function findSeeDocumentsByUserIds(db: Database, userIds: readonly string[]): Promise<(DocumentView & { userId: string })[]> {
  const docs = await db
    .select({ id: seeDocuments.id, userId: seeDocuments.userId, uniqueId: seeDocuments.uniqueId, organization: organizations.slug })
    .from(seeDocuments)
    .innerJoin(organizations, eq(organizations.id, seeDocuments.organizationId))
    .where(inArray(seeDocuments.userId, [...userIds]))
    .orderBy(asc(seeDocuments.createdAt), asc(seeDocuments.id));
  if (docs.length === 0) return [];
  const versions = await db.select().from(seeVersions).where(inArray(seeVersions.documentId, docs.map((d) => d.id))).orderBy(asc(seeVersions.version));
  return docs.map((d) => ({ userId: d.userId, uniqueId: d.uniqueId, organization: d.organization, versions: versions.filter((v) => v.documentId === d.id).map((v) => ({ version: v.version, content: v.content })) }));
}

/** One user's documents, narrowed to an organization and a unique id (writes read them back fresh, not through the loader). */
async function findDocuments(db: Database, userId: string, filter: { organizationId?: string; uniqueId?: string } = {}): Promise<DocumentView[]> {
  const [org] = filter.organizationId ? await db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, filter.organizationId)) : [];
  return (await findSeeDocumentsByUserIds(db, [userId])).filter((d) => (!filter.uniqueId || d.uniqueId === filter.uniqueId) && (!org || d.organization === org.slug));
}

// ---- the rule ----

function checkContent(content: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(content)) {
    if (!FIELDS.includes(k)) continue;
    if (typeof v !== 'string' || !isPlainText(v)) throw validation(`content.${k}`, `${k} must be text`);
    out[k] = v;
  }
  if (Buffer.byteLength(JSON.stringify(out)) > SEE_CONTENT_MAX) throw new DomainError('PAYLOAD_TOO_LARGE', `A see document version is at most ${SEE_CONTENT_MAX} bytes`);
  return out;
}

/** The user and the accessing organization of a write; the keystore label must be one of the organization's keys. */
async function writeParties(ctx: ServiceCtx, username: string, organizationSlug: string | null): Promise<{ user: UserRow; organizationId: string }> {
  requireSignedIn(ctx);
  const organizationId = tokenOrganizationOf(ctx.principal);
  if (!organizationId) throw new DomainError('FORBIDDEN', 'See documents are written by an organization: use a token bound to one');
  const user = await userByUsername(ctx, username);
  if (!user) throw notFound('User not found');
  await ctx.authz.assert('user:update', { userId: user.id }, { message: 'An organization writes see documents only for the user who authorized it' });
  if (organizationSlug !== null) {
    const [org] = await ctx.db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, organizationId));
    if (!isSlug(organizationSlug) || org?.slug.toLowerCase() !== organizationSlug.toLowerCase()) throw notFound('See document not found');
  }
  return { user, organizationId };
}

async function requireKeystoreLabel(db: Database, userId: string, organizationId: string, label: string | undefined): Promise<void> {
  if (label === undefined || label === '') return;
  const [k] = await db
    .select({ id: keystoreKeys.id })
    .from(keystoreKeys)
    .where(and(eq(keystoreKeys.userId, userId), eq(keystoreKeys.organizationId, organizationId), eq(keystoreKeys.label, label)));
  if (!k) throw new DomainError('PRECONDITION_FAILED', 'No keystore key with this label for this organization', 'keystore_label');
}

export async function seeDocumentsOf(ctx: ServiceCtx, userId: string, filter: { organization?: string | null; uniqueId?: string | null }): Promise<DocumentView[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return (await ctx.loaders.seeDocumentsByUserId.load(userId)).filter(
    (d) => (!filter.uniqueId || d.uniqueId === filter.uniqueId) && (!filter.organization || d.organization.toLowerCase() === filter.organization.toLowerCase()),
  );
}

export async function createSeeDocument(ctx: ServiceCtx, input: { username: string; uniqueId: string; content: Record<string, unknown> }): Promise<DocumentView> {
  const { user, organizationId } = await writeParties(ctx, input.username, null);
  if (input.uniqueId.length < 1 || input.uniqueId.length > 255 || !isPlainText(input.uniqueId)) throw validation('uniqueId', 'A unique id is 1 to 255 characters');
  const content = checkContent(input.content);
  await requireKeystoreLabel(ctx.db, user.id, organizationId, content.keystore_label);
  try {
    await ctx.db.transaction(async (tx) => {
      const [doc] = await tx.insert(seeDocuments).values({ userId: user.id, organizationId, uniqueId: input.uniqueId }).returning({ id: seeDocuments.id });
      await tx.insert(seeVersions).values({ documentId: doc!.id, version: 1, content });
      await recordEvent(tx, ctx, { action: 'see.create', user2Id: user.id, organizationId, data: { uniqueId: input.uniqueId } });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'see_documents_user_org_unique_key')) throw conflict('uniqueId', 'A see document with this unique id exists already');
    throw err;
  }
  ctx.loaders.seeDocumentsByUserId.clear(user.id);
  return (await findDocuments(ctx.db, user.id, { organizationId, uniqueId: input.uniqueId }))[0]!;
}

/** Adds a version (the content replaces the latest's fields it gives), or signs one version. */
export async function changeSeeDocument(
  ctx: ServiceCtx,
  input: { username: string; uniqueId: string; organization: string; content: Record<string, unknown>; signVersion?: number | null },
): Promise<DocumentView> {
  const { user, organizationId } = await writeParties(ctx, input.username, input.organization);
  const [doc] = await ctx.db
    .select({ id: seeDocuments.id })
    .from(seeDocuments)
    .where(and(eq(seeDocuments.userId, user.id), eq(seeDocuments.organizationId, organizationId), eq(seeDocuments.uniqueId, input.uniqueId)));
  if (!doc) throw notFound('See document not found');
  const content = checkContent(input.content);
  await requireKeystoreLabel(ctx.db, user.id, organizationId, content.keystore_label);
  await ctx.db.transaction(async (tx) => {
    const versions = await tx.select().from(seeVersions).where(eq(seeVersions.documentId, doc.id)).orderBy(asc(seeVersions.version));
    if (input.signVersion != null) {
      const v = versions.find((x) => x.version === input.signVersion);
      if (!v) throw notFound('See document version not found');
      if (!content.signature) throw validation('content.signature', 'A signature is required');
      const signed = checkContent({ ...v.content, signature: content.signature, ...(content.keystore_label ? { keystore_label: content.keystore_label } : {}) });
      await tx.update(seeVersions).set({ content: signed }).where(eq(seeVersions.id, v.id));
      await recordEvent(tx, ctx, { action: 'see.sign', user2Id: user.id, organizationId, data: { uniqueId: input.uniqueId, version: v.version } });
    } else {
      const [{ n } = { n: 0 }] = await tx.select({ n: max(seeVersions.version) }).from(seeVersions).where(eq(seeVersions.documentId, doc.id));
      const latest = versions.at(-1)?.content ?? {};
      // A new version starts unsigned: a signature covers the content it was made for.
      const { signature: _old, ...kept } = latest;
      await tx.insert(seeVersions).values({ documentId: doc.id, version: (n ?? 0) + 1, content: checkContent({ ...kept, ...content }) });
      await recordEvent(tx, ctx, { action: 'see.update', user2Id: user.id, organizationId, data: { uniqueId: input.uniqueId, version: (n ?? 0) + 1 } });
    }
  });
  ctx.loaders.seeDocumentsByUserId.clear(user.id);
  return (await findDocuments(ctx.db, user.id, { organizationId, uniqueId: input.uniqueId }))[0]!;
}

// ---- GraphQL ----

@ReadsNoRow()
@ObjectType({ description: 'One version of a see document.' })
export class SeeVersion {
  @Field(() => Int, { description: 'The version number (1, 2, …).' })
  version!: number;
  @Field(() => JSONObjectScalar, { description: 'Its fields: category, link, content_type, markdown descriptions, dates, keystore_label, signature.' })
  content!: Record<string, string>;
}

@ReadsNoRow()
@ObjectType({ description: 'A see document an organization keeps about a user.' })
export class SeeDocument {
  @Field({ description: 'The organization’s unique id for it.' })
  uniqueId!: string;
  @Field({ description: 'The organization (slug).' })
  organization!: string;
  @Field(() => [SeeVersion], { description: 'Its versions, oldest first.' })
  versions!: SeeVersion[];
}

@InputType({ description: 'A new see document, written by the caller’s organization.' })
export class CreateSeeDocumentInput {
  @Field({ description: 'Whose (username).' })
  username!: string;
  @Field({ description: 'The organization’s unique id for it.' })
  uniqueId!: string;
  @Field(() => JSONObjectScalar, { description: 'The first version’s fields.' })
  content!: Record<string, unknown>;
}

@InputType({ description: 'A new version of a see document, or (with signVersion) a signature on one version.' })
export class ChangeSeeDocumentInput {
  @Field({ description: 'Whose (username).' })
  username!: string;
  @Field({ description: 'The unique id.' })
  uniqueId!: string;
  @Field({ description: 'The organization (slug): the caller’s.' })
  organization!: string;
  @Field(() => JSONObjectScalar, { description: 'The fields to change (a new version), or the signature (and keystore_label) when signing.' })
  content!: Record<string, unknown>;
  @Field(() => Int, { nullable: true, description: 'Sign this version instead of adding one.' })
  signVersion?: number | null;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of a see document change.' })
export class SeeDocumentPayload {
  @Field(() => SeeDocument, { nullable: true, description: 'The document as it is now.' })
  document?: SeeDocument | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

const seeDocument = (d: DocumentView) =>
  Object.assign(new SeeDocument(), { uniqueId: d.uniqueId, organization: d.organization, versions: d.versions.map((v) => Object.assign(new SeeVersion(), v)) });

@Resolver(() => User)
export class SeeResolver {
  @UserReads('id')
  @FieldResolver(() => [SeeDocument], { description: 'See documents organizations keep about the user. Empty unless you are the user or an instance admin.' })
  async seeDocuments(
    @Root() user: User,
    @Ctx() ctx: Context,
    @Arg('organization', () => String, { nullable: true, description: 'Only this organization’s (slug).' }) organization?: string | null,
    @Arg('uniqueId', () => String, { nullable: true, description: 'Only this unique id.' }) uniqueId?: string | null,
  ): Promise<SeeDocument[]> {
    return (await seeDocumentsOf(ctx, user.uuid, { organization, uniqueId })).map(seeDocument);
  }

  @Mutation(() => SeeDocumentPayload, { description: 'Creates a see document for the caller’s organization (a token bound to one); a used unique id is a CONFLICT.' })
  createSeeDocument(@Arg('input', () => CreateSeeDocumentInput, { description: 'The document.' }) input: CreateSeeDocumentInput, @Ctx() ctx: Context) {
    return payload(async () => ({ document: seeDocument(await createSeeDocument(ctx, input)) }));
  }

  @Mutation(() => SeeDocumentPayload, { description: 'Adds a version to a see document, or signs one version (signVersion).' })
  changeSeeDocument(@Arg('input', () => ChangeSeeDocumentInput, { description: 'The change.' }) input: ChangeSeeDocumentInput, @Ctx() ctx: Context) {
    return payload(async () => ({ document: seeDocument(await changeSeeDocument(ctx, input)) }));
  }
}
