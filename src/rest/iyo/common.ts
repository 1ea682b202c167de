// Shared pieces of the Itsyouonline dialect's route tables: path parameters, the owner check of
// `/users/{username}/…` reads, and the `{"error": "…"}` answers the document gives a status of its
// own (422 for a wrong password or SMS code).
import { DomainError, notFound } from '../../core/errors.js';
import { labelString, usernameString } from '../schemas.js';
import type { DialectError, JsonSchema, RouteResponse } from '../types.js';

/**
 * `{username}` in paths. Any existing username (the gateway's general rule), not only
 * Itsyouonline's `^[a-z0-9]{2,30}$`: accounts made through other entrances stay reachable here;
 * new Itsyouonline accounts (POST /users) follow the strict pattern.
 */
export const usernameParams = (...more: string[]): JsonSchema => ({
  type: 'object',
  properties: { username: usernameString, ...Object.fromEntries(more.map((n) => [n, labelString])) },
  required: ['username', ...more],
});

/** `access_token` may come in the query of every route (never together with the header: 400). */
export const tokenQuery: JsonSchema = { type: 'object', properties: { access_token: { type: 'string', minLength: 1, maxLength: 4096 } } };

/** What the read routes select to decide who is asking about whom. */
export const OWNER_FIELDS = 'viewer { id isAdmin }';

interface OwnerData {
  viewer: { id: string; isAdmin: boolean | null } | null;
  user: { id: string } | null;
}

/**
 * The user of a `/users/{username}/…` read, once the caller may read it: the user themself or
 * an instance admin. A credential that is no user 403, a missing user 404, another user 403 (usernames are no
 * secret here: every signed-in caller can look a user up).
 */
export function requireOwner<T extends { id: string }>(d: { viewer: OwnerData['viewer']; user: T | null }): T {
  // Anonymous requests never get here (the engine answers them 401 first): no viewer means a
  // credential that is no user (an organization's API key), which may not read profiles.
  if (!d.viewer) throw new DomainError('FORBIDDEN', 'This credential does not act as a user');
  if (!d.user) throw notFound('User not found');
  if (d.viewer.id !== d.user.id && !d.viewer.isAdmin) throw new DomainError('FORBIDDEN', 'You may read only your own profile');
  return d.user;
}

/** The item with this label, or 404. */
export function byLabel<T extends { label: string | null }>(items: T[], label: string | undefined, what: string): T {
  const found = items.find((i) => i.label === label);
  if (!found) throw notFound(`${what} not found`);
  return found;
}

/** Answers these codes as 422 `{"error": "…"}`, as the document does for wrong passwords and codes. */
export const as422 =
  (...codes: string[]) =>
  (e: DialectError): RouteResponse | undefined =>
    codes.includes(e.code) ? { status: 422, body: { error: e.message } } : undefined;

export const errorBody: JsonSchema = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] };
export const noBody: JsonSchema = { type: 'null' };
