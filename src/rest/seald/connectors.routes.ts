// connectors/ and domainvalidationkeys/: a team member's prevalidated identities (the graph's
// contacts) and the keys that prove the team's domains (src/modules/dashboard/connectors.service.ts).
//
// Choices where the document is silent:
// - `type` EM/PH/AP/MO ↔ email/phone/app/mobile; `state` VO (active, validated), PE (active,
//   not validated), RE (disabled); `is_primary_email` is "true"/"false" (documented as a string).
// - create: an EM connector must be on the domain of the given key, which must be the team's;
//   it is prevalidated (VO). An address another account holds: 400 `{"value": [...]}` without
//   `force`, taken from it (its contact disabled) with `force: true`.
// - The connectors list needs `user` (a team member; others 404), unpaged beyond `page`.
// - Domain validation keys are created in the graph (`createDomainValidationKey`) or by the seed:
//   the document has no route for it.
import { envelope, gid, pageOf, pageOfRequest, pageQuery, uuid } from '../drf.js';
import type { JsonSchema, Route } from '../types.js';
import { administeredTeam, BASE, idParams, ok, statusOk, teamOf, USER_ERRORS } from './common.js';

const TYPES: Record<string, string> = { EMAIL: 'EM', PHONE: 'PH', APP: 'AP', MOBILE: 'MO' };

const connectorSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string', enum: Object.values(TYPES) },
    state: { type: 'string', enum: ['VO', 'PE', 'RE'] },
    value: { type: 'string' },
    created: { type: 'string', format: 'date-time' },
    updated: { type: 'string', format: 'date-time' },
    bearduser_id: { type: 'string', format: 'uuid' },
    is_primary_email: { type: 'string' },
  },
  required: ['id', 'type', 'state', 'value', 'created', 'updated', 'bearduser_id'],
};

const CONNECTOR_FIELDS = 'uuid type state value isPrimary createdAt updatedAt userUuid';

interface ConnectorNode {
  uuid: string;
  type: string;
  state: string;
  value: string;
  isPrimary: boolean;
  createdAt: string;
  updatedAt: string;
  userUuid: string;
}

const connectorBody = (c: ConnectorNode) => ({
  id: c.uuid,
  type: TYPES[c.type],
  state: c.state,
  value: c.value,
  created: c.createdAt,
  updated: c.updatedAt,
  bearduser_id: c.userUuid,
  is_primary_email: String(c.type === 'EMAIL' && c.isPrimary),
});

const keySchema: JsonSchema = { type: 'object', properties: { id: { type: 'string' }, key: { type: 'string' }, domain: { type: 'string' } }, required: ['id', 'key', 'domain'] };

const pageVars = (r: Parameters<NonNullable<Route['variables']>>[0]) => {
  teamOf(r);
  const p = pageOfRequest(r);
  return { first: p.size, offset: p.offset };
};

export const connectorRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/connectors/`,
    summary: 'list connectors of a member of the team (`user` required).',
    querystring: { type: 'object', properties: { ...pageQuery, user: uuid }, required: ['user'] },
    response: pageOf(connectorSchema),
    operation: `query sealdConnectors($userId: ID!) { teamConnectors(userId: $userId) { ${CONNECTOR_FIELDS} } }`,
    variables: (r) => (pageVars(r), { userId: gid('User', r.query.user as string) }),
    respond: (d, r) => {
      const p = pageOfRequest(r);
      const all = d.teamConnectors as ConnectorNode[];
      return { body: envelope(r, p, all.length, all.slice(p.offset, p.offset + p.size).map(connectorBody)) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/connectors/`,
    summary: 'create connectors: a prevalidated EM (on the key’s domain) or AP connector for a team member; `force` takes an address another account holds.',
    body: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['EM', 'AP'] },
        value: { type: 'string', minLength: 1, maxLength: 254 },
        bearduser_id: uuid,
        domainvalidationkey_id: uuid,
        force: { type: 'boolean' },
      },
      required: ['type', 'value', 'bearduser_id', 'domainvalidationkey_id', 'force'],
    },
    response: connectorSchema,
    status: 201,
    operation: `mutation sealdCreateConnector($input: CreateConnectorInput!) { createConnector(input: $input) { connector { ${CONNECTOR_FIELDS} } ${USER_ERRORS} } }`,
    variables: (r) => {
      teamOf(r);
      const b = r.body;
      return { input: { type: b.type === 'EM' ? 'EMAIL' : 'APP', value: b.value, userId: gid('User', b.bearduser_id), domainValidationKeyId: b.domainvalidationkey_id, force: b.force } };
    },
    respond: (d) => ({ status: 201, body: connectorBody(d.createConnector.connector) }),
  },
  {
    method: 'POST',
    path: `${BASE}/connectors/:id/set_primary/`,
    summary: 'setPrimary connectors: the connector becomes its user’s primary one of its kind.',
    params: idParams,
    response: statusOk,
    status: 201,
    operation: `mutation sealdSetPrimaryConnector($input: TeamObjectIdInput!) { setPrimaryConnector(input: $input) { ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { id: r.params.id } }),
    respond: () => ok(),
  },
  {
    method: 'DELETE',
    path: `${BASE}/connectors/:id/`,
    summary: 'destroy connectors.',
    params: idParams,
    status: 204,
    operation: `mutation sealdDeleteConnector($input: TeamObjectIdInput!) { deleteConnector(input: $input) { ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { id: r.params.id } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  {
    method: 'GET',
    path: `${BASE}/domainvalidationkeys/`,
    summary: 'list domainvalidationkeys of the team, by domain.',
    querystring: { type: 'object', properties: { ...pageQuery } },
    response: pageOf(keySchema),
    operation: `query sealdDomainKeys($first: Int!, $offset: Int!) { dashboardTeam { domainValidationKeys(first: $first, offset: $offset) { totalCount nodes { uuid domain key } } } }`,
    variables: pageVars,
    respond: (d, r) => {
      const page = administeredTeam(d.dashboardTeam).domainValidationKeys;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map((k: { uuid: string; domain: string; key: string }) => ({ id: k.uuid, key: k.key, domain: k.domain }))) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/domainvalidationkeys/:id/refresh/`,
    summary: 'refresh domainvalidationkeys: a new key value (same id and domain).',
    params: idParams,
    response: statusOk,
    status: 201,
    operation: `mutation sealdRefreshDomainKey($input: TeamObjectIdInput!) { refreshDomainValidationKey(input: $input) { ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { id: r.params.id } }),
    respond: () => ok(),
  },
];
