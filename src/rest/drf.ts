// What the Django REST framework-style dialects share (accounts, seald): DRF's page-number
// pagination (`page`, `page_size`, absolute next/previous links built from the request URL, a
// page past the end answering 404 "Invalid page."), the envelope `{count, next, previous,
// results}`, the signed-in guard (DRF answers 401 before anything else when a view needs
// authentication), uuid path parameters, and DRF's error bodies (`{"detail": "…"}`, or
// `{"<field>": ["…"]}` / `{"non_field_errors": [...]}` for invalid input, in DRF's words).
import { DomainError, ERROR_CODES, notFound } from '../core/errors.js';
import { MAX_OFFSET } from '../core/offset.js';
import { fromGlobalId, toGlobalId } from '../core/graphql/node.js';
import { uuidString } from './schemas.js';
import type { DialectError, JsonSchema, RestRequest } from './types.js';

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

export const DRF_DETAIL: Record<number, string> = {
  401: 'Invalid token.',
  403: 'You do not have permission to perform this action.',
  404: 'Not found.',
  405: 'Method not allowed.',
  413: 'Request body too large.',
  415: 'Unsupported media type in request.',
  429: 'Request was throttled.',
  500: 'A server error occurred.',
};

type Answer = { status: number; body: unknown };

/** How one DRF-style API differs from the others in its error bodies. */
export interface DrfErrorStyle {
  /** The API's name of a GraphQL input field of `resource` (undefined: its snake_case). */
  fieldName?: (field: string, resource: string | undefined) => string | undefined;
  /** Path parameters that must be uuids: a value that is none is Django's 404 (no view matches). */
  pathIds: string[];
  /** The API's own answer to some failures, before DRF's rules (undefined: DRF's rules). */
  special?: (e: DialectError) => Answer | undefined;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The request field a failure is about, in the API's names; null → non_field_errors. */
function fieldOf(e: DialectError, style: DrfErrorStyle): string | null {
  if (!e.field) return null;
  // A query parameter keeps its own name (`?id=` is a filter, not the input's object id).
  if (e.field.startsWith('query.')) return e.field.slice('query.'.length);
  const f = e.field.replace(/^input\./, '').replace(/^body\.?/, '');
  if (!f || f === 'id') return null;
  return style.fieldName?.(f, e.resource) ?? snake(f.split('.')[0]!);
}

/** Ajv's and the input guard's messages in DRF's words ("This field is required.", …). */
function drfMessage(e: DialectError, field: string | null): string {
  const m = e.message;
  let x: RegExpExecArray | null;
  if (/must have required property/.test(m)) return 'This field is required.';
  if ((x = /must NOT have more than (\d+) characters/.exec(m))) return `Ensure this field has no more than ${x[1]} characters.`;
  if ((x = /must NOT have fewer than (\d+) characters/.exec(m))) return x[1] === '1' ? 'This field may not be blank.' : `Ensure this field has at least ${x[1]} characters.`;
  if ((x = /must be <= (\d+)/.exec(m))) return `Ensure this value is less than or equal to ${x[1]}.`;
  if ((x = /must be >= (\d+)/.exec(m))) return `Ensure this value is greater than or equal to ${x[1]}.`;
  if (/must be integer/.test(m)) return 'A valid integer is required.';
  if (/must be boolean/.test(m)) return 'Must be a valid boolean.';
  if (/must be string/.test(m)) return 'Not a valid string.';
  if (/must be array/.test(m)) return 'Expected a list of items.';
  if (/must be object/.test(m)) return 'Invalid data. Expected a dictionary.';
  if (/must be equal to one of the allowed values/.test(m)) return 'This is not a valid choice.';
  if (/must match pattern/.test(m)) {
    if (field === 'slug') return 'Enter a valid “slug” consisting of letters, numbers, underscores, hyphens or periods.';
    if (field === 'email') return 'Enter a valid email address.';
    return 'Enter a valid value.';
  }
  if (/must match format "email"/.test(m)) return 'Enter a valid email address.';
  // The input guard's (core/input-guard.ts), in the words of DRF's own validators.
  if (/must not contain NUL/.test(m)) return 'Null characters are not allowed.';
  if ((x = /must not contain unpaired surrogates \((U\+[0-9A-F]+)\)/.exec(m))) return `Surrogate characters are not allowed: ${x[1]}.`;
  if (/must not be nested/.test(m)) return 'Invalid data.';
  if (/must match format "date-time"/.test(m)) return 'Datetime has wrong format.';
  return m.endsWith('.') ? m : `${m}.`;
}

function drfOne(e: DialectError, style: DrfErrorStyle): Answer {
  const own = style.special?.(e);
  if (own) return own;
  switch (e.code) {
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
      // No credential at all (the engine's default message, or a view's own): DRF's "not provided".
      return { status: 401, body: { detail: e.message === NOT_PROVIDED || e.message === ERROR_CODES.UNAUTHENTICATED.message ? NOT_PROVIDED : DRF_DETAIL[401] } };
    case 'FORBIDDEN':
    case 'INSUFFICIENT_SCOPE':
    case 'ACCOUNT_BLOCKED':
    case 'ACCOUNT_DISABLED':
      return { status: 403, body: { detail: DRF_DETAIL[403] } };
    case 'NOT_FOUND':
      return { status: 404, body: { detail: e.message === INVALID_PAGE ? INVALID_PAGE : DRF_DETAIL[404] } };
    case 'BAD_REQUEST':
      return { status: 400, body: { detail: 'JSON parse error.' } };
    case 'VALIDATION_FAILED':
    case 'BAD_USER_INPUT':
    case 'CONFLICT':
    case 'PRECONDITION_FAILED': {
      // A path id that is no uuid (the route's schema refused it): Django's URL resolver finds no view.
      if (e.code === 'VALIDATION_FAILED' && e.field && style.pathIds.includes(e.field)) return { status: 404, body: { detail: DRF_DETAIL[404] } };
      const field = fieldOf(e, style);
      // A page number past the end or not a number: DRF's paginator answers 404.
      if (field === 'page') return { status: 404, body: { detail: INVALID_PAGE } };
      const message = e.code === 'VALIDATION_FAILED' && /must |^\S+ must/.test(e.message) ? drfMessage(e, field) : e.message.endsWith('.') ? e.message : `${e.message}.`;
      return { status: 400, body: { [field ?? 'non_field_errors']: [message] } };
    }
    default: {
      const status = e.status >= 400 && e.status < 600 ? e.status : 500;
      return { status, body: { detail: DRF_DETAIL[status] ?? e.message } };
    }
  }
}

/** A DRF-style API's error renderer; validation failures of several fields in one body, as a serializer lists them. */
export function drfErrors(style: DrfErrorStyle): (e: DialectError) => Answer {
  return (e) => {
    const first = drfOne(e, style);
    if (!e.more?.length || first.status !== 400 || 'detail' in (first.body as object)) return first;
    const all: Record<string, string[]> = { ...(first.body as Record<string, string[]>) };
    for (const m of e.more) {
      const other = drfOne(m, style);
      if (other.status === 400 && !('detail' in (other.body as object))) for (const [k, v] of Object.entries(other.body as Record<string, string[]>)) all[k] = [...(all[k] ?? []), ...v];
    }
    return { status: 400, body: all };
  };
}
