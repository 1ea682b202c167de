// users/: the team's members (direct members of the team's organization), with the dashboard's
// filters, and the two ways to take one out of the team.
//
// Choices where the document is silent ("results: [any]"):
// - A user is `{id, display_name, email, created, team_disabled, disabled_at}`; `email` is the
//   primary address (team admins see their members' addresses).
// - `team_disabled` absent: every member; false: only those not disabled; true: only disabled.
// - `connector_type` MO/EM/PH/AP map to the graph's contact types mobile/email/phone/app; one
//   of connector_type and connector_value without the other is 400.
// - full_revoke revokes the user's devices, their API keys and sessions in the team and their
//   accesses to the team's messages, then
//   disables them in the team, before answering (Seald does it in a background task).
import { DomainError, notFound } from '../../core/errors.js';
import { envelope, gid, pageOf, pageOfRequest, pageQuery, uuidOf } from '../drf.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { administeredTeam, BASE, boolQuery, idOf, idParams, ok, statusOk, teamOf, USER_ERRORS } from './common.js';

const CONNECTOR_TYPES: Record<string, string> = { MO: 'MOBILE', EM: 'EMAIL', PH: 'PHONE', AP: 'APP' };

const filterQuery: Record<string, JsonSchema> = {
  display_name: { type: 'string', minLength: 1, maxLength: 200 },
  email: { type: 'string', minLength: 1, maxLength: 254 },
  email_all_state: boolQuery,
  connector_value: { type: 'string', minLength: 1, maxLength: 254 },
  connector_type: { type: 'string', enum: Object.keys(CONNECTOR_TYPES) },
  connector_all_state: boolQuery,
  team_disabled: boolQuery,
};

export const sealdUserSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    display_name: { type: 'string' },
    email: { type: ['string', 'null'], format: 'email' },
    created: { type: 'string', format: 'date-time' },
    team_disabled: { type: 'boolean' },
    disabled_at: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'display_name', 'email', 'created', 'team_disabled', 'disabled_at'],
};

const TEAM_USER = 'email teamDisabled disabledAt user { id username displayName createdAt }';

interface TeamUserNode {
  email: string | null;
  teamDisabled: boolean;
  disabledAt: string | null;
  user: { id: string; username: string; displayName: string | null; createdAt: string };
}

export const teamUserBody = (u: TeamUserNode) => ({
  id: uuidOf(u.user.id),
  display_name: u.user.displayName ?? u.user.username,
  email: u.email,
  created: u.user.createdAt,
  team_disabled: u.teamDisabled,
  disabled_at: u.disabledAt,
});

function filterOf(r: RestRequest, userId: string | null) {
  const q = r.query;
  if ((q.connector_type === undefined) !== (q.connector_value === undefined)) {
    throw new DomainError('VALIDATION_FAILED', 'connector_type and connector_value go together.', q.connector_type === undefined ? 'query.connector_type' : 'query.connector_value');
  }
  return {
    userId,
    displayName: q.display_name ?? null,
    email: q.email ?? null,
    emailAllStates: q.email_all_state ?? false,
    connectorType: q.connector_type ? CONNECTOR_TYPES[q.connector_type as string] : null,
    connectorValue: q.connector_value ?? null,
    connectorAllStates: q.connector_all_state ?? false,
    teamDisabled: q.team_disabled ?? null,
  };
}

const OPERATION = `query sealdUsers($first: Int!, $offset: Int!, $filter: TeamUserFilterInput) {
  dashboardTeam { teamUsers(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ${TEAM_USER} } } }
}`;

export const userRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/users/`,
    summary: 'list users: the team’s members, by username, with the documented filters.',
    querystring: { type: 'object', properties: { ...pageQuery, ...filterQuery } },
    response: pageOf(sealdUserSchema),
    operation: OPERATION,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { first: p.size, offset: p.offset, filter: filterOf(r, null) };
    },
    respond: (d, r) => {
      const page = administeredTeam(d.dashboardTeam).teamUsers;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map(teamUserBody)) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/users/:id/`,
    summary: 'retrieve users: one member of the team (404 when not a member or when the filters do not match).',
    params: idParams,
    querystring: { type: 'object', properties: filterQuery },
    response: sealdUserSchema,
    operation: OPERATION,
    variables: (r) => (teamOf(r), { first: 1, offset: 0, filter: filterOf(r, idOf(r, 'User')) }),
    respond: (d) => {
      const node = administeredTeam(d.dashboardTeam).teamUsers.nodes[0];
      if (!node) throw notFound();
      return { body: teamUserBody(node) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/users/:id/sigchain/`,
    summary: 'sigchain users: the member’s signature-chain transactions in order (possibly empty). Also for JWTs of the team with permission 2 (or -1).',
    params: idParams,
    response: { type: 'array', items: { type: 'object' } },
    operation: `query sealdSigchain($userId: ID!) { sigchain(userId: $userId) { position transaction createdAt } }`,
    variables: (r) => {
      // A team's JWT has no user: the one route of this part it may call (common.ts teamOf asks for a user).
      if (r.principal.kind !== 'teamJwt') teamOf(r);
      return { userId: gid('User', r.params.id!) };
    },
    respond: (d) => {
      if (!d.sigchain) throw notFound();
      return { body: d.sigchain.map((t: { position: number; transaction: unknown; createdAt: string }) => ({ position: t.position, transaction: t.transaction, created: t.createdAt })) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/users/:id/full_revoke/`,
    summary: 'Automatic removal of a user: revokes all their devices, their API keys and sessions in the team, then disables them from the team.',
    params: idParams,
    response: statusOk,
    status: 201,
    operation: `mutation sealdFullRevoke($input: TeamUserInput!) { fullRevokeTeamUser(input: $input) { teamUser { teamDisabled } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { userId: idOf(r, 'User') } }),
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/users/:id/team_user_disable/`,
    summary: 'teamUserDisable users: disables the user in the team (they stay listed, `team_disabled`).',
    params: idParams,
    response: statusOk,
    status: 201,
    operation: `mutation sealdTeamUserDisable($input: TeamUserInput!) { disableTeamUser(input: $input) { teamUser { teamDisabled } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { userId: idOf(r, 'User') } }),
    respond: () => ok(),
  },
];

