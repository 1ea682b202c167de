// Groups, analysts, the login URL hint and the portal of the accounts API
// (../shared/seeds/002_ee542197c1cc2475.txt).
//
// Choices where the document is silent:
// - Groups are the graph's groups (of organizations), shown as Django's `{id, name}` with the
//   integer id that users' `groups` hold: those of the organization in view (`?organization=`
//   or the token's), else of every organization you belong to.
// - An analyst is a user who consented to act as one (`consent_given`): the list holds the
//   organization's analysts (instance admins without an organization: all), so
//   `consent_given` is true for each; `analysts/current` reads and sets your own consent.
// - `login_url` answers sign-in parameters for an email (the `loginHint` query): `login_hint`,
//   plus the `organization` slug of the one account holding it, or `route=manual` when several
//   accounts hold it — but only where the caller may already see who holds the address (their
//   own address; instance admins: any). Any other address gets the bare hint, as an unknown one
//   does (no account enumeration, no organization oracle).
// - `portal` answers 200 with no content when you may open the portal of the organization in
//   view (`account_portal_url` of an organization points here), 404 when not.
import { notFound } from '../../core/errors.js';
import { emailString } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { envelope, viewOrganizationOf, organizationOf, organizationQuery, pageOf, pageOfRequest, pageQuery, searchQuery, signedIn, uuidOf } from './common.js';

const groupSchema: JsonSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id', 'name'] };
const analystSchema: JsonSchema = {
  type: 'object',
  properties: { consent_given: { type: 'boolean' }, user_uuid: { type: 'string', format: 'uuid' } },
  required: ['consent_given', 'user_uuid'],
};

/** Page variables (first/offset) of a list by page number. */
function pageVariables(r: RestRequest) {
  signedIn(r);
  const p = pageOfRequest(r);
  return { first: p.size, offset: p.offset };
}

const analystBody = (u: { id: string; analystConsent: boolean | null }) => ({ consent_given: u.analystConsent === true, user_uuid: uuidOf(u.id) });

export const peopleRoutes: Route[] = [
  {
    method: 'GET',
    path: '/accounts/groups/',
    summary: 'Groups of the organization (default: of every organization you belong to), by name.',
    querystring: { type: 'object', properties: { organization: organizationQuery, ...pageQuery } },
    response: pageOf(groupSchema),
    resource: 'Group',
    operation: `query accountsGroups($first: Int!, $offset: Int!, $org: ID) {
      groups(first: $first, offset: $offset, filter: { organization: $org }) { totalCount nodes { databaseId name } }
    }`,
    variables: (r) => ({ ...pageVariables(r), org: viewOrganizationOf(r) }),
    respond: (d, r) => ({
      body: envelope(r, pageOfRequest(r), d.groups.totalCount, d.groups.nodes.map((g: { databaseId: number; name: string }) => ({ id: g.databaseId, name: g.name }))),
    }),
  },
  {
    method: 'GET',
    path: '/accounts/analysts/',
    summary: 'The organization’s analysts: its members who consented (instance admins without an organization: every analyst); `search` matches username, names and email.',
    querystring: { type: 'object', properties: { organization: organizationQuery, search: searchQuery, ...pageQuery } },
    response: pageOf(analystSchema),
    resource: 'User',
    operation: `query accountsAnalysts($first: Int!, $offset: Int!, $search: String, $org: ID) {
      users(first: $first, offset: $offset, filter: { search: $search, organizationId: $org, analystConsent: true }) { totalCount nodes { id analystConsent } }
    }`,
    variables: (r) => {
      const admin = r.principal.kind === 'user' && r.principal.isInstanceAdmin;
      const page = pageVariables(r);
      return { ...page, search: (r.query.search as string | undefined) || null, org: admin ? viewOrganizationOf(r) : organizationOf(r) };
    },
    respond: (d, r) => ({ body: envelope(r, pageOfRequest(r), d.users.totalCount, d.users.nodes.map(analystBody)) }),
  },
  {
    method: 'GET',
    path: '/accounts/analysts/current/',
    summary: 'Your analyst consent.',
    response: analystSchema,
    resource: 'User',
    operation: `query accountsCurrentAnalyst { viewer { id analystConsent } }`,
    variables: (r) => {
      signedIn(r);
      return {};
    },
    respond: (d) => ({ body: analystBody(d.viewer) }),
  },
  {
    method: 'PATCH',
    path: '/accounts/analysts/current/',
    summary: 'Gives (`consent_given: true`) or withdraws your analyst consent; `user_uuid` is read-only. An empty body changes nothing.',
    body: { type: 'object', properties: { consent_given: { type: 'boolean' } } },
    response: analystSchema,
    resource: 'User',
    operation: `mutation accountsSetConsent($input: SetAnalystConsentInput!) {
      setAnalystConsent(input: $input) { user { id analystConsent } userErrors { code field message } }
    }`,
    variables: (r) => {
      signedIn(r);
      return { input: { consentGiven: r.body?.consent_given ?? null } };
    },
    respond: (d) => ({ body: analystBody(d.setAnalystConsent.user) }),
  },
  {
    method: 'POST',
    path: '/accounts/login_url/',
    summary: 'Sign-in parameters for an email: `login_hint` (and the `organization` slug), or `route=manual` when several accounts hold the address.',
    body: { type: 'object', properties: { email: { ...emailString, minLength: 1 } }, required: ['email'] },
    response: { type: 'object', properties: { params: { type: 'string' } }, required: ['params'] },
    status: 200,
    resource: 'User',
    operation: `query accountsLoginUrl($email: String!) { loginHint(email: $email) { params } }`,
    variables: (r) => {
      signedIn(r);
      return { email: r.body.email };
    },
    respond: (d) => ({ body: { params: d.loginHint.params } }),
  },
  {
    method: 'GET',
    path: '/accounts/portal/',
    summary: 'The account portal: 200 with no content when you may open the organization’s portal (`?organization=`, else the token’s; none: your own account).',
    querystring: { type: 'object', properties: { organization: organizationQuery } },
    resource: 'Organization',
    operation: `query accountsPortal($org: ID!, $hasOrg: Boolean!) { organization(id: $org) @include(if: $hasOrg) { id } viewer { id } }`,
    variables: (r) => {
      signedIn(r);
      const org = viewOrganizationOf(r);
      return { org: org ?? '', hasOrg: org !== null };
    },
    respond: (d, r) => {
      if (viewOrganizationOf(r) !== null && !d.organization) throw notFound();
      return { status: 200, body: undefined };
    },
  },
];
