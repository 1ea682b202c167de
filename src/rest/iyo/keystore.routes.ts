// A user's keystore, as the accessing organization sees it: its keys (list, one by label: 404)
// and saving a new one (201; a used label 409).
//
// Choices where the document is vague:
// - The accessing organization is the one the caller's token is bound to (an
//   organization-bound personal token of the user; organization API keys come with part 2).
//   Without one, the lists are empty and saving is 403.
// - `username`, `globalid` and `timestamp` in the body are ignored and answered from the
//   request ("will be overwritten"). Key data over 16 KiB and keys over 16384 characters are 413.
import { notFound } from '../../core/errors.js';
import { labelString, plainText } from '../schemas.js';
import type { JsonSchema, Route } from '../types.js';
import { OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';

type KeyNode = { label: string; organization: string; key: string; keyData: Record<string, unknown>; comment: string | null; algorithm: string; createdAt: string };
const KEY_FIELDS = 'label organization key keyData comment algorithm createdAt';
const keyBody = (k: KeyNode, username: string) => ({
  label: k.label,
  username,
  globalid: k.organization,
  key: k.key,
  keydata: k.keyData,
  timestamp: k.createdAt,
  ...(k.comment != null ? { comment: k.comment } : {}),
  algorithm: k.algorithm,
});
const keySchema: JsonSchema = {
  type: 'object',
  properties: {
    label: labelString,
    username: { type: 'string' },
    globalid: { type: 'string' },
    key: plainText(10_000_000, 1),
    keydata: { type: 'object' },
    timestamp: { type: 'string' },
    comment: plainText(1024),
    algorithm: plainText(64, 1),
  },
  required: ['label', 'key', 'keydata', 'algorithm'],
};
const read = (name: string) => `query ${name}($username: String!) { ${OWNER_FIELDS} user(username: $username) { id username keystore { ${KEY_FIELDS} } } }`;
const keysOf = (d: any) => requireOwner<{ id: string; username: string; keystore: KeyNode[] }>(d);

export const keystoreRoutes: Route[] = [
  {
    method: 'GET',
    path: '/users/:username/keystore',
    summary: 'The keys the accessing organization keeps for the user.',
    params: usernameParams(),
    querystring: tokenQuery,
    response: { type: 'array', items: keySchema },
    operation: read('iyo_keystore'),
    variables: (r) => ({ username: r.params.username }),
    respond: (d) => {
      const u = keysOf(d);
      return { body: u.keystore.map((k) => keyBody(k, u.username)) };
    },
  },
  {
    method: 'POST',
    path: '/users/:username/keystore',
    summary: 'Saves a key for the accessing organization (201); a used label is 409.',
    params: usernameParams(),
    querystring: tokenQuery,
    body: keySchema,
    response: keySchema,
    status: 201,
    operation: `mutation iyo_keystore_save($input: SaveKeystoreKeyInput!) { saveKeystoreKey(input: $input) { key { ${KEY_FIELDS} } userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, label: r.body.label, key: r.body.key, keyData: r.body.keydata, comment: r.body.comment ?? null, algorithm: r.body.algorithm } }),
    respond: (d, r) => ({ status: 201, body: keyBody(d.saveKeystoreKey.key, r.params.username!) }),
  },
  {
    method: 'GET',
    path: '/users/:username/keystore/:label',
    summary: 'One key of the accessing organization by label; 404 when there is none.',
    params: usernameParams('label'),
    querystring: tokenQuery,
    response: keySchema,
    operation: read('iyo_keystore_key'),
    variables: (r) => ({ username: r.params.username }),
    respond: (d, r) => {
      const u = keysOf(d);
      const k = u.keystore.find((x) => x.label === r.params.label);
      if (!k) throw notFound('No key found for this label');
      return { body: keyBody(k, u.username) };
    },
  },
];
