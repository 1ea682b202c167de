// Itsyouonline organizations (part 2): create (whole body) and sub-organizations, read, delete
// with the whole subtree, the tree, the users, membership checks, DNS names and required scopes.
//
// Choices where the document is vague:
// - `{globalid}` is the organization's slug. A globalid follows the document's pattern less its
//   spaces (a slug holds none): 3 to 150 of a-z, 0-9, "-", "_"; anything else is 400. A
//   sub-organization is named `<parent>.<local>` as the original did; its body's globalid may be
//   the local part or already carry the `<parent>.` prefix. The whole slug is at most 64
//   characters (400 past that).
// - POST /organizations: the caller owns the new organization; `owners` and `members` are
//   invited (they accept through their own routes, part 1) — nobody becomes a member without
//   saying yes; `orgowners` / `orgmembers` are linked at once when the caller owns them, else
//   invited; `includesuborgsof` must name some of those (400 otherwise) and applies to the links
//   made at once. `publicKeys` and `includes` are answers, not inputs (sub-organizations are made
//   with POST /organizations/{globalid}); they are accepted and ignored. All of it is one
//   transaction: a refused part (unknown user 404, used DNS name 409, …) leaves nothing.
// - Reading an organization needs a role in it (own, inherited from a parent, or through an
//   org-owner / org-member); others get 404, as for a missing one. Lists in the answer hold at
//   most 100 members and 100 sub-organizations (`includes`: direct children).
// - `owners` and `members` are the organization's own members (admins count as members);
//   inherited owners are not repeated.
// - DELETE takes every sub-organization with it, and everything attached (memberships, links,
//   invitations, DNS names, required scopes, authorizations given to them).
// - tree: the documented "array of OrganizationTreeItem" holds one item, the organization itself,
//   its `children` nested to any depth (at most 10,000 organizations, shallowest first).
// - users: `role` is `owners` or `members` ("organization:owner" / "organization:member" read as
//   the original answered), `missingscopes` the required scopes the user has not granted the
//   organization; at most 100 users. `haseditpermissions`: whether the caller owns it.
// - ismember: owners ask (document); a user who is a member in any way counts.
// - DNS names are unique across organizations (409 when another has it). PUT answers 200 with
//   `{name}`; DELETE 204. Required scopes: POST 201, PUT 204, DELETE 204; a scope is
//   `user:<kind>[:<label>]` of part 1's authorization kinds (400 otherwise).
import { DomainError, notFound } from '../../core/errors.js';
import { plainText, slugString, usernameString } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { tokenQuery } from './common.js';

const MAX_LIST = 100;
const nameList: JsonSchema = { type: 'array', maxItems: MAX_LIST, items: { type: 'string', minLength: 1, maxLength: 255 } };
const requiredScopeSchema: JsonSchema = {
  type: 'object',
  properties: { scope: plainText(1024, 1), accessscopes: { type: 'array', maxItems: 2, items: { type: 'string', enum: ['organization:owner', 'organization:member'] } } },
  required: ['scope', 'accessscopes'],
};
const dnsName: JsonSchema = { type: 'string', minLength: 4, maxLength: 250, pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]{1,61}[a-zA-Z0-9](?:\\.[a-zA-Z]{2,})+$' };
export const organizationSchema: JsonSchema = {
  type: 'object',
  properties: {
    globalid: { type: 'string', minLength: 3, maxLength: 150 },
    publicKeys: nameList,
    dns: { type: 'array', maxItems: MAX_LIST, items: dnsName },
    owners: nameList,
    members: nameList,
    orgowners: nameList,
    orgmembers: nameList,
    includes: nameList,
    requiredscopes: { type: 'array', maxItems: 50, items: requiredScopeSchema },
    includesuborgsof: nameList,
  },
  required: ['globalid'],
};
const globalidParams = (...more: [string, JsonSchema][]): JsonSchema => ({
  type: 'object',
  properties: { globalid: slugString, ...Object.fromEntries(more) },
  required: ['globalid', ...more.map(([n]) => n)],
});

/** What the organization answer reads. */
export const ORGANIZATION_FIELDS = `slug dnsNames requiredScopes { scope accessScopes }
  memberships(first: ${MAX_LIST}) { nodes { role user { username } } }
  orgMembers { role includeSubOrganizations memberOrganizationSlug }
  children(first: ${MAX_LIST}) { nodes { slug } }`;

interface OrganizationData {
  slug: string;
  dnsNames: string[];
  requiredScopes: { scope: string; accessScopes: string[] }[];
  memberships: { nodes: { role: string; user: { username: string } | null }[] };
  orgMembers: { role: string; includeSubOrganizations: boolean; memberOrganizationSlug: string }[];
  children: { nodes: { slug: string }[] };
}

/** Itsyouonline's Organization body. */
export function organizationBody(o: OrganizationData) {
  const people = (owner: boolean) => o.memberships.nodes.filter((m) => m.user && (m.role === 'OWNER') === owner).map((m) => m.user!.username);
  const orgs = (role: string) => o.orgMembers.filter((m) => m.role === role).map((m) => m.memberOrganizationSlug);
  return {
    globalid: o.slug,
    publicKeys: [] as string[],
    dns: o.dnsNames,
    owners: people(true),
    members: people(false),
    orgowners: orgs('OWNER'),
    orgmembers: orgs('MEMBER'),
    includes: o.children.nodes.map((c) => c.slug),
    requiredscopes: o.requiredScopes.map((s) => ({ scope: s.scope, accessscopes: s.accessScopes })),
    includesuborgsof: o.orgMembers.filter((m) => m.includeSubOrganizations).map((m) => m.memberOrganizationSlug),
  };
}

/** The organization of a read, or 404 (missing and unreadable alike). */
function requireOrg<T>(d: { organization: T | null }): T {
  if (!d.organization) throw notFound('Organization not found');
  return d.organization;
}

const createInput = (r: RestRequest, parent: string | null) => {
  const b = r.body as Record<string, any>;
  return {
    input: {
      globalid: b.globalid,
      parent,
      owners: b.owners ?? null,
      members: b.members ?? null,
      orgowners: b.orgowners ?? null,
      orgmembers: b.orgmembers ?? null,
      dns: b.dns ?? null,
      requiredScopes: (b.requiredscopes ?? []).map((s: { scope: string; accessscopes: string[] }) => ({ scope: s.scope, accessScopes: s.accessscopes })),
      includeSubOrgsOf: b.includesuborgsof ?? null,
    },
  };
};

const CREATE = `mutation iyo_organization_create($input: OrganizationCreateFullInput!) {
  organizationCreateFull(input: $input) { organization { ${ORGANIZATION_FIELDS} } userErrors { code field message } }
}`;

/** A change answered by the organization's mutation payload (owner-only routes of this table). */
const change = (route: Omit<Route, 'querystring' | 'respond'> & { respond?: Route['respond'] }): Route => ({
  querystring: tokenQuery,
  respond: () => ({ status: route.status ?? 204, body: undefined }),
  ...route,
});

interface TreeEntry {
  slug: string;
  parentSlug: string | null;
  depth: number;
}
interface TreeItem {
  globalid: string;
  children: TreeItem[];
}

/** Nests the flat, shallowest-first entries under their parents. */
export function nestTree(entries: TreeEntry[]): TreeItem[] {
  const items = new Map<string, TreeItem>();
  const roots: TreeItem[] = [];
  for (const e of entries) {
    const item: TreeItem = { globalid: e.slug, children: [] };
    items.set(e.slug, item);
    const parent = e.parentSlug === null ? undefined : items.get(e.parentSlug);
    if (parent) parent.children.push(item);
    else if (e.depth === 0) roots.push(item);
  }
  return roots;
}

const treeItemSchema: JsonSchema = { type: 'object', properties: { globalid: { type: 'string' }, children: { type: 'array', items: { type: 'object' } } }, required: ['globalid', 'children'] };

export const orgRoutes: Route[] = [
  {
    method: 'POST',
    path: '/organizations',
    summary: 'Creates an organization from the whole documented body; the caller owns it (201). Invalid globalid 400, taken 409.',
    querystring: tokenQuery,
    body: organizationSchema,
    response: organizationSchema,
    status: 201,
    operation: CREATE,
    variables: (r) => createInput(r, null),
    respond: (d) => ({ status: 201, body: organizationBody(d.organizationCreateFull.organization) }),
  },
  {
    method: 'GET',
    path: '/organizations/:globalid',
    summary: 'The organization: owners, members, org-owners, org-members, sub-organizations, DNS names, required scopes.',
    params: globalidParams(),
    querystring: tokenQuery,
    response: organizationSchema,
    operation: `query iyo_organization($g: String!) { organization(slug: $g) { ${ORGANIZATION_FIELDS} } }`,
    variables: (r) => ({ g: r.params.globalid }),
    respond: (d) => ({ body: organizationBody(requireOrg<OrganizationData>(d)) }),
  },
  {
    method: 'POST',
    path: '/organizations/:globalid',
    summary: 'Creates a sub-organization `<globalid>.<local>` (owners of the parent; 201); 404 under a missing parent.',
    params: globalidParams(),
    querystring: tokenQuery,
    body: organizationSchema,
    response: organizationSchema,
    status: 201,
    operation: CREATE,
    variables: (r) => createInput(r, r.params.globalid!),
    respond: (d) => ({ status: 201, body: organizationBody(d.organizationCreateFull.organization) }),
  },
  change({
    method: 'DELETE',
    path: '/organizations/:globalid',
    summary: 'Deletes the organization and all its sub-organizations, with everything attached (owners; 204).',
    params: globalidParams(),
    status: 204,
    operation: `mutation iyo_organization_delete($input: OrganizationSlugInput!) { organizationDeleteTree(input: $input) { deletedId userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid } }),
  }),
  {
    method: 'GET',
    path: '/organizations/:globalid/tree',
    summary: 'The organization with its sub-organizations nested to any depth (one item).',
    params: globalidParams(),
    querystring: tokenQuery,
    response: { type: 'array', items: treeItemSchema },
    operation: `query iyo_organization_tree($g: String!) { organization(slug: $g) { subtree { slug parentSlug depth } } }`,
    variables: (r) => ({ g: r.params.globalid }),
    respond: (d) => ({ body: nestTree(requireOrg<{ subtree: TreeEntry[] }>(d).subtree) }),
  },
  {
    method: 'GET',
    path: '/organizations/:globalid/users',
    summary: 'The organization’s own users with their role and the required scopes they have not granted; whether the caller may edit.',
    params: globalidParams(),
    querystring: tokenQuery,
    response: {
      type: 'object',
      properties: {
        haseditpermissions: { type: 'boolean' },
        users: { type: 'array', items: { type: 'object', properties: { username: { type: 'string' }, role: { type: 'string' }, missingscopes: { type: 'array', items: { type: 'string' } } } } },
      },
      required: ['haseditpermissions', 'users'],
    },
    operation: `query iyo_organization_users($g: String!) { organization(slug: $g) { viewerCanUpdate memberships(first: ${MAX_LIST}) { nodes { role user { username } missingRequiredScopes } } } }`,
    variables: (r) => ({ g: r.params.globalid }),
    respond: (d) => {
      const o = requireOrg<{ viewerCanUpdate: boolean; memberships: { nodes: { role: string; user: { username: string } | null; missingRequiredScopes: string[] }[] } }>(d);
      return {
        body: {
          haseditpermissions: o.viewerCanUpdate,
          users: o.memberships.nodes.filter((m) => m.user).map((m) => ({ username: m.user!.username, role: m.role === 'OWNER' ? 'owners' : 'members', missingscopes: m.missingRequiredScopes })),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/organizations/:globalid/users/ismember/:username',
    summary: 'Whether the user is a member in any way (own role, inherited from a parent, through a member organization); owners ask.',
    params: globalidParams(['username', usernameString]),
    querystring: tokenQuery,
    response: { type: 'object', properties: { IsMember: { type: 'boolean' } }, required: ['IsMember'] },
    operation: `query iyo_organization_ismember($g: String!, $u: String!) { organization(slug: $g) { hasMember(username: $u) } }`,
    variables: (r) => ({ g: r.params.globalid, u: r.params.username }),
    respond: (d) => {
      const o = requireOrg<{ hasMember: boolean | null }>(d);
      if (o.hasMember === null) throw new DomainError('FORBIDDEN', 'Only owners of the organization may ask');
      return { body: { IsMember: o.hasMember } };
    },
  },
  change({
    method: 'POST',
    path: '/organizations/:globalid/dns',
    summary: 'Adds a DNS name (owners; 201); used by any organization 409.',
    params: globalidParams(),
    body: { type: 'object', properties: { name: dnsName }, required: ['name'] },
    response: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    status: 201,
    operation: `mutation iyo_dns_add($input: OrganizationDnsNameInput!) { organizationAddDnsName(input: $input) { organization { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, name: r.body.name } }),
    respond: (_d, r) => ({ status: 201, body: { name: r.body.name } }),
  }),
  change({
    method: 'PUT',
    path: '/organizations/:globalid/dns/:dnsname',
    summary: 'Renames a DNS name (owners; 200); unknown 404, new name used 409.',
    params: globalidParams(['dnsname', plainText(250, 1)]),
    body: { type: 'object', properties: { name: dnsName }, required: ['name'] },
    response: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    operation: `mutation iyo_dns_rename($input: OrganizationDnsNameInput!) { organizationRenameDnsName(input: $input) { organization { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, name: r.params.dnsname, newName: r.body.name } }),
    respond: (_d, r) => ({ status: 200, body: { name: r.body.name } }),
  }),
  change({
    method: 'DELETE',
    path: '/organizations/:globalid/dns/:dnsname',
    summary: 'Removes a DNS name (owners; 204); unknown 404.',
    params: globalidParams(['dnsname', plainText(250, 1)]),
    status: 204,
    operation: `mutation iyo_dns_remove($input: OrganizationDnsNameInput!) { organizationRemoveDnsName(input: $input) { organization { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, name: r.params.dnsname } }),
  }),
  change({
    method: 'POST',
    path: '/organizations/:globalid/requiredscopes',
    summary: 'Adds a required scope (owners; 201); the same scope again 409.',
    params: globalidParams(),
    body: requiredScopeSchema,
    status: 201,
    operation: `mutation iyo_requiredscope_add($input: OrganizationRequiredScopeChangeInput!) { organizationAddRequiredScope(input: $input) { organization { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, requiredScope: { scope: r.body.scope, accessScopes: r.body.accessscopes } } }),
    respond: () => ({ status: 201, body: undefined }),
  }),
  change({
    method: 'PUT',
    path: '/organizations/:globalid/requiredscopes/:requiredscope',
    summary: 'Changes a required scope (owners; 204); unknown 404, conflicting with another 409.',
    params: globalidParams(['requiredscope', plainText(1024, 1)]),
    body: requiredScopeSchema,
    status: 204,
    operation: `mutation iyo_requiredscope_update($input: OrganizationRequiredScopeChangeInput!) { organizationUpdateRequiredScope(input: $input) { organization { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, scope: r.params.requiredscope, requiredScope: { scope: r.body.scope, accessScopes: r.body.accessscopes } } }),
  }),
  change({
    method: 'DELETE',
    path: '/organizations/:globalid/requiredscopes/:requiredscope',
    summary: 'Removes a required scope (owners; 204); unknown 404.',
    params: globalidParams(['requiredscope', plainText(1024, 1)]),
    status: 204,
    operation: `mutation iyo_requiredscope_remove($input: OrganizationRequiredScopeChangeInput!) { organizationRemoveRequiredScope(input: $input) { organization { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, scope: r.params.requiredscope } }),
  }),
];
