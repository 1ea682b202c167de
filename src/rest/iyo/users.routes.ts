// Itsyouonline's users: the user (GET), the name and password changes, and `info` (what the
// caller may see of a user).
//
// Choices where the document is vague:
// - POST /users (instance admins): username, firstname and lastname are required, the
//   collections optional (the document marks them all required; an empty list says the same).
//   Public keys may be bare key texts (labelled key1, key2, …, as the document's example sends
//   them) or {label, publickey}. `facebook`, `github` and `expire` are accepted and not stored
//   (accounts are linked by signing in with them). Emails and phones get validation codes.
//   All of it is created or none (an email another account holds: 409, nothing stays).
// - GET /users/{username}: the user and instance admins; another user 403. `publicKeys` is the
//   list of key texts, as the document's example shows; `info` gives them with labels.
// - PUT …/name answers 204 (the document gives no success status; the original service sent
//   no body). PUT …/password: 204; a wrong current password or a new one that breaks the rule
//   (8 to 1024 characters) is 422 `{"error"}`. Instance admins changing another user's password
//   give no current password.
// - `facebook` and `github` are `{}` unless the user has linked that provider (then its id).
// - GET …/info: for the user and instance admins everything (organizations by slug; `ownerof`
//   is empty until that part exists). An organization's API key (part 2) sees exactly what the
//   user granted that organization; without a grant (none, or removed) the user is 404 to it,
//   as an unknown user. The service rule decides from (user, organization).
import { DomainError, notFound, unauthenticated } from '../../core/errors.js';
import type { JsonSchema, Route } from '../types.js';
import { iyoUsernameString, labelString, plainText } from '../schemas.js';
import { as422, OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';
import { avatarBody } from './avatar.routes.js';
import { COLLECTIONS } from './labelled.routes.js';

type Node = Record<string, any>;

const byPath = Object.fromEntries(COLLECTIONS.map((c) => [c.path, c]));
const PROFILE_SELECTION = COLLECTIONS.map((c) => `${c.field} { ${c.select} }`).join(' ');
const USER_SELECTION = `id username firstName lastName ${PROFILE_SELECTION} identities { provider externalUid }`;

/** The entries of a collection in its documented shape (public keys: the labelled ones). */
const listOf = (path: string, u: Node, onlyValidated = false) => {
  const c = byPath[path]!;
  return (u[c.field] as Node[]).filter((n) => (c.keep ? c.keep(n as never) : true) && (!onlyValidated || n.validatedAt != null)).map((n) => c.toBody(n as never));
};

const linked = (u: Node, provider: string) => {
  const i = (u.identities as { provider: string; externalUid: string }[]).find((x) => x.provider === provider);
  return i ? { id: i.externalUid } : {};
};

function userBody(u: Node) {
  return {
    username: u.username,
    firstname: u.firstName ?? '',
    lastname: u.lastName ?? '',
    publicKeys: listOf('publickeys', u).map((k) => k.publickey),
    digitalwallet: listOf('digitalwallet', u),
    emailaddresses: listOf('emailaddresses', u),
    phonenumbers: listOf('phonenumbers', u),
    addresses: listOf('addresses', u),
    bankaccounts: listOf('banks', u),
    facebook: linked(u, 'facebook'),
    github: linked(u, 'github'),
  };
}

const labelled = { type: 'array', items: { type: 'object' } };

const VALUE = 'label value validated';
const INFO_FIELDS = `username firstName lastName emailAddresses { ${VALUE} } phoneNumbers { ${VALUE} } publicKeys { ${VALUE} }
  addresses { ${byPath.addresses!.select} } bankAccounts { ${byPath.banks!.select} } digitalWallet { ${byPath.digitalwallet!.select} } organizations`;

type Value = { label: string | null; value: string; validated: boolean };
const values = (list: Value[], key: string, onlyValidated = false) => list.filter((v) => !onlyValidated || v.validated).map((v) => ({ label: v.label, [key]: v.value }));

/** The documented info body from the view the service decided (User.info). */
function infoBody(i: Node, u: Node) {
  return {
    username: i.username,
    firstname: i.firstName ?? '',
    lastname: i.lastName ?? '',
    publicKeys: values(i.publicKeys, 'publickey'),
    emailaddresses: values(i.emailAddresses, 'emailaddress'),
    validatedemailaddresses: values(i.emailAddresses, 'emailaddress', true),
    phonenumbers: values(i.phoneNumbers, 'phonenumber'),
    validatedphonenumbers: values(i.phoneNumbers, 'phonenumber', true),
    addresses: (i.addresses as Node[]).map((n) => byPath.addresses!.toBody(n as never)),
    bankaccounts: (i.bankAccounts as Node[]).map((n) => byPath.banks!.toBody(n as never)),
    digitalwallet: (i.digitalWallet as Node[]).map((n) => byPath.digitalwallet!.toBody(n as never)),
    facebook: linked(u, 'facebook'),
    github: linked(u, 'github'),
    organizations: i.organizations,
    avatar: [],
    ownerof: { emailaddresses: [] },
  };
}
const userSchema: JsonSchema = {
  type: 'object',
  properties: {
    username: { type: 'string' },
    firstname: { type: 'string' },
    lastname: { type: 'string' },
    publicKeys: { type: 'array', items: { type: 'string' } },
    digitalwallet: labelled,
    emailaddresses: labelled,
    phonenumbers: labelled,
    addresses: labelled,
    bankaccounts: labelled,
    facebook: { type: 'object' },
    github: { type: 'object' },
  },
  required: ['username', 'firstname', 'lastname', 'publicKeys', 'digitalwallet', 'emailaddresses', 'phonenumbers', 'addresses', 'bankaccounts'],
};

/** The body key of each collection in POST /users (and the user object). */
const BODY_KEYS: Record<string, string> = {
  emailaddresses: 'emailaddresses',
  phonenumbers: 'phonenumbers',
  publickeys: 'publicKeys',
  addresses: 'addresses',
  banks: 'bankaccounts',
  digitalwallet: 'digitalwallet',
};
const itemOf = (path: string): JsonSchema => ({ type: 'object', properties: { label: labelString, ...byPath[path]!.fields }, required: ['label', ...byPath[path]!.required] });
const newUserBody: JsonSchema = {
  type: 'object',
  properties: {
    username: iyoUsernameString,
    firstname: plainText(255),
    lastname: plainText(255),
    expire: { type: 'string', format: 'date-time' },
    ...Object.fromEntries(
      COLLECTIONS.map((c) => [
        BODY_KEYS[c.path],
        // Public keys: the document's example gives bare key texts; labelled objects are taken too.
        { type: 'array', maxItems: 100, items: c.path === 'publickeys' ? { oneOf: [plainText(16_384, 1), itemOf(c.path)] } : itemOf(c.path) },
      ]),
    ),
    facebook: { type: 'object' },
    github: { type: 'object' },
  },
  required: ['username', 'firstname', 'lastname'],
};

/** The labelled entries of a POST /users body, as the graph's entry inputs. */
function newEntries(b: Record<string, any>) {
  return COLLECTIONS.flatMap((c) =>
    ((b[BODY_KEYS[c.path]!] ?? []) as unknown[]).map((item, i) => {
      const entry = typeof item === 'string' ? { label: `key${i + 1}`, publickey: item } : (item as Record<string, any>);
      return { kind: c.kind, label: entry.label, value: c.value(entry) };
    }),
  );
}

export const userRoutes: Route[] = [
  {
    method: 'POST',
    path: '/users',
    summary: 'Creates a user with their emails, phones, keys, addresses, banks and wallet (instance admins; 201). All of it or nothing.',
    querystring: tokenQuery,
    body: newUserBody,
    response: userSchema,
    status: 201,
    operation: `mutation iyo_create_user($input: CreateUserWithEntriesInput!) { createUserWithEntries(input: $input) { user { ${USER_SELECTION} } userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.body.username, firstName: r.body.firstname, lastName: r.body.lastname, entries: newEntries(r.body) } }),
    respond: (d) => ({ status: 201, body: userBody(d.createUserWithEntries.user) }),
  },
  {
    method: 'GET',
    path: '/users/:username',
    summary: 'The user with every labelled collection (the user, or instance admins).',
    params: usernameParams(),
    querystring: tokenQuery,
    response: userSchema,
    operation: `query iyo_user($username: String!) { ${OWNER_FIELDS} user(username: $username) { ${USER_SELECTION} } }`,
    variables: (r) => ({ username: r.params.username }),
    respond: (d) => ({ body: userBody(requireOwner(d)) }),
  },
  {
    method: 'GET',
    path: '/users/:username/info',
    summary: 'What the caller may see of the user (the user and instance admins: everything; an organization: what the user authorized).',
    params: usernameParams(),
    querystring: tokenQuery,
    response: { type: 'object', properties: { ...(userSchema.properties as object), validatedemailaddresses: labelled, validatedphonenumbers: labelled, organizations: { type: 'array', items: { type: 'string' } } } },
    operation: `query iyo_user_info($username: String!) { viewer { id } user(username: $username) { id identities { provider externalUid } avatars { label source fileHash } info { ${INFO_FIELDS} } } }`,
    variables: (r) => ({ username: r.params.username }),
    respond: (d, r) => {
      // An organization's API key sees a user only while the user authorizes it: without a grant,
      // 404 as for an unknown user (authorization.service.ts infoOf, user.service.ts).
      if (!d.user) throw d.viewer || r.principal.kind === 'organization' ? notFound('User not found') : unauthenticated();
      // The service decided what this caller may see (User.info); null: nothing.
      if (!d.user.info) throw new DomainError('FORBIDDEN', 'You may not read this user');
      return { body: { ...infoBody(d.user.info, d.user), avatar: (d.user.avatars as { label: string; source: string | null; fileHash: string | null }[]).map((a) => avatarBody(a, r)) } };
    },
  },
  {
    method: 'PUT',
    path: '/users/:username/name',
    summary: 'Changes the first and last name (204).',
    params: usernameParams(),
    querystring: tokenQuery,
    body: { type: 'object', properties: { firstname: plainText(255), lastname: plainText(255) }, required: ['firstname', 'lastname'] },
    status: 204,
    operation: `mutation iyo_user_name($input: UpdateUserInput!) { updateUser(input: $input) { user { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { byUsername: r.params.username, firstName: r.body.firstname, lastName: r.body.lastname } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  {
    method: 'PUT',
    path: '/users/:username/password',
    summary: 'Changes the password with the current one (204); a wrong current password or an invalid new one is 422.',
    params: usernameParams(),
    querystring: tokenQuery,
    body: { type: 'object', properties: { currentpassword: plainText(1024), newpassword: plainText(4096) }, required: ['currentpassword', 'newpassword'] },
    status: 204,
    operation: `mutation iyo_user_password($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken userErrors { code field message } } }`,
    // The graph's changePassword is the caller's own (with the current password): another user's
    // path is refused before it runs (instance admins reset passwords with updateUser).
    variables: (r) => {
      if (r.principal.kind !== 'user' || r.principal.username !== r.params.username) throw new DomainError('FORBIDDEN', 'You may change only your own password');
      return { input: { currentPassword: r.body.currentpassword, newPassword: r.body.newpassword } };
    },
    respond: () => ({ status: 204, body: undefined }),
    recover: as422('INVALID_CREDENTIALS', 'VALIDATION_FAILED'),
  },
];
