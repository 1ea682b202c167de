// An organization's registry, descriptions per language, logo, 2FA validity and contracts.
// Reads: whoever may read the organization (its members, inherited down the tree, and the
// organization's own API keys); changes: its owners (a plain member 403). A caller who cannot
// see the organization gets 404, like a missing one.
//
// Choices where the document is vague:
// - registry: as the users' registry (registry.routes.ts): POST overwrites a key (201, never
//   409), a Value over 1024 characters 413, an unknown key 404 on GET and DELETE.
// - description: POST writes the language's text (201, replacing one that exists), PUT changes
//   an existing one (200; 404 when the language has none). Language keys are case-insensitive
//   codes (`en`, `nl`, `pt-br`), answered in lower case; another key is 400. GET …/{langkey}
//   answers `{"langkey", "text": ""}` when the language has no text, as the original service
//   did; …/withfallback answers the English text then (langkey "en"), and the empty text when
//   English has none too. DELETE of a language without text is 404. A text over 10,000
//   characters is 413.
// - logo: any text (clients send a data URL), stored and answered exactly as given; over
//   524,288 characters 413 (the original's bound, 5 MiB, is over the request body limit). GET
//   answers `{"logo": ""}` without one; PUT answers 200 `{"logo"}`; DELETE 204.
// - 2fa/validity: GET answers the seconds as a bare integer (the document's type; default
//   604800, 7 days). PUT takes the bare integer as documented, or `{"secondsvalidity": n}` as
//   the original service's clients sent it; the value is clamped to 0 … 2678400 (31 days) as the
//   original did, and the answer (200) is the seconds stored.
// - contracts: as the users' contracts (contracts.routes.ts: the id computed the same way, a
//   given contractId must match, the same contract twice 409); the organization must be one of
//   the parties, as `{"type": "organization", "name": "<globalid>"}`. GET: the owners and the
//   organization's own API keys (a plain member 403).
import { DomainError, notFound } from '../../core/errors.js';
import { plainText, slugString } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { tokenQuery } from './common.js';
import { CONTRACT_FIELDS, contractQuery, contractSchema, contractVariables } from './contracts.routes.js';

const orgParams = (more: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  properties: { globalid: slugString, ...more },
  required: ['globalid', ...Object.keys(more)],
});
const vars = (r: RestRequest) => ({ globalid: r.params.globalid });
/** The organization of a read, or 404 (missing and hidden alike). */
function orgOf<T>(d: { organization: T | null }): T {
  if (!d.organization) throw notFound('Organization not found');
  return d.organization;
}

// ---- registry ----
type Entry = { key: string; value: string };
const entryBody = (e: Entry) => ({ Key: e.key, Value: e.value });
const entrySchema: JsonSchema = { type: 'object', properties: { Key: plainText(256, 1), Value: plainText(1_000_000) }, required: ['Key', 'Value'] };
const readRegistry = (name: string) => `query ${name}($globalid: String!) { organization(slug: $globalid) { id registry { key value } } }`;

// ---- descriptions ----
const LANG: JsonSchema = { type: 'string', minLength: 2, maxLength: 12, pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?$' };
const descriptionSchema: JsonSchema = { type: 'object', properties: { langkey: LANG, text: plainText(1_000_000) }, required: ['langkey', 'text'] };
const readDescription = (name: string, fallback: boolean) =>
  `query ${name}($globalid: String!, $langkey: String!) { organization(slug: $globalid) { id description(langKey: $langkey, withFallback: ${fallback}) { langKey text } } }`;
const describe = (fallback: boolean): Route => ({
  method: 'GET',
  path: fallback ? '/organizations/:globalid/description/:langkey/withfallback' : '/organizations/:globalid/description/:langkey',
  summary: fallback ? 'The description in this language, else in English; empty text when neither exists.' : 'The description in this language; empty text when there is none.',
  params: orgParams({ langkey: LANG }),
  querystring: tokenQuery,
  response: descriptionSchema,
  operation: readDescription(fallback ? 'iyo_org_description_fallback' : 'iyo_org_description', fallback),
  variables: (r) => ({ globalid: r.params.globalid, langkey: r.params.langkey }),
  respond: (d, r) => {
    const found = orgOf<{ description: { langKey: string; text: string } | null }>(d).description;
    return { body: found ? { langkey: found.langKey, text: found.text } : { langkey: r.params.langkey!.toLowerCase(), text: '' } };
  },
});
const setDescription = (update: boolean): Route => ({
  method: update ? 'PUT' : 'POST',
  path: '/organizations/:globalid/description',
  summary: update ? 'Changes the description of a language (200); 404 when it has none.' : 'Sets the description of a language (201).',
  params: orgParams(),
  querystring: tokenQuery,
  body: descriptionSchema,
  response: descriptionSchema,
  status: update ? 200 : 201,
  operation: `mutation iyo_org_description_${update ? 'update' : 'set'}($input: OrganizationDescriptionInput!) { setOrganizationDescription(input: $input) { description { langKey text } userErrors { code field message } } }`,
  variables: (r) => ({ input: { organization: r.params.globalid, langKey: r.body.langkey, text: r.body.text, onlyExisting: update } }),
  respond: (d) => ({ status: update ? 200 : 201, body: { langkey: d.setOrganizationDescription.description.langKey, text: d.setOrganizationDescription.description.text } }),
});

// ---- 2FA validity ----
const SECONDS: JsonSchema = { type: 'integer', minimum: -1_000_000_000, maximum: 1_000_000_000 };

export const orgExtrasRoutes: Route[] = [
  {
    method: 'POST',
    path: '/organizations/:globalid/registry',
    summary: 'Writes a registry entry, overwriting the key (201; owners).',
    params: orgParams(),
    querystring: tokenQuery,
    body: entrySchema,
    response: entrySchema,
    status: 201,
    operation: `mutation iyo_org_registry_set($input: OrganizationRegistryEntryInput!) { setOrganizationRegistryEntry(input: $input) { entry { key value } userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, key: r.body.Key, value: r.body.Value } }),
    respond: (d) => ({ status: 201, body: entryBody(d.setOrganizationRegistryEntry.entry) }),
  },
  {
    method: 'GET',
    path: '/organizations/:globalid/registry',
    summary: 'The organization’s registry entries.',
    params: orgParams(),
    querystring: tokenQuery,
    response: { type: 'array', items: entrySchema },
    operation: readRegistry('iyo_org_registry'),
    variables: vars,
    respond: (d) => ({ body: orgOf<{ registry: Entry[] }>(d).registry.map(entryBody) }),
  },
  {
    method: 'GET',
    path: '/organizations/:globalid/registry/:key',
    summary: 'One registry entry by key; 404 when there is none.',
    params: orgParams({ key: plainText(256, 1) }),
    querystring: tokenQuery,
    response: entrySchema,
    operation: readRegistry('iyo_org_registry_entry'),
    variables: vars,
    respond: (d, r) => {
      const e = orgOf<{ registry: Entry[] }>(d).registry.find((x) => x.key === r.params.key);
      if (!e) throw notFound('Registry entry not found');
      return { body: entryBody(e) };
    },
  },
  {
    method: 'DELETE',
    path: '/organizations/:globalid/registry/:key',
    summary: 'Removes a registry entry (204; owners).',
    params: orgParams({ key: plainText(256, 1) }),
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_org_registry_remove($input: OrganizationRegistryEntryRefInput!) { removeOrganizationRegistryEntry(input: $input) { userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, key: r.params.key } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  setDescription(false),
  setDescription(true),
  describe(false),
  {
    method: 'DELETE',
    path: '/organizations/:globalid/description/:langkey',
    summary: 'Removes the description of a language (204; owners); 404 when it has none.',
    params: orgParams({ langkey: LANG }),
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_org_description_remove($input: OrganizationDescriptionRefInput!) { removeOrganizationDescription(input: $input) { userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, langKey: r.params.langkey } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  describe(true),
  {
    method: 'GET',
    path: '/organizations/:globalid/logo',
    summary: 'The logo as it was given (`""` without one).',
    params: orgParams(),
    querystring: tokenQuery,
    response: { type: 'object', properties: { logo: { type: 'string' } }, required: ['logo'] },
    operation: `query iyo_org_logo($globalid: String!) { organization(slug: $globalid) { id logo } }`,
    variables: vars,
    respond: (d) => ({ body: { logo: orgOf<{ logo: string | null }>(d).logo ?? '' } }),
  },
  {
    method: 'PUT',
    path: '/organizations/:globalid/logo',
    summary: 'Sets the logo (200; owners); over 524,288 characters 413.',
    params: orgParams(),
    querystring: tokenQuery,
    body: { type: 'object', properties: { logo: { type: 'string', minLength: 1 } }, required: ['logo'] },
    response: { type: 'object', properties: { logo: { type: 'string' } }, required: ['logo'] },
    operation: `mutation iyo_org_logo_set($input: OrganizationLogoInput!) { setOrganizationLogo(input: $input) { logo userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, logo: r.body.logo } }),
    respond: (d) => ({ body: { logo: d.setOrganizationLogo.logo } }),
  },
  {
    method: 'DELETE',
    path: '/organizations/:globalid/logo',
    summary: 'Removes the logo (204; owners).',
    params: orgParams(),
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_org_logo_remove($input: OrganizationLogoInput!) { setOrganizationLogo(input: $input) { logo userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, logo: null } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  {
    method: 'GET',
    path: '/organizations/:globalid/2fa/validity',
    summary: 'Seconds a 2FA sign-in into the organization stays good (default 604800).',
    params: orgParams(),
    querystring: tokenQuery,
    response: { type: 'integer' },
    operation: `query iyo_org_2fa_validity($globalid: String!) { organization(slug: $globalid) { id twoFactorValidity } }`,
    variables: vars,
    respond: (d) => ({ body: orgOf<{ twoFactorValidity: number }>(d).twoFactorValidity }),
  },
  {
    method: 'PUT',
    path: '/organizations/:globalid/2fa/validity',
    summary: 'Sets the 2FA validity in seconds (200; owners), clamped to 0 … 2678400; answers the seconds stored.',
    params: orgParams(),
    querystring: tokenQuery,
    // The bare integer (the document) or {"secondsvalidity": n} (the original's clients); the
    // integer bounds apply to the bare form, `required` to the object form only.
    body: { type: ['object', 'integer'], minimum: -1_000_000_000, maximum: 1_000_000_000, properties: { secondsvalidity: SECONDS }, required: ['secondsvalidity'] },
    response: { type: 'integer' },
    operation: `mutation iyo_org_2fa_validity_set($input: OrganizationTwoFactorValidityInput!) { setOrganizationTwoFactorValidity(input: $input) { seconds userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, seconds: typeof r.body === 'number' ? r.body : r.body.secondsvalidity } }),
    respond: (d) => ({ body: d.setOrganizationTwoFactorValidity.seconds }),
  },
  {
    method: 'GET',
    path: '/organizations/:globalid/contracts',
    summary: 'Contracts the organization is a party of, newest first (owners and the organization’s API keys).',
    params: orgParams(),
    querystring: contractQuery,
    response: { type: 'array', items: contractSchema },
    operation: `query iyo_org_contracts($globalid: String!, $includeExpired: Boolean, $offset: Int, $limit: Int) {
      organization(slug: $globalid) { id viewerCanUpdate contracts(includeExpired: $includeExpired, offset: $offset, limit: $limit) { ${CONTRACT_FIELDS} } }
    }`,
    variables: (r) => ({ globalid: r.params.globalid, includeExpired: r.query.includeExpired ?? false, offset: r.query.start ?? 0, limit: r.query.max ?? 50 }),
    respond: (d, r) => {
      const org = orgOf<{ viewerCanUpdate: boolean; contracts: unknown[] }>(d);
      if (!org.viewerCanUpdate && r.principal.kind !== 'organization') throw new DomainError('FORBIDDEN', 'Only owners of the organization may read its contracts');
      return { body: org.contracts };
    },
  },
  {
    method: 'POST',
    path: '/organizations/:globalid/contracts',
    summary: 'Makes a contract the organization is a party of (201; owners), its id computed as documented.',
    params: orgParams(),
    querystring: tokenQuery,
    body: contractSchema,
    response: contractSchema,
    status: 201,
    operation: `mutation iyo_org_contract_create($input: CreateOrganizationContractInput!) { createOrganizationContract(input: $input) { contract { ${CONTRACT_FIELDS} } userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, ...contractVariables(r) } }),
    respond: (d) => ({ status: 201, body: d.createOrganizationContract.contract }),
  },
];
