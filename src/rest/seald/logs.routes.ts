// eventlogs/ and loginlogs/: the team's event log (events recorded in the team's organization)
// and its members' sign-in attempts.
//
// Choices where the document is silent:
// - An event is documented without an id; answers add `id` (uuid) so `retrieve` can be used.
//   `user_id` is the actor, `message` null when the event concerns none (or one you cannot see).
// - `action` is the graph's action name (`team.userDisable`, `personalAccessToken.create`, …).
// - loginlogs: `user` is required (400 without it); a user outside the team has an empty list;
//   `retrieve` answers 404 unless the row is that user's. `key_id` is the device, when known;
//   `location` is `{}` unless a location was recorded (`{"name": …}`).
// - export: 201 `{"status": "ok"}`; the CSV is mailed to the caller as an attachment (outbox
//   template `eventlogs_export`, at most 10,000 events of the range).
import { notFound } from '../../core/errors.js';
import { emailString } from '../schemas.js';
import { envelope, gid, pageOf, pageOfRequest, pageQuery, uuid, uuidOf } from '../drf.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { administeredTeam, BASE, dateQuery, idOf, idParams, ok, statusOk, teamOf, USER_ERRORS } from './common.js';

const eventFilterQuery: Record<string, JsonSchema> = {
  date_gt: dateQuery,
  date_lt: dateQuery,
  user: uuid,
  message: uuid,
  device: uuid,
  email: emailString,
  action_in: { type: 'string', minLength: 1, maxLength: 2000, pattern: '^[A-Za-z0-9_.|-]+$' },
};

const eventSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    date: { type: 'string', format: 'date-time' },
    user_id: { type: ['string', 'null'], format: 'uuid' },
    user2_id: { type: ['string', 'null'], format: 'uuid' },
    device_id: { type: ['string', 'null'], format: 'uuid' },
    message: { type: ['object', 'null'] },
    email: { type: ['string', 'null'] },
    ip: { type: ['string', 'null'] },
    geoip: { type: 'object' },
    action: { type: 'string' },
  },
  required: ['date', 'user_id', 'user2_id', 'device_id', 'message', 'email', 'ip', 'geoip', 'action'],
};

const EVENT_FIELDS = 'id occurredAt action ip geo email deviceId user { id } user2 { id } message { id createdAt metadata allowDownload owner { id } }';

interface EventNode {
  id: string;
  occurredAt: string;
  action: string;
  ip: string | null;
  geo: Record<string, unknown> | null;
  email: string | null;
  deviceId: string | null;
  user: { id: string } | null;
  user2: { id: string } | null;
  message: { id: string; createdAt: string; metadata: Record<string, unknown>; allowDownload: boolean; owner: { id: string } | null } | null;
}

const eventBody = (e: EventNode) => ({
  id: uuidOf(e.id),
  date: e.occurredAt,
  user_id: uuidOf(e.user?.id),
  user2_id: uuidOf(e.user2?.id),
  device_id: uuidOf(e.deviceId),
  message: e.message && { id: uuidOf(e.message.id), owner_id: uuidOf(e.message.owner?.id), created: e.message.createdAt, meta_data: e.message.metadata, allow_download: e.message.allowDownload },
  email: e.email,
  ip: e.ip,
  geoip: e.geo ?? {},
  action: e.action,
});

function eventFilter(r: RestRequest) {
  const q = r.query as Record<string, string | undefined>;
  return {
    organization: teamOf(r),
    dateGt: q.date_gt ?? null,
    dateLt: q.date_lt ?? null,
    user: q.user ? gid('User', q.user) : null,
    message: q.message ? gid('Message', q.message) : null,
    device: q.device ? gid('Device', q.device) : null,
    email: q.email ?? null,
    actionIn: q.action_in ? q.action_in.split('|').filter(Boolean) : null,
  };
}

export const loginLogSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    success: { type: 'boolean' },
    ip: { type: ['string', 'null'] },
    key_id: { type: ['string', 'null'], format: 'uuid' },
    bearduser_id: { type: ['string', 'null'], format: 'uuid' },
    datetime: { type: 'string', format: 'date-time' },
    location: { type: 'object' },
    user_agent: { type: ['string', 'null'] },
  },
  required: ['success', 'ip', 'key_id', 'bearduser_id', 'datetime', 'location', 'user_agent'],
};

export const LOGIN_LOG_FIELDS = 'id success ip userAgent location createdAt deviceId user { id }';

export interface LoginLogNode {
  id: string;
  success: boolean;
  ip: string | null;
  userAgent: string | null;
  location: string | null;
  createdAt: string;
  deviceId: string | null;
  user: { id: string } | null;
}

export const loginLogBody = (l: LoginLogNode) => ({
  id: uuidOf(l.id),
  success: l.success,
  ip: l.ip,
  key_id: uuidOf(l.deviceId),
  bearduser_id: uuidOf(l.user?.id),
  datetime: l.createdAt,
  location: l.location ? { name: l.location } : {},
  user_agent: l.userAgent,
});

const userQuery = { type: 'object', properties: { ...pageQuery, user: uuid }, required: ['user'] };

export const logRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/eventlogs/`,
    summary: 'list eventlogs: the team’s events, most recent first; `action_in` takes actions separated by `|`.',
    querystring: { type: 'object', properties: { ...pageQuery, ...eventFilterQuery } },
    response: pageOf(eventSchema),
    operation: `query sealdEventLogs($first: Int!, $offset: Int!, $filter: EventLogFilterInput) {
      dashboardTeam { id }
      eventLogs(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ${EVENT_FIELDS} } }
    }`,
    variables: (r) => {
      const p = pageOfRequest(r);
      const filter = eventFilter(r);
      return { first: p.size, offset: p.offset, filter };
    },
    respond: (d, r) => (administeredTeam(d.dashboardTeam), { body: envelope(r, pageOfRequest(r), d.eventLogs.totalCount, d.eventLogs.nodes.map(eventBody)) }),
  },
  {
    method: 'POST',
    path: `${BASE}/eventlogs/export/`,
    summary: 'export eventlogs: the team’s events between date_min and date_max, mailed to you as a CSV attachment.',
    body: { type: 'object', properties: { date_min: { ...dateQuery }, date_max: { ...dateQuery } }, required: ['date_min', 'date_max'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdExportEventLogs($input: ExportTeamEventLogsInput!) { exportTeamEventLogs(input: $input) { ok ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { dateMin: r.body.date_min, dateMax: r.body.date_max } }),
    respond: () => ok(),
  },
  {
    method: 'GET',
    path: `${BASE}/eventlogs/:id/`,
    summary: 'retrieve eventlogs: one event of the team (the documented filters are accepted and not applied to one event).',
    params: idParams,
    querystring: { type: 'object', properties: eventFilterQuery },
    response: eventSchema,
    operation: `query sealdEventLog($id: ID!) { dashboardTeam { id } node(id: $id) { ... on EventLog { ${EVENT_FIELDS} organization { id } } } }`,
    variables: (r) => (teamOf(r), { id: idOf(r, 'EventLog') }),
    respond: (d, r) => {
      if (!d.node || d.node.organization?.id !== administeredTeam(d.dashboardTeam).id) throw notFound();
      return { body: eventBody(d.node) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/loginlogs/`,
    summary: 'list loginlogs: sign-in attempts of one member of the team, newest first (`user` required).',
    querystring: userQuery,
    response: pageOf(loginLogSchema),
    operation: `query sealdLoginLogs($first: Int!, $offset: Int!, $user: ID!) {
      dashboardTeam { id }
      loginLogs(first: $first, offset: $offset, filter: { user: $user }) { totalCount nodes { ${LOGIN_LOG_FIELDS} } }
    }`,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { first: p.size, offset: p.offset, user: gid('User', r.query.user as string) };
    },
    respond: (d, r) => (administeredTeam(d.dashboardTeam), { body: envelope(r, pageOfRequest(r), d.loginLogs.totalCount, d.loginLogs.nodes.map(loginLogBody)) }),
  },
  {
    method: 'GET',
    path: `${BASE}/loginlogs/:id/`,
    summary: 'retrieve loginlogs: one sign-in attempt of the member `user`.',
    params: idParams,
    querystring: { type: 'object', properties: { user: uuid }, required: ['user'] },
    response: loginLogSchema,
    operation: `query sealdLoginLog($id: ID!) { dashboardTeam { id } node(id: $id) { ... on LoginLog { ${LOGIN_LOG_FIELDS} } } }`,
    variables: (r) => (teamOf(r), { id: idOf(r, 'LoginLog') }),
    respond: (d, r) => {
      administeredTeam(d.dashboardTeam);
      if (!d.node || uuidOf(d.node.user?.id) !== (r.query.user as string).toLowerCase()) throw notFound();
      return { body: loginLogBody(d.node) };
    },
  },
];

