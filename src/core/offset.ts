// OFFSET for page-number clients (the REST dialects' `page`/`page_size`): forward pages from
// the start only, bounded, since deep offsets cost a scan; cursors are the way to go further.
import { DomainError } from './errors.js';
import type { PageRequest } from './graphql/connection.js';

export function checkOffset(page: PageRequest, offset: number | null | undefined, max: number): number {
  if (offset == null) return 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > max) throw new DomainError('BAD_USER_INPUT', `Offset must be 0 to ${max}`);
  if (page.cursor || page.direction === 'backward') throw new DomainError('BAD_USER_INPUT', 'Use offset with first only, without cursors');
  return offset;
}
