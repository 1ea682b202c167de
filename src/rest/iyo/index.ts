// The `iyo` dialect: Itsyouonline's API (../shared/seeds/001_a339866c2e039123.txt) at /api, as
// https://itsyou.online/api was. Part 1: the user operations (`/users/{username}/…`); part 2:
// organizations (`/organizations/…`: orgs.routes.ts and orgpeople.routes.ts — organizations, tree,
// people, organizations as members, DNS, required scopes; orgapikeys.routes.ts and orgextras.routes.ts
// — API keys, registry, descriptions, logo, 2FA validity, contracts). An organization's API key is a
// credential too: the organization itself (principal kind 'organization').
//
// Credentials: `Authorization: bearer <token>` or `Authorization: token <token>` (the scheme in
// any case), or the `access_token` query parameter, as documented; both at once is 400 (the
// document: "Do not use together"). They take the tokens /graphql takes.
//
// Errors: `{"error": "<message>"}` with the status of the error code (401, 403, 404, 409 for used
// labels and duplicates, 412 for a validated email that cannot change, 413 for bodies over the
// limit); the routes the document gives a 422 answer it (wrong password, wrong SMS code).
// Request bodies keep their JSON types: a number where a string is documented is a 400, never
// coerced into a write.
import type { FastifyRequest } from 'fastify';
import { DomainError, unauthenticated } from '../../core/errors.js';
import type { Dialect, DialectError } from '../types.js';
import { errorBody } from './common.js';
import { apiKeyRoutes } from './apikeys.routes.js';
import { authorizationRoutes } from './authorizations.routes.js';
import { labelledRoutes } from './labelled.routes.js';
import { organizationRoutes } from './organizations.routes.js';
import { orgPeopleRoutes } from './orgpeople.routes.js';
import { orgRoutes } from './orgs.routes.js';
import { avatarRoutes } from './avatar.routes.js';
import { contractRoutes } from './contracts.routes.js';
import { keystoreRoutes } from './keystore.routes.js';
import { registryRoutes } from './registry.routes.js';
import { seeRoutes } from './see.routes.js';
import { socialRoutes } from './social.routes.js';
import { twofaRoutes } from './twofa.routes.js';
import { userRoutes } from './users.routes.js';
import { orgApiKeyRoutes } from './orgapikeys.routes.js';
import { orgExtrasRoutes } from './orgextras.routes.js';

function credential(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  const header = h === undefined || h.trim() === '' ? undefined : h;
  const q = (request.query as Record<string, unknown> | undefined)?.access_token;
  if (header !== undefined && q !== undefined) throw new DomainError('BAD_REQUEST', 'Send the token in the Authorization header or in access_token, not both');
  if (q !== undefined) {
    if (typeof q !== 'string' || q === '') throw unauthenticated('access_token must be one token');
    return q;
  }
  if (header === undefined) return undefined;
  const m = /^(?:bearer|token)[ ]+(\S+)\s*$/i.exec(header);
  if (!m) throw unauthenticated('Use Authorization: bearer <token> or token <token>');
  return m[1];
}

export function iyoError(e: DialectError): { status: number; body: unknown } {
  const status = e.status >= 400 && e.status < 600 ? e.status : 500;
  return { status, body: { error: e.message } };
}

export const iyo: Dialect = {
  name: 'iyo',
  title: 'Itsyouonline API (compatibility)',
  version: '0.1',
  mounts: ['/api'],
  routes: [...userRoutes, ...labelledRoutes, ...apiKeyRoutes, ...authorizationRoutes, ...organizationRoutes, ...socialRoutes, ...twofaRoutes, ...registryRoutes, ...contractRoutes, ...avatarRoutes, ...keystoreRoutes, ...seeRoutes, ...orgRoutes, ...orgPeopleRoutes, ...orgApiKeyRoutes, ...orgExtrasRoutes],
  credential,
  error: iyoError,
  errorSchema: errorBody,
  // Avatar images come as multipart/form-data (part `file`), as the original service took them.
  formBodies: true,
  fileUploads: true,
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer', description: '`Authorization: bearer <token>` (the scheme in any case).' },
    token: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Authorization: token <token>`.' },
    access_token: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The token as the `access_token` query parameter (never together with the header).' },
  },
};
