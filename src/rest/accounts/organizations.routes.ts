// Organizations of the accounts API (../shared/seeds/002_ee542197c1cc2475.txt): an organization
// is addressed by its uuid (the GraphQL Organization's row id). Listing pages by number through
// the `organizations` query's `offset` (the one page-number argument in the graph); `search`
// matches slug or name. `increment` adds quota usage (organization admins).
import { DomainError, notFound } from '../../core/errors.js';
import { isUuid } from '../../core/validation.js';
import { slugString } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { envelope, gid, pageOf, pageOfRequest, pageQuery, searchQuery, signedIn, uuidOf, uuidParams } from './common.js';


const name: JsonSchema = { type: 'string', minLength: 1, maxLength: 200, description: 'The name of the organization' };
const slug: JsonSchema = { ...slugString, description: 'The name in all lowercase, suitable for URL identification' };

export const organizationSchema: JsonSchema = {
  type: 'object',
  properties: { uuid: { type: 'string', format: 'uuid' }, name: { type: 'string' }, slug: { type: 'string' }, account_portal_url: { type: 'string', format: 'uri' } },
  required: ['uuid', 'name', 'slug', 'account_portal_url'],
};

const quotaSchema: JsonSchema = {
  type: 'object',
  properties: { limit: { type: ['integer', 'null'] }, usage: { type: 'integer' }, remaining: { type: ['integer', 'null'] }, overriden: { type: 'boolean' } },
  required: ['limit', 'usage', 'remaining', 'overriden'],
};

const ORG_FIELDS = 'id slug name';

interface OrganizationNode {
  id: string;
  slug: string;
  name: string;
}

/** The organization as the accounts API shows it. */
export function organizationBody(o: OrganizationNode, r: RestRequest) {
  const id = uuidOf(o.id)!;
  return { uuid: id, name: o.name, slug: o.slug, account_portal_url: `${r.url.origin}/accounts/portal/?organization=${id}` };
}

/** The `id`/`uuid` filter as a global ID: each must be a uuid (django-filter's words), both the same one. */
function idFilter(q: Record<string, string | undefined>): string | null {
  for (const k of ['id', 'uuid'] as const) {
    if (q[k] && !isUuid(q[k]!)) throw new DomainError('VALIDATION_FAILED', 'Enter a valid UUID.', `query.${k}`);
  }
  if (q.id && q.uuid && q.id.toLowerCase() !== q.uuid.toLowerCase()) throw new DomainError('VALIDATION_FAILED', 'id and uuid name different organizations.');
  const v = q.id || q.uuid;
  return v ? gid('Organization', v) : null;
}

const org = (r: RestRequest) => {
  signedIn(r);
  return gid('Organization', r.params.uuid!);
};

const PAYLOAD = `organization { ${ORG_FIELDS} } userErrors { code field message }`;

export const organizationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/accounts/organizations/',
    summary: 'Organizations you belong to (instance admins: all), by slug; `search` matches slug or name; `id` and `uuid` (both the uuid, the one id shown), `name` and `slug` match exactly.',
    querystring: {
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 64, description: 'id (the organization’s uuid)' },
        uuid: { type: 'string', maxLength: 64, description: 'uuid' },
        name: { type: 'string', maxLength: 200, description: 'name' },
        slug: { type: 'string', maxLength: 200, description: 'slug' },
        search: searchQuery,
        ...pageQuery,
      },
    },
    response: pageOf(organizationSchema),
    operation: `query accountsOrganizations($first: Int!, $offset: Int!, $search: String, $id: ID, $name: String, $slug: String) {
      organizations(first: $first, offset: $offset, filter: { search: $search, id: $id, name: $name, slug: $slug }) { totalCount nodes { ${ORG_FIELDS} } }
    }`,
    variables: (r) => {
      signedIn(r);
      const p = pageOfRequest(r);
      const q = r.query as Record<string, string | undefined>;
      return { first: p.size, offset: p.offset, search: q.search || null, id: idFilter(q), name: q.name || null, slug: q.slug || null };
    },
    respond: (d, r) => ({ body: envelope(r, pageOfRequest(r), d.organizations.totalCount, d.organizations.nodes.map((o: OrganizationNode) => organizationBody(o, r))) }),
  },
  {
    method: 'POST',
    path: '/accounts/organizations/',
    summary: 'Creates an organization; you become its owner.',
    body: { type: 'object', properties: { name, slug }, required: ['name', 'slug'] },
    response: organizationSchema,
    status: 201,
    resource: 'Organization',
    operation: `mutation accountsCreateOrganization($input: CreateOrganizationInput!) { createOrganization(input: $input) { ${PAYLOAD} } }`,
    variables: (r) => {
      signedIn(r);
      return { input: { name: r.body.name, slug: r.body.slug } };
    },
    respond: (d, r) => ({ body: organizationBody(d.createOrganization.organization, r) }),
  },
  {
    method: 'GET',
    path: '/accounts/organizations/:uuid/',
    summary: 'One organization (its members).',
    params: uuidParams,
    response: organizationSchema,
    resource: 'Organization',
    operation: `query accountsOrganization($id: ID!) { organization(id: $id) { ${ORG_FIELDS} } }`,
    variables: (r) => ({ id: org(r) }),
    respond: (d, r) => {
      if (!d.organization) throw notFound();
      return { body: organizationBody(d.organization, r) };
    },
  },
  {
    method: 'PUT',
    path: '/accounts/organizations/:uuid/',
    summary: 'Replaces name and slug (owners).',
    params: uuidParams,
    body: { type: 'object', properties: { name, slug }, required: ['name', 'slug'] },
    response: organizationSchema,
    resource: 'Organization',
    operation: `mutation accountsPutOrganization($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { ${PAYLOAD} } }`,
    variables: (r) => ({ input: { id: org(r), name: r.body.name, slug: r.body.slug } }),
    respond: (d, r) => ({ body: organizationBody(d.updateOrganization.organization, r) }),
  },
  {
    method: 'PATCH',
    path: '/accounts/organizations/:uuid/',
    summary: 'Changes name and/or slug (owners).',
    params: uuidParams,
    body: { type: 'object', properties: { name, slug } },
    response: organizationSchema,
    resource: 'Organization',
    operation: `mutation accountsPatchOrganization($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { ${PAYLOAD} } }`,
    variables: (r) => ({ input: { id: org(r), name: r.body.name ?? null, slug: r.body.slug ?? null } }),
    respond: (d, r) => ({ body: organizationBody(d.updateOrganization.organization, r) }),
  },
  {
    method: 'DELETE',
    path: '/accounts/organizations/:uuid/',
    summary: 'Deletes an organization without sub-organizations (owners).',
    params: uuidParams,
    status: 204,
    resource: 'Organization',
    operation: `mutation accountsDeleteOrganization($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { deletedId userErrors { code field message } } }`,
    variables: (r) => ({ input: { id: org(r) } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  {
    method: 'POST',
    path: '/accounts/organizations/:uuid/increment/',
    summary: 'Adds `usage` (default 1) to the organization’s quota usage (admins); 400 when the quota is exhausted, unless overridden. `limit` and `remaining` are null when unlimited.',
    params: uuidParams,
    body: { type: ['object', 'null'], properties: { usage: { type: 'integer', minimum: 1, maximum: 1_000_000_000 } } },
    response: quotaSchema,
    resource: 'Organization',
    operation: `mutation accountsIncrement($input: IncrementOrganizationUsageInput!) {
      incrementOrganizationUsage(input: $input) { organization { quota { limit usage remaining overridden } } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { id: org(r), amount: r.body?.usage ?? 1 } }),
    respond: (d) => {
      const q = d.incrementOrganizationUsage.organization.quota;
      return { body: { limit: q.limit, usage: q.usage, remaining: q.remaining, overriden: q.overridden } };
    },
  },
];

