// apitokens/: the team's API keys — the graph's organization-bound personal API tokens, seen
// from the team's side. A key created here belongs to the caller, has scope `api` and is bound
// to the team; it is what `X-DASHBOARD-API-KEY` carries. Deleting one revokes it: it stops
// working at once (401). Dashboard sessions are tokens too, but are not listed here.
//
// Choices: `api_key` is the gateway's token format (`igw_…`), not a uuid as in Seald's sample;
// `valid_until` is required (null: never expires), as documented; a date in the past is 400.
import { envelope, pageOf, pageOfRequest, pageQuery, uuidOf } from '../drf.js';
import type { JsonSchema, Route } from '../types.js';
import { administeredTeam, BASE, idOf, idParams, teamOf, USER_ERRORS } from './common.js';

const tokenSchema: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' }, created: { type: 'string', format: 'date-time' }, valid_until: { type: ['string', 'null'], format: 'date-time' }, name: { type: 'string' } },
  required: ['id', 'created', 'valid_until', 'name'],
};

const TOKEN_FIELDS = 'id name createdAt expiresAt';

interface TokenNode {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
}

const tokenBody = (t: TokenNode) => ({ id: uuidOf(t.id), created: t.createdAt, valid_until: t.expiresAt, name: t.name });

export const apitokenRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/apitokens/`,
    summary: 'list apitokens: the team’s usable API keys, newest first.',
    querystring: { type: 'object', properties: { ...pageQuery } },
    response: pageOf(tokenSchema),
    operation: `query sealdApiTokens($first: Int!, $offset: Int!) { dashboardTeam { apiTokens(first: $first, offset: $offset) { totalCount nodes { ${TOKEN_FIELDS} } } } }`,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { first: p.size, offset: p.offset };
    },
    respond: (d, r) => {
      const page = administeredTeam(d.dashboardTeam).apiTokens;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map(tokenBody)) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/apitokens/`,
    summary: 'create apitokens: a new API key of the team, answered once in `api_key`.',
    body: {
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, valid_until: { type: ['string', 'null'], format: 'date-time', maxLength: 64 } },
      required: ['name', 'valid_until'],
    },
    response: { ...tokenSchema, properties: { ...(tokenSchema.properties as object), api_key: { type: 'string' } } },
    status: 201,
    operation: `mutation sealdCreateApiToken($input: CreateTeamApiTokenInput!) { createTeamApiToken(input: $input) { token personalAccessToken { ${TOKEN_FIELDS} } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { name: r.body.name, expiresAt: r.body.valid_until } }),
    respond: (d) => ({ status: 201, body: { ...tokenBody(d.createTeamApiToken.personalAccessToken), api_key: d.createTeamApiToken.token } }),
  },
  {
    method: 'DELETE',
    path: `${BASE}/apitokens/:id/`,
    summary: 'destroy apitokens: revokes the key at once.',
    params: idParams,
    status: 204,
    operation: `mutation sealdDeleteApiToken($input: TeamApiTokenIdInput!) { deleteTeamApiToken(input: $input) { ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { id: idOf(r, 'PersonalAccessToken') } }),
    respond: () => ({ status: 204, body: undefined }),
  },
];

