// "See" documents: what an organization records about a user (Itsyouonline's user:see), by the
// organization's unique id, with versioned content. The organization writing is the accessing one
// (the caller's token is bound to it; organization principals are part 2); the user and instance
// admins read every document of the user. A change adds a version; signing fills in one
// version's signature. A version's content is the documented string fields, at most
// SEE_CONTENT_MAX bytes (larger: PAYLOAD_TOO_LARGE); its keystore_label must name a key the
// organization keeps for the user (else PRECONDITION_FAILED). Repository, rule and GraphQL in
// one file, as the keystore's.
//
// Bounds (an organization can write without end, a read must not load without end):
// - A document keeps at most SEE_VERSIONS_MAX versions: a change past it is refused as a
//   CONFLICT (409 in the REST dialect) and nothing is written. The Itsyouonline document says
//   nothing about a limit; refusing beats keeping the last N because a version may carry a
//   signature the user relies on, and silently dropping signed versions would rewrite history.
//   CONFLICT, as a used unique id is: the request clashes with the document's state, not with a
//   missing precondition (PRECONDITION_FAILED stays the documented "no such keystore label").
//   Writers of one document are serialized (a row lock), so the bound is exact under races.
// - User.seeDocuments is a keyset connection (newest first, by the uuid v7 id; at most
//   MAX_PAGE_SIZE per page) that reads the documents' rows only; `latest` loads the newest
//   version of each document of the page in one statement, `versions` all versions of the
//   page's documents in one statement (at most SEE_VERSIONS_MAX each: the honest maxItems).
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { Arg, Args, ArgsType, Ctx, Extensions, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { keystoreKeys, organizations, seeDocuments, seeVersions } from '../../../schema/index.js';
import { tokenOrganizationOf } from '../../core/auth/tenant.js';
import type { Context, ServiceContext } from '../../context.js';
import type { Database } from '../../core/db.js';
import { conflict, DomainError, notFound, validation } from '../../core/errors.js';
import { ConnectionArgs, ConnectionType, emptyConnection, mapConnection, pageRequest, toConnection, type Connection, type PageRequest } from '../../core/graphql/connection.js';
import { payload, UserError } from '../../core/graphql/payload.js';
import { keysetAfter, keysetOrder, keysetState, type Keyset } from '../../core/pagination.js';
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
/** The most versions a see document keeps; a change past it is refused (see the header). */
export const SEE_VERSIONS_MAX = 100;
const FIELDS = ['category', 'link', 'content_type', 'markdown_short_description', 'markdown_full_description', 'creation_date', 'start_date', 'end_date', 'keystore_label', 'signature'];

/** A document's row as lists read it: no versions (those load per page, see the header). */
export interface SeeDocumentRow {
  id: string;
  userId: string;
  uniqueId: string;
  organization: string;
}
export interface SeeVersionRow {
  documentId: string;
  version: number;
  content: Record<string, string>;
}
/** The filters of User.seeDocuments: an organization's slug (any case) and a unique id. */
export interface SeeFilter {
  organization: string | null;
  uniqueId: string | null;
}

// ---- SQL ----

/** Newest first: ids are uuid v7, so this is creation order, and exact in a cursor. */
export const SEE_DOCUMENT_KEYSET: Keyset = { columns: [seeDocuments.id], direction: 'desc' };

function seeFilterWhere(userIds: readonly string[], f: SeeFilter): SQL | undefined {
  return and(
    inArray(seeDocuments.userId, [...userIds]),
    f.uniqueId ? eq(seeDocuments.uniqueId, f.uniqueId) : undefined,
    f.organization ? sql`lower(${organizations.slug}) = lower(${f.organization})` : undefined,
  );
}

/** One page of documents of each user (top-N per user), in ONE statement; no version content. */
export async function findSeeDocumentPagesByUserIds(db: Database, userIds: readonly string[], filter: SeeFilter, page: PageRequest): Promise<SeeDocumentRow[]> {
  const order = sql.join(keysetOrder(SEE_DOCUMENT_KEYSET, page), sql`, `);
  const ranked = db.$with('ranked').as(
    db
      .select({ id: seeDocuments.id, rn: sql<number>`row_number() over (partition by ${seeDocuments.userId} order by ${order})`.as('rn') })
      .from(seeDocuments)
      .innerJoin(organizations, eq(organizations.id, seeDocuments.organizationId))
      .where(and(seeFilterWhere(userIds, filter), keysetAfter(SEE_DOCUMENT_KEYSET, page))),
  );
  return db
    .with(ranked)
    .select({ id: seeDocuments.id, userId: seeDocuments.userId, uniqueId: seeDocuments.uniqueId, organization: organizations.slug })
    .from(ranked)
    .innerJoin(seeDocuments, eq(seeDocuments.id, ranked.id))
    .innerJoin(organizations, eq(organizations.id, seeDocuments.organizationId))
    .where(sql`${ranked.rn} <= ${page.size + 1}`)
    .orderBy(seeDocuments.userId, ranked.rn);
}

export async function countSeeDocumentsByUserIds(db: Database, userIds: readonly string[], filter: SeeFilter): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: seeDocuments.userId, n: count() })
    .from(seeDocuments)
    .innerJoin(organizations, eq(organizations.id, seeDocuments.organizationId))
    .where(seeFilterWhere(userIds, filter))
    .groupBy(seeDocuments.userId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** The newest version of each document, in one statement (the unique (document, version) index serves it). */
export function findLatestSeeVersions(db: Database, documentIds: readonly string[]): Promise<SeeVersionRow[]> {
  return db
    .selectDistinctOn([seeVersions.documentId], { documentId: seeVersions.documentId, version: seeVersions.version, content: seeVersions.content })
    .from(seeVersions)
    .where(inArray(seeVersions.documentId, [...documentIds]))
    .orderBy(seeVersions.documentId, desc(seeVersions.version));
}

/** Every version of each document, oldest first, in one statement (at most SEE_VERSIONS_MAX per document). */
export function findSeeVersionsByDocumentIds(db: Database, documentIds: readonly string[]): Promise<SeeVersionRow[]> {
  return db
    .select({ documentId: seeVersions.documentId, version: seeVersions.version, content: seeVersions.content })
    .from(seeVersions)
    .where(inArray(seeVersions.documentId, [...documentIds]))
    .orderBy(seeVersions.documentId, asc(seeVersions.version));
}

/** One document of the accessing organization, for a write's answer (read fresh, not through a page loader). */
async function findDocument(db: Database, userId: string, organizationId: string, uniqueId: string): Promise<SeeDocumentRow | null> {
  const [row] = await db
    .select({ id: seeDocuments.id, userId: seeDocuments.userId, uniqueId: seeDocuments.uniqueId, organization: organizations.slug })
    .from(seeDocuments)
    .innerJoin(organizations, eq(organizations.id, seeDocuments.organizationId))
    .where(and(eq(seeDocuments.userId, userId), eq(seeDocuments.organizationId, organizationId), eq(seeDocuments.uniqueId, uniqueId)));
  return row ?? null;
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

/**
 * A page of the user's see documents. The cursor is checked first, so a forged one is refused
 * even where the page would be empty; someone else's documents are an empty page.
 */
export async function seeDocumentsOf(ctx: ServiceCtx, userId: string, args: ConnectionArgs, filter: SeeFilter): Promise<Connection<SeeDocumentRow>> {
  const page = pageRequest(args);
  keysetState(SEE_DOCUMENT_KEYSET, page);
  if (!ctx.authz.isSelfOrAdmin(userId)) return emptyConnection(page);
  const f: SeeFilter = { organization: filter.organization || null, uniqueId: filter.uniqueId || null };
  const rows = await ctx.loaders.seeDocumentPage({ page, filter: f }).load(userId);
  return toConnection(rows, page, (r) => [r.id], (r) => r, () => ctx.loaders.seeDocumentCount(f).load(userId));
}

export async function createSeeDocument(ctx: ServiceCtx, input: { username: string; uniqueId: string; content: Record<string, unknown> }): Promise<SeeDocumentRow> {
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
  return (await findDocument(ctx.db, user.id, organizationId, input.uniqueId))!;
}

/** Adds a version (the content replaces the latest's fields it gives), or signs one version. */
export async function changeSeeDocument(
  ctx: ServiceCtx,
  input: { username: string; uniqueId: string; organization: string; content: Record<string, unknown>; signVersion?: number | null },
): Promise<SeeDocumentRow> {
  const { user, organizationId } = await writeParties(ctx, input.username, input.organization);
  const doc = await findDocument(ctx.db, user.id, organizationId, input.uniqueId);
  if (!doc) throw notFound('See document not found');
  const content = checkContent(input.content);
  await requireKeystoreLabel(ctx.db, user.id, organizationId, content.keystore_label);
  await ctx.db.transaction(async (tx) => {
    // Writers of one document take turns: the version number and the bound are read and kept
    // under this lock, so two changes never compute the same number nor pass the bound together.
    await tx.select({ id: seeDocuments.id }).from(seeDocuments).where(eq(seeDocuments.id, doc.id)).for('update');
    if (input.signVersion != null) {
      const [v] = await tx.select().from(seeVersions).where(and(eq(seeVersions.documentId, doc.id), eq(seeVersions.version, input.signVersion)));
      if (!v) throw notFound('See document version not found');
      if (!content.signature) throw validation('content.signature', 'A signature is required');
      const signed = checkContent({ ...v.content, signature: content.signature, ...(content.keystore_label ? { keystore_label: content.keystore_label } : {}) });
      await tx.update(seeVersions).set({ content: signed }).where(eq(seeVersions.id, v.id));
      await recordEvent(tx, ctx, { action: 'see.sign', user2Id: user.id, organizationId, data: { uniqueId: input.uniqueId, version: v.version } });
    } else {
      // Versions are numbered 1..n without gaps (none is ever removed): the latest's number is the count.
      const [latest] = await tx.select().from(seeVersions).where(eq(seeVersions.documentId, doc.id)).orderBy(desc(seeVersions.version)).limit(1);
      const n = latest?.version ?? 0;
      if (n >= SEE_VERSIONS_MAX) throw conflict('version', `A see document keeps at most ${SEE_VERSIONS_MAX} versions; this one has reached it`);
      // A new version starts unsigned: a signature covers the content it was made for.
      const { signature: _old, ...kept } = latest?.content ?? {};
      await tx.insert(seeVersions).values({ documentId: doc.id, version: n + 1, content: checkContent({ ...kept, ...content }) });
      await recordEvent(tx, ctx, { action: 'see.update', user2Id: user.id, organizationId, data: { uniqueId: input.uniqueId, version: n + 1 } });
    }
  });
  ctx.loaders.latestSeeVersionByDocumentId.clear(doc.id);
  ctx.loaders.seeVersionsByDocumentId.clear(doc.id);
  return doc;
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
  /** The row's id (not exposed): the key its versions load by. */
  id!: string;
  @Field({ description: 'The organization’s unique id for it.' })
  uniqueId!: string;
  @Field({ description: 'The organization (slug).' })
  organization!: string;
}

export const SeeDocumentConnection = ConnectionType(SeeDocument, 'SeeDocument');

@ArgsType()
export class SeeDocumentsArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Only this organization’s (slug).' })
  organization?: string | null;
  @Field(() => String, { nullable: true, description: 'Only this unique id.' })
  uniqueId?: string | null;
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

const seeDocument = (d: SeeDocumentRow) => Object.assign(new SeeDocument(), { id: d.id, uniqueId: d.uniqueId, organization: d.organization });
const seeVersion = (v: SeeVersionRow) => Object.assign(new SeeVersion(), { version: v.version, content: v.content });

@Resolver(() => User)
export class SeeResolver {
  @UserReads('id')
  @FieldResolver(() => SeeDocumentConnection, { description: 'See documents organizations keep about the user, newest first. Empty unless you are the user or an instance admin.' })
  async seeDocuments(@Root() user: User, @Args(() => SeeDocumentsArgs) args: SeeDocumentsArgs, @Ctx() ctx: Context) {
    return mapConnection(await seeDocumentsOf(ctx, user.uuid, args, { organization: args.organization ?? null, uniqueId: args.uniqueId ?? null }), seeDocument);
  }

  @Mutation(() => SeeDocumentPayload, { description: 'Creates a see document for the caller’s organization (a token bound to one); a used unique id is a CONFLICT.' })
  createSeeDocument(@Arg('input', () => CreateSeeDocumentInput, { description: 'The document.' }) input: CreateSeeDocumentInput, @Ctx() ctx: Context) {
    return payload(async () => ({ document: seeDocument(await createSeeDocument(ctx, input)) }));
  }

  @Mutation(() => SeeDocumentPayload, {
    description: `Adds a version to a see document, or signs one version (signVersion). A document keeps at most ${SEE_VERSIONS_MAX} versions: one more is a CONFLICT.`,
  })
  changeSeeDocument(@Arg('input', () => ChangeSeeDocumentInput, { description: 'The change.' }) input: ChangeSeeDocumentInput, @Ctx() ctx: Context) {
    return payload(async () => ({ document: seeDocument(await changeSeeDocument(ctx, input)) }));
  }
}

/** A document's versions: only documents the caller was given (a page of its user's, or a write's answer). */
@Resolver(() => SeeDocument)
export class SeeDocumentResolver {
  @FieldResolver(() => SeeVersion, { description: 'Its newest version.' })
  async latest(@Root() doc: SeeDocument, @Ctx() ctx: Context): Promise<SeeVersion> {
    const v = await ctx.loaders.latestSeeVersionByDocumentId.load(doc.id);
    // Every document is created with its first version, and versions are never removed.
    if (!v) throw notFound('See document version not found');
    return seeVersion(v);
  }

  @Extensions({ maxItems: SEE_VERSIONS_MAX })
  @FieldResolver(() => [SeeVersion], { description: `Its versions, oldest first (at most ${SEE_VERSIONS_MAX}).` })
  async versions(@Root() doc: SeeDocument, @Ctx() ctx: Context): Promise<SeeVersion[]> {
    return (await ctx.loaders.seeVersionsByDocumentId.load(doc.id)).map(seeVersion);
  }
}
