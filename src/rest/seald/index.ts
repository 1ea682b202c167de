// The `seald` dialect: the Seald Dashboard API v2, part 1 — team administration
// (../shared/seeds/000_56e4d3f738a403ce.txt; issue 23). Mounted at the root: its paths carry
// `/dashboardapi/v2/…` with trailing slashes, as documented. A Seald "team" is an organization;
// a caller acts in the team its credential is bound to (common.ts teamOf).
//
// Credentials (the first present wins; each one alone is enough):
// - `X-DASHBOARD-API-KEY: <api key>`: a team API key (apitokens/), i.e. an organization-bound
//   personal API token of the graph — what Seald's SDK and scripts send;
// - `Authorization: Bearer <token>`: the same tokens (or a login access token, which has no team);
// - the session cookie `sealddashboard_session` set by `POST admin/login/` (HttpOnly,
//   SameSite=Lax, Secure over https — behind a proxy, with TRUST_PROXY, per X-Forwarded-Proto).
//
// CSRF: a request carried by the session cookie alone that may change something (any method but
// GET, HEAD and OPTIONS) must carry `X-Requested-With: XMLHttpRequest`, a header a cross-site
// form cannot send and a cross-site script cannot add without a CORS preflight this server never
// grants; without it: 403 `{"detail": "CSRF Failed: …"}`. Header credentials need no such
// header (a browser never adds them by itself).
//
// Errors are DRF's (the accounts dialect's shaping, reused): `{"detail": "…"}` for 401/403/404,
// `{"<field>": ["…"]}` for invalid input with Seald's field names; a path id that is no uuid is
// 404; a failed sign-in is 400 `{"non_field_errors": [...]}`, a missing or wrong second factor
// 400 `{"otp": [...]}`.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../core/errors.js';
import { drfErrors, NOT_PROVIDED } from '../drf.js';
import type { Dialect } from '../types.js';
import { adminRoutes } from './admin.routes.js';
import { apitokenRoutes } from './apitokens.routes.js';
import { SESSION_COOKIE } from './common.js';
import { connectorRoutes } from './connectors.routes.js';
import { invitedEmailRoutes } from './invitedemails.routes.js';
import { jwtSharedSecretRoutes } from './jwtsharedsecret.routes.js';
import { keyRoutes } from './keys.routes.js';
import { groupRoutes } from './groups.routes.js';
import { logRoutes } from './logs.routes.js';
import { messageRoutes } from './messages.routes.js';
import { recoveryRoutes } from './recovery.routes.js';
import { twofaRoutes } from './twofa.routes.js';
import { userRoutes } from './users.routes.js';

export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'XMLHttpRequest';
const CSRF_FAILED = `CSRF Failed: a request with the session cookie needs the header X-Requested-With: ${CSRF_VALUE}.`;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** GraphQL input fields → Seald's request field names, where snake_case is not the answer. */
const FIELDS: Record<string, string> = { currentPassword: 'old_password', expiresAt: 'valid_until', domainValidationKeyId: 'domainvalidationkey_id', userId: 'bearduser_id', additionalFactor: 'created_for_additional_factor', entrustedType: 'entrusted_created_for_type', entrustedValue: 'entrusted_created_for_value', adminKeyId: 'adminkey_id', keys: 'keys', encryptedMessageKeys: 'encrypted_message_keys' };

/** The value of one cookie of the request, if sent. */
function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

export const sealdError = drfErrors({
  fieldName: (field) => FIELDS[field],
  pathIds: ['id'],
  special(e) {
    if (e.code === 'FORBIDDEN' && e.message === CSRF_FAILED) return { status: 403, body: { detail: CSRF_FAILED } };
    if (e.code !== 'INVALID_CREDENTIALS') return undefined;
    return e.field?.endsWith('otp') ? { status: 400, body: { otp: [e.message.endsWith('.') ? e.message : `${e.message}.`] } } : { status: 400, body: { non_field_errors: ['Unable to log in with provided credentials.'] } };
  },
});

export const seald: Dialect = {
  name: 'seald',
  title: 'Seald Dashboard API v2 (team administration)',
  version: '2.0',
  mounts: [''],
  routes: [...adminRoutes, ...twofaRoutes, ...apitokenRoutes, ...userRoutes, ...logRoutes, ...jwtSharedSecretRoutes, ...connectorRoutes, ...invitedEmailRoutes, ...keyRoutes, ...groupRoutes, ...messageRoutes, ...recoveryRoutes],
  credential(request: FastifyRequest) {
    const key = request.headers['x-dashboard-api-key'];
    if (typeof key === 'string' && key.trim() !== '') return key.trim();
    const h = request.headers.authorization;
    if (h !== undefined && h.trim() !== '') {
      const m = /^Bearer[ ]+(\S+)\s*$/i.exec(h);
      if (!m) throw new DomainError('UNAUTHENTICATED', NOT_PROVIDED);
      return m[1];
    }
    const session = cookieOf(request, SESSION_COOKIE);
    if (session === undefined) return undefined;
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== CSRF_VALUE) throw new DomainError('FORBIDDEN', CSRF_FAILED);
    return session;
  },
  error: sealdError,
  errorSchema: {
    type: 'object',
    description: '`{"detail": "…"}`, or for invalid input `{"<field>": ["…"]}` / `{"non_field_errors": ["…"]}`.',
    properties: { detail: { type: 'string' }, non_field_errors: { type: 'array', items: { type: 'string' } } },
    additionalProperties: { type: 'array', items: { type: 'string' } },
  },
  securitySchemes: {
    dashboardApiKey: { type: 'apiKey', in: 'header', name: 'X-DASHBOARD-API-KEY', description: 'A team API key (apitokens/).' },
    bearer: { type: 'http', scheme: 'bearer', description: 'The same API keys as a Bearer token.' },
    session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The dashboard session set by POST admin/login/. State-changing requests also need `X-Requested-With: XMLHttpRequest` (CSRF).' },
  },
};
