// Invitations of the accounts API: "the organization" is the one given as `?organization=<uuid>`
// (or, for routes that create, in the body), else the organization the API token is bound to.
// `invitee_identifier` is an email (has "@"), a phone number (digits, optional "+"), or a
// username. The list pages by number, newest first, through the `invitations` query's offset.
import { DomainError, notFound } from '../../core/errors.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { envelope, gid, organizationOf, organizationQuery, pageOf, pageOfRequest, pageQuery, signedIn, uuidOf, uuidParams } from './common.js';

const ROLES = ['member', 'admin', 'owner'];

export const invitationSchema: JsonSchema = {
  type: 'object',
  properties: {
    uuid: { type: 'string', format: 'uuid' },
    invitee_identifier: { type: 'string' },
    role: { type: 'string', enum: ROLES },
    invited_by: { type: ['string', 'null'], format: 'uuid' },
    sent_at: { type: ['string', 'null'], format: 'date-time' },
    valid_until: { type: 'string', format: 'date-time' },
    status: { type: 'string' },
  },
  required: ['uuid', 'invitee_identifier', 'role', 'invited_by', 'sent_at', 'valid_until', 'status'],
};

const INVITATION_FIELDS = 'id inviteeIdentifier role status sentAt validUntil invitedBy { id }';

interface InvitationNode {
  id: string;
  inviteeIdentifier: string;
  role: string;
  status: string;
  sentAt: string | null;
  validUntil: string;
  invitedBy: { id: string } | null;
}

export function invitationBody(i: InvitationNode) {
  return {
    uuid: uuidOf(i.id),
    invitee_identifier: i.inviteeIdentifier,
    role: i.role.toLowerCase(),
    invited_by: uuidOf(i.invitedBy?.id),
    sent_at: i.sentAt,
    valid_until: i.validUntil,
    status: i.status.toLowerCase(),
  };
}

const invitation = (r: RestRequest) => {
  signedIn(r);
  return gid('Invitation', r.params.uuid!);
};

const inviteeInput = (identifier: string) =>
  identifier.includes('@') ? { email: identifier } : /^\+?[0-9][0-9 ]{5,19}$/.test(identifier) ? { phone: identifier.replace(/ /g, '') } : { username: identifier };


export const invitationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/accounts/invite/',
    summary: 'Lists the invitations for the organization, newest first (its admins).',
    querystring: { type: 'object', properties: { organization: organizationQuery, ...pageQuery } },
    response: pageOf(invitationSchema),
    resource: 'Organization',
    operation: `query accountsInvitations($org: ID!, $first: Int!, $offset: Int!) {
      organization(id: $org) { viewerCanManageMembers }
      invitations(first: $first, offset: $offset, filter: { organization: $org }) { totalCount nodes { ${INVITATION_FIELDS} } }
    }`,
    variables: (r) => {
      signedIn(r);
      const p = pageOfRequest(r);
      return { org: organizationOf(r), first: p.size, offset: p.offset };
    },
    respond: (d, r) => {
      if (!d.organization) throw notFound();
      if (!d.organization.viewerCanManageMembers) throw new DomainError('FORBIDDEN');
      return { body: envelope(r, pageOfRequest(r), d.invitations.totalCount, d.invitations.nodes.map(invitationBody)) };
    },
  },
  {
    method: 'POST',
    path: '/accounts/invite/',
    summary: 'Creates an invitation for a user to join an organization (its admins; only owners invite owners). Email and phone invitees get a message.',
    querystring: { type: 'object', properties: { organization: organizationQuery } },
    body: {
      type: 'object',
      properties: {
        invitee_identifier: { type: 'string', minLength: 1, maxLength: 254 },
        role: { type: 'string', enum: ROLES },
        organization: organizationQuery,
      },
      required: ['invitee_identifier'],
    },
    response: invitationSchema,
    status: 201,
    resource: 'Invitation',
    operation: `mutation accountsInvite($input: InviteToOrganizationInput!) {
      inviteToOrganization(input: $input) { invitation { ${INVITATION_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => {
      signedIn(r);
      const who = String(r.body.invitee_identifier).trim();
      if (!who) throw new DomainError('VALIDATION_FAILED', 'This field may not be blank.', 'invitee_identifier');
      return { input: { organizationId: organizationOf(r, r.body.organization), ...inviteeInput(who), role: (r.body.role ?? 'member').toUpperCase() } };
    },
    respond: (d) => ({ status: 201, body: invitationBody(d.inviteToOrganization.invitation) }),
  },
  {
    method: 'GET',
    path: '/accounts/invite/:uuid/',
    summary: 'One invitation (admins of its organization, or the invitee).',
    params: uuidParams,
    response: invitationSchema,
    resource: 'Invitation',
    operation: `query accountsInvitation($id: ID!) { invitation(id: $id) { ${INVITATION_FIELDS} } }`,
    variables: (r) => ({ id: invitation(r) }),
    respond: (d) => {
      if (!d.invitation) throw notFound();
      return { body: invitationBody(d.invitation) };
    },
  },
  {
    method: 'POST',
    path: '/accounts/invite/:uuid/',
    summary: 'Resends a pending invitation: a new message, sent_at now, valid_until pushed further (admins). Any body is ignored.',
    params: uuidParams,
    response: invitationSchema,
    resource: 'Invitation',
    operation: `mutation accountsResend($input: InvitationIdInput!) {
      resendInvitation(input: $input) { invitation { ${INVITATION_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { id: invitation(r) } }),
    respond: (d) => ({ body: invitationBody(d.resendInvitation.invitation) }),
  },
  {
    method: 'DELETE',
    path: '/accounts/invite/:uuid/',
    summary: 'Revokes a pending invitation (admins).',
    params: uuidParams,
    status: 204,
    resource: 'Invitation',
    operation: `mutation accountsRevoke($input: InvitationIdInput!) {
      revokeInvitation(input: $input) { invitation { id } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { id: invitation(r) } }),
    respond: () => ({ status: 204, body: undefined }),
  },
];
