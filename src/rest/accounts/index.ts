// The `accounts` dialect: an accounts API in Django REST framework style at /accounts/
// (../shared/seeds/002_ee542197c1cc2475.txt). Credentials: `Authorization: Bearer <token>` or
// DRF's `Authorization: Token <token>`, the same tokens as /graphql. Errors as DRF renders them:
// `{"detail": "…"}` for 401/403/404 and the like, `{"<field>": ["…"]}` (or
// `{"non_field_errors": [...]}`) for invalid input.
import type { FastifyRequest } from 'fastify';
import { DomainError, ERROR_CODES } from '../../core/errors.js';
import type { Dialect, DialectError } from '../types.js';
import { INVALID_PAGE, NOT_PROVIDED } from './common.js';
import { invitationRoutes } from './invitations.routes.js';
import { organizationRoutes } from './organizations.routes.js';
import { peopleRoutes } from './people.routes.js';
import { userRoutes } from './users.routes.js';

const DETAIL = {
  401: 'Invalid token.',
  403: 'You do not have permission to perform this action.',
  404: 'Not found.',
  405: 'Method not allowed.',
  413: 'Request body too large.',
  415: 'Unsupported media type in request.',
  429: 'Request was throttled.',
  500: 'A server error occurred.',
} as Record<number, string>;

/** GraphQL input fields → the accounts API's field names, per resource. */
const FIELDS: Record<string, Record<string, string>> = {
  Invitation: { email: 'invitee_identifier', username: 'invitee_identifier', phone: 'invitee_identifier', organization: 'invitee_identifier', validUntil: 'valid_until' },
  Organization: { amount: 'usage' },
  User: { groupDatabaseIds: 'groups', groupIds: 'groups', organizationId: 'organization', isActive: 'is_active', username: 'email' },
};

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The request field a failure is about, in the API's names; null → non_field_errors. */
function fieldOf(e: DialectError): string | null {
  if (!e.field) return null;
  // A query parameter keeps its own name (`?id=` is a filter, not the input's object id).
  if (e.field.startsWith('query.')) return e.field.slice('query.'.length);
  const f = e.field.replace(/^input\./, '').replace(/^body\.?/, '');
  if (!f || f === 'id') return null;
  return FIELDS[e.resource ?? '']?.[f] ?? snake(f.split('.')[0]!);
}

/** Ajv's messages in DRF's words ("This field is required.", "Ensure this field has …"). */
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

/** DRF's answer; validation failures of several fields in one body, as a serializer lists them. */
export function accountsError(e: DialectError): { status: number; body: unknown } {
  const first = accountsOne(e);
  if (!e.more?.length || first.status !== 400 || 'detail' in (first.body as object)) return first;
  const all: Record<string, string[]> = { ...(first.body as Record<string, string[]>) };
  for (const m of e.more) {
    const other = accountsOne(m);
    if (other.status === 400 && !('detail' in (other.body as object))) for (const [k, v] of Object.entries(other.body as Record<string, string[]>)) all[k] = [...(all[k] ?? []), ...v];
  }
  return { status: 400, body: all };
}

function accountsOne(e: DialectError): { status: number; body: unknown } {
  switch (e.code) {
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
      // No credential at all (the engine's default message, or a view's own): DRF's "not provided".
      return { status: 401, body: { detail: e.message === NOT_PROVIDED || e.message === ERROR_CODES.UNAUTHENTICATED.message ? NOT_PROVIDED : DETAIL[401] } };
    case 'FORBIDDEN':
    case 'INSUFFICIENT_SCOPE':
    case 'ACCOUNT_BLOCKED':
    case 'ACCOUNT_DISABLED':
      return { status: 403, body: { detail: DETAIL[403] } };
    case 'NOT_FOUND':
      return { status: 404, body: { detail: e.message === INVALID_PAGE ? INVALID_PAGE : DETAIL[404] } };
    case 'BAD_REQUEST':
      return { status: 400, body: { detail: 'JSON parse error.' } };
    case 'VALIDATION_FAILED':
    case 'BAD_USER_INPUT':
    case 'CONFLICT':
    case 'PRECONDITION_FAILED': {
      const field = fieldOf(e);
      // A path parameter that is no uuid: Django's URL resolver finds no view.
      if (field === 'uuid' && !e.field?.startsWith('query.')) return { status: 404, body: { detail: DETAIL[404] } };
      // A page number past the end or not a number: DRF's paginator answers 404.
      if (field === 'page') return { status: 404, body: { detail: INVALID_PAGE } };
      if (e.code === 'CONFLICT' && field === 'slug' && e.resource === 'Organization') return { status: 400, body: { slug: ['organization with this slug already exists.'] } };
      if (e.code === 'CONFLICT' && field === 'email' && e.resource === 'User') return { status: 400, body: { email: ['user with this email already exists.'] } };
      const message = e.code === 'VALIDATION_FAILED' && /must |^\S+ must/.test(e.message) ? drfMessage(e, field) : e.message.endsWith('.') ? e.message : `${e.message}.`;
      return { status: 400, body: { [field ?? 'non_field_errors']: [message] } };
    }
    default: {
      const status = e.status >= 400 && e.status < 600 ? e.status : 500;
      return { status, body: { detail: DETAIL[status] ?? e.message } };
    }
  }
}

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
