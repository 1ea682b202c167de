// keys/: the devices (Seald "device keys") of the team's members: list, public-key lookup,
// revocation (issue 24).
//
// Choices where the document is silent or vague:
// - `state` is "active" or "revoked". `last_seen` is the device's newest sign-in attempt in the
//   login log's shape (loginlogs/), or null when the device was never seen.
// - list: `user` is required (400 without it); a user outside the team has an empty list.
// - find_public_keys documents no parameter and one key as the answer: it takes `user` (the
//   user's newest active device) or `key` (that device, whatever its state), exactly one, and
//   answers the documented key plus `encrypt_pubkey` and `signing_pubkey`; 404 when there is none.
//   The team's admins may call it, and so may the team's JWTs with permission 1 ("retrieve keys").
// - revoke: 201 `{"status": "ok"}`; revoking a revoked device is no change (201 again). The
//   device is refused by every later operation that names it; the revocation is in the event
//   log (`device.revoke`) and in the user's sigchain.
import { DomainError, notFound } from '../../core/errors.js';
import { envelope, gid, pageOf, pageOfRequest, pageQuery, signedIn, uuid, uuidOf } from '../drf.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { administeredTeam, BASE, idOf, idParams, ok, statusOk, teamOf, USER_ERRORS } from './common.js';
import { LOGIN_LOG_FIELDS, loginLogBody, loginLogSchema, type LoginLogNode } from './logs.routes.js';

export const keySchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    created: { type: 'string', format: 'date-time' },
    device_name: { type: 'string' },
    state: { type: 'string', enum: ['active', 'revoked'] },
    bearduser_id: { type: 'string', format: 'uuid' },
    last_seen: { oneOf: [loginLogSchema, { type: 'null' }] },
  },
  required: ['id', 'created', 'device_name', 'state', 'bearduser_id', 'last_seen'],
};

const publicKeySchema: JsonSchema = {
  ...keySchema,
  properties: { ...(keySchema.properties as object), encrypt_pubkey: { type: ['string', 'null'] }, signing_pubkey: { type: ['string', 'null'] } },
  required: [...(keySchema.required as string[]), 'encrypt_pubkey', 'signing_pubkey'],
};

export const KEY_FIELDS = `id name state createdAt userId encryptionPublicKey signingPublicKey lastSeen { ${LOGIN_LOG_FIELDS} }`;

export interface KeyNode {
  id: string;
  name: string;
  state: string;
  createdAt: string;
  userId: string;
  encryptionPublicKey: string | null;
  signingPublicKey: string | null;
  lastSeen: LoginLogNode | null;
}

export const keyBody = (d: KeyNode) => ({
  id: uuidOf(d.id),
  created: d.createdAt,
  device_name: d.name,
  state: d.state.toLowerCase(),
  bearduser_id: uuidOf(d.userId),
  last_seen: d.lastSeen ? loginLogBody(d.lastSeen) : null,
});

/** The caller of find_public_keys: a team JWT (its permission is checked by the graph) or a signed-in team admin. */
function keyReader(r: RestRequest): void {
  if (r.principal.kind === 'teamJwt') return;
  signedIn(r);
  teamOf(r);
}

export const keyRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/keys/`,
    summary: 'list keys: the devices of one member of the team (`user` required), oldest first.',
    querystring: { type: 'object', properties: { ...pageQuery, user: uuid }, required: ['user'] },
    response: pageOf(keySchema),
    operation: `query sealdKeys($first: Int!, $offset: Int!, $user: ID!) {
      dashboardTeam { teamDevices(userId: $user, first: $first, offset: $offset) { totalCount nodes { ${KEY_FIELDS} } } }
    }`,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { first: p.size, offset: p.offset, user: gid('User', r.query.user as string) };
    },
    respond: (d, r) => {
      const page = administeredTeam(d.dashboardTeam).teamDevices;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map(keyBody)) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/keys/find_public_keys/`,
    summary: 'findPublicKeys keys: a device’s public keys — `key` (that device) or `user` (their newest active device), exactly one. Also for JWTs of the team with permission 1 (or -1).',
    querystring: { type: 'object', properties: { user: uuid, key: uuid } },
    response: publicKeySchema,
    operation: `query sealdFindPublicKeys($userId: ID, $deviceId: ID) { devicePublicKeys(userId: $userId, deviceId: $deviceId) { ${KEY_FIELDS} } }`,
    variables: (r) => {
      keyReader(r);
      const q = r.query as { user?: string; key?: string };
      if ((q.user === undefined) === (q.key === undefined)) throw new DomainError('VALIDATION_FAILED', 'Give exactly one of user and key.', q.user === undefined ? 'query.user' : 'query.key');
      return { userId: q.user ? gid('User', q.user) : null, deviceId: q.key ? gid('Device', q.key) : null };
    },
    respond: (d) => {
      const k: KeyNode | null = d.devicePublicKeys;
      if (!k) throw notFound();
      return { body: { ...keyBody(k), encrypt_pubkey: k.encryptionPublicKey, signing_pubkey: k.signingPublicKey } };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/keys/:id/revoke/`,
    summary: 'revoke keys: revokes a device of a member of the team; it is refused by every later call. In the event log and the member’s sigchain.',
    params: idParams,
    response: statusOk,
    status: 201,
    operation: `mutation sealdRevokeKey($input: DeviceIdInput!) { revokeTeamDevice(input: $input) { device { state } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { id: idOf(r, 'Device') } }),
    respond: () => ok(),
  },
];
