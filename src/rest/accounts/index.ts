// The `accounts` dialect: an accounts API in Django REST framework style at /accounts/
// (../shared/seeds/002_ee542197c1cc2475.txt). Credentials: `Authorization: Bearer <token>` or
// DRF's `Authorization: Token <token>`, the same tokens as /graphql. Errors as DRF renders them:
// `{"detail": "…"}` for 401/403/404 and the like, `{"<field>": ["…"]}` (or
// `{"non_field_errors": [...]}`) for invalid input.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../core/errors.js';
import { drfErrors } from '../drf.js';
import type { Dialect } from '../types.js';
import { NOT_PROVIDED } from './common.js';
import { invitationRoutes } from './invitations.routes.js';
import { organizationRoutes } from './organizations.routes.js';
import { peopleRoutes } from './people.routes.js';
import { userRoutes } from './users.routes.js';

/** GraphQL input fields → the accounts API's field names, per resource. */
const FIELDS: Record<string, Record<string, string>> = {
  Invitation: { email: 'invitee_identifier', username: 'invitee_identifier', phone: 'invitee_identifier', organization: 'invitee_identifier', validUntil: 'valid_until' },
  Organization: { amount: 'usage' },
  User: { groupDatabaseIds: 'groups', groupIds: 'groups', organizationId: 'organization', isActive: 'is_active', username: 'email' },
};

/** DRF's answers, with this API's field names and its models' own uniqueness messages. */
export const accountsError = drfErrors({
  fieldName: (field, resource) => FIELDS[resource ?? '']?.[field],
  pathIds: ['uuid'],
  special(e) {
    if (e.code !== 'CONFLICT') return undefined;
    const field = e.field?.replace(/^input\./, '');
    if (field === 'slug' && e.resource === 'Organization') return { status: 400, body: { slug: ['organization with this slug already exists.'] } };
    if (field === 'email' && e.resource === 'User') return { status: 400, body: { email: ['user with this email already exists.'] } };
    return undefined;
  },
});

export const accounts: Dialect = {
  name: 'accounts',
  title: 'Accounts API (Django REST framework compatibility)',
  version: '1.0',
  mounts: [''],
  routes: [...organizationRoutes, ...invitationRoutes, ...userRoutes, ...peopleRoutes],
  credential(request: FastifyRequest) {
    const h = request.headers.authorization;
    if (h === undefined || h.trim() === '') return undefined;
    const m = /^(?:Bearer|Token)[ ]+(\S+)\s*$/i.exec(h);
    // DRF ignores other schemes (and then finds no credentials); refusing them says the same.
    if (!m) throw new DomainError('UNAUTHENTICATED', NOT_PROVIDED);
    return m[1];
  },
  // DRF's TokenAuthentication (`Authorization: Token <key>`) and Bearer, as credential() reads them.
  securitySchemes: {
    token: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Django REST framework token authentication: the value is `Token <key>` (a personal API token).' },
    bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token or an access token from the GraphQL `login` mutation.' },
  },
  error: accountsError,
  errorSchema: {
    type: 'object',
    description: '`{"detail": "…"}`, or for invalid input `{"<field>": ["…"]}` / `{"non_field_errors": ["…"]}`.',
    properties: { detail: { type: 'string' }, non_field_errors: { type: 'array', items: { type: 'string' } } },
    additionalProperties: { type: 'array', items: { type: 'string' } },
  },
};
