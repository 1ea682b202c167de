// jwtsharedsecret/: the team's JWT shared secrets (anonymous access). A JWT signed with one
// (HS256; `iss` = the secret's id, `iat`, `exp` at most an hour later, a `jti` used once) is a
// credential of this dialect (Bearer) acting in the team with exactly the secret's permissions
// (src/modules/auth/team-jwt.ts); today that reaches `users/{id}/sigchain/` (permission 2 or -1).
//
// Choices: `shared_secret` is generated (43 characters, 256 bits) and cannot be chosen;
// `permissions` must be a non-empty list of -1, 0, 1, 2 (anything else 400).
import { envelope, pageOf, pageOfRequest, pageQuery } from '../drf.js';
import type { JsonSchema, Route } from '../types.js';
import { administeredTeam, BASE, idParams, teamOf, USER_ERRORS } from './common.js';

const secretSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    created: { type: 'string', format: 'date-time' },
    shared_secret: { type: 'string' },
    permissions: { type: 'array', items: { type: 'integer', enum: [-1, 0, 1, 2] } },
  },
  required: ['id', 'created', 'shared_secret', 'permissions'],
};

const SECRET_FIELDS = 'uuid sharedSecret permissions createdAt';

interface SecretNode {
  uuid: string;
  sharedSecret: string;
  permissions: number[];
  createdAt: string;
}

const secretBody = (s: SecretNode) => ({ id: s.uuid, created: s.createdAt, shared_secret: s.sharedSecret, permissions: s.permissions });

export const jwtSharedSecretRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/jwtsharedsecret/`,
    summary: 'List all JWTSharedSecret of the team, newest first.',
    querystring: { type: 'object', properties: { ...pageQuery } },
    response: pageOf(secretSchema),
    operation: `query sealdJwtSecrets($first: Int!, $offset: Int!) { dashboardTeam { jwtSharedSecrets(first: $first, offset: $offset) { totalCount nodes { ${SECRET_FIELDS} } } } }`,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { first: p.size, offset: p.offset };
    },
    respond: (d, r) => {
      const page = administeredTeam(d.dashboardTeam).jwtSharedSecrets;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map(secretBody)) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/jwtsharedsecret/`,
    summary: 'Generate a JWTSharedSecret with these permissions (-1 all, 0 create messages, 1 retrieve keys, 2 retrieve sigchains).',
    // `enum` without `type`: fastify's Ajv coerces typed values ("-1" → -1), an enum compares exactly.
    body: { type: 'object', properties: { permissions: { type: 'array', minItems: 1, maxItems: 4, items: { enum: [-1, 0, 1, 2] } } }, required: ['permissions'] },
    response: secretSchema,
    status: 201,
    operation: `mutation sealdCreateJwtSecret($input: CreateJwtSharedSecretInput!) { createJwtSharedSecret(input: $input) { jwtSharedSecret { ${SECRET_FIELDS} } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { permissions: r.body.permissions } }),
    respond: (d) => ({ status: 201, body: secretBody(d.createJwtSharedSecret.jwtSharedSecret) }),
  },
  {
    method: 'DELETE',
    path: `${BASE}/jwtsharedsecret/:id/`,
    summary: 'Delete a JWTSharedSecret: JWTs signed with it stop working at once.',
    params: idParams,
    status: 204,
    operation: `mutation sealdDeleteJwtSecret($input: JwtSharedSecretIdInput!) { deleteJwtSharedSecret(input: $input) { ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { id: r.params.id } }),
    respond: () => ({ status: 204, body: undefined }),
  },
];
