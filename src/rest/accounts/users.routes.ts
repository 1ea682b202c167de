// Users of the accounts API (../shared/seeds/002_ee542197c1cc2475.txt), Django's user model:
// `id` is the integer id, `uuid` the row id, `groups` integer group ids, `is_active` false for a
// disabled (or blocked) account, which cannot sign in.
//
// Choices where the document is silent:
// - "The organization" (`?organization=<uuid>`, else the one the API token is bound to) scopes the
//   views: the list holds its members, one user outside it answers 404, and users created go into
//   it (so their `groups`, which belong to organizations, can be set). Without one, the list needs
//   an instance admin (400 `{"organization": [...]}` otherwise) and one user is one who shares an
//   organization with the caller (instance admins: any user; 404 otherwise). PUT and PATCH of a
//   user outside the caller's organizations answer 404 too (updateUser's rule).
// - Creating needs an `email` (the username is derived from it); only instance admins create,
//   delete, change `email` or `is_active`; users change their own names. A validation code is
//   mailed to the new address.
// - PUT and PATCH both change only the fields sent (DRF's PUT has no required field here); a
//   field sent back unchanged is no change, so a client may PUT what it read.
// - `groups` replaces the memberships among the groups the caller manages; others stay.
import { notFound } from '../../core/errors.js';
import { emailString } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { MAX_USERS_OFFSET, envelope, gid, viewOrganizationOf, organizationOf, organizationQuery, pageOf, pageOfRequest, pageQuery, searchQuery, signedIn, uuidOf, uuidParams } from './common.js';

export const userSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    uuid: { type: 'string', format: 'uuid' },
    email: { type: ['string', 'null'], format: 'email' },
    first_name: { type: 'string' },
    last_name: { type: 'string' },
    groups: { type: 'array', items: { type: 'integer' }, description: 'The groups this user belongs to (those you can see).' },
    is_active: { type: 'boolean', description: 'Designates whether this user should be treated as active. Unselect this instead of deleting accounts.' },
  },
  required: ['id', 'uuid', 'email', 'first_name', 'last_name', 'groups', 'is_active'],
};

const userBodySchema = (required: string[] = []): JsonSchema => ({
  type: 'object',
  properties: {
    email: { ...emailString, minLength: 3 },
    first_name: { type: 'string', maxLength: 150 },
    last_name: { type: 'string', maxLength: 150 },
    groups: { type: 'array', maxItems: 100, items: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } },
    is_active: { type: 'boolean' },
  },
  required,
});

const USER_FIELDS = 'id databaseId email firstName lastName isActive groups { databaseId }';

interface UserNode {
  id: string;
  databaseId: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  isActive: boolean;
  groups: { databaseId: number }[];
  organizations?: { id: string }[];
}

export function userBody(u: UserNode) {
  return {
    id: u.databaseId,
    uuid: uuidOf(u.id),
    email: u.email,
    first_name: u.firstName ?? '',
    last_name: u.lastName ?? '',
    groups: u.groups.map((g) => g.databaseId).sort((a, b) => a - b),
    is_active: u.isActive,
  };
}

/** The accounts API's body as GraphQL input fields (only those sent). */
function userInput(body: Record<string, unknown>) {
  const input: Record<string, unknown> = {};
  if (body.email !== undefined) input.email = body.email;
  if (body.first_name !== undefined) input.firstName = body.first_name;
  if (body.last_name !== undefined) input.lastName = body.last_name;
  if (body.groups !== undefined) input.groupDatabaseIds = body.groups;
  if (body.is_active !== undefined) input.isActive = body.is_active;
  return input;
}

const user = (r: RestRequest) => {
  signedIn(r);
  return gid('User', r.params.uuid!);
};

const PAYLOAD = `user { ${USER_FIELDS} } userErrors { code field message }`;

/**
 * Users outside the caller's reach are not found (organizations stay apart): with an organization
 * in view, its members; without one, members of an organization the caller can see
 * (`organizations` lists only those) — instance admins see every user, everyone sees themselves.
 */
function inOrganization(r: RestRequest, u: UserNode | null): UserNode {
  const org = viewOrganizationOf(r);
  const self = r.principal.kind === 'user' && uuidOf(u?.id) === r.principal.userId;
  const admin = r.principal.kind === 'user' && r.principal.isInstanceAdmin;
  const orgs = u?.organizations ?? [];
  const reachable = org ? orgs.some((o) => o.id === org) : admin || orgs.length > 0;
  if (!u || (!self && !reachable)) throw notFound();
  return u;
}

export const userRoutes: Route[] = [
  {
    method: 'GET',
    path: '/accounts/users/',
    summary: 'Members of the organization (instance admins without one: every user), by username; `search` matches username, names and email.',
    querystring: { type: 'object', properties: { organization: organizationQuery, search: searchQuery, ...pageQuery } },
    response: pageOf(userSchema),
    resource: 'User',
    operation: `query accountsUsers($first: Int!, $offset: Int!, $search: String, $org: ID) {
      users(first: $first, offset: $offset, filter: { search: $search, organizationId: $org }) { totalCount nodes { ${USER_FIELDS} } }
    }`,
    variables: (r) => {
      signedIn(r);
      const p = pageOfRequest(r, MAX_USERS_OFFSET);
      const admin = r.principal.kind === 'user' && r.principal.isInstanceAdmin;
      const org = admin ? viewOrganizationOf(r) : organizationOf(r);
      return { first: p.size, offset: p.offset, search: (r.query.search as string | undefined) || null, org };
    },
    respond: (d, r) => ({ body: envelope(r, pageOfRequest(r, MAX_USERS_OFFSET), d.users.totalCount, d.users.nodes.map(userBody)) }),
  },
  {
    method: 'POST',
    path: '/accounts/users/',
    summary: 'Creates a user (instance admins), a member of the organization when there is one; a validation code is mailed to the email.',
    querystring: { type: 'object', properties: { organization: organizationQuery } },
    body: userBodySchema(['email']),
    response: userSchema,
    status: 201,
    resource: 'User',
    operation: `mutation accountsCreateUser($input: CreateUserInput!) { createUser(input: $input) { ${PAYLOAD} } }`,
    variables: (r) => {
      signedIn(r);
      return { input: { ...userInput(r.body), organizationId: viewOrganizationOf(r) } };
    },
    respond: (d) => ({ status: 201, body: userBody(d.createUser.user) }),
  },
  {
    method: 'GET',
    path: '/accounts/users/:uuid/',
    summary: 'One user (in the organization, when there is one).',
    params: uuidParams,
    querystring: { type: 'object', properties: { organization: organizationQuery } },
    response: userSchema,
    resource: 'User',
    operation: `query accountsUser($id: ID!) { user(id: $id) { ${USER_FIELDS} organizations { id } } }`,
    variables: (r) => ({ id: user(r) }),
    respond: (d, r) => ({ body: userBody(inOrganization(r, d.user)) }),
  },
  ...(['PUT', 'PATCH'] as const).map(
    (method): Route => ({
      method,
      path: '/accounts/users/:uuid/',
      summary: 'Changes the fields sent: names (the user or instance admins), email and is_active (instance admins), groups (among those you manage).',
      params: uuidParams,
      querystring: { type: 'object', properties: { organization: organizationQuery } },
      body: userBodySchema(),
      response: userSchema,
      resource: 'User',
      operation: `mutation accounts${method === 'PUT' ? 'Put' : 'Patch'}User($input: UpdateUserInput!) { updateUser(input: $input) { ${PAYLOAD} } }`,
      variables: (r) => ({ input: { id: user(r), ...userInput(r.body ?? {}) } }),
      respond: (d) => ({ body: userBody(d.updateUser.user) }),
    }),
  ),
  {
    method: 'DELETE',
    path: '/accounts/users/:uuid/',
    summary: 'Deletes a user and what they own (instance admins; not yourself, not an organization’s only owner).',
    params: uuidParams,
    status: 204,
    resource: 'User',
    operation: `mutation accountsDeleteUser($input: UserIdInput!) { deleteUser(input: $input) { deletedId userErrors { code field message } } }`,
    variables: (r) => ({ input: { id: user(r) } }),
    respond: () => ({ status: 204, body: undefined }),
  },
];
