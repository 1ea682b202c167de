// A user's registry: key → value entries (POST overwrites a key, 201), list, one by key (404),
// delete (204).
//
// Choices where the document is vague:
// - POST never answers 409 ("if the key is already used, it is overwritten"): the document's
//   409 contradicts its own summary; we follow the summary.
// - A Value over 1024 characters is 413 (a free-form value over its limit), a Key over 256 is 400.
import { plainText, usernameString } from '../schemas.js';
import type { JsonSchema, Route } from '../types.js';
import { OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';
import { notFound } from '../../core/errors.js';

type Entry = { key: string; value: string };
const entryBody = (e: Entry) => ({ Key: e.key, Value: e.value });
const entrySchema: JsonSchema = { type: 'object', properties: { Key: plainText(256, 1), Value: plainText(1_000_000) }, required: ['Key', 'Value'] };
const keyParams: JsonSchema = { type: 'object', properties: { username: usernameString, key: plainText(256, 1) }, required: ['username', 'key'] };
const read = (name: string) => `query ${name}($username: String!) { ${OWNER_FIELDS} user(username: $username) { id registry { key value } } }`;
const entriesOf = (d: any): Entry[] => requireOwner<{ id: string; registry: Entry[] }>(d).registry;

export const registryRoutes: Route[] = [
  {
    method: 'POST',
    path: '/users/:username/registry',
    summary: 'Writes a registry entry, overwriting the key (201).',
    params: usernameParams(),
    querystring: tokenQuery,
    body: entrySchema,
    response: entrySchema,
    status: 201,
    operation: `mutation iyo_registry_set($input: SetRegistryEntryInput!) { setRegistryEntry(input: $input) { entry { key value } userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, key: r.body.Key, value: r.body.Value } }),
    respond: (d) => ({ status: 201, body: entryBody(d.setRegistryEntry.entry) }),
  },
  {
    method: 'GET',
    path: '/users/:username/registry',
    summary: 'The user’s registry entries.',
    params: usernameParams(),
    querystring: tokenQuery,
    response: { type: 'array', items: entrySchema },
    operation: read('iyo_registry'),
    variables: (r) => ({ username: r.params.username }),
    respond: (d) => ({ body: entriesOf(d).map(entryBody) }),
  },
  {
    method: 'GET',
    path: '/users/:username/registry/:key',
    summary: 'One registry entry by key; 404 when there is none.',
    params: keyParams,
    querystring: tokenQuery,
    response: entrySchema,
    operation: read('iyo_registry_entry'),
    variables: (r) => ({ username: r.params.username }),
    respond: (d, r) => {
      const e = entriesOf(d).find((x) => x.key === r.params.key);
      if (!e) throw notFound('Registry entry not found');
      return { body: entryBody(e) };
    },
  },
  {
    method: 'DELETE',
    path: '/users/:username/registry/:key',
    summary: 'Removes a registry entry (204).',
    params: keyParams,
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_registry_remove($input: RegistryEntryRefInput!) { removeRegistryEntry(input: $input) { userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, key: r.params.key } }),
    respond: () => ({ status: 204, body: undefined }),
  },
];
