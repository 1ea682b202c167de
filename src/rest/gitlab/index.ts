// The `gitlab` dialect: GitLab's Users API of 2016 (../shared/seeds/004_9efcf743aba5f7da.txt) —
// users, SSH keys and emails — at /api/v4, and at /api/v3 as `gitlab-v3` (the same table
// without v4's POST /users/:id/block and /unblock).
//
// Credentials: `Authorization: Bearer <token>`, a `PRIVATE-TOKEN: <token>` header or a
// `private_token` query parameter; each takes the tokens /graphql takes (access tokens from
// `login`, personal API tokens) and all become the same principal. Two different ones in one
// request are refused (401), not chosen between.
//
// Errors: `{"message": …}` as GitLab sends them — "401 Unauthorized", "403 Forbidden",
// "404 <Resource> Not Found"; validation failures are 400 with `{"message": {"<field>":
// ["<message>"]}}` (GitLab's field names). A conflict on PUT /users/:id (an email or username
// already taken) is `409 Conflict` with that message object: the GitLab document says this
// method "does only return a 404 error, even in cases where a 409 (Conflict) would be more
// appropriate" — we answer the more appropriate one. Duplicate SSH keys and emails on creation
// are 400 with the message object, as the document shows (routes' `recover`).
//
// Integer ids in paths are the objects' `databaseId`s: the users module's `user(databaseId:)`
// and the `databaseId` / `userDatabaseId` alternatives of its mutation inputs. Pages of
// GET /users use the `users(offset:)` argument (added for page-number clients; GraphQL clients
// should prefer cursors), so one request is one statement for the page plus one count.
import { unauthenticated } from '../../core/errors.js';
import type { Dialect, DialectError, Route } from '../types.js';
import { emailRoutes } from './emails.routes.js';
import { keyRoutes } from './keys.routes.js';
import { userRoutes } from './users.routes.js';

/** GraphQL input fields → GitLab's parameter names, for validation messages. */
const FIELD_NAMES: Record<string, string> = {
  website: 'website_url',
  externalUid: 'extern_uid',
  projectsLimit: 'projects_limit',
  canCreateGroup: 'can_create_group',
  isAdmin: 'admin',
  displayName: 'name',
  label: 'title',
  social: 'skype',
};

const REASON: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The request validator's (Ajv's) messages in the words GitLab's API uses: Grape's for
 * parameters ("is missing", "is invalid", "does not have a valid value") and Rails' for
 * lengths ("is too long (maximum is 255 characters)"). Other messages pass unchanged.
 */
export function gitlabMessage(m: string): string {
  let x: RegExpExecArray | null;
  if (/^must have required property/.test(m)) return 'is missing';
  if ((x = /^must NOT have more than (\d+) characters/.exec(m))) return `is too long (maximum is ${x[1]} characters)`;
  if ((x = /^must NOT have fewer than (\d+) characters/.exec(m))) return x[1] === '1' ? "can't be blank" : `is too short (minimum is ${x[1]} characters)`;
  if (/^must be (<=|>=|<|>) /.test(m) || /^must be equal to one of the allowed values/.test(m)) return 'does not have a valid value';
  if (/^must (be (integer|number|boolean|string|array|object)|match (pattern|format))/.test(m)) return 'is invalid';
  // The input guard's (core/input-guard.ts): a NUL, a lone surrogate, a value nested too deep.
  if (/^must not (contain|be nested)/.test(m)) return 'is invalid';
  return m;
}

/** GitLab's answer; validation failures of several fields in one message object, as Grape lists them. */
export function gitlabError(e: DialectError): { status: number; body: unknown } {
  const first = gitlabOne(e);
  const message = (first.body as { message: unknown }).message;
  if (!e.more?.length || typeof message !== 'object') return first;
  const all: Record<string, string[]> = { ...(message as Record<string, string[]>) };
  for (const m of e.more) {
    const other = (gitlabOne(m).body as { message: unknown }).message;
    if (typeof other === 'object') for (const [k, v] of Object.entries(other as Record<string, string[]>)) all[k] = [...(all[k] ?? []), ...v];
  }
  return { status: first.status, body: { message: all } };
}

function gitlabOne(e: DialectError): { status: number; body: unknown } {
  const status = e.status;
  if (status === 401 || status === 403 || status === 500) return { status, body: { message: `${status} ${REASON[status]}` } };
  if (status === 404) {
    // The user named in a nested path (/users/:uid/keys/:id) is missing: say so.
    const resource = /^User not found/.test(e.message) ? 'User' : e.resource;
    return { status, body: { message: resource ? `404 ${resource} Not Found` : '404 Not Found' } };
  }
  if ((status === 400 || status === 409) && e.field) {
    const field = FIELD_NAMES[e.field] ?? e.field;
    // GitLab's messages follow the field name ("email": ["is invalid"]): drop a leading repeat of it.
    const own = e.message.startsWith(`${e.field} `) ? e.message.slice(e.field.length + 1) : e.message;
    const message = e.code === 'CONFLICT' ? 'has already been taken' : e.code === 'VALIDATION_FAILED' ? gitlabMessage(own) : own;
    return { status, body: { message: { [field]: [message] } } };
  }
  return { status, body: { message: `${status} ${REASON[status] ?? 'Error'}${e.message ? ` - ${e.message}` : ''}` } };
}

function credential(request: Parameters<Dialect['credential']>[0]): string | undefined {
  const found: string[] = [];
  const h = request.headers.authorization;
  if (h !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    if (!m) throw unauthenticated('Use Authorization: Bearer <token>');
    found.push(m[1]!);
  }
  const p = request.headers['private-token'];
  if (p !== undefined) {
    if (Array.isArray(p) || p.trim() === '') throw unauthenticated('Send one PRIVATE-TOKEN header');
    found.push(p.trim());
  }
  const q = (request.query as Record<string, unknown> | undefined)?.private_token;
  if (q !== undefined) {
    if (typeof q !== 'string' || q === '') throw unauthenticated('private_token must be one token');
    found.push(q);
  }
  if (new Set(found).size > 1) throw unauthenticated('Send one credential');
  return found[0];
}

const errorSchema = {
  type: 'object',
  properties: {
    message: {
      oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }],
    },
  },
  required: ['message'],
};

const ROUTES: Route[] = [...userRoutes, ...keyRoutes, ...emailRoutes];

export const gitlab: Dialect = {
  name: 'gitlab',
  title: 'GitLab Users API (compatibility)',
  version: '4',
  mounts: ['/api/v4'],
  routes: ROUTES,
  credential,
  // As GitLab documents them, so generated clients send what this dialect reads (credential()).
  securitySchemes: {
    privateToken: { type: 'apiKey', in: 'header', name: 'PRIVATE-TOKEN', description: 'A personal API token.' },
    privateTokenQuery: { type: 'apiKey', in: 'query', name: 'private_token', description: 'A personal API token, in the query string (it lands in access logs: prefer the header).' },
    bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token or an access token from the GraphQL `login` mutation.' },
  },
  error: gitlabError,
  errorSchema,
  // GitLab takes JSON, urlencoded and multipart bodies (gitbeaker's Users.edit sends multipart).
  formBodies: true,
};

/** API v3: the same routes, without v4's POST block/unblock. */
export const gitlabV3: Dialect = {
  ...gitlab,
  name: 'gitlab-v3',
  title: 'GitLab Users API v3 (compatibility)',
  version: '3',
  mounts: ['/api/v3'],
  routes: ROUTES.filter((r) => !(r.method === 'POST' && /\/(un)?block$/.test(r.path))),
};
