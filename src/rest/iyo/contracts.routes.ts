// Contracts of a user: those the user is a party of (newest first; `includeExpired`, `start`,
// `max` as documented) and making one (201).
//
// Choices where the document is vague:
// - The id is computed (contract.service.ts: the JSON of parties, content, contractType,
//   invalidates, extends, expires — in that order, compact, `expires` in ISO 8601 UTC with
//   milliseconds); a given `contractId` must match it (else 400), or may be left out. The same
//   contract twice is 409.
// - The user must be one of the parties (type "user"); content over 65536 characters is 413.
import { plainText } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';

export const CONTRACT_FIELDS = 'contractId parties { type name } content contractType invalidates extends expires signatures { signedBy date publicKey signature }';
const ids: JsonSchema = { type: 'array', maxItems: 50, items: plainText(64, 1) };
export const contractSchema: JsonSchema = {
  type: 'object',
  properties: {
    parties: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'object', properties: { type: plainText(40, 1), name: plainText(255, 1) }, required: ['type', 'name'] } },
    content: plainText(10_000_000),
    contractType: plainText(40),
    invalidates: ids,
    extends: ids,
    expires: { type: 'string', format: 'date-time' },
    contractId: plainText(64),
    signatures: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        properties: { signedBy: plainText(255, 1), date: { type: 'string', format: 'date-time' }, publicKey: plainText(16_384, 1), signature: plainText(16_384, 1) },
        required: ['signedBy', 'date', 'publicKey', 'signature'],
      },
    },
  },
  required: ['parties', 'content', 'contractType', 'expires'],
};

/** `includeExpired`, `start` and `max` (at most 250) of contract lists, as documented. */
export const contractQuery: JsonSchema = {
  type: 'object',
  properties: { ...(tokenQuery.properties as object), includeExpired: { type: 'boolean' }, start: { type: 'integer', minimum: 0, maximum: 100_000 }, max: { type: 'integer', minimum: 1, maximum: 250 } },
};

/** A new contract's fields from the documented body (users' and organizations' alike). */
export const contractVariables = (r: RestRequest) => ({
  parties: r.body.parties,
  content: r.body.content,
  contractType: r.body.contractType,
  invalidates: r.body.invalidates ?? [],
  extends: r.body.extends ?? [],
  expires: r.body.expires,
  contractId: r.body.contractId || null,
  signatures: r.body.signatures ?? [],
});

export const contractRoutes: Route[] = [
  {
    method: 'GET',
    path: '/users/:username/contracts',
    summary: 'Contracts the user is a party of, newest first (active ones unless includeExpired).',
    params: usernameParams(),
    querystring: contractQuery,
    response: { type: 'array', items: contractSchema },
    operation: `query iyo_contracts($username: String!, $includeExpired: Boolean, $offset: Int, $limit: Int) {
      ${OWNER_FIELDS} user(username: $username) { id contracts(includeExpired: $includeExpired, offset: $offset, limit: $limit) { ${CONTRACT_FIELDS} } }
    }`,
    variables: (r) => ({ username: r.params.username, includeExpired: r.query.includeExpired ?? false, offset: r.query.start ?? 0, limit: r.query.max ?? 50 }),
    respond: (d) => ({ body: requireOwner<{ id: string; contracts: unknown[] }>(d).contracts }),
  },
  {
    method: 'POST',
    path: '/users/:username/contracts',
    summary: 'Makes a contract the user is a party of (201), its id computed as documented.',
    params: usernameParams(),
    querystring: tokenQuery,
    body: contractSchema,
    response: contractSchema,
    status: 201,
    operation: `mutation iyo_contract_create($input: CreateContractInput!) { createContract(input: $input) { contract { ${CONTRACT_FIELDS} } userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, ...contractVariables(r) } }),
    respond: (d) => ({ status: 201, body: d.createContract.contract }),
  },
];
