// Shared pieces of the accounts dialect: path and query schemas and the organization a request
// is about. DRF's pagination, envelope and signed-in guard are shared with the seald dialect
// (../drf.ts) and re-exported here for the accounts route tables.
import { confiningOrganizationOf, tokenOrganizationOf } from '../../core/auth/tenant.js';
import { DomainError } from '../../core/errors.js';
import type { JsonSchema, RestRequest } from '../types.js';
import { gid, uuid } from '../drf.js';

export { DEFAULT_PAGE_SIZE, INVALID_PAGE, MAX_PAGE_SIZE, NOT_PROVIDED, envelope, gid, pageOf, pageOfRequest, pageQuery, signedIn, uuid, uuidOf, type Page } from '../drf.js';

/** `/:uuid/` paths: a value that is no uuid answers 404, as Django's URL resolver does. */
export const uuidParams: JsonSchema = { type: 'object', properties: { uuid }, required: ['uuid'] };

/** The lists skip at most this many rows: the GraphQL offset's bound, answered as DRF's invalid page. */
export { MAX_OFFSET, MAX_USERS_OFFSET } from '../../core/offset.js';

export const searchQuery: JsonSchema = { type: 'string', maxLength: 200, description: 'A search term.' };

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
