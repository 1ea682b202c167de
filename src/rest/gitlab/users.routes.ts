// GitLab's users: list (normal and admin views, search, username, pages), single user, current
// user, create, modify, delete (idempotent), block and unblock.
//
// Choices where the document leaves room or the gateway differs:
// - GET /user omits `private_token`: personal tokens are stored as hashes, and a GET must not
//   hand out a credential.
// - GET /users/:id: admins get the full object, everyone else the "for user" view; `is_admin`
//   there is false unless it is you (the admin flag is private in this gateway).
// - DELETE /users/:id: `200` with the user as it was when it was deleted (its email is null:
//   it went with the user); `200 {}` when there was no such user, as the document says.
// - PUT/POST block and unblock answer `true` (GitLab's body), 200 for PUT and 201 for v4's POST.
// - `extern_uid` with `provider` (admins; one without the other is a 400) links the user to that
//   external account, replacing an earlier link to the same provider; an account linked to
//   another user is a 409 on PUT and a 400 on POST, like a taken email. `skype`, `linkedin` and
//   `twitter` are social handles; on PUT those given change, the others stay (empty removes).
// - Paths name the user `:id` throughout (the document's `:uid`): one parameter name per
//   position keeps fastify's router unambiguous.
// - `confirm: false` creates the user confirmed (no validation message); the default sends one.
import { DomainError, notFound } from '../../core/errors.js';
import { usernameString } from '../schemas.js';
import type { JsonSchema, Route } from '../types.js';
import {
  basicUser,
  basicUserSchema,
  conflictAs400,
  emailSchema,
  fullUser,
  fullUserSchema,
  GITLAB_COUNT_LIMIT,
  idParams,
  pageHeaders,
  pageOf,
  pageQuery,
  privateToken,
  profileUser,
  requireViewer,
  text,
  tokenQuery,
  toInt,
  USER_FIELDS,
  type UserNode,
} from './common.js';

const profileBody: Record<string, JsonSchema> = {
  email: emailSchema,
  password: { type: 'string', minLength: 8, maxLength: 1024 },
  username: usernameString,
  name: { type: 'string', minLength: 1, maxLength: 255 },
  skype: text(255),
  linkedin: text(255),
  twitter: text(255),
  website_url: text(255),
  projects_limit: { type: 'integer', minimum: 0, maximum: 1_000_000 },
  extern_uid: text(255),
  provider: text(255),
  bio: text(2000),
  location: text(255),
  admin: { type: 'boolean' },
  can_create_group: { type: 'boolean' },
  external: { type: 'boolean' },
};

/** The users-module input fields of GitLab's parameters (only those given); `update`: PUT's. */
function profileInput(b: Record<string, unknown>, update = false): Record<string, unknown> {
  const social = Object.fromEntries(['skype', 'linkedin', 'twitter'].filter((k) => b[k] !== undefined).map((k) => [k, b[k]]));
  if ((b.extern_uid === undefined) !== (b.provider === undefined)) {
    throw new DomainError('VALIDATION_FAILED', 'is missing', b.provider === undefined ? 'provider' : 'extern_uid');
  }
  const map: Record<string, unknown> = {
    username: b.username,
    email: b.email,
    password: b.password,
    displayName: b.name,
    bio: b.bio,
    location: b.location,
    website: b.website_url,
    projectsLimit: b.projects_limit,
    isAdmin: b.admin,
    canCreateGroup: b.can_create_group,
    external: b.external,
    ...(Object.keys(social).length ? { [update ? 'socialChanges' : 'social']: social } : {}),
    identity: b.extern_uid !== undefined ? { provider: b.provider, externalUid: b.extern_uid } : undefined,
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

const userConflict = conflictAs400((field) => [field === 'username' ? 'username' : field === 'externalUid' ? 'extern_uid' : 'email']);

const blockRoute = (method: 'PUT' | 'POST', action: 'block' | 'unblock'): Route => ({
  method,
  path: `/users/:id/${action}`,
  summary: `${action === 'block' ? 'Blocks' : 'Unblocks'} the user (admins).`,
  params: idParams('id'),
  querystring: tokenQuery,
  response: { type: 'boolean' },
  status: method === 'POST' ? 201 : 200,
  resource: 'User',
  operation: `mutation gitlab_${method.toLowerCase()}_${action}($id: Int!) {
    ${action}User(input: { databaseId: $id }) { user { databaseId } userErrors { code field message } }
  }`,
  variables: (r) => ({ id: toInt(r.params.id) }),
  respond: () => ({ body: true }),
});

export const userRoutes: Route[] = [
  {
    method: 'GET',
    path: '/users',
    summary: 'Users by id, a page at a time: the public view for users, the full one for admins; `search` (username, name, email) and `username` filter.',
    querystring: {
      type: 'object',
      properties: { search: text(255), username: text(255), ...pageQuery, private_token: privateToken },
    },
    response: { type: 'array', items: fullUserSchema },
    operation: `query gitlabUsers($first: Int!, $offset: Int!, $filter: UserFilter) {
      viewer { isAdmin }
      users(first: $first, offset: $offset, filter: $filter, orderBy: { field: DATABASE_ID, direction: ASC }) {
        totalCountUpTo(limit: ${GITLAB_COUNT_LIMIT}) pageInfo { hasNextPage } nodes { ${USER_FIELDS} }
      }
    }`,
    variables: (r) => {
      const { perPage, offset } = pageOf(r);
      const filter = { search: r.query.search || undefined, username: r.query.username || undefined };
      return { first: perPage, offset, filter };
    },
    respond: (d, r) => {
      const viewer = requireViewer(d.viewer as { isAdmin: boolean | null });
      const view = viewer.isAdmin ? fullUser : basicUser;
      return { body: (d.users.nodes as UserNode[]).map((u) => view(u, r)), headers: pageHeaders(r, d.users.totalCountUpTo, d.users.pageInfo.hasNextPage) };
    },
  },
  {
    method: 'GET',
    path: '/users/:id',
    summary: 'One user: the full object for admins, the profile for everyone else.',
    params: idParams('id'),
    querystring: tokenQuery,
    response: fullUserSchema,
    resource: 'User',
    operation: `query gitlabUser($id: Int!) { viewer { isAdmin } user(databaseId: $id) { ${USER_FIELDS} } }`,
    variables: (r) => ({ id: toInt(r.params.id) }),
    respond: (d, r) => {
      const viewer = requireViewer(d.viewer as { isAdmin: boolean | null });
      if (!d.user) throw notFound('User not found');
      return { body: viewer.isAdmin ? fullUser(d.user, r) : profileUser(d.user, r) };
    },
  },
  {
    method: 'GET',
    path: '/user',
    summary: 'The signed-in user (full object, without private_token).',
    querystring: tokenQuery,
    response: fullUserSchema,
    resource: 'User',
    operation: `query gitlabCurrentUser { viewer { ${USER_FIELDS} } }`,
    respond: (d, r) => ({ body: fullUser(requireViewer(d.viewer), r) }),
  },
  {
    method: 'POST',
    path: '/users',
    summary: 'Creates a user (admins). email, password, username and name are required.',
    querystring: tokenQuery,
    body: { type: 'object', properties: { ...profileBody, confirm: { type: 'boolean' } }, required: ['email', 'password', 'username', 'name'] },
    response: fullUserSchema,
    status: 201,
    resource: 'User',
    operation: `mutation gitlabCreateUser($input: CreateUserInput!) {
      createUser(input: $input) { user { ${USER_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { ...profileInput(r.body), skipConfirmation: r.body.confirm === false } }),
    respond: (d, r) => ({ body: fullUser(d.createUser.user, r) }),
    recover: userConflict,
  },
  {
    method: 'PUT',
    path: '/users/:id',
    summary: 'Changes a user (admins; users their own profile). A taken email or username is 409.',
    params: idParams('id'),
    querystring: tokenQuery,
    body: { type: 'object', properties: profileBody },
    response: fullUserSchema,
    resource: 'User',
    operation: `mutation gitlabUpdateUser($input: UpdateUserInput!) {
      updateUser(input: $input) { user { ${USER_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { ...profileInput(r.body ?? {}, true), databaseId: toInt(r.params.id) } }),
    respond: (d, r) => ({ body: fullUser(d.updateUser.user, r) }),
  },
  {
    method: 'DELETE',
    path: '/users/:id',
    summary: 'Deletes a user (admins). Idempotent: 200 with the deleted user, or 200 {} when there was none.',
    params: idParams('id'),
    querystring: tokenQuery,
    response: { oneOf: [fullUserSchema, { type: 'object', maxProperties: 0 }] },
    resource: 'User',
    operation: `mutation gitlabDeleteUser($id: Int!) {
      deleteUser(input: { databaseId: $id }) { user { ${USER_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ id: toInt(r.params.id) }),
    respond: (d, r) => ({ body: fullUser(d.deleteUser.user, r) }),
    recover: (e) => (e.code === 'NOT_FOUND' ? { status: 200, body: {} } : undefined),
  },
  blockRoute('PUT', 'block'),
  blockRoute('PUT', 'unblock'),
  // API v4 (not v3): POST, answering 201.
  blockRoute('POST', 'block'),
  blockRoute('POST', 'unblock'),
];
