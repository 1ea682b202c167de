// Shared pieces of the GitLab dialect's route tables: JSON Schemas of ids and pages, the user,
// key and email bodies as GitLab 8 (API v3/v4 of 2016) sent them, and pagination headers.
import { DomainError, notFound, unauthenticated } from '../../core/errors.js';
import { emailString } from '../schemas.js';
import type { DialectError, JsonSchema, RestRequest, RouteResponse } from '../types.js';

/** Integer ids in paths (databaseId): digits only, within PostgreSQL's integer. */
export const intId: JsonSchema = { type: 'string', pattern: '^[0-9]{1,10}$', maxLength: 10 };
export const idParams = (...names: string[]): JsonSchema => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, intId])),
  required: names,
});
export const toInt = (s: string | undefined): number => {
  const n = Number(s);
  // Beyond PostgreSQL's integer nothing exists: answer like a missing object, not a 500.
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) throw notFound('Not found');
  return n;
};

/** `private_token` may come in the query of every route (GitLab's third credential style). */
export const privateToken: JsonSchema = { type: 'string', minLength: 1, maxLength: 512 };
export const tokenQuery: JsonSchema = { type: 'object', properties: { private_token: privateToken } };

export const text = (max: number): JsonSchema => ({ type: 'string', maxLength: max });
export const emailSchema: JsonSchema = { ...emailString, minLength: 3 };

export const USER_FIELDS = `databaseId username name state bio location website social createdAt email isAdmin
  lastSignInAt confirmedAt projectsLimit currentSignInAt canCreateGroup external identities { provider externalUid }`;

export interface UserNode {
  databaseId: number;
  username: string;
  name: string;
  state: 'ACTIVE' | 'BLOCKED' | 'DISABLED';
  bio: string | null;
  location: string | null;
  website: string | null;
  social: Record<string, string>;
  createdAt: string;
  email: string | null;
  isAdmin: boolean | null;
  lastSignInAt: string | null;
  confirmedAt: string | null;
  projectsLimit: number;
  currentSignInAt: string | null;
  canCreateGroup: boolean;
  external: boolean;
  identities: { provider: string; externalUid: string }[];
}

// Once per request: URL#origin builds a new string on every read, and a page of users reads it per user.
const origins = new WeakMap<RestRequest, string>();
const origin = (req: RestRequest): string => {
  let o = origins.get(req);
  if (o === undefined) origins.set(req, (o = req.url.origin));
  return o;
};

/** The list view every signed-in caller gets (GitLab's "for normal users"). */
export function basicUser(u: UserNode, req: RestRequest) {
  return {
    id: u.databaseId,
    username: u.username,
    name: u.name,
    // GitLab of 2016 knew `active` and `blocked`; a disabled account cannot sign in either.
    state: u.state === 'ACTIVE' ? 'active' : 'blocked',
    // No avatars are stored: GitLab sends null when a user has none and Gravatar is off.
    avatar_url: null,
    web_url: `${origin(req)}/u/${encodeURIComponent(u.username)}`,
  };
}

/**
 * The single-user view of other users ("for user"). The admin flag is private in this gateway:
 * `is_admin` is the real flag for yourself (and in admins' full view), `false` otherwise, the
 * boolean GitLab documents for this view (never null, which its clients do not expect).
 */
export function profileUser(u: UserNode, req: RestRequest) {
  // Fields spelled out rather than spread: a page of these is built on every list request, and
  // a spread copies every field of the basic view once more for each of them.
  const b = basicUser(u, req);
  return {
    id: b.id,
    username: b.username,
    name: b.name,
    state: b.state,
    avatar_url: b.avatar_url,
    web_url: b.web_url,
    created_at: u.createdAt,
    is_admin: u.isAdmin ?? false,
    bio: u.bio,
    location: u.location,
    skype: u.social?.skype ?? '',
    linkedin: u.social?.linkedin ?? '',
    twitter: u.social?.twitter ?? '',
    website_url: u.website ?? '',
  };
}

/** The full view (admins, and GET /user). `private_token` is never sent: tokens are stored as hashes. */
export function fullUser(u: UserNode, req: RestRequest) {
  const p = profileUser(u, req);
  return {
    id: p.id,
    username: p.username,
    email: u.email,
    name: p.name,
    state: p.state,
    avatar_url: p.avatar_url,
    web_url: p.web_url,
    created_at: p.created_at,
    is_admin: u.isAdmin ?? false,
    bio: p.bio,
    location: p.location,
    skype: p.skype,
    linkedin: p.linkedin,
    twitter: p.twitter,
    website_url: p.website_url,
    last_sign_in_at: u.lastSignInAt,
    confirmed_at: u.confirmedAt,
    // Interface preferences are not stored: GitLab's defaults.
    theme_id: 1,
    color_scheme_id: 1,
    projects_limit: u.projectsLimit,
    current_sign_in_at: u.currentSignInAt,
    identities: u.identities.map((i) => ({ provider: i.provider, extern_uid: i.externalUid })),
    can_create_group: u.canCreateGroup,
    can_create_project: u.projectsLimit > 0,
    two_factor_enabled: false,
    external: u.external,
  };
}

const nullableString = { type: ['string', 'null'] };
export const basicUserSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    name: { type: 'string' },
    state: { type: 'string', enum: ['active', 'blocked'] },
    avatar_url: nullableString,
    web_url: { type: 'string' },
  },
  required: ['id', 'username', 'name', 'state', 'avatar_url', 'web_url'],
};
export const fullUserSchema: JsonSchema = {
  type: 'object',
  properties: {
    ...(basicUserSchema.properties as object),
    email: nullableString,
    created_at: { type: 'string' },
    is_admin: { type: 'boolean' },
    bio: nullableString,
    location: nullableString,
    skype: { type: 'string' },
    linkedin: { type: 'string' },
    twitter: { type: 'string' },
    website_url: { type: 'string' },
    last_sign_in_at: nullableString,
    confirmed_at: nullableString,
    theme_id: { type: 'integer' },
    color_scheme_id: { type: 'integer' },
    projects_limit: { type: 'integer' },
    current_sign_in_at: nullableString,
    identities: { type: 'array', items: { type: 'object', properties: { provider: { type: 'string' }, extern_uid: { type: 'string' } } } },
    can_create_group: { type: 'boolean' },
    can_create_project: { type: 'boolean' },
    two_factor_enabled: { type: 'boolean' },
    external: { type: 'boolean' },
  },
  required: ['id', 'username', 'name', 'state'],
};

/** GitLab answers 401 to anonymous callers of every route here (the viewer is null). */
export function requireViewer<T>(viewer: T | null | undefined): T {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** "Available only for admin": the viewer's isAdmin, or 403. */
export function requireAdmin(viewer: { isAdmin: boolean | null } | null | undefined): void {
  if (!requireViewer(viewer).isAdmin) throw new DomainError('FORBIDDEN', 'Only administrators');
}

// ---- pagination (page / per_page, with GitLab's headers) ----

/** GitLab's largest page: a larger per_page is answered with pages of this size, not refused. */
export const PER_PAGE_MAX = 100;
export const pageQuery: Record<string, JsonSchema> = {
  page: { type: 'integer', minimum: 1, maximum: 10_000, default: 1 },
  per_page: { type: 'integer', minimum: 1, default: 20, description: `Items per page; above ${PER_PAGE_MAX}, ${PER_PAGE_MAX}.` },
};

export function pageOf(req: RestRequest): { page: number; perPage: number; offset: number } {
  const page = Number(req.query.page ?? 1);
  const perPage = Math.min(Number(req.query.per_page ?? 20), PER_PAGE_MAX);
  return { page, perPage, offset: (page - 1) * perPage };
}

/**
 * Lists count at most this many items for their headers. GitLab's own rule: past 10,000 records
 * it leaves out X-Total, X-Total-Pages and the `last` link, "for performance reasons" (its
 * pagination docs): counting every user on every page grows with the instance.
 */
export const GITLAB_COUNT_LIMIT = 10_000;

/**
 * X-Total, X-Total-Pages, X-Page, X-Per-Page, X-Next-Page, X-Prev-Page and Link, as GitLab sends
 * them. `total` null: more than GITLAB_COUNT_LIMIT; then, as GitLab, no X-Total, X-Total-Pages or
 * `last` link, and the next page is known from `hasNextPage`.
 */
export function pageHeaders(req: RestRequest, total: number | null, hasNextPage = false): Record<string, string> {
  const { page, perPage } = pageOf(req);
  const totalPages = total === null ? null : Math.max(1, Math.ceil(total / perPage));
  const next = totalPages === null ? (hasNextPage ? page + 1 : null) : page < totalPages ? page + 1 : null;
  const prev = page > 1 ? (totalPages === null ? page - 1 : Math.min(page - 1, totalPages)) : null;
  const link = (p: number) => {
    const u = new URL(req.url.toString());
    // A credential in the query must not travel on in links (logs, proxies, Referer).
    u.searchParams.delete('private_token');
    u.searchParams.set('page', String(p));
    u.searchParams.set('per_page', String(perPage));
    return u.toString();
  };
  const links = [
    ...(prev ? [`<${link(prev)}>; rel="prev"`] : []),
    ...(next ? [`<${link(next)}>; rel="next"`] : []),
    `<${link(1)}>; rel="first"`,
    ...(totalPages === null ? [] : [`<${link(totalPages)}>; rel="last"`]),
  ];
  return {
    ...(total === null ? {} : { 'x-total': String(total), 'x-total-pages': String(totalPages) }),
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-next-page': next ? String(next) : '',
    'x-prev-page': prev ? String(prev) : '',
    link: links.join(', '),
  };
}

// ---- answers that GitLab gives where the engine would give an error ----

/** GitLab's idempotent DELETEs: a missing (or not available) object is `200 OK` with `{}`. */
export const idempotent = (e: DialectError): RouteResponse | undefined =>
  e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN' ? { status: 200, body: {} } : undefined;

/** Creation conflicts are `400 Bad Request` with the message object (the doc's examples). */
export const conflictAs400 =
  (fields: (field: string | null | undefined) => string[]) =>
  (e: DialectError): RouteResponse | undefined =>
    e.code === 'CONFLICT' ? { status: 400, body: { message: Object.fromEntries(fields(e.field).map((f) => [f, ['has already been taken']])) } } : undefined;
