// Shared pieces of the accounts dialect: path and query schemas, DRF page-number pagination
// (absolute next/previous links from the request URL), and the signed-in guard (DRF answers
// 401 before anything else when a view needs authentication).
import { confiningOrganizationOf, tokenOrganizationOf } from '../../core/auth/tenant.js';
import { DomainError, notFound } from '../../core/errors.js';
import { fromGlobalId, toGlobalId } from '../../core/graphql/node.js';
import { uuidString } from '../schemas.js';
import type { JsonSchema, RestRequest } from '../types.js';

export const uuid: JsonSchema = { ...uuidString, description: 'uuid' };
/** `/:uuid/` paths: a value that is no uuid answers 404, as Django's URL resolver does. */
export const uuidParams: JsonSchema = { type: 'object', properties: { uuid }, required: ['uuid'] };

export const NOT_PROVIDED = 'Authentication credentials were not provided.';
export const INVALID_PAGE = 'Invalid page.';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** The lists skip at most this many rows: the GraphQL offset's bound, answered as DRF's invalid page. */
export { MAX_OFFSET, MAX_USERS_OFFSET } from '../../core/offset.js';

export const pageQuery: Record<string, JsonSchema> = {
  page: { type: 'integer', minimum: 1, maximum: 1_000_000, description: 'A page number within the paginated result set.' },
  // DRF's max_page_size: a larger page_size is answered with pages of this size, not refused.
  page_size: { type: 'integer', minimum: 1, description: `Number of results to return per page (at most ${MAX_PAGE_SIZE}).` },
};
export const searchQuery: JsonSchema = { type: 'string', maxLength: 200, description: 'A search term.' };

/** DRF's envelope around a list schema. */
export const pageOf = (item: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: {
    count: { type: 'integer' },
    next: { type: ['string', 'null'], format: 'uri' },
    previous: { type: ['string', 'null'], format: 'uri' },
    results: { type: 'array', items: item },
  },
  required: ['count', 'next', 'previous', 'results'],
});

/** Every accounts view needs a signed-in caller. */
export function signedIn(r: RestRequest): void {
  if (r.principal.kind !== 'user') throw new DomainError('UNAUTHENTICATED', NOT_PROVIDED);
}

export interface Page {
  page: number;
  size: number;
  offset: number;
}

export function pageOfRequest(r: RestRequest): Page {
  const page = Number(r.query.page ?? 1);
  const size = Math.min(Number(r.query.page_size ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  return { page, size, offset: (page - 1) * size };
}

/** The request's URL with `page` set (page 1: removed, as DRF does). */
function pageLink(r: RestRequest, page: number): string {
  const u = new URL(r.url.href);
  if (page <= 1) u.searchParams.delete('page');
  else u.searchParams.set('page', String(page));
  return u.href;
}

/** DRF's page body; a page past the end (other than an empty first page) → 404 "Invalid page.". */
export function envelope<T>(r: RestRequest, p: Page, count: number, results: T[]) {
  if (p.page > 1 && p.offset >= count) throw notFound(INVALID_PAGE);
  return {
    count,
    next: p.offset + results.length < count ? pageLink(r, p.page + 1) : null,
    previous: p.page > 1 ? pageLink(r, p.page - 1) : null,
    results,
  };
}

export const uuidOf = (globalId: string | null | undefined): string | null => (globalId ? (fromGlobalId(globalId)?.id ?? null) : null);
export const gid = (type: string, id: string) => toGlobalId(type, id.toLowerCase());

/** `?organization=<uuid>`: the organization a request is about. */
export const organizationQuery: JsonSchema = { ...uuid, description: 'The organization (uuid); default: the one your API token is bound to.' };

/** The organization given (in the body or `?organization=`), else the API token's; null when neither. */
export function optionalOrganizationOf(r: RestRequest, fromBody?: string): string | null {
  const given = fromBody ?? (r.query.organization as string | undefined);
  if (given) return gid('Organization', given);
  const bound = tokenOrganizationOf(r.principal);
  return bound ? gid('Organization', bound) : null;
}

/** The organization the request is about (global ID); 400 `{"organization": [...]}` when none. */
export function organizationOf(r: RestRequest, fromBody?: string): string {
  const org = optionalOrganizationOf(r, fromBody);
  if (!org) throw new DomainError('VALIDATION_FAILED', 'This field is required.', 'organization');
  return org;
}

/**
 * The organization a view is limited to: the one given, else the API token's — except for
 * instance admins, whom a token's organization does not limit (core/auth/tenant.ts).
 */
export function viewOrganizationOf(r: RestRequest): string | null {
  if (r.query.organization) return gid('Organization', r.query.organization as string);
  const confining = confiningOrganizationOf(r.principal);
  return confining ? gid('Organization', confining) : null;
}
