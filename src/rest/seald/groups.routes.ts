// groups/: the team's groups (Seald groups) with their key material: list, create, retrieve,
// member devices, members (list, add, change, leave), the group sigchain, rename, key renewal and
// the server-side removal of members (issue 24).
//
// Choices where the document is silent or vague:
// - A group is `{id, group_name, created, encrypt_pubkey, signing_pubkey, key_generation}`;
//   `retrieve` shows the current (newest) keys. Lists are DRF pages, by name.
// - create: `group_name` absent → "Untitled group"; `members` and `admins` are users of the team
//   (admins become members); each `message_keys` item is the group's private key encrypted for
//   `created_for_key`, an active device of a member (a revoked device: 400). 201
//   `{"status": "ok", "id": "<uuid>"}` (the id added, so the group can be used).
// - `edited_beardusers_device_messages` maps a user id to `{<device id>: <encrypted group key>}`
//   (at most 100 users); POST adds those users as members, PATCH changes existing members'
//   copies. The optional `is_admin` maps a user id to their admin flag (POST: default false;
//   PATCH: unchanged when absent). `transaction_data_members`, when sent, is appended to the
//   group's sigchain.
// - DELETE members/ takes the member as `?bearduser_id=`; without it the caller leaves the group
//   (any member may leave). server_delete_members removes the listed users (managers only).
//   A removed member's device copies of every group key are deleted with the membership: they get
//   no key of the group from then on, and later renewals are only given to members.
// - init_sigchain: once per group (again: 409). renew: the old keys and their device copies are
//   kept (for old messages); `key_generation` increases.
// - Who changes a group: the group's admins and the team's admins; everyone else 403. Another
//   team's group: 404.
import { notFound } from '../../core/errors.js';
import { UUID_PATTERN_SOURCE } from '../../core/validation.js';
import { envelope, gid, pageOf, pageOfRequest, pageQuery, uuid, uuidOf } from '../drf.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { administeredTeam, BASE, idOf, idParams, ok, statusOk, teamOf, USER_ERRORS } from './common.js';

const GROUP_FIELDS = 'id name createdAt encryptionPublicKey signingPublicKey keyGeneration organization { id }';

interface GroupNode {
  id: string;
  name: string;
  createdAt: string;
  encryptionPublicKey: string | null;
  signingPublicKey: string | null;
  keyGeneration: number;
  organization: { id: string } | null;
}

const groupSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    group_name: { type: 'string' },
    created: { type: 'string', format: 'date-time' },
    encrypt_pubkey: { type: ['string', 'null'] },
    signing_pubkey: { type: ['string', 'null'] },
    key_generation: { type: 'integer' },
  },
  required: ['id', 'group_name', 'created', 'encrypt_pubkey', 'signing_pubkey', 'key_generation'],
};

const groupBody = (g: GroupNode) => ({
  id: uuidOf(g.id),
  group_name: g.name,
  created: g.createdAt,
  encrypt_pubkey: g.encryptionPublicKey,
  signing_pubkey: g.signingPublicKey,
  key_generation: g.keyGeneration,
});

const publicKey: JsonSchema = { type: 'string', minLength: 10, maxLength: 2048 };
const encryptedKey: JsonSchema = { type: 'string', minLength: 10, maxLength: 4096 };
const transaction: JsonSchema = { type: 'object', maxProperties: 100 };

const messageKeys: JsonSchema = {
  type: 'array',
  maxItems: 1000,
  items: {
    type: 'object',
    properties: {
      created_for_key: uuid,
      encrypted_message_key: { type: 'string', minLength: 1, maxLength: 4096 },
      created_for_key_hash: { type: 'string', maxLength: 256 },
    },
    required: ['created_for_key', 'encrypted_message_key'],
  },
};

const uuidKeyed = (value: JsonSchema, max: number): JsonSchema => ({ type: 'object', maxProperties: max, propertyNames: { pattern: UUID_PATTERN_SOURCE }, additionalProperties: value });

const memberBody: JsonSchema = {
  type: 'object',
  properties: {
    edited_beardusers_device_messages: uuidKeyed(uuidKeyed({ type: 'string', minLength: 1, maxLength: 4096 }, 100), 100),
    is_admin: uuidKeyed({ type: 'boolean' }, 100),
    transaction_data_members: transaction,
  },
  required: ['edited_beardusers_device_messages'],
};

/** The team's group `{id}`: its global ID (404 for a path that is no uuid, from idParams). */
const groupIdOf = (r: RestRequest) => (teamOf(r), idOf(r, 'Group'));

/** The group an operation read, if it is the team's; else 404 (another team's group does not exist here). */
// Operation data is untyped JSON (as every route's `d`).
function teamGroup(d: { dashboardTeam: { id: string } | null; group: any }): any {
  const team = administeredTeam(d.dashboardTeam);
  if (!d.group || d.group.organization?.id !== team.id) throw notFound();
  return d.group;
}

const lower = (s: string) => s.toLowerCase();

const keyCopies = (keys: { created_for_key: string; encrypted_message_key: string; created_for_key_hash?: string }[]) =>
  keys.map((k) => ({ deviceId: gid('Device', k.created_for_key), encryptedMessageKey: k.encrypted_message_key, keyHash: k.created_for_key_hash || null }));

function memberKeysInput(r: RestRequest) {
  const edited = r.body.edited_beardusers_device_messages as Record<string, Record<string, string>>;
  const admins = (r.body.is_admin ?? {}) as Record<string, boolean>;
  const users = new Set([...Object.keys(edited), ...Object.keys(admins)].map(lower));
  return {
    groupId: groupIdOf(r),
    members: [...users].map((u) => {
      const devices = Object.entries(edited).find(([k]) => lower(k) === u)?.[1] ?? {};
      const admin = Object.entries(admins).find(([k]) => lower(k) === u)?.[1];
      return { userId: gid('User', u), isAdmin: admin ?? null, deviceKeys: Object.entries(devices).map(([d, key]) => ({ deviceId: gid('Device', d), encryptedMessageKey: key })) };
    }),
    transaction: r.body.transaction_data_members ?? null,
  };
}

const DEVICE_FIELDS = 'isAdmin hasKey device { id name state createdAt userId encryptionPublicKey signingPublicKey }';

interface GroupDeviceNode {
  isAdmin: boolean;
  hasKey: boolean;
  device: { id: string; name: string; state: string; createdAt: string; userId: string; encryptionPublicKey: string | null; signingPublicKey: string | null };
}

const groupDeviceSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    device_name: { type: 'string' },
    state: { type: 'string', enum: ['active', 'revoked'] },
    created: { type: 'string', format: 'date-time' },
    bearduser_id: { type: 'string', format: 'uuid' },
    encrypt_pubkey: { type: ['string', 'null'] },
    signing_pubkey: { type: ['string', 'null'] },
    is_admin: { type: 'boolean' },
    has_key: { type: 'boolean' },
  },
  required: ['id', 'device_name', 'state', 'created', 'bearduser_id', 'encrypt_pubkey', 'signing_pubkey', 'is_admin', 'has_key'],
};

const groupDeviceBody = (n: GroupDeviceNode) => ({
  id: uuidOf(n.device.id),
  device_name: n.device.name,
  state: n.device.state.toLowerCase(),
  created: n.device.createdAt,
  bearduser_id: uuidOf(n.device.userId),
  encrypt_pubkey: n.device.encryptionPublicKey,
  signing_pubkey: n.device.signingPublicKey,
  is_admin: n.isAdmin,
  has_key: n.hasKey,
});

const memberSchema: JsonSchema = {
  type: 'object',
  properties: { bearduser_id: { type: 'string', format: 'uuid' }, is_admin: { type: 'boolean' }, created: { type: 'string', format: 'date-time' } },
  required: ['bearduser_id', 'is_admin', 'created'],
};

interface MemberNode {
  isAdmin: boolean;
  createdAt: string;
  user: { id: string } | null;
}

const GROUP_PAYLOAD = `group { id } ${USER_ERRORS}`;

export const groupRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/groups/`,
    summary: 'list groups: the team’s groups, by name.',
    querystring: { type: 'object', properties: pageQuery },
    response: pageOf(groupSchema),
    operation: `query sealdGroups($first: Int!, $offset: Int!, $team: ID!) {
      dashboardTeam { id }
      groups(first: $first, offset: $offset, filter: { organization: $team }) { totalCount nodes { ${GROUP_FIELDS} } }
    }`,
    variables: (r) => {
      const team = teamOf(r);
      const p = pageOfRequest(r);
      return { first: p.size, offset: p.offset, team };
    },
    respond: (d, r) => (administeredTeam(d.dashboardTeam), { body: envelope(r, pageOfRequest(r), d.groups.totalCount, d.groups.nodes.map(groupBody)) }),
  },
  {
    method: 'POST',
    path: `${BASE}/groups/`,
    summary: 'create groups: a group of the team with its keys, members, admins and each member device’s copy of the group key.',
    body: {
      type: 'object',
      properties: {
        group_name: { type: 'string', minLength: 1, maxLength: 64 },
        encrypt_pubkey: publicKey,
        signing_pubkey: publicKey,
        encrypted_encryption_privkey: encryptedKey,
        encrypted_signing_privkey: encryptedKey,
        members: { type: 'array', maxItems: 100, items: uuid },
        admins: { type: 'array', maxItems: 100, items: uuid },
        message_keys: messageKeys,
      },
      required: ['encrypt_pubkey', 'signing_pubkey', 'encrypted_encryption_privkey', 'encrypted_signing_privkey', 'members', 'message_keys'],
    },
    response: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, id: { type: 'string', format: 'uuid' } }, required: ['status', 'id'] },
    status: 201,
    operation: `mutation sealdCreateGroup($input: CreateGroupInput!) { createGroup(input: $input) { ${GROUP_PAYLOAD} } }`,
    variables: (r) => {
      const b = r.body;
      return {
        input: {
          organizationId: teamOf(r),
          name: b.group_name ?? 'Untitled group',
          encryptionPublicKey: b.encrypt_pubkey,
          signingPublicKey: b.signing_pubkey,
          encryptedEncryptionPrivateKey: b.encrypted_encryption_privkey,
          encryptedSigningPrivateKey: b.encrypted_signing_privkey,
          memberIds: (b.members as string[]).map((u) => gid('User', u)),
          adminIds: ((b.admins ?? []) as string[]).map((u) => gid('User', u)),
          messageKeys: keyCopies(b.message_keys).map((k) => ({ createdForDeviceId: k.deviceId, createdForKeyHash: k.keyHash, encryptedMessageKey: k.encryptedMessageKey })),
        },
      };
    },
    respond: (d) => ok({ id: uuidOf(d.createGroup.group.id) }),
  },
  {
    method: 'GET',
    path: `${BASE}/groups/:id/`,
    summary: 'retrieve groups: one group of the team, with its current public keys.',
    params: idParams,
    response: groupSchema,
    operation: `query sealdGroup($id: ID!) { dashboardTeam { id } group(id: $id) { ${GROUP_FIELDS} } }`,
    variables: (r) => ({ id: groupIdOf(r) }),
    respond: (d) => ({ body: groupBody(teamGroup(d)) }),
  },
  {
    method: 'GET',
    path: `${BASE}/groups/:id/groupdevices/`,
    summary: 'groupdevices groups: the devices of the group’s members, each with whether it holds the group’s current key.',
    params: idParams,
    querystring: { type: 'object', properties: pageQuery },
    response: pageOf(groupDeviceSchema),
    operation: `query sealdGroupDevices($id: ID!, $first: Int!, $offset: Int!) {
      dashboardTeam { id }
      group(id: $id) { organization { id } devicePage(first: $first, offset: $offset) { totalCount nodes { ${DEVICE_FIELDS} } } }
    }`,
    variables: (r) => {
      const id = groupIdOf(r);
      const p = pageOfRequest(r);
      return { id, first: p.size, offset: p.offset };
    },
    respond: (d, r) => {
      const page = teamGroup(d).devicePage;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map(groupDeviceBody)) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/groups/:id/members/`,
    summary: 'members groups: the group’s members, admins first.',
    params: idParams,
    querystring: { type: 'object', properties: pageQuery },
    response: pageOf(memberSchema),
    operation: `query sealdGroupMembers($id: ID!, $first: Int!, $offset: Int!) {
      dashboardTeam { id }
      group(id: $id) { organization { id } memberPage(first: $first, offset: $offset) { totalCount nodes { isAdmin createdAt user { id } } } }
    }`,
    variables: (r) => {
      const id = groupIdOf(r);
      const p = pageOfRequest(r);
      return { id, first: p.size, offset: p.offset };
    },
    respond: (d, r) => {
      const page = teamGroup(d).memberPage;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map((m: MemberNode) => ({ bearduser_id: uuidOf(m.user?.id), is_admin: m.isAdmin, created: m.createdAt }))) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/groups/:id/members/`,
    summary: 'members groups (POST): adds members with their devices’ copies of the group key.',
    params: idParams,
    body: memberBody,
    response: statusOk,
    status: 201,
    operation: `mutation sealdAddGroupMembers($input: GroupMemberKeysInput!) { addGroupMemberKeys(input: $input) { ${GROUP_PAYLOAD} } }`,
    variables: (r) => ({ input: memberKeysInput(r) }),
    respond: () => ok(),
  },
  {
    method: 'PATCH',
    path: `${BASE}/groups/:id/members/`,
    summary: 'members groups (PATCH): changes members’ admin flags and replaces their devices’ copies of the group key.',
    params: idParams,
    body: memberBody,
    response: statusOk,
    operation: `mutation sealdUpdateGroupMembers($input: GroupMemberKeysInput!) { updateGroupMemberKeys(input: $input) { ${GROUP_PAYLOAD} } }`,
    variables: (r) => ({ input: memberKeysInput(r) }),
    respond: () => ({ status: 200, body: { status: 'ok' } }),
  },
  {
    method: 'DELETE',
    path: `${BASE}/groups/:id/members/`,
    summary: 'members groups (DELETE): removes the member `bearduser_id` (managers), or without it the caller leaves the group. Their key copies go with the membership.',
    params: idParams,
    querystring: { type: 'object', properties: { bearduser_id: uuid } },
    status: 204,
    operation: `mutation sealdRemoveGroupMember($input: GroupMembersInput!) { removeGroupMembers(input: $input) { ${GROUP_PAYLOAD} } }`,
    variables: (r) => {
      const groupId = groupIdOf(r);
      const who = (r.query.bearduser_id as string | undefined) ?? (r.principal.kind === 'user' ? r.principal.userId : '');
      return { input: { groupId, userIds: [gid('User', who)] } };
    },
    respond: () => ({ status: 204, body: undefined }),
  },
  {
    method: 'POST',
    path: `${BASE}/groups/:id/init_sigchain/`,
    summary: 'initSigchain groups: starts the group’s sigchain with its first two transactions (once).',
    params: idParams,
    body: { type: 'object', properties: { transaction_data: transaction, transaction_data_members: transaction }, required: ['transaction_data', 'transaction_data_members'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdInitGroupSigchain($input: InitGroupSigchainInput!) { initGroupSigchain(input: $input) { ${GROUP_PAYLOAD} } }`,
    variables: (r) => ({ input: { groupId: groupIdOf(r), transaction: r.body.transaction_data, membersTransaction: r.body.transaction_data_members } }),
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/groups/:id/rename/`,
    summary: 'rename groups.',
    params: idParams,
    body: { type: 'object', properties: { group_name: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['group_name'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdRenameGroup($input: RenameGroupInput!) { renameGroup(input: $input) { ${GROUP_PAYLOAD} } }`,
    variables: (r) => ({ input: { id: groupIdOf(r), name: r.body.group_name } }),
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/groups/:id/renew/`,
    summary: 'renew groups: new group keys; the old ones stay stored for old messages, retrieve shows the new public keys.',
    params: idParams,
    body: {
      type: 'object',
      properties: {
        transaction_data: transaction,
        encrypt_pubkey: publicKey,
        signing_pubkey: publicKey,
        encrypted_encryption_privkey: encryptedKey,
        encrypted_signing_privkey: encryptedKey,
        message_keys: messageKeys,
      },
      required: ['transaction_data', 'encrypt_pubkey', 'signing_pubkey', 'encrypted_encryption_privkey', 'encrypted_signing_privkey', 'message_keys'],
    },
    response: statusOk,
    status: 201,
    operation: `mutation sealdRenewGroup($input: RenewGroupKeysInput!) { renewGroupKeys(input: $input) { ${GROUP_PAYLOAD} } }`,
    variables: (r) => {
      const b = r.body;
      return {
        input: {
          groupId: groupIdOf(r),
          encryptionPublicKey: b.encrypt_pubkey,
          signingPublicKey: b.signing_pubkey,
          encryptedEncryptionPrivateKey: b.encrypted_encryption_privkey,
          encryptedSigningPrivateKey: b.encrypted_signing_privkey,
          messageKeys: keyCopies(b.message_keys),
          transaction: b.transaction_data,
        },
      };
    },
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/groups/:id/server_delete_members/`,
    summary: 'serverDeleteMembers groups: removes the listed members (managers only); their key copies go with them.',
    params: idParams,
    body: { type: 'object', properties: { bearduser_ids: { type: 'array', minItems: 1, maxItems: 100, items: uuid } }, required: ['bearduser_ids'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdServerDeleteMembers($input: GroupMembersInput!) { removeGroupMembers(input: $input) { ${GROUP_PAYLOAD} } }`,
    variables: (r) => ({ input: { groupId: groupIdOf(r), userIds: (r.body.bearduser_ids as string[]).map((u) => gid('User', u)) } }),
    respond: () => ok(),
  },
];
