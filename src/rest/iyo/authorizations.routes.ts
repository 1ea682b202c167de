// Which organizations may read which parts of a user: list, one by organization (404 when
// there is none), set (201; replaces an earlier grant), remove (204).
//
// Choices where the document is vague:
// - `grantedTo` is the organization's global id (its slug); an unknown one is 404.
// - The body's `username` and `grantedTo` are taken from the path (a differing body value is
//   ignored, as the path names the resource). `name` (first and last name) is an extension of
//   the document's fields, default false; `digitalwallet` maps like the other labelled lists.
import { labelString, slugString } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { OWNER_FIELDS, requireOwner, tokenQuery } from './common.js';
import { notFound } from '../../core/errors.js';
import { usernameString } from '../schemas.js';

const LISTS = [
  ['addresses', 'addresses'],
  ['publicKeys', 'publicKeys'],
  ['emailaddresses', 'emailAddresses'],
  ['phonenumbers', 'phoneNumbers'],
  ['bankaccounts', 'bankAccounts'],
  ['digitalwallet', 'digitalWallet'],
] as const;
const MAP_FIELDS = 'requestedLabel realLabel';
const AUTH_FIELDS = `grantedTo name ${LISTS.map(([, g]) => `${g} { ${MAP_FIELDS} }`).join(' ')} facebook github organizations`;

type Maps = { requestedLabel: string; realLabel: string }[];
const authBody = (a: Record<string, any>, username: string) => ({
  username,
  grantedTo: a.grantedTo,
  name: a.name,
  ...Object.fromEntries(LISTS.map(([rest, g]) => [rest, (a[g] as Maps).map((m) => ({ requestedlabel: m.requestedLabel, reallabel: m.realLabel }))])),
  facebook: a.facebook,
  github: a.github,
  organizations: a.organizations,
});

const mapSchema: JsonSchema = {
  type: 'array',
  maxItems: 50,
  items: { type: 'object', properties: { requestedlabel: labelString, reallabel: labelString }, required: ['requestedlabel', 'reallabel'] },
};
const authSchema: JsonSchema = {
  type: 'object',
  properties: {
    username: usernameString,
    grantedTo: slugString,
    name: { type: 'boolean' },
    ...Object.fromEntries(LISTS.map(([rest]) => [rest, mapSchema])),
    facebook: { type: 'boolean' },
    github: { type: 'boolean' },
    organizations: { type: 'array', maxItems: 50, items: slugString },
  },
};
const params: JsonSchema = { type: 'object', properties: { username: usernameString, grantedTo: slugString }, required: ['username', 'grantedTo'] };
const read = (name: string) => `query ${name}($username: String!) { ${OWNER_FIELDS} user(username: $username) { id authorizations { ${AUTH_FIELDS} } } }`;
const ofUser = (d: any): Record<string, any>[] => requireOwner<{ id: string; authorizations: Record<string, any>[] }>(d).authorizations;
const grantOf = (d: any, r: RestRequest) => {
  const a = ofUser(d).find((x) => x.grantedTo.toLowerCase() === r.params.grantedTo!.toLowerCase());
  if (!a) throw notFound('No authorization for this organization');
  return a;
};

export const authorizationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/users/:username/authorizations',
    summary: 'Which organizations may read which parts of the user.',
    params: { type: 'object', properties: { username: usernameString }, required: ['username'] },
    querystring: tokenQuery,
    response: { type: 'array', items: authSchema },
    operation: read('iyo_authorizations'),
    variables: (r) => ({ username: r.params.username }),
    respond: (d, r) => ({ body: ofUser(d).map((a) => authBody(a, r.params.username!)) }),
  },
  {
    method: 'GET',
    path: '/users/:username/authorizations/:grantedTo',
    summary: 'What one organization may read of the user; 404 when it has no authorization.',
    params,
    querystring: tokenQuery,
    response: authSchema,
    operation: read('iyo_authorization'),
    variables: (r) => ({ username: r.params.username }),
    respond: (d, r) => ({ body: authBody(grantOf(d, r), r.params.username!) }),
  },
  {
    method: 'PUT',
    path: '/users/:username/authorizations/:grantedTo',
    summary: 'Sets what the organization may read (201); replaces an earlier authorization.',
    params,
    querystring: tokenQuery,
    body: authSchema,
    response: authSchema,
    status: 201,
    operation: `mutation iyo_authorization_set($input: SetAuthorizationInput!) { setAuthorization(input: $input) { authorization { ${AUTH_FIELDS} } userErrors { code field message } } }`,
    variables: (r) => ({
      input: {
        username: r.params.username,
        organization: r.params.grantedTo,
        name: r.body.name ?? false,
        ...Object.fromEntries(LISTS.map(([rest, g]) => [g, ((r.body[rest] ?? []) as { requestedlabel: string; reallabel: string }[]).map((m) => ({ requestedLabel: m.requestedlabel, realLabel: m.reallabel }))])),
        facebook: r.body.facebook ?? false,
        github: r.body.github ?? false,
        organizations: r.body.organizations ?? [],
      },
    }),
    respond: (d, r) => ({ status: 201, body: authBody(d.setAuthorization.authorization, r.params.username!) }),
  },
  {
    method: 'DELETE',
    path: '/users/:username/authorizations/:grantedTo',
    summary: 'Removes the authorization (204): the organization reads nothing of the user from now on.',
    params,
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_authorization_remove($input: AuthorizationRefInput!) { removeAuthorization(input: $input) { userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, organization: r.params.grantedTo } }),
    respond: () => ({ status: 204, body: undefined }),
  },
];
