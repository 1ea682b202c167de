// A user's API keys: personal API tokens labelled by their name (label unique among the user's
// active keys).
//
// Choices where the document is vague:
// - `apikey` is the token itself: shown in the 201 of POST only (stored as a hash, as every
//   token here); lists and GET answer it as "". `applicationid` is the key's global id (there
//   is no separate client id: the key is a bearer credential of the user).
// - Keys get the full API scope, shown as `["user:admin"]` (read-only keys as `["user:info"]`).
// - PUT …/apikeys/{label} answers 204 (the document gives no status); DELETE 204.
import { labelString } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { byLabel, OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';

interface KeyNode {
  id: string;
  name: string;
  scopes: string[];
  active: boolean;
}

const SCOPES: Record<string, string> = { API: 'user:admin', READ_API: 'user:info' };
const KEY_FIELDS = 'id name scopes active';
const keyBody = (k: KeyNode, r: RestRequest, apikey = '') => ({
  username: r.params.username,
  apikey,
  applicationid: k.id,
  scopes: k.scopes.map((s) => SCOPES[s] ?? s),
  label: k.name,
});
const keySchema: JsonSchema = {
  type: 'object',
  properties: { username: { type: 'string' }, apikey: { type: 'string' }, applicationid: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } }, label: labelString },
  required: ['username', 'apikey', 'applicationid', 'scopes', 'label'],
};
const labelBody: JsonSchema = { type: 'object', properties: { label: labelString }, required: ['label'] };
const read = (name: string) => `query ${name}($username: String!) { ${OWNER_FIELDS} user(username: $username) { id personalAccessTokens { ${KEY_FIELDS} } } }`;
const activeKeys = (d: { viewer: { id: string; isAdmin: boolean | null } | null; user: { id: string; personalAccessTokens: KeyNode[] } | null }) =>
  requireOwner(d).personalAccessTokens.filter((k) => k.active);

export const apiKeyRoutes: Route[] = [
  {
    method: 'POST',
    path: '/users/:username/apikeys',
    summary: 'Adds an API key (201); the key is in this answer only. A used label is 409.',
    params: usernameParams(),
    querystring: tokenQuery,
    body: labelBody,
    response: keySchema,
    status: 201,
    operation: `mutation iyo_apikey_add($input: CreatePersonalAccessTokenInput!) {
      createPersonalAccessToken(input: $input) { token personalAccessToken { ${KEY_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { username: r.params.username, name: r.body.label, scopes: ['API'], uniqueName: true } }),
    respond: (d, r) => ({ status: 201, body: keyBody(d.createPersonalAccessToken.personalAccessToken, r, d.createPersonalAccessToken.token) }),
  },
  {
    method: 'GET',
    path: '/users/:username/apikeys',
    summary: 'The user’s active API keys (without their secrets).',
    params: usernameParams(),
    querystring: tokenQuery,
    response: { type: 'array', items: keySchema },
    operation: read('iyo_apikeys'),
    variables: (r) => ({ username: r.params.username }),
    respond: (d, r) => ({ body: activeKeys(d).map((k) => keyBody(k, r)) }),
  },
  {
    method: 'GET',
    path: '/users/:username/apikeys/:label',
    summary: 'One API key by label (without its secret); 404 when there is none.',
    params: usernameParams('label'),
    querystring: tokenQuery,
    response: keySchema,
    operation: read('iyo_apikey'),
    variables: (r) => ({ username: r.params.username }),
    respond: (d, r) => ({ body: keyBody(byLabel(activeKeys(d).map((k) => ({ ...k, label: k.name })), r.params.label, 'API key'), r) }),
  },
  {
    method: 'PUT',
    path: '/users/:username/apikeys/:label',
    summary: 'Renames an API key (204); a used label is 409.',
    params: usernameParams('label'),
    querystring: tokenQuery,
    body: labelBody,
    status: 204,
    operation: `mutation iyo_apikey_rename($input: RenamePersonalAccessTokenInput!) { renamePersonalAccessToken(input: $input) { personalAccessToken { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, name: r.params.label, newName: r.body.label } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  {
    method: 'DELETE',
    path: '/users/:username/apikeys/:label',
    summary: 'Revokes an API key (204): it stops working at once.',
    params: usernameParams('label'),
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_apikey_remove($input: PersonalAccessTokenByNameInput!) { revokePersonalAccessTokenByName(input: $input) { personalAccessToken { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, name: r.params.label } }),
    respond: () => ({ status: 204, body: undefined }),
  },
];
