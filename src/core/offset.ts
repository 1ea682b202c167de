// OFFSET for page-number clients (the REST dialects' `page`/`page_size`): forward pages from
// the start only, bounded, since deep offsets cost a scan; cursors are the way to go further.
// The bounds live here, once, for the GraphQL `offset` arguments and the dialects' page checks.
import { DomainError } from './errors.js';
import type { PageRequest } from './graphql/connection.js';

/** The largest `offset` of a list (organizations, groups, invitations, members); cursors go further. */
export const MAX_OFFSET = 100_000;

/**
 * The users list's larger bound: it is the list that grows with the instance, and GitLab
 * clients page through all of it by number (its users list is by database id, an index scan).
 */
export const MAX_USERS_OFFSET = 1_000_000;

/**
 * The page with its offset checked and recorded (`skipped`), so its pageInfo can say there are
 * items before it (hasPreviousPage) as a cursor page does.
 */
export function offsetPage(page: PageRequest, offset: number | null | undefined, max: number = MAX_OFFSET): PageRequest & { skipped: number } {
  return { ...page, skipped: checkOffset(page, offset, max) };
}

function checkOffset(page: PageRequest, offset: number | null | undefined, max: number): number {
  if (offset == null) return 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > max) throw new DomainError('BAD_USER_INPUT', `Offset must be 0 to ${max}`);
  if (page.cursor || page.direction === 'backward') throw new DomainError('BAD_USER_INPUT', 'Use offset with first only, without cursors');
  return offset;
}
