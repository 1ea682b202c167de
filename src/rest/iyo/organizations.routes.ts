// The organizations of a user: which ones they own or are a member of, leaving one, and
// answering an invitation into one (accept POST, reject DELETE …/roles/{role}).
//
// Choices where the document is vague:
// - `{globalid}` is the organization's slug. Admins of an organization are listed as members
//   (Itsyouonline knows owners and members only).
// - The POST body (a JoinOrganizationInvitation) is optional and not used: the path names the
//   invitation. The answer is 201 with the invitation as it is now (status "accepted").
// - Roles `orgowner` and `orgmember` name invitations of organizations, which a user does not
//   answer here: 404, like a role without a pending invitation.
// - Leaving as the last owner is 412 (the organization keeps an owner).
import { slugString, usernameString } from '../schemas.js';
import type { JsonSchema, Route } from '../types.js';
import { OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';

const ROLES = ['owner', 'member', 'orgowner', 'orgmember'];
const roleParams: JsonSchema = {
  type: 'object',
  properties: { username: usernameString, globalid: slugString, role: { type: 'string', enum: ROLES } },
  required: ['username', 'globalid', 'role'],
};
export const INVITATION_FIELDS = 'organizationSlug role status method createdAt inviteeEmail inviteePhone';
export const invitationBody = (i: Record<string, any>, username: string) => ({
  organization: i.organizationSlug,
  user: username,
  role: String(i.role).toLowerCase(),
  created: i.createdAt,
  status: String(i.status).toLowerCase(),
  method: String(i.method).toLowerCase(),
  emailaddress: i.inviteeEmail ?? '',
  phonenumber: i.inviteePhone ?? '',
  isorganization: false,
});
export const invitationSchema: JsonSchema = {
  type: 'object',
  properties: {
    organization: { type: 'string' },
    user: { type: 'string' },
    role: { type: 'string' },
    created: { type: 'string' },
    status: { type: 'string' },
    method: { type: 'string' },
    emailaddress: { type: 'string' },
    phonenumber: { type: 'string' },
    isorganization: { type: 'boolean' },
  },
};
/** The invitation's role in the graph; organization roles have no user invitation: a role that matches none. */
const graphRole = (role: string | undefined) => (role === 'owner' ? 'OWNER' : role === 'member' ? 'MEMBER' : null);
const answer = (accept: boolean): Route => ({
  method: accept ? 'POST' : 'DELETE',
  path: '/users/:username/organizations/:globalid/roles/:role',
  summary: accept ? 'Accepts the invitation into the organization with this role (201).' : 'Rejects the invitation into the organization with this role (204).',
  params: roleParams,
  querystring: tokenQuery,
  ...(accept ? { body: { type: ['object', 'null'], properties: { organization: { type: 'string', maxLength: 255 } } }, response: invitationSchema } : {}),
  status: accept ? 201 : 204,
  operation: `mutation iyo_invitation_${accept ? 'accept' : 'reject'}($input: AnswerInvitationInput!) {
    answerOrganizationInvitation(input: $input) { invitation { ${INVITATION_FIELDS} } userErrors { code field message } }
  }`,
  variables: (r) => {
    const role = graphRole(r.params.role);
    // Organization roles: no user invitation has them; MEMBER with an impossible slug finds none.
    return { input: { username: r.params.username, organization: role ? r.params.globalid : '-', role: role ?? 'MEMBER', accept } };
  },
  respond: (d, r) => (accept ? { status: 201, body: invitationBody(d.answerOrganizationInvitation.invitation, r.params.username!) } : { status: 204, body: undefined }),
});

export const organizationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/users/:username/organizations',
    summary: 'The organizations the user owns and is a member of (slugs).',
    params: usernameParams(),
    querystring: tokenQuery,
    response: { type: 'object', properties: { owner: { type: 'array', items: { type: 'string' } }, member: { type: 'array', items: { type: 'string' } } }, required: ['owner', 'member'] },
    operation: `query iyo_user_organizations($username: String!) { ${OWNER_FIELDS} user(username: $username) { id memberships { role organization { slug } } } }`,
    variables: (r) => ({ username: r.params.username }),
    respond: (d) => {
      const ms = requireOwner<{ id: string; memberships: { role: string; organization: { slug: string } | null }[] }>(d).memberships.filter((m) => m.organization);
      return {
        body: {
          owner: ms.filter((m) => m.role === 'OWNER').map((m) => m.organization!.slug),
          member: ms.filter((m) => m.role !== 'OWNER').map((m) => m.organization!.slug),
        },
      };
    },
  },
  {
    method: 'DELETE',
    path: '/users/:username/organizations/:globalid/leave',
    summary: 'The user leaves the organization (204); 404 when not a member.',
    params: { type: 'object', properties: { username: usernameString, globalid: slugString }, required: ['username', 'globalid'] },
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_leave_organization($input: UserInOrganizationInput!) { leaveOrganization(input: $input) { organization { id } userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, organization: r.params.globalid } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  answer(true),
  answer(false),
];
