// What the Django REST framework-style dialects share (accounts, seald): DRF's page-number
// pagination (`page`, `page_size`, absolute next/previous links built from the request URL, a
// page past the end answering 404 "Invalid page."), the envelope `{count, next, previous,
// results}`, the signed-in guard (DRF answers 401 before anything else when a view needs
// authentication) and uuid path parameters.
import { DomainError, notFound } from '../core/errors.js';
import { MAX_OFFSET } from '../core/offset.js';
import { fromGlobalId, toGlobalId } from '../core/graphql/node.js';
import { uuidString } from './schemas.js';
import type { JsonSchema, RestRequest } from './types.js';

export const uuid: JsonSchema = { ...uuidString, description: 'uuid' };

export const NOT_PROVIDED = 'Authentication credentials were not provided.';
export const INVALID_PAGE = 'Invalid page.';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const pageQuery: Record<string, JsonSchema> = {
  page: { type: 'integer', minimum: 1, maximum: 1_000_000, description: 'A page number within the paginated result set.' },
  // DRF's max_page_size: a larger page_size is answered with pages of this size, not refused.
  page_size: { type: 'integer', minimum: 1, description: `Number of results to return per page (at most ${MAX_PAGE_SIZE}).` },
};

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

/** Every view of these dialects but sign-in needs a signed-in caller. */
export function signedIn(r: RestRequest): void {
  if (r.principal.kind !== 'user') throw new DomainError('UNAUTHENTICATED', NOT_PROVIDED);
}

export interface Page {
  page: number;
  size: number;
  offset: number;
}

/**
 * The page a request asks for (`page_size` capped at MAX_PAGE_SIZE, as DRF's max_page_size does);
 * one that would skip more than `maxOffset` rows (the list's offset bound, core/offset.ts) is
 * DRF's 404 "Invalid page.".
 */
export function pageOfRequest(r: RestRequest, maxOffset: number = MAX_OFFSET): Page {
  const page = Number(r.query.page ?? 1);
  const size = Math.min(Number(r.query.page_size ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const offset = (page - 1) * size;
  if (offset > maxOffset) throw notFound(INVALID_PAGE);
  return { page, size, offset };
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
