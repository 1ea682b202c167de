// messages/, messageaccesses/, entrustedmessagekeys/ (Seald part 2): the team's messages, their
// accesses and the key material recipients' devices need. A message is the team's when it was
// created in the team's organization; any other message answers 404 on every route.
//
// Choices where the document is vague:
// - `meta_data` is a JSON object (as the SDK's metadata is): it matches messages whose metadata
//   contains it (jsonb containment); anything else is 400 `{"meta_data": [...]}`.
// - The documented filters (`recipient`, `owner`, `meta_data`, `only_visible`) apply to list and
//   retrieve (a retrieve that does not match is 404); the action routes accept them and
//   ignore them (they act on the message by id, which is what a caller means).
// - retrieve: `is_everyone_revoked` and `nb_read` are the JSON booleans/integers they say
//   (every access revoked — false with none; total reads), `self_destruct_date` ISO or null.
// - available_adminkeys: 200 `{"status": "ok", "adminkeys": [{id, name}]}` — the team's admin
//   keys under which the owner or a live recipient stored a backup key.
// - find_recoverable_message_key: 201 `{"status": "ok", "token", "created_for_key",
//   "encrypted_backup_key", "encrypted_backup_key_id"}`: the user's message key for their
//   backed-up device and their backup under the admin key; 404 when there is none.
// - revoke: exactly one of `user`, `email` (its access and the keys entrusted to it),
//   `entrusted_created_for_type` + `_value`, `all: true` (every access and entrusted key);
//   nothing to revoke for that recipient: 400. Answer adds `revoked` (accesses) and
//   `revoked_entrusted_keys`.
// - self_destruct_date: a date (UTC midnight) in the future, or null to clear it.
// - allow_download, revoke and self_destruct_date run the graph's message mutations, whose rule
//   is "the owner or an admin of the message's organization": a team member's own API key may
//   change their own messages of the team too (never another team's: the tenant rule). Every
//   other route here is for the team's admins only (403 otherwise).
// - messageaccesses/ and entrustedmessagekeys/: `message` is required; a message that is not
//   the team's is 400 `{"message": ["Select a valid choice. …"]}` (django-filter's answer).
//   `created_for_additional_factor` is the factor as JSON text (the document says string),
//   `created_for` is "<type>:<value>", `created_for_email` the value for type EM, else null.
import { keyMaterialSchema, KEY_LIMITS } from '../../core/key-material.js';
import { DomainError, notFound } from '../../core/errors.js';
import { emailString, plainText } from '../schemas.js';
import { envelope, gid, pageOf, pageOfRequest, pageQuery, uuid, uuidOf } from '../drf.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { administeredTeam, BASE, boolQuery, idOf, idParams, ok, statusOk, teamOf, USER_ERRORS } from './common.js';

const filterQuery: Record<string, JsonSchema> = {
  recipient: uuid,
  owner: uuid,
  meta_data: plainText(4096, 2),
  only_visible: boolQuery,
};
const filterQuerystring: JsonSchema = { type: 'object', properties: filterQuery };

/** The GraphQL filter of the documented query parameters (and the message id, for retrieve). */
function filterOf(r: RestRequest, id: string | null) {
  const q = r.query;
  let meta: unknown = null;
  if (q.meta_data !== undefined) {
    try {
      meta = JSON.parse(q.meta_data as string);
    } catch {
      meta = undefined;
    }
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new DomainError('VALIDATION_FAILED', 'Must be a JSON object.', 'query.meta_data');
  }
  return {
    id,
    recipient: q.recipient ? gid('User', q.recipient as string) : null,
    owner: q.owner ? gid('User', q.owner as string) : null,
    metaDataContains: meta,
    onlyVisible: q.only_visible ?? null,
  };
}

const messageSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    owner_id: { type: 'string', format: 'uuid' },
    created: { type: 'string', format: 'date-time' },
    meta_data: { type: 'object' },
    allow_download: { type: 'boolean' },
  },
  required: ['id', 'owner_id', 'created', 'meta_data', 'allow_download'],
};

const messageDetailSchema: JsonSchema = {
  ...messageSchema,
  properties: {
    ...(messageSchema.properties as object),
    is_everyone_revoked: { type: 'boolean' },
    nb_read: { type: 'integer' },
    self_destruct_date: { type: ['string', 'null'], format: 'date-time' },
  },
};

interface MessageNode {
  id: string;
  createdAt: string;
  metadata: Record<string, unknown>;
  allowDownload: boolean;
  owner: { id: string } | null;
  everyoneRevoked?: boolean;
  totalReadCount?: number;
  selfDestructAt?: string | null;
}

const MESSAGE = 'id createdAt metadata allowDownload owner { id }';
const messageBody = (m: MessageNode) => ({ id: uuidOf(m.id), owner_id: uuidOf(m.owner?.id), created: m.createdAt, meta_data: m.metadata, allow_download: m.allowDownload });

const LIST = `query sealdMessages($first: Int!, $offset: Int!, $filter: MessageFilterInput, $detail: Boolean!) {
  dashboardTeam { teamMessages(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ${MESSAGE} everyoneRevoked @include(if: $detail) totalReadCount @include(if: $detail) selfDestructAt @include(if: $detail) } } }
}`;

const statusOkWith = (extra: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, ...extra }, required: ['status'] });

/** The `message` query parameter of the two access lists: the team's message, else DRF's choice error. */
const NOT_A_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';
const messageQuery: JsonSchema = { type: 'object', properties: { ...pageQuery, message: uuid }, required: ['message'] };

const DATE_ONLY = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

export const messageRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/messages/`,
    summary: 'list messages of the team, newest first, with the documented filters.',
    querystring: { type: 'object', properties: { ...pageQuery, ...filterQuery } },
    response: pageOf(messageSchema),
    operation: LIST,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { first: p.size, offset: p.offset, filter: filterOf(r, null), detail: false };
    },
    respond: (d, r) => {
      const page = administeredTeam(d.dashboardTeam).teamMessages;
      return { body: envelope(r, pageOfRequest(r), page.totalCount, page.nodes.map(messageBody)) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/messages/:id/`,
    summary: 'retrieve messages: one message of the team with its counters (404 when another team’s or when the filters do not match).',
    params: idParams,
    querystring: filterQuerystring,
    response: messageDetailSchema,
    operation: LIST,
    variables: (r) => (teamOf(r), { first: 1, offset: 0, filter: filterOf(r, idOf(r, 'Message')), detail: true }),
    respond: (d) => {
      const m = administeredTeam(d.dashboardTeam).teamMessages.nodes[0] as MessageNode | undefined;
      if (!m) throw notFound();
      return { body: { ...messageBody(m), is_everyone_revoked: m.everyoneRevoked, nb_read: m.totalReadCount, self_destruct_date: m.selfDestructAt ?? null } };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/messages/:id/available_adminkeys/`,
    summary: 'availableAdminkeys messages: the team’s admin keys with which the message can be recovered for its owner or a recipient.',
    params: idParams,
    querystring: filterQuerystring,
    response: statusOkWith({ adminkeys: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } } } } }),
    operation: `query sealdAvailableAdminKeys($id: ID!) { teamMessage(id: $id) { availableAdminKeys { id name } } }`,
    variables: (r) => (teamOf(r), { id: idOf(r, 'Message') }),
    respond: (d) => {
      if (!d.teamMessage) throw notFound();
      return { body: { status: 'ok', adminkeys: d.teamMessage.availableAdminKeys.map((k: { id: string; name: string }) => ({ id: uuidOf(k.id), name: k.name })) } };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/messages/:id/add_encrypted_message_key/`,
    summary: 'addEncryptedMessageKey messages: encrypted copies of the message key for devices of its owner or recipients (at most 100; a device that has one: 400).',
    params: idParams,
    querystring: filterQuerystring,
    body: {
      type: 'object',
      properties: {
        encrypted_message_keys: {
          type: 'array',
          minItems: 1,
          maxItems: 100,
          items: {
            type: 'object',
            properties: { created_for_key: uuid, encrypted_message_key: keyMaterialSchema(KEY_LIMITS.messageKey), created_for_key_hash: { type: 'string', maxLength: 128 } },
            required: ['created_for_key', 'encrypted_message_key'],
          },
        },
      },
      required: ['encrypted_message_keys'],
    },
    response: statusOk,
    status: 201,
    operation: `mutation sealdAddMessageKeys($input: AddMessageKeysInput!) { addMessageKeys(input: $input) { messageKeys { id } ${USER_ERRORS} } }`,
    variables: (r) => {
      teamOf(r);
      const keys = (r.body.encrypted_message_keys as { created_for_key: string; encrypted_message_key: string; created_for_key_hash?: string }[]).map((k) => ({
        deviceId: gid('Device', k.created_for_key),
        encryptedMessageKey: k.encrypted_message_key,
        createdForKeyHash: k.created_for_key_hash ?? null,
      }));
      return { input: { messageId: idOf(r, 'Message'), keys } };
    },
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/messages/:id/add_entrusted_message_key/`,
    summary: 'addEntrustedMessageKey messages: the message key entrusted to a recipient outside the team (`email`, or `created_for_type` + `created_for_value`).',
    params: idParams,
    querystring: filterQuerystring,
    body: {
      type: 'object',
      properties: {
        email: emailString,
        created_for_value: plainText(254, 1),
        created_for_type: { type: 'string', minLength: 2, maxLength: 2 },
        message_key: keyMaterialSchema(KEY_LIMITS.messageKey),
        created_for_additional_factor: { type: 'object' },
      },
      required: ['message_key'],
    },
    response: statusOk,
    status: 201,
    operation: `mutation sealdAddEntrustedKey($input: AddMessageEntrustedKeyInput!) { addMessageEntrustedKey(input: $input) { entrustedKey { id } ${USER_ERRORS} } }`,
    variables: (r) => {
      teamOf(r);
      const b = r.body;
      return {
        input: {
          messageId: idOf(r, 'Message'),
          email: b.email ?? null,
          createdForType: b.created_for_type ?? null,
          createdForValue: b.created_for_value ?? null,
          messageKey: b.message_key,
          additionalFactor: b.created_for_additional_factor ?? null,
        },
      };
    },
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/messages/:id/allow_download/`,
    summary: 'allowDownload messages: whether recipients may download the message.',
    params: idParams,
    querystring: filterQuerystring,
    body: { type: 'object', properties: { allow_download: { type: 'boolean' } }, required: ['allow_download'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdAllowDownload($input: SetMessageAllowDownloadInput!) { setMessageAllowDownload(input: $input) { message { allowDownload } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { messageId: idOf(r, 'Message'), allowDownload: r.body.allow_download } }),
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/messages/:id/find_recoverable_message_key/`,
    summary: 'findRecoverableMessageKey messages: the user’s message key and their backup under the admin key, to recover the message for them (404 when none).',
    params: idParams,
    body: { type: 'object', properties: { bearduser_id: uuid, adminkey_id: uuid }, required: ['bearduser_id', 'adminkey_id'] },
    response: statusOkWith({ token: { type: 'string' }, created_for_key: { type: 'string', format: 'uuid' }, encrypted_backup_key: { type: 'string' }, encrypted_backup_key_id: { type: 'string', format: 'uuid' } }),
    status: 201,
    operation: `query sealdRecoverableKey($messageId: ID!, $userId: ID!, $adminKeyId: ID!) {
      teamRecoverableMessageKey(messageId: $messageId, userId: $userId, adminKeyId: $adminKeyId) { token createdForKey backupKey { id encryptedBackupKey } }
    }`,
    variables: (r) => (teamOf(r), { messageId: idOf(r, 'Message'), userId: gid('User', r.body.bearduser_id), adminKeyId: gid('AdminKey', r.body.adminkey_id) }),
    respond: (d) => {
      const k = d.teamRecoverableMessageKey;
      return ok({ token: k.token, created_for_key: uuidOf(k.createdForKey), encrypted_backup_key: k.backupKey.encryptedBackupKey, encrypted_backup_key_id: uuidOf(k.backupKey.id) });
    },
  },
  {
    method: 'POST',
    path: `${BASE}/messages/:id/revoke/`,
    summary: 'revoke messages: one user’s access, one email’s (access and entrusted keys), one entrusted recipient’s keys, or everyone’s (`all`). Takes effect on their next request.',
    params: idParams,
    querystring: filterQuerystring,
    body: {
      type: 'object',
      properties: {
        user: uuid,
        email: plainText(254, 1),
        entrusted_created_for_value: plainText(254, 1),
        entrusted_created_for_type: { type: 'string', minLength: 2, maxLength: 2 },
        all: { type: 'boolean' },
      },
    },
    response: statusOkWith({ revoked: { type: 'integer' }, revoked_entrusted_keys: { type: 'integer' } }),
    status: 201,
    operation: `mutation sealdRevokeMessage($input: RevokeMessageAccessInput!) { revokeMessageAccess(input: $input) { revokedAccesses { id } revokedEntrustedKeyCount ${USER_ERRORS} } }`,
    variables: (r) => {
      teamOf(r);
      const b = r.body ?? {};
      const given = [b.user !== undefined, b.email !== undefined, b.entrusted_created_for_value !== undefined || b.entrusted_created_for_type !== undefined, b.all === true].filter(Boolean).length;
      if (given !== 1) throw new DomainError('VALIDATION_FAILED', 'Give exactly one of user, email, entrusted_created_for_type with entrusted_created_for_value, and all: true.', 'non_field_errors');
      return {
        input: {
          messageId: idOf(r, 'Message'),
          userId: b.user !== undefined ? gid('User', b.user) : null,
          email: b.email ?? null,
          entrustedType: b.entrusted_created_for_type ?? null,
          entrustedValue: b.entrusted_created_for_value ?? null,
          everyone: b.all === true ? true : null,
        },
      };
    },
    respond: (d) => ok({ revoked: d.revokeMessageAccess.revokedAccesses.length, revoked_entrusted_keys: d.revokeMessageAccess.revokedEntrustedKeyCount }),
  },
  {
    method: 'POST',
    path: `${BASE}/messages/:id/self_destruct_date/`,
    summary: 'selfDestructDate messages: the date (UTC midnight, in the future) the message stops being readable; null clears it.',
    params: idParams,
    querystring: filterQuerystring,
    body: { type: 'object', properties: { date: { type: ['string', 'null'], pattern: DATE_ONLY } }, required: ['date'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdSelfDestruct($input: SetMessageSelfDestructDateInput!) { setMessageSelfDestructDate(input: $input) { message { selfDestructAt } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { messageId: idOf(r, 'Message'), date: r.body.date === null ? null : `${r.body.date}T00:00:00Z` } }),
    respond: () => ok(),
  },
  {
    method: 'GET',
    path: `${BASE}/messageaccesses/`,
    summary: 'list messageaccesses of one message of the team, in the order they were granted.',
    querystring: messageQuery,
    response: pageOf({
      type: 'object',
      properties: {
        created: { type: 'string', format: 'date-time' },
        added_by_id: { type: ['string', 'null'], format: 'uuid' },
        message_id: { type: 'string', format: 'uuid' },
        bearduser_id: { type: ['string', 'null'], format: 'uuid' },
        path: { type: 'array', items: { type: 'string' } },
        read_first: { type: ['string', 'null'], format: 'date-time' },
        read_last: { type: ['string', 'null'], format: 'date-time' },
        read_time: { type: 'integer' },
        revoked: { type: 'boolean' },
        revoked_date: { type: ['string', 'null'], format: 'date-time' },
      },
    }),
    operation: `query sealdMessageAccesses($id: ID!, $first: Int!, $offset: Int!) {
      teamMessage(id: $id) { accessPage(first: $first, offset: $offset) { totalCount nodes { createdAt path readFirstAt readLastAt readCount revoked revokedAt user { id } addedBy { id } } } }
    }`,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { id: gid('Message', r.query.message as string), first: p.size, offset: p.offset };
    },
    respond: (d, r) => {
      if (!d.teamMessage) throw new DomainError('VALIDATION_FAILED', NOT_A_CHOICE, 'query.message');
      const page = d.teamMessage.accessPage;
      const messageId = (r.query.message as string).toLowerCase();
      type A = { createdAt: string; path: string[]; readFirstAt: string | null; readLastAt: string | null; readCount: number; revoked: boolean; revokedAt: string | null; user: { id: string } | null; addedBy: { id: string } | null };
      return {
        body: envelope(
          r,
          pageOfRequest(r),
          page.totalCount,
          page.nodes.map((a: A) => ({
            created: a.createdAt,
            added_by_id: uuidOf(a.addedBy?.id),
            message_id: messageId,
            bearduser_id: uuidOf(a.user?.id),
            path: a.path,
            read_first: a.readFirstAt,
            read_last: a.readLastAt,
            read_time: a.readCount,
            revoked: a.revoked,
            revoked_date: a.revokedAt,
          })),
        ),
      };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/entrustedmessagekeys/`,
    summary: 'list entrustedmessagekeys of one message of the team, in the order they were added.',
    querystring: messageQuery,
    response: pageOf({
      type: 'object',
      properties: {
        created: { type: 'string', format: 'date-time' },
        created_for_value: { type: 'string' },
        created_for_type: { type: 'string' },
        converted_for_id: { type: ['string', 'null'], format: 'uuid' },
        read_first: { type: ['string', 'null'], format: 'date-time' },
        read_last: { type: ['string', 'null'], format: 'date-time' },
        read_time: { type: 'integer' },
        revoked: { type: 'boolean' },
        revoked_date: { type: ['string', 'null'], format: 'date-time' },
        replies: { type: 'array', items: { type: 'string' } },
        created_for_additional_factor: { type: ['string', 'null'] },
        created_for: { type: 'string' },
        created_for_email: { type: ['string', 'null'] },
      },
    }),
    operation: `query sealdEntrustedKeys($id: ID!, $first: Int!, $offset: Int!) {
      teamMessage(id: $id) { entrustedKeys(first: $first, offset: $offset) { totalCount nodes { createdAt createdForType createdForValue convertedForId readFirstAt readLastAt readCount revoked revokedAt replies additionalFactor } } }
    }`,
    variables: (r) => {
      teamOf(r);
      const p = pageOfRequest(r);
      return { id: gid('Message', r.query.message as string), first: p.size, offset: p.offset };
    },
    respond: (d, r) => {
      if (!d.teamMessage) throw new DomainError('VALIDATION_FAILED', NOT_A_CHOICE, 'query.message');
      const page = d.teamMessage.entrustedKeys;
      type K = {
        createdAt: string;
        createdForType: string;
        createdForValue: string;
        convertedForId: string | null;
        readFirstAt: string | null;
        readLastAt: string | null;
        readCount: number;
        revoked: boolean;
        revokedAt: string | null;
        replies: string[];
        additionalFactor: Record<string, unknown> | null;
      };
      return {
        body: envelope(
          r,
          pageOfRequest(r),
          page.totalCount,
          page.nodes.map((k: K) => ({
            created: k.createdAt,
            created_for_value: k.createdForValue,
            created_for_type: k.createdForType,
            converted_for_id: uuidOf(k.convertedForId),
            read_first: k.readFirstAt,
            read_last: k.readLastAt,
            read_time: k.readCount,
            revoked: k.revoked,
            revoked_date: k.revokedAt,
            replies: k.replies,
            created_for_additional_factor: k.additionalFactor ? JSON.stringify(k.additionalFactor) : null,
            created_for: `${k.createdForType}:${k.createdForValue}`,
            created_for_email: k.createdForType === 'EM' ? k.createdForValue : null,
          })),
        ),
      };
    },
  },
];
