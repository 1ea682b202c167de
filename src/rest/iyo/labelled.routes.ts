// The labelled collections of a user — emailaddresses, phonenumbers, publickeys, addresses,
// banks, digitalwallet — as one route pattern over a table of collections (data, not copies):
// list, add (201), get one, update (label and/or value), delete (204), each running the
// profile module's labelled-entry operations. Emails and phones add their validation routes.
//
// Choices where the document is vague:
// - PUT answers the entry as it is now, with the status the document gives (201 for email
//   addresses and public keys, 200 for banks) and 200 where it gives none.
// - Phone numbers follow E.164 (the gateway's rule for every phone), stricter than the
//   document's `\+[0-9]{6,50}`.
// - POST …/emailaddresses/{label}/validate sends a fresh 6-digit code through the outbox (the
//   gateway has no link-validation page); `lang` is accepted and not used yet.
// - POST …/phonenumbers/{label}/validate answers `{"validationkey"}`: the phone contact's
//   global id; PUT …/validate with a wrong code, an unknown key or one of another user is 422.
// - DELETE …/phonenumbers/{label}?force=true removes the last validated number only when the
//   user has TOTP enabled (else 409); `force` is true only when it is exactly `true`.
import { PHONE_MAX_LENGTH, PHONE_PATTERN_SOURCE } from '../../core/validation.js';
import { emailString, labelString, plainText } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { as422, byLabel, OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';

type Kind = 'EMAIL' | 'PHONE' | 'PUBLIC_KEY' | 'ADDRESS' | 'BANK_ACCOUNT' | 'DIGITAL_WALLET';
type Node = Record<string, any> & { label: string };

interface Collection {
  /** The path segment under /users/{username}/. */
  path: string;
  kind: Kind;
  /** What a missing one is called (404 message). */
  what: string;
  /** The User field and its selection. */
  field: string;
  select: string;
  /** The entries of the field that belong to this collection (public keys: the labelled ones). */
  keep?: (n: Node) => boolean;
  /** The documented body of an entry. */
  toBody: (n: Node) => Record<string, unknown>;
  /** The documented fields of an entry (besides label), for the request and response schemas. */
  fields: Record<string, JsonSchema>;
  required: string[];
  /** The mutation's `value` from the request body. */
  value: (b: Record<string, any>) => Record<string, unknown>;
  getOne: boolean;
  putStatus: number;
  /** Query parameters of the list (beyond access_token). */
  listQuery?: Record<string, JsonSchema>;
  /** Which entries the list shows for this request. */
  listFilter?: (n: Node, r: RestRequest) => boolean;
}

const withLang: JsonSchema = { type: 'object', properties: { ...(tokenQuery.properties as object), lang: plainText(16) } };
const phoneString: JsonSchema = { type: 'string', maxLength: PHONE_MAX_LENGTH, pattern: PHONE_PATTERN_SOURCE };

export const COLLECTIONS: Collection[] = [
  {
    path: 'emailaddresses',
    kind: 'EMAIL',
    what: 'Email address',
    field: 'emails',
    select: 'label value validatedAt',
    toBody: (n) => ({ label: n.label, emailaddress: n.value }),
    fields: { emailaddress: emailString },
    required: ['emailaddress'],
    value: (b) => ({ emailAddress: b.emailaddress }),
    getOne: false,
    putStatus: 201,
    listQuery: { validated: { type: 'boolean' } },
    listFilter: (n, r) => r.query.validated !== true || n.validatedAt != null,
  },
  {
    path: 'phonenumbers',
    kind: 'PHONE',
    what: 'Phone number',
    field: 'phones',
    select: 'label value validatedAt',
    toBody: (n) => ({ label: n.label, phonenumber: n.value }),
    fields: { phonenumber: phoneString },
    required: ['phonenumber'],
    value: (b) => ({ phoneNumber: b.phonenumber }),
    getOne: true,
    putStatus: 200,
    listQuery: { validated: { type: 'boolean' } },
    listFilter: (n, r) => r.query.validated !== true || n.validatedAt != null,
  },
  {
    path: 'publickeys',
    kind: 'PUBLIC_KEY',
    what: 'Public key',
    field: 'publicKeys',
    select: 'kind label key',
    keep: (n) => n.kind === 'LABELLED',
    toBody: (n) => ({ label: n.label, publickey: n.key }),
    fields: { publickey: plainText(16_384, 1) },
    required: ['publickey'],
    value: (b) => ({ publicKey: b.publickey }),
    getOne: true,
    putStatus: 201,
  },
  {
    path: 'addresses',
    kind: 'ADDRESS',
    what: 'Address',
    field: 'addresses',
    select: 'label street nr city postalCode country other',
    toBody: (n) => ({ label: n.label, city: n.city, street: n.street, nr: n.nr, ...(n.other != null ? { other: n.other } : {}), country: n.country, postalcode: n.postalCode }),
    fields: { city: plainText(30, 1), street: plainText(50, 1), nr: plainText(10, 1), other: plainText(30), country: plainText(40, 1), postalcode: plainText(20, 1) },
    required: ['city', 'street', 'nr', 'country', 'postalcode'],
    value: (b) => ({ address: { street: b.street, nr: b.nr, city: b.city, postalCode: b.postalcode, country: b.country, other: b.other ?? null } }),
    getOne: true,
    putStatus: 200,
  },
  {
    path: 'banks',
    kind: 'BANK_ACCOUNT',
    what: 'Bank account',
    field: 'bankAccounts',
    select: 'label iban bic country',
    toBody: (n) => ({ label: n.label, iban: n.iban, bic: n.bic, country: n.country }),
    fields: { iban: plainText(30, 1), bic: plainText(11, 1), country: plainText(40, 1) },
    required: ['iban', 'bic', 'country'],
    value: (b) => ({ bankAccount: { iban: b.iban, bic: b.bic, country: b.country } }),
    getOne: true,
    putStatus: 200,
  },
  {
    path: 'digitalwallet',
    kind: 'DIGITAL_WALLET',
    what: 'Digital wallet address',
    field: 'digitalWallet',
    select: 'label address currencySymbol expire noExpiration',
    toBody: (n) => ({ label: n.label, address: n.address, currencysymbol: n.currencySymbol, expire: n.expire, noexpiration: n.noExpiration }),
    fields: { address: plainText(255, 1), currencysymbol: plainText(16, 1), expire: { type: 'string', format: 'date-time' }, noexpiration: { type: 'boolean' } },
    required: ['address', 'currencysymbol'],
    value: (b) => ({ digitalWallet: { address: b.address, currencySymbol: b.currencysymbol, expire: b.expire ?? null, noExpiration: b.noexpiration ?? null } }),
    getOne: true,
    putStatus: 200,
  },
];

const itemSchema = (c: Collection): JsonSchema => ({ type: 'object', properties: { label: labelString, ...c.fields }, required: ['label', ...c.required] });
const bodySchema = (c: Collection): JsonSchema => ({ type: 'object', properties: { label: labelString, ...c.fields }, required: ['label', ...c.required] });
const entries = (c: Collection, user: Record<string, unknown>): Node[] => {
  const all = user[c.field] as Node[];
  return c.keep ? all.filter(c.keep) : all;
};
const op = (c: Collection, verb: string) => `iyo_${c.path}_${verb}`;

/** The five routes of a collection (four when it has no GET of one entry). */
function collectionRoutes(c: Collection): Route[] {
  const base = `/users/:username/${c.path}`;
  const read = (verb: string) => `query ${op(c, verb)}($username: String!) { ${OWNER_FIELDS} user(username: $username) { id ${c.field} { ${c.select} } } }`;
  const answer = (d: { user: Record<string, unknown> }, label: string, status: number) => ({ status, body: c.toBody(byLabel(entries(c, d.user), label, c.what)) });
  const routes: Route[] = [
    {
      method: 'GET',
      path: base,
      summary: `The user’s ${c.path} (the user, or instance admins).`,
      params: usernameParams(),
      querystring: { type: 'object', properties: { ...(tokenQuery.properties as object), ...(c.listQuery ?? {}) } },
      response: { type: 'array', items: itemSchema(c) },
      operation: read('list'),
      variables: (r) => ({ username: r.params.username }),
      respond: (d, r) => ({ body: entries(c, requireOwner(d)).filter((n) => c.listFilter?.(n, r) ?? true).map(c.toBody) }),
    },
    {
      method: 'POST',
      path: base,
      summary: `Adds an entry to the user’s ${c.path} (201); a used label is 409.`,
      params: usernameParams(),
      querystring: c.kind === 'EMAIL' ? withLang : tokenQuery,
      body: bodySchema(c),
      response: itemSchema(c),
      status: 201,
      operation: `mutation ${op(c, 'add')}($input: AddLabelledEntryInput!) {
        addLabelledEntry(input: $input) { label user { ${c.field} { ${c.select} } } userErrors { code field message } }
      }`,
      variables: (r) => ({ input: { username: r.params.username, kind: c.kind, label: r.body.label, value: c.value(r.body) } }),
      respond: (d) => answer(d.addLabelledEntry, d.addLabelledEntry.label, 201),
    },
    {
      method: 'PUT',
      path: `${base}/:label`,
      summary: `Changes the label and/or the value of an entry of the user’s ${c.path}; a used label is 409.`,
      params: usernameParams('label'),
      querystring: c.kind === 'EMAIL' ? withLang : tokenQuery,
      body: bodySchema(c),
      response: itemSchema(c),
      status: c.putStatus,
      operation: `mutation ${op(c, 'update')}($input: UpdateLabelledEntryInput!) {
        updateLabelledEntry(input: $input) { label user { ${c.field} { ${c.select} } } userErrors { code field message } }
      }`,
      variables: (r) => ({ input: { username: r.params.username, kind: c.kind, label: r.params.label, newLabel: r.body.label, value: c.value(r.body) } }),
      respond: (d) => answer(d.updateLabelledEntry, d.updateLabelledEntry.label, c.putStatus),
    },
    {
      method: 'DELETE',
      path: `${base}/:label`,
      summary: `Removes an entry of the user’s ${c.path} (204).`,
      params: usernameParams('label'),
      querystring: c.kind === 'PHONE' ? { type: 'object', properties: { ...(tokenQuery.properties as object), force: plainText(8) } } : tokenQuery,
      status: 204,
      operation: `mutation ${op(c, 'remove')}($input: RemoveLabelledEntryInput!) { removeLabelledEntry(input: $input) { label userErrors { code field message } } }`,
      variables: (r) => ({ input: { username: r.params.username, kind: c.kind, label: r.params.label, ...(c.kind === 'PHONE' ? { force: r.query.force === 'true' } : {}) } }),
      respond: () => ({ status: 204, body: undefined }),
    },
  ];
  if (c.getOne) {
    routes.push({
      method: 'GET',
      path: `${base}/:label`,
      summary: `One entry of the user’s ${c.path} by label; 404 when there is none.`,
      params: usernameParams('label'),
      querystring: tokenQuery,
      response: itemSchema(c),
      operation: read('get'),
      variables: (r) => ({ username: r.params.username }),
      respond: (d, r) => ({ body: c.toBody(byLabel(entries(c, requireOwner(d)), r.params.label, c.what)) }),
    });
  }
  return routes;
}

const sendValidation = (c: Collection, status: number, respond: Route['respond']): Route => ({
  method: 'POST',
  path: `/users/:username/${c.path}/:label/validate`,
  summary: c.kind === 'EMAIL' ? 'Sends the email address a validation code (through the outbox); 204.' : 'Sends the phone number a validation code by SMS (through the outbox); answers the validation key.',
  params: usernameParams('label'),
  querystring: c.kind === 'EMAIL' ? withLang : tokenQuery,
  response: c.kind === 'EMAIL' ? undefined : { type: 'object', properties: { validationkey: { type: 'string' } }, required: ['validationkey'] },
  status,
  operation: `mutation ${op(c, 'sendValidation')}($input: LabelledEntryRefInput!) { sendLabelledValidation(input: $input) { validationKey userErrors { code field message } } }`,
  variables: (r) => ({ input: { username: r.params.username, kind: c.kind, label: r.params.label } }),
  respond,
});

const [EMAILS, PHONES] = COLLECTIONS;

export const labelledRoutes: Route[] = [
  ...COLLECTIONS.flatMap(collectionRoutes),
  sendValidation(EMAILS!, 204, () => ({ status: 204, body: undefined })),
  sendValidation(PHONES!, 200, (d) => ({ body: { validationkey: d.sendLabelledValidation.validationKey } })),
  {
    method: 'PUT',
    path: '/users/:username/phonenumbers/:label/validate',
    summary: 'Validates the phone number with the SMS code and the validation key (204); a wrong code or unknown key is 422.',
    params: usernameParams('label'),
    querystring: tokenQuery,
    body: { type: 'object', properties: { smscode: plainText(32, 1), validationkey: plainText(128, 1) }, required: ['smscode', 'validationkey'] },
    status: 204,
    operation: `mutation iyo_phonenumbers_validate($input: ValidateContactInput!) { validatePhone(input: $input) { contact { label } userErrors { code field message } } }`,
    variables: (r) => ({ input: { id: r.body.validationkey, code: r.body.smscode } }),
    respond: () => ({ status: 204, body: undefined }),
    recover: as422('VALIDATION_FAILED', 'BAD_USER_INPUT', 'NOT_FOUND'),
  },
];
