// Shared pieces of the seald dialect: the path prefix, the session cookie, `{id}` path
// parameters, the `{"status": "ok"}` answer and the team a request acts in.
import { tokenOrganizationOf } from '../../core/auth/tenant.js';
import { forbidden } from '../../core/errors.js';
import { gid, signedIn, uuid } from '../drf.js';
import type { JsonSchema, RestRequest, RouteResponse } from '../types.js';

export const BASE = '/dashboardapi/v2';
/** The dashboard session cookie (HttpOnly, SameSite=Lax, Secure over https). */
export const SESSION_COOKIE = 'sealddashboard_session';

/** `/{id}/` paths: a value that is no uuid answers 404, as Django's URL resolver does. */
export const idParams: JsonSchema = { type: 'object', properties: { id: uuid }, required: ['id'] };

export const statusOk: JsonSchema = { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] };
export const ok = (extra: Record<string, unknown> = {}): RouteResponse => ({ status: 201, body: { status: 'ok', ...extra } });

export const USER_ERRORS = 'userErrors { code field message }';

/**
 * The team (organization, global ID) the request acts in: the one its API key or session is
 * bound to. 401 for anonymous callers, 403 for a credential bound to no team.
 */
export function teamOf(r: RestRequest): string {
  if (r.principal.kind === 'teamJwt') throw forbidden('A JWT of the team may not do this');
  signedIn(r);
  const team = tokenOrganizationOf(r.principal);
  if (!team) throw forbidden('This credential is bound to no team');
  return gid('Organization', team);
}

/** The `dashboardTeam` an operation read: null means the caller does not administer its team (403). */
export function administeredTeam<T>(team: T | null | undefined): T {
  if (!team) throw forbidden('You do not administer this team');
  return team;
}

/** A path `{id}` as the global ID of `type`. */
export const idOf = (r: RestRequest, type: string) => {
  signedIn(r);
  return gid(type, r.params.id!);
};

/** An optional ISO date-time query parameter (the route schema checked its format). */
export const dateQuery: JsonSchema = { type: 'string', format: 'date-time', maxLength: 64 };
export const boolQuery: JsonSchema = { type: 'boolean' };

/** The page of a team list (page, page_size) as GraphQL `first`/`offset`. */
export { pageOfRequest } from '../drf.js';
