// adminkeys/, encryptedbackupkeys/, lostaccounts/ (Seald part 2): the team's backup admin keys,
// its users' encrypted backup keys and the recovery of users who lost every device
// (src/modules/recovery/lost-account.states.ts holds the states 0–6 and their transitions).
//
// Choices where the document is vague:
// - adminkeys retrieve: `stats` is "<members with a backup key for it>/<direct members>",
//   `created_by` the creator's username (null once deleted). notify_missing mails (outbox
//   template `adminkey_missing`) every direct member without a backup for the key: 201
//   `{"status": "ok", "notified": n}`.
// - encryptedbackupkeys/find_key: 201 `{"status": "ok", "id", "encrypted_backup_key",
//   "created", "renewed"}`; 404 when the user has none for that admin key (or either is not
//   the team's). renew: `encryption_pub_key`, when sent, must be the admin key's public key
//   unless `force: true`; `transaction_data` is stored with the backup.
// - lostaccounts: `state_in` ("0|2|4") filters list and retrieve (a retrieve whose state is not
//   in it is 404); the action routes accept it and ignore it, their state rule is the table's.
//   DELETE cancels an open recovery (0–3 → 5, its device revoked, 204) and keeps the row as
//   history; a closed one (4, 5, 6) is refused. A refused transition is 400 `{"state": [...]}`.
// - create_device: 201 `{"status": "ok", "created_device_id"}`; validate_sigchain appends the
//   transaction to the user's sigchain (a `position` in it must be the next one unless `force`).
// - missing_encrypted_message_keys GET: 200 `{"status": "ok", "keys": [{message_id, token,
//   created_for_key}], "has_more"}` (at most 100, the user's team messages the new device has
//   no key of; token: their key for an older device). POST stores the new device's keys
//   (at most 100): 201 `{"status": "ok", "state"}` (3 while some are left, 4 when none).
import { keyMaterialSchema, KEY_LIMITS } from '../../core/key-material.js';
import { notFound } from '../../core/errors.js';
import { plainText } from '../schemas.js';
import { envelope, gid, pageOf, pageOfRequest, pageQuery, uuid, uuidOf } from '../drf.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { administeredTeam, BASE, idOf, idParams, ok, statusOk, teamOf, USER_ERRORS } from './common.js';

const statusOkWith = (extra: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, ...extra }, required: ['status'] });

// ---- adminkeys ----

const adminKeySchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    created: { type: 'string', format: 'date-time' },
    name: { type: 'string' },
    encrypted_admin_key: { type: 'string' },
    public_admin_key: { type: 'string' },
  },
  required: ['id', 'created', 'name', 'encrypted_admin_key', 'public_admin_key'],
};

interface AdminKeyNode {
  id: string;
  createdAt: string;
  name: string;
  encryptedAdminKey: string;
  publicAdminKey: string;
}
const ADMIN_KEY = 'id createdAt name encryptedAdminKey publicAdminKey';
const adminKeyBody = (k: AdminKeyNode) => ({ id: uuidOf(k.id), created: k.createdAt, name: k.name, encrypted_admin_key: k.encryptedAdminKey, public_admin_key: k.publicAdminKey });

// ---- lostaccounts ----

const STATE_IN = '^[0-6](\\|[0-6]){0,6}$';
const stateInQuery: Record<string, JsonSchema> = { state_in: { type: 'string', pattern: STATE_IN, maxLength: 13, description: 'States 0–6, several separated by |.' } };
const statesOf = (r: RestRequest): number[] | null => (r.query.state_in === undefined ? null : [...new Set(String(r.query.state_in).split('|').map(Number))]);

const lostAccountSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    created: { type: 'string', format: 'date-time' },
    email: { type: 'string' },
    device_name: { type: 'string' },
    bearduser_id: { type: 'string', format: 'uuid' },
    state: { type: 'integer', enum: [0, 1, 2, 3, 4, 5, 6] },
    created_device_id: { type: ['string', 'null'], format: 'uuid' },
    encryption_pub_key: { type: 'string' },
    signing_pub_key: { type: 'string' },
  },
  required: ['id', 'created', 'email', 'device_name', 'bearduser_id', 'state', 'created_device_id', 'encryption_pub_key', 'signing_pub_key'],
};

interface LostAccountNode {
  id: string;
  createdAt: string;
  email: string;
  deviceName: string;
  userId: string;
  state: number;
  createdDeviceId: string | null;
  encryptionPublicKey: string;
  signingPublicKey: string;
}
const LOST_ACCOUNT = 'id createdAt email deviceName userId state createdDeviceId encryptionPublicKey signingPublicKey';
const lostAccountBody = (a: LostAccountNode) => ({
  id: uuidOf(a.id),
  created: a.createdAt,
  email: a.email,
  device_name: a.deviceName,
  bearduser_id: uuidOf(a.userId),
  state: a.state,
  created_device_id: uuidOf(a.createdDeviceId),
  encryption_pub_key: a.encryptionPublicKey,
  signing_pub_key: a.signingPublicKey,
});

const lostIdQuery: JsonSchema = { type: 'object', properties: stateInQuery };
const transactionSchema: JsonSchema = { type: 'object', minProperties: 1 };

export const recoveryRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/adminkeys/`,
    summary: 'list adminkeys: the team’s backup admin keys, newest first.',
    querystring: { type: 'object', properties: pageQuery },
    response: pageOf({ type: 'object', properties: { id: { type: 'string', format: 'uuid' }, created: { type: 'string', format: 'date-time' }, name: { type: 'string' } }, required: ['id', 'created', 'name'] }),
    operation: `query sealdAdminKeys($first: Int!, $offset: Int!) { dashboardTeam { teamAdminKeys(first: $first, offset: $offset) { totalCount nodes { id createdAt name } } } }`,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { first: p.size, offset: p.offset };
    },
    respond: (d, r) => {
      const page = administeredTeam(d.dashboardTeam).teamAdminKeys;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map((k: AdminKeyNode) => ({ id: uuidOf(k.id), created: k.createdAt, name: k.name }))) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/adminkeys/`,
    summary: 'create adminkeys: a backup admin key of the team (its public key, its private key encrypted by the admins).',
    body: {
      type: 'object',
      properties: {
        name: plainText(255, 1),
        encrypted_admin_key: keyMaterialSchema(KEY_LIMITS.privateKey),
        public_admin_key: keyMaterialSchema(KEY_LIMITS.publicKey),
        // Documented as part of the body (read-only in fact): accepted and ignored.
        id: uuid,
        created: { type: 'string', maxLength: 64 },
      },
      required: ['name', 'encrypted_admin_key', 'public_admin_key'],
    },
    response: adminKeySchema,
    status: 201,
    operation: `mutation sealdCreateAdminKey($input: CreateAdminKeyInput!) { createAdminKey(input: $input) { adminKey { ${ADMIN_KEY} } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { name: r.body.name, encryptedAdminKey: r.body.encrypted_admin_key, publicAdminKey: r.body.public_admin_key } }),
    respond: (d) => ({ status: 201, body: adminKeyBody(d.createAdminKey.adminKey) }),
  },
  {
    method: 'GET',
    path: `${BASE}/adminkeys/:id/`,
    summary: 'retrieve adminkeys: one admin key of the team with its backup stats and creator.',
    params: idParams,
    response: { ...adminKeySchema, properties: { ...(adminKeySchema.properties as object), stats: { type: 'string' }, created_by: { type: ['string', 'null'] } } },
    operation: `query sealdAdminKey($id: ID!) { teamAdminKey(id: $id) { ${ADMIN_KEY} stats createdBy { username } } }`,
    variables: (r) => (teamOf(r), { id: idOf(r, 'AdminKey') }),
    respond: (d) => {
      const k = d.teamAdminKey;
      if (!k) throw notFound();
      return { body: { ...adminKeyBody(k), stats: k.stats, created_by: k.createdBy?.username ?? null } };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/adminkeys/:id/notify_missing/`,
    summary: 'notifyMissing adminkeys: mails every member of the team who has no backup key for this admin key.',
    params: idParams,
    response: statusOkWith({ notified: { type: 'integer' } }),
    status: 201,
    operation: `mutation sealdNotifyMissing($input: AdminKeyIdInput!) { notifyMissingAdminKeyCopies(input: $input) { notifiedCount ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { adminKeyId: idOf(r, 'AdminKey') } }),
    respond: (d) => ok({ notified: d.notifyMissingAdminKeyCopies.notifiedCount }),
  },
  {
    method: 'POST',
    path: `${BASE}/encryptedbackupkeys/find_key/`,
    summary: 'findKey encryptedbackupkeys: a user’s backup key for an admin key of the team (404 when none).',
    body: { type: 'object', properties: { adminkey: uuid, bearduser: uuid }, required: ['adminkey', 'bearduser'] },
    response: statusOkWith({ id: { type: 'string', format: 'uuid' }, encrypted_backup_key: { type: 'string' }, created: { type: 'string', format: 'date-time' }, renewed: { type: ['string', 'null'], format: 'date-time' } }),
    status: 201,
    operation: `query sealdFindBackupKey($adminKeyId: ID!, $userId: ID!) { teamBackupKey(adminKeyId: $adminKeyId, userId: $userId) { id encryptedBackupKey createdAt renewedAt } }`,
    variables: (r) => (teamOf(r), { adminKeyId: gid('AdminKey', r.body.adminkey), userId: gid('User', r.body.bearduser) }),
    respond: (d) => {
      const b = d.teamBackupKey;
      if (!b) throw notFound();
      return ok({ id: uuidOf(b.id), encrypted_backup_key: b.encryptedBackupKey, created: b.createdAt, renewed: b.renewedAt });
    },
  },
  {
    method: 'POST',
    path: `${BASE}/encryptedbackupkeys/:id/renew/`,
    summary: 'renew encryptedbackupkeys: replaces a backup key of the team (the public key it is for must be the admin key’s unless `force`).',
    params: idParams,
    body: {
      type: 'object',
      properties: {
        transaction_data: { type: 'object' },
        encryption_pub_key: keyMaterialSchema(KEY_LIMITS.publicKey),
        force: { type: 'boolean' },
        encrypted_backup_key: keyMaterialSchema(KEY_LIMITS.privateKey),
      },
      required: ['transaction_data', 'force', 'encrypted_backup_key'],
    },
    response: statusOk,
    status: 201,
    operation: `mutation sealdRenewBackupKey($input: RenewBackupKeyInput!) { renewBackupKey(input: $input) { backupKey { id } ${USER_ERRORS} } }`,
    variables: (r) => {
      teamOf(r);
      const b = r.body;
      return { input: { backupKeyId: idOf(r, 'BackupKey'), transactionData: b.transaction_data, encryptionPubKey: b.encryption_pub_key ?? null, force: b.force, encryptedBackupKey: b.encrypted_backup_key } };
    },
    respond: () => ok(),
  },
  {
    method: 'GET',
    path: `${BASE}/lostaccounts/`,
    summary: 'list lostaccounts of the team, newest first; `state_in` filters by state (`0|1|2`).',
    querystring: { type: 'object', properties: { ...pageQuery, ...stateInQuery } },
    response: pageOf(lostAccountSchema),
    operation: `query sealdLostAccounts($first: Int!, $offset: Int!, $states: [Int!]) { dashboardTeam { teamLostAccounts(first: $first, offset: $offset, states: $states) { totalCount nodes { ${LOST_ACCOUNT} } } } }`,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { first: p.size, offset: p.offset, states: statesOf(r) };
    },
    respond: (d, r) => {
      const page = administeredTeam(d.dashboardTeam).teamLostAccounts;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map(lostAccountBody)) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/lostaccounts/:id/`,
    summary: 'retrieve lostaccounts: one recovery of the team (404 when its state is not in `state_in`).',
    params: idParams,
    querystring: lostIdQuery,
    response: lostAccountSchema,
    operation: `query sealdLostAccount($id: ID!) { teamLostAccount(id: $id) { ${LOST_ACCOUNT} } }`,
    variables: (r) => (teamOf(r), { id: idOf(r, 'LostAccount') }),
    respond: (d, r) => {
      const a = d.teamLostAccount as LostAccountNode | null;
      const states = statesOf(r);
      if (!a || (states && !states.includes(a.state))) throw notFound();
      return { body: lostAccountBody(a) };
    },
  },
  {
    method: 'DELETE',
    path: `${BASE}/lostaccounts/:id/`,
    summary: 'destroy lostaccounts: cancels an open recovery (states 0–3 → 5; its device is revoked).',
    params: idParams,
    querystring: lostIdQuery,
    status: 204,
    operation: `mutation sealdCancelLostAccount($input: LostAccountIdInput!) { cancelLostAccount(input: $input) { lostAccount { state } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { lostAccountId: idOf(r, 'LostAccount') } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  {
    method: 'GET',
    path: `${BASE}/lostaccounts/:id/missing_encrypted_message_keys/`,
    summary: 'missingEncryptedMessageKeys lostaccounts: message keys the new device lacks (states 2 and 3), at most 100 at once.',
    params: idParams,
    querystring: lostIdQuery,
    response: statusOkWith({
      keys: { type: 'array', items: { type: 'object', properties: { message_id: { type: 'string', format: 'uuid' }, token: { type: ['string', 'null'] }, created_for_key: { type: ['string', 'null'], format: 'uuid' } } } },
      has_more: { type: 'boolean' },
    }),
    operation: `query sealdMissingKeys($id: ID!) { teamLostAccount(id: $id) { missingMessageKeys { hasMore items { messageId token createdForKey } } } }`,
    variables: (r) => (teamOf(r), { id: idOf(r, 'LostAccount') }),
    respond: (d) => {
      if (!d.teamLostAccount) throw notFound();
      const m = d.teamLostAccount.missingMessageKeys;
      return {
        body: {
          status: 'ok',
          keys: m.items.map((i: { messageId: string; token: string | null; createdForKey: string | null }) => ({ message_id: uuidOf(i.messageId), token: i.token, created_for_key: uuidOf(i.createdForKey) })),
          has_more: m.hasMore,
        },
      };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/lostaccounts/:id/missing_encrypted_message_keys/`,
    summary: 'missingEncryptedMessageKeys lostaccounts (POST): the new device’s keys of messages it lacked (states 2 and 3 → 3, or 4 when none is left).',
    params: idParams,
    querystring: lostIdQuery,
    body: {
      type: 'object',
      properties: {
        keys: {
          type: 'array',
          maxItems: 100,
          items: { type: 'object', properties: { message_id: uuid, token: keyMaterialSchema(KEY_LIMITS.messageKey), created_for_key_hash: { type: 'string', maxLength: 128 } }, required: ['message_id', 'token'] },
        },
      },
      required: ['keys'],
    },
    response: statusOkWith({ state: { type: 'integer' } }),
    status: 201,
    operation: `mutation sealdAddMissingKeys($input: LostAccountAddMissingKeysInput!) { lostAccountAddMissingKeys(input: $input) { lostAccount { state } ${USER_ERRORS} } }`,
    variables: (r) => {
      teamOf(r);
      const keys = (r.body.keys as { message_id: string; token: string; created_for_key_hash?: string }[]).map((k) => ({ messageId: gid('Message', k.message_id), token: k.token, createdForKeyHash: k.created_for_key_hash ?? null }));
      return { input: { lostAccountId: idOf(r, 'LostAccount'), keys } };
    },
    respond: (d) => ok({ state: d.lostAccountAddMissingKeys.lostAccount.state }),
  },
  {
    method: 'POST',
    path: `${BASE}/lostaccounts/:id/create_device/`,
    summary: 'createDevice lostaccounts: registers the new device with the recovery’s public keys (state 0 → 1).',
    params: idParams,
    querystring: lostIdQuery,
    body: { type: 'object', properties: { device_name: plainText(255, 1) }, required: ['device_name'] },
    response: statusOkWith({ created_device_id: { type: 'string', format: 'uuid' } }),
    status: 201,
    operation: `mutation sealdLostCreateDevice($input: LostAccountCreateDeviceInput!) { lostAccountCreateDevice(input: $input) { lostAccount { createdDeviceId } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { lostAccountId: idOf(r, 'LostAccount'), deviceName: r.body.device_name } }),
    respond: (d) => ok({ created_device_id: uuidOf(d.lostAccountCreateDevice.lostAccount.createdDeviceId) }),
  },
  {
    method: 'POST',
    path: `${BASE}/lostaccounts/:id/validate_sigchain/`,
    summary: 'validateSigchain lostaccounts: appends the transaction adding the new device to the user’s sigchain (state 1 → 2).',
    params: idParams,
    querystring: lostIdQuery,
    body: { type: 'object', properties: { sigchain_transaction: transactionSchema, force: { type: 'boolean' } }, required: ['sigchain_transaction', 'force'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdValidateSigchain($input: LostAccountValidateSigchainInput!) { lostAccountValidateSigchain(input: $input) { lostAccount { state } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { lostAccountId: idOf(r, 'LostAccount'), sigchainTransaction: r.body.sigchain_transaction, force: r.body.force } }),
    respond: () => ok(),
  },
];
