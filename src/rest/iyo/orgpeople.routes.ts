// Itsyouonline organizations (part 2): people and organizations in an organization — members
// and owners (invited, role changed, removed), the organization's invitations, org-members and
// org-owners (linked or invited), their sub-organizations' inclusion, and the invited
// organization's answer.
//
// Choices where the document is vague:
// - Every route here is the owners' (the document's `organization:owner`); a plain member 403, a
//   caller without any role in the organization 404 (as a missing one).
// - POST members: `searchstring` is a username, an email address or a phone number; the invitee
//   accepts through part 1's user routes. `invitenotification=none` queues no email or SMS.
//   Someone who is already a member (any role) is 409 — for owners too (POST owners): a member
//   becomes owner with PUT members. An unknown username 404.
// - PUT members / orgmembers: `role` is `owner`/`member`, also as `owners`/`members` (the
//   original's list names); PUT orgmembers also takes `orgowner`/`orgmember`. Both answer the
//   organization (200).
// - DELETE owners/{username}: only an owner (a member is 404); the last owner stays (412).
// - GET invitations: at most 100, newest first; `user` of an organization invitee is its slug
//   (`isorganization` true, role `orgowner`/`orgmember`). DELETE invitations/{username} cancels
//   the pending invitations addressed to that username, email or phone (204; none 404).
// - POST orgmembers / orgowners: 201 with no body; the link is made at once when the caller owns
//   the other organization too, else it is an invitation its owners accept or reject with
//   POST|DELETE /organizations/{theirs}/organizations/{invitingorg}/roles/{orgmember|orgowner}
//   (201 with the invitation / 204, once; roles `owner`/`member` name user invitations: 404).
//   Already linked or invited 409.
// - includesuborgs POST answers the organization (201); DELETE 204; neither for an organization
//   that is not linked (404).
import { DomainError, notFound } from '../../core/errors.js';
import { slugString, usernameString } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { tokenQuery } from './common.js';
import { INVITATION_FIELDS, invitationSchema } from './organizations.routes.js';
import { ORGANIZATION_FIELDS, organizationBody, organizationSchema } from './orgs.routes.js';

const params = (...more: [string, JsonSchema][]): JsonSchema => ({
  type: 'object',
  properties: { globalid: slugString, ...Object.fromEntries(more) },
  required: ['globalid', ...more.map(([n]) => n)],
});
const objectWith = (props: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties: props, required: Object.keys(props) });
const name255: JsonSchema = { type: 'string', minLength: 1, maxLength: 255 };
const USER_ROLES = ['owner', 'member', 'owners', 'members'];
const ORG_ROLES = [...USER_ROLES, 'orgowner', 'orgmember'];
const graphRole = (role: string) => (role.replace(/^org/, '').replace(/s$/, '') === 'owner' ? 'OWNER' : 'MEMBER');
const ERRORS = 'userErrors { code field message }';

/** The invitation fields the answers read, with who is invited. */
const INVITATION_READ = `${INVITATION_FIELDS} inviteeUser { username } inviteeOrganization { slug }`;

interface InvitationData {
  organizationSlug: string;
  role: string;
  status: string;
  method: string;
  createdAt: string;
  inviteeEmail: string | null;
  inviteePhone: string | null;
  inviteeUser: { username: string } | null;
  inviteeOrganization: { slug: string } | null;
}

/** Itsyouonline's JoinOrganizationInvitation. */
export function invitationBody(i: InvitationData) {
  const org = i.inviteeOrganization !== null;
  const role = String(i.role).toLowerCase();
  return {
    organization: i.organizationSlug,
    user: i.inviteeOrganization?.slug ?? i.inviteeUser?.username ?? '',
    role: org ? `org${role}` : role,
    created: i.createdAt,
    status: String(i.status).toLowerCase(),
    method: String(i.method).toLowerCase(),
    emailaddress: i.inviteeEmail ?? '',
    phonenumber: i.inviteePhone ?? '',
    isorganization: org,
  };
}

const orgAnswer = (key: string, status = 200) => (d: any) => ({ status, body: organizationBody(d[key].organization) });
const noContent = (status = 204) => () => ({ status, body: undefined });

const invite = (path: string, role: 'OWNER' | 'MEMBER', bodyField: 'searchstring' | 'username'): Route => ({
  method: 'POST',
  path,
  summary: role === 'OWNER' ? 'Invites a user to become owner (201); already a member 409, unknown 404.' : 'Invites someone (username, email or phone) to become member (201); already a member 409, unknown user 404.',
  params: params(),
  querystring: { type: 'object', properties: { ...(tokenQuery.properties as object), invitenotification: { type: 'string', maxLength: 32 } } },
  body: objectWith({ [bodyField]: name255 }),
  response: invitationSchema,
  status: 201,
  operation: `mutation iyo_org_invite_${role.toLowerCase()}($input: OrganizationInviteUserInput!) { organizationInviteUser(input: $input) { invitation { ${INVITATION_READ} } ${ERRORS} } }`,
  variables: (r) => ({ input: { organization: r.params.globalid, searchString: r.body[bodyField], role, notify: r.query.invitenotification !== 'none' } }),
  respond: (d) => ({ status: 201, body: invitationBody(d.organizationInviteUser.invitation) }),
});

const link = (path: string, role: 'OWNER' | 'MEMBER', bodyField: string): Route => ({
  method: 'POST',
  path,
  summary: `Adds another organization as ${role === 'OWNER' ? 'org-owner' : 'org-member'} (201): at once when you own it too, else an invitation its owners answer. Already linked or invited 409.`,
  params: params(),
  querystring: tokenQuery,
  body: objectWith({ [bodyField]: slugString }),
  status: 201,
  operation: `mutation iyo_org_link_${role.toLowerCase()}($input: OrganizationLinkInput!) { organizationLink(input: $input) { organization { id } ${ERRORS} } }`,
  variables: (r) => ({ input: { organization: r.params.globalid, other: r.body[bodyField], role } }),
  respond: noContent(201),
});

const unlink = (path: string, role: 'OWNER' | 'MEMBER'): Route => ({
  method: 'DELETE',
  path,
  summary: `Removes an ${role === 'OWNER' ? 'org-owner' : 'org-member'} (204); not one 404.`,
  params: params(['globalid2', slugString]),
  querystring: tokenQuery,
  status: 204,
  operation: `mutation iyo_org_unlink_${role.toLowerCase()}($input: OrganizationLinkInput!) { organizationRemoveLink(input: $input) { organization { id } ${ERRORS} } }`,
  variables: (r) => ({ input: { organization: r.params.globalid, other: r.params.globalid2, role } }),
  respond: noContent(),
});

const removeUser = (path: string, role: 'OWNER' | null): Route => ({
  method: 'DELETE',
  path,
  summary: role ? 'Removes an owner (204); not an owner 404; the last owner stays (412).' : 'Removes a member of any role (204); not a member 404; the last owner stays (412).',
  params: params(['username', usernameString]),
  querystring: tokenQuery,
  status: 204,
  operation: `mutation iyo_org_remove_${role ? 'owner' : 'member'}($input: OrganizationUserRoleInput!) { organizationRemoveUser(input: $input) { organization { id } ${ERRORS} } }`,
  variables: (r) => ({ input: { organization: r.params.globalid, username: r.params.username, role } }),
  respond: noContent(),
});

/** Roles `owner`/`member` name user invitations, which an organization does not answer: 404, as no such invitation. */
function orgInvitationRole(r: RestRequest): 'OWNER' | 'MEMBER' {
  if (r.params.role === 'orgowner') return 'OWNER';
  if (r.params.role === 'orgmember') return 'MEMBER';
  throw notFound('Invitation not found');
}

const answer = (accept: boolean): Route => ({
  method: accept ? 'POST' : 'DELETE',
  path: '/organizations/:globalid/organizations/:invitingorg/roles/:role',
  summary: accept ? 'Accepts the inviting organization’s invitation of this one (owners; 201); none pending 404.' : 'Rejects the inviting organization’s invitation of this one (owners; 204); none pending 404.',
  params: params(['invitingorg', slugString], ['role', { type: 'string', enum: ['owner', 'member', 'orgowner', 'orgmember'] }]),
  querystring: tokenQuery,
  ...(accept ? { body: { type: ['object', 'null'], properties: { organization: { type: 'string', maxLength: 255 } } }, response: invitationSchema } : {}),
  status: accept ? 201 : 204,
  operation: `mutation iyo_org_invitation_${accept ? 'accept' : 'reject'}($input: OrganizationAnswerInvitationInput!) { organizationAnswerInvitation(input: $input) { invitation { ${INVITATION_READ} } ${ERRORS} } }`,
  variables: (r) => ({ input: { organization: r.params.globalid, invitingOrganization: r.params.invitingorg, role: orgInvitationRole(r), accept } }),
  respond: (d) => (accept ? { status: 201, body: invitationBody(d.organizationAnswerInvitation.invitation) } : { status: 204, body: undefined }),
});

export const orgPeopleRoutes: Route[] = [
  invite('/organizations/:globalid/members', 'MEMBER', 'searchstring'),
  {
    method: 'PUT',
    path: '/organizations/:globalid/members',
    summary: 'Changes a member’s role (owners; 200 with the organization); not a member 404.',
    params: params(),
    querystring: tokenQuery,
    body: objectWith({ username: usernameString, role: { type: 'string', enum: USER_ROLES } }),
    response: organizationSchema,
    operation: `mutation iyo_org_member_role($input: OrganizationUserRoleInput!) { organizationChangeUserRole(input: $input) { organization { ${ORGANIZATION_FIELDS} } ${ERRORS} } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, username: r.body.username, role: graphRole(r.body.role) } }),
    respond: orgAnswer('organizationChangeUserRole'),
  },
  removeUser('/organizations/:globalid/members/:username', null),
  invite('/organizations/:globalid/owners', 'OWNER', 'username'),
  removeUser('/organizations/:globalid/owners/:username', 'OWNER'),
  {
    method: 'GET',
    path: '/organizations/:globalid/invitations',
    summary: 'The organization’s invitations with this status (default pending; owners; at most 100, newest first).',
    params: params(),
    querystring: { type: 'object', properties: { ...(tokenQuery.properties as object), status: { type: 'string', enum: ['pending', 'accepted', 'rejected'] } } },
    response: { type: 'array', items: invitationSchema },
    operation: `query iyo_org_invitations($g: String!, $s: InvitationStatus!) { organization(slug: $g) { viewerCanUpdate invitations(first: 100, status: $s) { nodes { ${INVITATION_READ} } } } }`,
    variables: (r) => ({ g: r.params.globalid, s: String(r.query.status ?? 'pending').toUpperCase() }),
    respond: (d) => {
      const o = d.organization as { viewerCanUpdate: boolean; invitations: { nodes: InvitationData[] } } | null;
      if (!o) throw notFound('Organization not found');
      if (!o.viewerCanUpdate) throw new DomainError('FORBIDDEN', 'Only owners of the organization may read its invitations');
      return { body: o.invitations.nodes.map(invitationBody) };
    },
  },
  {
    method: 'DELETE',
    path: '/organizations/:globalid/invitations/:username',
    summary: 'Cancels the pending invitations of this username, email or phone (owners; 204); none 404.',
    params: params(['username', name255]),
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_org_invitation_cancel($input: OrganizationRevokeInvitationsInput!) { organizationRevokeInvitations(input: $input) { revokedCount ${ERRORS} } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, invitee: r.params.username } }),
    respond: noContent(),
  },
  link('/organizations/:globalid/orgmembers', 'MEMBER', 'orgmember'),
  {
    method: 'PUT',
    path: '/organizations/:globalid/orgmembers',
    summary: 'Makes a linked organization org-owner or org-member (owners; 200 with the organization); not linked 404.',
    params: params(),
    querystring: tokenQuery,
    body: objectWith({ org: slugString, role: { type: 'string', enum: ORG_ROLES } }),
    response: organizationSchema,
    operation: `mutation iyo_org_link_role($input: OrganizationLinkInput!) { organizationChangeLinkRole(input: $input) { organization { ${ORGANIZATION_FIELDS} } ${ERRORS} } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, other: r.body.org, role: graphRole(r.body.role) } }),
    respond: orgAnswer('organizationChangeLinkRole'),
  },
  unlink('/organizations/:globalid/orgmembers/:globalid2', 'MEMBER'),
  {
    method: 'POST',
    path: '/organizations/:globalid/orgmembers/includesuborgs',
    summary: 'Roles granted to a linked organization reach its sub-organizations’ members too (owners; 201 with the organization); already 409, not linked 404.',
    params: params(),
    querystring: tokenQuery,
    body: objectWith({ globalid: slugString }),
    response: organizationSchema,
    status: 201,
    operation: `mutation iyo_org_include_suborgs($input: OrganizationIncludeSubOrgsInput!) { organizationSetIncludeSubOrgs(input: $input) { organization { ${ORGANIZATION_FIELDS} } ${ERRORS} } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, other: r.body.globalid, include: true } }),
    respond: orgAnswer('organizationSetIncludeSubOrgs', 201),
  },
  {
    method: 'DELETE',
    path: '/organizations/:globalid/orgmembers/includesuborgs/:orgmember',
    summary: 'Roles granted to a linked organization stop reaching its sub-organizations’ members (owners; 204); not included 404.',
    params: params(['orgmember', slugString]),
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_org_exclude_suborgs($input: OrganizationIncludeSubOrgsInput!) { organizationSetIncludeSubOrgs(input: $input) { organization { id } ${ERRORS} } }`,
    variables: (r) => ({ input: { organization: r.params.globalid, other: r.params.orgmember, include: false } }),
    respond: noContent(),
  },
  link('/organizations/:globalid/orgowners', 'OWNER', 'orgowner'),
  unlink('/organizations/:globalid/orgowners/:globalid2', 'OWNER'),
  answer(true),
  answer(false),
];
