// GitLab's SSH keys: the current user's and (admins) any user's. Key ids are PublicKey
// databaseIds; only SSH keys are listed (labelled keys belong to another dialect).
//
// - DELETE /user/keys/:id is idempotent (200 `{}` for a key that is gone or not yours; it never
//   deletes another user's key, even for admins: the operation names the owner).
// - DELETE /users/:id/keys/:key_id is 404 when the user or the key is missing, or the key is
//   not that user's; 200 `{}` on success.
// - A duplicate key on creation is 400 `{"message": {"fingerprint": [...], "key": [...]}}`, a
//   duplicate title 400 `{"message": {"title": [...]}}`.
import { notFound, unauthenticated } from '../../core/errors.js';
import { toGlobalId } from '../../core/graphql/node.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { conflictAs400, idempotent, idParams, requireAdmin, requireViewer, tokenQuery, toInt } from './common.js';

interface KeyNode {
  databaseId: number;
  kind: 'SSH' | 'LABELLED';
  label: string;
  key: string;
  createdAt: string;
}

const KEY_FIELDS = 'databaseId kind label key createdAt';
const keyBody = (k: KeyNode) => ({ id: k.databaseId, title: k.label, key: k.key, created_at: k.createdAt });
const sshKeys = (keys: KeyNode[]) => keys.filter((k) => k.kind === 'SSH').map(keyBody);

const keySchema: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, title: { type: 'string' }, key: { type: 'string' }, created_at: { type: 'string' } },
  required: ['id', 'title', 'key', 'created_at'],
};
const newKeyBody: JsonSchema = {
  type: 'object',
  properties: { title: { type: 'string', minLength: 1, maxLength: 255 }, key: { type: 'string', minLength: 1, maxLength: 16_384 } },
  required: ['title', 'key'],
};
const keyConflict = conflictAs400((field) => (field === 'label' ? ['title'] : ['fingerprint', 'key']));
const me = (r: RestRequest) => (r.principal.kind === 'user' ? toGlobalId('User', r.principal.userId) : null);

export const keyRoutes: Route[] = [
  {
    method: 'GET',
    path: '/user/keys',
    summary: 'Your SSH keys.',
    querystring: tokenQuery,
    response: { type: 'array', items: keySchema },
    operation: `query gitlabMyKeys { viewer { publicKeys { ${KEY_FIELDS} } } }`,
    respond: (d) => ({ body: sshKeys(requireViewer(d.viewer).publicKeys) }),
  },
  {
    method: 'GET',
    path: '/users/:id/keys',
    summary: 'A user’s SSH keys (admins, as documented).',
    params: idParams('id'),
    querystring: tokenQuery,
    response: { type: 'array', items: keySchema },
    resource: 'User',
    operation: `query gitlabUserKeys($id: Int!) { viewer { isAdmin } user(databaseId: $id) { publicKeys { ${KEY_FIELDS} } } }`,
    variables: (r) => ({ id: toInt(r.params.id) }),
    respond: (d) => {
      requireAdmin(d.viewer);
      if (!d.user) throw notFound('User not found');
      return { body: sshKeys(d.user.publicKeys) };
    },
  },
  {
    method: 'GET',
    path: '/user/keys/:id',
    summary: 'One of your SSH keys.',
    params: idParams('id'),
    querystring: tokenQuery,
    response: keySchema,
    resource: 'Key',
    operation: `query gitlabMyKey { viewer { publicKeys { ${KEY_FIELDS} } } }`,
    respond: (d, r) => {
      const id = toInt(r.params.id);
      const key = (requireViewer(d.viewer).publicKeys as KeyNode[]).find((k) => k.kind === 'SSH' && k.databaseId === id);
      if (!key) throw notFound('Key not found');
      return { body: keyBody(key) };
    },
  },
  {
    method: 'POST',
    path: '/user/keys',
    summary: 'Adds an SSH key to your account (201).',
    querystring: tokenQuery,
    body: newKeyBody,
    response: keySchema,
    status: 201,
    resource: 'Key',
    operation: `mutation gitlabAddMyKey($input: AddPublicKeyInput!) {
      addPublicKey(input: $input) { publicKey { ${KEY_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { kind: 'SSH', label: r.body.title, key: r.body.key } }),
    respond: (d) => ({ body: keyBody(d.addPublicKey.publicKey) }),
    recover: keyConflict,
  },
  {
    method: 'POST',
    path: '/users/:id/keys',
    summary: 'Adds an SSH key to a user (admins; 201).',
    params: idParams('id'),
    querystring: tokenQuery,
    body: newKeyBody,
    response: keySchema,
    status: 201,
    resource: 'User',
    operation: `mutation gitlabAddUserKey($input: AddPublicKeyInput!) {
      addPublicKey(input: $input) { publicKey { ${KEY_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { userDatabaseId: toInt(r.params.id), kind: 'SSH', label: r.body.title, key: r.body.key } }),
    respond: (d) => ({ body: keyBody(d.addPublicKey.publicKey) }),
    recover: keyConflict,
  },
  {
    method: 'DELETE',
    path: '/user/keys/:id',
    summary: 'Removes one of your SSH keys. Idempotent: 200 also when it is gone.',
    params: idParams('id'),
    querystring: tokenQuery,
    response: { type: 'object' },
    resource: 'Key',
    operation: `mutation gitlabRemoveMyKey($input: PublicKeyIdInput!) {
      removePublicKey(input: $input) { deletedId userErrors { code field message } }
    }`,
    variables: (r) => {
      const userId = me(r);
      if (!userId) throw unauthenticated();
      return { input: { databaseId: toInt(r.params.id), userId } };
    },
    respond: () => ({ body: {} }),
    recover: (e, r) => (r.principal.kind === 'user' ? idempotent(e) : undefined),
  },
  {
    method: 'DELETE',
    path: '/users/:id/keys/:key_id',
    summary: 'Removes a user’s SSH key (admins); 404 when the user or the key is missing.',
    params: idParams('id', 'key_id'),
    querystring: tokenQuery,
    response: { type: 'object' },
    resource: 'Key',
    operation: `mutation gitlabRemoveUserKey($input: PublicKeyIdInput!) {
      removePublicKey(input: $input) { deletedId userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { databaseId: toInt(r.params.key_id), userDatabaseId: toInt(r.params.id) } }),
    respond: () => ({ body: {} }),
  },
];
